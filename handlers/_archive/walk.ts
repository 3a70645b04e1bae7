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
import { type ServedFolder, statServed } from "../_files/containment.ts";
import { readListing } from "../_files/listing.ts";

/** One archive member. */
export interface ArchiveEntry {
  /** The member name: `top/sub/file.txt`, folders ending in `/`. */
  name: string;
  /** The file-system path to open (the real path unless links are followed). */
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

/**
 * Yields the members for the folder at `path` (already checked servable)
 * of `folder`, under the top-level name `top`: the entries a listing shows
 * ({@linkcode listedEntry}) that a download may read ({@linkcode
 * statServed}). A folder that cannot be read (it vanished or lost its
 * permissions while the archive was being made) is kept as an empty
 * folder; files are stat-ed here and opened by the writer.
 */
export function* walkFolder(
  path: string,
  top: string,
  folder: ServedFolder,
): Generator<ArchiveEntry> {
  const found = statServed(path, folder);
  if (!found?.info.isDirectory) return;
  const real = realOf(path);
  if (real === null) return;
  yield member(`${top}/`, path, found.info);
  yield* walkInside(path, `${top}/`, folder, new Set([real]));
}

function* walkInside(
  dir: string,
  prefix: string,
  folder: ServedFolder,
  ancestors: Set<string>,
): Generator<ArchiveEntry> {
  const base = dir.endsWith("/") ? dir : dir + "/";
  let names: { name: string }[];
  try {
    names = readListing(dir, folder);
  } catch {
    return; // Vanished or unreadable: the folder stays, empty.
  }
  for (const { name } of names) {
    const path = base + name;
    const found = statServed(path, folder);
    if (found === null) continue; // refused, dangling or vanished
    const { info } = found;
    if (info.isFile) {
      yield member(prefix + name, found.real, info);
    } else if (info.isDirectory) {
      const real = folder.followSymlinks ? realOf(path) : found.real;
      if (real === null || ancestors.has(real)) continue; // a loop
      const child = `${prefix}${name}/`;
      yield member(child, path, info);
      ancestors.add(real);
      yield* walkInside(path, child, folder, ancestors);
      ancestors.delete(real);
    }
  }
}

function member(name: string, path: string, info: Deno.FileInfo): ArchiveEntry {
  const directory = info.isDirectory;
  return {
    name,
    path,
    directory,
    size: directory ? 0 : info.size,
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
