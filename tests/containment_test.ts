// Copyright 2026 the httpserver authors. MIT license.
// The containment rules of handlers/_files/containment.ts on a real tree:
// NUL, dot segments, symlinks that stay in or lead out, for reads
// (statServed), listings (listedEntry) and writes (writableTarget).
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  comparablePath,
  type FolderRules,
  isInside,
  listedEntry,
  realTarget,
  refusedPath,
  type ServedFolder,
  servedFolder,
  servedReal,
  statServed,
  writableTarget,
} from "../handlers/_files/containment.ts";

const posix = Deno.build.os !== "windows";

/**
 * A served folder `root` and a folder `outside` beside it:
 *
 *     root/a.txt  root/sub/b.txt  root/.hidden/h.txt  root/a..b
 *     root/in -> sub/b.txt        root/out -> ../outside/secret.txt
 *     root/outdir -> ../outside   root/todot -> .hidden/h.txt
 *     root/dangling -> nowhere    root/subdir -> sub
 *     outside/secret.txt          outside/back -> ../root/a.txt
 */
async function makeTree() {
  const base = await Deno.realPath(await Deno.makeTempDir());
  const root = `${base}/root`;
  const outside = `${base}/outside`;
  await Deno.mkdir(`${root}/sub`, { recursive: true });
  await Deno.mkdir(`${root}/.hidden`);
  await Deno.mkdir(outside);
  await Deno.writeTextFile(`${root}/a.txt`, "a");
  await Deno.writeTextFile(`${root}/sub/b.txt`, "b");
  await Deno.writeTextFile(`${root}/.hidden/h.txt`, "h");
  await Deno.writeTextFile(`${root}/a..b`, "dots inside a name");
  await Deno.writeTextFile(`${outside}/secret.txt`, "secret");
  await Deno.symlink("sub/b.txt", `${root}/in`);
  await Deno.symlink("../outside/secret.txt", `${root}/out`);
  await Deno.symlink("../outside", `${root}/outdir`);
  await Deno.symlink(".hidden/h.txt", `${root}/todot`);
  await Deno.symlink("nowhere", `${root}/dangling`);
  await Deno.symlink("sub", `${root}/subdir`);
  await Deno.symlink("../root/a.txt", `${outside}/back`);
  return {
    base,
    root,
    outside,
    async [Symbol.asyncDispose]() {
      await Deno.remove(base, { recursive: true });
    },
  };
}

const RULES: FolderRules = {
  directory: "",
  followSymlinks: false,
  serveDotfiles: false,
};

function folderOf(directory: string, rules: Partial<FolderRules> = {}) {
  return servedFolder({ ...RULES, directory, ...rules });
}

type Tree = Awaited<ReturnType<typeof makeTree>>;

/** A test on a fresh tree, with its folder's default rules (symlinks: POSIX). */
function treeTest(
  name: string,
  fn: (t: Tree, folder: ServedFolder) => Promise<void> | void,
  ignore = !posix,
): void {
  Deno.test({
    name: `containment ${name}`,
    ignore,
    async fn() {
      await using t = await makeTree();
      await fn(t, folderOf(t.root));
    },
  });
}

Deno.test("containment refuses a NUL and, with dotfiles hidden, dot segments before any file call", () => {
  const hidden = folderOf("/nonexistent/srv");
  const shown = folderOf("/nonexistent/srv", { serveDotfiles: true });
  const cases: [string, boolean, boolean][] = [
    // path, refused with dotfiles hidden, refused with dotfiles served
    ["/nonexistent/srv/a.txt", false, false],
    ["/nonexistent/srv/a\0.txt", true, true],
    ["/nonexistent/srv/.env", true, false],
    ["/nonexistent/srv/sub/.git/config", true, false],
    ["/nonexistent/srv/sub/.", true, false],
    ["/nonexistent/srv/...", true, false],
    ["/nonexistent/srv/a..b", false, false],
    ["/nonexistent/srv/sub/../a.txt", true, false],
    ["/nonexistent/srv/sub/", false, false],
  ];
  for (const [path, whenHidden, whenShown] of cases) {
    strictEqual(refusedPath(path, hidden), whenHidden, path);
    strictEqual(refusedPath(path, shown), whenShown, path);
  }
  // A dotted served folder is not itself a dot segment.
  strictEqual(refusedPath("/srv/.site/a.txt", folderOf("/srv/.site")), false);
});

