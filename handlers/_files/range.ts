// Copyright 2026 the httpserver authors. MIT license.
/**
 * Range requests for the file-serving handler (RFC 9110 section 14), pure
 * and socket-free: {@linkcode parseRange} turns a `Range` header and a size
 * into the byte ranges to send, {@linkcode multipartPlan} frames several of
 * them as `multipart/byteranges` with the body length known up front.
 * @module
 */
import { latin1Encode, trimOws } from "../../_text.ts";

/** A satisfiable byte range, both ends inclusive, `end` below the size. */
export interface ByteRange {
  /** First byte offset. */
  start: number;
  /** Last byte offset, inclusive. */
  end: number;
}

/**
 * What to do with a `Range` header:
 * - `none`: ignore it and send the whole representation with 200;
 * - `ranges`: send these ranges with 206, one as a plain body with
 *   `Content-Range`, several as `multipart/byteranges`, in request order;
 * - `unsatisfiable`: answer 416 with `Content-Range: bytes *&#47;SIZE`.
 */
export type RangeResult =
  | { kind: "none" }
  | { kind: "ranges"; ranges: ByteRange[] }
  | { kind: "unsatisfiable" };

/**
 * The most range-specs one `Range` header may hold; a header with more is
 * ignored (the whole file is sent). Browsers and download tools send one
 * range, or a handful.
 */
export const MAX_RANGES = 100;

const NONE: RangeResult = Object.freeze({ kind: "none" });
const DIGITS = /^[0-9]+$/;

/** Whether any two ranges share a byte (ranges are not modified). */
function overlapping(ranges: readonly ByteRange[]): boolean {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let maxEnd = -1;
  for (const r of sorted) {
    if (r.start <= maxEnd) return true;
    maxEnd = Math.max(maxEnd, r.end);
  }
  return false;
}

/**
 * Parses a `Range` header (RFC 9110 section 14.1.2) against a
 * representation of `size` bytes.
 *
 * - `bytes=a-b` (end clamped to `size - 1`), `bytes=a-` (to the end) and
 *   `bytes=-n` (the last `n` bytes, the whole file when `n >= size`); the
 *   unit is matched without regard to case; spaces and tabs are allowed
 *   around each spec, its numbers and the commas; empty list elements are
 *   skipped.
 * - A spec starting at or after `size`, and the suffix `-0`, are
 *   unsatisfiable and dropped; when no satisfiable spec remains the result
 *   is `unsatisfiable` (416).
 * - `none` (serve 200, RFC 9110 lets a server ignore `Range`): no header, a
 *   unit other than `bytes`, a syntax error anywhere (`bytes=5-1`,
 *   `bytes=a-`, `bytes=1`, `bytes=+1-2`, `bytes=`...), and any header on an
 *   empty file (`size` 0; Go and Deno std do the same). Go answers 416 to a
 *   malformed header instead; we follow Deno std and nginx.
 * - Abuse guard, `none` as well: more than {@linkcode MAX_RANGES} specs, or
 *   satisfiable ranges that overlap (share at least one byte) or add up to
 *   more than `size`. A browser never asks for that; honouring it would let
 *   a short request cost many times the file. Go has the "more than the
 *   size" rule alone; disjoint ranges inside the file can never add up to
 *   more than its size, so both rules give the same answers, and
 *   `bytes=0-,1-` falls under both.
 *
 * Nothing is coalesced or reordered: adjacent ranges (`0-1,2-3`) stay two
 * parts, in the order the client listed them.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): RangeResult {
  if (header === undefined || !(size > 0)) return NONE;
  const eq = header.indexOf("=");
  if (eq < 0 || trimOws(header.slice(0, eq)).toLowerCase() !== "bytes") {
    return NONE;
  }
  const ranges: ByteRange[] = [];
  let specs = 0;
  for (const element of header.slice(eq + 1).split(",")) {
    const spec = trimOws(element);
    if (spec === "") continue;
    if (++specs > MAX_RANGES) return NONE;
    const dash = spec.indexOf("-");
    if (dash < 0) return NONE;
    const first = trimOws(spec.slice(0, dash));
    const last = trimOws(spec.slice(dash + 1));
    if (first === "") {
      if (!DIGITS.test(last)) return NONE;
      const length = Number(last);
      if (length === 0) continue; // `-0`: unsatisfiable
      ranges.push({ start: Math.max(0, size - length), end: size - 1 });
      continue;
    }
    if (!DIGITS.test(first) || (last !== "" && !DIGITS.test(last))) {
      return NONE;
    }
    const start = Number(first);
    const end = last === "" ? Infinity : Number(last);
    if (end < start) return NONE;
    if (start >= size) continue; // starts after the last byte: unsatisfiable
    ranges.push({ start, end: Math.min(end, size - 1) });
  }
  if (specs === 0) return NONE;
  if (ranges.length === 0) return { kind: "unsatisfiable" };
  if (ranges.length > 1) {
    const total = ranges.reduce((sum, r) => sum + r.end - r.start + 1, 0);
    if (total > size || overlapping(ranges)) return NONE;
  }
  return { kind: "ranges", ranges };
}

/** The `Content-Range` value for a range: `bytes START-END/SIZE`. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** The `Content-Range` value of a 416 answer: `bytes *&#47;SIZE`. */
export function unsatisfiedRange(size: number): string {
  return `bytes */${size}`;
}

