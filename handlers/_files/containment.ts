// Copyright 2026 the httpserver authors. MIT license.
/**
 * Containment: what may be read, listed or written below the served folder.
 * The rules, all over a {@linkcode ServedFolder}:
 *
 * - Before any file call ({@linkcode refusedPath}): no NUL, and with
 *   dotfiles hidden no segment below the folder that starts with a dot.
 * - After resolving the real path ({@linkcode servedReal}): inside the
 *   folder's real path and, with dotfiles hidden, no dot segment below it.
 *   Not checked when symlinks are followed.
 *
 * Who uses which: a read stats through {@linkcode statServed} (the CGI
 * handler; the file cache makes the same two checks around its own lookup
 * and its cached root). A listing, and an archive walking a folder, keep
 * the entries {@linkcode listedEntry} shows. An upload
 * (`handlers/_upload/target.ts`) walks to the deepest existing ancestor and
 * checks its real path with {@linkcode servedReal}, again after each folder
 * it makes, since a link may have been put there in between.
 * ({@linkcode writableTarget} states that rule in one call; only tests use
 * it today.)
 * @module
 */
import { basename, dirname, join } from "node:path";
import { trimEndChars } from "../../_text.ts";
import { IS_WINDOWS } from "./url.ts";

/** Whether `real` is `root` or lies inside it (both canonical paths). */
export function isInside(root: string, real: string): boolean {
  if (real === root) return true;
  const sep = IS_WINDOWS ? "\\" : "/";
  const prefix = root.endsWith(sep) ? root : root + sep;
  return real.startsWith(prefix);
}

/**
 * Whether `path`, below `base`, has a segment that starts with a dot
 * (`base` itself may be a dotted folder).
 */
export function hasDotSegment(base: string, path: string): boolean {
  if (!path.startsWith(base)) return false;
  const rest = path.slice(base.length);
  return /(^|[/\\])\.[^/\\]/.test(rest) || /(^|[/\\])\.$/.test(rest);
}

/** `Deno.cwd()`, or `"."` when reading it is not permitted. */
export function currentDirectory(): string {
  try {
    return Deno.cwd();
  } catch {
    return ".";
  }
}

/** The canonical path of a served folder, or null when it is missing. */
export function realRoot(directory: string): string | null {
  try {
    return Deno.realPathSync(directory || ".");
  } catch {
    return null;
  }
}

/** A path that passed the checks of {@linkcode refusedPath} and {@linkcode servedReal}. */
export interface Found {
  /** Its metadata (symlinks followed). */
  info: Deno.FileInfo;
  /** The path to open: the canonical path when symlinks are checked. */
  real: string;
}

/** The settings the rules read; a `SimpleHTTPRequestHandler` has them all. */
export interface FolderRules {
  /**
   * Uploads are on: their temporaries ({@linkcode isUploadTemporary}) are
   * hidden from listings and archives and refused to reads and writes.
   */
  upload?: boolean;
  /** The served folder, as `translatePath()` prefixes it. */
  directory: string;
  /** Serve through symlinks whose real path leaves `directory`. */
  followSymlinks: boolean;
  /** Serve, list and write names that start with a dot. */
  serveDotfiles: boolean;
}

/** The served folder, as the containment checks see it. */
export interface ServedFolder extends FolderRules {
  /**
   * Its canonical path (see {@linkcode realRoot}); null when it is missing
   * or, with `followSymlinks`, not resolved.
   */
  root: string | null;
}

/**
 * The folder `rules` describe, its real path resolved now by `resolve`
 * (unless symlinks are followed).
 */
export function servedFolder(
  rules: FolderRules,
  resolve: (directory: string) => string | null = realRoot,
): ServedFolder {
  return {
    directory: rules.directory,
    root: rules.followSymlinks ? null : resolve(rules.directory),
    followSymlinks: rules.followSymlinks,
    serveDotfiles: rules.serveDotfiles,
    upload: rules.upload ?? false,
  };
}

/**
 * The checks made before any file call: a NUL, or (with dotfiles hidden) a
 * segment below the folder that starts with a dot.
 */
export function refusedPath(path: string, folder: ServedFolder): boolean {
  return path.includes("\0") ||
    (!folder.serveDotfiles && hasDotSegment(folder.directory, path)) ||
    (folder.upload === true && isUploadTemporary(basename(path)));
}

/** The name of an upload temporary: a dot, a name, 16 hex digits, a suffix. */
const UPLOAD_TEMPORARY = /^\..*\.[0-9a-f]{16}\.(?:part|resume)$/s;

