// Copyright 2026 the httpserver authors. MIT license.
/**
 * The server's side of a live-reload stream: marking the connection as a
 * long-lived stream, whether the server is shutting down, and when the
 * client leaves.
 * @module
 */
import type { Connection } from "../../connection.ts";
import { ConnState } from "../../_conn_state.ts";
import { isLane } from "../../_engine/lane.ts";
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
    // Over a socket a pending read ends when the client leaves (EOF) or the
    // server closes the connection (it fails). Under Deno.serve the lane
    // would take that read for the handler's next request and end the
    // response: there a failed write and `closing()` tell.
    gone: isLane(conn) ? undefined : () => watchClose(conn),
  };
}

function watchClose(conn: Connection): Promise<void> {
  return conn.read(new Uint8Array(1)).then(noop, noop);
}

function noop(): void {}
