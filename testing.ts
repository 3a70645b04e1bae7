// Copyright 2026 the httpserver authors. MIT license.
/**
 * Tools to test request handlers without a socket, as CPython's "socketless"
 * tests do: {@linkcode MemoryConnection} feeds request bytes to a handler and
 * records every write, and {@linkcode runHandler} drives one connection.
 *
 * @example Drive a handler in memory
 * ```ts
 * import { BaseHTTPRequestHandler } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * class Teapot extends BaseHTTPRequestHandler {
 *   async doGET(): Promise<void> {
 *     await this.sendError(418);
 *   }
 *   override logMessage(): void {}
 * }
 * const conn = await runHandler(Teapot, "GET / HTTP/1.0\r\n\r\n");
 * deepStrictEqual(conn.text().split("\r\n")[0], "HTTP/1.0 418 I'm a Teapot");
 * ```
 *
 * @module
 */
import type { Connection } from "./connection.ts";
import {
  type ClientAddress,
  HTTPServer,
  type RequestHandlerClass,
} from "./server.ts";

const encoder = new TextEncoder();

/**
 * An in-memory {@linkcode Connection}: reads come from the given request bytes
 * (chunk by chunk, as if they arrived in separate packets), writes are kept.
 *
 * @example Usage
 * ```ts
 * import { MemoryConnection } from "@x/httpserver/testing";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const conn = new MemoryConnection("ping");
 * const buf = new Uint8Array(8);
 * deepStrictEqual(await conn.read(buf), 4);
 * await conn.write(new TextEncoder().encode("pong"));
 * deepStrictEqual(conn.text(), "pong");
 * deepStrictEqual(conn.writes.length, 1);
 * ```
 */
export class MemoryConnection implements Connection {
  /** Each `write()` call's bytes, in order. */
  readonly writes: Uint8Array[] = [];
  /** The peer address reported to handlers. */
  readonly remoteAddr: Deno.NetAddr;
  #chunks: Uint8Array[];
  #closed = false;

  /** Creates a connection whose peer sends `input` (a string is UTF-8). */
  constructor(
    input: string | Uint8Array | (string | Uint8Array)[] = [],
    remoteAddr: Deno.NetAddr = {
      transport: "tcp",
      hostname: "127.0.0.1",
      port: 54321,
    },
  ) {
    const parts = Array.isArray(input) ? input : [input];
    this.#chunks = parts.map((p) =>
      typeof p === "string" ? encoder.encode(p) : p.slice()
    );
    this.remoteAddr = remoteAddr;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Gives the next bytes of the input; `null` once it is used up. */
  read(p: Uint8Array): Promise<number | null> {
    if (this.#closed) {
      return Promise.reject(
        new Deno.errors.BadResource("Connection is closed"),
      );
    }
    while (this.#chunks.length && this.#chunks[0]!.length === 0) {
      this.#chunks.shift();
    }
    const chunk = this.#chunks[0];
    if (!chunk) return Promise.resolve(null);
    const n = Math.min(p.length, chunk.length);
    p.set(chunk.subarray(0, n));
    this.#chunks[0] = chunk.subarray(n);
    return Promise.resolve(n);
  }

  /** Records the bytes of one write. */
  write(p: Uint8Array): Promise<number> {
    if (this.#closed) {
      return Promise.reject(new Deno.errors.BrokenPipe("Connection is closed"));
    }
    this.writes.push(p.slice());
    return Promise.resolve(p.length);
  }

  /** Marks the connection closed. */
  close(): void {
    this.#closed = true;
  }

  /** Everything written, as one byte array. */
  output(): Uint8Array {
    const total = this.writes.reduce((n, w) => n + w.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const w of this.writes) {
      out.set(w, at);
      at += w.length;
    }
    return out;
  }

  /** Everything written, decoded as UTF-8. */
  text(): string {
    return new TextDecoder().decode(this.output());
  }
}

/**
 * Options for {@linkcode runHandler}.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler } from "@x/httpserver";
 * import { runHandler, type RunHandlerOptions } from "@x/httpserver/testing";
 * import { ok } from "node:assert/strict";
 *
 * class WhoAmI extends BaseHTTPRequestHandler {
 *   async doGET(): Promise<void> {
 *     this.sendResponse(200);
 *     await this.endHeaders();
 *     await this.wfile.write(`you are ${this.addressString()}`);
 *   }
 *   override logMessage(): void {}
 * }
 * const options: RunHandlerOptions = { clientAddress: ["192.0.2.7", 40000] };
 * const conn = await runHandler(WhoAmI, "GET / HTTP/1.0\r\n\r\n", options);
 * ok(conn.text().endsWith("you are 192.0.2.7"));
 * ```
 */
export interface RunHandlerOptions {
  /** The server the handler sees; by default one that is not bound. */
  server?: HTTPServer;
  /** The client address the handler sees. */
  clientAddress?: ClientAddress;
}

/**
 * Runs `Handler` over an in-memory connection carrying `input`, through
 * setup, handle and finish, and returns the connection with what was written.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * class Quiet extends BaseHTTPRequestHandler {
 *   override logMessage(): void {}
 * }
 * const conn = await runHandler(Quiet, "BREW / HTTP/1.0\r\n\r\n");
 * deepStrictEqual(conn.text().split("\r\n")[0], "HTTP/1.0 501 Unsupported method ('BREW')");
 * ```
 */
export async function runHandler(
  Handler: RequestHandlerClass,
  input: string | Uint8Array | (string | Uint8Array)[] | MemoryConnection,
  options: RunHandlerOptions = {},
): Promise<MemoryConnection> {
  const conn = input instanceof MemoryConnection
    ? input
    : new MemoryConnection(input);
  const server = options.server ??
    new HTTPServer(["127.0.0.1", 0], Handler, { bindAndActivate: false });
  const handler = new Handler(
    conn,
    options.clientAddress ?? ["127.0.0.1", 54321],
    server,
  );
  await handler.setup();
  try {
    await handler.handle();
  } finally {
    await handler.finish();
  }
  return conn;
}
