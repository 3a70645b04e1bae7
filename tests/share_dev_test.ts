// Copyright 2026 the httpserver authors. MIT license.
/**
 * The sharing features and the development features together, over real
 * sockets: `shareDirectory()` with the development options, live reload
 * under a secret path, listings with the development extras, automatic
 * stops with an open live-reload stream.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { readListing, renderListing } from "../handlers/_files/listing.ts";
import { uploadFormHtml } from "../handlers/_upload/form.ts";
import { header, headerValues, RawClient, request } from "./_raw_client.ts";
import { withTimeout } from "./_util.ts";
import { shareFiles } from "./_share_fixture.ts";

const NAV = { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
const dec = new TextDecoder();

/** `fetch()` with its body read: status, headers, bytes. */
async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
  const res = await fetch(url, { headers });
  return {
    status: res.status,
    headers: res.headers,
    body: new Uint8Array(await res.arrayBuffer()),
  };
}

Deno.test("shareDirectory takes the development options: live reload, cache, compression", async () => {
  await using undo = new AsyncDisposableStack();
  const script = `console.log(${JSON.stringify("x".repeat(4000))});\n`;
  const { base } = await shareFiles(undo, {
    "index.html": "<body><h1>hi</h1></body>",
    "app.js": script,
  }, { liveReload: true, cache: "no-cache", compress: ["gzip"] });
  const page = await get(`${base}/`, NAV);
  strictEqual(page.status, 200);
  ok(dec.decode(page.body).includes("/%00httpserver/live.js"));
  const js = await get(`${base}/app.js`, { "Accept-Encoding": "gzip" });
  strictEqual(js.headers.get("Cache-Control"), "no-cache");
  strictEqual(js.headers.get("Vary"), "Accept-Encoding");
  strictEqual(js.headers.get("Content-Encoding"), "gzip");
  strictEqual(dec.decode(js.body), script);
});

/**
 * Opens live reload's event stream at `path` on a raw connection and
 * resolves once its `hello` arrived; dispose the client to leave.
 */
