// Copyright 2026 the httpserver authors. MIT license.
/**
 * Buffered reading of one connection: request lines and header lines with
 * Python's byte limits, and raw bytes for the body reader.
 * @module
 */
import type { Connection } from "../../connection.ts";
import type { IoStamps } from "../../_conn_state.ts";

const INITIAL_SIZE = 8192;
/** Initial buffers of finished connections, reused by new ones. */
const pool: Uint8Array[] = [];
const POOL_MAX = 256;
const LF = 10;
const EMPTY = new Uint8Array(0);

/** A read buffer over a {@linkcode Connection}. */
export class BufReader {
  #conn: Connection;
  #stamps: IoStamps | null;
  #buf: Uint8Array = pool.pop() ?? new Uint8Array(INITIAL_SIZE);
  #start = 0;
  #end = 0;
  #eof = false;
  #reading = false;

  /** `stamps.readSince` records when a pending socket read began. */
  constructor(conn: Connection, stamps: IoStamps | null = null) {
    this.#conn = conn;
    this.#stamps = stamps;
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
    this.#reading = true;
    let n: number | null;
    try {
      n = await this.#readDirect(this.#buf.subarray(this.#end));
    } finally {
      this.#reading = false;
    }
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

  /**
   * Gives the buffer back for another connection; the reader must not be
   * used after this.
   */
  release(): void {
    // A read still in flight may yet fill the buffer: leave it to the GC.
    if (this.#reading) return;
    if (this.#buf.length === INITIAL_SIZE && pool.length < POOL_MAX) {
      pool.push(this.#buf);
    }
    this.#buf = EMPTY;
    this.#start = this.#end = 0;
    this.#eof = true;
  }

  /** One socket read, timed in `stamps`. */
  async #readDirect(p: Uint8Array): Promise<number | null> {
    const stamps = this.#stamps;
    if (stamps) stamps.readSince = performance.now();
    try {
      return await this.#conn.read(p);
    } finally {
      if (stamps) stamps.readSince = -1;
    }
  }

  /** Reads up to `p.length` bytes; `null` at EOF. */
  async read(p: Uint8Array): Promise<number | null> {
    if (p.length === 0) return 0;
    if (this.#start === this.#end) {
      if (this.#eof) return null;
      // Large reads bypass the buffer.
      if (p.length >= this.#buf.length) return await this.#readDirect(p);
      if (!await this.#fill()) return null;
    }
    const n = Math.min(p.length, this.#end - this.#start);
    p.set(this.#buf.subarray(this.#start, this.#start + n));
    this.#start += n;
    return n;
  }
}
