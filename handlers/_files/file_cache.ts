// Copyright 2026 the httpserver authors. MIT license.
/**
 * The small-file cache of `SimpleHTTPRequestHandler`: whole small files and
 * their canonical paths, shared by every connection of the process, so that
 * a repeated request costs one `stat` instead of `stat`, `realPath`, `open`,
 * `read` and `close`.
 *
 * Invalidation. An entry is used only while a fresh `stat` of the request's
 * path reports the same device, inode, size, mode, link count, mtime and
 * ctime as the file it was read from (the open file's own `fstat`, taken
 * after the read). Any write, truncation, `chmod`, `chown`, `utime`, rename
 * over, new or removed hard link changes the ctime or the inode. Deno reports
 * ctime in whole seconds, so a file is cached only when its ctime and mtime
 * are at least {@linkcode FileCacheOptions.minAgeMs} (2 s) older than the
 * moment it was looked up, before it was read: any later change then falls
 * in a later second and shows.
 *
 * Containment. A hit never opens a path: it serves bytes read, after the
 * containment checks, from the same unchanged inode. Its canonical
 * path is resolved again (`realPath`) on every hit when the path went
 * through a symlink (so retargeting a link misses at once, even to a hard
 * link of the same file), and at least every
 * {@linkcode FileCacheOptions.recheckMs} (1 s) otherwise, so a folder moved
 * out of the served tree and linked back stops being served within a
 * second. A file swapped or replaced in any other way has another inode or
 * ctime and misses.
 * @module
 */
import { IS_WINDOWS } from "./url.ts";
import { makeEtag } from "./conditional.ts";
import {
  type FolderRules,
  type Found,
  realRoot,
  refusedPath,
  type ServedFolder,
  servedFolder,
  servedReal,
} from "./containment.ts";

/** A lookup through the cache: a hit carries the file's bytes. */
export interface CachedLookup extends Found {
  /** The whole file, held by the cache (shared: never modify it), or null. */
  data: Uint8Array | null;
  /** The translated path looked up: the cache key. */
  key: string;
  /** `realPath` of the key when it was checked; null with followSymlinks. */
  canonical: string | null;
  /** `Date.now()` after the stat of a miss (the age rule); 0 on a hit. */
  lookedUpAt: number;
  /** `performance.now()` of the `realPath` call of a miss. */
  resolvedAt: number;
  /** The folder the lookup was checked against. */
  folder: ServedFolder;
  /** The file's `ETag` on a hit (made once per cached file); null on a miss. */
  etag: string | null;
}

/** Limits of a {@linkcode FileCache}. */
export interface FileCacheOptions {
  /** Most files held (1024). */
  maxEntries?: number;
  /** Most bytes of file data held (16 MiB). */
  maxBytes?: number;
  /** Largest file held (64 KiB). */
  maxFileSize?: number;
  /** Files whose ctime or mtime is younger than this are not held (2000). */
  minAgeMs?: number;
  /** Milliseconds a canonical path (file or root) is trusted (1000). */
  recheckMs?: number;
}

interface Entry {
  dev: number;
  ino: number;
  size: number;
  mode: number | null;
  nlink: number | null;
  mtimeMs: number;
  ctimeMs: number;
  data: Uint8Array;
  /** `realPath` of the key, null until a containment check needed it. */
  canonical: string | null;
  /** `canonical` is the lexical path for `directRoot` + `directDir`. */
  direct: boolean;
  directDir: string;
  directRoot: string | null;
  /** `performance.now()` when `canonical` was resolved. */
  resolvedAt: number;
  /** The file's `ETag`. */
  etag: string;
  /** `#ticks` when the entry last moved to the end of the order. */
  movedAt: number;
}

function sameFile(e: Entry, info: Deno.FileInfo): boolean {
  return e.ino === info.ino && e.ctimeMs === info.ctime?.getTime() &&
    e.mtimeMs === info.mtime?.getTime() && e.size === info.size &&
    e.dev === info.dev && e.mode === info.mode && e.nlink === info.nlink;
}

const SEP = IS_WINDOWS ? "\\" : "/";

