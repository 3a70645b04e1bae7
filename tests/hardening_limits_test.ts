// Copyright 2026 the httpserver authors. MIT license.
// Hardening: limits. Every limit is an option with a default, and each one
// really bounds what a client can make the server hold (timeouts:
// tests/hardening_timeouts_test.ts).
import { ok, strictEqual } from "node:assert/strict";
import { HTTPServer } from "../server.ts";
import {
  MAX_DISCARD_BYTES,
  MAX_HEADER_BYTES,
  MAX_HEADERS,
  MAX_LINE,
} from "../handlers/constants.ts";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { MemoryConnection } from "../testing.ts";
import { startServer, withTimeout } from "./_util.ts";
import { ProbeHandler, sleep } from "./_hardening.ts";
import {
  countResponses,
  exchange,
  headOf,
  RawClient,
  statusOf,
} from "./_raw_client.ts";

Deno.test("HTTPServer documents its limits with defaults", () => {
  const server = new HTTPServer(["127.0.0.1", 0], ProbeHandler, {
    bindAndActivate: false,
  });
  strictEqual(server.headersTimeout, 30_000);
  strictEqual(server.keepAliveTimeout, 60_000);
  strictEqual(server.maxConnections, 4096);
  strictEqual(server.shutdownTimeout, 5000);
  const handler = new BaseHTTPRequestHandler(
    new MemoryConnection(),
    ["127.0.0.1", 1],
    server,
  );
  strictEqual(handler.maxLineLength, MAX_LINE);
  strictEqual(MAX_LINE, 65536);
  strictEqual(handler.maxHeaders, MAX_HEADERS);
  strictEqual(MAX_HEADERS, 100);
  strictEqual(handler.maxHeaderBytes, MAX_HEADER_BYTES);
  strictEqual(MAX_HEADER_BYTES, 1024 * 1024);
  strictEqual(handler.maxDiscardBytes, MAX_DISCARD_BYTES);
  strictEqual(handler.timeout, null);
});

Deno.test("BaseHTTPRequestHandler answers a head over maxHeaderBytes with 431 and closes", async () => {
  await using s = startServer(ProbeHandler);
  // 20 lines of 60 000 bytes: each under the line limit, the block over 1 MiB.
  const line = "X-Big: " + "a".repeat(60_000) + "\r\n";
  const res = await exchange(
    s.port,
    ["GET / HTTP/1.1\r\n", ...Array(20).fill(line), "\r\n"],
    { deadline: 8000 },
  );
  strictEqual(statusOf(res.text), 431);
  ok(
    res.text.startsWith("HTTP/1.1 431 Headers too large\r\n"),
    res.text.slice(0, 80),
  );
  ok(headOf(res.text).includes("\r\nConnection: close\r\n"));
  ok(res.closed && !res.timedOut);
});

Deno.test("BaseHTTPRequestHandler.maxHeaderBytes can be lowered per handler", async () => {
  class Small extends ProbeHandler {
    override maxHeaderBytes = 4096;
  }
  await using s = startServer(Small);
  const line = "X-H: " + "b".repeat(500) + "\r\n";
  const fits = await exchange(
    s.port,
    `GET / HTTP/1.1\r\nConnection: close\r\n${line.repeat(5)}\r\n`,
  );
  strictEqual(statusOf(fits.text), 200);
  const over = await exchange(
    s.port,
    `GET / HTTP/1.1\r\n${line.repeat(10)}\r\n`,
  );
  strictEqual(statusOf(over.text), 431);
  ok(headOf(over.text).includes("\r\nConnection: close\r\n"));
  ok(over.closed);
});

