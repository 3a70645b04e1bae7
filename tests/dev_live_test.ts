// Copyright 2026 the httpserver authors. MIT license.
/**
 * Live reload over real sockets: which responses get the script and how
 * (length, Range, entity-tags, caching), the reserved paths, the event
 * stream (never compressed, told of changes, closed promptly by shutdown),
 * listings and the 404 page.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { closeLiveHubs } from "../handlers/_dev/live_hub.ts";
import { type Folder, requestTarget, serveFolder } from "./_simple_fixture.ts";
import { header, RawClient } from "./_raw_client.ts";
import type { FolderOptions } from "./_simple_fixture.ts";
import { engine } from "./_util.ts";
import { DenoServeHTTPServer } from "../deno_serve_server.ts";
import { SimpleHTTPRequestHandler } from "../mod.ts";

const NAV = { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
const SCRIPT =
  /<script src="\/%00httpserver\/live\.js" data-boot="[0-9a-f]{8}" defer><\/script>/;
const enc = new TextEncoder();
const dec = new TextDecoder();

async function live(
  files: Record<string, string>,
  options: FolderOptions = {},
): Promise<Folder & { [Symbol.asyncDispose](): Promise<void> }> {
  const folder = await serveFolder({ liveReload: true, ...options });
  for (const [name, text] of Object.entries(files)) {
    const path = `${folder.root}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  const dispose = folder[Symbol.asyncDispose].bind(folder);
  return Object.assign(folder, {
    async [Symbol.asyncDispose]() {
      await dispose();
      await closeLiveHubs();
    },
  });
}

Deno.test("Live reload adds the script before the last </body>, with an exact Content-Length on GET and HEAD", async () => {
  const page =
    '<html><body><script>var s = "</body>";</script><p>x</p></BODY></html>\n';
  await using f = await live({ "index.html": page });
  const { res } = await requestTarget(f.port, "/", { headers: NAV });
  assertEquals(res.status, 200);
  const m = SCRIPT.exec(res.text);
  assert(m, res.text);
  assertEquals(
    res.text,
    page.replace("</BODY>", m[0] + "</BODY>"),
    "the script goes before the real </BODY>, not the one in the string",
  );
  assertEquals(header(res, "Content-Length"), String(res.body.length));
  assertEquals(header(res, "Cache-Control"), "no-cache");
  assertEquals(header(res, "Accept-Ranges"), undefined);
  assertEquals(header(res, "Last-Modified"), undefined);
  assert(/^W\/".*-lr1-[0-9a-f]{8}"$/.test(header(res, "ETag")!));
  const head = await requestTarget(f.port, "/", {
    method: "HEAD",
    headers: NAV,
  });
  assertEquals(header(head.res, "Content-Length"), String(res.body.length));
  assertEquals(header(head.res, "ETag"), header(res, "ETag"));
  assertEquals(head.res.body.length, 0);
});

Deno.test("Live reload injects pages without </body> before </html>, else at the end", async () => {
  await using f = await live({
    "a.html": "<p>no body</p></HTML>",
    "b.html": "<p>nothing at all</p>",
  });
  const a = (await requestTarget(f.port, "/a.html", { headers: NAV })).res.text;
  assert(/^<p>no body<\/p><script [^>]*><\/script><\/HTML>$/.test(a), a);
  const b = (await requestTarget(f.port, "/b.html", { headers: NAV })).res.text;
  assert(/^<p>nothing at all<\/p><script [^>]*><\/script>$/.test(b), b);
});

Deno.test("Live reload answers Range on a page with the whole page and 200", async () => {
  await using f = await live({ "index.html": "<body>0123456789</body>" });
  const { res } = await requestTarget(f.port, "/index.html", {
    headers: { ...NAV, Range: "bytes=0-10" },
  });
  assertEquals(res.status, 200);
  assertEquals(header(res, "Content-Range"), undefined);
  assert(SCRIPT.test(res.text));
});

Deno.test("Live reload pages have their own ETag: the file's never gets a 304", async () => {
  await using f = await live({ "index.html": "<body>x</body>" });
  const plain = (await requestTarget(f.port, "/index.html")).res;
  const fileTag = header(plain, "ETag")!;
  assert(!SCRIPT.test(plain.text), "no script for a non-navigation");
  assertEquals(header(plain, "Accept-Ranges"), "bytes");
  const stale = (await requestTarget(f.port, "/index.html", {
    headers: { ...NAV, "If-None-Match": fileTag },
  })).res;
  assertEquals(
    stale.status,
    200,
    "a copy cached without the script is replaced",
  );
  assert(SCRIPT.test(stale.text));
  const pageTag = header(stale, "ETag")!;
  assert(pageTag !== fileTag);
  const fresh = (await requestTarget(f.port, "/index.html", {
    headers: {
      ...NAV,
      "If-None-Match": pageTag,
      "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT",
    },
  })).res;
  assertEquals(fresh.status, 304);
  assertEquals(header(fresh, "ETag"), pageTag);
  assertEquals(header(fresh, "Cache-Control"), "no-cache");
  // If-Modified-Since alone cannot revalidate a page without its tag.
  const ims = (await requestTarget(f.port, "/index.html", {
    headers: { ...NAV, "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT" },
  })).res;
  assertEquals(ims.status, 200);
});

Deno.test("Live reload injects only page navigations", async () => {
  await using f = await live({ "index.html": "<body>x</body>" });
  const cases: [Record<string, string>, boolean][] = [
    [{ "Sec-Fetch-Dest": "document", Accept: "*/*" }, true],
    [{ "Sec-Fetch-Dest": "iframe" }, true],
    [{ "Sec-Fetch-Dest": "empty", Accept: "text/html" }, false],
    [{ Accept: "*/*" }, false],
    [{}, false],
  ];
  for (const [headers, injected] of cases) {
    const { res } = await requestTarget(f.port, "/", { headers });
    assertEquals(SCRIPT.test(res.text), injected, JSON.stringify(headers));
  }
});

