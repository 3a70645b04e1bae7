// Copyright 2026 the httpserver authors. MIT license.
/**
 * A `Request` from `Deno.serve`, written back as the HTTP/1.1 request head a
 * handler parses: the method, the target exactly as the client sent it (never
 * through `new URL()`, which resolves `..`), and the header fields, with the
 * body framed the way the handler will read it.
 * @module
 */

const encoder = new TextEncoder();
const NON_ASCII = /[\u0080-\uffff]/;

/** A request as a handler reads it: its request line, header fields and framing. */
export interface RequestParts {
  /** `METHOD target HTTP/1.1` and its CRLF, as bytes. */
  line: Uint8Array;
  /** The header fields, in the order the handler gets them. */
  fields: [string, string][];
  /** True when the body has no length: the adapter chunks it. */
  chunked: boolean;
  /** The body's length when the client gave one, else null. */
  length: number | null;
}

/**
 * The request target as sent: `req.url` is `scheme://` + the raw `Host` value
 * + the target, unparsed. An absolute-form target arrives as that URL and
 * comes back in origin form.
 */
export function requestTarget(url: string, host: string | null): string {
  const authority = url.indexOf("://") + 3;
  if (host && url.startsWith(host, authority)) {
    return url.slice(authority + host.length) || "/";
  }
  // No Host (HTTP/2 uses :authority), or one the URL spells differently.
  const slash = url.indexOf("/", authority);
  return slash < 0 ? "/" : url.slice(slash);
}

/** The authority part of `url` (for an HTTP/2 request, which has no `Host`). */
function authorityOf(url: string): string {
  const start = url.indexOf("://") + 3;
  const slash = url.indexOf("/", start);
  return url.slice(start, slash < 0 ? url.length : slash);
}

/**
 * The request line and header fields of `req`, as an HTTP/1.1 head would
 * carry them. Header names come lowercased and sorted, with repeats joined
 * (what `Headers` keeps); an HTTP/2 request gets `host` from its authority.
 * `Expect` is dropped, since `Deno.serve` has answered it;
 * `Transfer-Encoding` is dropped, since `Deno.serve` has decoded it; a body
 * without `Content-Length` gets `Transfer-Encoding: chunked`, and the
 * adapter chunks it.
 */
export function requestParts(req: Request): RequestParts {
  const headers = req.headers;
  const host = headers.get("host");
  const line = `${req.method} ${requestTarget(req.url, host)} HTTP/1.1\r\n`;
  const fields: [string, string][] = [];
  if (host === null) fields.push(["host", authorityOf(req.url)]);
  let length: number | null = null;
  for (const field of headers) {
    const name = field[0];
    if (name === "expect" || name === "transfer-encoding") continue;
    // Deno has checked it (one value, digits only).
    if (name === "content-length") length = Number(field[1]);
    fields.push(field);
  }
  const chunked = req.body !== null && length === null;
  if (chunked) fields.push(["transfer-encoding", "chunked"]);
  return { line: encodeHead(line), fields, chunked, length };
}

/**
 * The header block of `fields` as bytes (`name: value` lines, then the
 * blank line): for a handler that reads the head's bytes itself.
 */
export function encodeFields(
  fields: readonly (readonly [string, string])[],
): Uint8Array {
  let text = "";
  for (const [name, value] of fields) text += `${name}: ${value}\r\n`;
  return encodeHead(text + "\r\n");
}

/**
 * Latin-1 for what the client sent as single bytes (header values, and a
 * target Deno decoded byte by byte); a character beyond U+00FF, which only a
 * UTF-8 decoded target can hold, goes back as its UTF-8 bytes.
 */
function encodeHead(text: string): Uint8Array {
  if (!NON_ASCII.test(text)) return encoder.encode(text);
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c <= 0xff) out.push(c);
    else out.push(...encoder.encode(ch));
  }
  return new Uint8Array(out);
}
