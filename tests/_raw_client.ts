// Copyright 2026 the httpserver authors. MIT license.
/**
 * The tests' raw-socket HTTP/1.x client: request bytes go out exactly as
 * given, and responses are read back without an HTTP library in between.
 *
 * - {@linkcode RawClient}: one connection. Send bytes; read one response at a
 *   time (framed by Content-Length, chunked coding, or the close); read until
 *   some bytes or text arrived, or until the server closes. Every wait is
 *   bounded: an operation that takes longer than the client's `timeout`
 *   (default `WAIT_MS` of _util.ts) throws, and the test fails.
 * - {@linkcode request}: one request on a fresh connection, one response.
 * - {@linkcode readUntilClose}: one request on a fresh connection, every byte
 *   until the server closes.
 * - {@linkcode exchange}: an observed exchange, for tests about how a server
 *   ends connections: parts sent with gaps, a deadline that ends the exchange
 *   (reported, never thrown), resets reported rather than thrown.
 * - `header`, `headerValues`, `statusOf`, `headOf`, `countResponses` and the `RawResponse`
 *   type: reading a response or raw response text (from _raw_response.ts,
 *   re-exported here so that tests import one module).
 *
 * Bytes: a string is sent as UTF-8 (use `latin1Encode()` from `_text.ts` to
 * send one byte per character, 0x80-0xFF included). Wire text comes back as
 * Latin-1, one character per byte; a response's `text` is its body as UTF-8.
 * @module
 */
import { latin1Decode } from "../_text.ts";
import { engine, WAIT_MS, withTimeout } from "./_util.ts";
import {
  type ByteSource,
  type RawResponse,
  type ReadOptions,
  readResponse,
  readToEnd,
} from "./_raw_response.ts";

export {
  countResponses,
  header,
  headerValues,
  headOf,
  type RawResponse,
  type ReadOptions,
  statusOf,
} from "./_raw_response.ts";

const encoder = new TextEncoder();
/** Free buffer space each socket read asks for, at the least. */
const MIN_READ = 16384;

/** Bytes to send: a string goes out as UTF-8. */
export type Wire = string | Uint8Array;

function bytesOf(data: Wire): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** Whether `error` is the peer resetting (or aborting) the connection. */
function isReset(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted;
}

/** The bytes received on a socket and not consumed yet. */
class SocketBuffer implements ByteSource {
  #conn: Deno.Conn;
  #buf: Uint8Array = new Uint8Array(MIN_READ);
  #start = 0;
  #end = 0;
  /** The peer has closed (or reset) the connection. */
  eof = false;
  /** The peer reset the connection. */
  reset = false;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  get buffered(): Uint8Array {
    return this.#buf.subarray(this.#start, this.#end);
  }

  async fill(): Promise<boolean> {
    if (this.eof) return false;
    if (this.#buf.length - this.#end < MIN_READ) {
      const live = this.#end - this.#start;
      let size = this.#buf.length;
      while (size - live < MIN_READ || size < 2 * live) size *= 2;
      const target = size === this.#buf.length
        ? this.#buf
        : new Uint8Array(size);
      target.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = target;
      this.#start = 0;
      this.#end = live;
    }
    let n: number | null;
    try {
      n = await this.#conn.read(this.#buf.subarray(this.#end));
    } catch (error) {
      if (!isReset(error)) throw error;
      this.reset = true;
      n = null;
    }
    if (n === null) {
      this.eof = true;
      return false;
    }
    this.#end += n;
    return true;
  }

  take(n: number): Uint8Array {
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }
}

/** Options of {@linkcode RawClient.connect}. */
export interface ClientOptions {
  /** Default `127.0.0.1`. */
  hostname?: string;
  /** The bound (ms) of each operation, connecting included. */
  timeout?: number;
}

/** A raw HTTP/1.x client on one connection; dispose it to close. */
export class RawClient implements Disposable {
  /** The socket. */
  readonly conn: Deno.Conn;
  /** The bound of each operation, in ms (`Infinity`: unbounded). */
  readonly timeout: number;
  #in: SocketBuffer;

  /** Wraps a connected socket. */
  constructor(conn: Deno.Conn, timeout: number = WAIT_MS) {
    this.conn = conn;
    this.timeout = timeout;
    this.#in = new SocketBuffer(conn);
  }

  /** Connects to `hostname` (default 127.0.0.1) on `port`. */
  static async connect(
    port: number,
    options: ClientOptions = {},
  ): Promise<RawClient> {
    const { hostname = "127.0.0.1", timeout = WAIT_MS } = options;
    const connecting = Deno.connect({ hostname, port });
    const conn = timeout === Infinity ? await connecting : await withTimeout(
      connecting,
      `connecting to ${hostname}:${port}`,
      timeout,
    );
    return new RawClient(conn, timeout);
  }

