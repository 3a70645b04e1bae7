// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode HTTPServer}: Python's `HTTPServer` over `Deno.listen`, serving
 * connections concurrently as Python's `ThreadingHTTPServer` does.
 * @module
 */
import { settle } from "./_settle.ts";
import type { Connection } from "./connection.ts";
import { ConnState } from "./_conn_state.ts";
import { TimeoutSweeper } from "./_sweeper.ts";
import { reusePortOption } from "./_engine/reuse_port.ts";
import { serverNameFor } from "./_server_name.ts";
import { isDisconnect } from "./_errors.ts";
import { linger } from "./_linger.ts";
import { AcceptBackoff, isClosedListener, remote } from "./_accept.ts";
import { writeStderr } from "./_log.ts";
import { pyStr } from "./_text.ts";
import type {
  ClientAddress,
  HTTPServerOptions,
  RequestHandler,
} from "./server_types.ts";

export type {
  ClientAddress,
  HTTPServerOptions,
  RequestHandler,
} from "./server_types.ts";

/**
 * A request handler class, constructed once per connection.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, HTTPServer, type RequestHandlerClass } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * function makeServer(Handler: RequestHandlerClass): HTTPServer {
 *   return new HTTPServer(["127.0.0.1", 0], Handler, { bindAndActivate: false });
 * }
 * const server = makeServer(BaseHTTPRequestHandler);
 * strictEqual(server.RequestHandlerClass, BaseHTTPRequestHandler);
 * ```
 */
export type RequestHandlerClass = new (
  request: Connection,
  clientAddress: ClientAddress,
  server: HTTPServer,
) => RequestHandler;

/**
 * Listens on `serverAddress` and hands each connection to a new instance of
 * `RequestHandlerClass`, as Python's `HTTPServer(server_address,
 * RequestHandlerClass)`. Connections are served concurrently.
 *
 * @example Serve until shut down
 * ```ts
 * import { BaseHTTPRequestHandler, HTTPServer } from "@x/httpserver";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * class NotFound extends BaseHTTPRequestHandler {
 *   async doGET(): Promise<void> {
 *     await this.sendError(404);
 *   }
 *   override logMessage(): void {}
 * }
 *
 * const server = new HTTPServer(["127.0.0.1", 0], NotFound);
 * const serving = server.serveForever();
 * const res = await fetch(`http://127.0.0.1:${server.serverPort}/`);
 * deepStrictEqual(res.status, 404);
 * await res.body?.cancel();
 * await server.shutdown();
 * await serving;
 * server.serverClose();
 * ```
 */
export class HTTPServer {
  /** The bound `[host, port]`; port 0 is replaced by the real port. */
  serverAddress: ClientAddress;
  /** The handler class constructed for each connection. */
  RequestHandlerClass: RequestHandlerClass;
  /** The host name of the server (Python uses `socket.getfqdn()`). */
  serverName = "";
  /** The bound port. */
  serverPort = 0;
  /** The listening socket, once bound. */
  socket: Deno.Listener | null = null;
  /** Milliseconds `handleRequest()` waits for a connection; `null` waits forever. */
  timeout: number | null = null;
  /** Let a second server bind the same port (Python 3.14: false). */
  allowReusePort = false;
  /** Most connections served at once. */
  maxConnections: number;
  /** Milliseconds `shutdown()` waits for in-flight requests. */
  shutdownTimeout: number;
  /** Milliseconds allowed for a connection's first request head. */
  headersTimeout: number;
  /** Milliseconds a persistent connection may wait for its next request. */
  keepAliveTimeout: number;
  /** Milliseconds one body read or response write may wait without progress. */
  ioTimeout: number;
  /**
   * Milliseconds the server keeps reading and dropping what a client still
   * sends after it answered without reading it (lingering close); 0 closes
   * at once.
   */
  lingerTimeout: number;

