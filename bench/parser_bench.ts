// Copyright 2026 the httpserver authors. MIT license.
// Deno.bench measures a function as async only when it is an `async
// function` (an arrow returning a promise is timed as sync): keep `async fn`.
/**
 * `deno bench bench/parser_bench.ts`: request-head parsing through
 * `BaseHTTPRequestHandler` over an in-memory connection (no socket), per
 * connection and per keep-alive request.
 * @module
 */
import { BaseHTTPRequestHandler, HTTPServer } from "../mod.ts";
import { MemoryConnection } from "../testing.ts";

const server = new HTTPServer(["127.0.0.1", 0], BaseHTTPRequestHandler, {
  bindAndActivate: false,
});

const WRK_HEAD = "GET /1k.txt HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n";
const BROWSER_HEAD = [
  "GET /docs/index.html?lang=en HTTP/1.1",
  "Host: 192.168.1.20:8000",
  "Connection: keep-alive",
  "Upgrade-Insecure-Requests: 1",
  "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
  "Accept-Encoding: gzip, deflate",
  "Accept-Language: en-US,en;q=0.9,fr;q=0.8",
  "Cache-Control: max-age=0",
  "If-Modified-Since: Sat, 21 Nov 2026 10:00:00 GMT",
  "Cookie: theme=dark; session=0123456789abcdef",
  "",
  "",
].join("\r\n");
const encoder = new TextEncoder();
const wrkBytes = encoder.encode(WRK_HEAD);
const browserBytes = encoder.encode(BROWSER_HEAD);
const PIPELINED = 100;
const pipelined = encoder.encode(WRK_HEAD.repeat(PIPELINED));

/** Parses and dispatches; `doGET` only records that it ran. */
class ParseOnly extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  seen = 0;
  doGET(): void {
    this.seen++;
  }
  override logMessage(): void {}
}

/** Answers each request with the smallest keep-alive head (204). */
class NoContent extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  seen = 0;
  async doGET(): Promise<void> {
    this.seen++;
    this.sendResponseOnly(204);
    await this.endHeaders();
  }
  override logMessage(): void {}
}

async function once(
  Handler: typeof ParseOnly | typeof NoContent,
  input: Uint8Array,
  expected: number,
): Promise<void> {
  const conn = new MemoryConnection(input);
  const handler = new Handler(conn, ["127.0.0.1", 54321], server);
  await handler.setup();
  try {
    await handler.handle();
  } finally {
    await handler.finish();
  }
  if (handler.seen !== expected) {
    throw new Error(`Dispatched ${handler.seen} requests, not ${expected}`);
  }
}

Deno.bench({
  name: "one connection, one wrk request head (2 lines)",
  group: "connection",
  baseline: true,
  async fn() {
    await once(ParseOnly, wrkBytes, 1);
  },
});

Deno.bench({
  name: "one connection, one browser request head (12 lines)",
  group: "connection",
  async fn() {
    await once(ParseOnly, browserBytes, 1);
  },
});

Deno.bench({
  name: `keep-alive: ${PIPELINED} pipelined wrk requests, 204 head each`,
  group: "keep-alive",
  async fn() {
    await once(NoContent, pipelined, PIPELINED);
  },
});
