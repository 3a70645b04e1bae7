// Copyright 2026 the httpserver authors. MIT license.
// DenoServeHTTPServer: HTTPServer's lifecycle over Deno.serve (serve until
// shut down, a graceful shutdown that still ends endless responses, close at
// once, await using), HTTPS with HTTP/2 negotiated by ALPN, and the server
// fields handlers and CGI scripts read.
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { SimpleHTTPRequestHandler } from "../handlers/simple.ts";
import { DenoServeHTTPServer } from "../deno_serve_server.ts";
import { withTimeout } from "./_util.ts";
import { fetchWithin, textWithin } from "./_engine_util.ts";

const TLS = new URL("./testdata/tls/", import.meta.url).pathname;
const encoder = new TextEncoder();

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

class Hello extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doGET(): Promise<void> {
    const body = encoder.encode(
      `${this.server.serverName} ${this.server.serverPort}\n`,
    );
    this.sendResponse(200);
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    await this.wfile.write(body);
  }
}

/** Writes an event every 20 ms until the client or the server ends it. */
class Ticker extends BaseHTTPRequestHandler {
  static ended = 0;
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doGET(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Type", "text/event-stream");
    await this.endHeaders();
    try {
      for (let i = 0;; i++) {
        await this.wfile.write(`data: ${i}\n\n`);
        await sleep(20);
      }
    } finally {
      Ticker.ended++;
    }
  }
}

Deno.test("DenoServeHTTPServer serves until shut down, with the bound address in its fields", async () => {
  const server = new DenoServeHTTPServer(["127.0.0.1", 0], Hello);
  const serving = server.serveForever();
  ok(server.serverPort > 0);
  deepStrictEqual(server.serverAddress, ["127.0.0.1", server.serverPort]);
  strictEqual(server.socket, null);
  strictEqual((server.address as Deno.NetAddr).port, server.serverPort);
  const res = await fetchWithin(`http://127.0.0.1:${server.serverPort}/`);
  strictEqual(await textWithin(res), `localhost ${server.serverPort}\n`);
  await withTimeout(server.shutdown(), "shutdown");
  await withTimeout(serving, "serveForever ending");
  server.serverClose();
});

Deno.test("DenoServeHTTPServer refuses an address in use, and handleRequest()", async () => {
  await using first = new DenoServeHTTPServer(["127.0.0.1", 0], Hello);
  let error: unknown;
  try {
    new DenoServeHTTPServer(["127.0.0.1", first.serverPort], Hello);
  } catch (e) {
    error = e;
  }
  ok(error instanceof Deno.errors.AddrInUse, String(error));
  await rejects(first.handleRequest(), Deno.errors.NotSupported);
  const later = new DenoServeHTTPServer(["127.0.0.1", 0], Hello, {
    bindAndActivate: false,
  });
  await rejects(later.serveForever(), /not bound/);
});

Deno.test("DenoServeHTTPServer shutdown() lets requests finish, then ends endless streams at shutdownTimeout", async () => {
  Ticker.ended = 0;
  const server = new DenoServeHTTPServer(["127.0.0.1", 0], Ticker, {
    shutdownTimeout: 300,
  });
  const serving = server.serveForever();
  const res = await fetchWithin(`http://127.0.0.1:${server.serverPort}/`);
  const reader = res.body!.getReader();
  await reader.read();
  const started = performance.now();
  await withTimeout(server.shutdown(), "shutdown");
  const elapsed = performance.now() - started;
  ok(elapsed >= 250 && elapsed < 5000, `shutdown took ${elapsed} ms`);
  await withTimeout(serving, "serveForever ending");
  await withTimeout(
    (async () => {
      while (Ticker.ended === 0) await sleep(10);
    })(),
    "the handler ending",
  );
  // The client sees its stream end.
  await withTimeout(
    (async () => {
      try {
        while (!(await reader.read()).done) { /* drain */ }
      } catch { /* cut off */ }
    })(),
    "the stream ending",
  );
});

Deno.test("DenoServeHTTPServer serves HTTPS, negotiating HTTP/2 and HTTP/1.1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.txt`, "over tls\n");
    class Files extends SimpleHTTPRequestHandler {
      override directory = dir;
      override logMessage(): void {}
    }
    await using server = new DenoServeHTTPServer(["127.0.0.1", 0], Files, {
      certfile: TLS + "cert.pem",
      keyfile: TLS + "key_encrypted.pem",
      password: "somepass",
    });
    server.serveForever();
    const caCerts = [await Deno.readTextFile(TLS + "ca.pem")];
    for (const http2 of [true, false]) {
      using client = Deno.createHttpClient({ caCerts, http2, http1: !http2 });
      const res = await fetchWithin(
        `https://localhost:${server.serverPort}/a.txt`,
        {
          client,
        },
      );
      strictEqual(await textWithin(res), "over tls\n");
      strictEqual(res.headers.get("content-type"), "text/plain");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DenoServeHTTPServer serverClose() ends streams at once", async () => {
  Ticker.ended = 0;
  const server = new DenoServeHTTPServer(["127.0.0.1", 0], Ticker);
  const serving = server.serveForever();
  const res = await fetchWithin(`http://127.0.0.1:${server.serverPort}/`);
  const reader = res.body!.getReader();
  await reader.read();
  server.serverClose();
  await withTimeout(serving, "serveForever ending");
  await withTimeout(
    (async () => {
      while (Ticker.ended === 0) await sleep(10);
    })(),
    "the handler ending",
  );
  await reader.cancel().catch(() => {});
});
