// Copyright 2026 the httpserver authors. MIT license.
// Hardening: timeouts. Slow, idle and stalled clients are closed at their
// timeout, steady ones are not, and shutdown() keeps its deadline.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { startServer, type TestServer, withTimeout } from "./_util.ts";
import { ProbeHandler, sleep } from "./_hardening.ts";
import {
  countResponses,
  exchange,
  headOf,
  RawClient,
  statusOf,
} from "./_raw_client.ts";
import { latin1Decode } from "../_text.ts";

Deno.test("HTTPServer closes a slowloris request head at headersTimeout", async () => {
  await using s = startServer(ProbeHandler, { headersTimeout: 300 });
  // One header byte every 50 ms: always busy, never done.
  const parts = ["GET / HTTP/1.1\r\n", ...Array(100).fill("X")];
  const res = await exchange(s.port, parts, { gap: 50, deadline: 5000 });
  ok(res.closed, "the server closed the trickling connection");
  ok(!res.timedOut);
  ok(
    res.elapsed >= 250 && res.elapsed < 4000,
    `closed after ${res.elapsed} ms`,
  );
  strictEqual(res.text, "", "a clean close, no half response");
  deepStrictEqual(s.errors, []);
  // The server goes on serving.
  const next = await exchange(
    s.port,
    "GET /next HTTP/1.1\r\nConnection: close\r\n\r\n",
  );
  strictEqual(statusOf(next.text), 200);
});

Deno.test("HTTPServer closes a connection that never sends a byte at headersTimeout", async () => {
  await using s = startServer(ProbeHandler, { headersTimeout: 300 });
  const res = await exchange(s.port, [], { deadline: 5000 });
  ok(res.closed && !res.timedOut, "closed by the server");
  ok(res.elapsed >= 250, `closed after ${res.elapsed} ms`);
});

Deno.test("HTTPServer closes an idle keep-alive connection at keepAliveTimeout", async () => {
  await using s = startServer(ProbeHandler, {
    headersTimeout: 60_000,
    keepAliveTimeout: 300,
  });
  const res = await exchange(s.port, "GET / HTTP/1.1\r\n\r\n", {
    deadline: 5000,
  });
  strictEqual(countResponses(res.text), 1);
  ok(!headOf(res.text).includes("Connection: close"), "a persistent response");
  ok(res.closed && !res.timedOut, "the idle connection was closed");
  ok(res.elapsed >= 250, `closed after ${res.elapsed} ms`);
});

Deno.test("HTTPServer keepAliveTimeout counts idle time, not the connection's age", async () => {
  await using s = startServer(ProbeHandler, {
    headersTimeout: 60_000,
    keepAliveTimeout: 600,
  });
  // Eight requests 200 ms apart: 1.6 s in all, never 600 ms idle.
  const parts = Array(8).fill("GET / HTTP/1.1\r\n\r\n");
  const res = await exchange(s.port, parts, {
    gap: 200,
    deadline: 10_000,
    until: (text) => countResponses(text) === 8,
  });
  strictEqual(countResponses(res.text), 8);
  ok(!res.closed, "still open after 1.6 s of steady use");
});

Deno.test("HTTPServer keepAliveTimeout does not cut the first request's headersTimeout short", async () => {
  await using s = startServer(ProbeHandler, {
    headersTimeout: 5000,
    keepAliveTimeout: 100,
  });
  // The first head takes 1.2 s to arrive: under headersTimeout, so served.
  const res = await exchange(
    s.port,
    ["GET / HTTP/1.1\r\n", "Connection: close\r\n", "\r\n"],
    { gap: 600, deadline: 8000 },
  );
  strictEqual(statusOf(res.text), 200);
});

/** Shuts `s` down (shutdownTimeout 300 ms) and checks it kept that deadline. */
async function shutdownInTime(s: TestServer, what: string): Promise<void> {
  const started = performance.now();
  await withTimeout(s.server.shutdown(), `shutdown with ${what}`, 5000);
  const took = performance.now() - started;
  ok(took >= 250 && took < 3000, `shutdown took ${took} ms`);
}

Deno.test("HTTPServer.shutdown() keeps its deadline while a client never reads a large response", async () => {
  class Big extends ProbeHandler {
    override async doGET(): Promise<void> {
      const chunk = new Uint8Array(1 << 20);
      this.sendResponse(200);
      this.sendHeader("Content-Length", String(chunk.length * 256));
      await this.endHeaders();
      for (let i = 0; i < 256; i++) await this.wfile.write(chunk);
    }
  }
  await using s = startServer(Big, { shutdownTimeout: 300 });
  using stuck = await RawClient.connect(s.port);
  await stuck.send("GET / HTTP/1.1\r\n\r\n");
  await sleep(200); // The send buffers fill up; the handler blocks.
  // Another client is served meanwhile.
  const other = await exchange(
    s.port,
    "HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n",
  );
  strictEqual(statusOf(other.text), 200);
  await shutdownInTime(s, "a blocked writer");
  deepStrictEqual(s.errors, [], "a blocked write ends quietly");
});

