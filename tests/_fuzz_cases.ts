// Copyright 2026 the httpserver authors. MIT license.
/**
 * The fuzz cases of `tests/_fuzz.ts`: fast-check generators of requests
 * (valid, mutated, token soup, random bytes) and of how they are sent.
 */
import fc from "fast-check";
import { latin1Encode } from "../_text.ts";
import { concat } from "./_util.ts";

// ---------------------------------------------------------------- requests

/** One generated request, before serialization. */
export interface Req {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  body: Uint8Array | null;
  chunked: boolean;
  chunkSizes: number[];
}

const segment = fc.constantFrom(
  "a",
  "index.html",
  "..",
  ".",
  "%2e%2e",
  "%2f",
  "%00",
  "%",
  "%zz",
  "caf%C3%A9",
  "%bb",
  "sub",
  "?q=1",
  "#frag",
  "\\",
  "<script>",
  "",
);

const target = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.array(segment, { maxLength: 5 }).map((s) =>
      "/" + s.join("/")
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "*",
      "http://example.com/x",
      "//evil.com/",
      "/\\evil.com",
      "x",
    ),
  },
);

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const fieldValue = fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: 24 })
  .map((codes) => String.fromCharCode(...codes).replace(/[\r\n\0]/g, ""));

const request: fc.Arbitrary<Req> = fc.record({
  method: fc.constantFrom(
    "GET",
    "GET",
    "HEAD",
    "POST",
    "POST",
    "PUT",
    "PATCH",
    "BREW",
  ),
  target,
  version: fc.constantFrom("HTTP/1.1", "HTTP/1.1", "HTTP/1.0"),
  headers: fc.array(
    fc.oneof(
      fc.tuple(token, fieldValue),
      fc.tuple(
        fc.constant("Connection"),
        fc.constantFrom("close", "keep-alive", "Keep-Alive", "upgrade"),
      ),
      fc.tuple(fc.constant("Expect"), fc.constant("100-continue")),
      fc.tuple(
        fc.constant("Range"),
        fc.constantFrom("bytes=0-1", "bytes=-5", "bytes=9-", "bytes=x"),
      ),
      fc.tuple(
        fc.constant("Host"),
        fc.constantFrom("localhost", "evil.com", ""),
      ),
    ),
    { maxLength: 5 },
  ),
  body: fc.option(fc.uint8Array({ maxLength: 300 }), { freq: 2 }),
  chunked: fc.boolean(),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 4 }),
});

function serialize(r: Req): Uint8Array {
  const head = [`${r.method} ${r.target} ${r.version}`];
  for (const [n, v] of r.headers) head.push(`${n}: ${v}`);
  const parts: Uint8Array[] = [];
  if (r.body) {
    if (r.chunked) {
      head.push("Transfer-Encoding: chunked");
      parts.push(latin1Encode(head.join("\r\n") + "\r\n\r\n"));
      let at = 0;
      let i = 0;
      while (at < r.body.length) {
        const n = Math.min(
          r.chunkSizes[i++ % (r.chunkSizes.length || 1)] ?? 64,
          r.body.length - at,
        );
        parts.push(
          latin1Encode(n.toString(16) + "\r\n"),
          r.body.subarray(at, at + n),
          latin1Encode("\r\n"),
        );
        at += n;
      }
      parts.push(latin1Encode("0\r\n\r\n"));
    } else {
      head.push(`Content-Length: ${r.body.length}`);
      parts.push(latin1Encode(head.join("\r\n") + "\r\n\r\n"), r.body);
    }
  } else parts.push(latin1Encode(head.join("\r\n") + "\r\n\r\n"));
  return concat(parts);
}

// --------------------------------------------------------------- mutations

const interestingByte = fc.oneof(
  fc.constantFrom(
    0,
    9,
    10,
    13,
    32,
    44,
    58,
    59,
    0x7f,
    0x80,
    0xa0,
    0xff,
    48,
    70,
    45,
  ),
  fc.integer({ min: 0, max: 255 }),
);

type Mutation =
  | { kind: "flip"; at: number[]; to: number[] }
  | { kind: "insert"; at: number; bytes: number[] }
  | { kind: "delete"; at: number; length: number }
  | { kind: "truncate"; at: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "bloat"; at: number; byte: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    to: fc.array(interestingByte, { minLength: 4, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.array(interestingByte, { minLength: 1, maxLength: 6 }),
  }),
  fc.record({
    kind: fc.constant("delete" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("bloat" as const),
    at: fc.nat(),
    byte: interestingByte,
    length: fc.integer({ min: 1000, max: 140_000 }),
  }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
  }),
);