Deno.test("Live reload leaves UTF-16 pages and pages that opt out alone", async () => {
  await using f = await live({
    "optout.html": "<body data-server-no-reload>x</body>",
  });
  const utf16 = new Uint8Array([0xff, 0xfe, ...enc.encode("<\0b\0>\0")]);
  await Deno.writeFile(`${f.root}/utf16.html`, utf16);
  const a = (await requestTarget(f.port, "/utf16.html", { headers: NAV })).res;
  assertEquals(a.body, utf16);
  const b = (await requestTarget(f.port, "/optout.html", { headers: NAV })).res;
  assertEquals(b.text, "<body data-server-no-reload>x</body>");
});

Deno.test("Live reload compresses the page after adding the script, never from a sidecar", async () => {
  const page = "<body>" + "<p>hello world</p>\n".repeat(200) + "</body>";
  await using f = await live({
    "index.html": page,
    "index.html.gz": "stale sidecar that must not be sent",
  }, { compress: ["gzip"], precompressed: true });
  const { res } = await requestTarget(f.port, "/", {
    headers: { ...NAV, "Accept-Encoding": "gzip" },
  });
  assertEquals(header(res, "Content-Encoding"), "gzip");
  assertEquals(header(res, "Content-Length"), String(res.body.length));
  const text = dec.decode(gunzipSync(res.body));
  assert(SCRIPT.test(text));
  assert(/-lr1-[0-9a-f]{8}-gz"$/.test(header(res, "ETag")!));
});

Deno.test("Live reload serves its client script under the reserved path", async () => {
  await using f = await live({});
  const { res } = await requestTarget(f.port, "/%00httpserver/live.js");
  assertEquals(res.status, 200);
  assertEquals(
    header(res, "Content-Type"),
    "text/javascript; charset=utf-8",
  );
  assertEquals(header(res, "Content-Length"), String(res.body.length));
  assertEquals(header(res, "Cache-Control"), "no-cache");
  assert(res.text.includes("EventSource"));
  const again = (await requestTarget(f.port, "/%00httpserver/live.js", {
    headers: { "If-None-Match": header(res, "ETag")! },
  })).res;
  assertEquals(again.status, 304);
  const other = (await requestTarget(f.port, "/%00httpserver/other")).res;
  assertEquals(other.status, 404);
});

Deno.test("Without live reload nothing is reserved: the path is an ordinary 404", async () => {
  await using f = await serveFolder({ cache: "no-cache" });
  const { res } = await requestTarget(f.port, "/%00httpserver/live.js");
  assertEquals(res.status, 404);
  const page = await Deno.writeTextFile(
    `${f.root}/index.html`,
    "<body></body>",
  );
  void page;
  const { res: html } = await requestTarget(f.port, "/", { headers: NAV });
  assertEquals(html.text, "<body></body>");
});

/** An open event stream: reads until a text shows up (bounded). */
/** Opens the event stream on a raw connection; `until` waits for text. */
async function openStream(
  port: number,
  headers: Record<string, string> = {},
  path = "/%00httpserver/events",
) {
  const client = await RawClient.connect(port);
  await client.send(
    `GET ${path} HTTP/1.1\r\nHost: x\r\n` +
      Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") +
      "\r\n",
  );
  return {
    client,
    /** Everything received so far, once `pattern` is in it. */
    async until(pattern: string, what: string): Promise<string> {
      const found = await client.readUntil((text) => text.includes(pattern));
      const text = dec.decode(client.buffered);
      if (!found) throw new Error(`stream closed before ${what}: ${text}`);
      return text;
    },
  };
}

Deno.test("Live reload's event stream says hello, then reports changes, never compressed", async () => {
  await using f = await live({ "css/site.css": "a{}" }, { compress: true });
  const s = await openStream(f.port, { "Accept-Encoding": "gzip, br" });
  try {
    const head = await s.until("event: hello", "the hello event");
    assert(head.startsWith("HTTP/1.0 200 OK\r\n"), head);
    assert(/Content-Type: text\/event-stream\r\n/.test(head));
    assert(/Cache-Control: no-cache, no-transform\r\n/.test(head));
    assert(!/Content-Encoding/i.test(head));
    assert(!/Content-Length/i.test(head));
    assert(/data: \{"boot":"[0-9a-f]{8}"\}\n\n/.test(head));
    // Let the watcher start before the change.
    await new Promise((r) => setTimeout(r, 300));
    await Deno.writeTextFile(`${f.root}/css/site.css`, "a{color:red}");
    await s.until(
      'event: change\ndata: {"paths":["/css/site.css"],"reload":false}\n\n',
      "the change event",
    );
  } finally {
    s.client.close();
  }
});

Deno.test("Live reload's event stream ends at once when the server shuts down", async () => {
  const f = await live({});
  try {
    const s = await openStream(f.port);
    await s.until("event: hello", "the hello event");
    const started = performance.now();
    await f.server[Symbol.asyncDispose]();
    const took = performance.now() - started;
    await s.client.readToEnd();
    s.client.close();
    assert(took < 2000, `shutdown took ${took} ms with a stream open`);
  } finally {
    await Promise.resolve(f[Symbol.asyncDispose]()).catch(() => {});
    await closeLiveHubs();
  }
});

Deno.test("Live reload's event stream runs under Deno.serve too: changes arrive, and shutdown ends it at once", async () => {
  // The folder is served by the Deno.serve engine (the switch the shared
  // fixtures read), set back at once.
  const saved = { ...engine };
  Object.assign(engine, { name: "serve", ServerClass: DenoServeHTTPServer });
  let f: Awaited<ReturnType<typeof live>>;
  try {
    f = await live({});
  } finally {
    Object.assign(engine, saved);
  }
  try {
    const s = await openStream(f.port);
    try {
      // Before the fix the watching read ended the response: no hello came.
      await s.until("event: hello", "the hello event");
      await new Promise((r) => setTimeout(r, 300));
      await Deno.writeTextFile(`${f.root}/page.html`, "<p>");
      await s.until('data: {"paths":["/page.html"]', "the change event");
      const started = performance.now();
      await f.server[Symbol.asyncDispose]();
      const took = performance.now() - started;
      await s.client.readToEnd();
      // Well under the 5 s that in-flight requests get.
      assert(took < 3000, `shutdown took ${took} ms with a stream open`);
    } finally {
      s.client.close();
    }
  } finally {
    await Promise.resolve(f[Symbol.asyncDispose]()).catch(() => {});
    await closeLiveHubs();
  }
});

Deno.test("Live reload's event stream answers HEAD with its head only", async () => {
  await using f = await live({});
  const { res } = await requestTarget(f.port, "/%00httpserver/events", {
    method: "HEAD",
  });
  assertEquals(res.status, 200);
  assertEquals(header(res, "Content-Type"), "text/event-stream");
});

Deno.test("Live reload adds the script to listings and to the 404 page", async () => {
  await using f = await live({
    "sub/a.txt": "a",
    "404.html": "<h1>Not here</h1></body>",
  }, { notFoundPage: "404.html" });
  const listing = (await requestTarget(f.port, "/sub/", { headers: NAV })).res;
  assertEquals(listing.status, 200);
  assert(SCRIPT.test(listing.text));
  assertEquals(
    header(listing, "Content-Length"),
    String(listing.body.length),
  );
  const missing = (await requestTarget(f.port, "/nope", { headers: NAV })).res;
  assertEquals(missing.status, 404);
  assert(missing.text.startsWith("<h1>Not here</h1><script"));
  assertEquals(header(missing, "Cache-Control"), "no-cache");
  assertEquals(header(missing, "ETag"), undefined);
  assertEquals(header(missing, "Last-Modified"), undefined);
  // Not a navigation: the compact default error.
  const fetched = (await requestTarget(f.port, "/nope.json", {
    headers: { Accept: "*/*" },
  })).res;
  assertEquals(fetched.status, 404);
  assert(fetched.text.includes("Error code: 404"));
});

Deno.test("Live reload under basePath: the script and stream live below the prefix a subclass serves the folder at", async () => {
  class Prefixed extends SimpleHTTPRequestHandler {
    override translatePath(path: string): string {
      return super.translatePath(
        path.startsWith("/app/") ? path.slice(4) : "/\0",
      );
    }
  }
  await using f = await live({ "index.html": "<body>x</body>" }, {
    Handler: Prefixed,
    basePath: "/app/",
  });
  const page = (await requestTarget(f.port, "/app/", { headers: NAV })).res;
  assert(
    page.text.includes('<script src="/app/%00httpserver/live.js" '),
    page.text,
  );
  const script = (await requestTarget(f.port, "/app/%00httpserver/live.js"))
    .res;
  assertEquals(script.status, 200);
  const outside = (await requestTarget(f.port, "/%00httpserver/live.js")).res;
  assertEquals(outside.status, 404);
  const s = await openStream(f.port, {}, "/app/%00httpserver/events");
  try {
    await s.until("event: hello", "the hello event");
  } finally {
    s.client.close();
  }
});