  #bounded<T>(promise: Promise<T>, reason: string): Promise<T> {
    return this.timeout === Infinity
      ? promise
      : withTimeout(promise, reason, this.timeout);
  }

  /** Bytes received and not consumed yet (a view, valid until the next read). */
  get buffered(): Uint8Array {
    return this.#in.buffered;
  }

  /** Whether the server has closed (or reset) the connection. */
  get eof(): boolean {
    return this.#in.eof;
  }

  /** Whether the server reset the connection (a read counts it as the end). */
  get reset(): boolean {
    return this.#in.reset;
  }

  /** Sends all of `data`. */
  send(data: Wire): Promise<void> {
    const bytes = bytesOf(data);
    return this.#bounded(
      (async () => {
        let off = 0;
        while (off < bytes.length) {
          off += await this.conn.write(bytes.subarray(off));
        }
      })(),
      `sending ${bytes.length} bytes`,
    );
  }

  /** Half-closes the client's side: the server reads EOF. */
  closeWrite(): Promise<void> {
    return this.#bounded(this.conn.closeWrite(), "half-closing");
  }

  /** Reads once more from the socket; false once the server has closed. */
  more(): Promise<boolean> {
    return this.#bounded(this.#in.fill(), "reading from the server");
  }

  /** Reads until at least `count` bytes are buffered, or the close; the bytes buffered. */
  receive(count: number): Promise<number> {
    return this.#bounded(
      (async () => {
        while (this.buffered.length < count && await this.#in.fill()) {
          /* more */
        }
        return this.buffered.length;
      })(),
      `receiving ${count} bytes`,
    );
  }

  /**
   * Reads until `done(text)` holds for the buffered bytes as Latin-1 text,
   * or the close; whether it held.
   */
  readUntil(done: (text: string) => boolean): Promise<boolean> {
    return this.#bounded(
      (async () => {
        while (!done(latin1Decode(this.buffered))) {
          if (!await this.#in.fill()) return false;
        }
        return true;
      })(),
      "reading until the expected bytes arrive",
    );
  }

  /** Every byte until the server closes, what is buffered included. */
  readToEnd(): Promise<Uint8Array> {
    return this.#bounded(
      readToEnd(this.#in),
      "reading until the server closes",
    );
  }

  /** Whether the server closed with nothing more to read (waits for a read). */
  async closed(): Promise<boolean> {
    if (this.buffered.length) return false;
    return !await this.more();
  }

  /** Reads one response. */
  read(options: ReadOptions = {}): Promise<RawResponse> {
    return this.#bounded(readResponse(this.#in, options), "reading a response");
  }

  /** Reads `count` responses, one after the other. */
  async readResponses(
    count: number,
    options: ReadOptions = {},
  ): Promise<RawResponse[]> {
    const out: RawResponse[] = [];
    for (let i = 0; i < count; i++) out.push(await this.read(options));
    return out;
  }

  /** Closes the connection (again is fine). */
  close(): void {
    try {
      this.conn.close();
    } catch { /* closed already */ }
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** Sends `req` on a fresh connection and reads one response. */
export async function request(
  port: number,
  req: Wire,
  options: ReadOptions & ClientOptions = {},
): Promise<RawResponse> {
  using client = await RawClient.connect(port, options);
  await client.send(req);
  return await client.read(options);
}

/**
 * Sends `req` on a fresh connection and reads until the server closes;
 * everything it sent, as Latin-1 text.
 */
export async function readUntilClose(
  port: number,
  req: Wire,
  options: ClientOptions = {},
): Promise<string> {
  using client = await RawClient.connect(port, options);
  await client.send(req);
  // Deno.serve keeps an HTTP/1.1 connection open until the client is done.
  if (engine.name === "serve") await client.closeWrite();
  return latin1Decode(await client.readToEnd());
}

/** How an {@linkcode exchange} ended. */
export interface Exchange {
  /** Everything the server sent. */
  data: Uint8Array;
  /** `data` as Latin-1 text (one character per byte). */
  text: string;
  /** The server closed the connection (EOF or reset) before the deadline. */
  closed: boolean;
  /** The connection was reset rather than closed in order. */
  reset: boolean;
  /** The deadline passed with the connection still open. */
  timedOut: boolean;
  /** Milliseconds from the connection to the end. */
  elapsed: number;
}

/** Options of {@linkcode exchange}. */
export interface ExchangeOptions {
  /** Milliseconds before the client gives up and closes (default 5000). */
  deadline?: number;
  /** Milliseconds to wait between the parts. */
  gap?: number;
  /** Half-close the client's side after the last part. */
  closeWrite?: boolean;
  /**
   * Stop reading (and close) once this holds for the text received
   * (checked after each read).
   */
  until?: (text: string) => boolean;
}

/**
 * Connects to `port`, writes `parts` one by one, and reads until the server
 * closes, `until` holds, or `deadline` ms pass. Reports how it ended; a
 * deadline, a reset or a broken pipe never throws.
 */
export async function exchange(
  port: number,
  parts: Wire | Wire[],
  options: ExchangeOptions = {},
): Promise<Exchange> {
  const { deadline = 5000, gap = 0, closeWrite = false, until } = options;
  const list = Array.isArray(parts) ? parts : [parts];
  // The deadline bounds every step: the client itself waits unbounded.
  const client = new RawClient(
    await withTimeout(
      Deno.connect({ hostname: "127.0.0.1", port }),
      `connecting to port ${port}`,
      deadline,
    ),
    Infinity,
  );
  const started = performance.now();
  let closed = false;
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    client.close();
  }, deadline);
  const reading = (async () => {
    try {
      do {
        if (!await client.more()) {
          closed = true;
          return;
        }
      } while (!until?.(latin1Decode(client.buffered)));
    } catch (error) {
      if (
        !expired && !(error instanceof Deno.errors.BadResource) &&
        !(error instanceof Deno.errors.Interrupted)
      ) throw error;
    }
  })();
  try {
    for (let i = 0; i < list.length; i++) {
      if (i > 0 && gap > 0) await new Promise((r) => setTimeout(r, gap));
      if (closed || expired) break;
      try {
        await client.send(list[i]!);
      } catch {
        break; // The server closed first; what it sent is still read.
      }
    }
    if (closeWrite && !closed && !expired) {
      try {
        await client.closeWrite();
      } catch { /* closed already */ }
    }
    await reading;
  } finally {
    clearTimeout(timer);
    if (!expired) client.close();
  }
  const data = client.buffered.slice();
  return {
    data,
    text: latin1Decode(data),
    closed,
    reset: client.reset,
    timedOut: expired && !closed,
    elapsed: performance.now() - started,
  };
}
