// Copyright 2026 the httpserver authors. MIT license.
/**
 * The lanes of one fetch handler: each request goes to a lane that waits for
 * a request from the same client address, else to a new lane, whose handler
 * instance the server's `processRequest()` runs. Waiting lanes are few and
 * short-lived: at most {@linkcode MAX_IDLE}, ended after
 * {@linkcode LANE_IDLE_MS} (looked at when requests come, so that no timer
 * runs for them). Body reads and response writes that stall are ended at
 * the server's `ioTimeout` by the timeout sweep, which runs only while some
 * lane carries a request.
 * @module
 */
import type { ClientAddress, HTTPServer } from "../server.ts";
import { ConnState } from "../_conn_state.ts";
import { TimeoutSweeper } from "../_sweeper.ts";
import { Exchange } from "./exchange.ts";
import { Lane, type LanePool } from "./lane.ts";
import { settle } from "../_settle.ts";

/** Most lanes waiting for a next request at once. */
export const MAX_IDLE = 1024;
/** How long a lane waits for the next request of its client address (ms). */
export const LANE_IDLE_MS = 5000;

function addressOf(remote: Deno.Addr | undefined): ClientAddress {
  return remote?.transport === "tcp" || remote?.transport === "udp"
    ? [remote.hostname, remote.port]
    : ["", 0];
}

/** The lanes of one fetch handler, and their handlers. */
export class Lanes implements LanePool {
  #server: HTTPServer;
  #all = new Map<Lane, Promise<void>>();
  #idle = new Map<string, Lane[]>();
  #idleCount = 0;
  #lastEvict = 0;
  #closing = false;
  #sweeper: TimeoutSweeper;

  constructor(server: HTTPServer) {
    this.#server = server;
    this.#sweeper = new TimeoutSweeper(
      server,
      () => [...this.#all.keys()].filter((lane) => lane.busy),
      (lane) => (lane as Lane).timeout(),
    );
  }

  /** Runs `request` on a lane; resolves to its response. */
  serve(request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> {
    const remote = info?.remoteAddr;
    const address = addressOf(remote);
    const key = `${address[0]} ${address[1]}`;
    this.#evict();
    const lane = this.#takeIdle(key) ?? this.#open(key, remote, address);
    const exchange = new Exchange(request, lane);
    lane.assign(exchange);
    return exchange.response;
  }

  #open(
    key: string,
    remote: Deno.Addr | undefined,
    address: ClientAddress,
  ): Lane {
    const lane = new Lane(key, remote, this);
    ConnState.open(lane, this.#closing);
    const done = this.#server.processRequest(lane, address).finally(() => {
      // processRequest() closed the lane (shutdownRequest).
      this.#all.delete(lane);
      this.#maybeStopSweep();
    });
    this.#all.set(lane, done);
    return lane;
  }

  #takeIdle(key: string): Lane | undefined {
    const list = this.#idle.get(key);
    const lane = list?.pop();
    if (!lane) return undefined;
    if (list!.length === 0) this.#idle.delete(key);
    this.#idleCount--;
    return lane;
  }

  /** Ends lanes that waited longer than {@linkcode LANE_IDLE_MS}. */
  #evict(now: number = performance.now()): void {
    if (now - this.#lastEvict < 1000 || this.#idleCount === 0) return;
    this.#lastEvict = now;
    for (const list of [...this.#idle.values()]) {
      for (const lane of [...list]) {
        if (now - lane.idleSince > LANE_IDLE_MS) lane.close();
      }
    }
  }

  /** @internal A lane waits for its next request (LanePool). */
  idle(lane: Lane): boolean {
    if (this.#closing || this.#idleCount >= MAX_IDLE) return false;
    lane.idleSince = performance.now();
    const list = this.#idle.get(lane.key);
    if (list) list.push(lane);
    else this.#idle.set(lane.key, [lane]);
    this.#idleCount++;
    this.#maybeStopSweep();
    return true;
  }

  /** @internal A broken response (LanePool): the server's `handleError()`. */
  error(lane: Lane, error: unknown): void {
    this.#server.handleError(lane, addressOf(lane.remoteAddr), error);
  }

  /** @internal A read or write began to wait (LanePool). */
  waiting(): void {
    this.#sweeper.start();
  }

  /** @internal A lane ended (LanePool). */
  closed(lane: Lane): void {
    const list = this.#idle.get(lane.key);
    const at = list?.indexOf(lane) ?? -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (list!.length === 0) this.#idle.delete(lane.key);
    this.#idleCount--;
  }

  #maybeStopSweep(): void {
    if (this.#all.size === this.#idleCount) this.#sweeper.stop();
  }

  /**
   * Ends every lane: waiting ones and long-lived streams at once; with
   * `graceful`, those carrying a request get `shutdownTimeout` ms to finish
   * first.
   */
  async close(graceful: boolean): Promise<void> {
    this.#closing = true;
    for (const lane of this.#all.keys()) {
      const state = ConnState.of(lane);
      state?.close("shutdown");
      // A long-lived stream (live reload's events) is no request in flight.
      if (!lane.busy || state?.streaming) lane.close();
    }
    if (graceful && this.#all.size) {
      await settle(
        Promise.allSettled(this.#all.values()),
        this.#server.shutdownTimeout,
      );
    }
    for (const lane of this.#all.keys()) lane.close();
    await Promise.allSettled(this.#all.values());
    this.#sweeper.stop();
  }
}
