// Copyright 2026 the httpserver authors. MIT license.
/**
 * Where a write lands: the request path (and a form part's folder-relative
 * file name) checked segment by segment, then walked from the served
 * folder's real path so that no symlink leads the write outside it. Folders
 * that do not exist yet are created one at a time and checked again once
 * they exist (sigoden/dufs#714: check the deepest *existing* ancestor).
 * @module
 */
import { hexValue, IS_WINDOWS, splitTarget } from "../_files/url.ts";
import {
  isUploadTemporary,
  type ServedFolder,
  servedReal,
} from "../_files/containment.ts";
import { UploadRefusal } from "./refusal.ts";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
const WINDOWS_RESERVED = /[<>:"|?*]|[. ]$/;
const WINDOWS_DEVICE =
  /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(\..*)?$/i;
/** Most UTF-8 bytes in one name (the usual NAME_MAX). */
const NAME_MAX = 255;

/** The rules a name is checked against. */
export interface NameRules {
  /** Accept names that start with a dot. */
  serveDotfiles: boolean;
  /** Refuse what Windows cannot store too (default: on Windows). */
  windows?: boolean;
}

/**
 * Percent-decodes one path segment as strict UTF-8 (raw characters up to
 * U+00FF stand for the bytes the request line carried). Throws a 400
 * refusal for a bad escape or bytes that are not UTF-8.
 */
export function decodeSegment(raw: string): string {
  if (!/[%\x80-\uffff]/.test(raw)) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 37) {
      const h = hexValue(raw.charCodeAt(i + 1));
      const l = hexValue(raw.charCodeAt(i + 2));
      if (h < 0 || l < 0) {
        throw new UploadRefusal(400, "Bad percent-encoding in the path");
      }
      bytes.push(h * 16 + l);
      i += 2;
    } else if (c > 0xff) {
      for (const b of encoder.encode(raw[i]!)) bytes.push(b);
    } else bytes.push(c);
  }
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    throw new UploadRefusal(400, "The path is not UTF-8");
  }
}

/**
 * Checks one decoded name (a folder or a file) for a write. Throws a 400
 * refusal for `.`, `..`, empty names, separators, control characters, names
 * too long or (under Windows rules) unstorable, and a 403 refusal for upload
 * temporaries and, with dotfiles hidden, dot names.
 */
export function checkName(name: string, rules: NameRules): void {
  if (name === "") throw new UploadRefusal(400, "Empty name in the path");
  if (name === "." || name === "..") {
    throw new UploadRefusal(400, `The name '${name}' is not allowed`);
  }
  if (name.includes("/") || name.includes("\\")) {
    throw new UploadRefusal(400, "A name holds a path separator");
  }
  if (CONTROL.test(name)) {
    throw new UploadRefusal(400, "A name holds a control character");
  }
  if (encoder.encode(name).length > NAME_MAX) {
    throw new UploadRefusal(400, "Name too long");
  }
  if (
    (rules.windows ?? IS_WINDOWS) &&
    (WINDOWS_RESERVED.test(name) || WINDOWS_DEVICE.test(name))
  ) {
    throw new UploadRefusal(400, "Windows cannot store this name");
  }
  if (isUploadTemporary(name)) {
    throw new UploadRefusal(
      403,
      "This name is reserved for uploads in progress",
    );
  }
  if (!rules.serveDotfiles && name.startsWith(".")) {
    throw new UploadRefusal(403, "Names that start with a dot are not allowed");
  }
}

/**
 * The decoded, checked segments of the request target's path. A trailing
 * `/` gives a last empty segment (a folder target); the query is ignored.
 */
export function pathSegments(target: string, rules: NameRules): string[] {
  const path = splitTarget(target).path;
  if (!path.startsWith("/")) throw new UploadRefusal(400, "Bad request path");
  const raw = path.slice(1).split("/");
  const folder = raw.at(-1) === "";
  if (folder) raw.pop();
  const names = raw.map(decodeSegment);
  for (const name of names) checkName(name, rules);
  if (folder) names.push("");
  return names;
}

