// Copyright 2026 the httpserver authors. MIT license.
/**
 * The development features for files, over real sockets: compression on the
 * fly and precompressed sidecars (negotiation, Range, entity-tags, Vary,
 * no-transform), the SPA fallback, caching switches, cross-origin
 * isolation, and unchanged responses when every feature is off.
 */
import {
  deepStrictEqual as assertEquals,
  notDeepStrictEqual,
  ok as assert,
} from "node:assert/strict";
import {
  brotliDecompressSync,
  gunzipSync,
  gzipSync,
  zstdDecompressSync,
} from "node:zlib";
import { requestTarget, serveFolder } from "./_simple_fixture.ts";
import { header, headerValues, type RawResponse } from "./_raw_client.ts";

const NAV = { Accept: "text/html,*/*;q=0.8" };
const JS = "export function f(x) { return x * 2; }\n".repeat(100); // ~3.9 KiB
const enc = new TextEncoder();
const dec = new TextDecoder();

async function folder(
  files: Record<string, string | Uint8Array>,
  options: Parameters<typeof serveFolder>[0] = {},
) {
  const f = await serveFolder(options);
  for (const [name, data] of Object.entries(files)) {
    const path = `${f.root}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(
      path,
      typeof data === "string" ? enc.encode(data) : data,
    );
  }
  return f;
}

const get = (
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<RawResponse> =>
  requestTarget(port, path, { headers, method }).then((r) => r.res);

Deno.test("Compression picks the coding by q-values, ties zstd > br > gzip", async () => {
  await using f = await folder({ "app.js": JS }, { compress: true });
  const cases: [string, string | undefined][] = [
    ["gzip, deflate, br, zstd", "zstd"],
    ["gzip, br", "br"],
    ["gzip;q=0, br", "br"],
    ["gzip, br;q=0.5", "gzip"],
    ["deflate", undefined],
    ["identity", undefined],
    ["*;q=0", undefined],
  ];
  for (const [accept, coding] of cases) {
    const res = await get(f.port, "/app.js", { "Accept-Encoding": accept });
    assertEquals(res.status, 200);
    assertEquals(header(res, "Content-Encoding"), coding, accept);
    assertEquals(header(res, "Content-Length"), String(res.body.length));
    assertEquals(header(res, "Vary"), "Accept-Encoding");
    const decoded = coding === "gzip"
      ? gunzipSync(res.body)
      : coding === "br"
      ? brotliDecompressSync(res.body)
      : coding === "zstd"
      ? zstdDecompressSync(res.body)
      : res.body;
    assertEquals(dec.decode(decoded), JS, accept);
    if (coding) {
      assertEquals(header(res, "Accept-Ranges"), undefined);
      assert(
        header(res, "ETag")!.endsWith(
          `-${coding === "zstd" ? "zst" : coding === "gzip" ? "gz" : "br"}"`,
        ),
      );
    } else assertEquals(header(res, "Accept-Ranges"), "bytes");
  }
});

Deno.test("Compression: HEAD reports the same length and tag as GET", async () => {
  await using f = await folder({ "app.js": JS }, { compress: true });
  const g = await get(f.port, "/app.js", { "Accept-Encoding": "gzip" });
  const h = await get(f.port, "/app.js", { "Accept-Encoding": "gzip" }, "HEAD");
  for (const name of ["Content-Length", "Content-Encoding", "ETag", "Vary"]) {
    assertEquals(header(h, name), header(g, name), name);
  }
});

Deno.test("Compression never touches a Range request: identity 206 with the right Content-Range", async () => {
  await using f = await folder({ "app.js": JS }, { compress: true });
  const res = await get(f.port, "/app.js", {
    "Accept-Encoding": "gzip",
    Range: "bytes=100-199",
  });
  assertEquals(res.status, 206);
  assertEquals(header(res, "Content-Encoding"), undefined);
  assertEquals(header(res, "Content-Range"), `bytes 100-199/${JS.length}`);
  assertEquals(res.text, JS.slice(100, 200));
  assertEquals(header(res, "Vary"), "Accept-Encoding");
});

