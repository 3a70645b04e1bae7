// Copyright 2026 the httpserver authors. MIT license.
/**
 * Buffered reading of one connection: request lines and header lines with
 * Python's byte limits, and request bodies framed by `Content-Length` or
 * decoded from `Transfer-Encoding: chunked`.
 * @module
 */
import type { Connection } from "./connection.ts";
import { ProtocolError } from "./_errors.ts";

const INITIAL_SIZE = 8192;
const LF = 10;

/** A read buffer over a {@linkcode Connection}. */
export class BufReader {
  #conn: Connection;
  #buf: Uint8Array = new Uint8Array(INITIAL_SIZE);
  #start = 0;
  #end = 0;
  #eof = false;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  /** Bytes received and not consumed yet. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Whether the peer has closed its side and the buffer is empty. */
  get atEof(): boolean {
    return this.#eof && this.#start === this.#end;
  }

  /** Reads once more from the connection; false at EOF. */
  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
    if (this.#start === this.#end) {
      this.#start = this.#end = 0;
    } else if (this.#end === this.#buf.length) {
      if (this.#start > 0) {
        this.#buf.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#start = 0;
      } else {
        const bigger = new Uint8Array(this.#buf.length * 2);
        bigger.set(this.#buf);
        this.#buf = bigger;
      }
    }
    const n = await this.#conn.read(this.#buf.subarray(this.#end));
    if (n === null) {
      this.#eof = true;
      return false;
    }
    this.#end += n;
    return true;
  }

  /**
   * Reads one line, LF included, of at most `limit` bytes: Python's
   * `readline(limit)`. A line longer than `limit` comes back cut at `limit`
   * bytes; at EOF whatever is left comes back (empty when nothing is).
   * The result is a view into the buffer, valid until the next read.
   */
  async readLine(limit: number): Promise<Uint8Array> {
    let scanned = 0;
    while (true) {
      const avail = this.#end - this.#start;
      const window = Math.min(avail, limit);
      if (window > scanned) {
        const i = this.#buf.subarray(
          this.#start + scanned,
          this.#start + window,
        )
          .indexOf(LF);
        if (i >= 0) return this.#take(scanned + i + 1);
        scanned = window;
      }
      if (avail >= limit) return this.#take(limit);
      if (!await this.#fill()) return this.#take(this.#end - this.#start);
    }
  }

  #take(n: number): Uint8Array {
    const out = this.#buf.subarray(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  /** Reads up to `p.length` bytes; `null` at EOF. */
  async read(p: Uint8Array): Promise<number | null> {
    if (p.length === 0) return 0;
    if (this.#start === this.#end) {
      if (this.#eof) return null;
      // Large reads bypass the buffer.
      if (p.length >= this.#buf.length) return await this.#conn.read(p);
      if (!await this.#fill()) return null;
    }
    const n = Math.min(p.length, this.#end - this.#start);
    p.set(this.#buf.subarray(this.#start, this.#start + n));
    this.#start += n;
    return n;
  }
}

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
