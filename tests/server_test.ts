// Copyright 2026 the httpserver authors. MIT license.
// HTTPServer's lifecycle and the core's behaviour beyond Python's test suite.
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { HTTPServer } from "../server.ts";
import { ThreadingHTTPServer } from "../threading_http_server.ts";
import { startServer, withTimeout } from "./_util.ts";
import { header, RawClient, readUntilClose, request } from "./_raw_client.ts";

const encoder = new TextEncoder();

class EchoHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(_format: string, ..._args: unknown[]): void {}

  async #reply(body: string | Uint8Array, code = 200): Promise<void> {
    const bytes = typeof body === "string" ? encoder.encode(body) : body;
    this.sendResponse(code);
    this.sendHeader("Content-Length", String(bytes.length));
    await this.endHeaders();
    await this.wfile.write(bytes);
  }
  doGET(): Promise<void> {
    return this.#reply(`GET ${this.path}\n`);
  }
  async doPOST(): Promise<void> {
    const body = await this.rfile.read();
    await this.#reply(body);
  }
  /** Ignores the request body. */
  doPUT(): Promise<void> {
    return this.#reply("ignored\n");
  }
  doTHROW(): void {
    throw new TypeError("Handler failure for the test");
  }
  "doM-SEARCH"(): Promise<void> {
    return this.#reply("m-search\n");
  }
  doSYNC(): void {
    this.sendResponse(204);
    this.endHeaders();
  }
}

Deno.test("HTTPServer reports the real port right after construction", () => {
  const server = new HTTPServer(["127.0.0.1", 0], EchoHandler);
  try {
    ok(server.serverPort > 0);
    deepStrictEqual(server.serverAddress, ["127.0.0.1", server.serverPort]);
    strictEqual(server.serverName, "localhost");
    strictEqual((server.address as Deno.NetAddr).port, server.serverPort);
  } finally {
    server.serverClose();
  }
});

Deno.test("HTTPServer binds later when bindAndActivate is false", async () => {
  const server = new HTTPServer(["127.0.0.1", 0], EchoHandler, {
    bindAndActivate: false,
  });
  strictEqual(server.socket, null);
  await rejects(
    server.serveForever(),
    Error,
    "Cannot serve: the server is not bound",
  );
  server.bindAndActivate();
  ok(server.serverPort > 0);
  server.serverClose();
});

Deno.test("HTTPServer refuses a port already in use (allowReusePort is false)", () => {
  const first = new HTTPServer(["127.0.0.1", 0], EchoHandler);
  try {
    let error: unknown;
    try {
      new HTTPServer(["127.0.0.1", first.serverPort], EchoHandler)
        .serverClose();
    } catch (e) {
      error = e;
    }
    ok(error instanceof Deno.errors.AddrInUse, String(error));
  } finally {
    first.serverClose();
  }
});

Deno.test("HTTPServer dispatches do + command verbatim, sync or async", async () => {
  await using s = startServer(EchoHandler);
  strictEqual(
    (await request(s.port, "M-SEARCH * HTTP/1.1\r\n\r\n")).status,
    200,
  );
  strictEqual((await request(s.port, "SYNC / HTTP/1.1\r\n\r\n")).status, 204);
  strictEqual((await request(s.port, "get / HTTP/1.1\r\n\r\n")).status, 501);
});

Deno.test("BaseHTTPRequestHandler reads a chunked request body", async () => {
  await using s = startServer(EchoHandler);
  const res = await request(
    s.port,
    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n",
  );
  strictEqual(res.status, 200);
  strictEqual(new TextDecoder().decode(res.body), "hello, world");
});

Deno.test("BaseHTTPRequestHandler answers three pipelined requests in order", async () => {
  await using s = startServer(EchoHandler);
  using client = await RawClient.connect(s.port);
  await client.send(
    "GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\n\r\n",
  );
  const bodies = (await client.readResponses(3)).map((res) => res.text);
  deepStrictEqual(bodies, ["GET /1\n", "abc", "GET /3\n"]);
});

