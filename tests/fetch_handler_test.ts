// Copyright 2026 the httpserver authors. MIT license.
// toFetchHandler under a real Deno.serve: the request as the handler sees it
// (target as sent, client address, bodies of every framing), the handler's
// output parsed back (raw status lines, its own chunking, interim heads,
// order and repeats of header lines), long responses streamed with
// backpressure, clients that leave, stalled bodies, and broken handlers.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { toFetchHandler } from "../fetch_handler.ts";
import { HTTPServer } from "../server.ts";
import { RawClient } from "./_raw_client.ts";
import { fetchWithin, startFetchServer, textWithin } from "./_engine_util.ts";
import { withTimeout } from "./_util.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MB = 1024 * 1024;
const TLS = new URL("./testdata/tls/", import.meta.url).pathname;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Echoes what the handler saw of the request, as JSON. */
class EchoHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async #reply(extra: Record<string, unknown> = {}): Promise<void> {
    const body = encoder.encode(JSON.stringify({
      command: this.command,
      path: this.path,
      version: this.requestVersion,
      client: this.clientAddress,
      headers: this.headers.items(),
      ...extra,
    }));
    this.sendResponse(200);
    this.sendHeader("Content-Type", "application/json");
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    await this.wfile.write(body);
  }
  doGET(): Promise<void> {
    return this.#reply();
  }
  async doPOST(): Promise<void> {
    const body = await this.rfile.read();
    await this.#reply({ body: decoder.decode(body) });
  }
}

async function rawSend(port: number, bytes: Uint8Array | string) {
  const client = await RawClient.connect(port);
  await client.send(bytes);
  return client;
}

Deno.test("toFetchHandler gives the handler the request target exactly as sent", async () => {
  await using s = startFetchServer(EchoHandler);
  for (
    const target of [
      "/a/../b/%2f/./c%2F..%2Fd?x=1&y=%2e%2e",
      "//etc/passwd",
      "/a\\..\\b",
    ]
  ) {
    const bytes = new Uint8Array(
      [...`GET ${target} HTTP/1.1\r\nHost: h:1\r\n\r\n`].map((c) =>
        c.charCodeAt(0)
      ),
    );
    using client = await rawSend(s.port, bytes);
    const res = await client.read();
    strictEqual(res.status, 200);
    const seen = JSON.parse(decoder.decode(res.body));
    // Python's parse_request collapses a leading "//" to "/".
    strictEqual(seen.path, target.replace(/^\/\/+/, "/"), target);
    strictEqual(seen.version, "HTTP/1.1");
  }
  // Deno refuses raw bytes above 0x7F in the target before any handler runs.
  using client = await rawSend(
    s.port,
    new Uint8Array([
      ...encoder.encode("GET /caf"),
      0xe9,
      ...encoder.encode(" HTTP/1.1\r\n\r\n"),
    ]),
  );
  strictEqual((await client.read()).status, 400);
});

Deno.test("toFetchHandler passes Latin-1 header values byte for byte", async () => {
  await using s = startFetchServer(EchoHandler);
  using client = await rawSend(
    s.port,
    new Uint8Array([
      ...encoder.encode("GET / HTTP/1.1\r\nHost: x\r\nX-Name: caf"),
      0xe9,
      ...encoder.encode("\r\n\r\n"),
    ]),
  );
  const seen = JSON.parse(decoder.decode((await client.read()).body));
  deepStrictEqual(seen.headers.find(([k]: string[]) => k === "x-name"), [
    "x-name",
    "caf\xe9",
  ]);
});

