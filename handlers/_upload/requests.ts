// Copyright 2026 the httpserver authors. MIT license.
/**
 * The write requests: raw `PUT` (one-shot, or resumable with
 * `Content-Range`), `MKCOL` and `DELETE`. Each is planned first (every
 * check that needs no body: names, containment, conflicts, preconditions,
 * size, the handler's `mayWrite()`), so that a refusal goes out before a
 * byte of the body is read (and before `100 Continue`), then carried out.
 * Form uploads (`POST`) are in `form_post.ts`.
 * @module
 */
import { quoteName, splitTarget } from "../_files/url.ts";
import { realRoot, servedFolder } from "../_files/containment.ts";
import { evaluatePreconditions, makeEtag } from "../_files/conditional.ts";
import type { RFile } from "../rfile.ts";
import {
  beginResponse,
  sendSmall,
  type WriteHost,
  type WriteSettings,
} from "./host.ts";
import { UploadRefusal } from "./refusal.ts";
import {
  createFolders,
  join,
  pathSegments,
  removeCreated,
  type ResolvedFolder,
  resolveFolder,
  type WriteRoot,
} from "./target.ts";
import {
  commit,
  type Committed,
  type ConflictPolicy,
  lstatOrNull,
  receive,
} from "./writer.ts";
import {
  applyChunk,
  offsetHeaders,
  parseUploadRange,
  partPath,
  syncPart,
  type UploadRange,
} from "./resume.ts";

/** Bytes gathered from the body before each hand-over (and file write). */
const GATHER = 1024 * 1024;

/**
 * The chunks of a request body, read straight off `rfile` and gathered up
 * to 1 MiB each, so that a large upload costs few file writes. Every chunk
 * is a view of one buffer, valid until the next is asked for.
 */
export async function* bodyChunks(rfile: RFile): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(GATHER);
  for (;;) {
    let filled = 0;
    let ended = false;
    while (filled < buffer.length) {
      let n: number;
      try {
        n = await rfile.readinto(buffer.subarray(filled));
      } catch (error) {
        // What arrived before the body broke is handed over first (a
        // resumable upload keeps it).
        if (filled) yield buffer.subarray(0, filled);
        throw error;
      }
      if (n === 0) {
        ended = true;
        break;
      }
      filled += n;
    }
    if (filled) yield buffer.subarray(0, filled);
    if (ended) return;
  }
}

/** The served folder for a write, or a 404 refusal when it is gone. */
export function writeRoot(host: WriteHost): WriteRoot {
  const folder = servedFolder(host);
  const root = folder.root ?? realRoot(host.directory);
  if (root === null) throw new UploadRefusal(404, "The served folder is gone");
  return { root, serveDotfiles: host.serveDotfiles, folder };
}

/** The body length the request declares, or null (chunked, none). */
export function declaredLength(host: WriteHost): number | null {
  if (host.headers.has("Transfer-Encoding")) return null;
  const value = host.headers.get("Content-Length");
  return value === undefined ? null : Number(value);
}

/** Refuses (413) a declared size above the limit. */
export function checkSize(size: number | null, settings: WriteSettings): void {
  if (
    size !== null && settings.maxUploadSize !== null &&
    size > settings.maxUploadSize
  ) {
    throw new UploadRefusal(413, "The upload is larger than allowed");
  }
}

/** The percent-encoded URL path of `names` below the root. */
export function urlOf(names: readonly string[]): string {
  return "/" + names.map((n) => quoteName(n)).join("/");
}

/**
 * Refuses (412) when `If-Match`, `If-None-Match` or `If-Unmodified-Since`
 * does not hold for `existing` (null: no file there).
 */
export function checkPreconditions(
  host: WriteHost,
  existing: Deno.FileInfo | null,
): void {
  const get = (name: string) => host.headers.get(name);
  let failed: boolean;
  if (existing === null || existing.isDirectory) {
    const ifMatch = get("If-Match");
    failed = ifMatch !== undefined && ifMatch.trim() !== "";
  } else {
    const mtimeMs = existing.mtime?.getTime() ?? null;
    failed = evaluatePreconditions(host.command, get, {
      etag: mtimeMs === null
        ? null
        : makeEtag(existing.size, mtimeMs, existing.ino),
      mtimeMs,
    }) !== "proceed";
  }
  if (failed) throw new UploadRefusal(412, "Precondition failed");
}

/** Refuses (403) what the handler's `mayWrite()` does not allow. */
export async function checkAllowed(
  host: WriteHost,
  action: "upload" | "mkdir" | "delete",
  path: string,
): Promise<void> {
  if (!await host.mayWrite(action, path)) {
    throw new UploadRefusal(403, "Writing here is not allowed");
  }
}

/** A raw `PUT`, checked and ready to receive its body. */
export interface PutPlan {
  where: WriteRoot;
  names: string[];
  folder: ResolvedFolder;
  name: string;
  policy: ConflictPolicy;
  range: UploadRange | null;
  expected: number | null;
}

