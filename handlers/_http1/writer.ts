// Copyright 2026 the httpserver authors. MIT license.
/**
 * The write side of one connection. Small writes gather in a buffer of at most
 * {@linkcode SMALL_RESPONSE} bytes, so a response head and a small body reach
 * the socket in one write; the buffer goes out when it fills, when the request
 * ends, or on the next turn of the event loop when the handler waits on
 * something else (so streamed responses are not held back).
 * @module
 */
import type { Connection } from "../../connection.ts";
import type { IoStamps } from "../../_conn_state.ts";

/** Responses up to this size (head and body) go out in one write. */
export const SMALL_RESPONSE = 65536;

const INITIAL_SIZE = 4096;
/** Gathering buffers of finished connections, reused by new ones. */
const pool: Uint8Array[] = [];
const POOL_MAX = 256;

function takeBuffer(): Uint8Array {
  return pool.pop() ?? new Uint8Array(INITIAL_SIZE);
}

function giveBack(buf: Uint8Array | null): void {
  if (buf && buf.length === INITIAL_SIZE && pool.length < POOL_MAX) {
    pool.push(buf);
  }
}
const noop = () => {};
const EMPTY_BUF = new Uint8Array(0);
/** The error of writes after `release()` (made once: a stack costs). */
const FINISHED = new Deno.errors.BadResource("The connection is finished");

interface QueuedChunk {
  data: Uint8Array;
  /** The gathering buffer `data` is a view of, to reuse once written. */
  backing: Uint8Array | null;
}

/**
 * Writers holding bytes that no flush has been asked for yet. One timer for
 * all of them, rather than one per response, keeps the cost of the "next
 * turn of the event loop" flush off the hot path.
 */
const dirty = new Set<ConnWriter>();
let armed = false;

function flushDirty(): void {
  armed = false;
  const writers = [...dirty];
  dirty.clear();
  for (const w of writers) w.timerFlush();
}

/** A write-gathering writer over a {@linkcode Connection}. */
export class ConnWriter {
  #conn: Connection;
  #buf: Uint8Array = takeBuffer();
  #len = 0;
  /** A second gathering buffer, swapped in while the first is written. */
  #spare: Uint8Array | null = null;
  /** Chunks waiting to go out, in order, ahead of `#buf`. */
  #queue: QueuedChunk[] = [];
  #flushing: Promise<void> | null = null;
  /** Whether this writer waits in `dirty` for the shared flush timer. */
  #listed = false;
  #error: unknown = null;
  /** Socket writes made so far (one per `Connection.write` call). */
  writes = 0;
  /** Bytes handed to this writer so far. */
  bytesWritten = 0;

  /** Called once, before the connection's second socket write. */
  #beforeSecondWrite: (() => void) | null;
  #stamps: IoStamps | null;

  /**
   * `beforeSecondWrite` runs once, just before the second socket write: the
   * place to turn Nagle's algorithm off, which a connection that only ever
   * writes once (one small response, then close) does not need.
   * `stamps.writeSince` records when a pending socket write began.
   */
  constructor(
    conn: Connection,
    beforeSecondWrite: (() => void) | null = null,
    stamps: IoStamps | null = null,
  ) {
    this.#conn = conn;
    this.#beforeSecondWrite = beforeSecondWrite;
    this.#stamps = stamps;
  }

  /** Bytes accepted but not on the socket yet. */
  get pending(): number {
    let n = this.#len;
    for (const c of this.#queue) n += c.data.length;
    return n;
  }

  /** The error that broke this writer, if any. */
  get error(): unknown {
    return this.#error;
  }

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.#buf.subarray(0, this.#len));
    this.#buf = bigger;
  }

  /**
   * Appends text encoded as ISO-8859-1. The caller has checked that every
   * character is at most U+00FF.
   */
  appendLatin1(s: string): void {
    this.#reserve(s.length);
    const buf = this.#buf;
    let at = this.#len;
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    this.#len = at;
    this.bytesWritten += s.length;
    this.#schedule();
  }