Deno.test("HTTPServer.shutdown() keeps its deadline while a handler streams without end", async () => {
  class Stream extends ProbeHandler {
    override async doGET(): Promise<void> {
      this.sendResponse(200);
      await this.endHeaders(); // No length: the response ends at the close.
      while (true) {
        await this.wfile.write("tick\n");
        await this.wfile.flush();
        await sleep(20);
      }
    }
  }
  await using s = startServer(Stream, { shutdownTimeout: 300 });
  const client = exchange(s.port, "GET / HTTP/1.1\r\n\r\n", {
    deadline: 8000,
  });
  await sleep(200);
  await shutdownInTime(s, "a streaming handler");
  s.server.serverClose();
  const res = await client;
  ok(res.text.startsWith("HTTP/1.1 200 OK\r\n"));
  ok(res.text.includes("tick\n"));
  ok(res.closed && !res.timedOut, "the client sees the end of the response");
  deepStrictEqual(s.errors, []);
});

Deno.test("HTTPServer closes a request whose body stops arriving at ioTimeout, logging one line", async () => {
  class Logged extends ProbeHandler {
    static override logs: string[] = [];
  }
  await using s = startServer(Logged, { ioTimeout: 300 });
  const res = await exchange(
    s.port,
    "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nhello",
    { deadline: 5000 },
  );
  ok(res.closed && !res.timedOut, "the server closed the stalled upload");
  ok(res.elapsed >= 250, `closed after ${res.elapsed} ms`);
  deepStrictEqual(Logged.logs, [
    "Request timed out: %s TimeoutError('timed out')",
  ]);
  deepStrictEqual(s.errors, []);
});

Deno.test("HTTPServer frees the slot of a client that never reads its response at ioTimeout", async () => {
  class Big extends ProbeHandler {
    static override logs: string[] = [];
    override async doGET(): Promise<void> {
      if (this.path !== "/big") return super.doGET();
      const chunk = new Uint8Array(1 << 20);
      this.sendResponse(200);
      this.sendHeader("Content-Length", String(chunk.length * 256));
      await this.endHeaders();
      for (let i = 0; i < 256; i++) await this.wfile.write(chunk);
    }
  }
  await using s = startServer(Big, { ioTimeout: 300, maxConnections: 1 });
  const stuck = await RawClient.connect(s.port);
  try {
    await stuck.send("GET /big HTTP/1.1\r\n\r\n");
    // The only slot is held by the stuck client until ioTimeout frees it.
    const next = await exchange(
      s.port,
      "GET /next HTTP/1.1\r\nConnection: close\r\n\r\n",
      { deadline: 8000 },
    );
    strictEqual(statusOf(next.text), 200);
    ok(next.elapsed >= 250, `served after ${next.elapsed} ms`);
    const timeouts = Big.logs.filter((l) => l.startsWith("Request timed out"));
    strictEqual(timeouts.length, 1, Big.logs.join("\n"));
    deepStrictEqual(s.errors, []);
  } finally {
    stuck.close();
  }
});

Deno.test("HTTPServer ioTimeout does not cut a slow but steady upload short", async () => {
  await using s = startServer(ProbeHandler, { ioTimeout: 400 });
  // 10 bytes, one every 150 ms: 1.5 s in all, never 400 ms without progress.
  const res = await exchange(
    s.port,
    [
      "POST / HTTP/1.1\r\nContent-Length: 10\r\nConnection: close\r\n\r\n",
      ..."0123456789",
    ],
    { gap: 150, deadline: 8000 },
  );
  strictEqual(statusOf(res.text), 200);
  ok(res.text.endsWith("length 10\n"));
});

Deno.test("HTTPServer does not time out requests that arrived while its event loop was blocked", async () => {
  await using s = startServer(ProbeHandler, {
    headersTimeout: 300,
    keepAliveTimeout: 300,
  });
  const clients = await Promise.all(
    Array.from({ length: 5 }, () => RawClient.connect(s.port)),
  );
  try {
    await sleep(50); // accepted: each handler now waits for its head
    for (const c of clients) {
      await c.send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    }
    // A long synchronous stall (a slow disk, a huge sync job): the heads
    // are in the socket buffers but not read when the loop resumes.
    const until = performance.now() + 1200;
    while (performance.now() < until) { /* blocked */ }
    const texts = await Promise.all(
      clients.map(async (c) => latin1Decode(await c.readToEnd())),
    );
    for (const text of texts) strictEqual(statusOf(text), 200, text);
  } finally {
    for (const c of clients) c.close();
  }
});
