// Copyright 2026 the httpserver authors. MIT license.
/**
 * Python's request-line rules (`parse_request()` up to the header block):
 * word splitting, version checks, HTTP/0.9, and the leading-`//` collapse.
 * @module
 */
import { pyRepr, pySplit } from "../../_text.ts";

/** What a request line says, or the error to answer it with. */
export interface RequestLine {
  /** The validated version word; null while it is not (yet) known. */
  version: string | null;
  /** Whether the connection may persist, as far as the line tells. */
  keepAlive: boolean;
  /** The error to send (after recording `version`), or null. */
  error: [code: number, message: string] | null;
  /** The method (empty on error). */
  command: string;
  /** The target, a leading `//` collapsed to `/` (gh-87389). */
  path: string;
  /** True for the two-word HTTP/0.9 form. */
  http09: boolean;
}

const VERSION_PART = /^[0-9]{1,10}$/;

/**
 * Parses a request line as Python 3.14's `parse_request()` does; null when
 * it has no words (Python then answers nothing).
 */
export function parseRequestLine(
  requestline: string,
  protocolVersion: string,
): Readonly<RequestLine> | null {
  // Clients repeat the same few request lines: remember the answers.
  let known = remembered.get(protocolVersion);
  if (known === undefined) {
    if (remembered.size >= 8) remembered.clear();
    remembered.set(protocolVersion, known = new Map());
  }
  const hit = known.get(requestline);
  if (hit !== undefined) return hit;
  const line = parse(requestline, protocolVersion);
  if (requestline.length <= 256) {
    if (known.size >= 512) known.clear();
    known.set(requestline, line && Object.freeze(line));
  }
  return line;
}

/** Parsed request lines by protocol version, then by line (null: no words). */
const remembered = new Map<string, Map<string, Readonly<RequestLine> | null>>();

function parse(
  requestline: string,
  protocolVersion: string,
): RequestLine | null {
  const words = pySplit(requestline);
  if (words.length === 0) return null;
  const line: RequestLine = {
    version: null,
    keepAlive: false,
    error: null,
    command: "",
    path: "",
    http09: false,
  };
  if (words.length >= 3) {
    const version = words[words.length - 1]!;
    const base = version.slice(5);
    const parts = base.split(".");
    if (
      !version.startsWith("HTTP/") || parts.length !== 2 ||
      !VERSION_PART.test(parts[0]!) || !VERSION_PART.test(parts[1]!)
    ) {
      line.error = [400, `Bad request version (${pyRepr(version)})`];
      return line;
    }
    const major = Number(parts[0]);
    const minor = Number(parts[1]);
    line.keepAlive = (major > 1 || (major === 1 && minor >= 1)) &&
      protocolVersion >= "HTTP/1.1";
    if (major >= 2) {
      line.error = [505, `Invalid HTTP version (${base})`];
      return line;
    }
    line.version = version;
  }
  if (words.length < 2 || words.length > 3) {
    line.error = [400, `Bad request syntax (${pyRepr(requestline)})`];
    return line;
  }
  const [command, path] = words as [string, string];
  if (words.length === 2) {
    line.http09 = true;
    line.keepAlive = false;
    if (command !== "GET") {
      line.error = [400, `Bad HTTP/0.9 request type (${pyRepr(command)})`];
      return line;
    }
  }
  line.command = command;
  line.path = path.startsWith("//") ? "/" + path.replace(/^\/+/, "") : path;
  return line;
}
