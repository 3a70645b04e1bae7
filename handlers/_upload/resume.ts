// Copyright 2026 the httpserver authors. MIT license.
/**
 * Resumable uploads: `PUT` with `Content-Range: bytes START-END/TOTAL`
 * appends to a hidden part kept beside the target (its name is
 * {@linkcode resumeId} of the target, the total and the user); `PUT` with
 * `Content-Range: bytes * /TOTAL` (no spaces) and no body asks how much is
 * stored. The part is committed under the target name only when it holds
 * all TOTAL bytes, so a name never shows a partial file; this is the wire
 * protocol of Google's resumable uploads (308 with `Range` while
 * incomplete), plus `Upload-Offset` for scripts.
 * @module
 */
import { join } from "./target.ts";
import { resumeId, temporaryName } from "./temp.ts";
import { UploadRefusal } from "./refusal.ts";
import { lstatOrNull, writeAll } from "./writer.ts";

/** A parsed `Content-Range` of a request. */
export interface UploadRange {
  /** First byte offset, or null for a status query (`bytes * /TOTAL`). */
  start: number | null;
  /** Last byte offset (inclusive); -1 for a query. */
  end: number;
  /** The whole file's length. */
  total: number;
}

const RANGE = /^bytes +(?:(\d{1,15})-(\d{1,15})|\*)\/(\d{1,15})$/i;

/**
 * Parses a request's `Content-Range`; throws a 400 refusal when it is
 * malformed or inconsistent (`END` before `START`, past `TOTAL`).
 */
export function parseUploadRange(value: string): UploadRange {
  const m = RANGE.exec(value.trim());
  if (!m) throw new UploadRefusal(400, "Bad Content-Range");
  const total = Number(m[3]);
  if (m[1] === undefined) return { start: null, end: -1, total };
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start || end >= total) {
    throw new UploadRefusal(400, "Bad Content-Range");
  }
  return { start, end, total };
}

/** The headers that tell a client how much of its upload is stored. */
export function offsetHeaders(offset: number): [string, string][] {
  const headers: [string, string][] = [["Upload-Offset", String(offset)]];
  if (offset > 0) headers.unshift(["Range", `bytes=0-${offset - 1}`]);
  return headers;
}

/** Who writes a part now: a newer request takes a part over. */
interface PartOwner {
  owner: object;
  /** The write in progress, awaited before a new owner measures the part. */
  writing: Promise<void> | null;
}
const owners = new Map<string, PartOwner>();

/** The path of the part for `name` in `dir`. */
export async function partPath(
  dir: string,
  name: string,
  total: number,
  user: string | null,
): Promise<string> {
  return join(
    dir,
    temporaryName(name, await resumeId(name, total, user), "resume"),
  );
}

/** Where a resumable upload stands after a request. */
export interface PartState {
  /** Bytes stored. */
  offset: number;
  /** Whether all `total` bytes are stored. */
  complete: boolean;
}

/**
 * Applies one request of a resumable upload to the part at `path`: a query
 * only measures it; a chunk must start at 0 (a restart) or at the stored
 * offset (409 with the offset otherwise), must not pass its range, and is
 * appended as it arrives, so the bytes received before a dropped
 * connection stay for the next attempt. A newer request for the same part
 * takes it over; the older one stops writing (409).
 */
export async function applyChunk(
  path: string,
  range: UploadRange,
  chunks: AsyncIterable<Uint8Array> | null,
): Promise<PartState> {
  const me = {};
  const previous = owners.get(path);
  const state: PartOwner = { owner: me, writing: null };
  owners.set(path, state);
  try {
    await previous?.writing?.catch(() => {});
    const stored = (await lstatOrNull(path))?.size ?? 0;
    if (range.start === null || chunks === null) {
      return { offset: stored, complete: stored === range.total };
    }
    if (range.start !== 0 && range.start !== stored) {
      throw new UploadRefusal(
        409,
        `The upload continues at byte ${stored}`,
        offsetHeaders(stored),
      );
    }
    const file = await Deno.open(path, {
      write: true,
      create: true,
      truncate: range.start === 0,
      mode: 0o666,
    });
    let offset = range.start;
    try {
      if (range.start > 0) await file.seek(range.start, Deno.SeekMode.Start);
      const expected = range.end - range.start + 1;
      for await (const chunk of chunks) {
        if (state.owner !== me || owners.get(path) !== state) {
          throw new UploadRefusal(409, "A newer request took this upload over");
        }
        if (offset - range.start + chunk.length > expected) {
          throw new UploadRefusal(
            400,
            "The body is longer than its Content-Range",
          );
        }
        state.writing = writeAll(file, chunk);
        await state.writing;
        offset += chunk.length;
      }
      if (offset !== range.end + 1) {
        throw new UploadRefusal(
          400,
          "The body is shorter than its Content-Range",
        );
      }
    } finally {
      file.close();
    }
    return { offset, complete: offset === range.total };
  } finally {
    if (owners.get(path) === state) owners.delete(path);
  }
}

/** Flushes a complete part to disk before it is committed. */
export async function syncPart(path: string): Promise<void> {
  const file = await Deno.open(path, { read: true, write: true });
  try {
    await file.syncData();
  } finally {
    file.close();
  }
}
