// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode DevHTTPRequestHandler}: `SimpleHTTPRequestHandler` with the
 * development preset on (live reload, `Cache-Control: no-cache`).
 * @module
 */
import type { Connection } from "../connection.ts";
import type { ClientAddress, HTTPServer } from "../server.ts";
import { SimpleHTTPRequestHandler } from "./simple.ts";
import type { SimpleHTTPRequestHandlerOptions } from "./simple_types.ts";

export type {
  ContentCoding,
  DevOptions,
  LiveReloadOptions,
} from "./dev_types.ts";

const PRESET: SimpleHTTPRequestHandlerOptions = Object.freeze({
  liveReload: true,
  cache: "no-cache",
});

/**
 * Serves a folder for working on a site: pages reload when a file changes
 * (a stylesheet is swapped in place), and every file response says
 * `Cache-Control: no-cache`, so the browser revalidates (a cheap 304) rather
 * than reuse a stale copy. Options given to the constructor are added to
 * that preset; every other development feature (SPA fallback, 404 page,
 * isolation, compression) is an option of `SimpleHTTPRequestHandler`.
 *
 * @example A development server for the folder `site`
 * ```ts
 * import { DevHTTPRequestHandler, HTTPServer } from "@x/httpserver";
 * import { ok, strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/index.html`, "<h1>Hi</h1></body>");
 * class Dev extends DevHTTPRequestHandler {
 *   override directory = dir;
 *   override logMessage(): void {}
 * }
 * {
 *   await using server = new HTTPServer(["127.0.0.1", 0], Dev);
 *   server.serveForever();
 *   const res = await fetch(`http://127.0.0.1:${server.serverPort}/`, {
 *     headers: { Accept: "text/html" },
 *   });
 *   strictEqual(res.headers.get("cache-control"), "no-cache");
 *   ok((await res.text()).includes('<script src="/%00httpserver/live.js"'));
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class DevHTTPRequestHandler extends SimpleHTTPRequestHandler {
  /** Called by the server for each connection; `options` add to the preset. */
  constructor(
    request: Connection,
    clientAddress: ClientAddress,
    server: HTTPServer,
    options?: SimpleHTTPRequestHandlerOptions,
  ) {
    super(
      request,
      clientAddress,
      server,
      options ? { ...PRESET, ...options } : PRESET,
    );
  }
}
