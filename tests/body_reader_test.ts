// Copyright 2026 the httpserver authors. MIT license.
// The request-body reader of the wire layer (handlers/_http1/body_reader.ts),
// table-driven over an in-memory connection: chunk sizes, extensions,
// trailers and their limits, Content-Length bodies, premature ends and bad
// CRLFs. Each case runs with its bytes in one packet and split into small
// packets, read in large and in one-byte steps.
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { BufReader } from "../handlers/_http1/reader.ts";
import {
  type BodyFraming,
  BodyReader,
} from "../handlers/_http1/body_reader.ts";
import { ProtocolError } from "../_errors.ts";
import { latin1Decode, latin1Encode } from "../_text.ts";
import { MemoryConnection } from "../testing.ts";

/** `[message, explain]` of the expected ProtocolError (status 400). */
type Refusal = [string, string];

const BAD_SIZE: Refusal = ["Bad chunked encoding", "invalid chunk size"];
const OVERRUN: Refusal = ["Bad chunked encoding", "chunk data overrun"];
const CUT_BODY: Refusal = [
  "Incomplete request body",
  "the client closed the connection before the end of the body",
];
const CUT_TRAILERS: Refusal = [
  "Bad chunked encoding",
  "incomplete trailer section",
];

interface Case {
  name: string;
  framing?: BodyFraming;
  length?: number;
  /** What the client sends: the body and whatever follows it. */
  input: string;
  /** The decoded body, for a body that is read whole. */
  body?: string;
  /** What is left on the connection after the body (default nothing). */
  rest?: string;
  /** The refusal, for a body that is not. */
  error?: Refusal;
}

/** A chunk line of exactly `n` bytes, CRLF included: size 5 and an extension. */
function sizeLine(n: number): string {
  return `5;${"e".repeat(n - 4)}\r\n`;
}

/** A trailer line of exactly `n` bytes, CRLF included. */
function trailerLine(n: number): string {
  return `T: ${"t".repeat(n - 5)}\r\n`;
}