async function openStream(
  port: number,
  path = "/%00httpserver/events",
): Promise<RawClient> {
  const client = await RawClient.connect(port);
  await client.send(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  const hello = await client.readUntil((t) => t.includes("event: hello"));
  ok(hello, `no hello on ${path}: ${dec.decode(client.buffered)}`);
  ok(dec.decode(client.buffered).startsWith("HTTP/1.1 200 OK\r\n"));
  return client;
}

Deno.test("idleTimeout: an open page's live-reload stream is no request in flight, so the share idles", async () => {
  await using undo = new AsyncDisposableStack();
  const { share } = await shareFiles(undo, { "index.html": "<p>x</p>" }, {
    liveReload: true,
    idleTimeout: 400,
  });
  using stream = await openStream(share.port);
  const opened = performance.now();
  // Before the fix the stream counted as in flight: the share never idled.
  const reason = await withTimeout(share.finished, "the idle stop", 10_000);
  strictEqual(reason.kind, "idle");
  ok(performance.now() - opened >= 300, "not before the idle time");
  // The stop closed the stream.
  await stream.readToEnd();
});

Deno.test("idleTimeout: a download in flight beside a stream still keeps the share running", async () => {
  await using undo = new AsyncDisposableStack();
  const { share } = await shareFiles(undo, {}, {
    liveReload: true,
    idleTimeout: 300,
  });
  let stopped = false;
  share.finished.then(() => stopped = true);
  using stream = await openStream(share.port);
  // A request that stays in flight: its head comes slowly.
  using slow = await RawClient.connect(share.port);
  await slow.send("GET /a HTTP/1.1\r\n");
  await new Promise((r) => setTimeout(r, 900));
  ok(!stopped, "stopped with a request in flight");
  await slow.send("Host: x\r\n\r\n");
  await slow.read();
  const reason = await withTimeout(share.finished, "the idle stop", 10_000);
  strictEqual(reason.kind, "idle");
  void stream;
});

Deno.test("once and stopAfter: an open page's stream does not hold the stop for the grace period", async () => {
  await using undo = new AsyncDisposableStack();
  const { share, base } = await shareFiles(undo, { "a.txt": "alpha" }, {
    liveReload: true,
    once: true,
  });
  using stream = await openStream(share.port);
  strictEqual(await (await fetch(`${base}/a.txt`)).text(), "alpha");
  // The grace period is a minute: before the fix the stop waited for it.
  const reason = await withTimeout(share.finished, "the once stop", 10_000);
  strictEqual(reason.kind, "once");
  await stream.readToEnd();
  const timed = await shareFiles(undo, {}, {
    liveReload: true,
    stopAfter: 300,
  });
  using other = await openStream(timed.share.port);
  const why = await withTimeout(timed.share.finished, "the timed stop", 10_000);
  strictEqual(why.kind, "time");
  await other.readToEnd();
});

Deno.test("randomPath: live reload's script and stream are served below the secret, and only there", async () => {
  await using undo = new AsyncDisposableStack();
  const { share, dir, base } = await shareFiles(undo, {
    "index.html": "<body>x</body>",
  }, { liveReload: true, randomPath: true, cors: true });
  const secret = share.secret!;
  const page = dec.decode((await get(`${base}/`, NAV)).body);
  ok(
    page.includes(`<script src="/${secret}/%00httpserver/live.js" `),
    page,
  );
  const script = await get(`${base}/%00httpserver/live.js`);
  strictEqual(script.status, 200);
  strictEqual(
    script.headers.get("Content-Type"),
    "text/javascript; charset=utf-8",
  );
  // Without the secret, nothing: not the script, not the stream, and no
  // byte of the secret in the answer.
  const origin = `http://127.0.0.1:${share.port}`;
  for (const path of ["/%00httpserver/live.js", "/%00httpserver/events"]) {
    const res = await get(origin + path);
    strictEqual(res.status, 404);
    ok(!dec.decode(res.body).includes(secret.slice(0, 8)));
  }
  strictEqual((await get(`${base}/%00httpserver/other`)).status, 404);
  using stream = await openStream(
    share.port,
    `/${secret}/%00httpserver/events`,
  );
  // --cors never goes on the stream, below a prefix too.
  ok(!/Access-Control/i.test(dec.decode(stream.buffered)));
  await new Promise((r) => setTimeout(r, 300));
  await Deno.writeTextFile(`${dir}/index.html`, "<body>y</body>");
  ok(
    await stream.readUntil((t) => t.includes('"paths":["/index.html"]')),
    "the change event names the path below the secret",
  );
});

Deno.test("randomPath: the SPA file, the 404 page and immutable globs work below the secret", async () => {
  await using undo = new AsyncDisposableStack();
  const { share, base } = await shareFiles(undo, {
    "index.html": "<body>app</body>",
    "404.html": "<body>lost</body>",
    "assets/app.js": "1",
  }, {
    randomPath: true,
    spa: true,
    notFoundPage: "404.html",
    immutable: ["assets/**"],
    cache: 60,
  });
  const deep = await get(`${base}/users/42`, NAV);
  strictEqual(deep.status, 200);
  strictEqual(dec.decode(deep.body), "<body>app</body>");
  const lost = await get(`${base}/users/42.json`, NAV);
  strictEqual(lost.status, 404);
  strictEqual(dec.decode(lost.body), "<body>lost</body>");
  const asset = await get(`${base}/assets/app.js`);
  strictEqual(
    asset.headers.get("Cache-Control"),
    "public, max-age=31536000, immutable",
  );
  strictEqual(
    (await get(`${base}/index.html`)).headers.get("Cache-Control"),
    "public, max-age=60",
  );
  // Outside the secret: the plain 404, never the SPA file or the page.
  const outside = await get(`http://127.0.0.1:${share.port}/users/42`, NAV);
  strictEqual(outside.status, 404);
  ok(!dec.decode(outside.body).includes("app"));
});

/** GET `target` over a raw connection (the body as sent, not decoded). */
function raw(port: number, target: string, headers: Record<string, string>) {
  return request(
    port,
    `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
      Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") +
      "\r\n",
  );
}

for (const listing of ["rich", "python"] as const) {
  Deno.test(`listing ${listing}: pages and JSON get the script, Cache-Control and compression`, async () => {
    await using undo = new AsyncDisposableStack();
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`sub/file-${i}.txt`] = `${i}`;
    const { share } = await shareFiles(undo, files, {
      listing,
      liveReload: true,
      cache: "no-cache",
      compress: ["gzip"],
    });
    const gzip = { "Accept-Encoding": "gzip" };
    const page = await raw(share.port, "/sub/", { ...NAV, ...gzip });
    strictEqual(page.status, 200);
    strictEqual(header(page, "Content-Encoding"), "gzip");
    strictEqual(header(page, "Content-Length"), String(page.body.length));
    strictEqual(header(page, "Cache-Control"), "no-cache");
    deepStrictEqual(headerValues(page, "Vary"), ["Accept", "Accept-Encoding"]);
    const html = dec.decode(gunzipSync(page.body));
    ok(html.includes('<script src="/%00httpserver/live.js" '), html);
    ok(html.includes("file-39.txt"));
    // A script's fetch of the page is no navigation: no script.
    const fetched = await raw(share.port, "/sub/", { Accept: "*/*" });
    ok(!fetched.text.includes("live.js"));
    strictEqual(header(fetched, "Content-Encoding"), undefined);
    const json = await raw(share.port, "/sub/", {
      Accept: "application/json",
      ...gzip,
    });
    strictEqual(header(json, "Content-Type"), "application/json");
    strictEqual(header(json, "Content-Encoding"), "gzip");
    strictEqual(header(json, "Cache-Control"), "no-cache");
    const entries = JSON.parse(dec.decode(gunzipSync(json.body)));
    strictEqual(entries.length, 40);
  });
}

Deno.test("listing python: the upload form stays on Python's page, which is otherwise unchanged", async () => {
  await using undo = new AsyncDisposableStack();
  const { share, dir } = await shareFiles(undo, { "a.txt": "a" }, {
    listing: "python",
    upload: true,
  });
  const res = await raw(share.port, "/", {});
  const folder = {
    directory: dir,
    root: await Deno.realPath(dir),
    followSymlinks: false,
    serveDotfiles: true,
  };
  const expected = renderListing(
    "/",
    readListing(dir, folder),
    "utf-8",
    uploadFormHtml(),
  );
  deepStrictEqual(res.body, expected);
  strictEqual(header(res, "Cache-Control"), undefined);
  strictEqual(header(res, "Vary"), "Accept");
});
