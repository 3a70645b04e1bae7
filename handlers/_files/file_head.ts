// Copyright 2026 the httpserver authors. MIT license.
/**
 * The head of a file response, as `SimpleHTTPRequestHandler.sendHead()`
 * sends it once the request names a regular file: the validators, the
 * preconditions (304, 412), small files read whole, `Range` (206, 416),
 * then the head. A {@linkcode FileVariant} may stand in for the file itself
 * (the development features: a compressed copy, a precompressed sidecar, a
 * page with the live-reload script); without one, nothing else is done.
 * @module
 */
import type { HTTPMessage } from "../../message.ts";
import { connIO } from "../_http1/conn_io.ts";
import type { SimpleBody } from "../simple_types.ts";
import { type CachedLookup, fileCache } from "./file_cache.ts";
import {
  closeQuietly,
  openFile,
  planBody,
  readSmall,
  SMALL_FILE,
} from "./file_body.ts";
import {
  evaluatePreconditions,
  hasPreconditions,
  type HeaderGetter,
  ifRangeAllows,
  makeEtag,
  type Validators,
} from "./conditional.ts";
import { type ByteRange, parseRange, unsatisfiedRange } from "./range.ts";

/** What sending a file's head needs of the handler (its Python hooks). */
export interface FileHeadHost {
  readonly command: string;
  readonly headers: HTTPMessage;
  readonly extraResponseHeaders: readonly [string, string][];
  sendResponse(code: number, message?: string | null): void;
  sendHeader(keyword: string, value: string): void;
  endHeaders(): Promise<void>;
  sendError(code: number, message?: string | null): Promise<void>;
  dateTimeString(timestamp?: number | null): string;
}

/** The body a variant is made of: bytes, or an open file of `size` bytes. */
export type VariantBody = { data: Uint8Array; file: null } | {
  data: null;
  file: Deno.FsFile;
  size: number;
};

/** What is sent for the file instead of the file as it is, or beside it. */
export interface FileVariant {
  /** Its entity-tag (replaces the file's). */
  etag: string | null;
  /** Whether `Last-Modified` and `If-Modified-Since` apply. */
  lastModified: boolean;
  /** Whether `Range` may be honoured (only for the file's own bytes). */
  ranges: boolean;
  /** `Content-Encoding`, or null. */
  coding: string | null;
  /** Headers for 200, 206 and 304 alike (`Cache-Control`). */
  headers: readonly [string, string][];
  /**
   * Makes the body from the open file or the cached bytes (one of them is
   * given), or null when the file's own bytes are sent.
   */
  make:
    | ((file: Deno.FsFile | null, data: Uint8Array | null) => Promise<
      VariantBody
    >)
    | null;
}

/** Picks the variant to send, given the file's own validators. */
export type ChooseVariant = (v: Validators) => FileVariant;

/** Answers 404 `File not found`; resolves to null (no body follows). */
export async function notFound(
  host: Pick<FileHeadHost, "sendError">,
): Promise<null> {
  await host.sendError(404, "File not found");
  return null;
}

/**
 * Sends the head for the regular file `found` (of type `ctype`), from the
 * small-file cache when it holds the file, else from the file opened now
 * (404 when that fails). `choose`, when given, picks a variant.
 * @returns The body still to send (its `file`, when not null, is open and
 * the caller must close it), or null when the response is complete.
 */
export function sendFileHead(
  host: FileHeadHost,
  found: CachedLookup,
  ctype: string,
  choose: ChooseVariant | null,
): Promise<SimpleBody | null> {
  // A small file the cache holds, unchanged: no file call but the stat.
  if (found.data) return sendHead(host, null, found, ctype, choose);
  const file = openFile(found.real);
  return file ? sendHead(host, file, found, ctype, choose) : notFound(host);
}

/**
 * Sends the head of a file response, from `found.data` when the cache
 * holds the file (then `opened` is null), else from `opened`, which it
 * closes when no body follows or it throws (a variant's file too).
 */
async function sendHead(
  host: FileHeadHost,
  opened: Deno.FsFile | null,
  found: CachedLookup,
  ctype: string,
  choose: ChooseVariant | null,
): Promise<SimpleBody | null> {
  let file = opened;
  try {
    const info = found.info;
    const mtimeMs = info.mtime?.getTime() ?? null;
    let size = info.size;
    const v: Validators = {
      etag: found.etag ??
        (mtimeMs === null ? null : makeEtag(size, mtimeMs, info.ino)),
      mtimeMs,
    };
    const variant = choose === null ? null : choose(v);
    if (variant) {
      v.etag = variant.etag;
      if (!variant.lastModified) v.mtimeMs = null;
    }
    const headers = host.headers;
    const get: HeaderGetter = (name) => headers.get(name);
    if (hasPreconditions(headers)) {
      const result = evaluatePreconditions(host.command, get, v);
      if (result !== "proceed") {
        file?.close();
        if (result === "precondition-failed") await host.sendError(412);
        else {
          host.sendResponse(304);
          if (v.etag) host.sendHeader("ETag", v.etag);
          if (variant) sendHeaders(host, variant.headers);
          await host.endHeaders();
        }
        return null;
      }
    }
    // Small files are read now, whole, and go out with the head; the
    // cache keeps them when they qualify (see `file_cache.ts`).
    let data = found.data;
    if (variant?.make) {
      const made = await variant.make(file, data);
      if (made.file !== file) file?.close();
      ({ data, file } = made);
      size = made.data ? made.data.length : made.size;
    } else if (file && size <= SMALL_FILE && host.command !== "HEAD") {
      data = readSmall(file, size);
      fileCache.store(found, file, data);
      size = data.length;
      file.close();
      file = null;
    }
    const ranges = variant === null || variant.ranges;
    let spans: ByteRange[] | null = null;
    const rangeHeader = headers.get("Range");
    if (
      rangeHeader !== undefined && host.command === "GET" && ranges &&
      ifRangeAllows(get, v)
    ) {
      const r = parseRange(rangeHeader, size);
      if (r.kind === "unsatisfiable") {
        file?.close();
        // The error response carries the size the ranges missed.
        connIO(host).errorHeaders = [["Content-Range", unsatisfiedRange(size)]];
        await host.sendError(416);
        return null;
      }
      if (r.kind === "ranges") spans = r.ranges;
    }
    const plan = planBody((data ?? file)!, size, spans, ctype);
    host.sendResponse(plan.status);
    host.sendHeader("Content-type", plan.contentType);
    host.sendHeader("Content-Length", String(plan.body.length));
    if (plan.contentRange) host.sendHeader("Content-Range", plan.contentRange);
    if (v.mtimeMs !== null) {
      host.sendHeader("Last-Modified", host.dateTimeString(v.mtimeMs));
    }
    if (v.etag) host.sendHeader("ETag", v.etag);
    if (variant?.coding) host.sendHeader("Content-Encoding", variant.coding);
    if (ranges) host.sendHeader("Accept-Ranges", "bytes");
    sendHeaders(host, host.extraResponseHeaders);
    if (variant) sendHeaders(host, variant.headers);
    await host.endHeaders();
    return plan.body;
  } catch (error) {
    if (opened) closeQuietly(opened);
    if (file && file !== opened) closeQuietly(file);
    throw error;
  }
}

/** Sends each of `headers`, in order. */
export function sendHeaders(
  host: Pick<FileHeadHost, "sendHeader">,
  headers: readonly [string, string][],
): void {
  for (const [name, value] of headers) host.sendHeader(name, value);
}
