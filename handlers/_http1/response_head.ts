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

/** A head buffer's first size; most heads fit. */
const HEAD_SIZE = 1024;
const pool: Uint8Array[] = [];
const POOL_MAX = 256;
const EMPTY = new Uint8Array(0);

/**
 * The buffered head of one response, and its framing. Lines are encoded
 * (Latin-1) as they are added, into a buffer taken from a pool for the
 * head's lifetime: no string is built per line.
 */
export class ResponseHead {
  /** The final status of the request's response (or its first interim one). */
  status = 0;
  #buf: Uint8Array = EMPTY;
  #len = 0;
  #length = false;
  #chunked = false;
  #connection = false;

  /** Whether lines are buffered, not written yet. */
  get pending(): boolean {
    return this.#len !== 0;
  }

  /** Forgets the previous request's response. */
  reset(): void {
    this.clear();
    this.status = 0;
    this.#length = this.#chunked = this.#connection = false;
  }

  /** Drops the lines not written yet (and gives their buffer back). */
  clear(): void {
    this.#len = 0;
    if (this.#buf.length === HEAD_SIZE && pool.length < POOL_MAX) {
      pool.push(this.#buf);
    }
    this.#buf = EMPTY;
  }

  /** The bytes buffered (a view, valid until the next change). */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  /** Appends `s`, every character of which is at most U+00FF. */
  #put(s: string): void {
    const n = s.length;
    let buf = this.#buf;
    let at = this.#len;
    if (at + n > buf.length) {
      let size = HEAD_SIZE;
      while (size < at + n) size *= 2;
      const bigger = size === HEAD_SIZE
        ? pool.pop() ?? new Uint8Array(HEAD_SIZE)
        : new Uint8Array(size);
      bigger.set(buf.subarray(0, at));
      if (buf.length === HEAD_SIZE && pool.length < POOL_MAX) pool.push(buf);
      this.#buf = buf = bigger;
    }
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    this.#len = at;
  }

  /**
   * Records a status line (`protocolVersion code reason`); for HTTP/0.9
   * (`reason` null) only the status.
   */
  statusLine(code: number, reason: string | null, protocolVersion = ""): void {
    if (reason !== null) {
      this.#put(protocolVersion);
      this.#put(" ");
      this.#put(String(code));
      this.#put(" ");
      this.#put(reason);
      this.#put("\r\n");
    }
    if (code >= 200 || this.status === 0) this.status = code;
    this.#length = this.#chunked = this.#connection = false;
  }

  /**
   * Records a header field (`lower` is its lower-case name), noting framing
   * fields; for HTTP/0.9 (`http09`) no line is buffered.
   */
  header(keyword: string, lower: string, value: string, http09 = false): void {
    if (!http09) {
      this.#put(keyword);
      this.#put(": ");
      this.#put(value);
      this.#put("\r\n");
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
    // A 205 is framed like any other response (see NO_BODY_STATUS): without
    // a length the client reads it until the connection closes.
    if (
      !closeConnection && !this.#length && !this.#chunked &&
      !NO_BODY_STATUS.has(this.status) && command !== "HEAD"
    ) closeConnection = true;
    if (closeConnection && !this.#connection && protocolVersion >= "HTTP/1.1") {
      this.#put("Connection: close\r\n");
      this.#connection = true;
    }
    return closeConnection;
  }

  /** Ends the head: the blank line. */
  end(): void {
    this.#put("\r\n");
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
