// Copyright 2026 the httpserver authors. MIT license.
/**
 * A streaming `multipart/form-data` reader (RFC 7578, RFC 2046 section
 * 5.1) over the handler's `rfile`: one reused buffer, the delimiter found
 * with the native `indexOf` for CR, part bytes handed out as views without
 * copying. Limits bound part headers (16 KiB, 20 lines), field values
 * (64 KiB) and part count (10,100); a body that ends before its closing
 * delimiter fails, so a part is complete only when its delimiter was seen.
 *
 * `@fastify/busboy` through `node:stream` was measured first (see
 * bench/README.md): it held the server at about 1.2 CPU-seconds and
 * 128 MiB peak RSS per 256 MiB uploaded, against 0.3 s and 60 MiB here.
 * @module
 */
import { UploadRefusal } from "./refusal.ts";

/** Limits on a form body. */
export interface FormLimits {
  /** Most parts (10,100). */
  parts?: number;
  /** Most bytes in one non-file field's value (64 KiB). */
  fieldSize?: number;
  /** Most header lines in one part (20). */
  headerLines?: number;
  /** Most bytes of one part's header block (16 KiB). */
  headerSize?: number;
}

/** What a part's `Content-Disposition` says. */
export interface PartHead {
  /** The form field's name. */
  name: string;
  /** The file name (may carry a folder-relative path), or null for a field. */
  filename: string | null;
}

/** What the reader hands out, in order. */
export type FormEvent =
  | { type: "part"; head: PartHead }
  /** Bytes of the current part: a view, valid until the next event. */
  | { type: "data"; bytes: Uint8Array }
  | { type: "end" };

/** A source of body bytes: the handler's `rfile`. */
export interface ByteSource {
  readinto(buffer: Uint8Array): Promise<number>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CR = 13;
const LF = 10;
const DASH = 45;
const BUFFER = 1024 * 1024;

/**
 * The boundary of a `multipart/form-data` content type, or null when the
 * type is another or the boundary is missing or malformed.
 */
export function boundaryOf(contentType: string): string | null {
  const m =
    /^\s*multipart\/form-data\s*;(?:.*;)?\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))\s*(?:;|$)/i
      .exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  return boundary && !/[\r\n]/.test(boundary) ? boundary : null;
}

/**
 * Parses a header parameter list (`form-data; name="a"; filename="b"`):
 * quoted strings with backslash escapes, `filename*=UTF-8''...` decoded.
 */
export function parseDisposition(value: string): PartHead | null {
  const m = /^\s*form-data\s*(;|$)/i.exec(value);
  if (!m) return null;
  const params = new Map<string, string>();
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const p of value.slice(m[0].length - (m[1] ? 1 : 0)).matchAll(re)) {
    const key = p[1]!.toLowerCase();
    const raw = p[2] !== undefined
      ? p[2].replace(/\\(.)/g, "$1")
      : p[3]!.trim();
    if (!params.has(key)) params.set(key, raw);
  }
  const name = params.get("name");
  if (name === undefined) return null;
  let filename = params.get("filename") ?? null;
  const extended = params.get("filename*");
  if (extended !== undefined) {
    const e = /^utf-8'[^']*'(.*)$/i.exec(extended);
    if (e) {
      try {
        filename = decodeURIComponent(e[1]!);
      } catch { /* keep the plain filename */ }
    }
  }
  return { name, filename };
}

/**
 * Reads the form in `source` delimited by `boundary`, yielding each part's
 * head, its bytes and its end. Throws an {@linkcode UploadRefusal} (400
 * malformed or cut short, 413 past a limit) or the source's error.
 */
