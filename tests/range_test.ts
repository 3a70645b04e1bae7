// Copyright 2026 the httpserver authors. MIT license.
// Table-driven tests of Range parsing and multipart/byteranges framing
// (RFC 9110 section 14) in handlers/_range.ts, including Go's
// net/http ParseRangeTests and ServeFileRangeTests. No sockets.
// The tables are one case a line (deno-fmt-ignore) so they read as tables.
import { deepStrictEqual, match, notStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  type ByteRange,
  contentRange,
  MAX_RANGES,
  multipartPlan,
  parseRange,
  type RangeResult,
  unsatisfiedRange,
} from "../handlers/_files/range.ts";
import { concat } from "./_util.ts";

const NONE: RangeResult = { kind: "none" };
const UNSAT: RangeResult = { kind: "unsatisfiable" };
/** Ranges from [start, end] pairs, `end` inclusive. */
function R(...pairs: [number, number][]): RangeResult {
  return {
    kind: "ranges",
    ranges: pairs.map(([start, end]) => ({ start, end })),
  };
}

type Case = [
  name: string,
  header: string | undefined,
  size: number,
  want: RangeResult,
];

// Go's net/http ParseRangeTests (range_test.go). Go's {start, length} pairs
// are written here as inclusive [start, end]; where Go reports an error or
// no ranges we serve the whole file ("none").
// deno-fmt-ignore
const goParseRangeCases: Case[] = [
  ["empty header, empty file", "", 0, NONE],
  ["empty header", "", 1000, NONE],
  ["no unit", "foo", 0, NONE],
  ["no ranges, empty file", "bytes=", 0, NONE],
  ["no dash", "bytes=7", 10, NONE],
  ["no dash, spaces", "bytes= 7 ", 10, NONE],
  ["open range on an empty file", "bytes=1-", 0, NONE],
  ["end before start", "bytes=5-4", 10, NONE],
  ["end before start in the second range", "bytes=0-2,5-4", 10, NONE],
  ["end before start after a good range", "bytes=2-5,4-3", 10, NONE],
  ["double dashes", "bytes=--5,4--3", 10, NONE],
  ["letter start", "bytes=A-", 10, NONE],
  ["letter start, trailing space", "bytes=A- ", 10, NONE],
  ["letters", "bytes=A-Z", 10, NONE],
  ["letter suffix", "bytes= -Z", 10, NONE],
  ["letter end", "bytes=5-Z", 10, NONE],
  ["random garbage", "bytes=Ran-dom, garbage", 10, NONE],
  ["hexadecimal numbers", "bytes=0x01-0x02", 10, NONE],
  ["only spaces", "bytes=         ", 10, NONE],
  ["only empty elements", "bytes= , , ,   ", 10, NONE],
  ["whole file", "bytes=0-9", 10, R([0, 9])],
  ["open range from 0", "bytes=0-", 10, R([0, 9])],
  ["open range from 5", "bytes=5-", 10, R([5, 9])],
  ["end clamped", "bytes=0-20", 10, R([0, 9])],
  ["unsatisfiable spec dropped", "bytes=15-,0-5", 10, R([0, 5])],
  ["two ranges", "bytes=1-2,5-", 10, R([1, 2], [5, 9])],
  ["spaces around commas", "bytes=0-0 ,2-2, 7-", 11, R([0, 0], [2, 2], [7, 10])],
  ["suffix", "bytes=-5", 10, R([5, 9])],
  ["suffix longer than the file", "bytes=-15", 10, R([0, 9])],
  ["first 500 bytes", "bytes=0-499", 10000, R([0, 499])],
  ["second 500 bytes", "bytes=500-999", 10000, R([500, 999])],
  ["final 500 bytes by suffix", "bytes=-500", 10000, R([9500, 9999])],
  ["final 500 bytes by open range", "bytes=9500-", 10000, R([9500, 9999])],
  ["first and last bytes", "bytes=0-0,-1", 10000, R([0, 0], [9999, 9999])],
  ["adjacent ranges are not coalesced", "bytes=500-600,601-999", 10000, R([500, 600], [601, 999])],
  ["Apache laxity with spaces", "bytes=   1 -2   ,  4- 5, 7 - 8 , ,,", 11, R([1, 2], [4, 5], [7, 8])],
  // Go serves these two as two overlapping parts; our abuse guard sends 200.
  ["overlapping suffix and open range (Go: 206)", "bytes=-2 , 7-", 11, NONE],
  ["overlapping ranges (Go: 206)", "bytes=500-700,601-999", 10000, NONE],
];

