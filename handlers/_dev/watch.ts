// Copyright 2026 the httpserver authors. MIT license.
/**
 * File watching for live reload: `Deno.watchFs` on the folders that are not
 * ignored, a trailing debounce so that a burst of events (an editor's atomic
 * save, a checkout of hundreds of files) is reported once, and polling when
 * the system cannot watch (inotify's limit reached).
 *
 * `Deno.watchFs` has no exclude option and inotify needs one watch per
 * folder, so the tree is walked first: folders with nothing ignored below
 * them are watched recursively, the others without recursion, each of their
 * non-ignored subfolders planned in turn. A new folder where no recursive
 * watch covers it re-plans the tree.
 * @module
 */
import { matchesGlob } from "node:path";
import { trimEndChars } from "../../_text.ts";

/** Folder names never watched (the union of the peers' defaults). */
const IGNORED_NAMES = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  "bower_components",
  "jspm_packages",
  ".sass-cache",
  ".idea",
  ".vscode",
  "test-results",
  "__pycache__",
]);

/**
 * Whether a name is ignored on its own: the folders above, names starting
 * with a dot (but `.well-known`) or `#`, editor temporaries (`~`, `.swp`,
 * `.swx`, `.swo`, `.tmp`, `__` at the end, vim's `4913` probe).
 */
export function ignoredName(name: string): boolean {
  if (IGNORED_NAMES.has(name)) return true;
  if (name.startsWith(".")) return name !== ".well-known";
  return name.startsWith("#") || name.endsWith("~") || name.endsWith("__") ||
    /\.(?:swp|swx|swo|tmp)$/i.test(name) || name === "4913";
}

/**
 * The ignore rule for paths below the watched folder (`/`-separated, no
 * leading slash): a segment {@linkcode ignoredName} refuses, or a user glob
 * (matched against each name when it has no `/`, else against the path).
 */
export function ignoreRule(globs: readonly string[]): (rel: string) => boolean {
  const byName = globs.filter((g) => !g.includes("/"));
  const byPath = globs.filter((g) => g.includes("/")).map((g) =>
    g.startsWith("/") ? g.slice(1) : g
  );
  return (rel) => {
    const names = rel.split("/");
    for (const name of names) {
      if (ignoredName(name)) return true;
      for (const g of byName) if (matchesGlob(name, g)) return true;
    }
    for (const g of byPath) if (matchesGlob(rel, g)) return true;
    return false;
  };
}

/** The folders to watch with and without recursion. */
export interface WatchPlan {
  recursive: string[];
  flat: string[];
}

function join(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/**
 * Walks `root` (symlinked folders are not followed) and plans the watches:
 * a folder with no ignored folder below it is covered by one recursive
 * watch; a folder with one is watched alone and its other subfolders are
 * planned in turn.
 */
export function planWatches(
  root: string,
  ignored: (rel: string) => boolean,
): WatchPlan {
  const plan: WatchPlan = { recursive: [], flat: [] };
  const visit = (dir: string, rel: string): boolean => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return true;
    }
    let clean = true;
    const children: [string, boolean][] = [];
    for (const e of entries) {
      if (!e.isDirectory) continue;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (ignored(childRel)) {
        clean = false;
        continue;
      }
      const path = join(dir, e.name);
      const childClean = visit(path, childRel);
      if (!childClean) clean = false;
      children.push([path, childClean]);
    }
    if (!clean) {
      plan.flat.push(dir);
      for (const [path, ok] of children) if (ok) plan.recursive.push(path);
    }
    return clean;
  };
  if (visit(root, "")) plan.recursive.push(root);
  return plan;
}

/**
 * A burst with this many events may have lost some: Deno queues at most 16
 * undelivered events per watcher and drops the rest, so while the event
 * loop is busy a large burst arrives in part. Such a burst (or one with
 * notify's `rescan` flag, sent when the kernel's queue overflowed) is
 * reported as incomplete, and pages reload rather than swap stylesheets.
 */
export const LOSSY_BURST = 64;

/** What `Deno.watchFs` returns, as the watcher uses it. */
export interface FsWatcherLike extends AsyncIterable<Deno.FsEvent> {
  close(): void;
}

/** `Deno.watchFs`, or a stand-in (tests simulate failures with one). */
export type WatchFs = (
  paths: string[],
  options: { recursive: boolean },
) => FsWatcherLike;

