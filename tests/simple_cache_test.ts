// Copyright 2026 the httpserver authors. MIT license.
// The small-file cache of SimpleHTTPRequestHandler (handlers/_file_cache.ts):
// a hit costs one stat; every change to the file, a retargeted symlink or a
// swapped folder misses or is refused; files changed in the last two seconds
// are never held; the cache stays within its bounds.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { FileCache, fileCache } from "../handlers/_files/file_cache.ts";
import { serveDirectory } from "./_simple_fixture.ts";
import { header, type RawResponse, request } from "./_raw_client.ts";

const posix = Deno.build.os !== "windows";

/** Files that the cache may hold: created, then aged past its 2 s rule. */
interface Aged {
  /** The served folder. */
  root: string;
  /** A folder next to it, outside what is served. */
  outside: string;
}

let agedFixture: Promise<Aged> | null = null;

/** The shared fixture, made once per test file (about two seconds). */
function aged(): Promise<Aged> {
  agedFixture ??= makeAged();
  return agedFixture;
}

async function makeAged(): Promise<Aged> {
  const base = await Deno.makeTempDir({ prefix: "simple_cache_test_" });
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(base, { recursive: true });
    } catch { /* already gone */ }
  });
  const root = `${base}/root`;
  const outside = `${base}/outside`;
  const files: Record<string, string> = {
    "root/hot.txt": "hot file",
    "root/rewrite.txt": "version-1",
    "root/a.txt": "AAAA-inside",
    "root/b.txt": "BBBB-inside",
    "root/h.txt": "HHHH-inside",
    "root/mode.txt": "mode bytes",
    "root/del.txt": "delete me",
    "root/over.txt": "old-content",
    "root/over.new": "new-content",
    "root/range.txt": "0123456789",
    "root/s1.txt": "store-one",
    "root/s2.txt": "store-two",
    "root/s3.txt": "store-three",
    "root/.env": "DOTENV=1",
    "root/sub/f.txt": "FFFF-inside",
    "root/moved/m.txt": "MMMM-moved",
    "outside/secret.txt": "SSSS-secret",
    "outside/sub/f.txt": "GGGG-secret",
  };
  await Deno.mkdir(`${root}/sub`, { recursive: true });
  await Deno.mkdir(`${root}/moved`);
  await Deno.mkdir(`${outside}/sub`, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${base}/${name}`, text);
  }
  await Deno.writeFile(`${root}/big.bin`, new Uint8Array(70_000));
  if (posix) {
    await Deno.link(`${root}/h.txt`, `${outside}/hard.txt`);
    await Deno.symlink("a.txt", `${root}/link`);
    await Deno.symlink("h.txt", `${root}/hlink`);
    await Deno.symlink(".env", `${root}/visible`);
    await Deno.symlink(`${outside}/secret.txt`, `${root}/linkout`);
  }
  // Deno reports ctime in whole seconds; the cache holds a file once its
  // ctime is 2 s old.
  let newest = 0;
  for (const name of [...Object.keys(files), "root/big.bin"]) {
    const info = await Deno.stat(`${base}/${name}`);
    newest = Math.max(newest, info.ctime!.getTime(), info.mtime!.getTime());
  }
  const wait = newest + fileCache.minAgeMs + 50 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  return { root, outside };
}

function get(
  port: number,
  path: string,
  headers = "",
  method = "GET",
): Promise<RawResponse> {
  return request(port, `${method} ${path} HTTP/1.0\r\n${headers}\r\n`, {
    head: method === "HEAD",
  });
}

/** Counts the file calls the server makes, by name and path. */
class FileCalls implements Disposable {
  calls: [string, string][] = [];
  #saved: [string, unknown][] = [];

  constructor() {
    const ns = Deno as unknown as Record<string, unknown>;
    for (const name of ["openSync", "realPathSync", "statSync"]) {
      const original = ns[name] as (...args: unknown[]) => unknown;
      this.#saved.push([name, original]);
      ns[name] = (...args: unknown[]) => {
        this.calls.push([name, String(args[0])]);
        return original(...args);
      };
    }
  }

  /** Calls of `name` on `path` since the last reset. */
  count(name: string, path: string): number {
    return this.calls.filter(([n, p]) => n === name && p === path).length;
  }

  reset(): void {
    this.calls = [];
  }

  [Symbol.dispose](): void {
    const ns = Deno as unknown as Record<string, unknown>;
    for (const [name, fn] of this.#saved) ns[name] = fn;
  }
}

Deno.test("SimpleHTTPRequestHandler serves a cached small file with one stat and no open", async () => {
  const { root } = await aged();
  await using s = serveDirectory(root);
  const key = `${root}/hot.txt`;
  ok(!fileCache.has(key));
  using calls = new FileCalls();
  const first = await get(s.port, "/hot.txt");
  strictEqual(first.status, 200);
  strictEqual(first.text, "hot file");
  strictEqual(calls.count("openSync", key), 1);
  strictEqual(calls.count("realPathSync", key), 1);
  ok(fileCache.has(key), "the aged file is held after the first GET");
  calls.reset();
  const second = await get(s.port, "/hot.txt");
  strictEqual(second.status, 200);
  strictEqual(second.text, "hot file");
  deepStrictEqual(
    second.headers,
    first.headers.map(([n, v]) =>
      n === "Date" ? [n, header(second, "Date")!] : [n, v]
    ),
  );
  strictEqual(calls.count("statSync", key), 1);
  strictEqual(calls.count("openSync", key), 0, "a hit does not open");
  strictEqual(calls.count("realPathSync", key), 0, "a hit does not resolve");
});

Deno.test("SimpleHTTPRequestHandler answers HEAD, Range and conditional requests from a cached file", async () => {
  const { root } = await aged();
  await using s = serveDirectory(root);
  const key = `${root}/range.txt`;
  const full = await get(s.port, "/range.txt");
  strictEqual(full.text, "0123456789");
  ok(fileCache.has(key));
  using calls = new FileCalls();
  const head = await get(s.port, "/range.txt", "", "HEAD");
  strictEqual(head.status, 200);
  strictEqual(header(head, "Content-Length"), "10");
  const part = await get(s.port, "/range.txt", "Range: bytes=2-4\r\n");
  strictEqual(part.status, 206);
  strictEqual(part.text, "234");
  strictEqual(header(part, "Content-Range"), "bytes 2-4/10");
  const etag = header(full, "ETag")!;
  const notModified = await get(
    s.port,
    "/range.txt",
    `If-None-Match: ${etag}\r\n`,
  );
  strictEqual(notModified.status, 304);
  const unsatisfiable = await get(s.port, "/range.txt", "Range: bytes=20-\r\n");
  strictEqual(unsatisfiable.status, 416);
  strictEqual(header(unsatisfiable, "Content-Range"), "bytes */10");
  strictEqual(calls.count("openSync", key), 0);
  // The cached bytes were not changed by serving parts of them.
  strictEqual((await get(s.port, "/range.txt")).text, "0123456789");
});

Deno.test("SimpleHTTPRequestHandler's cache misses after a same-size rewrite that keeps the mtime", async () => {
  const { root } = await aged();
  await using s = serveDirectory(root);
  const path = `${root}/rewrite.txt`;
  strictEqual((await get(s.port, "/rewrite.txt")).text, "version-1");
  ok(fileCache.has(path));
  const before = await Deno.stat(path);
  await Deno.writeTextFile(path, "version-2");
  await Deno.utime(path, before.atime!, before.mtime!);
  const after = await Deno.stat(path);
  strictEqual(after.size, before.size);
  strictEqual(after.mtime!.getTime(), before.mtime!.getTime());
  strictEqual(after.ino, before.ino);
  ok(after.ctime!.getTime() > before.ctime!.getTime(), "ctime moved on");
  using calls = new FileCalls();
  const res = await get(s.port, "/rewrite.txt");
  strictEqual(res.text, "version-2");
  strictEqual(calls.count("openSync", path), 1, "read again from disk");
  ok(!fileCache.has(path), "a file changed just now is not held");
});

Deno.test({
  name:
    "SimpleHTTPRequestHandler's cache follows a symlink retargeted inside and out of the folder",
  ignore: !posix,
  async fn() {
    const { root, outside } = await aged();
    await using s = serveDirectory(root);
    const link = `${root}/link`;
    const retarget = async (target: string) => {
      await Deno.remove(link);
      await Deno.symlink(target, link);
    };
    strictEqual((await get(s.port, "/link")).text, "AAAA-inside");
    ok(fileCache.has(link), "held under the link's path");
    // Same size, another file inside: the stat's inode differs.
    await retarget("b.txt");
    strictEqual((await get(s.port, "/link")).text, "BBBB-inside");
    // Same size, a file outside: refused as without the cache.
    await retarget(`${outside}/secret.txt`);
    strictEqual((await get(s.port, "/link")).status, 404);
    ok(!fileCache.has(link));
    await retarget("a.txt");
    strictEqual((await get(s.port, "/link")).text, "AAAA-inside");
    ok(fileCache.has(link));
    // A hard link outside to the very inode held: the stat cannot tell,
    // the symlinked path is resolved again on every hit.
    await retarget(`${outside}/secret.txt`);
    await Deno.remove(link);
    await Deno.symlink("h.txt", link);
    strictEqual((await get(s.port, "/link")).text, "HHHH-inside");
    ok(fileCache.has(link));
    await retarget(`${outside}/hard.txt`);
    const res = await get(s.port, "/link");
    strictEqual(res.status, 404);
    strictEqual(res.text.includes("HHHH"), false);
    // A link that never moved keeps being served from the cache.
    strictEqual((await get(s.port, "/hlink")).text, "HHHH-inside");
    strictEqual((await get(s.port, "/hlink")).text, "HHHH-inside");
    ok(fileCache.has(`${root}/hlink`));
  },
});

Deno.test({
  name:
    "SimpleHTTPRequestHandler's cache never serves a folder swapped for a symlink that leaves it",
  ignore: !posix,
  async fn() {
    const { root, outside } = await aged();
    await using s = serveDirectory(root);
    strictEqual((await get(s.port, "/sub/f.txt")).text, "FFFF-inside");
    strictEqual((await get(s.port, "/moved/m.txt")).text, "MMMM-moved");
    ok(fileCache.has(`${root}/sub/f.txt`));
    ok(fileCache.has(`${root}/moved/m.txt`));
    // sub/ is moved aside and replaced by a link to an outside folder with
    // a file of the same name and size: another inode, refused at once.
    await Deno.rename(`${root}/sub`, `${root}/sub-old`);
    await Deno.symlink(`${outside}/sub`, `${root}/sub`);
    const swapped = await get(s.port, "/sub/f.txt");
    strictEqual(swapped.status, 404);
    strictEqual(swapped.text.includes("GGGG"), false);
    // moved/ itself is moved out and linked back: the same inode, unchanged.
    // The bytes held are the ones served before; within the recheck
    // interval they may still be served, after it the path is refused.
    await Deno.rename(`${root}/moved`, `${outside}/moved`);
    await Deno.symlink(`${outside}/moved`, `${root}/moved`);
    const soon = await get(s.port, "/moved/m.txt");
    ok(
      soon.status === 404 ||
        (soon.status === 200 && soon.text === "MMMM-moved"),
      `status ${soon.status}`,
    );
    await new Promise((r) => setTimeout(r, fileCache.recheckMs + 100));
    strictEqual((await get(s.port, "/moved/m.txt")).status, 404);
    strictEqual((await get(s.port, "/moved/m.txt")).status, 404);
  },
});

Deno.test("SimpleHTTPRequestHandler's cache misses after chmod, delete and rename over", async () => {
  const { root } = await aged();
  await using s = serveDirectory(root);
  for (const name of ["mode.txt", "del.txt", "over.txt"]) {
    strictEqual((await get(s.port, `/${name}`)).status, 200);
    ok(fileCache.has(`${root}/${name}`), name);
  }
  using calls = new FileCalls();
  // chmod changes only the ctime and mode: the next request goes to disk
  // and gets what the process may read (root may read a mode 000 file).
  await Deno.chmod(`${root}/mode.txt`, 0);
  const res = await get(s.port, "/mode.txt");
  strictEqual(calls.count("openSync", `${root}/mode.txt`), 1);
  if (Deno.uid() === 0) {
    strictEqual(res.status, 200);
    strictEqual(res.text, "mode bytes");
  } else strictEqual(res.status, 404);
  ok(!fileCache.has(`${root}/mode.txt`));
  await Deno.chmod(`${root}/mode.txt`, 0o644);
  await Deno.remove(`${root}/del.txt`);
  strictEqual((await get(s.port, "/del.txt")).status, 404);
  ok(!fileCache.has(`${root}/del.txt`));
  await Deno.rename(`${root}/over.new`, `${root}/over.txt`);
  strictEqual((await get(s.port, "/over.txt")).text, "new-content");
  ok(!fileCache.has(`${root}/over.txt`));
});

Deno.test("SimpleHTTPRequestHandler does not cache a file changed in the last two seconds", async () => {
  const { root } = await aged();
  await using s = serveDirectory(root);
  const path = `${root}/young.txt`;
  await Deno.writeTextFile(path, "young");
  using calls = new FileCalls();
  for (let i = 0; i < 3; i++) {
    strictEqual((await get(s.port, "/young.txt")).text, "young");
  }
  strictEqual(calls.count("openSync", path), 3);
  ok(!fileCache.has(path));
  // Nor a file above the size limit, however old.
  for (let i = 0; i < 2; i++) {
    strictEqual((await get(s.port, "/big.bin")).body.length, 70_000);
  }
  strictEqual(calls.count("openSync", `${root}/big.bin`), 2);
  ok(!fileCache.has(`${root}/big.bin`));
});

Deno.test("SimpleHTTPRequestHandler's cache keeps each handler's dotfile and symlink rules", async () => {
  const { root } = await aged();
  await using open = serveDirectory(root, { followSymlinks: true });
  await using strict = serveDirectory(root, { serveDotfiles: false });
  strictEqual((await get(open.port, "/.env")).text, "DOTENV=1");
  ok(fileCache.has(`${root}/.env`));
  strictEqual((await get(strict.port, "/.env")).status, 404);
  if (posix) {
    strictEqual((await get(open.port, "/visible")).text, "DOTENV=1");
    strictEqual((await get(open.port, "/linkout")).text, "SSSS-secret");
    ok(fileCache.has(`${root}/visible`));
    ok(fileCache.has(`${root}/linkout`));
    // Held by the handler that follows symlinks and serves dotfiles; the
    // other one still refuses both.
    strictEqual((await get(strict.port, "/visible")).status, 404);
    strictEqual((await get(strict.port, "/linkout")).status, 404);
    strictEqual((await get(open.port, "/linkout")).text, "SSSS-secret");
  }
});

Deno.test({
  name:
    "SimpleHTTPRequestHandler serves the new tree at once when the served folder's symlink is retargeted",
  ignore: !posix,
  async fn() {
    const base = await Deno.makeTempDir({ prefix: "simple_cache_root_" });
    try {
      for (const v of ["v1", "v2"]) {
        await Deno.mkdir(`${base}/${v}`);
        await Deno.writeTextFile(`${base}/${v}/index.txt`, `release ${v}`);
      }
      await Deno.symlink("v1", `${base}/current`);
      await using s = serveDirectory(`${base}/current`);
      strictEqual((await get(s.port, "/index.txt")).text, "release v1");
      // The folder's real path is shared for a second, but a refusal checks
      // it again: a deploy that swaps the link is served at once.
      await Deno.remove(`${base}/current`);
      await Deno.symlink("v2", `${base}/current`);
      strictEqual((await get(s.port, "/index.txt")).text, "release v2");
      await Deno.remove(`${base}/current`);
      await Deno.symlink(`${base}/v1`, `${base}/current`);
      strictEqual((await get(s.port, "/index.txt")).text, "release v1");
    } finally {
      await Deno.remove(base, { recursive: true });
    }
  },
});

/** Looks `path` up through `cache` and stores it, as the handler does. */
function load(cache: FileCache, root: string, name: string): boolean {
  const found = cache.lookup(`${root}/${name}`, {
    directory: root,
    followSymlinks: false,
    serveDotfiles: true,
  });
  if (!found) throw new Error(`${name} was refused`);
  if (found.data) return true;
  using file = Deno.openSync(found.real);
  const data = new Uint8Array(found.info.size);
  let at = 0;
  while (at < data.length) at += file.readSync(data.subarray(at)) ?? 0;
  cache.store(found, file, data);
  return false;
}

Deno.test("FileCache stays within its entry and byte limits, least recently used out first", async () => {
  const { root } = await aged();
  const names = ["a.txt", "b.txt", "h.txt", "hot.txt", "range.txt"];
  const entries = new FileCache({ maxEntries: 3 });
  for (const name of names.slice(0, 3)) {
    strictEqual(load(entries, root, name), false);
  }
  strictEqual(entries.size, 3);
  strictEqual(load(entries, root, "a.txt"), true, "a.txt is now the newest");
  strictEqual(load(entries, root, "range.txt"), false);
  strictEqual(entries.size, 3);
  ok(!entries.has(`${root}/b.txt`), "the least recently used went first");
  ok(entries.has(`${root}/a.txt`));
  ok(entries.has(`${root}/range.txt`));
  strictEqual(entries.bytes, 11 + 11 + 10);

  const bytes = new FileCache({ maxBytes: 25 });
  for (const name of names) load(bytes, root, name);
  strictEqual(bytes.size, 2);
  ok(bytes.bytes <= 25);
  ok(bytes.has(`${root}/range.txt`));

  const small = new FileCache({ maxFileSize: 10 });
  load(small, root, "a.txt");
  load(small, root, "range.txt");
  ok(!small.has(`${root}/a.txt`), "11 bytes is over the limit");
  ok(small.has(`${root}/range.txt`));
  small.clear();
  strictEqual(small.size, 0);
  strictEqual(small.bytes, 0);
});

Deno.test("FileCache keeps only bytes read from the checked file, unchanged", async () => {
  const { root } = await aged();
  const cache = new FileCache();
  const folder = {
    directory: root,
    followSymlinks: false,
    serveDotfiles: true,
  };
  const read = (file: Deno.FsFile, size: number) => {
    const data = new Uint8Array(size);
    let at = 0;
    while (at < size) at += file.readSync(data.subarray(at)) ?? 0;
    return data;
  };
  // Changed between the lookup and the read: same size, new ctime.
  const found = cache.lookup(`${root}/s1.txt`, folder)!;
  ok(found && !found.data);
  {
    using file = await Deno.open(found.real);
    await Deno.chmod(found.real, 0o600);
    strictEqual(cache.store(found, file, read(file, found.info.size)), false);
  }
  // Replaced between the lookup and the open: another inode.
  const again = cache.lookup(`${root}/s2.txt`, folder)!;
  ok(again && !again.data);
  await Deno.writeTextFile(`${root}/s2.new`, "store-TWO");
  await Deno.rename(`${root}/s2.new`, `${root}/s2.txt`);
  {
    using file = await Deno.open(again.real);
    strictEqual(cache.store(again, file, read(file, again.info.size)), false);
  }
  // Untouched: kept.
  const kept = cache.lookup(`${root}/s3.txt`, folder)!;
  {
    using file = await Deno.open(kept.real);
    strictEqual(cache.store(kept, file, read(file, kept.info.size)), true);
  }
  strictEqual(cache.size, 1);
});