const CASES: Case[] = [
  // Chunk sizes.
  { name: "one chunk", input: "5\r\nhello\r\n0\r\n\r\n", body: "hello" },
  {
    name: "two chunks, then the next request",
    input: "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\nGET /next HTTP/1.1\r\n",
    body: "hello, world",
    rest: "GET /next HTTP/1.1\r\n",
  },
  { name: "an empty body", input: "0\r\n\r\n", body: "" },
  {
    name: "a lower-case hex size",
    input: `1f\r\n${"a".repeat(31)}\r\n0\r\n\r\n`,
    body: "a".repeat(31),
  },
  {
    name: "an upper-case hex size",
    input: `1F\r\n${"b".repeat(31)}\r\n0\r\n\r\n`,
    body: "b".repeat(31),
  },
  {
    name: "a mixed-case hex size",
    input: `aBc\r\n${"c".repeat(0xabc)}\r\n0\r\n\r\n`,
    body: "c".repeat(0xabc),
  },
  {
    name: "sizes with leading zeros",
    input: "0005\r\nhello\r\n000\r\n\r\n",
    body: "hello",
  },
  {
    name: "a size of twelve digits",
    input: "000000000005\r\nhello\r\n0\r\n\r\n",
    body: "hello",
  },
  {
    name: "a size of 13 digits",
    input: "0000000000005\r\nhello\r\n0\r\n\r\n",
    error: BAD_SIZE,
  },
  {
    name: "a size that is not hex",
    input: "x\r\nhello\r\n0\r\n\r\n",
    error: BAD_SIZE,
  },
  { name: "a 0x prefix", input: "0x5\r\nhello\r\n0\r\n\r\n", error: BAD_SIZE },
  {
    name: "a negative size",
    input: "-5\r\nhello\r\n0\r\n\r\n",
    error: BAD_SIZE,
  },
  { name: "a signed size", input: "+5\r\nhello\r\n0\r\n\r\n", error: BAD_SIZE },
  {
    name: "a space before the size",
    input: " 5\r\nhello\r\n0\r\n\r\n",
    error: BAD_SIZE,
  },
  { name: "two numbers", input: "5 5\r\nhello\r\n0\r\n\r\n", error: BAD_SIZE },
  {
    name: "an empty size line",
    input: "\r\nhello\r\n0\r\n\r\n",
    error: BAD_SIZE,
  },
  {
    name: "an extension without a size",
    input: ";x\r\nhello\r\n0\r\n\r\n",
    error: BAD_SIZE,
  },
  // Extensions are read past.
  {
    name: "extensions",
    input:
      '5;name=value;q="x y"\r\nhello\r\n6 ; ext\r\n world\r\n0;last\r\n\r\n',
    body: "hello world",
  },
  {
    name: "a tab before an extension",
    input: "5\t;x\r\nhello\r\n0\r\n\r\n",
    body: "hello",
  },
  {
    name: "white space after the size",
    input: "5 \t\r\nhello\r\n0\r\n\r\n",
    body: "hello",
  },
  // Line ends.
  { name: "bare LF line ends", input: "5\nhello\n0\n\n", body: "hello" },
  {
    name: "data longer than its size",
    input: "5\r\nhelloXX\r\n0\r\n\r\n",
    error: OVERRUN,
  },
  {
    name: "no CRLF after the data",
    input: "5\r\nhello0\r\n\r\n",
    error: OVERRUN,
  },
  {
    name: "CR CR after the data",
    input: "5\r\nhello\r\r\n0\r\n\r\n",
    error: OVERRUN,
  },
  { name: "a lone CR after the data", input: "5\r\nhello\r", error: OVERRUN },
  // Trailers.
  {
    name: "trailers, then the next request",
    input: "5\r\nhello\r\n0\r\nT: x\r\nU: y\r\n\r\nNEXT",
    body: "hello",
    rest: "NEXT",
  },
  {
    name: "100 trailers",
    input: `5\r\nhello\r\n0\r\n${"T: x\r\n".repeat(100)}\r\n`,
    body: "hello",
  },
  {
    name: "101 trailers",
    input: `5\r\nhello\r\n0\r\n${"T: x\r\n".repeat(101)}\r\n`,
    error: ["Bad chunked encoding", "too many trailers"],
  },
  // Line limits: 4096 bytes for a chunk line, 65536 for a trailer, plus LF.
  {
    name: "a chunk line at its limit",
    input: `${sizeLine(4097)}hello\r\n0\r\n\r\n`,
    body: "hello",
  },
  {
    name: "a chunk line over its limit",
    input: `${sizeLine(4098)}hello\r\n0\r\n\r\n`,
    error: ["Bad chunked encoding", "chunk size line too long"],
  },
  {
    name: "a trailer line at its limit",
    input: `0\r\n${trailerLine(65537)}\r\n`,
    body: "",
  },
  {
    name: "a trailer line over its limit",
    input: `0\r\n${trailerLine(65538)}\r\n`,
    error: CUT_TRAILERS,
  },
  // Premature ends.
  {
    name: "a close inside the size line",
    input: "5",
    error: ["Bad chunked encoding", "incomplete chunk size line"],
  },
  { name: "a close inside the data", input: "5\r\nhel", error: CUT_BODY },
  { name: "a close after the data", input: "5\r\nhello", error: OVERRUN },
  {
    name: "a close after the last chunk",
    input: "5\r\nhello\r\n0\r\n",
    error: CUT_TRAILERS,
  },
  {
    name: "a close inside the trailers",
    input: "5\r\nhello\r\n0\r\nT: x\r\n",
    error: CUT_TRAILERS,
  },
  // Content-Length and no body.
  {
    name: "a Content-Length body, then the next request",
    framing: "length",
    length: 5,
    input: "helloGET / HTTP/1.1\r\n",
    body: "hello",
    rest: "GET / HTTP/1.1\r\n",
  },
  {
    name: "a Content-Length of 0",
    framing: "length",
    length: 0,
    input: "GET",
    body: "",
    rest: "GET",
  },
  {
    name: "a Content-Length body cut by the close",
    framing: "length",
    length: 10,
    input: "hello",
    error: CUT_BODY,
  },
  { name: "no body", framing: "none", input: "abc", body: "", rest: "abc" },
];

/** The ways each case's bytes arrive and are read. */
const VARIANTS: {
  name: string;
  packets: (input: Uint8Array) => Uint8Array[];
  readSize: number;
}[] = [
  { name: "one packet", packets: (b) => [b], readSize: 65536 },
  {
    name: "small packets",
    // One byte each, or 997 for long inputs (keeps the run short).
    packets: (b) => {
      const step = b.length > 8192 ? 997 : 1;
      const out: Uint8Array[] = [];
      for (let i = 0; i < b.length; i += step) {
        out.push(b.subarray(i, i + step));
      }
      return out;
    },
    readSize: 65536,
  },
  { name: "one-byte reads", packets: (b) => [b], readSize: 1 },
];

