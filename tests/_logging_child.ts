// Copyright 2026 the httpserver authors. MIT license.
// Child process for tests/logging_test.ts: its stderr is what is checked.
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { HTTPServer } from "../server.ts";
import { MemoryConnection } from "../testing.ts";

class RequestHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override defaultRequestVersion = "HTTP/1.1";
  async doGET(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Length", "0");
    await this.endHeaders();
  }
  async doERROR(): Promise<void> {
    await this.sendError(404, "File not found");
  }
}

const mode = Deno.args[0];
if (mode === "requests") {
  await using server = new HTTPServer(["127.0.0.1", 0], RequestHandler);
  server.serveForever();
  const url = `http://127.0.0.1:${server.serverPort}/`;
  await (await fetch(url)).body?.cancel();
  await (await fetch(url, { method: "ERROR" })).body?.cancel();
} else {
  const server = new HTTPServer(["127.0.0.1", 0], RequestHandler, {
    bindAndActivate: false,
  });
  const handler = new RequestHandler(
    new MemoryConnection(),
    ["127.0.0.1", 1337],
    server,
  );
  handler.logMessage("/foo");
  handler.logMessage("/\x1bbar\x00\x1b");
  handler.logMessage("/spam %s.", "a");
  handler.logMessage("/spam %s.", "\x1b\x7f\x9f\xa0beans");
  handler.logMessage('"GET /foo\\b"ar\x07 HTTP/1.0"');
}
