// Copyright 2026 the httpserver authors. MIT license.
/**
 * The entries of a folder archive: exactly what the requester could
 * download one by one. Each name passes the containment rules the listing
 * and file serving use (dotfiles, symlinks that leave the served folder,
 * names the server hides such as upload temporaries); only regular files
 * and folders are taken, folders before their contents, empty folders kept,
 * names in the listing's order. A symlinked folder that leads back to one
 * of its ancestors is left out, so a loop cannot make the walk endless.
 * @module
 */
import { type ServedFolder, servedReal } from "../_files/containment.ts";
import { sortByLowerName } from "../_files/listing.ts";

/** One archive member. */
export interface ArchiveEntry {
  /** The member name: `top/sub/file.txt`, folders ending in `/`. */
  name: string;
  /** The file-system path to open (the real path for symlinks). */
  path: string;
  /** A folder. */
  directory: boolean;
  /** The size in bytes when walked (0 for folders). */
  size: number;
  /** The modification time, or null when the system has none. */
  mtime: Date | null;
  /** The permission bits, or null when the system has none. */
  mode: number | null;
}

/** What {@linkcode walkFolder} may take. */
export interface WalkRules {
  /** The served folder and its containment switches. */
  folder: ServedFolder;
  /** Names the server never shows (for example upload temporaries). */
  hidden?: (name: string) => boolean;
}

/**
 * Yields the members for the folder at `path` (already checked servable),
 * under the top-level name `top`. A folder that cannot be read (it vanished
 * or lost its permissions while the archive was being made) is kept as an
 * empty folder; files are stat-ed here and opened by the writer.
 */
export function* walkFolder(
  path: string,
  top: string,
  rules: WalkRules,
): Generator<ArchiveEntry> {
  const real = realOf(path);
  if (real === null) return;
  const info = statOf(path);
  if (!info?.isDirectory) return;
  yield folderEntry(`${top}/`, path, info);
  yield* walkInside(path, real, `${top}/`, rules, new Set([real]));
}

function* walkInside(
  dir: string,
  realDir: string,
  prefix: string,
  rules: WalkRules,
  ancestors: Set<string>,
): Generator<ArchiveEntry> {
  const { folder, hidden } = rules;
  let names: { name: string; isSymlink: boolean }[];
  try {
    names = [];
    for (const e of Deno.readDirSync(dir)) {
      if (!folder.serveDotfiles && e.name.startsWith(".")) continue;
      if (hidden?.(e.name)) continue;
      names.push({ name: e.name, isSymlink: e.isSymlink });
    }
  } catch {
    return; // Vanished or unreadable: the folder stays, empty.
  }
  const base = dir.endsWith("/") ? dir : dir + "/";
  const realBase = realDir.endsWith("/") ? realDir : realDir + "/";
  for (const { name, isSymlink } of sortByLowerName(names)) {
    const path = base + name;
    let real = realBase + name;
    if (isSymlink) {
      const resolved = realOf(path);
      if (resolved === null) continue; // dangling
      if (!folder.followSymlinks && !servedReal(resolved, folder)) continue;
      real = resolved;
    }
    const info = statOf(path);
    if (info === null) continue; // vanished since it was listed
    if (info.isFile) {
      yield {
        name: prefix + name,
        path: isSymlink ? real : path,
        directory: false,
        size: info.size,
        mtime: info.mtime,
        mode: info.mode === null ? null : info.mode & 0o7777,
      };
    } else if (info.isDirectory && !ancestors.has(real)) {
      const member = `${prefix}${name}/`;
      yield folderEntry(member, path, info);
      ancestors.add(real);
      yield* walkInside(path, real, member, rules, ancestors);
      ancestors.delete(real);
    }
  }
}

function folderEntry(
  name: string,
  path: string,
  info: Deno.FileInfo,
): ArchiveEntry {
  return {
    name,
    path,
    directory: true,
    size: 0,
    mtime: info.mtime,
    mode: info.mode === null ? null : info.mode & 0o7777,
  };
}

function realOf(path: string): string | null {
  try {
    return Deno.realPathSync(path);
  } catch {
    return null;
  }
}

function statOf(path: string): Deno.FileInfo | null {
  try {
    return Deno.statSync(path);
  } catch {
    return null;
  }
}