Deno.test("BaseHTTPRequestHandler enforces Python's line and count limits on a live socket", async () => {
  await using s = startServer(ProbeHandler);
  const cases: [string, string | string[], string][] = [
    [
      "request line",
      `GET /${"a".repeat(MAX_LINE)} HTTP/1.1\r\n\r\n`,
      "HTTP/1.1 414 URI Too Long",
    ],
    [
      "header line",
      `GET / HTTP/1.1\r\nX: ${"a".repeat(MAX_LINE)}\r\n\r\n`,
      "HTTP/1.1 431 Line too long",
    ],
    [
      "header count",
      `GET / HTTP/1.1\r\n${"X: y\r\n".repeat(MAX_HEADERS)}\r\n`,
      "HTTP/1.1 431 Too many headers",
    ],
  ];
  for (const [what, req, statusLine] of cases) {
    const res = await exchange(s.port, req, { deadline: 8000 });
    ok(
      res.text.startsWith(statusLine + "\r\n"),
      `${what}: ${res.text.slice(0, 60)}`,
    );
    ok(headOf(res.text).includes("\r\nConnection: close\r\n"), what);
    ok(res.closed && !res.timedOut, `${what}: the connection is closed`);
  }
  // One header fewer than the limit is fine.
  const fits = await exchange(
    s.port,
    `GET / HTTP/1.1\r\nConnection: close\r\n${
      "X: y\r\n".repeat(MAX_HEADERS - 2)
    }\r\n`,
  );
  strictEqual(statusOf(fits.text), 200);
});

Deno.test("BaseHTTPRequestHandler closes rather than read an unread body over maxDiscardBytes", async () => {
  class Ignores extends ProbeHandler {
    override maxDiscardBytes = 1000;
    doPUT(): Promise<void> {
      return this.reply("ignored\n");
    }
  }
  await using s = startServer(Ignores);
  // Under the bound: dropped, and the pipelined request is served.
  const small = await exchange(
    s.port,
    `PUT / HTTP/1.1\r\nContent-Length: 900\r\n\r\n${"z".repeat(900)}` +
      "GET /after HTTP/1.1\r\nConnection: close\r\n\r\n",
  );
  strictEqual(countResponses(small.text), 2);
  // Over it: the response says Connection: close and the server never reads
  // the rest, so the client cannot push gigabytes through a keep-alive.
  const big = await exchange(
    s.port,
    `PUT / HTTP/1.1\r\nContent-Length: 10000000\r\n\r\n${"z".repeat(1000)}`,
  );
  strictEqual(statusOf(big.text), 200);
  ok(headOf(big.text).includes("\r\nConnection: close\r\n"));
  ok(big.closed && !big.timedOut);
});

Deno.test("HTTPServer never runs more than maxConnections handlers, and the rest wait", async () => {
  let active = 0;
  let peak = 0;
  class Counting extends ProbeHandler {
    override async doGET(): Promise<void> {
      active++;
      peak = Math.max(peak, active);
      await sleep(30);
      active--;
      await super.doGET();
    }
  }
  await using s = startServer(Counting, { maxConnections: 2 });
  const results = await withTimeout(
    Promise.all(
      Array.from(
        { length: 12 },
        (_, i) =>
          exchange(s.port, `GET /${i} HTTP/1.1\r\nConnection: close\r\n\r\n`, {
            deadline: 15_000,
          }),
      ),
    ),
    "12 clients through 2 slots",
    20_000,
  );
  for (const res of results) {
    strictEqual(statusOf(res.text), 200, "every waiting client is served");
    ok(!res.reset, "no client is refused or reset");
  }
  ok(peak <= 2, `at most 2 handlers at once, saw ${peak}`);
  ok(peak >= 1);
});

Deno.test("HTTPServer serves a waiting client as soon as a held slot ends", async () => {
  await using s = startServer(ProbeHandler, { maxConnections: 1 });
  using holder = await RawClient.connect(s.port);
  await holder.send("GET / HTTP/1.1\r\n\r\n");
  await holder.receive(1);
  // The slot is taken by an idle keep-alive connection.
  const waiting = exchange(
    s.port,
    "GET /waiting HTTP/1.1\r\nConnection: close\r\n\r\n",
    { deadline: 10_000 },
  );
  await sleep(300);
  holder.close();
  const res = await waiting;
  strictEqual(statusOf(res.text), 200);
  ok(res.elapsed >= 250, `waited ${res.elapsed} ms for the slot`);
});