/** Settings of a {@linkcode TreeWatcher}. */
export interface TreeWatcherOptions {
  /** The folder watched, as a canonical path. */
  root: string;
  /** Which paths below `root` to leave out (see {@linkcode ignoreRule}). */
  ignored: (rel: string) => boolean;
  /**
   * Called with the changed URL paths (`/css/site.css`), sorted, and whether
   * the list may be incomplete (events were lost: see {@linkcode LOSSY_BURST}).
   */
  onChange: (paths: string[], incomplete: boolean) => void;
  /** Called with one line about the watcher (the polling fallback). */
  onLog?: (message: string) => void;
  /** Milliseconds between scans when polling (1000). */
  pollInterval?: number;
  /**
   * Milliseconds of quiet that end a burst of events (100); a burst of
   * {@linkcode LOSSY_BURST} events or more (a checkout, a build) waits five
   * times as long, since such operations pause between files under load.
   */
  debounce?: number;
  /** Longest a burst is held before it is reported anyway (5000). */
  maxWait?: number;
  /** The watching function (`Deno.watchFs`). */
  watchFs?: WatchFs;
}

/**
 * Watches the non-ignored files below a folder and reports changes in
 * bursts; falls back to polling when watching fails.
 */
export class TreeWatcher {
  #o: Required<Omit<TreeWatcherOptions, "onLog">> & {
    onLog: (m: string) => void;
  };
  #watchers: FsWatcherLike[] = [];
  #flat = new Set<string>();
  #pending = new Set<string>();
  #replan = false;
  #burst = 0;
  #lossy = false;
  #firstAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #snapshot = new Map<string, string>();
  #closed = false;
  /** Work that `close()` waits for: pumps, scans. */
  #tasks = new Set<Promise<unknown>>();
  /** `"watch"`, `"poll"` (the fallback) or `"closed"`. */
  mode: "watch" | "poll" | "closed" = "watch";

  constructor(options: TreeWatcherOptions) {
    this.#o = {
      root: trimEndChars(options.root, "/") || "/",
      ignored: options.ignored,
      onChange: options.onChange,
      onLog: options.onLog ?? (() => {}),
      pollInterval: options.pollInterval ?? 1000,
      debounce: options.debounce ?? 100,
      maxWait: options.maxWait ?? 5000,
      watchFs: options.watchFs ?? Deno.watchFs,
    };
  }

  /** Starts watching (or polling, when watching fails). */
  start(): void {
    if (this.#closed) return;
    try {
      this.#open();
    } catch (error) {
      this.#track(this.#fallback(error));
    }
  }

  #track(task: Promise<unknown>): void {
    this.#tasks.add(task);
    task.finally(() => this.#tasks.delete(task));
  }

  #open(): void {
    const plan = planWatches(this.#o.root, this.#o.ignored);
    this.#flat = new Set(plan.flat);
    const lists: [string[], boolean][] = [
      [plan.recursive, true],
      [plan.flat, false],
    ];
    for (const [paths, recursive] of lists) {
      if (paths.length === 0) continue;
      const w = this.#o.watchFs(paths, { recursive });
      this.#watchers.push(w);
      this.#track(this.#pump(w));
    }
  }

  async #pump(w: FsWatcherLike): Promise<void> {
    try {
      for await (const event of w) this.#onEvent(event);
    } catch (error) {
      if (!this.#closed && this.#watchers.includes(w)) {
        await this.#fallback(error);
      }
    }
  }

  #closeWatchers(): void {
    const watchers = this.#watchers;
    this.#watchers = [];
    for (const w of watchers) {
      try {
        w.close();
      } catch { /* already closed */ }
    }
  }

  #rel(path: string): string | null {
    const root = this.#o.root;
    if (path === root) return "";
    const prefix = root === "/" ? "/" : root + "/";
    return path.startsWith(prefix) ? path.slice(prefix.length) : null;
  }

  #onEvent(event: Deno.FsEvent): void {
    let touched = false;
    this.#burst++;
    if (event.flag === "rescan") {
      this.#lossy = true;
      touched = true;
    }
    for (const path of event.paths) {
      const rel = this.#rel(path);
      if (rel === null || rel === "") continue;
      if (
        (event.kind === "create" || event.kind === "rename") &&
        this.#newFolder(path, rel)
      ) {
        this.#replan = true;
        touched = true;
      }
      if (this.#o.ignored(rel)) continue;
      this.#pending.add("/" + rel);
      touched = true;
    }
    if (touched) this.#schedule();
  }

  /** Whether `path` is a new folder the current plan does not cover right. */
  #newFolder(path: string, rel: string): boolean {
    let isDir = false;
    try {
      isDir = Deno.lstatSync(path).isDirectory;
    } catch {
      return false;
    }
    if (!isDir) return false;
    const slash = path.lastIndexOf("/");
    const parent = slash > 0 ? path.slice(0, slash) : "/";
    // An ignored folder inside a recursive watch must be taken out of it; a
    // folder in a folder watched alone must be added.
    return this.#o.ignored(rel)
      ? !this.#flat.has(parent)
      : this.#flat.has(parent);
  }

  #schedule(): void {
    const now = performance.now();
    if (this.#firstAt === 0) this.#firstAt = now;
    clearTimeout(this.#timer);
    const quiet = this.#burst >= LOSSY_BURST
      ? this.#o.debounce * 5
      : this.#o.debounce;
    const wait = Math.min(
      quiet,
      this.#firstAt + this.#o.maxWait - now,
    );
    this.#timer = setTimeout(() => this.#flush(), Math.max(0, wait));
  }

  #flush(): void {
    this.#timer = undefined;
    this.#firstAt = 0;
    if (this.#closed) return;
    if (this.#replan && this.mode === "watch") {
      this.#replan = false;
      this.#closeWatchers();
      try {
        this.#open();
      } catch (error) {
        this.#track(this.#fallback(error));
      }
    }
    const paths = [...this.#pending].sort();
    const incomplete = this.#lossy || this.#burst >= LOSSY_BURST;
    this.#pending.clear();
    this.#burst = 0;
    this.#lossy = false;
    if (paths.length || incomplete) this.#o.onChange(paths, incomplete);
  }

  async #fallback(error: unknown): Promise<void> {
    if (this.#closed || this.mode === "poll") return;
    this.mode = "poll";
    this.#closeWatchers();
    const message = error instanceof Error ? error.message : String(error);
    const limit = /os error 28|no space left|too many|limit/i.test(message)
      ? "; on Linux, raise the limit with `sudo sysctl " +
        "fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=1024`"
      : "";
    this.#o.onLog(
      `Live reload: cannot watch files (${message}); polling every ` +
        `${this.#o.pollInterval} ms instead${limit}`,
    );
    this.#snapshot = await this.#scan();
    this.#armPoll();
  }

  #armPoll(): void {
    if (this.#closed) return;
    this.#pollTimer = setTimeout(
      () => this.#track(this.#poll()),
      this.#o.pollInterval,
    );
  }

  async #poll(): Promise<void> {
    const next = await this.#scan();
    if (this.#closed) return;
    const changed: string[] = [];
    for (const [rel, sig] of next) {
      if (this.#snapshot.get(rel) !== sig) changed.push("/" + rel);
    }
    for (const rel of this.#snapshot.keys()) {
      if (!next.has(rel)) changed.push("/" + rel);
    }
    this.#snapshot = next;
    if (changed.length) this.#o.onChange(changed.sort(), false);
    this.#armPoll();
  }

  /** Size, mtime and inode of every non-ignored file below the root. */
  async #scan(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: Deno.DirEntry[];
      try {
        entries = await Array.fromAsync(Deno.readDir(dir));
      } catch {
        return;
      }
      for (const e of entries) {
        if (this.#closed) return;
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (this.#o.ignored(childRel)) continue;
        const path = join(dir, e.name);
        if (e.isDirectory) await walk(path, childRel);
        else if (e.isFile) {
          try {
            const info = await Deno.stat(path);
            out.set(
              childRel,
              `${info.size}:${info.mtime?.getTime()}:${info.ino}`,
            );
          } catch { /* gone meanwhile */ }
        }
      }
    };
    await walk(this.#o.root, "");
    return out;
  }

  /** Stops watching or polling; pending changes are dropped. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.mode = "closed";
    clearTimeout(this.#timer);
    clearTimeout(this.#pollTimer);
    this.#closeWatchers();
    while (this.#tasks.size) await Promise.allSettled([...this.#tasks]);
  }
}
