// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode ConnIO}: one connection's I/O below its request handler, as Go's
 * `net/http` keeps a `conn` (buffers, state, the serve loop's bookkeeping)
 * beside the `response` a handler writes. The handler keeps Python's API and
 * its hooks; this object holds what the wire needs: the reader and writer,
 * the response head being built, the current request's body and the
 * connection's state. The library's own handlers (file serving, CGI, the
 * CLI's) reach it through {@linkcode connIO}.
 * @module
 */
import type { Connection } from "../../connection.ts";
import type { HTTPMessage } from "../../message.ts";
import { ConnState } from "../../_conn_state.ts";
import { isDisconnect, ProtocolError } from "../../_errors.ts";
import { lowerName } from "../../_text.ts";
import { RFile } from "../rfile.ts";
import { WFile } from "../wfile.ts";
import { BufReader } from "./reader.ts";
import { BodyReader } from "./body_reader.ts";
import { ConnWriter } from "./writer.ts";
import {
  addHeaderFields,
  bodyFraming,
  checkHeadText,
  type HeaderLimits,
  readHeaders,
} from "./request_head.ts";
import { ResponseHead } from "./response_head.ts";

/**
 * A connection whose requests arrive parsed (the `Deno.serve` engine's): the
 * handler reads the request line as bytes, then takes the header fields as
 * they are, in place of the header block's bytes.
 */
export interface FieldSource {
  /**
   * The current request's header fields, once, when its request line has
   * been read and its header block has not; else null (the block comes as
   * bytes).
   */
  takeFields(): readonly (readonly [string, string])[] | null;
}

/** How a failed read of a request head ends the connection. */
export type HeadFailure = "quiet" | "timed-out";

/** What the end of a response head depends on. */
export interface ResponseEnd {
  /** Whether the connection ends after this response, so far. */
  readonly closeConnection: boolean;
  /** The request method (a HEAD response frames no body). */
  readonly command: string;
  /** The version the server speaks. */
  readonly protocolVersion: string;
  /** Most unread body bytes dropped to keep a connection alive. */
  readonly maxDiscardBytes: number;
}

/** What the connection's fate after a request head depends on. */
export interface RequestHead {
  /** The request header fields. */
  readonly headers: HTTPMessage;
  /** Whether the request line alone ends the connection. */
  readonly closeConnection: boolean;
  /** The version the server speaks. */
  readonly protocolVersion: string;
  /** The request's version. */
  readonly requestVersion: string;
}

/** The I/O of one connection, and of the request being served on it. */
export class ConnIO {
  /** The response head being built (Python's `_headers_buffer`). */
  readonly head: ResponseHead = new ResponseHead();
  /** The connection's buffered reader; null until `open()`. */
  reader: BufReader | null = null;
  /** The connection's gathering writer; null until `open()`. */
  out: ConnWriter | null = null;
  /** What the server records of the connection; null when no server does. */
  state: ConnState | null = null;
  /** The current request's body, or null when it has none. */
  body: BodyReader | null = null;
  /**
   * Header fields the error response about to be sent carries after `Date`
   * (the 416 answer's `Content-Range`); the next `sendResponse()` takes them,
   * whether `sendError()` or an override of it calls it.
   */
  errorHeaders: readonly [string, string][] | null = null;
  #conn: Connection;
  #rfile: RFile | null = null;
  #wfile: WFile | null = null;
  /** Set by `awaitRequest()`: the request has begun and its bytes were awaited. */
  awaited = false;
  /** `out.bytesWritten` when the current request began. */
  #requestStart = 0;
  /** Whether bytes of the current request's head arrived / all of it was read. */
  #headStarted = false;
  #headRead = false;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  /**
   * Makes the reader and writer. With `noDelay`, Nagle's algorithm is turned
   * off before the second socket write (a system call that a connection
   * writing once, a small response then close, does not need). `timeout`
   * is the handler's own, overriding the server's.
   */
  open(noDelay: boolean, timeout: number | null): void {
    const conn = this.#conn;
    const state = this.state = ConnState.of(conn) ?? null;
    if (state) state.timeout = timeout;
    // The server times each read and write to close stalled connections.
    this.reader = new BufReader(conn, state);
    this.out = new ConnWriter(
      conn,
      noDelay ? () => setNoDelay(conn) : null,
      state,
    );
  }

  /** The status of the response being sent (its first interim one until a final one). */
  get status(): number {
    return this.head.status;
  }

  /** The request body as a stream (empty when the request has none). */
  get rfile(): RFile {
    return this.#rfile ??= new RFile(
      this.body ?? new BodyReader(this.reader!, "none"),
    );
  }

  /** The response stream; made again after a `close()` (`pipeTo()` ends). */
  get wfile(): WFile {
    return this.#wfile ??= new WFile(this.out!, () => {
      this.#wfile = null;
    });
  }

  /** Forgets the last request and waits for the next request line. */
  beginRequest(): void {
    this.body = null;
    this.#rfile = null;
    this.errorHeaders = null;
    this.head.reset();
    this.#requestStart = this.out!.bytesWritten;
    this.#headStarted = this.#headRead = false;
    this.state?.beginHead(this.reader!.buffered > 0);
  }

  /** A request line arrived (or the client closed): no longer idle. */
  headArrived(): void {
    this.#headStarted = true;
    this.state?.headArrived();
  }

  /** The whole head is read and parsed: the handler runs. */
  headRead(): void {
    this.#headRead = true;
    this.state?.beginBody();
  }

  /**
   * Whether a failure while reading a request head only means the client or
   * a timeout ended the connection (null when it is a real error): then it
   * is closed quietly, as Python's accept loop treats a failed TLS handshake
   * (which surfaces here as InvalidData). Python logs its socket timeouts,
   * so a timed-out head is `"timed-out"` when `started` (its request line
   * was parsed, or the handler set its own timeout) or bytes are buffered.
   */
  headFailure(error: unknown, started: boolean): HeadFailure | null {
    const state = this.state;
    if (
      !(state?.closing || isDisconnect(error) ||
        error instanceof Deno.errors.InvalidData)
    ) return null;
    return state?.timedOut && (started || this.reader!.buffered > 0)
      ? "timed-out"
      : "quiet";
  }

  /**
   * Reads the header block into `headers`; throws (or rejects, when it had
   * to wait for bytes) with a ProtocolError (431 or 400) on a line, count or
   * size over `limits` or a malformed field. Nothing is returned when the
   * block was buffered whole, or when the connection had the fields already
   * parsed ({@linkcode FieldSource}) and gave them instead of their bytes.
   */
  readHead(
    headers: HTTPMessage,
    limits: HeaderLimits,
    used: number,
  ): Promise<void> | undefined {
    const fields = (this.#conn as Partial<FieldSource>).takeFields?.();
    if (!fields) return readHeaders(this.reader!, headers, limits, used);
    addHeaderFields(fields, headers, limits, used);
  }

  /** Sets up the body the request head announces; throws ProtocolError on bad framing. */
  beginBody(headers: HTTPMessage): void {
    const framing = bodyFraming(headers);
    if (framing.framing !== "none") {
      this.body = new BodyReader(this.reader!, framing.framing, framing.length);
    }
  }

  /**
   * Whether the connection ends after this request, as Python decides it
   * (`Connection: close` closes, `keep-alive` keeps an HTTP/1.1 server's
   * connection open), and beyond Python, whether the request is HTTP/1.0
   * with a Transfer-Encoding body: faulty framing (RFC 9112 section 6.1),
   * served, then the connection closes.
   */
  closeAfterHead(req: RequestHead): boolean {
    let close = req.closeConnection;
    const conntype = req.headers.get("Connection", "").toLowerCase();
    if (conntype === "close") close = true;
    else if (conntype === "keep-alive" && req.protocolVersion >= "HTTP/1.1") {
      close = false;
    }
    if (
      this.body && req.headers.has("Transfer-Encoding") &&
      req.requestVersion < "HTTP/1.1"
    ) close = true;
    return close;
  }

  /** Whether the request expects `100 Continue`, both sides speaking HTTP/1.1. */
  expectsContinue(req: RequestHead): boolean {
    return req.headers.get("Expect", "").toLowerCase() === "100-continue" &&
      req.protocolVersion >= "HTTP/1.1" && req.requestVersion >= "HTTP/1.1";
  }

  /** Whether the current request's body has bytes not read yet. */
  get bodyPending(): boolean {
    return this.body !== null && !this.body.done;
  }

  /**
   * Ends the head (the blank line) and returns the new `closeConnection`.
   * At the end of a final response's head, the connection must close when
   * an unread body is too large to drop or a persistent response has no
   * length; then an HTTP/1.1 head gets `Connection: close`.
   */
  endHead(res: ResponseEnd): boolean {
    let close = res.closeConnection;
    if (this.head.status >= 200) {
      if (
        !close && this.bodyPending &&
        (this.body!.remaining ?? 0) > res.maxDiscardBytes
      ) close = true;
      close = this.head.frame(close, res.command, res.protocolVersion);
    }
    this.head.end();
    return close;
  }

  /**
   * Buffers a status line, or for HTTP/0.9 (`reason` null) only records the
   * status. Refuses a reason that would break the head (see `checkHeadText`).
   */
  statusLine(
    code: number,
    reason: string | null,
    protocolVersion: string,
  ): void {
    if (reason !== null) checkHeadText(reason, "status message");
    this.head.statusLine(code, reason, protocolVersion);
  }

  /**
   * Buffers a header line (for HTTP/0.9 only records it), refusing a name or
   * value that would break the head. For a `Connection` field, returns
   * whether it closes (`close`) or keeps (`keep-alive`) the connection;
   * else null.
   */
  header(keyword: string, value: string, http09: boolean): boolean | null {
    const lower = lowerName(keyword);
    if (!http09) {
      checkHeadText(keyword, "header name");
      checkHeadText(value, "header value");
    }
    this.head.header(keyword, lower, value, http09);
    if (lower !== "connection") return null;
    const v = value.toLowerCase();
    return v === "close" ? true : v === "keep-alive" ? false : null;
  }

  /** Takes `errorHeaders`, if any. */
  takeErrorHeaders(): readonly [string, string][] | null {
    const extra = this.errorHeaders;
    if (extra) this.errorHeaders = null;
    return extra;
  }

  /** Moves the buffered head to the writer. */
  flushHead(): void {
    const head = this.head;
    if (head.pending) {
      this.out!.append(head.bytes());
      head.clear();
    }
  }

  /** Writes response bytes as they are (after the head). */
  write(data: Uint8Array): Promise<void> {
    return this.out!.write(data);
  }

  /** Whether nothing was written since `mark` (an `out.bytesWritten`). */
  unchangedSince(mark: number): boolean {
    return this.out!.bytesWritten === mark;
  }

  /**
   * The handler threw `error`. When nothing was written since `mark`, drops
   * what it buffered and tells what to answer: the error itself when it is
   * a ProtocolError (bad framing found while reading the body), true for a
   * 500 (anything but a disconnect); false when nothing can be answered.
   */
  failureAnswer(error: unknown, mark: number): ProtocolError | boolean {
    if (!this.unchangedSince(mark)) return false;
    if (error instanceof ProtocolError) {
      this.head.clear();
      return error;
    }
    if (isDisconnect(error)) return false;
    this.head.clear();
    this.out!.discard();
    return true;
  }

  /**
   * The request is over. True when the connection must close: the handler
   * sent nothing at all for a parsed request (a waiting client would hang),
   * or the server is ending the connection.
   */
  endRequest(command: string): boolean {
    const state = this.state;
    state?.endRequest();
    return (this.unchangedSince(this.#requestStart) && command !== "") ||
      state?.closing === true;
  }

  /**
   * Reads and drops the unread body, up to `limit` bytes; false when the
   * connection must close instead (too much left, bad framing, or gone).
   */
  async dropBody(limit: number): Promise<boolean> {
    try {
      return await this.body!.discard(limit);
    } catch (error) {
      if (!(error instanceof ProtocolError) && !isDisconnect(error)) {
        throw error;
      }
      return false;
    }
  }

  /**
   * Sends what is left (a client that is gone is no error), then gives the
   * buffers back for another connection.
   */
  async finish(): Promise<void> {
    const out = this.out;
    if (out && !out.error) {
      try {
        await out.flush();
      } catch (error) {
        if (!isDisconnect(error)) throw error;
      }
    }
    // Input nobody read (a body, the rest of a refused head, a next
    // request): the server lingers before it closes (see `_linger.ts`).
    const reader = this.reader;
    if (
      reader && !reader.atEof && out && !out.error &&
      (this.bodyPending || reader.buffered > 0 ||
        (this.#headStarted && !this.#headRead))
    ) this.state?.unreadInput();
    out?.release();
    reader?.release();
  }
}

type ConnIOGetter = (handler: object) => ConnIO;

let getConnIO: ConnIOGetter = () => {
  throw new TypeError("Cannot get the I/O of a request handler: none loaded");
};

/**
 * Lets {@linkcode connIO} read a handler's private I/O: called once, by
 * `BaseHTTPRequestHandler`'s static block, with a function that reads its
 * private field (and throws a TypeError for any other object).
 */
export function provideConnIO(getter: ConnIOGetter): void {
  getConnIO = getter;
}

/** The I/O of a `BaseHTTPRequestHandler`, for the library's own handlers. */
export function connIO(handler: object): ConnIO {
  return getConnIO(handler);
}

function setNoDelay(conn: Connection): void {
  try {
    conn.setNoDelay?.(true);
  } catch { /* not a TCP socket */ }
}
