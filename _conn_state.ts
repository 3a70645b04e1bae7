// Copyright 2026 the httpserver authors. MIT license.
/**
 * What the server knows of each of its connections. Every change of a
 * connection's state goes through a method of {@linkcode ConnState}, as Go's
 * `net/http` changes a `conn`'s state only through `setState`: the server
 * opens it and marks it for shutdown, the handler moves it through each
 * request, the sweeper closes it with a reason, and the reader and writer
 * time their socket calls in its {@linkcode IoStamps}.
 * @module
 */
import type { Connection } from "./connection.ts";

/** When a connection's pending socket read and write began, or -1. */
export interface IoStamps {
  /** When the pending socket read began (`performance.now()` ms), or -1. */
  readSince: number;
  /** When the pending socket write began (`performance.now()` ms), or -1. */
  writeSince: number;
}

/**
 * Why a connection ends early: the server shuts down, a request head came
 * too slowly, or a body read or response write made no progress.
 */
export type CloseReason = "shutdown" | "head-timeout" | "io-stalled";

const states = new WeakMap<Connection, ConnState>();

/** The state of one connection, from accept to close. */
export class ConnState implements IoStamps {
  /** When the pending socket read began (`performance.now()` ms), or -1. */
  readSince = -1;
  /** When the pending socket write began (`performance.now()` ms), or -1. */
  writeSince = -1;
  /** The handler's own timeout (ms), overriding the server's; set in `setup()`. */
  timeout: number | null = null;
  #idle = true;
  #since = performance.now();
  #readingHead = true;
  #requests = 0;
  #closing = false;
  #timedOut = false;
  #stalled = false;
  #streaming = false;
  #unread = false;

  /** Records a new connection of a server; `closing` when it shuts down. */
  static open(conn: Connection, closing: boolean): ConnState {
    const state = new ConnState();
    if (closing) state.close("shutdown");
    states.set(conn, state);
    return state;
  }

  /** The state of a connection a server opened, if any. */
  static of(conn: Connection): ConnState | undefined {
    return states.get(conn);
  }

  /** True while the handler waits for a request line with nothing received. */
  get idle(): boolean {
    return this.#idle;
  }
  /**
   * True while the connection holds a long-lived response (live reload's
   * event stream) that ends only when the client leaves or the server
   * closes the connection; see {@linkcode ConnState.beginStream}.
   */
  get streaming(): boolean {
    return this.#streaming;
  }
  /**
   * True while a request is being served: from the first byte of its request
   * line until the handler waits for the next one, except while the
   * connection holds a long-lived stream. `shutdown()` waits for these
   * connections and closes the others at once; an idle rule (no request in
   * flight) counts these only.
   */
  get inFlight(): boolean {
    return !this.#idle && !this.#streaming;
  }
  /** When the current request head began to be awaited (`performance.now()` ms). */
  get since(): number {
    return this.#since;
  }
  /** True while the handler is reading a request head. */
  get readingHead(): boolean {
    return this.#readingHead;
  }
  /** Requests served so far on the connection. */
  get requests(): number {
    return this.#requests;
  }
  /** Set by `close()`: end the connection after the current request. */
  get closing(): boolean {
    return this.#closing;
  }
  /** Set when the connection was closed because a head was overdue or I/O stalled. */
  get timedOut(): boolean {
    return this.#timedOut;
  }
  /** Set when the connection was closed because a read or write stalled. */
  get stalled(): boolean {
    return this.#stalled;
  }
  /**
   * Whether the server should linger before closing: the client may still
   * be sending bytes nobody read (see `unreadInput()`), and the connection
   * is not being ended for a timeout or a shutdown.
   */
  get lingers(): boolean {
    return this.#unread && !this.#closing;
  }

  /** The handler waits for the next request line; `buffered` when bytes of it are in. */
  beginHead(buffered: boolean): void {
    this.#readingHead = true;
    this.#streaming = false;
    this.#idle = !buffered;
    this.#since = performance.now();
  }

  /** The request line has arrived (or the client closed): no longer idle. */
  headArrived(): void {
    this.#idle = false;
  }

  /** The head is parsed: the handler runs, and reads the body if any. */
  beginBody(): void {
    this.#readingHead = false;
  }

  /**
   * The response's head is sent and its body is a long-lived stream: the
   * connection is no request in flight until its next request head (see
   * {@linkcode ConnState.inFlight}), so shutdown closes it at once.
   */
  beginStream(): void {
    this.#streaming = true;
  }

  /**
   * The handler ends the connection with input it did not read: a body, the
   * rest of a head it refused, or bytes of a next request.
   */
  unreadInput(): void {
    this.#unread = true;
  }

  /** The request is over; what is left is flushing and dropping its body. */
  endRequest(): void {
    this.#readingHead = false;
    this.#requests++;
  }

  /**
   * Marks the connection to end after the current request (the caller closes
   * the socket when it must not wait). A timeout stays recorded when a
   * shutdown follows it.
   */
  close(reason: CloseReason): void {
    this.#closing = true;
    if (reason !== "shutdown") this.#timedOut = true;
    if (reason === "io-stalled") this.#stalled = true;
  }
}
