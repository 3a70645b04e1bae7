// Copyright 2026 the httpserver authors. MIT license.
// Large files stream through a fixed buffer, byte for byte; a file that
// shrinks mid-send ends that response cleanly; a client that leaves early
// costs nothing; the server keeps serving.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { requestTarget, serveFolder } from "./_simple_fixture.ts";
import {
  type SimpleBody,
  SimpleHTTPRequestHandler,
} from "../handlers/simple.ts";
import { header, RawClient, type RawResponse } from "./_raw_client.ts";
import { MemoryConnection } from "../testing.ts";

const MB = 1024 * 1024;

/** Deterministic pseudo-random bytes (xorshift32). */
function bytes(n: number, seed = 2463534242): Uint8Array {
  const out = new Uint8Array(n);
  const words = new Uint32Array(out.buffer, 0, n >>> 2);
  let x = seed;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < n; i++) out[i] = i & 0xff;
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

Deno.test("SimpleHTTPRequestHandler streams a 20 MB file byte for byte", async () => {
  await using t = await serveFolder();
  const data = bytes(20 * MB + 123);
  await Deno.writeFile(`${t.root}/big.bin`, data);
  const { res, rest } = await requestTarget(t.port, "/big.bin");
  strictEqual(res.status, 200);
  strictEqual(header(res, "Content-Length"), String(data.length));
  strictEqual(rest.length, 0);
  ok(equalBytes(res.body, data), "the body is the file");
});

Deno.test("SimpleHTTPRequestHandler streams large files back to back on a keep-alive connection", async () => {
  await using t = await serveFolder({ protocolVersion: "HTTP/1.1" });
  const a = bytes(3 * MB + 1, 1);
  const b = bytes(MB - 7, 2);
  await Deno.writeFile(`${t.root}/a.bin`, a);
  await Deno.writeFile(`${t.root}/b.bin`, b);
  using client = await RawClient.connect(t.port);
  await client.send(
    "GET /a.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /b.bin HTTP/1.1\r\nHost: x\r\n\r\n" +
      "GET /a.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=1048576-2097151\r\n\r\n",
  );
  const [first, second, third] = await client.readResponses(3);
  ok(equalBytes(first!.body, a), "first file");
  ok(equalBytes(second!.body, b), "second file");
  strictEqual(third!.status, 206);
  ok(equalBytes(third!.body, a.subarray(MB, 2 * MB)), "range of the first");
});

Deno.test("SimpleHTTPRequestHandler serves concurrent large downloads", async () => {
  await using t = await serveFolder();
  const files = [bytes(2 * MB, 3), bytes(2 * MB + 5, 4), bytes(700_000, 5)];
  for (const [i, f] of files.entries()) {
    await Deno.writeFile(`${t.root}/f${i}.bin`, f);
  }
  const results = await Promise.all(
    [0, 1, 2, 0, 1, 2].map((i) => requestTarget(t.port, `/f${i}.bin`)),
  );
  results.forEach(({ res }, k) => {
    ok(equalBytes(res.body, files[k % 3]!), `download ${k}`);
  });
});

/** A handler that truncates the file after sending the head. */
class Shrinking extends SimpleHTTPRequestHandler {
  static errors: string[] = [];
  override async copyfile(
    source: SimpleBody,
    outputfile: WritableStream<Uint8Array>,
  ): Promise<void> {
    if (this.path === "/shrinks.bin") {
      await Deno.truncate(`${this.directory}/shrinks.bin`, 100_000);
    }
    if (this.path === "/vanishes.bin") {
      await Deno.remove(`${this.directory}/vanishes.bin`);
    }
    await super.copyfile(source, outputfile);
  }
  override logError(format: string, ...args: unknown[]): void {
    Shrinking.errors.push(format + " " + args.join(" "));
  }
}

Deno.test("SimpleHTTPRequestHandler ends the response cleanly when the file shrinks mid-send", async () => {
  await using t = await serveFolder({
    Handler: Shrinking,
    protocolVersion: "HTTP/1.1",
  });
  const data = bytes(2 * MB, 6);
  await Deno.writeFile(`${t.root}/shrinks.bin`, data);
  await Deno.writeFile(
    `${t.root}/ok.txt`,
    new TextEncoder().encode("still here"),
  );
  Shrinking.errors = [];
  let res: RawResponse;
  let rest: Uint8Array;
  {
    using client = await RawClient.connect(t.port);
    // A keep-alive request followed by another: the server must close
    // after the short body instead of answering the second one.
    await client.send(
      "GET /shrinks.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /ok.txt HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    res = await client.read({ partial: true });
    rest = await client.readToEnd();
  }
  strictEqual(res.status, 200);
  strictEqual(header(res, "Content-Length"), String(2 * MB));
  strictEqual(res.complete, false, "the body is cut short");
  strictEqual(res.body.length, 100_000, "only what the file still has");
  ok(equalBytes(res.body, data.subarray(0, 100_000)));
  strictEqual(rest.length, 0, "nothing after it");
  strictEqual(Shrinking.errors.length, 1);
  ok(Shrinking.errors[0]!.includes("Response cut short"), Shrinking.errors[0]);
  strictEqual(t.server.errors.length, 0, "no traceback");
  const { res: next } = await requestTarget(t.port, "/ok.txt", {
    headers: { Connection: "close" },
  });
  strictEqual(next.text, "still here");
});

Deno.test("SimpleHTTPRequestHandler finishes a file removed while it is sent", async () => {
  await using t = await serveFolder({ Handler: Shrinking });
  const data = bytes(MB + 11, 7);
  await Deno.writeFile(`${t.root}/vanishes.bin`, data);
  const { res } = await requestTarget(t.port, "/vanishes.bin");
  ok(equalBytes(res.body, data), "the open file is still read whole");
  strictEqual((await requestTarget(t.port, "/vanishes.bin")).res.status, 404);
});

Deno.test("SimpleHTTPRequestHandler survives a client that leaves mid-download", async () => {
  await using t = await serveFolder();
  await Deno.writeFile(`${t.root}/big.bin`, bytes(16 * MB, 8));
  for (let i = 0; i < 3; i++) {
    using client = await RawClient.connect(t.port);
    await client.send("GET /big.bin HTTP/1.0\r\n\r\n");
    await client.receive(1);
  }
  const { res } = await requestTarget(t.port, "/big.bin", { method: "HEAD" });
  strictEqual(res.status, 200);
  strictEqual(t.server.errors.length, 0, "a disconnect is not an error");
  // The file handles of the abandoned responses are closed: the test's
  // resource sanitizer fails the test otherwise.
});

Deno.test("SimpleHTTPRequestHandler copyfile writes to any WritableStream", async () => {
  await using t = await serveFolder();
  const data = bytes(600_000, 9);
  await Deno.writeFile(`${t.root}/x.bin`, data);
  const chunks: Uint8Array[] = [];
  const sink = new WritableStream<Uint8Array>({
    write(chunk) {
      chunks.push(chunk);
    },
  });
  const file = await Deno.open(`${t.root}/x.bin`);
  const handler = new SimpleHTTPRequestHandler(
    new MemoryConnection(),
    ["127.0.0.1", 0],
    t.server.server,
  );
  try {
    await handler.copyfile({
      pieces: [new Uint8Array([1, 2]), { start: 10, end: 500_010 }],
      file,
      length: 500_002,
    }, sink);
  } finally {
    file.close();
  }
  const got = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    got.set(c, at);
    at += c.length;
  }
  deepStrictEqual(got.subarray(0, 2), new Uint8Array([1, 2]));
  ok(equalBytes(got.subarray(2), data.subarray(10, 500_010)));
});