Deno.test("Compression: the gzip variant's ETag revalidates to 304, the identity tag does not", async () => {
  await using f = await folder({ "app.js": JS }, {
    compress: true,
    cache: "no-cache",
  });
  const gz = await get(f.port, "/app.js", { "Accept-Encoding": "gzip" });
  const tag = header(gz, "ETag")!;
  const again = await get(f.port, "/app.js", {
    "Accept-Encoding": "gzip",
    "If-None-Match": tag,
  });
  assertEquals(again.status, 304);
  assertEquals(header(again, "ETag"), tag);
  assertEquals(header(again, "Vary"), "Accept-Encoding");
  assertEquals(header(again, "Cache-Control"), "no-cache");
  const identity = await get(f.port, "/app.js");
  notDeepStrictEqual(header(identity, "ETag"), tag);
  // The identity tag does not validate the gzip variant.
  const other = await get(f.port, "/app.js", {
    "Accept-Encoding": "gzip",
    "If-None-Match": header(identity, "ETag")!,
  });
  assertEquals(other.status, 200);
  assertEquals(header(other, "Content-Encoding"), "gzip");
});

Deno.test("Compression skips small files, media, no-transform, and says Vary on every response", async () => {
  const png = new Uint8Array(4096).fill(7);
  await using f = await folder({
    "small.js": "x".repeat(1023),
    "big.js": "x".repeat(1024),
    "pic.png": png,
    "app.js": JS,
  }, { compress: true });
  const ae = { "Accept-Encoding": "gzip" };
  assertEquals(
    header(await get(f.port, "/small.js", ae), "Content-Encoding"),
    undefined,
  );
  assertEquals(
    header(await get(f.port, "/big.js", ae), "Content-Encoding"),
    "gzip",
  );
  const pic = await get(f.port, "/pic.png", ae);
  assertEquals(header(pic, "Content-Encoding"), undefined);
  assertEquals(pic.body, png);
  const noTransform = await get(f.port, "/app.js", {
    ...ae,
    "Cache-Control": "no-transform",
  });
  assertEquals(header(noTransform, "Content-Encoding"), undefined);
  for (const path of ["/small.js", "/pic.png", "/missing", "/"]) {
    const res = await get(f.port, path, ae);
    assertEquals(headerValues(res, "Vary"), ["Accept-Encoding"], path);
  }
});

Deno.test("Compression: an edited file is compressed again, never served stale", async () => {
  await using f = await folder({ "app.js": JS }, { compress: true });
  const ae = { "Accept-Encoding": "gzip" };
  const first = await get(f.port, "/app.js", ae);
  assertEquals(dec.decode(gunzipSync(first.body)), JS);
  const edited = JS.replace("f(x)", "g(y)");
  // The ETag is made of the inode, size and mtime in ms: an edit of the same
  // size must come a tick later to get a new one (an editor's save does).
  await new Promise((r) => setTimeout(r, 20));
  await Deno.writeTextFile(`${f.root}/app.js`, edited);
  const second = await get(f.port, "/app.js", ae);
  assertEquals(dec.decode(gunzipSync(second.body)), edited);
  notDeepStrictEqual(header(second, "ETag"), header(first, "ETag"));
});

