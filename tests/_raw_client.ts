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
 * - {@linkcode header}, {@linkcode statusOf}, {@linkcode headOf},
 *   {@linkcode countResponses}: reading a response or raw response text.
 *
 * Bytes: a string is sent as UTF-8 (use `latin1Encode()` from `_text.ts` to
 * send one byte per character, 0x80-0xFF included). Wire text comes back as
 * Latin-1, one character per byte; a response's `text` is its body as UTF-8.
 * @module
 */
import { latin1Decode } from "../_text.ts";
import { concat, WAIT_MS, withTimeout } from "./_util.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Free buffer space each socket read asks for, at the least. */
const MIN_READ = 16384;
const EMPTY = new Uint8Array(0);

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

/** One HTTP/1.x response as the client read it. */
export interface RawResponse {
  /** The status line, without its CRLF. */
  statusLine: string;
  /** `HTTP/1.0` or `HTTP/1.1`. */
  version: string;
  status: number;
  /** The reason phrase (may be empty). */
  reason: string;
  /** Header lines as `[name, value]`, in order, names as sent, values trimmed. */
  headers: [string, string][];
  /** The head as Latin-1 text, status line to blank line, CRLFs included. */
  head: string;
  /** The body: chunked coding removed; empty for HEAD, 1xx, 204 and 304. */
  body: Uint8Array;
  /** How the body was delimited. */
  framing: "none" | "length" | "chunked" | "close";
  /**
   * Whether the whole body arrived. Only a read with `partial` can see
   * `false`: without it, a close inside the body throws.
   */
  complete: boolean;
  /** The body decoded as UTF-8. */
  readonly text: string;
}

/** Options of {@linkcode RawClient.read} and {@linkcode request}. */
export interface ReadOptions {
  /** The response to a HEAD request: no body, whatever the head says. */
  head?: boolean;
  /**
   * Accept a body the server cut short by closing (`complete` is then
   * false, `body` what arrived) instead of throwing.
   */
  partial?: boolean;
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
  /** Set when the server reset the connection (a read counts it as the end). */
  reset = false;
  #buf: Uint8Array = new Uint8Array(MIN_READ);
  #start = 0;
  #end = 0;
  #eof = false;

  /** Wraps a connected socket. */
  constructor(conn: Deno.Conn, timeout: number = WAIT_MS) {
    this.conn = conn;
    this.timeout = timeout;
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
    return this.#buf.subarray(this.#start, this.#end);
  }

  /** Whether the server has closed (or reset) the connection. */
  get eof(): boolean {
    return this.#eof;
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
    return this.#bounded(this.#fill(), "reading from the server");
  }

