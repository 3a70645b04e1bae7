// Copyright 2026 the httpserver authors. MIT license.
/**
 * Buffered reading of one connection: request lines and header lines with
 * Python's byte limits, and raw bytes for the body reader.
 *
 * Memory. A connection waiting for its next request holds a small buffer
 * ({@linkcode IDLE_SIZE} bytes, pooled): a short request head (a script's,
 * a benchmark's) arrives whole in it and is parsed in place. Only a head
 * that outgrows it, or a body, takes a {@linkcode LARGE_SIZE} buffer from a
 * bounded pool, given back once the request is over and nothing is left
 * in it. So an idle keep-alive connection costs a few hundred bytes of
 * buffer, not kilobytes.
 * @module
 */
import type { Connection } from "../../connection.ts";
import type { IoStamps } from "../../_conn_state.ts";

/** The buffer of a connection waiting for a request. */
export const IDLE_SIZE = 512;
/** The buffer of a request whose head or body outgrows the idle one. */
export const LARGE_SIZE = 8192;
const idlePool: Uint8Array[] = [];
const largePool: Uint8Array[] = [];
const IDLE_POOL_MAX = 1024;
const LARGE_POOL_MAX = 128;
const LF = 10;
const EMPTY = new Uint8Array(0);

function give(pool: Uint8Array[], max: number, buf: Uint8Array): void {
  if (pool.length < max) pool.push(buf);
}

/** A read buffer over a {@linkcode Connection}. */
export class BufReader {
  #conn: Connection;
  #stamps: IoStamps | null;
  #buf: Uint8Array = EMPTY;
  /** Whether `#buf` is a pooled large buffer (else the idle one, or EMPTY). */
  #large = false;
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