Deno.test("containment serves a real path only inside the root's real path", () => {
  const folder = { ...folderOf("/srv"), root: "/srv" };
  strictEqual(servedReal("/srv", folder), true);
  strictEqual(servedReal("/srv/a/b.txt", folder), true);
  strictEqual(servedReal("/srv2/a.txt", folder), false, "a sibling prefix");
  strictEqual(servedReal("/etc/passwd", folder), false);
  strictEqual(servedReal("/srv/.git/config", folder), false);
  strictEqual(
    servedReal("/srv/.git/config", { ...folder, serveDotfiles: true }),
    true,
  );
  strictEqual(servedReal("/srv/a.txt", { ...folder, root: null }), false);
  strictEqual(isInside("/", "/etc"), true);
});

treeTest(
  "statServed follows symlinks that stay inside and refuses those that leave",
  async (t, folder) => {
    const real = (name: string) =>
      statServed(`${t.root}/${name}`, folder)?.real;
    strictEqual(real("a.txt"), `${t.root}/a.txt`);
    strictEqual(real("a..b"), `${t.root}/a..b`);
    strictEqual(real("in"), `${t.root}/sub/b.txt`);
    strictEqual(real("subdir/b.txt"), `${t.root}/sub/b.txt`);
    strictEqual(real("sub/../a.txt"), undefined, "`..` is a dot segment");
    strictEqual(real("out"), undefined);
    strictEqual(real("outdir/secret.txt"), undefined);
    strictEqual(real("outdir/back"), `${t.root}/a.txt`, "out and back in");
    strictEqual(real("../outside/secret.txt"), undefined);
    strictEqual(real("todot"), undefined, "a link onto a dotfile");
    strictEqual(real(".hidden/h.txt"), undefined);
    strictEqual(real("dangling"), undefined);
    strictEqual(real("missing.txt"), undefined);
    strictEqual(real("a.txt\0"), undefined);
    ok(statServed(t.root, folder)?.info.isDirectory);

    const dotfiles = folderOf(t.root, { serveDotfiles: true });
    strictEqual(
      statServed(`${t.root}/sub/../a.txt`, dotfiles)?.real,
      `${t.root}/a.txt`,
    );
    strictEqual(statServed(`${t.root}/../outside/secret.txt`, dotfiles), null);
    strictEqual(
      statServed(`${t.root}/todot`, dotfiles)?.real,
      `${t.root}/.hidden/h.txt`,
    );
    const follow = folderOf(t.root, { followSymlinks: true });
    strictEqual(follow.root, null);
    deepStrictEqual(
      statServed(`${t.root}/out`, follow)?.real,
      `${t.root}/out`,
      "with followSymlinks the path itself is opened",
    );
    strictEqual(statServed(`${t.root}/.hidden/h.txt`, follow), null);

    // The served folder reached through a link, or gone.
    await Deno.symlink(t.root, `${t.base}/link`);
    const linked = folderOf(`${t.base}/link`);
    strictEqual(linked.root, t.root);
    strictEqual(
      statServed(`${t.base}/link/in`, linked)?.real,
      `${t.root}/sub/b.txt`,
    );
    const gone = folderOf(`${t.base}/gone`);
    strictEqual(gone.root, null);
    strictEqual(statServed(`${t.root}/a.txt`, gone), null);
  },
);