// Go's net/http ServeFileRangeTests (fs_test.go), against an 11-byte file.
// deno-fmt-ignore
const goServeFileCases: Case[] = [
  ["no Range header", undefined, 11, NONE],
  ["first five bytes", "bytes=0-4", 11, R([0, 4])],
  ["from 2 to the end", "bytes=2-", 11, R([2, 10])],
  ["last five bytes", "bytes=-5", 11, R([6, 10])],
  ["middle bytes", "bytes=3-7", 11, R([3, 7])],
  ["first byte and last two", "bytes=0-0,-2", 11, R([0, 0], [9, 10])],
  ["two ranges", "bytes=0-1,5-8", 11, R([0, 1], [5, 8])],
  ["two ranges, the second open", "bytes=0-1,5-", 11, R([0, 1], [5, 10])],
  ["end far beyond the file", "bytes=5-1000", 11, R([5, 10])],
  ["wasteful overlapping ranges are ignored", "bytes=0-,1-,2-,3-,4-", 11, NONE],
  ["all but the last byte", "bytes=0-9", 11, R([0, 9])],
  ["exactly the file", "bytes=0-10", 11, R([0, 10])],
  ["one past the file", "bytes=0-11", 11, R([0, 10])],
  ["last byte, end past the file", "bytes=10-11", 11, R([10, 10])],
  ["last byte, open", "bytes=10-", 11, R([10, 10])],
  ["open range at the size", "bytes=11-", 11, UNSAT],
  ["range at the size", "bytes=11-12", 11, UNSAT],
  ["range after the size", "bytes=12-12", 11, UNSAT],
  ["long range at the size", "bytes=11-100", 11, UNSAT],
  ["long range after the size", "bytes=12-100", 11, UNSAT],
  ["open range far after the size", "bytes=100-", 11, UNSAT],
  ["range far after the size", "bytes=100-1000", 11, UNSAT],
];

// Rules of our own, and the places where we differ from Go.
// deno-fmt-ignore
const ownCases: Case[] = [
  ["suffix -0 is unsatisfiable", "bytes=-0", 11, UNSAT],
  ["suffix -0 dropped beside a good range", "bytes=-0,0-1", 11, R([0, 1])],
  ["only unsatisfiable specs", "bytes=11-,-0,20-30", 11, UNSAT],
  ["one-byte range", "bytes=5-5", 11, R([5, 5])],
  ["unit in upper case", "BYTES=0-1", 11, R([0, 1])],
  ["unit in mixed case", "Bytes=0-1", 11, R([0, 1])],
  ["spaces around the unit", " bytes = 0-1", 11, R([0, 1])],
  ["tabs around a spec", "bytes=\t0-1\t", 11, R([0, 1])],
  ["other unit", "items=0-1", 11, NONE],
  ["unit without =", "bytes", 11, NONE],
  ["no = after the unit", "bytes0-1", 11, NONE],
  ["no unit", "=0-1", 11, NONE],
  ["plus sign on the start", "bytes=+1-2", 11, NONE],
  ["plus sign on the end", "bytes=1-+2", 11, NONE],
  ["plus sign on a suffix", "bytes=-+2", 11, NONE],
  ["fractional number", "bytes=1.5-2", 11, NONE],
  ["three numbers", "bytes=1-2-3", 11, NONE],
  ["space inside a number", "bytes=1 2-3", 11, NONE],
  ["parameter after a spec", "bytes=0-1;q=1", 11, NONE],
  ["a bare dash", "bytes=-", 11, NONE],
  ["malformed after a good range", "bytes=0-1,x", 11, NONE],
  ["end before start beyond the file (Go: 416)", "bytes=100-5", 11, NONE],
  ["huge end is clamped", "bytes=0-99999999999999999999999", 11, R([0, 10])],
  ["huge start is unsatisfiable", "bytes=99999999999999999999-", 11, UNSAT],
  ["huge suffix is the whole file", "bytes=-99999999999999999999", 11, R([0, 10])],
  ["a single range may cover the whole file", "bytes=0-", 11, R([0, 10])],
  ["ranges out of order keep their order", "bytes=5-6,0-1", 11, R([5, 6], [0, 1])],
  ["adjacent ranges stay two", "bytes=0-1,2-3", 11, R([0, 1], [2, 3])],
  ["the same range twice is ignored", "bytes=0-1,0-1", 11, NONE],
  ["ranges sharing one byte are ignored", "bytes=0-5,5-6", 11, NONE],
  ["suffix overlapping an open range is ignored", "bytes=-3,8-", 11, NONE],
  ["a range inside another is ignored", "bytes=0-10,3-4", 11, NONE],
  ["empty list elements are skipped", "bytes=,,0-0,,", 11, R([0, 0])],
  // Empty file: any Range header gives 200 (Go, Deno std).
  ["open range on an empty file", "bytes=0-", 0, NONE],
  ["suffix on an empty file", "bytes=-1", 0, NONE],
  ["unsatisfiable range on an empty file", "bytes=5-10", 0, NONE],
  ["garbage on an empty file", "garbage", 0, NONE],
];