Deno.test("Precompressed sidecars: served with the original's type, their own length and tag", async () => {
  const gz = gzipSync(enc.encode(JS));
  await using f = await folder({ "app.js": JS }, { precompressed: true });
  await new Promise((r) => setTimeout(r, 20));
  await Deno.writeFile(`${f.root}/app.js.gz`, gz);
  const res = await get(f.port, "/app.js", { "Accept-Encoding": "gzip, br" });
  assertEquals(res.status, 200);
  assertEquals(header(res, "Content-Encoding"), "gzip");
  assertEquals(header(res, "Content-Type"), "text/javascript");
  assertEquals(header(res, "Content-Length"), String(gz.length));
  assertEquals(res.body, new Uint8Array(gz));
  assertEquals(header(res, "Vary"), "Accept-Encoding");
  const identity = await get(f.port, "/app.js");
  notDeepStrictEqual(header(res, "ETag"), header(identity, "ETag"));
  assertEquals(identity.text, JS);
  // Range: the original, never the sidecar.
  const range = await get(f.port, "/app.js", {
    "Accept-Encoding": "gzip",
    Range: "bytes=0-9",
  });
  assertEquals([range.status, range.text], [206, JS.slice(0, 10)]);
  // The sidecar itself is an ordinary file.
  const direct = await get(f.port, "/app.js.gz", { "Accept-Encoding": "gzip" });
  assertEquals(header(direct, "Content-Type"), "application/gzip");
  assertEquals(header(direct, "Content-Encoding"), undefined);
});

Deno.test("Precompressed sidecars: a stale one is skipped, one without its original is a 404", async () => {
  await using f = await folder({
    "app.js.gz": gzipSync(enc.encode("old")),
    "orphan.js.br": "x",
  }, { precompressed: true });
  // The original, edited after its sidecar was made.
  await new Promise((r) => setTimeout(r, 20));
  await Deno.writeTextFile(`${f.root}/app.js`, JS);
  const res = await get(f.port, "/app.js", { "Accept-Encoding": "gzip" });
  assertEquals(header(res, "Content-Encoding"), undefined);
  assertEquals(res.text, JS);
  const orphan = await get(f.port, "/orphan.js", { "Accept-Encoding": "br" });
  assertEquals(orphan.status, 404);
});

Deno.test("SPA fallback serves the index to page navigations that matched nothing", async () => {
  const index = "<!doctype html><div id=app></div>";
  await using f = await folder({ "index.html": index, "data.json": "{}" }, {
    spa: true,
  });
  const deep = await get(f.port, "/deep/route", NAV);
  assertEquals([deep.status, deep.text], [200, index]);
  const html = await get(f.port, "/settings.html", {
    "Sec-Fetch-Dest": "document",
  });
  assertEquals([html.status, html.text], [200, index]);
  const head = await get(f.port, "/deep/route", NAV, "HEAD");
  for (
    const name of ["Content-Length", "Content-type", "ETag", "Last-Modified"]
  ) {
    assertEquals(header(head, name), header(deep, name), name);
  }
  for (
    const [path, headers] of [
      ["/missing.js", NAV],
      ["/assets/app-123.css", { "Sec-Fetch-Dest": "document" }],
      ["/data2.json", { Accept: "*/*" }],
      ["/deep/route", { Accept: "*/*" }],
      ["/deep/route", { "Sec-Fetch-Dest": "empty", Accept: "text/html" }],
      ["/.well-known/thing", NAV],
      ["/.hidden/route", NAV],
    ] as [string, Record<string, string>][]
  ) {
    const res = await get(f.port, path, headers);
    assertEquals(res.status, 404, `${path} ${JSON.stringify(headers)}`);
  }
  const post = await requestTarget(f.port, "/deep/route", {
    method: "POST",
    headers: NAV,
  });
  assertEquals(post.res.status, 501);
});

Deno.test("SPA fallback to a missing file is an ordinary 404", async () => {
  await using f = await folder({}, { spa: "app.html" });
  assertEquals((await get(f.port, "/route", NAV)).status, 404);
});

