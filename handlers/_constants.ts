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

/** The error page's content type (no space after `;`, as in Python). */
export const DEFAULT_ERROR_CONTENT_TYPE = "text/html;charset=utf-8";

/** Longest request line or header line, in bytes (Python's `_MAXLINE`). */
export const MAX_LINE = 65536;

/** Most header lines, the blank line included (Python's `_MAXHEADERS`). */
export const MAX_HEADERS = 100;

/** Most bytes in a whole request head, request line included. */
export const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * Most unread request-body bytes a handler may leave behind on a persistent
 * connection; the server reads and drops up to this many before the next
 * request, and closes the connection when more are left.
 */
export const MAX_DISCARD_BYTES = 256 * 1024;
