// Copyright 2026 the httpserver authors. MIT license.
/**
 * The handler's output, parsed back: what a handler writes to its connection
 * (status line, header lines, a body framed by `Content-Length`, chunked or
 * by the end of the output) becomes a status, header pairs and body bytes,
 * pushed to a sink as the bytes arrive. Interim (1xx) heads are dropped,
 * since `Deno.serve` sends its own `100 Continue`.
 * @module
 */
import { FieldLines, shownLine } from "../handlers/_http1/field_lines.ts";
import { latin1Decode } from "../_text.ts";
import { concatBytes } from "../_bytes.ts";
import { NO_CONTENT_STATUS } from "../handlers/_http1/response_head.ts";
import { UNSAFE_HEAD_TEXT } from "../handlers/_http1/request_head.ts";

/** Where the parsed response goes. Chunks are views: copy to keep them. */
export interface OutputSink {
  /** The final head: status and header pairs, framing fields removed. */
  head(status: number, headers: [string, string][], bodyless: boolean): void;
  /** Body bytes, the handler's chunked coding removed. */
  data(chunk: Uint8Array): void;
  /** The body is complete. */
  end(): void;
}

/** How the handler framed its body. */
export type OutputFraming = "none" | "length" | "chunked" | "close";

/** Output the adapter cannot turn into a response (a broken handler). */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

/** Fields `Deno.serve` writes itself, or that only meant something to the connection. */
const HOP_FIELDS = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);
/** The lengths of the names in {@linkcode HOP_FIELDS} and of `content-length`. */
const HOP_LENGTHS = new Set([
  ...[...HOP_FIELDS].map((name) => name.length),
  "content-length".length,
]);
const STATUS_LINE = /^HTTP\/\d\.\d[ ]([0-9]{3})(?:[ ].*)?$/;
/** Longest response head accepted from a handler. */
const MAX_HEAD = 1024 * 1024;
const MAX_CHUNK_LINE = 4096;
const EMPTY = new Uint8Array(0);
const HTTP_SLASH = [72, 84, 84, 80, 47];

const enum Chunk {
  Size,
  Data,
  DataEnd,
  Trailers,
}

/** Parses one response (after any interim ones) from the handler's output. */
export class OutputParser {
  #sink: OutputSink;
  #headRequest: boolean;
  /** Bytes of an unfinished chunk-size line or trailer line. */
  #pending: Uint8Array = EMPTY;
  #inHead = true;
  #framing: OutputFraming = "none";
  #remaining = 0;
  #chunk = Chunk.Size;
  #done = false;
  /** The parts of an unfinished head, and their size. */
  #parts: Uint8Array[] = [];
  #size = 0;
  /** The status of the final head, once parsed. */
  status = 0;

  /** `headRequest`: the request was HEAD, so no response has a body. */
  constructor(sink: OutputSink, headRequest: boolean) {
    this.#sink = sink;
    this.#headRequest = headRequest;
  }

  /** Whether the response is complete (more output is ignored). */
  get done(): boolean {
    return this.#done;
  }

  /** Whether the final head has been parsed. */
  get headSeen(): boolean {
    return !this.#inHead;
  }

  /** How the body is framed (valid once the head is seen). */
  get framing(): OutputFraming {
    return this.#framing;
  }