/** Checks a `PUT` before its body is read; throws an {@linkcode UploadRefusal}. */
export async function planPut(
  host: WriteHost,
  settings: WriteSettings,
): Promise<PutPlan> {
  const where = writeRoot(host);
  const names = pathSegments(host.path, where);
  const name = names.at(-1);
  if (!name) {
    throw new UploadRefusal(405, "PUT a file by its name, not a folder");
  }
  const rangeHeader = host.headers.get("Content-Range");
  const range = rangeHeader === undefined
    ? null
    : parseUploadRange(rangeHeader);
  const expected = declaredLength(host);
  checkSize(range ? range.total : expected, settings);
  if (range && expected !== null) {
    const span = range.start === null ? 0 : range.end - range.start + 1;
    if (expected !== span) {
      throw new UploadRefusal(
        400,
        "Content-Length does not match Content-Range",
      );
    }
  }
  const query = splitTarget(host.path).query;
  const policy: ConflictPolicy = settings.overwrite
    ? "overwrite"
    : query !== null && new URLSearchParams(query).has("rename")
    ? "rename"
    : "fail";
  const folder = await resolveFolder(names.slice(0, -1), where);
  const path = join(join(folder.real, folder.missing.join("/")), name);
  const existing = folder.missing.length ? null : await lstatOrNull(path);
  if (existing?.isDirectory) {
    throw new UploadRefusal(409, `'${name}' is a folder`);
  }
  checkPreconditions(host, existing);
  if (existing && policy === "fail") {
    throw new UploadRefusal(409, `'${name}' already exists`);
  }
  await checkAllowed(host, "upload", path);
  return { where, names, folder, name, policy, range, expected };
}

/** Receives the body of a planned `PUT` and answers it. */
export async function runPut(
  host: WriteHost,
  settings: WriteSettings,
  plan: PutPlan,
): Promise<void> {
  const created: string[] = [];
  try {
    const dir = await createFolders(plan.folder, plan.where, created);
    let committed: Committed;
    if (plan.range) {
      const part = await partPath(dir, plan.name, plan.range.total, host.user);
      const body = plan.range.start === null ? null : bodyChunks(host.rfile);
      const state = await applyChunk(part, plan.range, body);
      if (!state.complete) {
        await sendSmall(
          host,
          308,
          state.offset,
          offsetHeaders(state.offset),
          "",
          "Resume Incomplete",
        );
        return;
      }
      if (settings.sync) await syncPart(part);
      checkPreconditions(host, await lstatOrNull(join(dir, plan.name)));
      committed = await commit(
        part,
        dir,
        plan.name,
        plan.range.total,
        plan.policy,
        true,
      );
    } else {
      const { temp, size } = await receive(
        dir,
        plan.name,
        bodyChunks(host.rfile),
        { maxBytes: settings.maxUploadSize, expected: plan.expected },
        { sync: settings.sync },
      );
      try {
        checkPreconditions(host, await lstatOrNull(join(dir, plan.name)));
      } catch (error) {
        await Deno.remove(temp).catch(() => {});
        throw error;
      }
      committed = await commit(temp, dir, plan.name, size, plan.policy);
    }
    await answerCommitted(host, plan.names.slice(0, -1), committed);
  } catch (error) {
    await removeCreated(created);
    throw error;
  }
}

/** 201 with `Location` (and the URL as the body), or 204 for a replaced file. */
async function answerCommitted(
  host: WriteHost,
  folder: readonly string[],
  c: Committed,
): Promise<void> {
  const url = urlOf([...folder, c.name]);
  host.uploadComplete({
    path: c.path,
    url,
    size: c.size,
    replaced: c.replaced,
    user: host.user,
  });
  if (c.replaced) {
    await sendSmall(host, 204, c.size, [["Location", url]], "");
  } else {
    await sendSmall(host, 201, c.size, [
      ["Location", url],
      ["Content-Type", "text/plain; charset=utf-8"],
    ], url + "\n");
  }
}

/** `MKCOL`: creates one folder whose parent exists (RFC 4918 section 9.3). */
export async function runMkcol(host: WriteHost): Promise<void> {
  const where = writeRoot(host);
  const names = pathSegments(host.path, where).filter((n) => n !== "");
  const name = names.at(-1);
  if (!name) throw new UploadRefusal(405, "The served folder exists");
  if (declaredLength(host) || host.headers.has("Transfer-Encoding")) {
    throw new UploadRefusal(415, "MKCOL takes no body");
  }
  const parent = await resolveFolder(names.slice(0, -1), where);
  if (parent.missing.length) {
    throw new UploadRefusal(409, "The parent folder does not exist");
  }
  const path = join(parent.real, name);
  if (await lstatOrNull(path)) {
    throw new UploadRefusal(405, `'${name}' already exists`);
  }
  await checkAllowed(host, "mkdir", path);
  try {
    await createFolders({ real: parent.real, missing: [name] }, where, []);
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new UploadRefusal(405, `'${name}' already exists`);
    }
    throw error;
  }
  await sendSmall(host, 201, "-", [["Location", urlOf(names) + "/"]], "");
}

/** `DELETE`: removes a file, a symlink or an empty folder. */
export async function runDelete(host: WriteHost): Promise<void> {
  const where = writeRoot(host);
  const names = pathSegments(host.path, where);
  const folderTarget = names.at(-1) === "";
  if (folderTarget) names.pop();
  const name = names.at(-1);
  if (!name) {
    throw new UploadRefusal(403, "The served folder cannot be deleted");
  }
  const parent = await resolveFolder(names.slice(0, -1), where);
  const path = join(parent.real, name);
  const info = parent.missing.length ? null : await lstatOrNull(path);
  if (!info || (folderTarget && !info.isDirectory && !info.isSymlink)) {
    throw new UploadRefusal(404, "File not found");
  }
  checkPreconditions(host, info);
  await checkAllowed(host, "delete", path);
  try {
    await Deno.remove(path);
  } catch (error) {
    if (/ENOTEMPTY|EEXIST/.test(String((error as { code?: unknown }).code))) {
      throw new UploadRefusal(409, "The folder is not empty");
    }
    throw error;
  }
  beginResponse(host, 204, info.isDirectory ? "-" : info.size);
  await host.endHeaders();
}
