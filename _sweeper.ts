// Copyright 2026 the httpserver authors. MIT license.
/**
 * The timeout sweep: one interval timer per server closes connections whose
 * request head is overdue or whose body read or response write stalled, so no
 * per-request timer sits on the hot path.
 * @module
 */
import type { Connection } from "./connection.ts";
import { ConnState } from "./_conn_state.ts";

/** The server's limits, read at every sweep (milliseconds). */
export interface SweepLimits {
  readonly headersTimeout: number;
  readonly keepAliveTimeout: number;
  readonly ioTimeout: number;
}

const SWEEP_INTERVAL = 1000;

/** Closes overdue connections of one server, on an unref'd interval. */
export class TimeoutSweeper {
  #limits: SweepLimits;
  #connections: () => Iterable<Connection>;
  #close: (conn: Connection) => void;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    limits: SweepLimits,
    connections: () => Iterable<Connection>,
    close: (conn: Connection) => void,
  ) {
    this.#limits = limits;
    this.#connections = connections;
    this.#close = close;
  }

  /** Starts sweeping; short timeouts get a finer sweep, to end near on time. */
  start(): void {
    if (this.#timer !== undefined) return;
    const l = this.#limits;
    const interval = Math.max(
      20,
      Math.min(
        SWEEP_INTERVAL,
        l.headersTimeout / 4,
        l.keepAliveTimeout / 4,
        l.ioTimeout / 4,
      ),
    );
    let last = performance.now();
    this.#timer = setInterval(() => {
      const now = performance.now();
      const late = now - last > 2 * interval + 100;
      last = now;
      // After the event loop was blocked, requests that arrived meanwhile
      // have not been read yet: judge timeouts on the next, punctual sweep.
      if (!late) this.sweep(now);
    }, interval);
    Deno.unrefTimer(this.#timer as unknown as number);
  }

  /** Stops sweeping. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Closes connections whose request head is overdue or whose I/O stalled. */
  sweep(now: number = performance.now()): void {
    const l = this.#limits;
    for (const conn of this.#connections()) {
      const state = ConnState.of(conn);
      if (!state) continue;
      if (!state.readingHead) {
        // A body that stopped arriving, or a response the client stopped reading.
        const since = Math.min(
          state.readSince < 0 ? Infinity : state.readSince,
          state.writeSince < 0 ? Infinity : state.writeSince,
        );
        if (now - since > (state.timeout ?? l.ioTimeout)) {
          state.close("io-stalled");
          this.#close(conn);
        }
        continue;
      }
      const limit = state.timeout ??
        (state.requests === 0 ? l.headersTimeout : l.keepAliveTimeout);
      if (now - state.since > limit) {
        state.close("head-timeout");
        this.#close(conn);
      }
    }
  }
}
