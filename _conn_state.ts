// Copyright 2026 the httpserver authors. MIT license.
/** What the server knows of each of its connections. @module */
import type { Connection } from "./connection.ts";

/** When a connection's pending socket read and write began, or -1. */
export interface IoStamps {
  /** When the pending socket read began (`performance.now()` ms), or -1. */
  readSince: number;
  /** When the pending socket write began (`performance.now()` ms), or -1. */
  writeSince: number;
}

/** What the server knows of one of its connections. */
export interface ConnState extends IoStamps {
  /** True while the handler waits for the next request line. */
  idle: boolean;
  /** When `idle` last changed (`performance.now()` ms). */
  since: number;
  /** Set by `shutdown()`: end the connection after the current request. */
  closing: boolean;
  /** True while the handler is reading a request head. */
  readingHead: boolean;
  /** Requests served so far on the connection. */
  requests: number;
  /** The handler's own head timeout (ms), overriding the server's. */
  timeout: number | null;
  /** Set when the server closed the connection because a head was overdue. */
  timedOut: boolean;
  /** Set when the server closed the connection because a read or write stalled. */
  stalled: boolean;
}

/** A new connection's state. */
export function newConnState(closing: boolean): ConnState {
  return {
    idle: true,
    since: performance.now(),
    closing,
    readingHead: true,
    requests: 0,
    timeout: null,
    timedOut: false,
    readSince: -1,
    writeSince: -1,
    stalled: false,
  };
}

/** Per-connection state, filled in by the server that accepted it. */
export const connStates: WeakMap<Connection, ConnState> = new WeakMap();
