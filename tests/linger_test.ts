// Copyright 2026 the httpserver authors. MIT license.
// Lingering close (RFC 9112 section 9.6): a server that answers before it
// has read what the client sends ends its side, reads and drops the rest for
// a bounded time and size, then closes, so the client gets the response
// instead of a reset.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import type { HTTPServerOptions } from "../server.ts";
import { RawClient } from "./_raw_client.ts";
import { startServer, type TestServer } from "./_util.ts";

const MiB = 1024 * 1024;

/** Answers 413 to every PUT at once, reading nothing of the body. */
class Refuses extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  async doPUT(): Promise<void> {
    await this.sendError(413);
  }
  override logMessage(): void {}
}

/**
 * Sends a PUT head announcing `size` bytes, then all of them in 64 KiB
 * writes; then reads to the end. Returns the bytes written before a write
 * failed (or `size`), what came back, and whether the server reset.
 */
async function upload(
  port: number,
  size: number,
  keepSending = false,
): Promise<{ sent: number; error: string; reply: string; reset: boolean }> {
  using client = await RawClient.connect(port, { timeout: 60_000 });
  await client.send(
    `PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`,
  );
  const chunk = new Uint8Array(65536).fill(120);
  let sent = 0;
  let error = "";
  try {
    while (keepSending || sent < size) {
      sent += await client.conn.write(
        chunk.subarray(0, Math.min(chunk.length, size - sent)),
      );
      if (keepSending && sent >= size) sent = 0;
    }
  } catch (e) {
    error = (e as Error).message;
  }
  let reply = "";
  try {
    reply = new TextDecoder().decode(await client.readToEnd());
  } catch (e) {
    reply = `(read failed: ${(e as Error).message})`;
  }
  return { sent, error, reply, reset: client.reset };
}

function whole413(reply: string): boolean {
  const end = reply.indexOf("\r\n\r\n");
  const length = /^Content-Length: (\d+)$/m.exec(reply);
  return reply.startsWith("HTTP/1.1 413 ") && end > 0 && length !== null &&
    reply.length === end + 4 + Number(length[1]);
}

function serve(options: HTTPServerOptions = {}): TestServer {
  return startServer(Refuses, options);
}

Deno.test("HTTPServer answers 413 to a 50 MiB upload and the client that sends it all gets the whole response", async () => {
  await using srv = serve();
  const r = await upload(srv.port, 50 * MiB);
  strictEqual(r.error, "", "every write of the body went through");
  strictEqual(r.sent, 50 * MiB);
  ok(whole413(r.reply), r.reply.slice(0, 200));
  strictEqual(r.reset, false, "the server closed, it did not reset");
  ok(/^Connection: close$/m.test(r.reply));
});

Deno.test("HTTPServer without lingering (lingerTimeout 0) resets a client still sending its body", async () => {
  // The control: what lingering prevents.
  await using srv = serve({ lingerTimeout: 0 });
  const r = await upload(srv.port, 50 * MiB);
  ok(r.error !== "", "a write failed");
  ok(r.sent < 50 * MiB, `sent ${r.sent}`);
});

Deno.test("HTTPServer lingers no longer than lingerTimeout on a client that keeps sending slowly", async () => {
  await using srv = serve({ lingerTimeout: 300 });
  using client = await RawClient.connect(srv.port);
  await client.send(
    "PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n",
  );
  const res = await client.read();
  strictEqual(res.status, 413);
  // 16 KiB every 20 ms: far below the byte bound, so time ends it.
  const started = performance.now();
  const chunk = new Uint8Array(16384);
  let failed = false;
  while (!failed && performance.now() - started < 10_000) {
    try {
      await client.conn.write(chunk);
      await new Promise((r) => setTimeout(r, 20));
    } catch {
      failed = true;
    }
  }
  const took = performance.now() - started;
  ok(failed, "the server closed in the end");
  ok(took >= 250 && took < 5_000, `closed after ${Math.round(took)} ms`);
});

Deno.test("HTTPServer lingers on at most 256 MiB of a client that never stops sending", async () => {
  await using srv = serve(); // lingerTimeout 30 s: the bytes end it
  const started = performance.now();
  const r = await upload(srv.port, 4 * MiB, true);
  const took = performance.now() - started;
  ok(r.error !== "", "the server closed in the end");
  ok(took < 15_000, `closed after ${Math.round(took)} ms`);
  ok(whole413(r.reply) || r.reset, r.reply.slice(0, 80));
});

Deno.test("HTTPServer answers a bad chunked body mid-upload and the client still sending gets the 400", async () => {
  class Reads extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    async doPOST(): Promise<void> {
      await this.rfile.read(); // the bad chunk size throws a 400 here
      await this.sendError(200);
    }
    override logMessage(): void {}
  }
  await using srv = startServer(Reads);
  using client = await RawClient.connect(srv.port);
  await client.send(
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
  );
  // Then 8 MiB more, more than the socket buffers hold.
  const junk = new Uint8Array(65536).fill(97);
  let sent = 0;
  for (; sent < 8 * MiB; sent += junk.length) await client.send(junk);
  const res = await client.read();
  strictEqual(res.status, 400);
  deepStrictEqual(await client.closed(), true);
});

Deno.test("HTTPServer closes a Connection: close exchange at once: nothing unread, no lingering", async () => {
  class Hello extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    async doGET(): Promise<void> {
      this.sendResponse(200);
      this.sendHeader("Content-Length", "2");
      await this.endHeaders();
      await this.wfile.write(new TextEncoder().encode("hi"));
    }
    override logMessage(): void {}
  }
  await using srv = startServer(Hello, { lingerTimeout: 60_000 });
  using client = await RawClient.connect(srv.port);
  await client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const res = await client.read();
  strictEqual(res.text, "hi");
  ok(await client.closed());
  // A server still reading (lingering) would take more bytes; a closed
  // socket answers them with a reset, which the next write sees.
  let refused = false;
  for (let i = 0; i < 20 && !refused; i++) {
    try {
      await client.conn.write(new Uint8Array([10]));
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      refused = true;
    }
  }
  ok(refused, "the server's socket is closed, not lingering");
});
