// Copyright 2026 the httpserver authors. MIT license.
/**
 * The tutorial's header example: `sendHeader()` adds a header, here
 * `Last-Modified` with the current time formatted by `dateTimeString()`.
 *
 * ```sh
 * deno run --allow-net examples/last_modified.ts [port]
 * curl -i http://localhost:8080/
 * ```
 * @module
 */
import { BaseHTTPRequestHandler, HTTPServer } from "@x/httpserver";

/** Answers every GET with a `Last-Modified` header of the current time. */
export class GetHandler extends BaseHTTPRequestHandler {
  async doGET(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Last-Modified", this.dateTimeString(Date.now()));
    await this.endHeaders();
    await this.wfile.write("Response body\n");
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 8080);
  const server = new HTTPServer(["localhost", port], GetHandler);
  console.log("Starting server, use <Ctrl-C> to stop");
  console.log(`Serving on http://localhost:${server.serverPort}/`);
  await server.serveForever();
}