/** A fresh boundary: 32 random hexadecimal digits. */
function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** One part of a {@linkcode MultipartPlan}: its head, then the range's bytes. */
export interface MultipartPart {
  /** The delimiter line and the part's headers, ending with the blank line. */
  head: Uint8Array;
  /** The bytes of the file to send after `head`. */
  range: ByteRange;
}

/** The framing of a `multipart/byteranges` body, from {@linkcode multipartPlan}. */
export interface MultipartPlan {
  /** The boundary string, without the leading dashes. */
  boundary: string;
  /** The response `Content-Type`: `multipart/byteranges; boundary=...`. */
  contentType: string;
  /** The parts in order: write `head`, then the range's bytes. */
  parts: MultipartPart[];
  /** The closing delimiter, written after the last part. */
  tail: Uint8Array;
  /** The body length in bytes, for `Content-Length`. */
  length: number;
}

/**
 * Plans a `multipart/byteranges` body (RFC 9110 section 14.6) for `ranges`
 * of a representation of `size` bytes whose own type is `contentType`.
 *
 * The body is, for each part, `head` then the range's bytes, and finally
 * `tail`. The first head is `--BOUNDARY CRLF`, each later one starts with a
 * CRLF ending the previous part's data; each has `Content-Type: TYPE`
 * (left out when `contentType` is empty) and `Content-Range: bytes
 * S-E/SIZE`, then a blank line. The tail is `CRLF --BOUNDARY-- CRLF`.
 * `length` counts every byte, so `Content-Length` can be sent before the
 * body. The boundary is 32 random hexadecimal digits unless `boundary` is
 * given (tests pass one to get stable bytes). Heads are Latin-1, as header
 * lines are; a character Latin-1 cannot encode throws a `RangeError`.
 */
export function multipartPlan(
  ranges: readonly ByteRange[],
  size: number,
  contentType: string,
  boundary: string = randomBoundary(),
): MultipartPlan {
  const typeLine = contentType === "" ? "" : `Content-Type: ${contentType}\r\n`;
  let length = 0;
  const parts = ranges.map((range, i): MultipartPart => {
    const head = latin1Encode(
      `${i === 0 ? "" : "\r\n"}--${boundary}\r\n${typeLine}` +
        `Content-Range: ${contentRange(range, size)}\r\n\r\n`,
    );
    length += head.length + (range.end - range.start + 1);
    return { head, range };
  });
  const tail = latin1Encode(`\r\n--${boundary}--\r\n`);
  length += tail.length;
  return {
    boundary,
    contentType: `multipart/byteranges; boundary=${boundary}`,
    parts,
    tail,
    length,
  };
}
