// Copyright 2026 the httpserver authors. MIT license.
/**
 * Reading a CGI script's response header block (RFC 3875 section 6): the
 * `Status`, `Location` and `Content-Type` fields and the other header lines
 * the server passes on.
 * @module
 */
import { latin1Decode, pyRepr } from "../../_text.ts";
import type { StatusEntry } from "../constants.ts";
import { FieldLines, shownLine } from "../_http1/field_lines.ts";
import { UNSAFE_HEAD_TEXT } from "../_http1/request_head.ts";

/** Fields the server sets itself: framing, hop-by-hop and its own stamps. */
const SERVER_FIELDS = new Set([
  "status",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "trailer",
  "upgrade",
  "server",
  "date",
]);

/** The reason phrase Python sends for script output. */
export const SCRIPT_OUTPUT_FOLLOWS = "Script output follows";

/** The outcome of {@linkcode scanCgiHead}. */
export type HeadScan =
  | { kind: "more" }
  | { kind: "head"; fields: [string, string][]; bodyStart: number }
  | { kind: "error"; message: string };

/**
 * Looks for the end of the header block at the start of `buf`: lines end in
 * LF or CRLF, and a blank line ends the block. At EOF a block without its
 * blank line is accepted when every line is a header line. Header lines are
 * `name: value` with a token name; lines starting with a space or tab
 * continue the previous value. `limit` caps the block's size.
 */
export function scanCgiHead(
  buf: Uint8Array,
  eof: boolean,
  limit: number,
): HeadScan {
  const fields: [string, string][] = [];
  // A value is refused where `sendHeader()` would refuse it.
  const lines = new FieldLines(UNSAFE_HEAD_TEXT, (name, value) => {
    fields.push([name, value]);
  });
  let at = 0;
  while (true) {
    let lf = buf.indexOf(10, at);
    if (lf < 0 || lf > limit) {
      if (buf.length > limit) {
        return {
          kind: "error",
          message: `header block longer than ${limit} bytes`,
        };
      }
      if (!eof) return { kind: "more" };
      if (at === buf.length) {
        lines.end();
        return { kind: "head", fields, bodyStart: at };
      }
      lf = buf.length;
    }
    let end = lf;
    if (end > at && buf[end - 1] === 13) end--;
    const line = latin1Decode(buf.subarray(at, end));
    at = Math.min(lf + 1, buf.length);
    if (line === "") {
      lines.end();
      return { kind: "head", fields, bodyStart: at };
    }
    if (!lines.add(line)) {
      return { kind: "error", message: `bad header line ${shownLine(line)}` };
    }
  }
}

/** The response a script's header block asks for. */
export interface CgiResponseHead {
  /** The status code. */
  status: number;
  /** The reason phrase. */
  reason: string;
  /** Header lines to send, in the script's order and spelling. */
  headers: [string, string][];
  /** Whether the script sent a `Content-Type`. */
  hasContentType: boolean;
  /** Whether the script sent `Connection: close`. */
  close: boolean;
}

/**
 * Applies RFC 3875 section 6 to a parsed header block: `Status: NNN reason`
 * sets the status (200-599; the reason defaults to the standard phrase),
 * a `Location` without `Status` gives `302 Found`, otherwise the status is
 * Python's `200 Script output follows`. `Status`, framing, hop-by-hop,
 * `Server` and `Date` fields are not passed on. Returns a message string
 * when the block is unusable.
 */
export function interpretCgiHead(
  fields: [string, string][],
  responses: Readonly<Record<number, StatusEntry>>,
): CgiResponseHead | string {
  let status = 200;
  let reason = SCRIPT_OUTPUT_FOLLOWS;
  let sawStatus = false;
  let location = false;
  let hasContentType = false;
  let close = false;
  const headers: [string, string][] = [];
  for (const [name, value] of fields) {
    const key = name.toLowerCase();
    if (key === "status") {
      const m = /^([0-9]{3})(?:[ \t]+(.*))?$/.exec(value);
      const code = m ? Number(m[1]) : 0;
      if (sawStatus) return "more than one Status header";
      if (code < 200 || code > 599) {
        return `bad Status header ${pyRepr(value)}`;
      }
      sawStatus = true;
      status = code;
      reason = m![2] || (responses[code]?.[0] ?? "");
    } else if (key === "location") location = true;
    else if (key === "content-type") hasContentType = true;
    else if (key === "connection") {
      if (/(^|,)[ \t]*close[ \t]*(,|$)/i.test(value)) close = true;
    }
    if (!SERVER_FIELDS.has(key)) headers.push([name, value]);
  }
  if (location && !sawStatus) {
    status = 302;
    reason = responses[302]?.[0] ?? "Found";
  }
  return { status, reason, headers, hasContentType, close };
}
