// Copyright 2026 the httpserver authors. MIT license.
/** Internal error types. @module */

/**
 * Bad client input found below the handler (framing, chunked coding): the
 * handler answers it with this status and closes the connection. Handlers
 * see it from `rfile` reads; its `name` is documented there (see `RFile`).
 */
export class ProtocolError extends Error {
  /** The HTTP status to answer with. */
  readonly code: number;
  /** The error page's explanation, when not the default one. */
  readonly explain: string | undefined;
  constructor(code: number, message: string, explain?: string) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
    this.explain = explain;
  }
}

/** Whether an error only says that the peer went away or the socket closed. */
export function isDisconnect(error: unknown): boolean {
  return error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.NotConnected ||
    error instanceof Deno.errors.BadResource ||
    error instanceof Deno.errors.Interrupted ||
    error instanceof Deno.errors.UnexpectedEof ||
    (error instanceof Error &&
      /^(EPIPE|ECONNRESET|ENOTCONN)$/.test(
        String((error as { code?: unknown }).code),
      ));
}
