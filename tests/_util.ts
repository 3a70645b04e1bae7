// Copyright 2026 the httpserver authors. MIT license.
/** Test helpers: bounded waits and servers on port 0 (raw-socket clients: _raw_client.ts). */
import {
  HTTPServer,
  type HTTPServerOptions,
  type RequestHandlerClass,
} from "../server.ts";
import { concatBytes as concat } from "../_bytes.ts";

/** Default bound for any single wait in a test. */
export const WAIT_MS = 10_000;

/** Resolves like `promise`, or rejects with `reason` after `ms`. */
export async function withTimeout<T>(
  promise: Promise<T>,
  reason: string,
  ms: number = WAIT_MS,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${ms} ms: ${reason}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A running server on 127.0.0.1 and a random port; dispose to stop it. */
export interface TestServer extends AsyncDisposable {
  server: HTTPServer;
  port: number;
  /** Errors passed to `handleError()`. */
  errors: unknown[];
}

/**
 * The engine `startServer()` uses when not told: `HTTPServer` (listen), or
 * the Deno.serve engine's server class when a test module runs the shared
 * cases on it (tests/engine_cpython_test.ts).
 */
export const engine: {
  name: "listen" | "serve";
  ServerClass: typeof HTTPServer;
} = {
  name: "listen",
  ServerClass: HTTPServer,
};

/** Starts `Handler` on `127.0.0.1:0` with `serveForever()` running. */
export function startServer(
  Handler: RequestHandlerClass,
  options: HTTPServerOptions = {},
  ServerClass: typeof HTTPServer = engine.ServerClass,
): TestServer {
  const errors: unknown[] = [];
  const server = new ServerClass(["127.0.0.1", 0], Handler, options);
  server.handleError = (_req, _addr, error) => {
    errors.push(error);
  };
  const serving = server.serveForever();
  return {
    server,
    port: server.serverPort,
    errors,
    async [Symbol.asyncDispose]() {
      await withTimeout(server.shutdown(), "server shutdown");
      await serving;
      server.serverClose();
    },
  };
}

// Concatenates byte arrays: the source's helper, under the tests' name.
export { concat };
