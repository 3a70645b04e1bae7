// Copyright 2026 the httpserver authors. MIT license.
/**
 * A request body bounded to its framing: `Content-Length`, or a decoded
 * `Transfer-Encoding: chunked` body (RFC 9112 section 7.1).
 * @module
 */
import type { BufReader } from "./reader.ts";
import { ProtocolError } from "../../_errors.ts";

const LF = 10;

/** How a request body is framed. */
export type BodyFraming = "none" | "length" | "chunked";

const MAX_CHUNK_LINE = 4096;
const MAX_TRAILER_LINE = 65536;
const MAX_TRAILERS = 100;

/**
 * The body of one request, bounded to its framing: reading it to its end
 * never consumes the next request.
 */
export class BodyReader {
  #reader: BufReader;
  #framing: BodyFraming;
  /** Bytes left in the body (length) or in the current chunk (chunked). */
  #remaining: number;
  #done: boolean;
  #consumed = 0;
  /** Called once, before the first byte of the body is read. */
  onFirstRead: (() => Promise<void>) | null = null;

  constructor(reader: BufReader, framing: BodyFraming, length = 0) {
    this.#reader = reader;
    this.#framing = framing;
    this.#remaining = framing === "length" ? length : 0;
    this.#done = framing === "none" || (framing === "length" && length === 0);
  }

  /** Whether the whole body has been read. */
  get done(): boolean {
    return this.#done;
  }

  /** Body bytes read so far. */
  get consumed(): number {
    return this.#consumed;
  }

  /** For a `Content-Length` body, the bytes not read yet; else `undefined`. */
  get remaining(): number | undefined {
    return this.#framing === "length" ? this.#remaining : undefined;
  }

  /** Reads up to `p.length` body bytes; `null` at the end of the body. */
  async read(p: Uint8Array): Promise<number | null> {
    if (this.#done) return null;
    if (this.onFirstRead) {
      const hook = this.onFirstRead;
      this.onFirstRead = null;
      await hook();
    }
    if (this.#framing === "chunked" && this.#remaining === 0) {
      await this.#nextChunk();
      if (this.#done) return null;
    }
    const want = Math.min(p.length, this.#remaining);
    const n = await this.#reader.read(p.subarray(0, want));
    if (n === null) {
      throw new ProtocolError(
        400,
        "Incomplete request body",
        "the client closed the connection before the end of the body",
      );
    }
    this.#remaining -= n;
    this.#consumed += n;
    if (this.#remaining === 0) {
      if (this.#framing === "length") this.#done = true;
      else await this.#expectCrlf();
    }
    return n;
  }

  async #expectCrlf(): Promise<void> {
    const line = await this.#reader.readLine(2);
    if (
      !(line.length === 2 && line[0] === 13 && line[1] === LF) &&
      !(line.length === 1 && line[0] === LF)
    ) {
      throw new ProtocolError(
        400,
        "Bad chunked encoding",
        "chunk data overrun",
      );
    }
  }

  async #nextChunk(): Promise<void> {
    const raw = await this.#reader.readLine(MAX_CHUNK_LINE + 1);
    if (raw.length === 0 || raw[raw.length - 1] !== LF) {
      throw new ProtocolError(
        400,
        "Bad chunked encoding",
        raw.length > MAX_CHUNK_LINE
          ? "chunk size line too long"
          : "incomplete chunk size line",
      );
    }
    let end = raw.length - 1;
    if (end > 0 && raw[end - 1] === 13) end--;
    let size = 0;
    let digits = 0;
    let i = 0;
    for (; i < end; i++) {
      const c = raw[i]!;
      const v = c >= 48 && c <= 57
        ? c - 48
        : c >= 97 && c <= 102
        ? c - 87
        : c >= 65 && c <= 70
        ? c - 55
        : -1;
      if (v < 0) break;
      size = size * 16 + v;
      digits++;
    }
    // After the size: nothing, or optional whitespace and `;` extensions.
    while (i < end && (raw[i] === 32 || raw[i] === 9)) i++;
    if (digits === 0 || digits > 12 || (i < end && raw[i] !== 59)) {
      throw new ProtocolError(
        400,
        "Bad chunked encoding",
        "invalid chunk size",
      );
    }
    if (size === 0) {
      await this.#readTrailers();
      this.#done = true;
      return;
    }
    this.#remaining = size;
  }

  async #readTrailers(): Promise<void> {
    for (let count = 0;; count++) {
      const line = await this.#reader.readLine(MAX_TRAILER_LINE + 1);
      if (line.length === 0 || line[line.length - 1] !== LF) {
        throw new ProtocolError(
          400,
          "Bad chunked encoding",
          "incomplete trailer section",
        );
      }
      if (line.length <= 2 && (line.length === 1 || line[0] === 13)) return;
      if (count >= MAX_TRAILERS) {
        throw new ProtocolError(
          400,
          "Bad chunked encoding",
          "too many trailers",
        );
      }
    }
  }

  /**
   * Reads and drops what is left of the body, up to `limit` bytes; true when
   * the body ended within the limit.
   */
  async discard(limit: number): Promise<boolean> {
    if (this.#done) return true;
    if (this.#framing === "length" && this.#remaining > limit) return false;
    const scratch = new Uint8Array(Math.min(limit, 16384) || 1);
    let dropped = 0;
    while (!this.#done) {
      if (dropped >= limit) return false;
      const n = await this.read(scratch);
      if (n === null) break;
      dropped += n;
    }
    return true;
  }
}
