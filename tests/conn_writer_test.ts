// Copyright 2026 the httpserver authors. MIT license.
// The write side of the wire layer (handlers/_http1/writer.ts) over an
// in-memory connection: small writes gather into one socket write, large ones
// go out after what was gathered and in order, short socket writes are
// retried, and a writer that failed (or was released) refuses every write.
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { ConnWriter, SMALL_RESPONSE } from "../handlers/_http1/writer.ts";
import { concat } from "./_util.ts";
import { MemoryConnection } from "../testing.ts";

const encoder = new TextEncoder();

/** `n` bytes of `fill`. */
function bytes(n: number, fill: number): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

/** Two turns of the event loop: the writer's shared flush timer has run. */
async function turns(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Each socket write's length, in order. */
function lengths(conn: MemoryConnection): number[] {
  return conn.writes.map((w) => w.length);
}

/** A connection whose writes wait until `open()` is called. */
class GatedConnection extends MemoryConnection {
  #gate = Promise.withResolvers<void>();
  override async write(p: Uint8Array): Promise<number> {
    await this.#gate.promise;
    return super.write(p);
  }
  open(): void {
    this.#gate.resolve();
  }
}

/** A connection that takes at most `max` bytes per write. */
class ShortWrites extends MemoryConnection {
  constructor(readonly max: number) {
    super();
  }
  override write(p: Uint8Array): Promise<number> {
    return super.write(p.subarray(0, this.max));
  }
}

/** A connection whose writes fail once `ok` writes succeeded. */
class FailingConnection extends MemoryConnection {
  readonly error = new Deno.errors.BrokenPipe("The peer went away");
  constructor(public ok = 0) {
    super();
  }
  override write(p: Uint8Array): Promise<number> {
    if (this.ok-- > 0) return super.write(p);
    return Promise.reject(this.error);
  }
}

Deno.test("ConnWriter gathers a response head and a small body into one socket write", async () => {
  const conn = new MemoryConnection();
  const w = new ConnWriter(conn);
  const head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  w.appendLatin1(head);
  await w.write(encoder.encode("hello"));
  deepStrictEqual(conn.writes, [], "gathered, not written yet");
  strictEqual(w.pending, head.length + 5);
  await w.flush();
  deepStrictEqual(lengths(conn), [head.length + 5]);
  strictEqual(conn.text(), head + "hello");
  strictEqual(w.writes, 1);
  strictEqual(w.bytesWritten, head.length + 5);
  strictEqual(w.pending, 0);
});

Deno.test("ConnWriter sends gathered bytes on the next turn of the event loop without a flush", async () => {
  const conn = new MemoryConnection();
  const w = new ConnWriter(conn);
  await w.write(encoder.encode("tick\n"));
  await Promise.resolve();
  deepStrictEqual(conn.writes, [], "held for the rest of this turn");
  await turns();
  strictEqual(conn.text(), "tick\n");
  strictEqual(w.pending, 0);
});

Deno.test("ConnWriter gathers up to SMALL_RESPONSE bytes, and writes a chunk that does not fit on its own", async () => {
  const conn = new MemoryConnection();
  const w = new ConnWriter(conn);
  await w.write(bytes(SMALL_RESPONSE - 10, 1));
  await w.write(bytes(10, 2));
  await w.flush();
  deepStrictEqual(lengths(conn), [SMALL_RESPONSE], "exactly full: one write");
  await w.write(bytes(SMALL_RESPONSE - 1, 3));
  await w.write(bytes(2, 4));
  deepStrictEqual(
    lengths(conn),
    [SMALL_RESPONSE, SMALL_RESPONSE - 1, 2],
    "one byte over: what was gathered, then the chunk",
  );
  await turns();
});

Deno.test("ConnWriter writes a large chunk after the bytes gathered before it, and resolves once it is written", async () => {
  const conn = new MemoryConnection();
  const w = new ConnWriter(conn);
  const large = bytes(200_000, 7);
  w.appendLatin1("HEAD\r\n");
  await w.write(encoder.encode("small"));
  await w.write(large);
  deepStrictEqual(lengths(conn), [11, 200_000], "head and small, then large");
  strictEqual(w.pending, 0);
  await w.write(encoder.encode("tail"));
  await w.flush();
  deepStrictEqual(
    conn.output(),
    concat([encoder.encode("HEAD\r\nsmall"), large, encoder.encode("tail")]),
  );
  strictEqual(w.bytesWritten, 11 + 200_000 + 4);
});

Deno.test("ConnWriter keeps the order of writes made while a flush is running", async () => {
  const conn = new GatedConnection();
  const w = new ConnWriter(conn);
  const a = bytes(SMALL_RESPONSE + 1, 0x61);
  const c = bytes(SMALL_RESPONSE + 1, 0x63);
  const writingA = w.write(a);
  await w.write(encoder.encode("b")); // gathered while A waits
  const writingC = w.write(c);
  strictEqual(w.flush(), w.flush(), "one flush at a time");
  let cDone = false;
  writingC.then(() => cDone = true);
  await Promise.resolve();
  strictEqual(cDone, false, "C is not written yet");
  conn.open();
  await writingA;
  await writingC;
  deepStrictEqual(conn.output(), concat([a, encoder.encode("b"), c]));
  strictEqual(w.pending, 0);
});

Deno.test("ConnWriter writes again after a short socket write until every byte is out", async () => {
  const conn = new ShortWrites(1000);
  const w = new ConnWriter(conn);
  const data = Uint8Array.from({ length: 4500 }, (_, i) => i % 251);
  await w.write(data);
  await w.flush();
  deepStrictEqual(conn.output(), data);
  deepStrictEqual(lengths(conn), [1000, 1000, 1000, 1000, 500]);
  strictEqual(w.writes, 5);
});

Deno.test("ConnWriter runs beforeSecondWrite once, just before the second socket write", async () => {
  const conn = new MemoryConnection();
  const seen: number[] = [];
  const w = new ConnWriter(conn, () => seen.push(conn.writes.length));
  await w.write(encoder.encode("one"));
  await w.flush();
  deepStrictEqual(seen, [], "not for a connection that writes once");
  for (const word of ["two", "three"]) {
    await w.write(encoder.encode(word));
    await w.flush();
  }
  deepStrictEqual(seen, [1]);
  strictEqual(conn.text(), "onetwothree");
});

Deno.test("ConnWriter refuses every write after a socket write failed, without unhandled rejections", async () => {
  const conn = new FailingConnection(1);
  const w = new ConnWriter(conn);
  await w.write(encoder.encode("first"));
  await w.flush();
  strictEqual(conn.text(), "first");
  await w.write(encoder.encode("second"));
  await rejects(w.flush(), conn.error);
  strictEqual(w.error, conn.error);
  strictEqual(w.pending, 0, "what was queued is dropped");
  await rejects(w.write(encoder.encode("small")), conn.error);
  await rejects(w.write(bytes(SMALL_RESPONSE + 1, 0)), conn.error);
  await rejects(w.flush(), conn.error);
  // A write nobody awaits must not end the process with a rejection.
  w.write(encoder.encode("ignored"));
  await turns();
  strictEqual(conn.text(), "first");
});

Deno.test("ConnWriter fails a large write that the socket refuses, and the writes queued behind it", async () => {
  const conn = new FailingConnection(0);
  const w = new ConnWriter(conn);
  const first = w.write(bytes(SMALL_RESPONSE + 1, 1));
  const second = w.write(bytes(SMALL_RESPONSE + 1, 2));
  await rejects(first, conn.error);
  await rejects(second, conn.error);
  deepStrictEqual(conn.writes, []);
});

Deno.test("ConnWriter.release() is ignored while bytes are queued, then refuses writes", async () => {
  const conn = new GatedConnection();
  const w = new ConnWriter(conn);
  const large = bytes(SMALL_RESPONSE + 1, 5);
  const writing = w.write(large);
  w.release(); // A flush is running: ignored.
  conn.open();
  await writing;
  await w.write(encoder.encode("more"));
  await w.flush();
  deepStrictEqual(conn.output(), concat([large, encoder.encode("more")]));
  w.release();
  await rejects(w.write(encoder.encode("late")), (error: unknown) => {
    ok(error instanceof Deno.errors.BadResource, String(error));
    strictEqual(error.message, "The connection is finished");
    return true;
  });
  strictEqual(conn.writes.length, 2);
});

Deno.test("ConnWriter.discard() drops what is gathered", async () => {
  const conn = new MemoryConnection();
  const w = new ConnWriter(conn);
  await w.write(encoder.encode("dropped"));
  w.discard();
  strictEqual(w.pending, 0);
  await turns();
  deepStrictEqual(conn.writes, []);
  await w.write(encoder.encode("kept"));
  await w.flush();
  strictEqual(conn.text(), "kept");
});