  /** Reads until at least `count` bytes are buffered, or the close; the bytes buffered. */
  receive(count: number): Promise<number> {
    return this.#bounded(
      (async () => {
        while (this.#end - this.#start < count && await this.#fill()) {
          /* more */
        }
        return this.#end - this.#start;
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
          if (!await this.#fill()) return false;
        }
        return true;
      })(),
      "reading until the expected bytes arrive",
    );
  }

  /** Every byte until the server closes, what is buffered included. */
  readToEnd(): Promise<Uint8Array> {
    return this.#bounded(this.#toEnd(), "reading until the server closes");
  }

  /** Whether the server closed with nothing more to read (waits for a read). */
  async closed(): Promise<boolean> {
    if (this.#end > this.#start) return false;
    return !await this.more();
  }

  /** Reads one response. */
  read(options: ReadOptions = {}): Promise<RawResponse> {
    return this.#bounded(this.#read(options), "reading a response");
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

  // ----------------------------------------------------------- internals

  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
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
      n = await this.conn.read(this.#buf.subarray(this.#end));
    } catch (error) {
      if (!isReset(error)) throw error;
      this.reset = true;
      n = null;
    }
    if (n === null) {
      this.#eof = true;
      return false;
    }
    this.#end += n;
    return true;
  }

  /** Consumes `n` buffered bytes; a copy. */
  #take(n: number): Uint8Array {
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  async #toEnd(): Promise<Uint8Array> {
    while (await this.#fill()) { /* to the close */ }
    return this.#take(this.#end - this.#start);
  }

  /** One line without its CRLF (or LF), as Latin-1; null at the close. */
  async #line(): Promise<string | null> {
    let scanned = 0;
    while (true) {
      const i = this.buffered.indexOf(10, scanned);
      if (i >= 0) {
        const line = latin1Decode(this.#take(i + 1));
        return line.endsWith("\r\n") ? line.slice(0, -2) : line.slice(0, -1);
      }
      scanned = this.#end - this.#start;
      if (!await this.#fill()) return null;
    }
  }

  async #read({ head = false, partial = false }: ReadOptions): Promise<
    RawResponse
  > {
    let end: number;
    let scanned = 0;
    while ((end = indexOfBlankLine(this.buffered, scanned)) < 0) {
      scanned = Math.max(0, this.#end - this.#start - 3);
      if (!await this.#fill()) {
        throw new Error(
          `The connection closed before a complete response head: ${
            JSON.stringify(latin1Decode(this.buffered).slice(0, 80))
          }`,
        );
      }
    }
    const res = parseHead(latin1Decode(this.#take(end + 4)));
    if (
      head || res.status < 200 || res.status === 204 || res.status === 304
    ) return res;
    const te = header(res, "Transfer-Encoding");
    const cl = header(res, "Content-Length");
    const cut = (what: string) => {
      if (!partial) {
        throw new Error(`The connection closed inside a ${what} body`);
      }
      res.complete = false;
    };
    if (te !== undefined && /(?:^|,)[ \t]*chunked[ \t]*$/i.test(te)) {
      res.framing = "chunked";
      res.body = await this.#chunkedBody(() => cut("chunked"));
    } else if (cl !== undefined) {
      res.framing = "length";
      const length = Number(cl);
      if (!/^\d+$/.test(cl)) throw new Error(`Bad Content-Length: ${cl}`);
      while (this.#end - this.#start < length) {
        if (!await this.#fill()) {
          cut("Content-Length");
          break;
        }
      }
      res.body = this.#take(Math.min(length, this.#end - this.#start));
    } else {
      res.framing = "close";
      res.body = await this.#toEnd();
    }
    return res;
  }

  /** Decodes a chunked body; `cut()` is called when the close comes first. */
  async #chunkedBody(cut: () => void): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    while (true) {
      const line = await this.#line();
      if (line === null) {
        cut();
        break;
      }
      const m = /^([0-9a-fA-F]+)[ \t]*(?:;.*)?$/.exec(line);
      if (!m) throw new Error(`Bad chunk size line: ${JSON.stringify(line)}`);
      const size = parseInt(m[1]!, 16);
      if (size === 0) {
        let trailer: string | null;
        while ((trailer = await this.#line()) !== "") {
          if (trailer === null) {
            cut();
            break;
          }
        }
        break;
      }
      while (this.#end - this.#start < size + 2 && await this.#fill()) {
        /* the chunk and its CRLF */
      }
      const have = this.#end - this.#start;
      if (have < size + 2) {
        parts.push(this.#take(Math.min(size, have)));
        cut();
        break;
      }
      parts.push(this.#take(size));
      const crlf = this.#take(2);
      if (crlf[0] !== 13 || crlf[1] !== 10) {
        throw new Error("No CRLF after a chunk's data");
      }
    }
    return concat(parts);
  }
}

/** Where the first CRLF CRLF at or after `from` starts, or -1. */
function indexOfBlankLine(b: Uint8Array, from: number): number {
  for (let i = from; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

/** A response with no body yet from its head text. */
function parseHead(head: string): RawResponse {
  const lines = head.split("\r\n");
  const statusLine = lines[0]!;
  const [version, code, ...reason] = statusLine.split(" ");
  return {
    statusLine,
    version: version!,
    status: Number(code),
    reason: reason.join(" "),
    headers: headerLines(lines.slice(1)),
    head,
    body: EMPTY,
    framing: "none",
    complete: true,
    get text(): string {
      return decoder.decode(this.body);
    },
  };
}

function headerLines(lines: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const line of lines) {
    const i = line.indexOf(":");
    if (i > 0) out.push([line.slice(0, i), line.slice(i + 1).trim()]);
  }
  return out;
}

/**
 * The first value of header `name` (any case) in a response, or in the first
 * response head of raw wire text.
 */
export function header(
  res: { headers: readonly [string, string][] } | string,
  name: string,
): string | undefined {
  const lower = name.toLowerCase();
  const headers = typeof res === "string"
    ? headerLines(headOf(res).split("\r\n").slice(1))
    : res.headers;
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** The status code of the first response in raw wire text, or 0 when none. */
export function statusOf(text: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** The head (up to the blank line) of the first response in raw wire text. */
export function headOf(text: string): string {
  const end = text.indexOf("\r\n\r\n");
  return end < 0 ? text : text.slice(0, end + 2);
}

/** How many responses (status lines) raw wire text holds. */
export function countResponses(text: string): number {
  return text.match(/HTTP\/1\.[01] \d{3} [^\r\n]*\r\n/g)?.length ?? 0;
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
