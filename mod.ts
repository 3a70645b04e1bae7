// Copyright 2026 the httpserver authors. MIT license.
/**
 * Python's `http.server` for Deno: {@linkcode HTTPServer} and the handler
 * classes {@linkcode BaseHTTPRequestHandler},
 * {@linkcode SimpleHTTPRequestHandler} and {@linkcode CGIHTTPRequestHandler},
 * with Python's names converted mechanically (`do_GET` -> `doGET`,
 * `send_response` -> `sendResponse`).
 *
 * @example A complete handler
 * ```ts
 * import { BaseHTTPRequestHandler, HTTPServer } from "@x/httpserver";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * class Hello extends BaseHTTPRequestHandler {
 *   async doGET(): Promise<void> {
 *     this.sendResponse(200);
 *     this.sendHeader("Content-Type", "text/plain");
 *     this.sendHeader("Content-Length", "6");
 *     await this.endHeaders();
 *     await this.wfile.write("Hello\n");
 *   }
 * }
 * await using server = new HTTPServer(["127.0.0.1", 0], Hello);
 * server.serveForever();
 * const res = await fetch(`http://127.0.0.1:${server.serverPort}/`);
 * deepStrictEqual(await res.text(), "Hello\n");
 * ```
 *
 * @module
 */
export * from "./server.ts";
export * from "./https_server.ts";
export * from "./threading_http_server.ts";
export * from "./threading_https_server.ts";
export * from "./connection.ts";
export * from "./message.ts";
export * from "./handlers/base.ts";
export * from "./handlers/simple.ts";
export * from "./handlers/dev.ts";
export * from "./handlers/cgi.ts";
export * from "./fetch_handler.ts";
export * from "./deno_serve_server.ts";
export {
  DEFAULT_ERROR_CONTENT_TYPE,
  DEFAULT_ERROR_MESSAGE,
  MAX_DISCARD_BYTES,
  MAX_HEADER_BYTES,
  MAX_HEADERS,
  MAX_LINE,
  type StatusEntry,
} from "./handlers/constants.ts";
export type { RFile } from "./handlers/rfile.ts";
export type { WFile } from "./handlers/wfile.ts";