for (
  const [group, cases] of [
    ["Go ParseRangeTests", goParseRangeCases],
    ["Go ServeFileRangeTests", goServeFileCases],
    ["parseRange", ownCases],
  ] as const
) {
  for (const [name, header, size, want] of cases) {
    Deno.test(`${group}: ${name} (${JSON.stringify(header)}, size ${size})`, () => {
      deepStrictEqual(parseRange(header, size), want);
    });
  }
}

/** `count` disjoint one-byte ranges, every other byte. */
function spreadRanges(count: number): string {
  return "bytes=" +
    Array.from({ length: count }, (_, i) => `${2 * i}-${2 * i}`).join(",");
}

Deno.test(`parseRange: ${MAX_RANGES} disjoint ranges are honoured`, () => {
  const got = parseRange(spreadRanges(MAX_RANGES), 1000);
  strictEqual(got.kind, "ranges");
  strictEqual(got.kind === "ranges" && got.ranges.length, MAX_RANGES);
});

Deno.test(`parseRange: more than ${MAX_RANGES} ranges are ignored`, () => {
  deepStrictEqual(parseRange(spreadRanges(MAX_RANGES + 1), 1000), NONE);
});

Deno.test("parseRange: unsatisfiable specs count toward the range limit", () => {
  const header = spreadRanges(1) + ",5000-6000".repeat(MAX_RANGES);
  deepStrictEqual(parseRange(header, 1000), NONE);
  deepStrictEqual(
    parseRange(spreadRanges(1) + ",5000-6000".repeat(MAX_RANGES - 1), 1000),
    R([0, 0]),
  );
});

Deno.test("parseRange: empty list elements do not count toward the range limit", () => {
  deepStrictEqual(parseRange("bytes=0-0" + ",".repeat(1000), 1000), R([0, 0]));
});

Deno.test("parseRange: a long header of overlapping ranges is ignored quickly", () => {
  deepStrictEqual(parseRange("bytes=" + "0-,".repeat(100_000), 10), NONE);
});

// --- Content-Range values -----------------------------------------------

Deno.test("contentRange: bytes START-END/SIZE", () => {
  strictEqual(contentRange({ start: 0, end: 4 }, 11), "bytes 0-4/11");
  strictEqual(contentRange({ start: 10, end: 10 }, 11), "bytes 10-10/11");
});

Deno.test("unsatisfiedRange: bytes */SIZE", () => {
  strictEqual(unsatisfiedRange(11), "bytes */11");
  strictEqual(unsatisfiedRange(0), "bytes */0");
});

// --- multipartPlan ------------------------------------------------------

const FILE = new TextEncoder().encode("0123456789\n");
const latin1 = new TextDecoder("latin1");

