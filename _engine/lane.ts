// Copyright 2026 the httpserver authors. MIT license.
/**
 * The {@linkcode Connection} a handler instance reads and writes under
 * `Deno.serve`: a lane that carries one {@linkcode Exchange} at a time, so
 * that, as over a socket, one handler serves request after request. When
 * the handler has answered and asks for the next request line, the lane
 * waits for the next request of the same client address (`Deno.serve` gives
 * no connection, so the address stands for it); when the handler ends the
 * connection, or the lane waits too long, the handler sees the end of input.
 * @module
 */
import type { Connection } from "../connection.ts";
import type { FieldSource } from "../handlers/_http1/conn_io.ts";
import { CLOSED, type Exchange, type ExchangeHooks } from "./exchange.ts";

/** What reads and writes get once the lane is over (made once: a stack costs). */
const noop = () => {};

/** What a lane tells its pool. */
export interface LanePool {
  /** The lane waits for its next request; false: end it instead. */
  idle(lane: Lane): boolean;
  /** The lane ended. */
  closed(lane: Lane): void;
  /** A broken response on `lane` (reported as the server reports errors). */
  error(lane: Lane, error: unknown): void;
  /** A read or write of `lane` began to wait. */
  waiting(): void;
}

/** A handler's connection, carrying one exchange at a time. */
export class Lane implements Connection, FieldSource, ExchangeHooks {
  /** The client's address, from `Deno.serve`. */
  readonly remoteAddr: Deno.Addr | undefined;
  /** The pool's key for the client address. */
  readonly key: string;
  /** When the lane began to wait for its next request (`performance.now()`). */
  idleSince = 0;
  #pool: LanePool;
  #current: Exchange | null = null;
  #next: PromiseWithResolvers<void> | null = null;
  #closed: Error | null = null;

  constructor(
    key: string,
    remoteAddr: Deno.Addr | undefined,
    pool: LanePool,
  ) {
    this.key = key;
    this.remoteAddr = remoteAddr;
    this.#pool = pool;
  }

  /** Whether the lane carries an exchange now. */
  get busy(): boolean {
    return this.#current !== null;
  }

  /** Gives the lane its next exchange (the handler reads it next). */
  assign(exchange: Exchange): void {
    this.#current = exchange;
    const next = this.#next;
    this.#next = null;
    next?.resolve();
  }

  /** The current request's bytes; at their end, waits for the next request. */
  read(p: Uint8Array): Promise<number | null> {
    if (this.#closed) return Promise.reject(this.#closed);
    const exchange = this.#current;
    if (exchange && !exchange.requestDone) return exchange.read(p);
    return this.#nextRequest(p);
  }

  async #nextRequest(p: Uint8Array): Promise<number | null> {
    const done = this.#current;
    if (done) {
      this.#current = null;
      done.close();
      // A response cut short leaves the byte stream out of step: end here.
      if (!done.complete) return null;
    }
    if (!this.#pool.idle(this)) return null;
    this.#next = Promise.withResolvers<void>();
    await this.#next.promise;
    return this.read(p);
  }

  /** The current request's header fields, parsed (FieldSource). */
  takeFields(): [string, string][] | null {
    return this.#current?.takeFields() ?? null;
  }

  /** Feeds the current response; bytes written between exchanges are dropped. */
  write(p: Uint8Array): Promise<number> {
    if (this.#closed) return Promise.reject(this.#closed);
    return this.#current?.write(p) ?? Promise.resolve(p.length);
  }

  /** @internal A broken response of the current exchange (ExchangeHooks). */
  onError(error: unknown): void {
    this.#pool.error(this, error);
  }

  /** @internal A read or write began to wait (ExchangeHooks). */
  onWait(): void {
    this.#pool.waiting();
  }

  /** @internal The exchange cannot go on (ExchangeHooks). */
  onAbort(reason: Error): void {
    this.close(reason);
  }

  /** A body read or response write stalled: ends the lane (408 if unanswered). */
  timeout(): void {
    this.#current?.timedOut();
    this.close();
  }

  /** Ends the lane and its exchange; the handler's pending read or write fails. */
  close(reason?: Error): void {
    if (this.#closed) return;
    this.#closed = reason ?? CLOSED;
    const exchange = this.#current;
    this.#current = null;
    exchange?.close(this.#closed);
    const next = this.#next;
    this.#next = null;
    next?.reject(this.#closed);
    next?.promise.catch(noop);
    this.#pool.closed(this);
  }
}

/** Whether `conn` is a lane (a handler's connection under `Deno.serve`). */
export function isLane(conn: Connection): boolean {
  return conn instanceof Lane;
}