Deno.test("BaseHTTPRequestHandler drops an unread body before the next keep-alive request", async () => {
  await using s = startServer(EchoHandler);
  using client = await RawClient.connect(s.port);
  // The body looks like a request: Python would parse it as one.
  const smuggled = "GET /smuggled HTTP/1.1\r\n\r\n";
  await client.send(
    `PUT / HTTP/1.1\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}GET /next HTTP/1.1\r\n\r\n`,
  );
  strictEqual((await client.read()).text, "ignored\n");
  strictEqual((await client.read()).text, "GET /next\n");
});

Deno.test("BaseHTTPRequestHandler closes when an unread body is too large to drop", async () => {
  await using s = startServer(EchoHandler);
  using client = await RawClient.connect(s.port);
  await client.send(
    `PUT / HTTP/1.1\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`,
  );
  const res = await client.read();
  strictEqual(res.status, 200);
  strictEqual(header(res, "Connection"), "close");
  ok(await client.closed());
  ok(!client.reset, "an orderly close");
});

Deno.test("HTTPServer keeps serving after a client closes mid-request", async () => {
  await using s = startServer(EchoHandler);
  for (
    const partial of [
      "GET / HT",
      "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc",
    ]
  ) {
    using client = await RawClient.connect(s.port);
    await client.send(partial);
  }
  strictEqual(
    (await request(s.port, "GET /after HTTP/1.1\r\n\r\n")).status,
    200,
  );
  deepStrictEqual(s.errors, []);
});

Deno.test("HTTPServer answers a throwing handler with 500 and keeps serving", async () => {
  await using s = startServer(EchoHandler);
  const res = await request(s.port, "THROW / HTTP/1.1\r\n\r\n");
  strictEqual(res.status, 500);
  strictEqual(header(res, "Connection"), "close");
  strictEqual(s.errors.length, 1);
  ok(s.errors[0] instanceof TypeError);
  strictEqual((await request(s.port, "GET / HTTP/1.1\r\n\r\n")).status, 200);
});

