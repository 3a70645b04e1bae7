// Copyright 2026 the httpserver authors. MIT license.
/**
 * Upload temporaries: the hidden sibling files an upload is streamed into
 * before it is committed under its name, how they are named, and the sweep
 * that removes the ones a crash left behind.
 *
 * A one-shot upload (a plain `PUT`, a form part) writes
 * `.<name>.<16 random hex>.part`; a resumable upload (`PUT` with
 * `Content-Range`) writes `.<name>.<16 hex of its key>.resume`, kept between
 * requests until it is complete. `isUploadTemporary()` in
 * `handlers/_files/containment.ts` is the one predicate the listing,
 * downloads, archives and uploads use to hide and refuse them.
 * @module
 */

import { isUploadTemporary } from "../_files/containment.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Most bytes of the original name kept inside a temporary's name. */
const NAME_BYTES = 200;

/** The two kinds of temporaries. */
export type TemporaryKind = "part" | "resume";

/** 16 random hex digits. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The temporary's name for an upload of `name`: the name is cut to
 * {@linkcode NAME_BYTES} UTF-8 bytes (at a character boundary) so that the
 * result fits the usual 255-byte limit.
 */
export function temporaryName(
  name: string,
  id: string,
  kind: TemporaryKind,
): string {
  let shown = name;
  const bytes = encoder.encode(name);
  if (bytes.length > NAME_BYTES) {
    shown = decoder.decode(bytes.subarray(0, NAME_BYTES)).replace(
      /\uFFFD+$/,
      "",
    );
  }
  return `.${shown}.${id}.${kind}`;
}

/**
 * The id of a resumable upload: the first 16 hex digits of SHA-256 over the
 * target name, the declared total length and the user, so that the same
 * client resuming the same file finds its part again.
 */
export async function resumeId(
  name: string,
  total: number,
  user: string | null,
): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    encoder.encode(`${total}\0${user ?? ""}\0${name}`),
  );
  return Array.from(
    new Uint8Array(digest, 0, 8),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** What {@linkcode sweepTemporaries} removes. */
export interface SweepOptions {
  /** One-shot temporaries untouched this long are leftovers (60 s). */
  partAgeMs?: number;
  /** Resumable parts untouched this long are abandoned (24 h). */
  resumeAgeMs?: number;
  /** Stops the walk. */
  signal?: AbortSignal;
  /** The current time (for tests). */
  now?: number;
}

/** One hour in milliseconds. */
const HOUR = 3_600_000;

/**
 * Walks the tree under `root` (never through symlinks) and removes upload
 * temporaries that nobody is writing: one-shot ones not modified for
 * `partAgeMs`, resumable ones not modified for `resumeAgeMs`. A one-shot
 * temporary still being written (by another server on the same folder) is
 * modified all the time, so it is kept. Returns the paths removed; folders
 * that cannot be read are skipped.
 */
export async function sweepTemporaries(
  root: string,
  options: SweepOptions = {},
): Promise<string[]> {
  const partAge = options.partAgeMs ?? 60_000;
  const resumeAge = options.resumeAgeMs ?? 24 * HOUR;
  const now = options.now ?? Date.now();
  const removed: string[] = [];
  const pending = [root];
  while (pending.length) {
    if (options.signal?.aborted) break;
    const dir = pending.pop()!;
    const prefix = dir.endsWith("/") ? dir : dir + "/";
    try {
      for await (const entry of Deno.readDir(dir)) {
        const path = prefix + entry.name;
        if (entry.isDirectory) {
          pending.push(path);
          continue;
        }
        if (!entry.isFile || !isUploadTemporary(entry.name)) continue;
        const age = entry.name.endsWith(".part") ? partAge : resumeAge;
        try {
          const mtime = (await Deno.lstat(path)).mtime?.getTime() ?? 0;
          if (now - mtime < age) continue;
          await Deno.remove(path);
          removed.push(path);
        } catch { /* gone or not ours to remove */ }
      }
    } catch { /* unreadable or vanished folder */ }
  }
  return removed;
}
