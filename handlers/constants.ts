// Copyright 2026 the httpserver authors. MIT license.
/**
 * Defaults shared by the handlers: the error page, its content type, the
 * version strings and Python's parsing limits.
 * @module
 */

/** Python's `__version__` of `http.server`, used in the `Server` header. */
export const VERSION = "0.6";

/**
 * The default error page (CPython 3.14's `DEFAULT_ERROR_MESSAGE`), a
 * `%`-style template with the keys `code`, `message` and `explain`.
 *
 * @example Keep the default page, with a line added
 * ```ts
 * import { BaseHTTPRequestHandler, DEFAULT_ERROR_MESSAGE } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { ok } from "node:assert/strict";
 *
 * class Branded extends BaseHTTPRequestHandler {
 *   override errorMessageFormat = DEFAULT_ERROR_MESSAGE.replace(
 *     "</body>",
 *     "<p>Served by example.org</p>\n    </body>",
 *   );
 *   override logMessage(): void {}
 * }
 * const conn = await runHandler(Branded, "GET / HTTP/1.0\r\n\r\n");
 * ok(conn.text().includes("<p>Error code: 501</p>"));
 * ok(conn.text().includes("<p>Served by example.org</p>"));
 * ```
 */
export const DEFAULT_ERROR_MESSAGE = `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <style type="text/css">
            :root {
                color-scheme: light dark;
            }
        </style>
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: %(code)d</p>
        <p>Message: %(message)s.</p>
        <p>Error code explanation: %(code)s - %(explain)s.</p>
    </body>
</html>
`;

/**
 * The error page's content type (no space after `;`, as in Python).
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, DEFAULT_ERROR_CONTENT_TYPE } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { ok, strictEqual } from "node:assert/strict";
 *
 * class Quiet extends BaseHTTPRequestHandler {
 *   override logMessage(): void {}
 * }
 * strictEqual(DEFAULT_ERROR_CONTENT_TYPE, "text/html;charset=utf-8");
 * const conn = await runHandler(Quiet, "GET / HTTP/1.0\r\n\r\n");
 * ok(conn.text().includes(`\r\nContent-Type: ${DEFAULT_ERROR_CONTENT_TYPE}\r\n`));
 * ```
 */
export const DEFAULT_ERROR_CONTENT_TYPE = "text/html;charset=utf-8";

/**
 * Longest request line or header line, in bytes (Python's `_MAXLINE`).
 *
 * @example A longer request line gets 414
 * ```ts
 * import { BaseHTTPRequestHandler, MAX_LINE } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { strictEqual } from "node:assert/strict";
 *
 * class Quiet extends BaseHTTPRequestHandler {
 *   override logMessage(): void {}
 * }
 * strictEqual(MAX_LINE, 65536); // the default of `maxLineLength`
 * const target = "/" + "a".repeat(MAX_LINE);
 * const conn = await runHandler(Quiet, `GET ${target} HTTP/1.0\r\n\r\n`);
 * strictEqual(conn.text().split("\r\n")[0], "HTTP/1.0 414 URI Too Long");
 * ```
 */
export const MAX_LINE = 65536;

/**
 * Most header lines, the blank line included (Python's `_MAXHEADERS`).
 *
 * @example More header lines get 431
 * ```ts
 * import { BaseHTTPRequestHandler, MAX_HEADERS } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { strictEqual } from "node:assert/strict";
 *
 * class Quiet extends BaseHTTPRequestHandler {
 *   override logMessage(): void {}
 * }
 * strictEqual(MAX_HEADERS, 100); // the default of `maxHeaders`
 * const head = "X-A: b\r\n".repeat(MAX_HEADERS + 1);
 * const conn = await runHandler(Quiet, `GET / HTTP/1.0\r\n${head}\r\n`);
 * strictEqual(
 *   conn.text().split("\r\n")[0],
 *   "HTTP/1.0 431 Too many headers",
 * );
 * ```
 */
export const MAX_HEADERS = 100;

/**
 * Most bytes in a whole request head, request line included.
 *
 * @example A handler with a smaller limit
 * ```ts
 * import { BaseHTTPRequestHandler, MAX_HEADER_BYTES } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { strictEqual } from "node:assert/strict";
 *
 * class Small extends BaseHTTPRequestHandler {
 *   override maxHeaderBytes = MAX_HEADER_BYTES / 1024; // 1 KiB instead of 1 MiB
 *   override logMessage(): void {}
 * }
 * const head = `Cookie: ${"c".repeat(2000)}\r\n`;
 * const conn = await runHandler(Small, `GET / HTTP/1.0\r\n${head}\r\n`);
 * strictEqual(conn.text().split(" ")[1], "431");
 * ```
 */
export const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * Most unread request-body bytes a handler may leave behind on a persistent
 * connection; the server reads and drops up to this many before the next
 * request, and closes the connection when more are left.
 *
 * @example Keep connections alive past larger unread bodies
 * ```ts
 * import { BaseHTTPRequestHandler, MAX_DISCARD_BYTES } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { strictEqual } from "node:assert/strict";
 *
 * class Ignoring extends BaseHTTPRequestHandler {
 *   override protocolVersion = "HTTP/1.1";
 *   async doPOST(): Promise<void> {
 *     // Answers without reading the body.
 *     this.sendResponse(204);
 *     await this.endHeaders();
 *   }
 *   override logMessage(): void {}
 * }
 * class Tolerant extends Ignoring {
 *   override maxDiscardBytes = 4 * MAX_DISCARD_BYTES;
 * }
 * const body = "x".repeat(MAX_DISCARD_BYTES + 1);
 * const input = `POST / HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
 *   "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n";
 * const answers = async (Handler: typeof Ignoring) =>
 *   (await runHandler(Handler, input)).text().split("204 No Content").length - 1;
 * strictEqual(await answers(Ignoring), 1); // closed after the first
 * strictEqual(await answers(Tolerant), 2);
 * ```
 */
export const MAX_DISCARD_BYTES = 256 * 1024;

/**
 * A reason phrase and a longer explanation for one status code.
 *
 * @example Read the table of a handler
 * ```ts
 * import { BaseHTTPRequestHandler, type StatusEntry } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { ok } from "node:assert/strict";
 *
 * class Phrase extends BaseHTTPRequestHandler {
 *   async doGET(): Promise<void> {
 *     const [phrase, explanation]: StatusEntry = this.responses[404]!;
 *     this.sendResponse(200);
 *     await this.endHeaders();
 *     await this.wfile.write(`${phrase}: ${explanation}`);
 *   }
 *   override logMessage(): void {}
 * }
 * const conn = await runHandler(Phrase, "GET / HTTP/1.0\r\n\r\n");
 * ok(conn.text().endsWith("Not Found: Nothing matches the given URI"));
 * ```
 */
export type StatusEntry = readonly [phrase: string, explanation: string];
