// Copyright 2026 the httpserver authors. MIT license.
/**
 * Containment: whether a path below the served folder may be served. The
 * checks made before any file call (NUL, dotfile segments) and after
 * resolving the real path (inside the folder's real path, no dotfile in it).
 * @module
 */
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

/** The served folder, as the containment checks see it. */
export interface ServedFolder {
  /** The served folder, as `translatePath()` prefixes it. */
  directory: string;
  /** Its canonical path (see {@linkcode realRoot}); null when missing. */
  root: string | null;
  followSymlinks: boolean;
  serveDotfiles: boolean;
}

/**
 * The checks made before any file call: a NUL, or (with dotfiles hidden) a
 * segment below the folder that starts with a dot.
 */
export function refusedPath(path: string, folder: ServedFolder): boolean {
  return path.includes("\0") ||
    (!folder.serveDotfiles && hasDotSegment(folder.directory, path));
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
