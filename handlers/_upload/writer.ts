// Copyright 2026 the httpserver authors. MIT license.
/**
 * The one writer behind every upload: bytes are streamed into a hidden
 * temporary beside the target (same file system), counted against the
 * limits, flushed to disk, and only then committed under the target name:
 * a hard link that cannot clobber (`fail`, `rename`) or a rename over it
 * (`overwrite`). Whatever goes wrong before the commit removes the
 * temporary, so a name never shows a half-written file.
 * @module
 */
import { UploadRefusal } from "./refusal.ts";
import { randomId, temporaryName } from "./temp.ts";
import { join } from "./target.ts";

/** What happens when the name is taken. */
export type ConflictPolicy = "fail" | "rename" | "overwrite";

/** A committed upload. */
export interface Committed {
  /** The file's path. */
  path: string;
  /** The name it was stored under (differs from the asked one on rename). */
  name: string;
  /** Its size in bytes. */
  size: number;
  /** Whether it replaced an existing file. */
  replaced: boolean;
}

/** Limits on one upload's body. */
export interface BodyLimits {
  /** Most bytes accepted (413 past it), or null for no limit. */
  maxBytes: number | null;
  /** The bytes the request declared (`Content-Length`), or null. */
  expected: number | null;
}

/** Whether to flush a file to disk before committing it (tests may turn it off). */
export interface Durability {
  /** `fdatasync` the temporary before the commit (default true). */
  sync?: boolean;
}

/** Writes every byte of `chunk` to `file`. */
export async function writeAll(
  file: Deno.FsFile,
  chunk: Uint8Array,
): Promise<void> {
  let at = 0;
  while (at < chunk.length) at += await file.write(chunk.subarray(at));
}

/**
 * Streams `chunks` into a new one-shot temporary in `dir` and returns its
 * path and size. Refuses (413) past `limits.maxBytes`, and (400) a body that
 * ends before `limits.expected` bytes; on any failure the temporary is
 * removed and the error rethrown.
 */
export async function receive(
  dir: string,
  name: string,
  chunks: AsyncIterable<Uint8Array>,
  limits: BodyLimits,
  durability: Durability = {},
): Promise<{ temp: string; size: number }> {
  const temp = join(dir, temporaryName(name, randomId(), "part"));
  const file = await Deno.open(temp, {
    write: true,
    createNew: true,
    mode: 0o666,
  });
  let size = 0;
  try {
    for await (const chunk of chunks) {
      size += chunk.length;
      if (limits.maxBytes !== null && size > limits.maxBytes) {
        throw new UploadRefusal(413, "The upload is larger than allowed");
      }
      await writeAll(file, chunk);
    }
    if (limits.expected !== null && size !== limits.expected) {
      throw new UploadRefusal(400, "The body ended before its declared length");
    }
    if (durability.sync !== false) await file.syncData();
  } catch (error) {
    closeQuietly(file);
    await removeQuietly(temp);
    throw error;
  }
  file.close();
  return { temp, size };
}

/**
 * `name (1).ext`, `name (2).ext`...: the `n`-th alternative to `name`, the
 * number before the last extension (`a.tar (1).gz`), none for dot names.
 */
export function alternativeName(name: string, n: number): string {
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return `${name} (${n})`;
  return `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
}

/** Most alternative names tried before a rename gives up (409). */
const MAX_ALTERNATIVES = 1000;

/**
 * Commits the temporary `temp` as `name` in `dir` under `policy`, then
 * removes `temp` (a rename consumes it). Refuses (409) when the name is a
 * folder, or taken and the policy is `fail`; `keep` leaves `temp` in place
 * then (a resumable upload may be committed later under another policy).
 * `size` is reported back.
 */
export async function commit(
  temp: string,
  dir: string,
  name: string,
  size: number,
  policy: ConflictPolicy,
  keep = false,
): Promise<Committed> {
  let refused = false;
  try {
    if (policy === "overwrite") {
      const path = join(dir, name);
      const existing = await lstatOrNull(path);
      if (existing?.isDirectory) {
        refused = true;
        throw new UploadRefusal(409, `'${name}' is a folder`);
      }
      await Deno.rename(temp, path);
      return { path, name, size, replaced: existing !== null };
    }
    const limit = policy === "rename" ? MAX_ALTERNATIVES : 0;
    for (let n = 0; n <= limit; n++) {
      const candidate = n === 0 ? name : alternativeName(name, n);
      const path = join(dir, candidate);
      if (await linkNoClobber(temp, path)) {
        return { path, name: candidate, size, replaced: false };
      }
    }
    refused = true;
    throw new UploadRefusal(
      409,
      policy === "fail" ? `'${name}' already exists` : "No free name left",
    );
  } finally {
    if (!(keep && refused)) await removeQuietly(temp);
  }
}

/**
 * Links `temp` as `path` unless `path` exists (false then). On file
 * systems without hard links (FAT, some network shares) it renames when
 * `path` is free, which leaves a short race with another writer.
 */
async function linkNoClobber(temp: string, path: string): Promise<boolean> {
  try {
    await Deno.link(temp, path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    if (
      !(error instanceof Deno.errors.PermissionDenied ||
        error instanceof Deno.errors.NotSupported ||
        /^(EPERM|ENOTSUP|EOPNOTSUPP|EMLINK)$/.test(
          String((error as { code?: unknown }).code),
        ))
    ) throw error;
  }
  if (await lstatOrNull(path)) return false;
  await Deno.rename(temp, path);
  return true;
}

/** `Deno.lstat`, or null when nothing is there. */
export async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Removes `path`, ignoring every failure. */
export async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch { /* already gone */ }
}

function closeQuietly(file: Deno.FsFile): void {
  try {
    file.close();
  } catch { /* already closed */ }
}
