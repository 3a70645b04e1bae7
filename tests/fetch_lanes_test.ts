// Copyright 2026 the httpserver authors. MIT license.
// toFetchHandler's handler instances under a real Deno.serve: one per client
// connection, as over a socket; one per parallel HTTP/2 stream; a new one
// after a response cut short, a client's Connection: close or an HTTP/1.0
// handler.
import { ok, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { RawClient } from "./_raw_client.ts";
import { fetchWithin, startFetchServer, textWithin } from "./_engine_util.ts";
import { withTimeout } from "./_util.ts";

const encoder = new TextEncoder();
const TLS = new URL("./testdata/tls/", import.meta.url).pathname;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Tells which handler instance answered, and holds requests at a gate. */
class Counted extends BaseHTTPRequestHandler {
  static made = 0;
  static gate: Promise<void> = Promise.resolve();
  override protocolVersion = "HTTP/1.1";
  readonly id = ++Counted.made;
  override logMessage(): void {}
  async doGET(): Promise<void> {
    await Counted.gate;
    const body = encoder.encode(String(this.id));
    this.sendResponse(200);
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    await this.wfile.write(body);
  }
}

Deno.test("toFetchHandler serves a keep-alive connection with one handler instance, as a socket would", async () => {
  Counted.made = 0;
  await using s = startFetchServer(Counted);
  using first = await RawClient.connect(s.port);
  using second = await RawClient.connect(s.port);
  const ids: string[] = [];
  for (const client of [first, first, second, first, second]) {
    await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    ids.push((await client.read()).text);
  }
  strictEqual(ids[0], ids[1]);
  strictEqual(ids[1], ids[3]);
  strictEqual(ids[2], ids[4]);
  ok(ids[0] !== ids[2], "another connection, another instance");
  // A client that asks to close ends the handler: the next one is new.
  await first.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  strictEqual((await first.read()).text, ids[0]);
  strictEqual(Counted.made, 2);
});

Deno.test("toFetchHandler gives parallel HTTP/2 streams their own handler instances", async () => {
  Counted.made = 0;
  const gate = Promise.withResolvers<void>();
  Counted.gate = gate.promise;
  try {
    await using s = startFetchServer(Counted, {}, {
      cert: await Deno.readTextFile(TLS + "cert.pem"),
      key: await Deno.readTextFile(TLS + "key.pem"),
    });
    using client = Deno.createHttpClient({
      caCerts: [await Deno.readTextFile(TLS + "ca.pem")],
      http2: true,
      http1: false,
    });
    const url = `https://localhost:${s.port}/`;
    const pending = [1, 2, 3].map(() =>
      fetchWithin(url, { client }).then(textWithin)
    );
    await withTimeout(
      (async () => {
        while (Counted.made < 3) await sleep(5);
      })(),
      "three handlers at once",
    );
    gate.resolve();
    const ids = await Promise.all(pending);
    strictEqual(new Set(ids).size, 3);
    // Afterwards they are reused: no fourth instance for three more streams.
    const again = await Promise.all(
      [1, 2, 3].map(() => fetchWithin(url, { client }).then(textWithin)),
    );
    ok(again.every((id) => ids.includes(id)), `${again} within ${ids}`);
    strictEqual(Counted.made, 3);
  } finally {
    Counted.gate = Promise.resolve();
  }
});

Deno.test("toFetchHandler starts a new handler after a response cut short or an HTTP/1.0 one", async () => {
  class Short extends BaseHTTPRequestHandler {
    static made = 0;
    readonly id = ++Short.made;
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    async doGET(): Promise<void> {
      this.sendResponse(200);
      this.sendHeader("Content-Length", this.path === "/short" ? "10" : "1");
      await this.endHeaders();
      await this.wfile.write(this.path === "/short" ? "12345" : "x");
    }
  }
  await using s = startFetchServer(Short);
  {
    using client = await RawClient.connect(s.port);
    await client.send("GET /short HTTP/1.1\r\nHost: x\r\n\r\n");
    const res = await client.read({ partial: true });
    strictEqual(res.complete, false);
    strictEqual(res.text, "12345");
    ok(await client.closed(), "Deno closes after a short body");
  }
  {
    using client = await RawClient.connect(s.port);
    await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    strictEqual((await client.read()).text, "x");
  }
  strictEqual(Short.made, 2);
  // Over HTTP/2 the connection outlives a short stream: the next stream
  // still gets a new handler, since the cut one's byte stream is out of step.
  Short.made = 0;
  await using h2 = startFetchServer(Short, {}, {
    cert: await Deno.readTextFile(TLS + "cert.pem"),
    key: await Deno.readTextFile(TLS + "key.pem"),
  });
  using h2client = Deno.createHttpClient({
    caCerts: [await Deno.readTextFile(TLS + "ca.pem")],
    http2: true,
    http1: false,
  });
  for (const path of ["/short", "/", "/"]) {
    const res = await fetchWithin(`https://localhost:${h2.port}${path}`, {
      client: h2client,
    });
    await withTimeout(res.arrayBuffer(), "the body").catch(() => {});
  }
  strictEqual(Short.made, 2, "the cut lane ended; the next one is reused");
  class Old extends Counted {
    override protocolVersion = "HTTP/1.0";
  }
  Counted.made = 0;
  await using old = startFetchServer(Old);
  using client = await RawClient.connect(old.port);
  for (let i = 0; i < 3; i++) {
    await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    strictEqual((await client.read()).text, String(i + 1));
  }
});
