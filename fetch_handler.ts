// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode toFetchHandler}: any handler class, unchanged, as the
 * `(request, info) => Promise<Response>` function that `Deno.serve`,
 * `deno serve` and Deno Deploy call. HTTP/2, TLS in Deno's native stack and
 * `deno serve --parallel` come with it.
 *
 * @example Serve a folder over `Deno.serve`
 * ```ts
 * import { SimpleHTTPRequestHandler, toFetchHandler } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/hello.txt`, "Hello\n");
 * class Handler extends SimpleHTTPRequestHandler {
 *   override directory = dir;
 *   override logMessage(): void {}
 * }
 * await using handler = toFetchHandler(Handler);
 * await using server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen: handler.onListen },
 *   handler,
 * );
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/hello.txt`);
 * strictEqual(res.headers.get("content-type"), "text/plain");
 * strictEqual(await res.text(), "Hello\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
import { HTTPServer, type RequestHandlerClass } from "./server.ts";
import type { HTTPServerOptions } from "./server_types.ts";
import { Lanes } from "./_engine/lanes.ts";
import { serverNameFor } from "./_server_name.ts";

/**
 * Options for {@linkcode toFetchHandler}.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, type FetchHandlerOptions, toFetchHandler } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const options: FetchHandlerOptions = { ioTimeout: 5_000 };
 * await using handler = toFetchHandler(BaseHTTPRequestHandler, options);
 * strictEqual(handler.server.ioTimeout, 5_000);
 * ```
 */
export interface FetchHandlerOptions
  extends Pick<HTTPServerOptions, "ioTimeout" | "shutdownTimeout"> {
  /**
   * The server the handlers see as `this.server` (its `serverName`,
   * `serverPort`, `handleError()` and timeouts); its
   * `RequestHandlerClass` must be the handler class. By default an unbound
   * {@linkcode HTTPServer}, given the other options.
   */
  server?: HTTPServer;
}

/**
 * What {@linkcode toFetchHandler} returns: the function to give
 * `Deno.serve`, with the server its handlers see and a way to stop.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, type FetchHandler, toFetchHandler } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const handler: FetchHandler = toFetchHandler(BaseHTTPRequestHandler);
 * handler.onListen({ transport: "tcp", hostname: "127.0.0.1", port: 8080 });
 * strictEqual(handler.server.serverPort, 8080);
 * strictEqual(handler.server.serverName, "localhost");
 * await handler.close();
 * ```
 */
export interface FetchHandler extends AsyncDisposable {
  /** Runs one request through a new handler instance. */
  (request: Request, info?: Deno.ServeHandlerInfo): Promise<Response>;
  /** The server the handlers see as `this.server`. */
  readonly server: HTTPServer;
  /**
   * Records the listening address as the server's `serverAddress`,
   * `serverName` and `serverPort` (CGI's `SERVER_NAME` and `SERVER_PORT`):
   * pass it as `Deno.serve`'s `onListen`.
   */
  onListen(addr: Deno.Addr): void;
  /**
   * Ends what is still running: requests in flight get `shutdownTimeout`
   * ms to finish (none when `graceful` is false), then their connections
   * close, which ends endless responses such as event streams.
   */
  close(graceful?: boolean): Promise<void>;
}

/**
 * Runs `Handler` (any `BaseHTTPRequestHandler` subclass, Simple and CGI
 * included) under `Deno.serve`. Each request gets a new handler instance over
 * an in-memory connection: the handler reads the request as HTTP/1.1 bytes
 * and its output becomes the `Response`, streamed with backpressure when it
 * is long. What cannot carry over (custom reason phrases, raw request header
 * lines, HTTP/0.9...) is listed in the README's "Engines" section.
 *
 * @example A handler under `Deno.serve`, reading a request body
 * ```ts
 * import { BaseHTTPRequestHandler, toFetchHandler } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * class Upper extends BaseHTTPRequestHandler {
 *   override protocolVersion = "HTTP/1.1";
 *   async doPOST(): Promise<void> {
 *     const text = new TextDecoder().decode(await this.rfile.read());
 *     const body = new TextEncoder().encode(text.toUpperCase());
 *     this.sendResponse(200);
 *     this.sendHeader("Content-Length", String(body.length));
 *     await this.endHeaders();
 *     await this.wfile.write(body);
 *   }
 *   override logMessage(): void {}
 * }
 * await using handler = toFetchHandler(Upper);
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/`, {
 *   method: "POST",
 *   body: "shout",
 * });
 * strictEqual(await res.text(), "SHOUT");
 * ```
 *
 * @param Handler The handler class, constructed once per request.
 * @param options The server the handlers see, and timeouts.
 * @returns The function to pass to `Deno.serve`.
 * @throws {TypeError} When `options.server` serves another handler class.
 */
export function toFetchHandler(
  Handler: RequestHandlerClass,
  options: FetchHandlerOptions = {},
): FetchHandler {
  const server = options.server ??
    new HTTPServer(["", 0], Handler, {
      bindAndActivate: false,
      ioTimeout: options.ioTimeout,
      shutdownTimeout: options.shutdownTimeout,
    });
  if (server.RequestHandlerClass !== Handler) {
    throw new TypeError(
      "Cannot make a fetch handler: options.server serves another handler class",
    );
  }
  const lanes = new Lanes(server);
  const fetch = (
    request: Request,
    info?: Deno.ServeHandlerInfo,
  ): Promise<Response> => lanes.serve(request, info);

  const onListen = (addr: Deno.Addr): void => {
    if (addr.transport !== "tcp") return;
    server.serverAddress = [addr.hostname, addr.port];
    server.serverPort = addr.port;
    server.serverName = serverNameFor(addr.hostname);
  };

  const close = (graceful = true): Promise<void> => lanes.close(graceful);

  return Object.assign(fetch, {
    server,
    onListen,
    close,
    [Symbol.asyncDispose]: () => close(),
  });
}
