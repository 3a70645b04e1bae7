// Copyright 2026 the httpserver authors. MIT license.
/** {@linkcode ThreadingHTTPServer}: Python's name for a concurrent server. @module */
import { HTTPServer } from "./server.ts";

/**
 * Python's `ThreadingHTTPServer`. Every {@linkcode HTTPServer} already serves
 * connections concurrently; this name is for code ported from Python.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, ThreadingHTTPServer } from "@x/httpserver";
 * import { ok } from "node:assert/strict";
 *
 * const server = new ThreadingHTTPServer(["127.0.0.1", 0], BaseHTTPRequestHandler);
 * ok(server.serverPort > 0);
 * server.serverClose();
 * ```
 */
export class ThreadingHTTPServer extends HTTPServer {
  /** Kept for Python parity: connections never block process exit. */
  daemonThreads = true;
}
