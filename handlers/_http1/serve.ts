// Copyright 2026 the httpserver authors. MIT license.
/**
 * The request loop's steps on one connection, as Go's `conn.serve` and
 * `conn.readRequest` are: read a request line, parse the head (Python's
 * `parse_request()`), dispatch to `doVERB`, and answer what the handler
 * could not. `BaseHTTPRequestHandler`'s `handleOneRequest()` and
 * `parseRequest()` run them on the handler itself, through the members
 * {@linkcode RequestHost} names (its Python attributes and hooks), and on
 * its {@linkcode ConnIO}.
 * @module
 */
import type { HTTPMessage } from "../../message.ts";
import { ProtocolError } from "../../_errors.ts";
import { latin1Decode, pyRepr, trimEndChars } from "../../_text.ts";
import type { ConnIO, RequestHead } from "./conn_io.ts";
import type { HeaderLimits } from "./request_head.ts";
import { parseRequestLine } from "./request_line.ts";

/** The handler as the request loop sees it: Python's attributes and hooks. */
export interface RequestHost extends HeaderLimits, RequestHead {
  /** The version assumed until the request line's version is read. */
  readonly defaultRequestVersion: string;
  /** The class that holds request headers. */
  readonly MessageClass: new () => HTTPMessage;
  /** The handler's own head timeout (ms), or null. */
  readonly timeout: number | null;
  /** Whether the connection ends after the current request. */
  closeConnection: boolean;
  /** The request line as received, line ending included. */
  rawRequestline: Uint8Array;
  /** The request line, line ending stripped. */
  requestline: string;
  /** The request method. */
  command: string;
  /** The request target. */
  path: string;
  /** The request's HTTP version string. */
  requestVersion: string;
  /** The request header fields. */
  headers: HTTPMessage;
  /** Parses the request line and head; false when it answered an error. */
  parseRequest(): Promise<boolean>;
  /** Answers `Expect: 100-continue`; false when it refused. */
  handleExpect100(): Promise<boolean>;
  /** Sends a complete error response. */
  sendError(
    code: number,
    message?: string | null,
    explain?: string | null,
  ): Promise<void>;
  /** Logs an error. */
  logError(format: string, ...args: unknown[]): void;
}

/**
 * Python's `handle_one_request()`: reads the request line, has the head
 * parsed, and calls `"do" + command`. Bad framing found while the handler
 * read the body gets its error response; any other exception thrown before
 * a byte was written gets a 500, then goes on up (the server logs it).
 * `inlineParse`: `parseRequest()` is not overridden, so its steps run here
 * without its promise.
 */
export async function serveRequest(
  h: RequestHost,
  io: ConnIO,
  inlineParse = false,
): Promise<void> {
  if (!io.awaited) {
    const arrived = awaitRequest(h, io);
    if (arrived !== true) await arrived;
  }
  io.awaited = false;
  const reader = io.reader!;
  const limit = h.maxLineLength + 1;
  let raw: Uint8Array;
  try {
    // A head that came whole is parsed without a promise.
    raw = reader.lineSync(limit) ?? await reader.readLine(limit);
  } catch (error) {
    if (headAborted(h, io, error)) return;
    throw error;
  }
  io.headArrived();
  h.rawRequestline = raw;
  if (raw.length > h.maxLineLength) {
    h.requestline = h.requestVersion = h.command = "";
    return await h.sendError(414);
  }
  if (raw.length === 0) {
    h.closeConnection = true;
    return;
  }
  try {
    const parsed = inlineParse ? readRequest(h, io) : h.parseRequest();
    if (parsed !== true && (parsed === false || !await parsed)) return;
  } catch (error) {
    if (headAborted(h, io, error)) return;
    throw error;
  }
  io.headRead();
  const method = (h as unknown as Record<string, unknown>)["do" + h.command];
  if (typeof method !== "function") {
    return await h.sendError(501, `Unsupported method (${pyRepr(h.command)})`);
  }
  const mark = io.out!.bytesWritten;
  try {
    await method.call(h);
  } catch (error) {
    const answer = io.failureAnswer(error, mark);
    // Bad framing found while the handler read the body: answer it.
    if (answer instanceof ProtocolError) return await sendFraming(h, answer);
    if (answer) {
      try {
        await h.sendError(500);
      } catch { /* the connection is gone too */ }
    }
    h.closeConnection = true;
    throw error;
  }
  const out = io.out!;
  if (!out.idle) await out.flush();
}

