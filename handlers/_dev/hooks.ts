// Copyright 2026 the httpserver authors. MIT license.
/**
 * The server's side of a live-reload stream: marking the connection as a
 * long-lived stream, and whether the server is shutting down.
 * @module
 */
import type { Connection } from "../../connection.ts";
import { ConnState } from "../../_conn_state.ts";
import type { StreamHooks } from "./events.ts";

/**
 * The hooks of the stream served on `conn`. Once streaming, the connection
 * is no request in flight (`ConnState.beginStream()`): `shutdown()` closes
 * it at once instead of waiting for it, and an idle rule does not count it.
 */
export function streamHooks(conn: Connection): StreamHooks {
  return {
    onStart: () => ConnState.of(conn)?.beginStream(),
    closing: () => ConnState.of(conn)?.closing ?? false,
  };
}