Deno.test("Caching switches set Cache-Control on files, listings and 304s; -H wins", async () => {
  await using f = await folder({
    "app.js": JS,
    "assets/app-1.js": JS,
    "assets/page.html": "<p>",
  }, { cache: 600, immutable: ["assets/**"] });
  const res = await get(f.port, "/app.js");
  assertEquals(header(res, "Cache-Control"), "public, max-age=600");
  assert(header(res, "ETag") && header(res, "Last-Modified"));
  const revalidated = await get(f.port, "/app.js", {
    "If-None-Match": header(res, "ETag")!,
  });
  assertEquals(revalidated.status, 304);
  assertEquals(header(revalidated, "Cache-Control"), "public, max-age=600");
  assertEquals(
    header(await get(f.port, "/assets/app-1.js"), "Cache-Control"),
    "public, max-age=31536000, immutable",
  );
  assertEquals(
    header(await get(f.port, "/assets/page.html"), "Cache-Control"),
    "public, max-age=600",
  );
  assertEquals(
    header(await get(f.port, "/"), "Cache-Control"),
    "public, max-age=600",
  );
  assertEquals(
    header(await get(f.port, "/missing"), "Cache-Control"),
    undefined,
  );

  await using h = await folder({ "app.js": JS }, {
    cache: "no-store",
    extraResponseHeaders: [["Cache-Control", "max-age=5"]],
  });
  assertEquals(headerValues(await get(h.port, "/app.js"), "Cache-Control"), [
    "max-age=5",
  ]);
});

Deno.test("Isolation headers go on every response", async () => {
  await using f = await folder({ "index.html": "<p>", "sub/a.txt": "a" }, {
    isolate: true,
    liveReload: true,
  });
  const paths: [string, Record<string, string>, number][] = [
    ["/", {}, 200],
    ["/sub", {}, 301],
    ["/sub/", {}, 200],
    ["/missing", {}, 404],
    ["/%00httpserver/live.js", {}, 200],
  ];
  for (const [path, headers, status] of paths) {
    const res = await get(f.port, path, headers);
    assertEquals(res.status, status, path);
    assertEquals(
      header(res, "Cross-Origin-Opener-Policy"),
      "same-origin",
      path,
    );
    assertEquals(
      header(res, "Cross-Origin-Embedder-Policy"),
      "require-corp",
      path,
    );
    assertEquals(
      header(res, "Cross-Origin-Resource-Policy"),
      "same-site",
      path,
    );
  }
  const tag = header(await get(f.port, "/index.html"), "ETag")!;
  const nm = await get(f.port, "/index.html", { "If-None-Match": tag });
  assertEquals(nm.status, 304);
  assertEquals(header(nm, "Cross-Origin-Embedder-Policy"), "require-corp");
  await using c = await folder({}, { isolate: "credentialless" });
  assertEquals(
    header(await get(c.port, "/"), "Cross-Origin-Embedder-Policy"),
    "credentialless",
  );
});

Deno.test("With every development option off, responses are byte for byte unchanged", async () => {
  const files = {
    "index.html": "<body>x</body>",
    "app.js": JS,
    "sub/a.txt": "a",
  };
  await using plain = await folder(files);
  await using off = await folder(files, {
    liveReload: false,
    spa: false,
    notFoundPage: null,
    cache: null,
    immutable: [],
    isolate: false,
    compress: false,
    precompressed: false,
  });
  for (const dir of [plain.root, off.root]) {
    for (const name of Object.keys(files)) {
      await Deno.utime(`${dir}/${name}`, 1_700_000_000, 1_700_000_000);
    }
  }
  const strip = (r: RawResponse) =>
    r.head.replace(/^Date: .*\r\n/m, "").replace(/^ETag: .*\r\n/m, "");
  for (
    const [path, headers] of [
      ["/", NAV],
      ["/app.js", { "Accept-Encoding": "gzip, br" }],
      ["/app.js", { Range: "bytes=0-3" }],
      ["/sub/", NAV],
      ["/sub", {}],
      ["/missing", NAV],
      ["/%00httpserver/live.js", {}],
    ] as [string, Record<string, string>][]
  ) {
    const a = await get(plain.port, path, headers);
    const b = await get(off.port, path, headers);
    assertEquals(strip(b), strip(a), path);
    assertEquals(b.body, a.body, path);
  }
});