Deno.test("toFetchHandler passes the client's address from info.remoteAddr", async () => {
  await using s = startFetchServer(EchoHandler);
  using client = await rawSend(s.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const seen = JSON.parse((await client.read()).text);
  deepStrictEqual(seen.client, [
    "127.0.0.1",
    (client.conn.localAddr as Deno.NetAddr).port,
  ]);
});

Deno.test("toFetchHandler passes header fields lowercased and sorted, with Host kept", async () => {
  await using s = startFetchServer(EchoHandler);
  using client = await rawSend(
    s.port,
    "GET / HTTP/1.1\r\nX-B: 2\r\nHost: example:8\r\nX-A: 1\r\nX-A: 3\r\n\r\n",
  );
  const seen = JSON.parse(decoder.decode((await client.read()).body));
  deepStrictEqual(seen.headers, [
    ["host", "example:8"],
    ["x-a", "1, 3"],
    ["x-b", "2"],
  ]);
});

Deno.test("toFetchHandler reads request bodies with a length and chunked ones", async () => {
  await using s = startFetchServer(EchoHandler);
  {
    using client = await rawSend(
      s.port,
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    );
    const seen = JSON.parse(decoder.decode((await client.read()).body));
    strictEqual(seen.body, "hello");
    ok(
      seen.headers.some(([k, v]: string[]) =>
        k === "content-length" && v === "5"
      ),
    );
  }
  {
    using client = await rawSend(
      s.port,
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n",
    );
    const seen = JSON.parse(decoder.decode((await client.read()).body));
    strictEqual(seen.body, "hello, world");
    ok(
      seen.headers.some(([k, v]: string[]) =>
        k === "transfer-encoding" && v === "chunked"
      ),
    );
  }
  // fetch() streams a body without a length.
  const body = new ReadableStream({
    start(c) {
      c.enqueue(encoder.encode("str"));
      c.enqueue(encoder.encode("eamed"));
      c.close();
    },
  });
  const res = await fetchWithin(`http://127.0.0.1:${s.port}/`, {
    method: "POST",
    body,
  });
  strictEqual(JSON.parse(await textWithin(res)).body, "streamed");
});

Deno.test("toFetchHandler keeps the handler's header lines in order, spelling and repeats", async () => {
  class Dup extends BaseHTTPRequestHandler {
    override logMessage(): void {}
    async doGET(): Promise<void> {
      this.sendResponse(200);
      this.sendHeader("X-Dup", "a");
      this.sendHeader("Content-Type", "text/plain");
      this.sendHeader("X-Dup", "b");
      this.sendHeader("Content-Length", "2");
      await this.endHeaders();
      await this.wfile.write("ok");
    }
  }
  await using s = startFetchServer(Dup);
  using client = await rawSend(s.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const res = await client.read();
  deepStrictEqual(
    res.headers.map(([k]) => k).filter((k) => !/^(date|connection)$/i.test(k)),
    ["Server", "X-Dup", "Content-Type", "X-Dup", "content-length"],
  );
  strictEqual(decoder.decode(res.body), "ok");
});

Deno.test("toFetchHandler parses a status line a handler writes itself (reason phrase lost)", async () => {
  class Raw extends BaseHTTPRequestHandler {
    override logMessage(): void {}
    async doGET(): Promise<void> {
      await this.wfile.write(
        "HTTP/1.0 299 Custom Reason\r\nX-Raw: yes\r\n\r\nraw body",
      );
    }
  }
  await using s = startFetchServer(Raw);
  using client = await rawSend(s.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const res = await client.read();
  strictEqual(res.statusLine, "HTTP/1.1 299 ");
  strictEqual(res.headers[0]![0], "X-Raw");
  strictEqual(decoder.decode(res.body), "raw body");
});

Deno.test("toFetchHandler undoes the handler's own chunked coding", async () => {
  class Chunky extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    async doGET(): Promise<void> {
      this.sendResponse(200);
      this.sendHeader("Transfer-Encoding", "chunked");
      await this.endHeaders();
      for (const part of ["one,", "two,", "three"]) {
        await this.wfile.write(
          `${part.length.toString(16)};x=y\r\n${part}\r\n`,
        );
        await sleep(5);
      }
      await this.wfile.write("0\r\nX-Trailer: z\r\n\r\n");
    }
  }
  await using s = startFetchServer(Chunky);
  const res = await fetchWithin(`http://127.0.0.1:${s.port}/`);
  strictEqual(await textWithin(res), "one,two,three");
});

Deno.test("toFetchHandler drops interim heads: Deno answers Expect: 100-continue itself", async () => {
  await using s = startFetchServer(EchoHandler);
  using client = await rawSend(
    s.port,
    "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
  );
  const interim = await client.read();
  strictEqual(interim.status, 100);
  await client.send("hi");
  const res = await client.read();
  strictEqual(res.status, 200);
  const seen = JSON.parse(decoder.decode(res.body));
  strictEqual(seen.body, "hi");
  ok(!seen.headers.some(([k]: string[]) => k === "expect"), "Expect dropped");
});

Deno.test("toFetchHandler answers HEAD, 204 and 304 without a body, keeping the length of HEAD", async () => {
  class NoBody extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    async doHEAD(): Promise<void> {
      this.sendResponse(200);
      this.sendHeader("Content-Length", "1234");
      await this.endHeaders();
    }
    async doGET(): Promise<void> {
      this.sendResponse(this.path === "/204" ? 204 : 304);
      await this.endHeaders();
    }
  }
  await using s = startFetchServer(NoBody);
  const head = await fetchWithin(`http://127.0.0.1:${s.port}/`, {
    method: "HEAD",
  });
  strictEqual(head.headers.get("content-length"), "1234");
  strictEqual(await textWithin(head), "");
  for (const code of [204, 304]) {
    const res = await fetchWithin(`http://127.0.0.1:${s.port}/${code}`);
    strictEqual(res.status, code);
    strictEqual(await textWithin(res), "");
  }
});

Deno.test("toFetchHandler answers 500 and reports a status Deno refuses, or no response at all", async () => {
  class Broken extends BaseHTTPRequestHandler {
    override logMessage(): void {}
    async doGET(): Promise<void> {
      if (this.path === "/600") {
        this.sendResponse(600, "Beyond");
        await this.endHeaders();
      } else if (this.path === "/garbage") {
        await this.wfile.write("not http at all\r\n\r\n");
      }
      // "/silent" sends nothing.
    }
  }
  await using s = startFetchServer(Broken);
  for (const path of ["/600", "/garbage", "/silent"]) {
    const res = await fetchWithin(`http://127.0.0.1:${s.port}${path}`);
    strictEqual(res.status, 500, path);
    await res.body?.cancel();
  }
  strictEqual(s.errors.length, 2, String(s.errors));
  ok(s.errors[0] instanceof RangeError, String(s.errors[0]));
  ok(String(s.errors[1]).includes("does not start with an HTTP/1 status line"));
});

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

Deno.test("toFetchHandler refuses a server that serves another handler class", () => {
  const server = new HTTPServer(["", 0], EchoHandler, {
    bindAndActivate: false,
  });
  let error: unknown;
  try {
    toFetchHandler(BaseHTTPRequestHandler, { server });
  } catch (e) {
    error = e;
  }
  ok(error instanceof TypeError);
});

Deno.test("toFetchHandler sets serverName and serverPort from onListen", async () => {
  await using s = startFetchServer(EchoHandler);
  strictEqual(s.server.serverPort, s.port);
  strictEqual(s.server.serverName, "localhost");
  deepStrictEqual(s.server.serverAddress, ["127.0.0.1", s.port]);
});

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
