// Copyright 2026 the httpserver authors. MIT license.
/** {@linkcode ThreadingHTTPSServer}: Python's name for a concurrent HTTPS server. @module */
import { HTTPSServer } from "./https_server.ts";

/**
 * Python's `ThreadingHTTPSServer`; every server here is concurrent already.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, ThreadingHTTPSServer } from "@x/httpserver";
 * import { ok } from "node:assert/strict";
 *
 * const dir = new URL("./tests/testdata/tls/", import.meta.url).pathname;
 * const server = new ThreadingHTTPSServer(["127.0.0.1", 0], BaseHTTPRequestHandler, {
 *   certfile: dir + "cert.pem",
 *   keyfile: dir + "key.pem",
 * });
 * ok(server.serverPort > 0);
 * server.serverClose();
 * ```
 */
export class ThreadingHTTPSServer extends HTTPSServer {
  /** Kept for Python parity: connections never block process exit. */
  daemonThreads = true;
}
