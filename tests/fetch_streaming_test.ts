// Copyright 2026 the httpserver authors. MIT license.
// toFetchHandler's streams under a real Deno.serve: a long response pulled as
// the client reads, an endless event stream ended when the client leaves, a
// large upload read only as fast as the handler reads it, and a stalled body
// closed at ioTimeout.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { RawClient } from "./_raw_client.ts";
import { fetchWithin, startFetchServer } from "./_engine_util.ts";
import { withTimeout } from "./_util.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MB = 1024 * 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function rawSend(port: number, bytes: Uint8Array | string) {
  const client = await RawClient.connect(port);
  await client.send(bytes);
  return client;
}

Deno.test("toFetchHandler streams a long response with backpressure: a client that stops reading holds the handler", async () => {
  let written = 0;
  let finished = false;
  class Endless extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    async doGET(): Promise<void> {
      this.sendResponse(200);
      this.sendHeader("Content-Length", String(512 * MB));
      await this.endHeaders();
      const chunk = new Uint8Array(256 * 1024);
      try {
        while (written < 512 * MB) {
          await this.wfile.write(chunk);
          written += chunk.length;
        }
      } finally {
        finished = true;
      }
    }
  }
  await using s = startFetchServer(Endless);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
  await conn.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  const buf = new Uint8Array(65536);
  await conn.read(buf);
  // The client reads nothing more: the handler is held by the socket buffers.
  await sleep(500);
  const held = written;
  await sleep(300);
  strictEqual(written, held, "no progress while the client does not read");
  ok(held < 64 * MB, `the handler wrote ${held} bytes ahead of the client`);
  // The client reads some more: the handler moves on.
  let got = 0;
  while (got < 16 * MB) got += (await conn.read(buf)) ?? 0;
  await withTimeout(
    (async () => {
      while (written <= held) await sleep(10);
    })(),
    "the handler resuming",
  );
  conn.close();
  // The client left: the handler's next write fails and the handler ends.
  await withTimeout(
    (async () => {
      while (!finished) await sleep(10);
    })(),
    "the handler ending after the client left",
  );
  ok(written < 512 * MB);
  deepStrictEqual(s.errors, [], "a client leaving is not an error");
});

Deno.test("toFetchHandler ends a never-ending event stream when the client goes away", async () => {
  let ended = false;
  class Events extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    async doGET(): Promise<void> {
      this.sendResponse(200);
      this.sendHeader("Content-Type", "text/event-stream");
      this.sendHeader("Transfer-Encoding", "chunked");
      await this.endHeaders();
      try {
        for (let i = 0;; i++) {
          const event = `data: ${i}\n\n`;
          await this.wfile.write(
            `${event.length.toString(16)}\r\n${event}\r\n`,
          );
          await sleep(20);
        }
      } finally {
        ended = true;
      }
    }
  }
  await using s = startFetchServer(Events);
  const res = await fetchWithin(`http://127.0.0.1:${s.port}/`);
  strictEqual(res.headers.get("content-type"), "text/event-stream");
  const reader = res.body!.getReader();
  const first = await withTimeout(reader.read(), "the first event");
  ok(decoder.decode(first.value).startsWith("data: 0\n\n"));
  await reader.cancel();
  await withTimeout(
    (async () => {
      while (!ended) await sleep(10);
    })(),
    "the handler ending after the client left",
  );
  deepStrictEqual(s.errors, []);
});

Deno.test("toFetchHandler reads a large upload with bounded memory: a handler that does not read holds the client", async () => {
  const gate = Promise.withResolvers<void>();
  let received = 0;
  class Slow extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    async doPUT(): Promise<void> {
      await gate.promise;
      for (let chunk; (chunk = await this.rfile.read1()).length;) {
        received += chunk.length;
      }
      this.sendResponse(201);
      this.sendHeader("Content-Length", "0");
      await this.endHeaders();
    }
  }
  await using s = startFetchServer(Slow);
  const size = 256 * MB;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
  await conn.write(
    encoder.encode(
      `PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`,
    ),
  );
  let sent = 0;
  const chunk = new Uint8Array(MB);
  const sending = (async () => {
    while (sent < size) {
      sent += await conn.write(chunk.subarray(0, Math.min(MB, size - sent)));
    }
  })();
  await sleep(600);
  const held = sent;
  ok(held < 64 * MB, `the client sent ${held} bytes before the handler read`);
  gate.resolve();
  await withTimeout(sending, "sending the body");
  try {
    const buf = new Uint8Array(1024);
    const n = await withTimeout(conn.read(buf), "reading the response");
    ok(decoder.decode(buf.subarray(0, n ?? 0)).startsWith("HTTP/1.1 201 "));
  } finally {
    conn.close();
  }
  strictEqual(received, size);
});

Deno.test("toFetchHandler closes a stalled request body at ioTimeout and logs it", async () => {
  const logs: string[] = [];
  class Reader extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(format: string, ...args: unknown[]): void {
      logs.push(`${format} ${args.join(" ")}`);
    }
    async doPOST(): Promise<void> {
      await this.rfile.read();
      this.sendResponse(200);
      await this.endHeaders();
    }
  }
  await using s = startFetchServer(Reader, { ioTimeout: 300 });
  using client = await rawSend(
    s.port,
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten..",
  );
  const started = performance.now();
  const res = await client.read();
  const elapsed = performance.now() - started;
  strictEqual(res.status, 408);
  ok(elapsed >= 250 && elapsed < 5000, `answered after ${elapsed} ms`);
  ok(logs.some((l) => l.includes("Request timed out")), logs.join("\n"));
  deepStrictEqual(s.errors, []);
});
