// Copyright 2026 the httpserver authors. MIT license.
/**
 * Reading a header block and deciding how the body is framed (RFC 9112).
 * @module
 */
import type { BufReader } from "./reader.ts";
import type { BodyFraming } from "./body_reader.ts";
import { ProtocolError } from "../../_errors.ts";
import type { HTTPMessage } from "../../message.ts";
import { latin1Decode, pyRepr, trimOws } from "../../_text.ts";
import { FieldLines, shownLine } from "./field_lines.ts";

const CR = 13;
const LF = 10;
/** CR, LF and NUL, never allowed inside a field value. */
const BAD_VALUE = /[\r\n\0]/;

/** Limits for {@linkcode readHeaders}. */
export interface HeaderLimits {
  maxLineLength: number;
  maxHeaders: number;
  maxHeaderBytes: number;
}

/**
 * Counts the lines of one header block against Python's limits: the line
 * length, the number of lines (the blank one included) and the bytes of
 * the whole head (`used`: those of the request line).
 */
class HeadBudget {
  #limits: HeaderLimits;
  #count = 0;
  #total: number;

  constructor(limits: HeaderLimits, used: number) {
    this.#limits = limits;
    this.#total = used;
  }

  /** Counts a line of `size` bytes (its line ending included); throws 431 over a limit. */
  line(size: number): void {
    const limits = this.#limits;
    if (size > limits.maxLineLength) {
      throw new ProtocolError(
        431,
        "Line too long",
        `got more than ${limits.maxLineLength} bytes when reading header line`,
      );
    }
    if (++this.#count > limits.maxHeaders) {
      throw new ProtocolError(
        431,
        "Too many headers",
        `got more than ${limits.maxHeaders} headers`,
      );
    }
    this.#total += size;
    if (this.#total > limits.maxHeaderBytes) {
      throw new ProtocolError(
        431,
        "Headers too large",
        `got more than ${limits.maxHeaderBytes} bytes of header fields`,
      );
    }
  }
}

/**
 * Reads header lines into `headers` until the blank line (or EOF), with
 * Python's line and count limits (431) and RFC 9112's field syntax (400).
 * Obsolete line folding is replaced by a single space. `used` is the number
 * of head bytes already read (the request line). When the whole block is
 * already buffered (the usual case) it is parsed at once and nothing is
 * returned; else the returned promise settles once it is read.
 */
export function readHeaders(
  reader: BufReader,
  headers: HTTPMessage,
  limits: HeaderLimits,
  used: number,
): Promise<void> | undefined {
  const block = new HeaderBlock(headers, limits, used);
  const limit = limits.maxLineLength + 1;
  for (let raw; (raw = reader.lineSync(limit)) !== null;) {
    if (block.line(raw)) return;
  }
  return block.rest(reader, limit);
}

/** A header block being read, line by line. */
class HeaderBlock {
  #budget: HeadBudget;
  #fields: FieldLines;

  constructor(headers: HTTPMessage, limits: HeaderLimits, used: number) {
    this.#budget = new HeadBudget(limits, used);
    this.#fields = new FieldLines(BAD_VALUE, (name, value) => {
      headers.add(name, value);
    });
  }

  /** The lines not buffered yet. */
  async rest(reader: BufReader, limit: number): Promise<void> {
    while (!this.line(await reader.readLine(limit))) { /* next line */ }
  }

  /** Takes one line, line ending included; true at the end of the block. */
  line(raw: Uint8Array): boolean {
    this.#budget.line(raw.length);
    let end = raw.length;
    if (end > 0 && raw[end - 1] === LF) {
      end -= end > 1 && raw[end - 2] === CR ? 2 : 1;
    }
    // The block ends at a bare CRLF or LF, or at EOF.
    if (end === 0) {
      this.#fields.end();
      return true;
    }
    const line = latin1Decode(end === raw.length ? raw : raw.subarray(0, end));
    if (!this.#fields.add(line)) {
      throw new ProtocolError(400, `Bad header line (${shownLine(line)})`);
    }
    return false;
  }
}