/**
 * The segments of a form part's file name, which may carry the relative
 * path of a file in a picked or dropped folder (`photos/2024/a.jpg`); each
 * is checked as a name. Backslashes and absolute names are refused.
 */
export function fileNameSegments(filename: string, rules: NameRules): string[] {
  if (filename.startsWith("/")) {
    throw new UploadRefusal(400, "Absolute file names are not allowed");
  }
  const names = filename.split("/");
  for (const name of names) checkName(name, rules);
  return names;
}

/** The served folder, as a write sees it. */
export interface WriteRoot {
  /** The canonical path of the served folder (where walks start). */
  root: string;
  /** Accept names that start with a dot. */
  serveDotfiles: boolean;
  /** The folder as `containment.ts` checks it. */
  folder: ServedFolder;
}

/** A folder a write goes into, walked from the root. */
export interface ResolvedFolder {
  /** Its canonical path (when `missing` is empty), else the deepest existing one's. */
  real: string;
  /** The names below `real` that do not exist yet. */
  missing: string[];
}

/**
 * Whether the canonical path `real` may be written: the containment rule of
 * reads (`servedReal()`: inside the folder's real path, no hidden dot
 * segment), which `followSymlinks` lifts for writes as for reads.
 */
function allowed(real: string, where: WriteRoot): boolean {
  return where.folder.followSymlinks || servedReal(real, where.folder);
}

/**
 * Follows `names` from the root to the deepest existing folder, resolving
 * each symlink and refusing (403) one that leads outside the root or
 * (409) a file where a folder is needed.
 */
export async function resolveFolder(
  names: readonly string[],
  where: WriteRoot,
): Promise<ResolvedFolder> {
  let real = where.root;
  for (let i = 0; i < names.length; i++) {
    const next = join(real, names[i]!);
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(next);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return { real, missing: names.slice(i) };
      }
      throw error;
    }
    let resolved = next;
    if (info.isSymlink) {
      try {
        resolved = await Deno.realPath(next);
        info = await Deno.stat(resolved);
      } catch (error) {
        if (
          error instanceof Deno.errors.NotCapable ||
          error instanceof Deno.errors.PermissionDenied
        ) {
          // Deno may not even look there: outside the folder it may read.
          throw new UploadRefusal(
            403,
            "The path leads outside the served folder",
          );
        }
        throw new UploadRefusal(409, `'${names[i]}' is a broken link`);
      }
      if (!allowed(resolved, where)) {
        throw new UploadRefusal(
          403,
          "The path leads outside the served folder",
        );
      }
    }
    if (!info.isDirectory) {
      throw new UploadRefusal(409, `'${names[i]}' is a file, not a folder`);
    }
    real = resolved;
  }
  return { real, missing: [] };
}

/**
 * Creates the missing folders of `folder`, one at a time, each checked
 * again once it exists; returns the canonical path of the last one and
 * adds each folder it made to `created` (to remove them if the write
 * fails).
 */
export async function createFolders(
  folder: ResolvedFolder,
  where: WriteRoot,
  created: string[],
): Promise<string> {
  let real = folder.real;
  for (const name of folder.missing) {
    const next = join(real, name);
    try {
      await Deno.mkdir(next);
      created.push(next);
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const resolved = await Deno.realPath(next);
    if (!allowed(resolved, where)) {
      throw new UploadRefusal(403, "The path leads outside the served folder");
    }
    if (!(await Deno.stat(resolved)).isDirectory) {
      throw new UploadRefusal(409, `'${name}' is a file, not a folder`);
    }
    real = resolved;
  }
  return real;
}

/** Removes the folders a failed write created, deepest first, if empty. */
export async function removeCreated(created: string[]): Promise<void> {
  for (const path of created.reverse()) {
    try {
      await Deno.remove(path);
    } catch { /* not empty any more, or gone */ }
  }
  created.length = 0;
}

/** `dir` joined with one checked name. */
export function join(dir: string, name: string): string {
  const sep = IS_WINDOWS ? "\\" : "/";
  return dir.endsWith(sep) || dir.endsWith("/") ? dir + name : dir + sep + name;
}
