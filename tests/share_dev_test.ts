// Copyright 2026 the httpserver authors. MIT license.
/**
 * The sharing features and the development features together, over real
 * sockets: `shareDirectory()` with the development options, live reload
 * under a secret path, listings with the development extras, automatic
 * stops with an open live-reload stream.
 */
import { ok, strictEqual } from "node:assert/strict";
import { type Share, shareDirectory, type ShareOptions } from "../share.ts";
import { closeLiveHubs } from "../handlers/_dev/live_hub.ts";

const NAV = { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
const dec = new TextDecoder();

/** A share of a fresh folder holding `files`, undone by `undo`. */
async function shared(
  undo: AsyncDisposableStack,
  files: Record<string, string>,
  options: ShareOptions = {},
): Promise<{ share: Share; dir: string; base: string }> {
  const dir = await Deno.makeTempDir({ prefix: "httpserver-share-dev-" });
  undo.defer(() => Deno.remove(dir, { recursive: true }));
  for (const [name, text] of Object.entries(files)) {
    const path = `${dir}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  undo.defer(closeLiveHubs);
  const share = await shareDirectory({
    directory: dir,
    hostname: "127.0.0.1",
    port: 0,
    quiet: true,
    ...options,
  });
  undo.use(share);
  return { share, dir, base: share.url.replace(/\/$/, "") };
}

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
  const { base } = await shared(undo, {
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
