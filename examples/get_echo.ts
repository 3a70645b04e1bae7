// Copyright 2026 the httpserver authors. MIT license.
/**
 * The tutorial's GET handler: echoes the values a handler sees about the
 * client, the server and the request headers.
 *
 * ```sh
 * deno run --allow-net examples/get_echo.ts [port]
 * curl -i 'http://localhost:8080/?foo=bar'
 * ```
 * @module
 */
import { BaseHTTPRequestHandler, HTTPServer } from "@x/httpserver";

/** Answers every GET with the request's client, server and header values. */
export class GetHandler extends BaseHTTPRequestHandler {
  async doGET(): Promise<void> {
    const parsedPath = new URL(this.path, "http://localhost");
    const messageParts = [
      "CLIENT VALUES:",
      `clientAddress=${
        JSON.stringify(this.clientAddress)
      } (${this.addressString()})`,
      `command=${this.command}`,
      `path=${this.path}`,
      `real path=${parsedPath.pathname}`,
      `query=${parsedPath.search.slice(1)}`,
      `requestVersion=${this.requestVersion}`,
      "",
      "SERVER VALUES:",
      `serverVersion=${this.serverVersion}`,
      `sysVersion=${this.sysVersion}`,
      `protocolVersion=${this.protocolVersion}`,
      "",
      "HEADERS RECEIVED:",
    ];
    const headers = [...this.headers].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0
    );
    for (const [name, value] of headers) {
      messageParts.push(`${name}=${value.trimEnd()}`);
    }
    messageParts.push("");
    const message = messageParts.join("\r\n");
    this.sendResponse(200);
    this.sendHeader("Content-Type", "text/plain; charset=utf-8");
    await this.endHeaders();
    await this.wfile.write(message);
  }
}

if (import.meta.main) {
  const server = new HTTPServer(
    ["localhost", Number(Deno.args[0] ?? 8080)],
    GetHandler,
  );
  console.log("Starting server, use <Ctrl-C> to stop");
  console.log(`Serving on http://localhost:${server.serverPort}/`);
  await server.serveForever();
}