/**
 * Adds header fields that arrived already parsed into `headers`, with the
 * limits and field rules of {@linkcode readHeaders}, each field counted as
 * the line `name: value` CRLF and the block's blank line as CRLF.
 */
export function addHeaderFields(
  fields: readonly (readonly [string, string])[],
  headers: HTTPMessage,
  limits: HeaderLimits,
  used: number,
): void {
  const budget = new HeadBudget(limits, used);
  const block = new FieldLines(BAD_VALUE, (name, value) => {
    headers.add(name, value);
  });
  for (const [name, value] of fields) {
    budget.line(name.length + value.length + 4);
    if (!block.field(name, value)) {
      const line = `${name}: ${value}`;
      throw new ProtocolError(400, `Bad header line (${shownLine(line)})`);
    }
  }
  budget.line(2);
  block.end();
}

/** How a request's body is framed, from its header fields. */
export interface Framing {
  framing: BodyFraming;
  length: number;
}

const NO_BODY: Framing = { framing: "none", length: 0 };

/**
 * Decides a request body's framing (RFC 9112 section 6.3): `chunked` when it
 * is the final and only transfer coding, else the `Content-Length`, else no
 * body. Ambiguous framing, the request-smuggling vector, is refused.
 */
export function bodyFraming(headers: HTTPMessage): Framing {
  const te = headers.getAll("Transfer-Encoding");
  const cl = headers.getAll("Content-Length");
  if (te.length === 0 && cl.length === 0) return NO_BODY;
  if (te.length > 0) {
    if (cl.length > 0) {
      throw new ProtocolError(
        400,
        "Content-Length with Transfer-Encoding",
        "a request must not carry both Content-Length and Transfer-Encoding",
      );
    }
    const codings = te.join(",").split(",").map((c) => trimOws(c).toLowerCase())
      .filter((c) => c !== "");
    // chunked must be the final coding, and applied only once.
    if (
      codings.at(-1) !== "chunked" ||
      codings.indexOf("chunked") !== codings.length - 1
    ) {
      throw new ProtocolError(
        400,
        "Bad Transfer-Encoding",
        "the final transfer coding of a request must be chunked",
      );
    }
    if (codings.length > 1) {
      throw new ProtocolError(
        501,
        `Unsupported transfer coding (${pyRepr(codings[0]!)})`,
      );
    }
    return { framing: "chunked", length: 0 };
  }
  const values = cl.join(",").split(",").map(trimOws);
  const first = values[0]!;
  if (!/^[0-9]{1,15}$/.test(first) || values.some((v) => v !== first)) {
    throw new ProtocolError(
      400,
      "Bad Content-Length",
      `invalid Content-Length ${pyRepr(cl.join(", "))}`,
    );
  }
  const length = Number(first);
  return length === 0 ? NO_BODY : { framing: "length", length };
}

/** Characters a status line or header field may not carry. */
export const UNSAFE_HEAD_TEXT: RegExp = /[^\x20-\x7e\t\x80-\xff]/;

/**
 * Refuses response-head text that would break the head (control characters:
 * header injection) with a `TypeError`, or that Latin-1 cannot encode with a
 * `RangeError`.
 */
export function checkHeadText(text: string, what: string): void {
  if (UNSAFE_HEAD_TEXT.test(text)) {
    const bad = text.match(UNSAFE_HEAD_TEXT)![0];
    if (bad.charCodeAt(0) > 0xff) {
      throw new RangeError(
        `Cannot send ${what} ${pyRepr(text)}: ${
          pyRepr(bad)
        } is not a Latin-1 character`,
      );
    }
    throw new TypeError(
      `Cannot send ${what} ${pyRepr(text)}: it contains a control character`,
    );
  }
}