function mutate(data: Uint8Array, m: Mutation): Uint8Array {
  if (data.length === 0) return data;
  const len = data.length;
  switch (m.kind) {
    case "flip": {
      const out = data.slice();
      m.at.forEach((a, i) => out[a % len] = m.to[i]!);
      return out;
    }
    case "insert": {
      const at = m.at % (len + 1);
      return concat([
        data.subarray(0, at),
        Uint8Array.from(m.bytes),
        data.subarray(at),
      ]);
    }
    case "delete": {
      const at = m.at % len;
      return concat([data.subarray(0, at), data.subarray(at + m.length)]);
    }
    case "truncate":
      return data.subarray(0, m.at % len);
    case "bloat": {
      const at = m.at % (len + 1);
      const run = new Uint8Array(m.length).fill(m.byte);
      return concat([data.subarray(0, at), run, data.subarray(at)]);
    }
    case "duplicate": {
      const at = m.at % len;
      return concat([data.subarray(0, at + m.length), data.subarray(at)]);
    }
  }
}

const SOUP = [
  "GET",
  "POST",
  "HEAD",
  " ",
  " ",
  "/",
  "/a",
  "HTTP/1.1",
  "HTTP/1.0",
  "HTTP/0.9",
  "HTTP/2.0",
  "\r\n",
  "\r\n",
  "\n",
  "\r",
  "\r\n\r\n",
  ":",
  ": ",
  "Host",
  "Content-Length",
  "Transfer-Encoding",
  "chunked",
  "gzip",
  ",",
  "0",
  "5",
  "ffffffffffff",
  "-1",
  "\t",
  "\0",
  "Connection",
  "close",
  "keep-alive",
  "Expect",
  "100-continue",
  ";ext=1",
  "hello",
  "%2e%2e/",
  "\xff",
  "\x7f",
];

/** One fuzz case: what to send, and how. */
export interface FuzzCase {
  kind: "valid" | "mutated" | "soup" | "random";
  data: Uint8Array;
  /** Requests when `kind` is "valid". */
  requests: Req[];
  splits: number[];
  gap: number;
  closeWrite: boolean;
}

/** The generator of fuzz cases. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.array(request, { minLength: 1, maxLength: 3 }).map((
      requests,
    ) => ({
      kind: "valid" as const,
      requests,
      data: concat(requests.map(serialize)),
    })),
  },
  {
    weight: 5,
    arbitrary: fc.tuple(
      fc.array(request, { minLength: 1, maxLength: 2 }),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
    ).map(([requests, ms]) => ({
      kind: "mutated" as const,
      requests,
      data: ms.reduce(mutate, concat(requests.map(serialize))),
    })),
  },
  {
    weight: 2,
    arbitrary: fc.array(fc.constantFrom(...SOUP), { maxLength: 40 }).map((
      t,
    ) => ({
      kind: "soup" as const,
      requests: [],
      data: latin1Encode(t.join("")),
    })),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 400 }).map((data) => ({
      kind: "random" as const,
      requests: [],
      data,
    })),
  },
).chain((c) =>
  fc.record({
    splits: fc.array(fc.nat(), { maxLength: 4 }),
    gap: fc.integer({ min: 0, max: 3 }),
    closeWrite: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  }).map((how) => ({ ...c, ...how }))
);

/** Cuts `data` at `points` (taken modulo its length), in order. */
export function split(data: Uint8Array, points: number[]): Uint8Array[] {
  if (data.length === 0) return [data];
  const cuts = [...new Set(points.map((p) => p % data.length))].sort((a, b) =>
    a - b
  );
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const c of cuts) {
    if (c > at) parts.push(data.subarray(at, c));
    at = Math.max(at, c);
  }
  parts.push(data.subarray(at));
  return parts;
}

/** How many responses an intact request list must get. */
export function expectedResponses(requests: Req[]): number {
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i]!;
    const conn = r.headers.filter(([n]) => n.toLowerCase() === "connection")[0]
      ?.[1].toLowerCase();
    const closes = conn === "close" ||
      (r.version === "HTTP/1.0" && conn !== "keep-alive") ||
      r.method === "BREW" ||
      // RFC 9112 section 6.1: chunked from HTTP/1.0 is served, then closed.
      (r.version === "HTTP/1.0" && r.body !== null && r.chunked);
    if (closes) return i + 1;
  }
  return requests.length;
}
