// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode BaseHTTPRequestHandler}: Python's request parser and response
 * writer, dispatching each request to a `doVERB` method.
 *
 * How a request flows (paths in this package's sources):
 * ```text
 * socket -> HTTPServer: accepts, tracks and times out each connection
 *           (server.ts, _conn_state.ts, _sweeper.ts)
 * -> handler: setup(), handle() loops handleOneRequest(), finish()
 * -> reader/parser: request line, parseRequest(), body framing -> headers,
 *    rfile (handlers/_http1/: serve.ts, reader.ts, request_line.ts,
 *    request_head.ts, body_reader.ts)
 * -> doVERB: doGET(), doPOST()... of a subclass (simple.ts, cgi.ts, yours)
 * -> writer: sendResponse(), sendHeader(), endHeaders(), wfile, gathered into
 *    few socket writes (_http1/response_head.ts, writer.ts); one connection's
 *    reader, writer, head and state live in _http1/conn_io.ts
 * ```
 * @module
 */
import type { Connection } from "../connection.ts";
import type { ClientAddress, HTTPServer, RequestHandler } from "../server.ts";
import { HTTPMessage } from "../message.ts";
import { RESPONSES } from "./_http1/status.ts";
import { ConnIO, provideConnIO } from "./_http1/conn_io.ts";
import {
  awaitRequest,
  logTimedOut,
  readRequestPromise,
  serveRequest,
} from "./_http1/serve.ts";
import { writeStderr } from "../_log.ts";
import { colorStatus, logColors } from "./_http1/color.ts";
import { escapeLogText, pyFormat } from "../_text.ts";
import {
  currentHttpDate,
  formatHttpDate,
  formatLogDate,
  MONTHS,
  WEEKDAYS,
} from "./_http1/http_date.ts";
import {
  DEFAULT_ERROR_CONTENT_TYPE,
  DEFAULT_ERROR_MESSAGE,
  MAX_DISCARD_BYTES,
  MAX_HEADER_BYTES,
  MAX_HEADERS,
  MAX_LINE,
  type StatusEntry,
  VERSION,
} from "./constants.ts";
import { errorPage } from "./_http1/response_head.ts";
import type { RFile } from "./rfile.ts";
import type { WFile } from "./wfile.ts";

const EMPTY = new Uint8Array(0);
const RESOLVED: Promise<void> = Promise.resolve();
const MONTH_NAMES: readonly (string | null)[] = Object.freeze([
  null,
  ...MONTHS,
]);

/**
 * Parses HTTP requests off one connection and dispatches each to the method
 * named `"do" + command` (`doGET`, `doPOST`, `doM-SEARCH`...), which may be
 * sync or async. Subclass it and add those methods, as in Python; override
 * Python's class attributes by redeclaring the fields
 * (`protocolVersion = "HTTP/1.1";`).
 *
 * @example A handler that answers every GET
 * ```ts
 * import { BaseHTTPRequestHandler, HTTPServer } from "@x/httpserver";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * class Hello extends BaseHTTPRequestHandler {
 *   async doGET(): Promise<void> {
 *     const body = new TextEncoder().encode(`Hello from ${this.path}\n`);
 *     this.sendResponse(200);
 *     this.sendHeader("Content-Type", "text/plain; charset=utf-8");
 *     this.sendHeader("Content-Length", String(body.length));
 *     await this.endHeaders();
 *     await this.wfile.write(body);
 *   }
 *   override logMessage(): void {}
 * }
 *
 * await using server = new HTTPServer(["127.0.0.1", 0], Hello);
 * server.serveForever();
 * const res = await fetch(`http://127.0.0.1:${server.serverPort}/there`);
 * deepStrictEqual(await res.text(), "Hello from /there\n");
 * ```
 */
export class BaseHTTPRequestHandler implements RequestHandler {
  /** The runtime token of the `Server` header (Python: `Python/3.x`). */
  sysVersion: string = "Deno/" + Deno.version.deno;
  /** The product token of the `Server` header. */
  serverVersion: string = "BaseHTTP/" + VERSION;
  /** The error page: a `%`-template with `code`, `message` and `explain`. */
  errorMessageFormat: string = DEFAULT_ERROR_MESSAGE;
  /** The error page's `Content-Type`. */
  errorContentType: string = DEFAULT_ERROR_CONTENT_TYPE;
  /** The version assumed until the request line's version is read. */
  defaultRequestVersion: string = "HTTP/0.9";
  /** The version this server speaks; `"HTTP/1.1"` enables keep-alive. */
  protocolVersion: string = "HTTP/1.0";
  /** The class that holds request headers. */
  MessageClass: typeof HTTPMessage = HTTPMessage;
  /** Status code -> [reason phrase, explanation]. */
  responses: Readonly<Record<number, StatusEntry>> = RESPONSES;
  /** Weekday names, Monday first. */
  weekdayname: readonly string[] = WEEKDAYS;
  /** Month names, index 1 for January (index 0 is unused, as in Python). */
  monthname: readonly (string | null)[] = MONTH_NAMES;
  /**
   * Milliseconds allowed to receive each request head, or `null` for the
   * server's `headersTimeout` / `keepAliveTimeout`.
   */
  timeout: number | null = null;
  /** Sets `TCP_NODELAY` on the connection (Python's default is false). */
  disableNagleAlgorithm = true;
  /** Longest request line and header line, in bytes. */
  maxLineLength: number = MAX_LINE;
  /** Most header lines, the blank line included. */
  maxHeaders: number = MAX_HEADERS;
  /** Most bytes in one request head. */
  maxHeaderBytes: number = MAX_HEADER_BYTES;
  /** Most unread body bytes dropped to keep a connection alive. */
  maxDiscardBytes: number = MAX_DISCARD_BYTES;

  /** The connection (Python's `request`). */
  readonly request: Connection;
  /** The connection (Python's `connection`). */
  readonly connection: Connection;
  /** The client's `[host, port]`. */
  readonly clientAddress: ClientAddress;
  /** The server that accepted the connection. */
  readonly server: HTTPServer;
  /** Whether the connection ends after the current request. */
  closeConnection = true;
  /** The request line as received, line ending included. */
  rawRequestline: Uint8Array = EMPTY;
  /** The request line, line ending stripped. */
  requestline = "";
  /** The request method (`""` until parsed; Python's `None`). */
  command = "";
  /** The request target, as sent (leading `//` collapsed to `/`). */
  path = "";
  /** The request's HTTP version string. */
  requestVersion = "";
  /** The request header fields. */
  headers: HTTPMessage = new HTTPMessage();

  /** The connection's reader, writer, response head and state. */
  #io: ConnIO;
  /** The status code `logRequest()` is logging, when it gets a color. */
  #logCode: string | null = null;

  static {
    // The library's own handlers reach the I/O through `connIO(handler)`.
    provideConnIO((handler) => (handler as BaseHTTPRequestHandler).#io);
  }

  /** Called by the server; handling starts in `handle()`, not here. */
  constructor(
    request: Connection,
    clientAddress: ClientAddress,
    server: HTTPServer,
  ) {
    this.request = request;
    this.connection = request;
    this.clientAddress = clientAddress;
    this.server = server;
    this.#io = new ConnIO(request);
  }

  /**
   * The request body as a bounded `ReadableStream` with `read()`/`readline()`.
   * A malformed body makes reads reject (see {@linkcode RFile}).
   */
  get rfile(): RFile {
    return this.#io.rfile;
  }

  /** The response stream, with `write()` and `flush()` shortcuts. */
  get wfile(): WFile {
    return this.#io.wfile;
  }

  /** Prepares the connection's reader and writer. */
  setup(): void | Promise<void> {
    this.#io.open(this.disableNagleAlgorithm, this.timeout);
  }

  /** Handles requests until `closeConnection` is set. */
  async handle(): Promise<void> {
    const io = this.#io;
    this.closeConnection = true;
    do {
      // Not overridden, handleOneRequest() runs inline: a frame less.
      if (this.handleOneRequest === BASE.handleOneRequest) {
        await awaitRequest(this, io); // idle in this frame alone
        await serveRequest(this, io, this.parseRequest === BASE.parseRequest);
      } else await this.handleOneRequest();
      // The request is over: flush the response, drop or refuse the body.
      if (io.endRequest(this.command)) this.closeConnection = true;
      if (!io.out!.idle) await io.out!.flush();
      if (
        !this.closeConnection && io.bodyPending &&
        !await io.dropBody(this.maxDiscardBytes)
      ) this.closeConnection = true;
      io.reader!.relax();
    } while (!this.closeConnection);
  }

  /** Sends what is left of the response. */
  async finish(): Promise<void> {
    // The server closed a body read or response write that made no progress.
    if (this.#io.state?.stalled) logTimedOut(this);
    await this.#io.finish();
  }

  /**
   * Reads, parses (`parseRequest()`) and dispatches one request to
   * `"do" + command`, answering 414 and 501 itself, and 500 (then rethrowing)
   * when the method throws before writing anything.
   * @throws What `doVERB` threw, after the 500; never a client's bad input.
   */
  async handleOneRequest(): Promise<void> {
    await serveRequest(this, this.#io, this.parseRequest === BASE.parseRequest);
  }

  /**
   * Parses `rawRequestline` and the header block into `command`, `path`,
   * `requestVersion` and `headers`, and decides `closeConnection`.
   * @returns False when the request must not be dispatched: bad input (the
   * error response is sent here) or a refused `Expect: 100-continue`.
   */
  parseRequest(): Promise<boolean> {
    return readRequestPromise(this, this.#io);
  }

  /**
   * Answers `Expect: 100-continue` with `HTTP/1.1 100 Continue` at once.
   * Override it to refuse: send an error (417) and resolve to false.
   * @returns Whether to go on and dispatch the request.
   */
  async handleExpect100(): Promise<boolean> {
    this.sendResponseOnly(100);
    await this.endHeaders();
    await this.#io.out!.flush();
    return true;
  }

  /**
   * Sends a complete error response: status line, `Server`, `Date`,
   * `Connection: close`, and (for codes >= 200 other than 204, 205 and 304)
   * the HTML error page, whose body HEAD requests do not get.
   * @param code The status code.
   * @param message The reason phrase; by default `responses[code][0]`.
   * @param explain The page's explanation; by default `responses[code][1]`.
   * @throws {TypeError | RangeError} When `message` cannot go in a head.
   */
  async sendError(
    code: number,
    message?: string | null,
    explain?: string | null,
  ): Promise<void> {
    const [shortmsg, longmsg] = this.responses[code] ?? ["???", "???"];
    message ??= shortmsg;
    explain ??= longmsg;
    this.logError("code %d, message %s", code, message);
    this.sendResponse(code, message);
    this.sendHeader("Connection", "close");
    const body = errorPage(this.errorMessageFormat, code, message, explain);
    if (body) {
      this.sendHeader("Content-Type", this.errorContentType);
      this.sendHeader("Content-Length", String(body.length));
    }
    await this.endHeaders();
    if (this.command !== "HEAD" && body) await this.#io.write(body);
  }

  /**
   * Logs the request, buffers the status line, `Server` and `Date`.
   * @param code The status code.
   * @param message The reason phrase; by default `responses[code][0]`.
   * @throws {TypeError | RangeError} As `sendResponseOnly()`.
   */
  sendResponse(code: number, message?: string | null): void {
    this.logRequest(code);
    this.sendResponseOnly(code, message);
    this.sendHeader("Server", this.versionString());
    this.sendHeader("Date", this.dateTimeString());
    this.#io.takeErrorHeaders()?.forEach(([k, v]) => this.sendHeader(k, v));
  }

  /**
   * Buffers the status line only (nothing for HTTP/0.9).
   * @param code The status code.
   * @param message The reason phrase; by default `responses[code][0]`.
   * @throws {TypeError} When `message` holds a control character (CR, LF).
   * @throws {RangeError} When Latin-1 cannot encode `message`.
   */
  sendResponseOnly(code: number, message?: string | null): void {
    const reason = this.requestVersion === "HTTP/0.9"
      ? null
      : message ?? this.responses[code]?.[0] ?? "";
    this.#io.statusLine(code, reason, this.protocolVersion);
  }

  /**
   * Buffers one header line. `Connection: close` / `keep-alive` also set
   * `closeConnection`.
   * @param keyword The field name, sent as given.
   * @param value The field value.
   * @throws {TypeError} When either holds a control character (CR, LF, NUL).
   * @throws {RangeError} When Latin-1 cannot encode either.
   */
  sendHeader(keyword: string, value: string): void {
    const http09 = this.requestVersion === "HTTP/0.9";
    const close = this.#io.header(keyword, value, http09);
    if (close !== null) this.closeConnection = close;
  }

  /** Ends the header block and flushes it. */
  endHeaders(): Promise<void> {
    try {
      if (this.requestVersion === "HTTP/0.9") return RESOLVED;
      this.closeConnection = this.#io.endHead(this);
      return this.flushHeaders();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Moves the buffered head to the connection in one write. */
  flushHeaders(): Promise<void> {
    this.#io.flushHead();
    return RESOLVED;
  }

  /**
   * Logs an accepted request: `"requestline" code size`. On a terminal
   * (stderr a TTY, `NO_COLOR` unset) the code is colored by its class.
   * @param code The status code, or `"-"`.
   * @param size The body size, or `"-"`.
   */
  logRequest(code: number | string = "-", size: number | string = "-"): void {
    this.#logCode = logColors() ? String(code) : null;
    try {
      this.logMessage(
        '"%s" %s %s',
        this.requestline,
        String(code),
        String(size),
      );
    } finally {
      this.#logCode = null;
    }
  }

  /**
   * Logs an error; by default the same as `logMessage`.
   * @param format A Python `%`-format (`%s`, `%d`, `%r`...).
   * @param args The values for `format`.
   */
  logError(format: string, ...args: unknown[]): void {
    this.logMessage(format, ...args);
  }

  /**
   * Writes `format % args` to stderr after the client address and the local
   * time, with control characters escaped (gh-100001). Override to redirect.
   * @param format A Python `%`-format (`%s`, `%d`, `%r`...).
   * @param args The values for `format`.
   */
  logMessage(format: string, ...args: unknown[]): void {
    let message = escapeLogText(pyFormat(format, args));
    if (this.#logCode !== null) message = colorStatus(message, this.#logCode);
    writeStderr(
      `${this.addressString()} - - [${this.logDateTimeString()}] ${message}\n`,
    );
  }

  /** `Server` header value: `serverVersion + " " + sysVersion`. */
  versionString(): string {
    return this.serverVersion + " " + this.sysVersion;
  }

  /**
   * IMF-fixdate of `timestamp`, else of now.
   * @param timestamp Milliseconds since the epoch, or a Date.
   */
  dateTimeString(timestamp?: number | Date | null): string {
    if (timestamp === undefined || timestamp === null) return currentHttpDate();
    return formatHttpDate(
      typeof timestamp === "number" ? timestamp : timestamp.getTime(),
    );
  }

  /** The current local time for log lines: `21/Nov/2026 10:46:00`. */
  logDateTimeString(): string {
    return formatLogDate(Date.now());
  }

  /** The client's host, for log lines. */
  addressString(): string {
    return this.clientAddress[0];
  }
}

const BASE = BaseHTTPRequestHandler.prototype;