  /** Parses `bytes`; throws {@linkcode OutputError} on output that is not HTTP/1. */
  feed(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length && !this.#done) {
      if (this.#inHead) at = this.#head(bytes, at);
      else if (this.#framing === "chunked") at = this.#chunked(bytes, at);
      else {
        let n = bytes.length - at;
        if (this.#framing === "length") n = Math.min(n, this.#remaining);
        this.#remaining -= n;
        this.#sink.data(bytes.subarray(at, at + n));
        at += n;
        if (this.#framing === "length" && this.#remaining === 0) this.#end();
      }
    }
  }

  /**
   * The handler closed its connection. Ends a body framed by the close;
   * returns false when the response was cut short (or never started).
   */
  finish(): boolean {
    if (this.#done) return true;
    if (!this.#inHead && this.#framing === "close") {
      this.#end();
      return true;
    }
    return false;
  }

  #end(): void {
    this.#done = true;
    this.#pending = EMPTY;
    this.#sink.end();
  }

  /** Finds the end of a head in `bytes[at..]`; returns where the body starts. */
  #head(bytes: Uint8Array, at: number): number {
    const end = this.#headEnd(bytes, at);
    if (end < 0) {
      if (this.#size + bytes.length - at > MAX_HEAD) {
        throw new OutputError(
          `The handler's response head is longer than ${MAX_HEAD} bytes`,
        );
      }
      this.#parts.push(bytes.slice(at));
      this.#size += bytes.length - at;
      this.#checkStart();
      return bytes.length;
    }
    let head = bytes.subarray(at, end);
    if (this.#parts.length) {
      this.#parts.push(head);
      head = concatBytes(this.#parts, this.#size + end - at);
      this.#parts = [];
      this.#size = 0;
    }
    const text = latin1Decode(head);
    let nl = text.indexOf("\n");
    const statusLine = lineOf(text, 0, nl);
    const match = STATUS_LINE.exec(statusLine);
    if (!match) throw notHttp(statusLine);
    const status = Number(match[1]);
    const fields: [string, string][] = [];
    fieldsOut = fields;
    // Each line up to the blank one that ends the head.
    for (let start = nl + 1; start < text.length; start = nl + 1) {
      nl = text.indexOf("\n", start);
      const line = lineOf(text, start, nl);
      if (line === "") break;
      if (!block.add(line)) {
        block.end();
        throw new OutputError(
          `The handler's response head has a bad header line ${
            shownLine(line)
          }`,
        );
      }
    }
    block.end();
    // Interim heads are dropped: Deno sends its own 100 Continue.
    if (status >= 200) this.#start(status, fields);
    return end;
  }

  /**
   * Where the blank line that ends a head ends, in `bytes[at..]` (the bytes
   * kept from earlier writes count for the line before), or -1.
   */
  #headEnd(bytes: Uint8Array, at: number): number {
    if (this.#parts.length === 0) {
      // The whole head in this write (the usual case): no look back, and a
      // plain loop (a head has few bytes per line feed, and a call to
      // indexOf() costs more than the bytes it skips).
      for (let i = at + 1; i < bytes.length; i++) {
        if (bytes[i] !== 10) continue;
        const prev = bytes[i - 1];
        if (
          prev === 10 || (prev === 13 && i - 2 >= at && bytes[i - 2] === 10)
        ) {
          return i + 1;
        }
      }
      return -1;
    }
    const kept = this.#parts;
    const before = (i: number): number => {
      if (i >= at) return bytes[i]!;
      // Walk back into the kept parts (at most 2 bytes back).
      let back = at - i;
      for (let p = kept.length - 1; p >= 0; p--) {
        const part = kept[p]!;
        if (back <= part.length) return part[part.length - back]!;
        back -= part.length;
      }
      return -1;
    };
    for (let i = bytes.indexOf(10, at); i >= 0; i = bytes.indexOf(10, i + 1)) {
      const prev = before(i - 1);
      if (prev === 10 || (prev === 13 && before(i - 2) === 10)) return i + 1;
    }
    return -1;
  }

  /** Refuses output that cannot be a status line, without waiting for more. */
  #checkStart(): void {
    const first = this.#parts[0]!;
    if (first.length < 5 && this.#size >= 5) {
      this.#parts = [concatBytes(this.#parts, this.#size)];
    }
    const start = this.#parts[0]!;
    const n = Math.min(start.length, 5);
    for (let i = 0; i < n; i++) {
      if (start[i] !== HTTP_SLASH[i]) {
        const lf = start.indexOf(10);
        throw notHttp(latin1Decode(start.subarray(0, lf < 0 ? 80 : lf)));
      }
    }
  }

  #start(status: number, fields: [string, string][]): void {
    this.#inHead = false;
    this.status = status;
    let chunked = false;
    let length = -1;
    let headers = fields;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      // Only names as long as a framing or hop-by-hop one are looked at.
      if (!HOP_LENGTHS.has(field[0].length)) {
        if (headers !== fields) headers.push(field);
        continue;
      }
      const lower = field[0].toLowerCase();
      if (lower === "transfer-encoding") {
        chunked = /(?:^|,)[ \t]*chunked[ \t]*$/i.test(field[1]);
      } else if (lower === "content-length" && /^[0-9]{1,15}$/.test(field[1])) {
        length = Number(field[1]);
      }
      if (HOP_FIELDS.has(lower)) {
        // The first one dropped: the pairs before it are kept, in a copy.
        if (headers === fields) headers = fields.slice(0, i);
      } else if (headers !== fields) headers.push(field);
    }
    // Deno refuses a body with 204, 205 and 304.
    const bodyless = this.#headRequest || NO_CONTENT_STATUS.has(status);
    this.#framing = bodyless
      ? "none"
      : chunked
      ? "chunked"
      : length >= 0
      ? "length"
      : "close";
    this.#remaining = length;
    this.#sink.head(status, headers, bodyless);
    if (bodyless || (this.#framing === "length" && length === 0)) this.#end();
  }

  /** Decodes chunked coding from `bytes[at..]`; returns where it stopped. */
  #chunked(bytes: Uint8Array, at: number): number {
    if (this.#chunk === Chunk.Data) {
      const n = Math.min(bytes.length - at, this.#remaining);
      this.#sink.data(bytes.subarray(at, at + n));
      this.#remaining -= n;
      if (this.#remaining === 0) this.#chunk = Chunk.DataEnd;
      return at + n;
    }
    const rest = bytes.subarray(at);
    const pendingBefore = this.#pending.length;
    const buf = pendingBefore
      ? concatBytes([this.#pending, rest], pendingBefore + rest.length)
      : rest;
    const lf = buf.indexOf(10);
    if (lf < 0) {
      if (buf.length > MAX_CHUNK_LINE) {
        throw new OutputError("The handler's chunked body has a line too long");
      }
      this.#pending = buf.slice();
      return bytes.length;
    }
    this.#pending = EMPTY;
    const next = at + lf + 1 - pendingBefore;
    const end = lf > 0 && buf[lf - 1] === 13 ? lf - 1 : lf;
    if (this.#chunk === Chunk.DataEnd) {
      if (end !== 0) {
        throw new OutputError("The handler's chunked body overruns a chunk");
      }
      this.#chunk = Chunk.Size;
    } else if (this.#chunk === Chunk.Trailers) {
      if (end === 0) this.#end();
    } else {
      const size = chunkSize(latin1Decode(buf.subarray(0, end)));
      if (size === 0) this.#chunk = Chunk.Trailers;
      else {
        this.#remaining = size;
        this.#chunk = Chunk.Data;
      }
    }
    return next;
  }
}

/** The line of `text` from `start` to the LF at `lf`, without its CR. */
function lineOf(text: string, start: number, lf: number): string {
  const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
  return text.slice(start, end);
}

/** Where {@linkcode block} puts the fields of the head being parsed. */
let fieldsOut: [string, string][] = [];
/** The header lines of response heads (one at a time: parsing is synchronous). */
const block = new FieldLines(UNSAFE_HEAD_TEXT, (name, value) => {
  fieldsOut.push([name, value]);
});

function notHttp(line: string): OutputError {
  return new OutputError(
    `The handler's output does not start with an HTTP/1 status line: ${
      JSON.stringify(line.slice(0, 80))
    }`,
  );
}

function chunkSize(line: string): number {
  const m = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/.exec(line);
  if (!m) {
    throw new OutputError(
      `The handler's chunked body has a bad chunk size line: ${
        JSON.stringify(line.slice(0, 40))
      }`,
    );
  }
  return parseInt(m[1]!, 16);
}
