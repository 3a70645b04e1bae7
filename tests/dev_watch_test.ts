// Copyright 2026 the httpserver authors. MIT license.
// Synchronous file calls are deliberate here: a burst written in one turn of
// the event loop is what an editor's atomic save looks like to the watcher.
// deno-lint-ignore-file no-sync-fn-in-async-fn
/**
 * Live reload's file watching on a real file system: the ignore rules, the
 * watch plan that leaves `node_modules` unwatched, one report per burst (an
 * editor's atomic save, 500 files written at once, a real `git checkout`),
 * and the polling fallback when watching fails (the failure simulated).
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import {
  ignoreRule,
  planWatches,
  TreeWatcher,
  type WatchFs,
} from "../handlers/_dev/watch.ts";

const QUIET_MS = 1000;

/** A temporary folder with a watcher on it, collecting reports. */
async function watched(
  setup: (root: string) => void,
  options: { watchFs?: WatchFs; pollInterval?: number; ignore?: string[] } = {},
) {
  const root = Deno.realPathSync(
    await Deno.makeTempDir({ prefix: "watch_test_" }),
  );
  setup(root);
  const reports: string[][] = [];
  const incomplete: boolean[] = [];
  const logs: string[] = [];
  let notify: (() => void) | null = null;
  const watcher = new TreeWatcher({
    root,
    ignored: ignoreRule(options.ignore ?? []),
    onChange: (paths, lossy) => {
      reports.push(paths);
      incomplete.push(lossy);
      notify?.();
    },
    onLog: (m) => logs.push(m),
    watchFs: options.watchFs,
    pollInterval: options.pollInterval,
  });
  watcher.start();
  // Let the watches settle before the test writes.
  await new Promise((r) => setTimeout(r, 100));
  return {
    root,
    reports,
    incomplete,
    logs,
    watcher,
    /** Waits for the next report (bounded), then for quiet. */
    async settle(timeoutMs = 5000): Promise<void> {
      const before = reports.length;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        notify = resolve;
        timer = setTimeout(resolve, timeoutMs);
        if (reports.length > before) resolve();
      });
      clearTimeout(timer);
      notify = null;
      await new Promise((r) => setTimeout(r, QUIET_MS));
    },
    async [Symbol.asyncDispose]() {
      await watcher.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("Live reload ignores VCS and dependency folders, dotfiles and editor temporaries", () => {
  const ignored = ignoreRule(["dist/**", "*.log"]);
  for (
    const p of [
      ".git/HEAD",
      "node_modules/x/index.js",
      "src/node_modules/y.js",
      ".a.txt.swp",
      "src/#a.txt#",
      "a.txt~",
      "4913",
      "a.txt___jb_tmp___",
      "x.tmp",
      "dist/app.js",
      "logs/server.log",
      ".cache/x",
    ]
  ) assert(ignored(p), p);
  for (
    const p of ["index.html", "css/site.css", ".well-known/x.json", "dist.js"]
  ) assert(!ignored(p), p);
});

Deno.test("Live reload's watch plan leaves node_modules and .git unwatched", async () => {
  const root = await Deno.makeTempDir({ prefix: "plan_test_" });
  try {
    for (
      const d of [
        "css",
        "js/lib",
        "node_modules/a/b",
        ".git/objects",
        "pkg/src",
        "pkg/node_modules/c",
      ]
    ) Deno.mkdirSync(`${root}/${d}`, { recursive: true });
    const plan = planWatches(root, ignoreRule([]));
    assertEquals(plan.flat.sort(), [root, `${root}/pkg`].sort());
    assertEquals(
      plan.recursive.sort(),
      [
        `${root}/css`,
        `${root}/js`,
        `${root}/pkg/src`,
      ].sort(),
    );
    // A tree with nothing ignored is one recursive watch.
    const clean = planWatches(`${root}/js`, ignoreRule([]));
    assertEquals(clean, { recursive: [`${root}/js`], flat: [] });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("Live reload reports an editor's atomic save once", async () => {
  await using w = await watched((root) => {
    Deno.writeTextFileSync(`${root}/a.txt`, "one");
  });
  // vim-like: probe file, swap file, write the temp, rename over.
  Deno.writeTextFileSync(`${w.root}/4913`, "");
  Deno.removeSync(`${w.root}/4913`);
  Deno.writeTextFileSync(`${w.root}/.a.txt.swp`, "two");
  Deno.renameSync(`${w.root}/.a.txt.swp`, `${w.root}/a.txt`);
  await w.settle();
  assertEquals(w.reports, [["/a.txt"]]);
  assertEquals(w.watcher.mode, "watch");
});

/** Runs `python3 -c code` without blocking the event loop (as an editor would write). */
async function python(code: string): Promise<void> {
  const out = await new Deno.Command("python3", { args: ["-c", code] })
    .output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

Deno.test("Live reload reports 500 files written by another process as one change", async () => {
  await using w = await watched((root) => {
    Deno.mkdirSync(`${root}/src`);
  });
  await python(
    `for i in range(500): open(${
      JSON.stringify(w.root)
    } + '/src/f%d.js' % i, 'w').write('x')`,
  );
  await w.settle();
  assertEquals(w.reports.length, 1);
  // All 500 arrive while the event loop is free; a lossy burst would say so.
  assert(
    w.reports[0]!.length === 500 || w.incomplete[0],
    String(w.reports[0]!.length),
  );
  assertEquals(w.incomplete, [true], "a burst this large reloads pages");
});

Deno.test("Live reload reports a burst the event loop was too busy to read as one incomplete change", async () => {
  await using w = await watched((root) => {
    Deno.mkdirSync(`${root}/src`);
  });
  // Synchronous writes block this thread: Deno drops events it cannot queue.
  for (let i = 0; i < 500; i++) {
    Deno.writeTextFileSync(`${w.root}/src/f${i}.js`, `export const n = ${i};`);
  }
  await w.settle();
  assertEquals(w.reports.length, 1);
  assertEquals(w.incomplete, [true]);
});

Deno.test("Live reload reports a git checkout of 500 files as one change", async () => {
  const git = (cwd: string, ...args: string[]) => {
    const out = new Deno.Command("git", {
      args: ["-c", "user.name=t", "-c", "user.email=t@t", ...args],
      cwd,
      stdout: "null",
      stderr: "piped",
    }).outputSync();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  };
  try {
    new Deno.Command("git", { args: ["--version"], stdout: "null" })
      .outputSync();
  } catch {
    console.log("git is not installed: the checkout case is skipped");
    return;
  }
  await using w = await watched((root) => {
    Deno.mkdirSync(`${root}/pages`);
    for (let i = 0; i < 500; i++) {
      Deno.writeTextFileSync(`${root}/pages/p${i}.html`, `<p>${i}</p>`);
    }
    git(root, "init", "-q", "-b", "main");
    git(root, "add", ".");
    git(root, "commit", "-q", "-m", "one");
    git(root, "checkout", "-q", "-b", "two");
    for (let i = 0; i < 500; i++) {
      Deno.writeTextFileSync(`${root}/pages/p${i}.html`, `<p>${i}!</p>`);
    }
    git(root, "commit", "-q", "-am", "two");
  });
  // Asynchronously, as git runs beside the server.
  const out = await new Deno.Command("git", {
    args: ["checkout", "-q", "main"],
    cwd: w.root,
  }).output();
  assert(out.success);
  await w.settle();
  assertEquals(
    w.reports.length,
    1,
    JSON.stringify(w.reports.map((r) => r.length)),
  );
  assertEquals(w.reports[0]!.length, 500);
  assert(w.reports[0]!.every((p) => p.startsWith("/pages/")));
});

Deno.test("Live reload sees files in new folders and never reports node_modules", async () => {
  await using w = await watched((root) => {
    Deno.mkdirSync(`${root}/node_modules/pkg`, { recursive: true });
  });
  Deno.writeTextFileSync(`${w.root}/node_modules/pkg/index.js`, "x");
  Deno.mkdirSync(`${w.root}/.git`);
  Deno.writeTextFileSync(`${w.root}/.git/index`, "x");
  await new Promise((r) => setTimeout(r, QUIET_MS));
  assertEquals(w.reports, []);
  Deno.mkdirSync(`${w.root}/fresh`);
  await w.settle();
  Deno.writeTextFileSync(`${w.root}/fresh/page.html`, "x");
  await w.settle();
  assertEquals(w.reports.at(-1), ["/fresh/page.html"]);
});

Deno.test("Live reload falls back to polling when the watch limit is hit", async () => {
  const failing: WatchFs = () => {
    throw new Error("No space left on device (os error 28)");
  };
  await using w = await watched((root) => {
    Deno.writeTextFileSync(`${root}/a.css`, "a{}");
  }, { watchFs: failing, pollInterval: 100 });
  assertEquals(w.watcher.mode, "poll");
  assert(w.logs[0]!.includes("polling every 100 ms"), w.logs[0]);
  assert(w.logs[0]!.includes("fs.inotify.max_user_watches"), w.logs[0]);
  // Let the first scan finish before changing the file.
  await new Promise((r) => setTimeout(r, 300));
  Deno.writeTextFileSync(`${w.root}/a.css`, "a{color:red}");
  Deno.writeTextFileSync(`${w.root}/b.html`, "<p>");
  await w.settle();
  assertEquals(w.reports, [["/a.css", "/b.html"]]);
});

Deno.test("Live reload falls back to polling when the watcher fails later", async () => {
  let fail: (() => void) | null = null;
  const failingLater: WatchFs = () => ({
    close() {},
    // deno-lint-ignore require-yield
    async *[Symbol.asyncIterator]() {
      await new Promise<void>((r) => fail = r);
      throw new Error("inotify watch limit reached");
    },
  });
  await using w = await watched(() => {}, {
    watchFs: failingLater,
    pollInterval: 100,
  });
  assertEquals(w.watcher.mode, "watch");
  fail!();
  await new Promise((r) => setTimeout(r, 300));
  assertEquals(w.watcher.mode, "poll");
  Deno.writeTextFileSync(`${w.root}/new.js`, "1");
  await w.settle();
  assertEquals(w.reports, [["/new.js"]]);
});
