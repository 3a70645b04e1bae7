// Copyright 2026 the httpserver authors. MIT license.
/**
 * Test helpers for the `Deno.serve` engine: a handler class served through
 * `toFetchHandler` by a real `Deno.serve` on 127.0.0.1, port 0, shaped like
 * `startServer()` so the same cases run on both engines.
 */
import type { HTTPServerOptions, RequestHandlerClass } from "../server.ts";
import { type FetchHandler, toFetchHandler } from "../fetch_handler.ts";
import type { TestServer } from "./_util.ts";
import { withTimeout } from "./_util.ts";

/** A `Deno.serve` server running a handler class; dispose to stop it. */
export interface FetchTestServer extends TestServer {
  /** The fetch handler. */
  handler: FetchHandler;
  /** The `Deno.serve` server. */
  httpServer: Deno.HttpServer<Deno.NetAddr>;
  /** Errors `Deno.serve` reported to its `onError`. */
  serveErrors: unknown[];
}

/** TLS options for {@linkcode startFetchServer}. */
export interface FetchTlsOptions {
  /** PEM certificate chain. */
  cert: string;
  /** PEM private key. */
  key: string;
}

/**
 * Serves `Handler` through `toFetchHandler` and `Deno.serve` on
 * 127.0.0.1, port 0; errors the handlers report go to `errors`.
 */
export function startFetchServer(
  Handler: RequestHandlerClass,
  options: Pick<HTTPServerOptions, "ioTimeout" | "shutdownTimeout"> = {},
  tls?: FetchTlsOptions,
): FetchTestServer {
  const errors: unknown[] = [];
  const serveErrors: unknown[] = [];
  const handler = toFetchHandler(Handler, options);
  handler.server.handleError = (_req, _addr, error) => {
    errors.push(error);
  };
  const httpServer = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    ...tls,
    onListen: handler.onListen,
    onError(error) {
      serveErrors.push(error);
      return new Response(null, { status: 500 });
    },
  }, handler);
  return {
    server: handler.server,
    port: httpServer.addr.port,
    errors,
    serveErrors,
    handler,
    httpServer,
    async [Symbol.asyncDispose]() {
      await withTimeout(handler.close(false), "fetch handler close");
      await withTimeout(httpServer.shutdown(), "Deno.serve shutdown");
    },
  };
}

/** `fetch()` with its response head bounded by the tests' wait. */
export function fetchWithin(
  url: string,
  init?: RequestInit & { client?: Deno.HttpClient },
): Promise<Response> {
  return withTimeout(fetch(url, init), `the response to ${url}`);
}

/** A response's body as text, bounded by the tests' wait. */
export function textWithin(res: Response): Promise<string> {
  return withTimeout(res.text(), `the body of ${res.url}`);
}