treeTest(
  "listedEntry hides dotfiles and symlinks that leave, and shows dangling ones",
  (t) => {
    const list = (folder: ReturnType<typeof folderOf>) => {
      const shown: Record<string, boolean> = {};
      for (const entry of Deno.readDirSync(t.root)) {
        const e = listedEntry(`${t.root}/`, entry, folder);
        if (e) shown[entry.name] = e.isDirectory;
      }
      return shown;
    };
    deepStrictEqual(list(folderOf(t.root)), {
      "a.txt": false,
      "a..b": false,
      sub: true,
      in: false,
      subdir: true,
      todot: false, // the listing checks the name, not the target's path
      dangling: false,
    });
    const all = list(folderOf(t.root, {
      serveDotfiles: true,
      followSymlinks: true,
    }));
    deepStrictEqual(Object.keys(all).sort(), [
      ".hidden",
      "a..b",
      "a.txt",
      "dangling",
      "in",
      "out",
      "outdir",
      "sub",
      "subdir",
      "todot",
    ]);
    strictEqual(all.outdir, true);
  },
);

treeTest(
  "writableTarget checks the deepest existing folder's real path",
  async (t, folder) => {
    const target = (path: string) =>
      writableTarget(`${t.root}/${path}`, folder);
    strictEqual(target("new.txt"), `${t.root}/new.txt`);
    strictEqual(target("a.txt"), `${t.root}/a.txt`, "an existing file");
    strictEqual(target("x/y/z.txt"), `${t.root}/x/y/z.txt`);
    strictEqual(target("subdir/new.txt"), `${t.root}/sub/new.txt`);
    strictEqual(target("x/../sub/new.txt"), null, "`..` is a dot segment");
    strictEqual(target("outdir/new.txt"), null);
    strictEqual(target("outdir/x/new.txt"), null);
    strictEqual(target("out"), null, "a link that leaves");
    strictEqual(target("dangling"), null, "a link to nowhere");
    strictEqual(target("dangling/x"), null);
    await Deno.symlink("../outside/new.txt", `${t.root}/dangling-out`);
    strictEqual(target("dangling-out"), null, "it would write outside");
    strictEqual(target(".hidden/new.txt"), null);
    strictEqual(target("x/.git/config"), null);
    strictEqual(target("new\0.txt"), null);
    strictEqual(target("a.txt/x"), null, "a file in the way");
    strictEqual(realTarget(`${t.root}/subdir/x/y`), `${t.root}/sub/x/y`);

    const dotfiles = folderOf(t.root, { serveDotfiles: true });
    const dotted = (path: string) =>
      writableTarget(`${t.root}/${path}`, dotfiles);
    strictEqual(dotted(".hidden/new.txt"), `${t.root}/.hidden/new.txt`);
    // `..` after a missing folder climbs back, as it will once it is made.
    strictEqual(dotted("x/../sub/new.txt"), `${t.root}/sub/new.txt`);
    strictEqual(dotted("x/../../outside/new.txt"), null);
    const follow = folderOf(t.root, { followSymlinks: true });
    strictEqual(
      writableTarget(`${t.root}/outdir/new.txt`, follow),
      `${t.root}/outdir/new.txt`,
    );

    // A folder made on the way is checked again as it now is.
    await Deno.symlink(t.outside, `${t.root}/made`);
    strictEqual(statServed(`${t.root}/made`, folder), null);
  },
);

treeTest(
  "comparablePath resolves links, trims slashes and keeps missing paths as written",
  (t) => {
    strictEqual(comparablePath(`${t.root}/subdir/`), `${t.root}/sub`);
    strictEqual(comparablePath(`${t.root}/missing/`), `${t.root}/missing`);
    strictEqual(comparablePath(`${t.root}/Sub`), `${t.root}/Sub`);
    strictEqual(comparablePath("/"), "/");
    strictEqual(comparablePath(`${t.root}/a\0`), null);
  },
  !posix || Deno.build.os === "darwin",
);