/** The whole body a handler writes for `plan`, taking the bytes from `file`. */
function assemble(
  plan: ReturnType<typeof multipartPlan>,
  file: Uint8Array,
): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const part of plan.parts) {
    chunks.push(part.head, file.subarray(part.range.start, part.range.end + 1));
  }
  chunks.push(plan.tail);
  return concat(chunks);
}

Deno.test("multipartPlan: the exact bytes of a two-part body", () => {
  const plan = multipartPlan(
    [{ start: 0, end: 4 }, { start: 6, end: 10 }],
    11,
    "text/plain",
    "SEP",
  );
  strictEqual(plan.boundary, "SEP");
  strictEqual(plan.contentType, "multipart/byteranges; boundary=SEP");
  const body = assemble(plan, FILE);
  strictEqual(
    latin1.decode(body),
    "--SEP\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-4/11\r\n\r\n01234" +
      "\r\n--SEP\r\nContent-Type: text/plain\r\nContent-Range: bytes 6-10/11\r\n\r\n6789\n" +
      "\r\n--SEP--\r\n",
  );
  strictEqual(plan.length, body.length);
});

Deno.test("multipartPlan: an empty content type leaves the Content-Type line out", () => {
  const plan = multipartPlan(
    [{ start: 0, end: 0 }, { start: 2, end: 2 }],
    11,
    "",
    "b",
  );
  strictEqual(
    latin1.decode(assemble(plan, FILE)),
    "--b\r\nContent-Range: bytes 0-0/11\r\n\r\n0\r\n--b\r\nContent-Range: bytes 2-2/11\r\n\r\n2\r\n--b--\r\n",
  );
});

Deno.test("multipartPlan: a random boundary of 32 hex digits, new each time", () => {
  const ranges: ByteRange[] = [{ start: 0, end: 1 }, { start: 3, end: 4 }];
  const a = multipartPlan(ranges, 11, "text/plain");
  const b = multipartPlan(ranges, 11, "text/plain");
  match(a.boundary, /^[0-9a-f]{32}$/);
  notStrictEqual(a.boundary, b.boundary);
  strictEqual(a.contentType, `multipart/byteranges; boundary=${a.boundary}`);
  strictEqual(a.length, b.length);
});

Deno.test("multipartPlan: length matches the body for many range sets", () => {
  let seed = 7;
  const random = (n: number) =>
    (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const file = new Uint8Array(5000).map((_, i) => i % 251);
  for (let round = 0; round < 50; round++) {
    const ranges: ByteRange[] = Array.from({ length: 1 + random(10) }, () => {
      const start = random(file.length);
      return { start, end: start + random(file.length - start) };
    });
    const plan = multipartPlan(ranges, file.length, "application/octet-stream");
    const body = assemble(plan, file);
    strictEqual(plan.length, body.length);
    strictEqual(plan.parts.length, ranges.length);
    // Every part's bytes follow its head, and the body ends with the tail.
    let at = 0;
    for (const part of plan.parts) {
      at += part.head.length;
      deepStrictEqual(
        body.subarray(at, at + part.range.end - part.range.start + 1),
        file.subarray(part.range.start, part.range.end + 1),
      );
      at += part.range.end - part.range.start + 1;
    }
    strictEqual(
      latin1.decode(body.subarray(at)),
      `\r\n--${plan.boundary}--\r\n`,
    );
  }
});

Deno.test("multipartPlan: parts from parseRange in request order", () => {
  const result = parseRange("bytes=-2,0-1", 11);
  strictEqual(result.kind, "ranges");
  if (result.kind !== "ranges") return;
  const plan = multipartPlan(result.ranges, 11, "text/plain", "x");
  deepStrictEqual(
    plan.parts.map((p) =>
      latin1.decode(p.head).match(/Content-Range: (.*)\r\n/)?.[1]
    ),
    ["bytes 9-10/11", "bytes 0-1/11"],
  );
});

Deno.test("multipartPlan: a content type Latin-1 cannot encode throws", () => {
  throws(
    () => multipartPlan([{ start: 0, end: 0 }], 11, "text/\u20ac"),
    RangeError,
  );
});
