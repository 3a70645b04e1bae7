// Copyright 2026 the httpserver authors. MIT license.
// toFetchHandler under a real Deno.serve: the request as the handler sees it
// (target as sent, client address, bodies of every framing), the handler's
// output parsed back (raw status lines, its own chunking, interim heads,
// order and repeats of header lines), and broken handlers. Streams are in
// fetch_streaming_test.ts, handler instances in fetch_lanes_test.ts.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { toFetchHandler } from "../fetch_handler.ts";
import { HTTPServer } from "../server.ts";
import { RawClient, request } from "./_raw_client.ts";
import { fetchWithin, startFetchServer, textWithin } from "./_engine_util.ts";
import { startServer } from "./_util.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

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

Deno.test("toFetchHandler applies the handler's header limits as the listen engine does", async () => {
  class Limited extends EchoHandler {
    override maxLineLength = 60;
    override maxHeaders = 4;
    override maxHeaderBytes = 160;
  }
  // Each request sends what a HTTP/1.1 client sends, lower case and sorted
  // as Deno passes it on: both engines see the same header block.
  const heads: [string, string][] = [
    ["within every limit", "host: h\r\nx-a: 1\r\n"],
    ["a line too long", `host: h\r\nx-long: ${"v".repeat(60)}\r\n`],
    ["too many header lines", "host: h\r\nx-a: 1\r\nx-b: 2\r\nx-c: 3\r\n"],
    [
      "a head too large",
      `host: h\r\nx-a: ${"a".repeat(45)}\r\nx-b: ${"b".repeat(45)}\r\n`,
    ],
  ];
  await using listen = startServer(Limited);
  await using serve = startFetchServer(Limited);
  const statuses = [];
  for (const [what, fields] of heads) {
    const req = `GET /x HTTP/1.1\r\n${fields}Connection: close\r\n\r\n`;
    const a = await request(listen.port, req);
    const b = await request(serve.port, req);
    strictEqual(b.status, a.status, what);
    // The error page (the echo of a 200 shows each engine's own view).
    if (a.status !== 200) {
      strictEqual(decoder.decode(b.body), decoder.decode(a.body), what);
    }
    statuses.push(b.status);
  }
  deepStrictEqual(statuses, [200, 431, 431, 431]);
});

Deno.test("toFetchHandler gives the header block as bytes to a handler that reads it itself", async () => {
  /** Reads the request head from the connection itself, and echoes it. */
  class RawHead extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    override async handleOneRequest(): Promise<void> {
      const buf = new Uint8Array(4096);
      let head = "";
      while (!head.includes("\r\n\r\n")) {
        const n = await this.connection.read(buf);
        if (n === null) break;
        head += decoder.decode(buf.subarray(0, n));
      }
      const body = encoder.encode(head);
      await this.connection.write(encoder.encode(
        `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`,
      ));
      await this.connection.write(body);
      this.closeConnection = true;
    }
  }
  await using s = startFetchServer(RawHead);
  const res = await request(
    s.port,
    "GET /a/../b HTTP/1.1\r\nHost: h:1\r\nX-B: 2\r\nX-A: 1\r\n\r\n",
  );
  strictEqual(
    decoder.decode(res.body),
    "GET /a/../b HTTP/1.1\r\nhost: h:1\r\nx-a: 1\r\nx-b: 2\r\n\r\n",
  );
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