/**
 * The canonical path `key` would have if no symlink lay between the served
 * folder and the file: `root` joined with the key's part below `directory`.
 */
function lexicalPath(
  key: string,
  folder: ServedFolder,
  root: string,
): string | null {
  if (!key.startsWith(folder.directory)) return null;
  let rel = key.slice(folder.directory.length);
  while (rel.startsWith("/") || rel.startsWith(SEP)) rel = rel.slice(1);
  if (rel === "") return root;
  return root.endsWith(SEP) ? root + rel : root + SEP + rel;
}

/**
 * A bounded, least-recently-used cache of whole small files, keyed by the
 * translated request path (see the module notes for the rules).
 */
export class FileCache {
  /** Most files held. */
  readonly maxEntries: number;
  /** Most bytes of file data held. */
  readonly maxBytes: number;
  /** Largest file held. */
  readonly maxFileSize: number;
  /** Files whose ctime or mtime is younger than this are not held. */
  readonly minAgeMs: number;
  /** Milliseconds a canonical path is trusted without a new `realPath`. */
  readonly recheckMs: number;
  #entries = new Map<string, Entry>();
  #bytes = 0;
  /** Hits and stores so far, the clock of the least-recently-used order. */
  #ticks = 0;
  #roots = new Map<string, { real: string | null; at: number }>();
  #resolveRoot = (directory: string) => this.realRoot(directory);

  constructor(options: FileCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1024;
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.maxFileSize = Math.min(options.maxFileSize ?? 65536, this.maxBytes);
    this.minAgeMs = options.minAgeMs ?? 2000;
    this.recheckMs = options.recheckMs ?? 1000;
  }

  /** Files held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes of file data held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether a file is held for `key`. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Forgets every file and every root. */
  clear(): void {
    this.#entries.clear();
    this.#roots.clear();
    this.#bytes = 0;
  }

