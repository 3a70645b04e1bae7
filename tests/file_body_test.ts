// Copyright 2026 the httpserver authors. MIT license.
// Streaming buffers of SimpleHTTPRequestHandler: a bounded number of large
// ones, smaller ones beyond that, and every byte right either way.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  CHUNK_SIZE,
  largeBuffersOut,
  releaseBuffer,
  SMALL_CHUNK_SIZE,
  streamSpan,
  takeBuffer,
} from "../handlers/_files/file_body.ts";

Deno.test("SimpleHTTPRequestHandler lends at most 16 large streaming buffers at once, then small ones", () => {
  const before = largeBuffersOut();
  const taken: Uint8Array[] = [];
  while (largeBuffersOut() < 16) taken.push(takeBuffer());
  for (const b of taken) strictEqual(b.length, CHUNK_SIZE);
  const small = takeBuffer();
  strictEqual(small.length, SMALL_CHUNK_SIZE);
  strictEqual(largeBuffersOut(), 16);
  releaseBuffer(taken.pop()!);
  const again = takeBuffer();
  strictEqual(again.length, CHUNK_SIZE);
  taken.push(again);
  // A returned large buffer is the one lent next: no new allocation.
  releaseBuffer(again);
  strictEqual(takeBuffer(), again);
  releaseBuffer(small);
  for (const b of taken) releaseBuffer(b);
  strictEqual(largeBuffersOut(), before);
});

Deno.test("SimpleHTTPRequestHandler streams many files at once, each whole, within the buffer budget", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const size = 3 * CHUNK_SIZE + 12345;
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff;
    await Deno.writeFile(`${dir}/f.bin`, data);
    let peak = 0;
    const one = async (start: number) => {
      using file = await Deno.open(`${dir}/f.bin`);
      const parts: Uint8Array[] = [];
      await streamSpan(file, { start, end: size }, async (chunk) => {
        peak = Math.max(peak, largeBuffersOut());
        parts.push(chunk.slice());
        await new Promise((r) => setTimeout(r, 0));
      });
      const got = new Uint8Array(size - start);
      let at = 0;
      for (const p of parts) {
        got.set(p, at);
        at += p.length;
      }
      strictEqual(at, size - start);
      deepStrictEqual(got, data.subarray(start));
    };
    await Promise.all(Array.from({ length: 24 }, (_, i) => one(i * 1000)));
    ok(peak <= 16, `peak ${peak} large buffers`);
    strictEqual(largeBuffersOut(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SimpleHTTPRequestHandler reads a large file synchronously until a read is slow, then through the thread pool", async () => {
  const size = 5 * CHUNK_SIZE;
  const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
  let at = 0;
  const calls: string[] = [];
  const fill = (p: Uint8Array) => {
    const n = Math.min(p.length, size - at);
    p.set(data.subarray(at, at + n));
    at += n;
    return n === 0 ? null : n;
  };
  // A file whose second synchronous read takes 30 ms: a slow disk.
  const file = {
    seekSync(offset: number) {
      at = offset;
      return offset;
    },
    readSync(p: Uint8Array) {
      calls.push("sync");
      if (calls.length === 2) {
        const until = performance.now() + 30;
        while (performance.now() < until) { /* a slow disk */ }
      }
      return fill(p);
    },
    read(p: Uint8Array) {
      calls.push("async");
      return Promise.resolve(fill(p));
    },
  } as unknown as Deno.FsFile;
  const parts: Uint8Array[] = [];
  await streamSpan(file, { start: 0, end: size }, (chunk) => {
    parts.push(chunk.slice());
    return Promise.resolve();
  });
  deepStrictEqual(calls, ["sync", "sync", "async", "async", "async"]);
  const got = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    got.set(p, off);
    off += p.length;
  }
  deepStrictEqual(got, data);
});
