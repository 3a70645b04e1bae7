// Copyright 2026 the httpserver authors. MIT license.
/**
 * HTTP/1.x responses as the raw client (_raw_client.ts, which re-exports
 * this module's API) reads them: one response from received bytes (framed by
 * Content-Length, chunked coding or the close), the header getter, and
 * helpers for raw wire text.
 * @module
 */
import { latin1Decode } from "../_text.ts";
import { concat } from "./_util.ts";

const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** One HTTP/1.x response as the client read it. */
export interface RawResponse {
  /** The status line, without its CRLF. */
  statusLine: string;
  /** `HTTP/1.0` or `HTTP/1.1`. */
  version: string;
  status: number;
  /** The reason phrase (may be empty). */
  reason: string;
  /** Header lines as `[name, value]`, in order, names as sent, values trimmed. */
  headers: [string, string][];
  /** The head as Latin-1 text, status line to blank line, CRLFs included. */
  head: string;
  /** The body: chunked coding removed; empty for HEAD, 1xx, 204 and 304. */
  body: Uint8Array;
  /** How the body was delimited. */
  framing: "none" | "length" | "chunked" | "close";
  /**
   * Whether the whole body arrived. Only a read with `partial` can see
   * `false`: without it, a close inside the body throws.
   */
  complete: boolean;
  /** The body decoded as UTF-8. */
  readonly text: string;
}

/** How to read one response. */
export interface ReadOptions {
  /** The response to a HEAD request: no body, whatever the head says. */
  head?: boolean;
  /**
   * Accept a body the server cut short by closing (`complete` is then
   * false, `body` what arrived) instead of throwing.
   */
  partial?: boolean;
}

/** Where responses are read from: received bytes, and a way to get more. */
export interface ByteSource {
  /** Bytes received and not consumed yet. */
  readonly buffered: Uint8Array;
  /** Receives more bytes; false once the peer has closed. */
  fill(): Promise<boolean>;
  /** Consumes `n` buffered bytes and returns them (a copy). */
  take(n: number): Uint8Array;
}

/** Every byte until the peer closes, what is buffered included. */
export async function readToEnd(src: ByteSource): Promise<Uint8Array> {
  while (await src.fill()) { /* to the close */ }
  return src.take(src.buffered.length);
}

/** Reads one response from `src`. */
export async function readResponse(
  src: ByteSource,
  { head = false, partial = false }: ReadOptions = {},
): Promise<RawResponse> {
  let end: number;
  let scanned = 0;
  while ((end = indexOfBlankLine(src.buffered, scanned)) < 0) {
    scanned = Math.max(0, src.buffered.length - 3);
    if (!await src.fill()) {
      throw new Error(
        `The connection closed before a complete response head: ${
          JSON.stringify(latin1Decode(src.buffered).slice(0, 80))
        }`,
      );
    }
  }
  const res = responseOfHead(latin1Decode(src.take(end + 4)));
  if (head || res.status < 200 || res.status === 204 || res.status === 304) {
    return res;
  }
  const te = header(res, "Transfer-Encoding");
  const cl = header(res, "Content-Length");
  const cut = (what: string) => {
    if (!partial) {
      throw new Error(`The connection closed inside a ${what} body`);
    }
    res.complete = false;
  };
  if (te !== undefined && /(?:^|,)[ \t]*chunked[ \t]*$/i.test(te)) {
    res.framing = "chunked";
    res.body = await chunkedBody(src, () => cut("chunked"));
  } else if (cl !== undefined) {
    res.framing = "length";
    if (!/^\d+$/.test(cl)) throw new Error(`Bad Content-Length: ${cl}`);
    const length = Number(cl);
    while (src.buffered.length < length) {
      if (!await src.fill()) {
        cut("Content-Length");
        break;
      }
    }
    res.body = src.take(Math.min(length, src.buffered.length));
  } else {
    res.framing = "close";
    res.body = await readToEnd(src);
  }
  return res;
}

/** One line without its CRLF (or LF), as Latin-1; null at the close. */
async function readLine(src: ByteSource): Promise<string | null> {
  let scanned = 0;
  while (true) {
    const i = src.buffered.indexOf(10, scanned);
    if (i >= 0) {
      const line = latin1Decode(src.take(i + 1));
      return line.endsWith("\r\n") ? line.slice(0, -2) : line.slice(0, -1);
    }
    scanned = src.buffered.length;
    if (!await src.fill()) return null;
  }
}

/** Decodes a chunked body; `cut()` is called when the close comes first. */
async function chunkedBody(
  src: ByteSource,
  cut: () => void,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  while (true) {
    const line = await readLine(src);
    if (line === null) {
      cut();
      break;
    }
    const m = /^([0-9a-fA-F]+)[ \t]*(?:;.*)?$/.exec(line);
    if (!m) throw new Error(`Bad chunk size line: ${JSON.stringify(line)}`);
    const size = parseInt(m[1]!, 16);
    if (size === 0) {
      let trailer: string | null;
      while ((trailer = await readLine(src)) !== "") {
        if (trailer === null) {
          cut();
          break;
        }
      }
      break;
    }
    while (src.buffered.length < size + 2 && await src.fill()) {
      /* the chunk and its CRLF */
    }
    const have = src.buffered.length;
    if (have < size + 2) {
      parts.push(src.take(Math.min(size, have)));
      cut();
      break;
    }
    parts.push(src.take(size));
    const crlf = src.take(2);
    if (crlf[0] !== 13 || crlf[1] !== 10) {
      throw new Error("No CRLF after a chunk's data");
    }
  }
  return concat(parts);
}

/** Where the first CRLF CRLF at or after `from` starts, or -1. */
function indexOfBlankLine(b: Uint8Array, from: number): number {
  for (let i = from; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

/** A response with no body yet, from its head text. */
function responseOfHead(head: string): RawResponse {
  const lines = head.split("\r\n");
  const statusLine = lines[0]!;
  const [version, code, ...reason] = statusLine.split(" ");
  return {
    statusLine,
    version: version!,
    status: Number(code),
    reason: reason.join(" "),
    headers: headerLines(lines.slice(1)),
    head,
    body: EMPTY,
    framing: "none",
    complete: true,
    get text(): string {
      return decoder.decode(this.body);
    },
  };
}

function headerLines(lines: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const line of lines) {
    const i = line.indexOf(":");
    if (i > 0) out.push([line.slice(0, i), line.slice(i + 1).trim()]);
  }
  return out;
}

/**
 * The first value of header `name` (any case) in a response, or in the first
 * response head of raw wire text.
 */
export function header(
  res: { headers: readonly [string, string][] } | string,
  name: string,
): string | undefined {
  const lower = name.toLowerCase();
  const headers = typeof res === "string"
    ? headerLines(headOf(res).split("\r\n").slice(1))
    : res.headers;
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Every value of header `name` (any case) in a response, in order. */
export function headerValues(
  res: { headers: readonly [string, string][] },
  name: string,
): string[] {
  const lower = name.toLowerCase();
  return res.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) =>
    v
  );
}

/** The status code of the first response in raw wire text, or 0 when none. */
export function statusOf(text: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** The head (up to the blank line) of the first response in raw wire text. */
export function headOf(text: string): string {
  const end = text.indexOf("\r\n\r\n");
  return end < 0 ? text : text.slice(0, end + 2);
}

/** How many responses (status lines) raw wire text holds. */
export function countResponses(text: string): number {
  return text.match(/HTTP\/1\.[01] \d{3} [^\r\n]*\r\n/g)?.length ?? 0;
}
