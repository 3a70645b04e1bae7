// Copyright 2026 the httpserver authors. MIT license.
/**
 * `deno bench bench/head_bench.ts`: the response head builder,
 * `sendResponse()` + `sendHeader()` x N + `endHeaders()`, into the
 * connection's gathering buffer, against a hand-written baseline.
 * @module
 */
import { BaseHTTPRequestHandler, HTTPServer } from "../mod.ts";
import { MemoryConnection } from "../testing.ts";
import { connIO } from "../handlers/_http1/conn_io.ts";

class Quiet extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
}

const server = new HTTPServer(["127.0.0.1", 0], Quiet, {
  bindAndActivate: false,
});
const conn = new MemoryConnection();
const handler = new Quiet(conn, ["127.0.0.1", 54321], server);
await handler.setup();
handler.requestVersion = "HTTP/1.1";
handler.command = "GET";
handler.requestline = "GET /1k.txt HTTP/1.1";
handler.closeConnection = false;
const out = connIO(handler).out!;
const lastModified = handler.dateTimeString(Date.UTC(2026, 10, 21, 10));

Deno.bench({
  name: "sendResponse + 5 headers + endHeaders (a file's head)",
  group: "head",
  async fn() {
    handler.sendResponse(200);
    handler.sendHeader("Content-type", "text/plain");
    handler.sendHeader("Content-Length", "1024");
    handler.sendHeader("Last-Modified", lastModified);
    handler.sendHeader("ETag", '"400-19a9e4c0a00-2a"');
    handler.sendHeader("Accept-Ranges", "bytes");
    await handler.endHeaders();
    out.discard();
  },
});

Deno.bench({
  name: "sendResponseOnly + endHeaders (smallest head)",
  group: "head",
  async fn() {
    handler.sendResponseOnly(204);
    await handler.endHeaders();
    out.discard();
  },
});

const encoder = new TextEncoder();
const scratch = new Uint8Array(4096);
Deno.bench({
  name: "baseline: one template literal, encodeInto a fixed buffer",
  group: "head",
  baseline: true,
  fn() {
    const head =
      `HTTP/1.1 200 OK\r\nServer: ${handler.versionString()}\r\nDate: ${handler.dateTimeString()}\r\nContent-type: text/plain\r\nContent-Length: 1024\r\nLast-Modified: ${lastModified}\r\nETag: "400-19a9e4c0a00-2a"\r\nAccept-Ranges: bytes\r\n\r\n`;
    encoder.encodeInto(head, scratch);
  },
});

Deno.bench({
  name: "head + 1 KiB body, flushed as one write to the connection",
  group: "write",
  async fn() {
    handler.sendResponse(200);
    handler.sendHeader("Content-type", "text/plain");
    handler.sendHeader("Content-Length", "1024");
    handler.sendHeader("Last-Modified", lastModified);
    await handler.endHeaders();
    await out.write(body);
    await out.flush();
    conn.writes.length = 0;
  },
});
const body = new Uint8Array(1024);