  /**
   * The canonical path of the served folder `directory` (null when it is
   * missing), shared by all connections and resolved again after
   * `recheckMs`, or now when `fresh`.
   */
  realRoot(directory: string, fresh = false): string | null {
    const now = performance.now();
    const known = this.#roots.get(directory);
    if (!fresh && known !== undefined && now - known.at < this.recheckMs) {
      return known.real;
    }
    const real = realRoot(directory);
    if (known === undefined && this.#roots.size >= 64) this.#roots.clear();
    this.#roots.set(directory, { real, at: now });
    return real;
  }

  /**
   * Stats `path` (following symlinks, synchronously) after the containment
   * checks of `containment.ts` (`refusedPath()`, then `servedReal()` on its
   * real path unless symlinks are followed), against the root this cache
   * holds. A hit also carries the file's bytes. Null when refused or
   * missing.
   */
  lookup(path: string, rules: FolderRules): CachedLookup | null {
    const folder = servedFolder(rules, this.#resolveRoot);
    if (refusedPath(path, folder)) return null;
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch {
      this.#drop(path);
      return null;
    }
    const entry = this.#entries.get(path);
    if (entry !== undefined) {
      if (sameFile(entry, info)) return this.#hit(path, entry, info, folder);
      this.#drop(path);
    }
    const found: CachedLookup = {
      info,
      real: path,
      data: null,
      key: path,
      canonical: null,
      lookedUpAt: Date.now(),
      resolvedAt: 0,
      folder,
      etag: null,
    };
    if (folder.followSymlinks) return found;
    let real: string;
    try {
      real = Deno.realPathSync(path);
    } catch {
      return null;
    }
    if (!this.#contained(real, folder)) return null;
    found.real = found.canonical = real;
    found.resolvedAt = performance.now();
    return found;
  }

  /** A lookup that found `entry` for `path`, with the same metadata. */
  #hit(
    path: string,
    entry: Entry,
    info: Deno.FileInfo,
    folder: ServedFolder,
  ): CachedLookup | null {
    let real = path;
    if (!folder.followSymlinks) {
      const now = performance.now();
      if (
        entry.canonical === null || !entry.direct ||
        entry.directDir !== folder.directory ||
        entry.directRoot !== folder.root ||
        now - entry.resolvedAt >= this.recheckMs
      ) {
        // Through a symlink, or not checked for a while: resolve again.
        let canonical: string;
        try {
          canonical = Deno.realPathSync(path);
        } catch {
          this.#drop(path);
          return null;
        }
        entry.canonical = canonical;
        entry.resolvedAt = now;
        entry.direct = false;
        if (!this.#contained(canonical, folder)) return null;
        entry.direct = folder.root !== null &&
          canonical === lexicalPath(path, folder, folder.root);
        entry.directDir = folder.directory;
        entry.directRoot = folder.root;
      } else if (!this.#contained(entry.canonical, folder)) return null;
      real = entry.canonical;
    }
    // Least recently used first: move this entry to the end, unless it was
    // moved within the last quarter-cache of hits and stores (moving it on
    // every hit costs; a small cache stays exact).
    const tick = ++this.#ticks;
    if (tick - entry.movedAt >= this.#entries.size >> 2) {
      entry.movedAt = tick;
      this.#entries.delete(path);
      this.#entries.set(path, entry);
    }
    return {
      info,
      real,
      data: entry.data,
      key: path,
      canonical: entry.canonical,
      lookedUpAt: 0,
      resolvedAt: entry.resolvedAt,
      folder,
      etag: entry.etag,
    };
  }

  /**
   * Whether the canonical path `real` may be served from `folder`. A
   * refusal is checked again against the root resolved afresh, since the
   * served folder may have been moved or relinked since it was resolved.
   */
  #contained(real: string, folder: ServedFolder): boolean {
    if (servedReal(real, folder)) return true;
    const fresh = this.realRoot(folder.directory, true);
    if (fresh === folder.root) return false;
    folder.root = fresh;
    return servedReal(real, folder);
  }

  /**
   * Keeps `data`, the whole content of the file `found` names, read from
   * `file` (still open), when the file is small, old enough, and the open
   * file is still the file that passed the checks, unchanged. Returns
   * whether it was kept.
   */
  store(found: CachedLookup, file: Deno.FsFile, data: Uint8Array): boolean {
    const info = found.info;
    if (
      found.lookedUpAt === 0 || !info.isFile || info.ino === null ||
      data.length !== info.size || info.size > this.maxFileSize ||
      this.#entries.has(found.key)
    ) return false;
    const { canonical, folder } = found;
    const mtimeMs = info.mtime?.getTime();
    const ctimeMs = info.ctime?.getTime();
    if (
      mtimeMs === undefined || ctimeMs === undefined ||
      found.lookedUpAt - ctimeMs < this.minAgeMs ||
      found.lookedUpAt - mtimeMs < this.minAgeMs
    ) return false;
    const entry: Entry = {
      dev: info.dev,
      ino: info.ino,
      size: info.size,
      mode: info.mode,
      nlink: info.nlink,
      mtimeMs,
      ctimeMs,
      data,
      canonical,
      direct: canonical !== null && folder.root !== null &&
        canonical === lexicalPath(found.key, folder, folder.root),
      directDir: folder.directory,
      directRoot: folder.root,
      resolvedAt: found.resolvedAt,
      etag: makeEtag(info.size, mtimeMs, info.ino),
      movedAt: ++this.#ticks,
    };
    // The bytes must come from the inode that was checked, unchanged while
    // it was read: compare the open file's own metadata.
    let opened: Deno.FileInfo;
    try {
      opened = file.statSync();
    } catch {
      return false;
    }
    if (!sameFile(entry, opened)) return false;
    while (
      this.#entries.size > 0 &&
      (this.#entries.size >= this.maxEntries ||
        this.#bytes + data.length > this.maxBytes)
    ) {
      this.#drop(this.#entries.keys().next().value!);
    }
    this.#entries.set(found.key, entry);
    this.#bytes += data.length;
    return true;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.data.length;
  }
}

/** The cache shared by every `SimpleHTTPRequestHandler` of the process. */
export const fileCache: FileCache = new FileCache();
