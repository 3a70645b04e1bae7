// Copyright 2026 the httpserver authors. MIT license.
/**
 * The response head a handler is building (Python's `_headers_buffer`), with
 * what the server must know of it: the status and whether the response
 * frames its own body.
 * @module
 */
import { htmlEscape, pyFormat } from "../../_text.ts";

// Two rules, so two sets. RFC 9110 forbids content in a 204, 205 or 304
// response, and CPython's `send_error()` sends no page for them. But only a
// 1xx, 204 or 304 response ends at its head whatever its fields say (RFC
// 9112 section 6.3); a 205 is framed like any other response, so its empty
// content still needs `Content-Length: 0` (RFC 9110 section 15.3.6), or the
// client reads until the connection closes.

/** Statuses whose responses carry no content (RFC 9110; CPython's `send_error()`). */
export const NO_CONTENT_STATUS: ReadonlySet<number> = new Set([204, 205, 304]);

/** Statuses whose responses have no body, whatever their fields say (RFC 9112 section 6.3; 1xx too). */
export const NO_BODY_STATUS: ReadonlySet<number> = new Set([204, 304]);

const encoder = new TextEncoder();

/** Buffered head lines of one response, and its framing. */
export class ResponseHead {
  /** Head lines not written yet, CRLF included. */
  lines: string[] = [];
  /** The final status of the request's response (or its first interim one). */
  status = 0;
  #length = false;
  #chunked = false;
  #connection = false;

  /** Forgets the previous request's response. */
  reset(): void {
    this.lines = [];
    this.status = 0;
    this.#length = this.#chunked = this.#connection = false;
  }

  /** Records a status line; `line` is null for HTTP/0.9, which has none. */
  statusLine(line: string | null, code: number): void {
    if (line !== null) this.lines.push(line);
    if (code >= 200 || this.status === 0) this.status = code;
    this.#length = this.#chunked = this.#connection = false;
  }

  /** Records a header line (null for HTTP/0.9), noting framing fields. */
  header(line: string | null, lower: string, value: string): void {
    if (line !== null) {
      this.lines.push(line);
      if (lower === "content-length") this.#length = true;
      else if (lower === "transfer-encoding") {
        this.#chunked = /chunked/i.test(value);
      }
    }
    if (lower === "connection") this.#connection = true;
  }

  /**
   * Beyond Python, at the end of a final response's head: a persistent
   * response without a length would leave the client waiting, so the
   * connection must close; and a closing HTTP/1.1 response says
   * `Connection: close`. Returns the new `closeConnection`.
   */
  frame(
    closeConnection: boolean,
    command: string,
    protocolVersion: string,
  ): boolean {
    // (A 205 is let through as well, as it always was, though RFC 9112
    // would frame it: see NO_BODY_STATUS.)
    if (
      !closeConnection && !this.#length && !this.#chunked &&
      !NO_CONTENT_STATUS.has(this.status) && command !== "HEAD"
    ) closeConnection = true;
    if (closeConnection && !this.#connection && protocolVersion >= "HTTP/1.1") {
      this.lines.push("Connection: close\r\n");
      this.#connection = true;
    }
    return closeConnection;
  }

  /** The buffered lines as one string; the buffer is emptied. */
  take(): string {
    const text = this.lines.join("");
    this.lines = [];
    return text;
  }
}

/**
 * The error page for `code` from a `%`-template, with `message` and
 * `explain` HTML-escaped; null for codes whose responses have no body
 * (1xx, 204, 205, 304).
 */
export function errorPage(
  format: string,
  code: number,
  message: string,
  explain: string,
): Uint8Array | null {
  if (code < 200 || NO_CONTENT_STATUS.has(code)) return null;
  return encoder.encode(pyFormat(format, [{
    code,
    message: htmlEscape(message),
    explain: htmlEscape(explain),
  }]));
}
