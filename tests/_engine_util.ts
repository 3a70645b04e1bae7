// Copyright 2026 the httpserver authors. MIT license.
/**
 * Test helpers for the `Deno.serve` engine and `--workers`: a handler class
 * served through `toFetchHandler` by a real `Deno.serve` on 127.0.0.1, port 0,
 * shaped like `startServer()` so the same cases run on both engines; bounded
 * fetches; a folder to serve and the CLI arguments that serve it.
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

/** The test certificate's folder (a CA, and a leaf for localhost). */
export const TLS: string = new URL("./testdata/tls/", import.meta.url).pathname;

/** The checkout's root (what workers read their code from). */
export const ROOT: string = new URL("../", import.meta.url).pathname.replace(
  /\/$/,
  "",
);

/** A temp folder `site/` with a page, a script and a text file. */
export async function site(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "httpserver_engine_" });
  await Deno.writeTextFile(`${dir}/hello.txt`, "Hello over the engine\n");
  await Deno.writeTextFile(
    `${dir}/index.html`,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>h2 page</title>
<script type="module" src="app.js"></script></head>
<body><p id="out">no script</p></body></html>
`,
  );
  await Deno.writeTextFile(
    `${dir}/app.js`,
    `document.getElementById("out").textContent = "script ran";\n`,
  );
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The CLI's arguments to serve `dir` on 127.0.0.1, a free port, and `more`. */
export function serving(dir: string, ...more: string[]): string[] {
  return ["0", "-b", "127.0.0.1", "-d", dir, ...more];
}

/** HTTPS from the test certificate. */
export const TLS_FLAGS: string[] = [
  "--tls-cert",
  TLS + "cert.pem",
  "--tls-key",
  TLS + "key.pem",
];