/** Reads the body to its end (or its error) and what follows it. */
async function run(
  c: Case,
  packets: Uint8Array[],
  readSize: number,
): Promise<{ body: string; rest: string; error: unknown; reader: BodyReader }> {
  const buf = new BufReader(new MemoryConnection(packets));
  const reader = new BodyReader(buf, c.framing ?? "chunked", c.length);
  const parts: Uint8Array[] = [];
  const p = new Uint8Array(readSize);
  let error: unknown;
  try {
    for (let n; (n = await reader.read(p)) !== null;) {
      parts.push(p.slice(0, n));
    }
  } catch (e) {
    error = e;
  }
  const rest: Uint8Array[] = [];
  const q = new Uint8Array(65536);
  for (let n; (n = await buf.read(q)) !== null;) rest.push(q.slice(0, n));
  return {
    body: parts.map(latin1Decode).join(""),
    rest: rest.map(latin1Decode).join(""),
    error,
    reader,
  };
}

for (const variant of VARIANTS) {
  Deno.test(`BodyReader decodes and refuses bodies by the table (${variant.name})`, async () => {
    for (const c of CASES) {
      const what = `${c.name} (${variant.name})`;
      const { body, rest, error, reader } = await run(
        c,
        variant.packets(latin1Encode(c.input)),
        variant.readSize,
      );
      if (c.error) {
        ok(error instanceof ProtocolError, `${what}: ${error}`);
        deepStrictEqual(
          [error.code, error.message, error.explain],
          [400, ...c.error],
          what,
        );
        continue;
      }
      strictEqual(error, undefined, what);
      strictEqual(body, c.body, what);
      strictEqual(rest, c.rest ?? "", `${what}: what follows the body`);
      ok(reader.done, `${what}: done`);
      strictEqual(reader.consumed, c.body!.length, `${what}: consumed`);
      strictEqual(await reader.read(new Uint8Array(8)), null, what);
    }
  });
}

Deno.test("BodyReader counts what is left of a Content-Length body", async () => {
  const reader = new BodyReader(
    new BufReader(new MemoryConnection("0123456789")),
    "length",
    10,
  );
  strictEqual(reader.remaining, 10);
  strictEqual(await reader.read(new Uint8Array(4)), 4);
  strictEqual(reader.remaining, 6);
  strictEqual(reader.consumed, 4);
  strictEqual(reader.done, false);
  const chunked = new BodyReader(
    new BufReader(new MemoryConnection("0\r\n\r\n")),
    "chunked",
  );
  strictEqual(chunked.remaining, undefined, "chunked: unknown");
});

Deno.test("BodyReader.discard() drops a body within its limit and refuses one over it", async () => {
  const body = (framing: BodyFraming, input: string, length?: number) => {
    const buf = new BufReader(new MemoryConnection(input));
    return { buf, reader: new BodyReader(buf, framing, length) };
  };
  // Content-Length: decided from the length, before reading anything.
  const within = body("length", `${"x".repeat(1000)}NEXT`, 1000);
  strictEqual(await within.reader.discard(1000), true);
  strictEqual(within.reader.done, true);
  strictEqual(latin1Decode(await within.buf.readLine(100)), "NEXT");
  const over = body("length", "x".repeat(1000), 1000);
  strictEqual(await over.reader.discard(999), false);
  strictEqual(over.reader.consumed, 0, "nothing read for a refused length");
  // Chunked: read and dropped until the limit is passed.
  const chunks = "a\r\n0123456789\r\n".repeat(3) + "0\r\n\r\nNEXT";
  const small = body("chunked", chunks);
  strictEqual(await small.reader.discard(31), true);
  strictEqual(latin1Decode(await small.buf.readLine(100)), "NEXT");
  const big = body("chunked", chunks);
  strictEqual(await big.reader.discard(25), false);
  ok(big.reader.consumed >= 25 && big.reader.consumed <= 30);
  // Nothing to drop.
  strictEqual(await body("none", "NEXT").reader.discard(0), true);
  // A refusal inside the body is thrown, not swallowed.
  await rejects(body("chunked", "zz\r\n").reader.discard(100), ProtocolError);
});

Deno.test("BodyReader calls onFirstRead once, before the first body byte, and never for an empty body", async () => {
  const calls: number[] = [];
  const reader = new BodyReader(
    new BufReader(new MemoryConnection("5\r\nhello\r\n0\r\n\r\n")),
    "chunked",
  );
  reader.onFirstRead = () => {
    calls.push(reader.consumed);
    return Promise.resolve();
  };
  const p = new Uint8Array(2);
  while (await reader.read(p) !== null) { /* to the end */ }
  deepStrictEqual(calls, [0]);
  const empty = new BodyReader(
    new BufReader(new MemoryConnection("")),
    "length",
    0,
  );
  let called = false;
  empty.onFirstRead = () => {
    called = true;
    return Promise.resolve();
  };
  strictEqual(await empty.read(p), null);
  strictEqual(called, false);
});