export async function* readMultipart(
  source: ByteSource,
  boundary: string,
  limits: FormLimits = {},
): AsyncGenerator<FormEvent> {
  const maxParts = limits.parts ?? 10_100;
  const headerSize = limits.headerSize ?? 16_384;
  const headerLines = limits.headerLines ?? 20;
  const delimiter = encoder.encode("\r\n--" + boundary);
  const dlen = delimiter.length;
  const buf = new Uint8Array(BUFFER);
  let start = 0;
  let end = 0;
  let eof = false;
  // The first delimiter may open the body without its CRLF.
  buf[0] = CR;
  buf[1] = LF;
  end = 2;

  const fill = async (): Promise<boolean> => {
    if (eof) return false;
    if (start > 0) {
      buf.copyWithin(0, start, end);
      end -= start;
      start = 0;
    }
    if (end === buf.length) return true;
    const n = await source.readinto(buf.subarray(end));
    if (n === 0) {
      eof = true;
      return false;
    }
    end += n;
    return true;
  };
  const need = async (n: number): Promise<void> => {
    while (end - start < n) {
      if (!await fill()) {
        throw new UploadRefusal(400, "The form ends too early");
      }
    }
  };
  /** Index of the next delimiter at or after `from`, -1 if none, -2 - i if it may start at i. */
  const find = (from: number): number => {
    const view = buf.subarray(0, end);
    let i = view.indexOf(CR, from);
    while (i >= 0) {
      const tail = Math.min(dlen, end - i);
      let k = 1;
      while (k < tail && buf[i + k] === delimiter[k]) k++;
      if (k === dlen) return i;
      if (k === tail) return -2 - i;
      i = view.indexOf(CR, i + 1);
    }
    return -1;
  };

  // Preamble: skip to the first delimiter.
  for (;;) {
    const i = find(start);
    if (i >= 0) {
      start = i + dlen;
      break;
    }
    start = i === -1 ? end : -2 - i;
    if (!await fill()) throw new UploadRefusal(400, "No form part found");
  }
  let parts = 0;
  for (;;) {
    // After a delimiter: `--` closes the form, else padding and CRLF.
    await need(2);
    if (buf[start] === DASH && buf[start + 1] === DASH) return;
    for (;;) {
      await need(2);
      if (buf[start] === CR && buf[start + 1] === LF) break;
      if (buf[start] !== 32 && buf[start] !== 9) {
        throw new UploadRefusal(400, "Malformed form body");
      }
      start++;
    }
    start += 2;
    if (++parts > maxParts) {
      throw new UploadRefusal(413, "The form has too many parts");
    }
    const head = await readHead();
    yield { type: "part", head };
    // The part's bytes, up to the next delimiter.
    for (;;) {
      const i = find(start);
      if (i >= 0) {
        if (i > start) yield { type: "data", bytes: buf.subarray(start, i) };
        start = i + dlen;
        break;
      }
      const safe = i === -1 ? end : -2 - i;
      if (safe > start) {
        yield { type: "data", bytes: buf.subarray(start, safe) };
        start = safe;
      }
      if (!await fill()) {
        throw new UploadRefusal(400, "The form ends too early");
      }
    }
    yield { type: "end" };
  }

  async function readHead(): Promise<PartHead> {
    let blank: number;
    for (;;) {
      blank = indexOfCrlfCrlf(buf, start, end);
      if (blank >= 0) break;
      if (end - start > headerSize) {
        throw new UploadRefusal(400, "A form part's header is too large");
      }
      if (!await fill()) {
        throw new UploadRefusal(400, "The form ends too early");
      }
    }
    if (blank - start > headerSize) {
      throw new UploadRefusal(400, "A form part's header is too large");
    }
    const lines = decoder.decode(buf.subarray(start, blank)).split("\r\n");
    start = blank + 4;
    if (lines.length > headerLines) {
      throw new UploadRefusal(400, "A form part has too many header lines");
    }
    let head: PartHead | null = null;
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      if (line.slice(0, colon).trim().toLowerCase() === "content-disposition") {
        head = parseDisposition(line.slice(colon + 1));
      }
    }
    if (!head) throw new UploadRefusal(400, "A form part has no field name");
    return head;
  }
}

/** Index of `\r\n\r\n` in `buf[from, end)`, or -1 (a part may have no headers). */
function indexOfCrlfCrlf(buf: Uint8Array, from: number, end: number): number {
  if (end - from >= 2 && buf[from] === CR && buf[from + 1] === LF) {
    return from - 2;
  }
  const view = buf.subarray(0, end);
  let i = view.indexOf(CR, from);
  while (i >= 0 && i + 3 < end) {
    if (buf[i + 1] === LF && buf[i + 2] === CR && buf[i + 3] === LF) return i;
    i = view.indexOf(CR, i + 1);
  }
  return -1;
}

/**
 * Collects a field's value (UTF-8) from `events` up to its end; refuses
 * (413) past `max` bytes.
 */
export async function readField(
  events: AsyncIterator<FormEvent>,
  max = 65_536,
): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const r = await events.next();
    if (r.done || r.value.type === "part") {
      throw new UploadRefusal(400, "Malformed form body");
    }
    if (r.value.type === "end") break;
    size += r.value.bytes.length;
    if (size > max) throw new UploadRefusal(413, "A form field is too large");
    parts.push(r.value.bytes.slice());
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return decoder.decode(all);
}

/** The bytes of the current part from `events`, up to its end. */
export async function* partBytes(
  events: AsyncIterator<FormEvent>,
): AsyncGenerator<Uint8Array> {
  for (;;) {
    const r = await events.next();
    if (r.done || r.value.type === "part") {
      throw new UploadRefusal(400, "Malformed form body");
    }
    if (r.value.type === "end") return;
    yield r.value.bytes;
  }
}