  /**
   * Makes room for one more read: the idle buffer for the first read of a
   * request, else a large one (from the pool; compacted, or doubled, when
   * full).
   */
  #room(): void {
    if (this.#start === this.#end) this.#start = this.#end = 0;
    const buf = this.#buf;
    if (buf === EMPTY) {
      this.#buf = idlePool.pop() ?? new Uint8Array(IDLE_SIZE);
    } else if (!this.#large) {
      // The first read of a request goes in the idle buffer; a second one
      // (the head goes on) in a large buffer.
      if (this.#end > 0) this.#grow(LARGE_SIZE);
    } else if (this.#end === buf.length) {
      if (this.#start > 0) {
        buf.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#start = 0;
      } else this.#grow(buf.length * 2);
    }
  }

  /** Moves the unread bytes to a larger buffer of `size` bytes. */
  #grow(size: number): void {
    const buf = this.#buf;
    const next = size === LARGE_SIZE
      ? largePool.pop() ?? new Uint8Array(LARGE_SIZE)
      : new Uint8Array(size);
    next.set(buf.subarray(this.#start, this.#end));
    if (!this.#large) give(idlePool, IDLE_POOL_MAX, buf);
    else if (buf.length === LARGE_SIZE) give(largePool, LARGE_POOL_MAX, buf);
    this.#end -= this.#start;
    this.#start = 0;
    this.#buf = next;
    this.#large = true;
  }

  /** Reads once more from the connection; false at EOF. */
  #fill(): Promise<boolean> {
    if (this.#failure !== null) {
      const { error } = this.#failure;
      this.#failure = null;
      return Promise.reject(error);
    }
    this.#room();
    const end = this.#end;
    const buf = this.#buf;
    const stamps = this.#stamps;
    if (stamps) stamps.readSince = performance.now();
    this.#reading = true;
    return this.#conn.read(end === 0 ? buf : buf.subarray(end)).then(
      this.#filled,
      this.#failed,
    );
  }

  /** The end of a `#fill()` read (made once per reader, not per read). */
  #filled = (n: number | null): boolean => {
    this.#reading = false;
    if (this.#stamps) this.#stamps.readSince = -1;
    if (n === null) {
      this.#eof = true;
      return false;
    }
    this.#end += n;
    return true;
  };

  #failed = (error: unknown): never => {
    this.#reading = false;
    if (this.#stamps) this.#stamps.readSince = -1;
    throw error;
  };

  /**
   * A line of at most `limit` bytes, LF included, when the buffer holds one
   * (or holds `limit` bytes without an LF: the line comes back cut); else
   * null, and nothing is consumed. At EOF, whatever is left is the line.
   */
  lineSync(limit: number): Uint8Array | null {
    const avail = this.#end - this.#start;
    const window = avail < limit ? avail : limit;
    const buf = this.#buf;
    const start = this.#start;
    const end = start + window;
    for (let i = start; i < end; i++) {
      if (buf[i] === LF) return this.#take(i - start + 1);
    }
    if (avail >= limit) return this.#take(limit);
    if (this.#eof) return this.#take(avail);
    return null;
  }

  /**
   * Reads one line, LF included, of at most `limit` bytes: Python's
   * `readline(limit)`. A line longer than `limit` comes back cut at `limit`
   * bytes; at EOF whatever is left comes back (empty when nothing is).
   * The result is a view into the buffer, valid until the next read.
   */
  async readLine(limit: number): Promise<Uint8Array> {
    while (true) {
      const line = this.lineSync(limit);
      if (line !== null) return line;
      await this.#fill();
    }
  }

  #take(n: number): Uint8Array {
    const out = this.#buf.subarray(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  /**
   * Waits until bytes arrive (true) or the peer closes (false), with no
   * bytes buffered: one read into the idle buffer. A shallow wait (no async
   * frame of its own), for connections between requests. It never
   * rejects: a failed read comes back false, and the next `readLine()`
   * throws its error.
   */
  waitForData(): Promise<boolean> | boolean {
    if (this.#start !== this.#end) return true;
    if (this.#eof || this.#failure !== null) return false;
    this.#room();
    const stamps = this.#stamps;
    if (stamps) stamps.readSince = performance.now();
    this.#reading = true;
    return this.#conn.read(this.#buf).then(this.#filled, this.#idleFailed);
  }

  /** The error of a failed `waitForData()`, thrown by the next read. */
  #failure: { error: unknown } | null = null;

  #idleFailed = (error: unknown): boolean => {
    this.#reading = false;
    if (this.#stamps) this.#stamps.readSince = -1;
    this.#failure = { error };
    return false;
  };

  /**
   * The request is over: a large buffer with nothing left in it goes back
   * to the pool, and the connection waits in its idle buffer again.
   */
  relax(): void {
    if (!this.#large || this.#reading || this.#start !== this.#end) return;
    if (this.#buf.length === LARGE_SIZE) {
      give(largePool, LARGE_POOL_MAX, this.#buf);
    }
    this.#buf = idlePool.pop() ?? new Uint8Array(IDLE_SIZE);
    this.#large = false;
    this.#start = this.#end = 0;
  }

  /**
   * Gives the buffer back for another connection; the reader must not be
   * used after this.
   */
  release(): void {
    // A read still in flight may yet fill the buffer: leave it to the GC.
    if (!this.#reading && this.#buf !== EMPTY) {
      if (!this.#large) give(idlePool, IDLE_POOL_MAX, this.#buf);
      else if (this.#buf.length === LARGE_SIZE) {
        give(largePool, LARGE_POOL_MAX, this.#buf);
      }
    }
    this.#buf = EMPTY;
    this.#large = false;
    this.#start = this.#end = 0;
    this.#eof = true;
  }

  /** One socket read, timed in `stamps`. */
  async #readDirect(p: Uint8Array): Promise<number | null> {
    const stamps = this.#stamps;
    if (stamps) stamps.readSince = performance.now();
    this.#reading = true;
    try {
      return await this.#conn.read(p);
    } finally {
      this.#reading = false;
      if (stamps) stamps.readSince = -1;
    }
  }

  /** Reads up to `p.length` bytes; `null` at EOF. */
  async read(p: Uint8Array): Promise<number | null> {
    if (p.length === 0) return 0;
    if (this.#start === this.#end) {
      if (this.#eof) return null;
      // Large reads bypass the buffer.
      if (p.length >= LARGE_SIZE) return await this.#readDirect(p);
      if (!this.#large) this.#toLarge();
      if (!await this.#fill()) return null;
    }
    const n = Math.min(p.length, this.#end - this.#start);
    p.set(this.#buf.subarray(this.#start, this.#start + n));
    this.#start += n;
    return n;
  }

  /** Moves to a large buffer (a body is read: fewer, larger reads). */
  #toLarge(): void {
    if (this.#buf !== EMPTY) {
      give(idlePool, IDLE_POOL_MAX, this.#buf);
    }
    this.#buf = largePool.pop() ?? new Uint8Array(LARGE_SIZE);
    this.#large = true;
    this.#start = this.#end = 0;
  }
}
