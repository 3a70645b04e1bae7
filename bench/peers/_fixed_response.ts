// Copyright 2026 the httpserver authors. MIT license.
/**
 * What the bare-loop peers answer: the same 1 KiB response, keep-alive or
 * `Connection: close`, and how they spot a `Connection: close` request.
 * @module
 */

const BODY = "x".repeat(1023) + "\n";

/** The whole response (head and 1 KiB body), as Latin-1 text. */
export function fixedResponse(close: boolean): string {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n" +
    `Content-Length: ${BODY.length}\r\n${
      close ? "Connection: close\r\n" : ""
    }\r\n` + BODY;
}

/** A `Connection: close` line in a request head. */
export const CLOSE_HEADER: RegExp = /^connection:[ \t]*close[ \t]*$/im;