/**
 * Whether `name` (one path segment) is an upload temporary: the hidden
 * sibling an upload is written into before it is committed
 * (`.NAME.<16 hex>.part`, or `.resume` for a resumable one). With uploads
 * on, such names are never listed, archived, served, or accepted as an
 * upload's name.
 */
export function isUploadTemporary(name: string): boolean {
  return name.charCodeAt(0) === 46 && UPLOAD_TEMPORARY.test(name);
}

/**
 * Whether the canonical path `real` may be served from `folder`: inside
 * its real path and, with dotfiles hidden, without a dot segment below it.
 */
export function servedReal(real: string, folder: ServedFolder): boolean {
  const root = folder.root;
  return root !== null && isInside(root, real) &&
    (folder.serveDotfiles || !hasDotSegment(root, real));
}

/**
 * Stats `path` (following symlinks, synchronously) after both checks: null
 * when it is refused or missing. Unless symlinks are followed, `real` of
 * the result is its canonical path.
 */
export function statServed(path: string, folder: ServedFolder): Found | null {
  if (refusedPath(path, folder)) return null;
  try {
    const info = Deno.statSync(path);
    if (folder.followSymlinks) return { info, real: path };
    const real = Deno.realPathSync(path);
    return servedReal(real, folder) ? { info, real } : null;
  } catch {
    return null;
  }
}

/** How a listed entry is shown. */
export interface ListedEntry {
  /** A folder, or a symlink to one (false for a dangling link). */
  isDirectory: boolean;
}

/**
 * Whether a listing shows `entry` of the folder `dir` (a path ending in a
 * separator), and an archive takes it: with dotfiles hidden no name that
 * starts with a dot; unless symlinks are followed, no symlink whose target
 * lies outside the folder's real path. A dangling symlink is shown, as in
 * Python. Null when hidden; `entry` itself unless it is a symlink (a
 * listing of 100,000 names makes no object per name).
 */
export function listedEntry(
  dir: string,
  entry: Deno.DirEntry,
  folder: ServedFolder,
): ListedEntry | null {
  if (!folder.serveDotfiles && entry.name.startsWith(".")) return null;
  if (folder.upload === true && isUploadTemporary(entry.name)) return null;
  if (!entry.isSymlink) return entry;
  let isDirectory: boolean;
  try {
    isDirectory = Deno.statSync(dir + entry.name).isDirectory;
    if (
      folder.root !== null &&
      !isInside(folder.root, Deno.realPathSync(dir + entry.name))
    ) return null;
  } catch {
    isDirectory = false; // a dangling link is listed, as in Python
  }
  return { isDirectory };
}

/**
 * The canonical path of `path`, which may not exist yet: the real path of
 * its deepest existing ancestor with the missing segments appended (and
 * normalised: a `..` after a missing folder climbs back lexically, as it
 * will once that folder is made). Null when `path` or an ancestor cannot be
 * resolved for another reason than being missing: a file in the way, no
 * permission, or a dangling symlink (a write would create its target,
 * wherever that is).
 */
export function realTarget(path: string): string | null {
  const missing: string[] = [];
  let current = path;
  while (true) {
    try {
      const real = Deno.realPathSync(current);
      return missing.length ? join(real, ...missing.reverse()) : real;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return null;
    }
    try {
      Deno.lstatSync(current);
      return null; // it is there, yet leads nowhere: a dangling symlink
    } catch { /* missing: look at its parent */ }
    const parent = dirname(current);
    if (parent === current) return null;
    missing.push(basename(current));
    current = parent;
  }
}

/**
 * Where a write to `path` (a file or folder that may not exist, below
 * folders that may not exist either) would land, or null when it may not:
 * the checks of {@linkcode refusedPath}, then, unless symlinks are followed,
 * {@linkcode servedReal} on its {@linkcode realTarget}. Check each folder
 * made on the way with {@linkcode statServed}.
 */
export function writableTarget(
  path: string,
  folder: ServedFolder,
): string | null {
  if (refusedPath(path, folder)) return null;
  if (folder.followSymlinks) return path;
  const real = realTarget(path);
  return real !== null && servedReal(real, folder) ? real : null;
}

/** Case-insensitive file systems, where `/CGI-BIN/` names `/cgi-bin/`. */
const FOLD_CASE = IS_WINDOWS || Deno.build.os === "darwin";

/**
 * `path` as {@linkcode isInside} may compare it with another: its real path
 * (else the path as written), without a trailing slash, case-folded where
 * names are. Null for a path with a NUL.
 */
export function comparablePath(path: string): string | null {
  if (path.includes("\0")) return null;
  let p = path;
  try {
    p = Deno.realPathSync(path);
  } catch { /* missing: compare as written */ }
  p = trimEndChars(p, "/\\") || "/";
  return FOLD_CASE ? p.toLowerCase() : p;
}