  #active = new Map<Connection, Promise<void>>();
  #slotFreed: (() => void) | null = null;
  #serving: Promise<void> | null = null;
  #shuttingDown = false;
  #sweeper: TimeoutSweeper = new TimeoutSweeper(
    this,
    () => this.#active.keys(),
    (conn) => this.shutdownRequest(conn),
  );

  /** Binds and listens on `serverAddress` unless `bindAndActivate` is false. */
  constructor(
    serverAddress: ClientAddress,
    RequestHandlerClass: RequestHandlerClass,
    options: HTTPServerOptions = {},
  ) {
    this.serverAddress = [serverAddress[0], serverAddress[1]];
    this.RequestHandlerClass = RequestHandlerClass;
    this.maxConnections = options.maxConnections ?? 4096;
    this.shutdownTimeout = options.shutdownTimeout ?? 5000;
    this.headersTimeout = options.headersTimeout ?? 30_000;
    this.keepAliveTimeout = options.keepAliveTimeout ?? 60_000;
    this.ioTimeout = options.ioTimeout ?? 60_000;
    this.lingerTimeout = options.lingerTimeout ?? 30_000;
    if (options.bindAndActivate ?? true) this.bindAndActivate();
  }

  /** Binds and listens; on failure closes what it opened and rethrows. */
  bindAndActivate(): void {
    try {
      this.serverBind();
      this.serverActivate();
    } catch (error) {
      this.serverClose();
      throw error;
    }
  }

  /** Opens the listening socket and records `serverName` and `serverPort`. */
  serverBind(): void {
    const [host, port] = this.serverAddress;
    this.socket = this.listen(host === "" ? "0.0.0.0" : host, port);
    const addr = this.socket.addr as Deno.NetAddr;
    this.serverAddress = [addr.hostname, addr.port];
    this.serverName = serverNameFor(host === "" ? "0.0.0.0" : host);
    this.serverPort = addr.port;
  }

  /** Opens the listener; `HTTPSServer` overrides it. */
  protected listen(hostname: string, port: number): Deno.Listener {
    const reusePort = reusePortOption(this.allowReusePort);
    return Deno.listen({ hostname, port, reusePort });
  }

  /** Starts listening (done by `serverBind()` in Deno; kept for Python's call order). */
  serverActivate(): void {}

  /** The listener's address. */
  get address(): Deno.Addr | null {
    return this.socket?.addr ?? null;
  }

  /**
   * Accepts and serves connections until `shutdown()` is called. Resolves
   * once the listener is closed and in-flight connections have ended.
   */
  serveForever(): Promise<void> {
    if (!this.socket) {
      return Promise.reject(new Error("Cannot serve: the server is not bound"));
    }
    if (!this.#serving) {
      this.#serving = this.#acceptLoop().finally(() => this.#sweeper.stop());
    }
    return this.#serving;
  }

  async #acceptLoop(): Promise<void> {
    this.#sweeper.start();
    const backoff = new AcceptBackoff();
    while (!this.#shuttingDown) {
      if (this.#active.size >= this.maxConnections) {
        await new Promise<void>((resolve) => this.#slotFreed = resolve);
        continue;
      }
      let conn: Deno.Conn;
      try {
        conn = await this.socket!.accept();
        backoff.reset();
      } catch (error) {
        if (this.#shuttingDown || !this.socket || isClosedListener(error)) {
          break;
        }
        await backoff.wait(error); // a passing failure: retry
        continue;
      }
      const clientAddress = remote(conn);
      if (this.verifyRequest(conn, clientAddress)) {
        this.#start(conn, clientAddress);
      } else this.shutdownRequest(conn);
    }
    await Promise.allSettled(this.#active.values());
  }

  #start(conn: Connection, clientAddress = remote(conn)): Promise<void> {
    ConnState.open(conn, this.#shuttingDown);
    const done = this.processRequest === PROTO.processRequest &&
        this.finishRequest === PROTO.finishRequest
      ? this.#serve(conn, clientAddress)
      : this.processRequest(conn, clientAddress).finally(() =>
        this.#ended(conn)
      );
    this.#active.set(conn, done);
    return done;
  }

  /** A connection is over: its slot is free. */
  #ended(conn: Connection): void {
    this.#active.delete(conn);
    const freed = this.#slotFreed;
    this.#slotFreed = null;
    freed?.();
  }

  /**
   * `processRequest()` and `finishRequest()` when neither is overridden, in
   * one async frame: an idle connection holds fewer.
   */
  async #serve(conn: Connection, clientAddress: ClientAddress): Promise<void> {
    try {
      const handler = new this.RequestHandlerClass(conn, clientAddress, this);
      const ready = handler.setup();
      if (ready) await ready;
      try {
        await handler.handle();
      } finally {
        await handler.finish();
      }
    } catch (error) {
      if (!isDisconnect(error)) this.handleError(conn, clientAddress, error);
    } finally {
      await this.#close(conn);
      this.#ended(conn);
    }
  }

  /** Lingers when the client may still be sending, then closes. */
  async #close(conn: Connection): Promise<void> {
    if (ConnState.of(conn)?.lingers) await linger(conn, this.lingerTimeout);
    this.shutdownRequest(conn);
  }

  /**
   * Waits for one connection and serves it to the end (Python's
   * `handle_request()`). With `timeout` set and no client in time, calls
   * `handleTimeout()` instead.
   */
  async handleRequest(): Promise<void> {
    if (!this.socket) {
      throw new Error("Cannot handle a request: the server is not bound");
    }
    let conn: Deno.Conn;
    if (this.timeout === null) conn = await this.socket.accept();
    else {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const accepted = this.socket.accept();
      const expired = new Promise<null>((r) =>
        timer = setTimeout(() => r(null), this.timeout!)
      );
      const first = await Promise.race([accepted, expired]);
      clearTimeout(timer);
      if (first === null) {
        // The pending accept completes with the next client; serve it then.
        accepted.then((c) => this.#start(c), () => {});
        this.handleTimeout();
        return;
      }
      conn = first;
    }
    const clientAddress = remote(conn);
    if (!this.verifyRequest(conn, clientAddress)) {
      this.shutdownRequest(conn);
      return;
    }
    await this.#start(conn, clientAddress);
  }

  /** Called by `handleRequest()` when `timeout` passes with no client. */
  handleTimeout(): void {}

  /** Whether to serve a connection; override to filter clients. */
  verifyRequest(_request: Connection, _clientAddress: ClientAddress): boolean {
    return true;
  }

  /** Serves one connection, then closes it; errors go to `handleError()`. */
  async processRequest(
    request: Connection,
    clientAddress: ClientAddress,
  ): Promise<void> {
    try {
      await this.finishRequest(request, clientAddress);
    } catch (error) {
      if (!isDisconnect(error)) this.handleError(request, clientAddress, error);
    } finally {
      await this.#close(request);
    }
  }

  /** Constructs the handler and runs its setup, handle and finish. */
  async finishRequest(
    request: Connection,
    clientAddress: ClientAddress,
  ): Promise<void> {
    const handler = new this.RequestHandlerClass(request, clientAddress, this);
    await handler.setup();
    try {
      await handler.handle();
    } finally {
      await handler.finish();
    }
  }

  /** Closes a connection (Python's `shutdown_request` and `close_request`). */
  shutdownRequest(request: Connection): void {
    try {
      request.close();
    } catch { /* already closed */ }
  }

  /**
   * Reports an exception a handler raised: a traceback block on stderr, as
   * Python prints it. The connection is closed; serving goes on.
   */
  handleError(
    _request: Connection,
    clientAddress: ClientAddress,
    error?: unknown,
  ): void {
    const dashes = "-".repeat(40);
    const trace = error instanceof Error
      ? (error.stack ?? String(error))
      : pyStr(error);
    writeStderr(
      `${dashes}\nException occurred during processing of request from ${
        pyStr(clientAddress)
      }\n${trace}\n${dashes}\n`,
    );
  }

  /**
   * Stops `serveForever()`: closes the listener, closes idle keep-alive
   * connections and long-lived streams, lets in-flight requests finish for
   * up to `shutdownTimeout` ms, then closes what is left. Resolves when
   * serving has stopped.
   */
  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    this.#closeListener();
    this.#slotFreed?.();
    for (const conn of this.#active.keys()) {
      const state = ConnState.of(conn);
      state?.close("shutdown");
      if (!state?.inFlight) this.shutdownRequest(conn);
    }
    if (this.#active.size) {
      await settle(
        Promise.allSettled(this.#active.values()),
        this.shutdownTimeout,
      );
      for (const conn of this.#active.keys()) this.shutdownRequest(conn);
      await Promise.allSettled(this.#active.values());
    }
    await this.#serving?.catch(() => {});
  }

  /** Closes the listener and every open connection. */
  serverClose(): void {
    this.#shuttingDown = true;
    this.#closeListener();
    for (const conn of this.#active.keys()) this.shutdownRequest(conn);
    this.#sweeper.stop();
  }

  #closeListener(): void {
    try {
      this.socket?.close();
    } catch { /* already closed */ }
  }

  /** `await using server = new HTTPServer(...)`: shuts down and closes. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
    this.serverClose();
  }
}

const PROTO = HTTPServer.prototype;
