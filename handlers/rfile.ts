// Copyright 2026 the httpserver authors. MIT license.
/**
 * `rfile`: the request body as a Web stream, with Python-style `read()`,
 * `readline()` and `read1()` shortcuts.
 * @module
 */
import type { BodyReader } from "./_http1/body_reader.ts";
import { concatBytes } from "../_bytes.ts";

const READ_CHUNK = 65536;

/**
 * The request body as a `ReadableStream<Uint8Array>`, bounded to the body:
 * reading it to its end never reads into the next request.
 *
 * A malformed body makes reads reject with an `Error` whose `name` is
 * `"ProtocolError"` and whose `message` says what was wrong (`Bad chunked
 * encoding`, `Incomplete request body` when the client closed early). Let
 * it propagate from `doVERB`: when nothing of the response was written yet,
 * the handler answers it (400, the message as reason phrase) and closes the
 * connection. A reset connection, or one the server closed because the body
 * stalled (`ioTimeout`), rejects with Deno's connection errors
 * (`Deno.errors.ConnectionReset`, `Deno.errors.BadResource`...).
 *
 * @example Read a body line by line, or whole
 * ```ts
 * import { BaseHTTPRequestHandler } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { ok } from "node:assert/strict";
 *
 * class Lines extends BaseHTTPRequestHandler {
 *   async doPOST(): Promise<void> {
 *     const first = new TextDecoder().decode(await this.rfile.readline());
 *     const rest = await this.rfile.text();
 *     this.sendResponse(200);
 *     await this.endHeaders();
 *     await this.wfile.write(`first=${first.trim()} rest=${rest}`);
 *   }
 *   override logMessage(): void {}
 * }
 * const conn = await runHandler(
 *   Lines,
 *   "POST / HTTP/1.0\r\nContent-Length: 8\r\n\r\none\ntwo\nGET / HTTP/1.0\r\n\r\n",
 * );
 * ok(conn.text().endsWith("first=one rest=two\n"));
 * ```
 *
 * @example A malformed chunked body
 * ```ts
 * import { BaseHTTPRequestHandler } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { ok, strictEqual } from "node:assert/strict";
 *
 * let seen = "";
 * class Upload extends BaseHTTPRequestHandler {
 *   async doPOST(): Promise<void> {
 *     try {
 *       await this.rfile.read();
 *     } catch (error) {
 *       seen = `${(error as Error).name}: ${(error as Error).message}`;
 *       throw error; // answered with 400 Bad chunked encoding
 *     }
 *   }
 *   override logMessage(): void {}
 * }
 * const conn = await runHandler(
 *   Upload,
 *   "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
 * );
 * strictEqual(seen, "ProtocolError: Bad chunked encoding");
 * ok(conn.text().startsWith("HTTP/1.0 400 Bad chunked encoding\r\n"));
 * ```
 */
export class RFile extends ReadableStream<Uint8Array> {
  #body: BodyReader;
  /** Bytes read ahead by `readline()` and not handed out yet. */
  #ahead: Uint8Array<ArrayBuffer> | null = null;

  /** Made by the handler for each request (`rfile`). */
  constructor(body: BodyReader) {
    let self: RFile | null = null;
    super({
      async pull(controller) {
        const chunk = await self!.read1(READ_CHUNK);
        if (chunk.length === 0) controller.close();
        else controller.enqueue(chunk);
      },
    }, { highWaterMark: 0 });
    self = this;
    this.#body = body;
  }

  /** Reads at most `n` bytes, whatever one read gives (empty at the end). */
  async read1(n: number = READ_CHUNK): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#ahead) {
      const ahead = this.#ahead;
      if (ahead.length <= n) {
        this.#ahead = null;
        return ahead;
      }
      this.#ahead = ahead.subarray(n);
      return ahead.subarray(0, n);
    }
    const buf = new Uint8Array(Math.min(n, READ_CHUNK));
    const got = await this.#body.read(buf);
    return got === null ? new Uint8Array(0) : buf.subarray(0, got);
  }

  /**
   * Python's `rfile.readinto(b)`: reads at most `buffer.length` bytes into
   * `buffer`, whatever one read gives, and returns how many (0 at the end
   * of the body). Unlike `read1()` it allocates nothing, for code that
   * streams a large body through one buffer.
   */
  async readinto(buffer: Uint8Array): Promise<number> {
    if (this.#ahead) {
      const ahead = this.#ahead;
      const n = Math.min(ahead.length, buffer.length);
      buffer.set(ahead.subarray(0, n));
      this.#ahead = n === ahead.length ? null : ahead.subarray(n);
      return n;
    }
    if (buffer.length === 0) return 0;
    return await this.#body.read(buffer) ?? 0;
  }

  /**
   * Python's `rfile.read(n)`: reads `n` bytes, fewer only at the end of the
   * body; without `n`, the whole rest of the body.
   */
  async read(n?: number): Promise<Uint8Array<ArrayBuffer>> {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let total = 0;
    while (n === undefined || total < n) {
      const chunk = await this.read1(
        n === undefined ? READ_CHUNK : Math.min(n - total, READ_CHUNK),
      );
      if (chunk.length === 0) break;
      parts.push(chunk);
      total += chunk.length;
    }
    return concatBytes(parts, total);
  }

  /**
   * Python's `rfile.readline(limit)`: reads up to and including the next LF,
   * at most `limit` bytes.
   */
  async readline(limit = Infinity): Promise<Uint8Array<ArrayBuffer>> {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = await this.read1(
        Math.min(limit - total, READ_CHUNK),
      );
      if (chunk.length === 0) break;
      const i = chunk.indexOf(10);
      if (i >= 0) {
        if (i + 1 < chunk.length) {
          const rest = chunk.subarray(i + 1);
          this.#ahead = this.#ahead
            ? concatBytes([rest, this.#ahead], rest.length + this.#ahead.length)
            : rest;
        }
        parts.push(chunk.subarray(0, i + 1));
        total += i + 1;
        break;
      }
      parts.push(chunk);
      total += chunk.length;
    }
    return concatBytes(parts, total);
  }

  /** Reads the rest of the body and decodes it as UTF-8. */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.read());
  }
}
