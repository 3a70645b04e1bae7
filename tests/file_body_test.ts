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
