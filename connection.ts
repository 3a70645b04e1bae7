// Copyright 2026 the httpserver authors. MIT license.
/**
 * The byte-stream a request handler talks to: a `Deno.Conn`, a `Deno.TlsConn`,
 * or an in-memory stand-in for tests (see `@x/httpserver/testing`).
 * @module
 */

/**
 * What a handler needs of a client connection. `Deno.Conn` and `Deno.TlsConn`
 * satisfy it as they are.
 *
 * @example Usage
 * ```ts
 * import type { Connection } from "@x/httpserver";
 * import { ok } from "node:assert/strict";
 *
 * async function echoOnce(conn: Connection): Promise<void> {
 *   const buf = new Uint8Array(1024);
 *   const n = await conn.read(buf);
 *   if (n !== null) await conn.write(buf.subarray(0, n));
 * }
 * ok(typeof echoOnce === "function");
 * ```
 */
export interface Connection {
  /** Reads into `p`; resolves to the number of bytes read, or `null` at EOF. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes from `p`; resolves to the number of bytes written (maybe fewer). */
  write(p: Uint8Array): Promise<number>;
  /** Closes the connection. */
  close(): void;
  /**
   * Ends the write side (TCP: `shutdown(SHUT_WR)`) while reading goes on,
   * where the transport has it: the server's lingering close uses it.
   */
  closeWrite?(): Promise<void>;
  /** The peer's address, when it has one. */
  readonly remoteAddr?: Deno.Addr;
  /** Turns Nagle's algorithm off (`true`) or on, where the transport has it. */
  setNoDelay?(noDelay?: boolean): void;
}