  /**
   * Queues `chunk`. Resolves at once when it fits in the gathering buffer,
   * else when it has been written. The returned promise never causes an
   * unhandled rejection when a caller does not await it.
   */
  write(chunk: Uint8Array): Promise<void> {
    if (this.#error) return this.#rejected();
    this.bytesWritten += chunk.length;
    if (this.#len + chunk.length <= SMALL_RESPONSE) {
      this.#reserve(chunk.length);
      this.#buf.set(chunk, this.#len);
      this.#len += chunk.length;
      this.#schedule();
      return Promise.resolve();
    }
    this.#seal();
    this.#queue.push({ data: chunk, backing: null });
    return this.flush();
  }

  #rejected(): Promise<void> {
    const p = Promise.reject(this.#error);
    p.catch(noop);
    return p;
  }

  /** Moves the gathering buffer to the queue and starts a fresh one. */
  #seal(): void {
    if (this.#len === 0) return;
    this.#queue.push({
      data: this.#buf.subarray(0, this.#len),
      backing: this.#buf,
    });
    this.#buf = this.#spare ?? takeBuffer();
    this.#spare = null;
    this.#len = 0;
  }

  #schedule(): void {
    if (!this.#listed && this.#flushing === null) {
      this.#listed = true;
      dirty.add(this);
      if (!armed) {
        armed = true;
        setTimeout(flushDirty, 0);
      }
    }
  }

  #clearTimer(): void {
    if (this.#listed) {
      this.#listed = false;
      dirty.delete(this);
    }
  }

  /** @internal Called by the shared timer. */
  timerFlush(): void {
    this.#listed = false;
    this.flush().catch(noop);
  }

  /** Writes everything accepted so far to the socket. */
  flush(): Promise<void> {
    this.#clearTimer();
    if (this.#error) return this.#rejected();
    if (this.#flushing) {
      // A flush is running; it drains the buffer too before it finishes.
      return this.#flushing;
    }
    if (this.#len === 0 && this.#queue.length === 0) return Promise.resolve();
    const p: Promise<void> = this.#drain().finally(() => {
      if (this.#flushing === p) this.#flushing = null;
    });
    p.catch(noop);
    this.#flushing = p;
    return p;
  }

  async #drain(): Promise<void> {
    try {
      while (true) {
        if (this.#queue.length === 0) {
          if (this.#len === 0) {
            // Done. Clear at once, not in the promise's finally: a write
            // queued before that ran would get this promise back and see it
            // settle with its bytes still queued.
            this.#flushing = null;
            return;
          }
          this.#seal();
        }
        const chunk = this.#queue.shift()!;
        await this.#writeAll(chunk.data);
        if (chunk.backing && this.#spare === null) this.#spare = chunk.backing;
      }
    } catch (error) {
      this.#error = error;
      this.#queue.length = 0;
      this.#len = 0;
      throw error;
    }
  }

  async #writeAll(p: Uint8Array): Promise<void> {
    const stamps = this.#stamps;
    let off = 0;
    try {
      while (off < p.length) {
        if (this.writes === 1 && this.#beforeSecondWrite) {
          this.#beforeSecondWrite();
          this.#beforeSecondWrite = null;
        }
        this.writes++;
        if (stamps) stamps.writeSince = performance.now();
        off += await this.#conn.write(off === 0 ? p : p.subarray(off));
      }
    } finally {
      if (stamps) stamps.writeSince = -1;
    }
  }

  /**
   * Gives the buffers back for another connection, once nothing is queued;
   * the writer must not be used after this.
   */
  release(): void {
    if (this.#flushing || this.#queue.length) return;
    this.#clearTimer();
    giveBack(this.#buf);
    giveBack(this.#spare);
    this.#buf = EMPTY_BUF;
    this.#spare = null;
    this.#len = 0;
    this.#error ??= FINISHED;
  }

  /** Drops what is buffered and stops the flush timer. */
  discard(): void {
    this.#clearTimer();
    this.#len = 0;
    this.#queue.length = 0;
  }
}
