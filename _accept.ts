// Copyright 2026 the httpserver authors. MIT license.
/**
 * What `HTTPServer` needs around `accept()`: a connection's client address,
 * and backing off an accept that fails for a passing reason (EMFILE,
 * ECONNABORTED...), with one log line per kind of failure a minute.
 * @module
 */
import type { Connection } from "./connection.ts";
import type { ClientAddress } from "./server_types.ts";
import { writeStderr } from "./_log.ts";

/** The client's `[host, port]` of a connection. */
export function remote(conn: Connection): ClientAddress {
  const addr = conn.remoteAddr as Deno.NetAddr | undefined;
  return [addr?.hostname ?? "", addr?.port ?? 0];
}

/** Whether an accept failed because the listener was closed. */
export function isClosedListener(error: unknown): boolean {
  return error instanceof Deno.errors.BadResource ||
    error instanceof Deno.errors.Interrupted;
}

/** The back-off of a failing accept loop. */
export class AcceptBackoff {
  #delay = 0;
  #lastFailure = "";
  #lastLogged = -Infinity;

  /** An accept succeeded. */
  reset(): void {
    this.#delay = 0;
  }

  /** Logs `error` (at most once a minute per message) and waits before the next try. */
  wait(error: unknown): Promise<void> {
    const delay = this.#delay = this.#delay
      ? Math.min(this.#delay * 2, 1000)
      : 5;
    const message = (error as Error).message;
    const now = performance.now();
    if (message !== this.#lastFailure || now - this.#lastLogged > 60_000) {
      this.#lastFailure = message;
      this.#lastLogged = now;
      writeStderr(`Accept failed (${message}); retrying in ${delay} ms\n`);
    }
    return new Promise((r) => setTimeout(r, delay));
  }
}
