// Copyright 2026 the httpserver authors. MIT license.
/**
 * The write side of one connection. Small writes gather in a buffer of at most
 * {@linkcode SMALL_RESPONSE} bytes, so a response head and a small body reach
 * the socket in one write; the buffer goes out when it fills, when the request
 * ends, or on the next turn of the event loop when the handler waits on
 * something else (so streamed responses are not held back).
 *
 * Memory. A gathering buffer is taken from a pool of a few sizes when the
 * first byte of a response arrives, and given back as soon as it has been
 * written: a connection between responses holds none.
 * @module
 */
import type { Connection } from "../../connection.ts";
import type { IoStamps } from "../../_conn_state.ts";

/** Responses up to this size (head and body) go out in one write. */
export const SMALL_RESPONSE = 65536;

/** Gathering buffer sizes, smallest first, and how many of each are kept. */
const SIZES = [4096, 16384, SMALL_RESPONSE];
const KEEP = [256, 64, 16];
const pools: Uint8Array[][] = SIZES.map(() => []);

/** A gathering buffer of at least `n` bytes (`n` at most SMALL_RESPONSE). */
function takeBuffer(n: number): Uint8Array {
  for (let i = 0; i < SIZES.length; i++) {
    if (n <= SIZES[i]!) return pools[i]!.pop() ?? new Uint8Array(SIZES[i]!);
  }
  return new Uint8Array(n);
}

function giveBack(buf: Uint8Array): void {
  const i = SIZES.indexOf(buf.length);
  if (i >= 0 && pools[i]!.length < KEEP[i]!) pools[i]!.push(buf);
}

const noop = () => {};
const EMPTY_BUF = new Uint8Array(0);
const RESOLVED: Promise<void> = Promise.resolve();
/** The error of writes after `release()` (made once: a stack costs). */
const FINISHED = new Deno.errors.BadResource("The connection is finished");

interface QueuedChunk {
  data: Uint8Array;
  /** The pooled gathering buffer `data` is a view of, to give back once written. */
  backing: Uint8Array | null;
}

/**
 * Writers holding bytes that no flush has been asked for yet. One timer for
 * all of them, rather than one per response, keeps the cost of the "next
 * turn of the event loop" flush off the hot path. A writer flushed before
 * the timer fires is only unlisted (its flag), not removed.
 */
let dirty: ConnWriter[] = [];
let armed = false;

function flushDirty(): void {
  armed = false;
  const writers = dirty;
  dirty = [];
  for (const w of writers) w.timerFlush();
}

/** A write-gathering writer over a {@linkcode Connection}. */
export class ConnWriter {
  #conn: Connection;
  /** The gathering buffer: EMPTY_BUF while nothing is gathered. */
  #buf: Uint8Array = EMPTY_BUF;
  #len = 0;
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

  /** Whether every byte accepted is on the socket and no write runs. */
  get idle(): boolean {
    return this.#len === 0 && this.#flushing === null;
  }

  /** The error that broke this writer, if any. */
  get error(): unknown {
    return this.#error;
  }

  /** Makes room for `n` more bytes in the gathering buffer. */
  #reserve(n: number): void {
    const need = this.#len + n;
    const buf = this.#buf;
    if (need <= buf.length) return;
    const bigger = takeBuffer(need);
    if (this.#len) bigger.set(buf.subarray(0, this.#len));
    if (buf !== EMPTY_BUF) giveBack(buf);
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

  /** Copies `bytes` into the gathering buffer (they are at most SMALL_RESPONSE). */
  append(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
    this.bytesWritten += bytes.length;
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
      return RESOLVED;
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

  /** Moves the gathering buffer to the queue. */
  #seal(): void {
    if (this.#len === 0) return;
    this.#queue.push({
      data: this.#buf.subarray(0, this.#len),
      backing: this.#buf,
    });
    this.#buf = EMPTY_BUF;
    this.#len = 0;
  }

  #schedule(): void {
    if (!this.#listed && this.#flushing === null) {
      this.#listed = true;
      dirty.push(this);
      if (!armed) {
        armed = true;
        setTimeout(flushDirty, 0);
      }
    }
  }

  #clearTimer(): void {
    this.#listed = false;
  }

  /** @internal Called by the shared timer. */
  timerFlush(): void {
    if (!this.#listed) return;
    this.#listed = false;
    this.flush().catch(noop);
  }

  /** Writes everything accepted so far to the socket. */
  flush(): Promise<void> {
    this.#clearTimer();
    if (this.#error) return this.#rejected();
    // A flush is running: it drains the buffer too before it finishes.
    if (this.#flushing) return this.#flushing;
    if (this.#len === 0 && this.#queue.length === 0) return RESOLVED;
    const p = this.#flushing = this.#pump()!;
    p.catch(noop);
    return p;
  }

  /** The chunk being written, the bytes of it written, and its buffer. */
  #chunk: Uint8Array = EMPTY_BUF;
  #off = 0;
  #backing: Uint8Array | null = null;

  /**
   * Starts writing the next chunk; when nothing is left, ends the flush and
   * returns nothing. Promise callbacks made once per writer, rather than an
   * async function's frame per flush, carry it from write to write.
   */
  #pump(): Promise<void> | undefined {
    const next = this.#queue.shift();
    if (next) {
      this.#chunk = next.data;
      this.#backing = next.backing;
    } else if (this.#len) {
      // The usual case: one gathering buffer, no queue.
      this.#backing = this.#buf;
      this.#chunk = this.#buf.subarray(0, this.#len);
      this.#buf = EMPTY_BUF;
      this.#len = 0;
    } else {
      // Done. Clear at once: a write queued after this point must start a
      // new flush, not get this one back.
      this.#flushing = null;
      return undefined;
    }
    this.#off = 0;
    return this.#writeSome();
  }

  #writeSome(): Promise<void> {
    if (this.writes === 1 && this.#beforeSecondWrite) {
      this.#beforeSecondWrite();
      this.#beforeSecondWrite = null;
    }
    this.writes++;
    if (this.#stamps) this.#stamps.writeSince = performance.now();
    const data = this.#chunk;
    let written: Promise<number>;
    try {
      written = this.#conn.write(this.#off ? data.subarray(this.#off) : data);
    } catch (error) {
      written = Promise.reject(error);
    }
    return written.then(this.#wrote, this.#failed);
  }

  #wrote = (n: number): Promise<void> | undefined => {
    if (this.#stamps) this.#stamps.writeSince = -1;
    this.#off += n;
    if (this.#off < this.#chunk.length) return this.#writeSome();
    if (this.#backing) giveBack(this.#backing);
    this.#chunk = EMPTY_BUF;
    this.#backing = null;
    return this.#pump();
  };

  #failed = (error: unknown): never => {
    if (this.#stamps) this.#stamps.writeSince = -1;
    this.#error = error;
    this.#queue.length = 0;
    this.#buf = EMPTY_BUF;
    this.#len = 0;
    this.#chunk = EMPTY_BUF;
    this.#backing = null;
    this.#flushing = null;
    throw error;
  };

  /**
   * Gives the buffers back for another connection, once nothing is queued;
   * the writer must not be used after this.
   */
  release(): void {
    if (this.#flushing || this.#queue.length) return;
    this.#clearTimer();
    if (this.#buf !== EMPTY_BUF) giveBack(this.#buf);
    this.#buf = EMPTY_BUF;
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
