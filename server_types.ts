// Copyright 2026 the httpserver authors. MIT license.
/**
 * The types `HTTPServer` takes: addresses, the handler interface and
 * options (`RequestHandlerClass`, which names `HTTPServer`, is in
 * `server.ts`, so that this module imports nothing back).
 * @module
 */

/**
 * A client's or server's `[host, port]`.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, type ClientAddress, HTTPServer } from "@x/httpserver";
 * import { ok, strictEqual } from "node:assert/strict";
 *
 * const address: ClientAddress = ["127.0.0.1", 0];
 * const server = new HTTPServer(address, BaseHTTPRequestHandler);
 * const [host, port]: ClientAddress = server.serverAddress;
 * strictEqual(host, "127.0.0.1");
 * ok(port > 0);
 * server.serverClose();
 * ```
 */
export type ClientAddress = [host: string, port: number];

/**
 * What the server calls on a request handler, in order (Python's `BaseRequestHandler`).
 *
 * @example A handler that is not HTTP
 * ```ts
 * import { type ClientAddress, type Connection, HTTPServer, type RequestHandler } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * class Greeter implements RequestHandler {
 *   request: Connection;
 *   constructor(request: Connection, _address: ClientAddress, _server: HTTPServer) {
 *     this.request = request;
 *   }
 *   setup(): void {}
 *   async handle(): Promise<void> {
 *     await this.request.write(new TextEncoder().encode("hello\n"));
 *   }
 *   finish(): void {}
 * }
 * await using server = new HTTPServer(["127.0.0.1", 0], Greeter);
 * server.serveForever();
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.serverPort });
 * const buf = new Uint8Array(16);
 * const n = await conn.read(buf);
 * strictEqual(new TextDecoder().decode(buf.subarray(0, n!)), "hello\n");
 * conn.close();
 * ```
 */
export interface RequestHandler {
  /** Prepares the connection. */
  setup(): void | Promise<void>;
  /** Handles requests on the connection. */
  handle(): void | Promise<void>;
  /** Runs after `handle()`, even when it throws. */
  finish(): void | Promise<void>;
}

/**
 * Options for {@linkcode HTTPServer}. Times are in milliseconds.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, HTTPServer, type HTTPServerOptions } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const options: HTTPServerOptions = { maxConnections: 64, headersTimeout: 5_000 };
 * const server = new HTTPServer(["127.0.0.1", 0], BaseHTTPRequestHandler, options);
 * strictEqual(server.maxConnections, 64);
 * strictEqual(server.headersTimeout, 5_000);
 * server.serverClose();
 * ```
 */
export interface HTTPServerOptions {
  /**
   * Bind and listen in the constructor.
   * @default {true}
   */
  bindAndActivate?: boolean;
  /**
   * Most connections served at once; further clients wait in the listen
   * queue until one ends.
   * @default {4096}
   */
  maxConnections?: number;
  /**
   * How long `shutdown()` lets in-flight requests finish before it closes
   * their connections.
   * @default {5000}
   */
  shutdownTimeout?: number;
  /**
   * Time allowed to receive the first request head of a connection
   * (slowloris guard); the connection is closed when it runs out.
   * @default {30000}
   */
  headersTimeout?: number;
  /**
   * Time a persistent connection may wait idle for its next request head.
   * @default {60000}
   */
  keepAliveTimeout?: number;
  /**
   * Time one socket read of a request body, or one write of a response, may
   * wait without progress (a client that stops sending its body or stops
   * reading); the connection is closed when it runs out. A handler's
   * `timeout` overrides it, as Python's socket timeout does.
   * @default {60000}
   */
  ioTimeout?: number;
  /**
   * After answering a request whose body (or rest of its head) it did not
   * read, such as a 413 to an upload over a limit, the server ends its
   * side of the connection and reads and drops what the client still sends,
   * for up to this long (and at most 256 MiB, and 5 s without a byte), then
   * closes: closing at once would reset the connection and could lose the
   * response (RFC 9112 section 9.6). 0 closes at once.
   * @default {30000}
   */
  lingerTimeout?: number;
}
