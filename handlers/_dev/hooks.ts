// Copyright 2026 the httpserver authors. MIT license.
/**
 * The server's side of a live-reload stream: whether the server is shutting
 * down, from the connection's state.
 * @module
 */
import type { Connection } from "../../connection.ts";
import { ConnState } from "../../_conn_state.ts";
import type { StreamHooks } from "./dev.ts";

/** The hooks of the stream served on `conn`. */
export function streamHooks(conn: Connection): StreamHooks {
  return { closing: () => ConnState.of(conn)?.closing ?? false };
}
