// Copyright 2026 the httpserver authors. MIT license.
/**
 * The tutorial's error example: `sendError()` writes the whole response
 * (status line, headers and the HTML error page) from a status code.
 *
 * ```sh
 * deno run --allow-net examples/error_404.ts [port]
 * curl -i http://localhost:8080/
 * ```
 * @module
 */
import { BaseHTTPRequestHandler, HTTPServer } from "@x/httpserver";

/** Answers every GET with 404 Not Found. */
export class ErrorHandler extends BaseHTTPRequestHandler {
  async doGET(): Promise<void> {
    await this.sendError(404);
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 8080);
  const server = new HTTPServer(["localhost", port], ErrorHandler);
  console.log("Starting server, use <Ctrl-C> to stop");
  console.log(`Serving on http://localhost:${server.serverPort}/`);
  await server.serveForever();
}