/**
 * Starts the next request on the connection and waits for its first bytes
 * (true when they are already in), so that an idle connection waits in the
 * caller's frame alone; `serveRequest()` then goes on from there. The
 * promise never rejects (a failed read is thrown by the next read).
 */
export function awaitRequest(
  h: RequestHost,
  io: ConnIO,
): Promise<boolean> | boolean {
  h.requestline = "";
  io.beginRequest();
  io.awaited = true;
  return io.reader!.waitForData();
}

/**
 * Python's `parse_request()`: the request line into `command`, `path` and
 * `requestVersion`, the header block into `headers`, the body's framing,
 * whether the connection persists, and `Expect: 100-continue`. Bad input
 * is answered here; then it comes to false. A head that was buffered whole
 * is parsed at once: the answer is then a boolean, not a promise.
 */
export function readRequest(
  h: RequestHost,
  io: ConnIO,
): Promise<boolean> | boolean {
  h.command = "";
  h.requestVersion = h.defaultRequestVersion;
  h.closeConnection = true;
  const requestline = trimEndChars(latin1Decode(h.rawRequestline), "\r\n");
  h.requestline = requestline;
  const line = parseRequestLine(requestline, h.protocolVersion);
  if (!line) return false;
  h.closeConnection = !line.keepAlive;
  if (line.version !== null) h.requestVersion = line.version;
  if (line.error) return answered(h.sendError(...line.error));
  h.command = line.command;
  h.path = line.path;
  h.headers = new h.MessageClass();
  if (line.http09) return true; // HTTP/0.9: no header block (gh-70765).
  let pending: Promise<void> | undefined;
  try {
    pending = io.readHead(h.headers, h, h.rawRequestline.length);
    if (pending === undefined) io.beginBody(h.headers);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return answered(sendFraming(h, error));
  }
  return pending === undefined ? afterHead(h, io) : restOfHead(h, io, pending);
}

/** The end of `readRequest()` when the head had to be waited for. */
async function restOfHead(
  h: RequestHost,
  io: ConnIO,
  pending: Promise<void>,
): Promise<boolean> {
  try {
    await pending;
    io.beginBody(h.headers);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    await sendFraming(h, error);
    return false;
  }
  return await afterHead(h, io);
}

/** Whether the connection persists, and `Expect: 100-continue`. */
function afterHead(h: RequestHost, io: ConnIO): Promise<boolean> | boolean {
  h.closeConnection = io.closeAfterHead(h);
  return !io.expectsContinue(h) || h.handleExpect100();
}

const TRUE: Promise<boolean> = Promise.resolve(true);
const FALSE: Promise<boolean> = Promise.resolve(false);

/**
 * `readRequest()` as a promise: a shared settled one when the head was
 * parsed at once (no allocation); a throw becomes a rejection.
 */
export function readRequestPromise(
  h: RequestHost,
  io: ConnIO,
): Promise<boolean> {
  try {
    const r = readRequest(h, io);
    return r === true ? TRUE : r === false ? FALSE : r;
  } catch (error) {
    return Promise.reject(error);
  }
}

/** False once an error answer is sent. */
async function answered(sending: Promise<void>): Promise<boolean> {
  await sending;
  return false;
}

/** Logs a read or write the server timed out, as Python logs its socket timeouts. */
export function logTimedOut(h: Pick<RequestHost, "logError">): void {
  h.logError("Request timed out: %s", "TimeoutError('timed out')");
}

/** Whether a failed head read ends the connection (see `ConnIO.headFailure`). */
function headAborted(h: RequestHost, io: ConnIO, error: unknown): boolean {
  const started = h.timeout !== null || h.requestline !== "";
  const failure = io.headFailure(error, started);
  if (failure === "timed-out") logTimedOut(h);
  if (failure) h.closeConnection = true;
  return failure !== null;
}

/** Answers bad request framing with its own status and explanation. */
function sendFraming(h: RequestHost, error: ProtocolError): Promise<void> {
  return h.sendError(error.code, error.message, error.explain);
}