Deno.test("HTTPServer.handleError() prints Python's traceback block", async () => {
  const server = new HTTPServer(["127.0.0.1", 0], EchoHandler, {
    bindAndActivate: false,
  });
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { HTTPServer } from "${new URL("../server.ts", import.meta.url)}";
       const s = new HTTPServer(["127.0.0.1", 0], class {}, { bindAndActivate: false });
       s.handleError(null, ["127.0.0.1", 5555], new Error("boom"));`,
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const { stderr } = await withTimeout(
    cmd.output(),
    "deno eval of handleError",
  );
  const text = new TextDecoder().decode(stderr);
  const lines = text.split("\n");
  strictEqual(lines[0], "-".repeat(40));
  strictEqual(
    lines[1],
    "Exception occurred during processing of request from ('127.0.0.1', 5555)",
  );
  ok(lines[2]!.startsWith("Error: boom"));
  strictEqual(lines.at(-2), "-".repeat(40));
  server.serverClose();
});

class SlowHandler extends BaseHTTPRequestHandler {
  static started = Promise.withResolvers<void>();
  static release = Promise.withResolvers<void>();
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doGET(): Promise<void> {
    SlowHandler.started.resolve();
    await SlowHandler.release.promise;
    this.sendResponse(200);
    this.sendHeader("Content-Length", "4");
    await this.endHeaders();
    await this.wfile.write("done");
  }
  async doHEAD(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Length", "0");
    await this.endHeaders();
  }
}

Deno.test("HTTPServer.shutdown() lets an in-flight request finish and refuses new clients", async () => {
  const server = new HTTPServer(["127.0.0.1", 0], SlowHandler);
  const serving = server.serveForever();
  const port = server.serverPort;
  const inflight = request(port, "GET / HTTP/1.1\r\n\r\n");
  await withTimeout(SlowHandler.started.promise, "the slow request to start");
  // An idle keep-alive connection is closed by shutdown.
  using idle = await RawClient.connect(port);
  await idle.send("HEAD / HTTP/1.1\r\n\r\n");
  const idleRes = await idle.read({ head: true });
  strictEqual(idleRes.status, 200);
  strictEqual(header(idleRes, "Connection"), undefined);
  const stopping = server.shutdown();
  await rejects(
    Deno.connect({ hostname: "127.0.0.1", port }).then((c) => c.close()),
  );
  SlowHandler.release.resolve();
  const res = await inflight;
  strictEqual(res.status, 200);
  strictEqual(res.text, "done");
  await withTimeout(stopping, "shutdown to finish");
  await serving;
  ok(await idle.closed(), "the idle keep-alive connection is closed");
  ok(!idle.reset, "an orderly close");
  server.serverClose();
});

Deno.test("HTTPServer.shutdown() closes a stuck connection at its deadline", async () => {
  const server = new HTTPServer(
    ["127.0.0.1", 0],
    class extends BaseHTTPRequestHandler {
      override logMessage(): void {}
      async doGET(): Promise<void> {
        // A request that waits on its socket forever (the body never comes).
        await this.rfile.read();
      }
    },
    { shutdownTimeout: 200 },
  );
  const serving = server.serveForever();
  using client = await RawClient.connect(server.serverPort);
  await client.send("GET / HTTP/1.1\r\nContent-Length: 10\r\n\r\n");
  await new Promise((r) => setTimeout(r, 50));
  const started = performance.now();
  await withTimeout(server.shutdown(), "shutdown with a stuck request", 5000);
  const took = performance.now() - started;
  ok(took >= 150 && took < 4000, `shutdown took ${took} ms`);
  await serving;
  server.serverClose();
});

Deno.test("HTTPServer answers 1000 concurrent connections", async () => {
  await using s = startServer(EchoHandler);
  const clients = await Promise.all(
    Array.from({ length: 1000 }, () => RawClient.connect(s.port)),
  );
  try {
    await Promise.all(
      clients.map((c, i) =>
        c.send(`GET /${i} HTTP/1.1\r\nConnection: close\r\n\r\n`)
      ),
    );
    const bodies = await withTimeout(
      Promise.all(clients.map(async (c) => (await c.read()).text)),
      "1000 responses",
      30_000,
    );
    bodies.forEach((b, i) => strictEqual(b, `GET /${i}\n`));
  } finally {
    for (const c of clients) c.close();
  }
});

Deno.test("HTTPServer makes clients over maxConnections wait, then serves them", async () => {
  await using s = startServer(EchoHandler, { maxConnections: 2 });
  const held = await Promise.all(
    [0, 1].map(() => RawClient.connect(s.port)),
  );
  try {
    for (const c of held) await c.send("GET /held HTTP/1.1\r\n\r\n");
    for (const c of held) await c.read();
    // Both slots are taken by idle keep-alive connections: the third waits.
    const third = request(s.port, "GET /third HTTP/1.1\r\n\r\n");
    const early = await Promise.race([
      third.then(() => "served"),
      new Promise((r) => setTimeout(() => r("waiting"), 300)),
    ]);
    strictEqual(early, "waiting");
    held[0]!.close();
    strictEqual((await third).status, 200);
  } finally {
    held[1]!.close();
  }
});

Deno.test("HTTPServer.handleRequest() serves one connection at a time", async () => {
  const server = new HTTPServer(["127.0.0.1", 0], EchoHandler);
  try {
    for (let i = 0; i < 3; i++) {
      const handled = server.handleRequest();
      const res = await request(
        server.serverPort,
        `GET /${i} HTTP/1.1\r\nConnection: close\r\n\r\n`,
      );
      await withTimeout(handled, "handleRequest to return");
      strictEqual(res.text, `GET /${i}\n`);
    }
  } finally {
    server.serverClose();
  }
});

Deno.test("HTTPServer.handleRequest() calls handleTimeout() when no client comes", async () => {
  let timedOut = 0;
  const server = new HTTPServer(["127.0.0.1", 0], EchoHandler);
  server.timeout = 50;
  server.handleTimeout = () => {
    timedOut++;
  };
  await withTimeout(server.handleRequest(), "handleRequest with a timeout");
  strictEqual(timedOut, 1);
  server.serverClose();
});

Deno.test("ThreadingHTTPServer is an HTTPServer", async () => {
  await using s = startServer(EchoHandler, {}, ThreadingHTTPServer);
  ok(s.server instanceof HTTPServer);
  strictEqual((await request(s.port, "GET / HTTP/1.1\r\n\r\n")).status, 200);
});

class ContinueHandler extends EchoHandler {
  override async handleExpect100(): Promise<boolean> {
    return await super.handleExpect100();
  }
}

Deno.test("BaseHTTPRequestHandler sends 100 Continue before the body arrives", async () => {
  await using s = startServer(ContinueHandler);
  using client = await RawClient.connect(s.port);
  await client.send(
    "POST / HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n",
  );
  const interim = await client.read({ head: true });
  strictEqual(interim.statusLine, "HTTP/1.1 100 Continue");
  strictEqual(interim.headers.length, 0);
  await client.send("body");
  strictEqual((await client.read()).text, "body");
});

Deno.test("BaseHTTPRequestHandler answers an HTTP/1.0 client with Connection: close when it closes", async () => {
  await using s = startServer(EchoHandler);
  const text = await readUntilClose(s.port, "GET / HTTP/1.0\r\n\r\n");
  ok(text.startsWith("HTTP/1.1 200 OK\r\n"));
  ok(text.includes("\r\nConnection: close\r\n"));
});

class StreamsHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  /** Reads the body as a Web stream and pipes the answer through wfile. */
  async doPOST(): Promise<void> {
    const text = await new Response(this.rfile).text();
    const body = encoder.encode(text.toUpperCase());
    this.sendResponse(200);
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    await ReadableStream.from([body.subarray(0, 2), body.subarray(2)]).pipeTo(
      this.wfile,
    );
  }
  /** Python-style line and counted reads. */
  async doPUT(): Promise<void> {
    const first = await this.rfile.readline();
    const two = await this.rfile.read(2);
    const rest = await this.rfile.read();
    const parts = [first, two, rest].map((p) =>
      JSON.stringify(new TextDecoder().decode(p))
    );
    const body = parts.join(",");
    this.sendResponse(200);
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    await this.wfile.write(body);
  }
}

Deno.test("BaseHTTPRequestHandler.rfile is a ReadableStream bounded to the body; wfile takes pipeTo", async () => {
  await using s = startServer(StreamsHandler);
  using client = await RawClient.connect(s.port);
  await client.send(
    "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloPOST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
  );
  strictEqual((await client.read()).text, "HELLO");
  // pipeTo closed the first wfile; the connection stays open for the next request.
  strictEqual((await client.read()).text, "ABC");
});

Deno.test("BaseHTTPRequestHandler.rfile has Python's readline() and read(n)", async () => {
  await using s = startServer(StreamsHandler);
  const res = await request(
    s.port,
    "PUT / HTTP/1.1\r\nContent-Length: 12\r\n\r\nline\nabcdefg",
  );
  strictEqual(new TextDecoder().decode(res.body), '"line\\n","ab","cdefg"');
});

Deno.test("BaseHTTPRequestHandler.timeout closes a slow request head and logs it", async () => {
  const logged: string[] = [];
  class Timed extends EchoHandler {
    override timeout = 200;
    override logMessage(format: string, ...args: unknown[]): void {
      logged.push(`${format} ${args.join(" ")}`);
    }
  }
  await using s = startServer(Timed);
  using client = await RawClient.connect(s.port);
  await client.send("GET / HTTP/1.1\r\nX-Slow: ");
  const started = performance.now();
  ok(await client.closed(), "the server closes the connection");
  ok(!client.reset, "an orderly close");
  const took = performance.now() - started;
  ok(took >= 150 && took < 5000, `closed after ${took} ms`);
  deepStrictEqual(logged, [
    "Request timed out: %s TimeoutError('timed out')",
  ]);
});
