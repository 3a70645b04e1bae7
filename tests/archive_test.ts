// Copyright 2026 the httpserver authors. MIT license.
/**
 * Folder archives (`handlers/_archive/`): the walk's containment rules and
 * the zip, tar and tar.gz writers, each archive read back by Info-ZIP
 * `unzip -t`, GNU `tar -t` and Python's `zipfile`/`tarfile`. Over HTTP in
 * share_archive_test.ts; above 4 GiB in `deno task zip64`.
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { type ArchiveEntry, walkFolder } from "../handlers/_archive/walk.ts";
import { writeZip } from "../handlers/_archive/zip.ts";
import { writeTar } from "../handlers/_archive/tar.ts";
import {
  archiveFormat,
  archiveName,
  contentDisposition,
} from "../handlers/_archive/respond.ts";
import { ShortFileError } from "../handlers/_files/file_body.ts";
import type { ServedFolder } from "../handlers/_files/containment.ts";
import {
  haveCommand,
  memorySink,
  ODD_NAMES,
  PYTHON,
  pythonList,
  run,
  settledOpenFiles,
  withTree,
} from "./_archive_util.ts";

const HAVE_UNZIP = haveCommand("unzip");
const HAVE_TAR = haveCommand("tar");

function folderOf(dir: string, o: Partial<ServedFolder> = {}): ServedFolder {
  const root = Deno.realPathSync(dir);
  return {
    directory: dir,
    root: o.followSymlinks ? null : root,
    followSymlinks: false,
    serveDotfiles: true,
    ...o,
  };
}

/** The member names the tree of `makeTree()` gives, dotfiles shown or not. */
function expectedNames(dotfiles: boolean): string[] {
  const names = [
    "share/",
    "share/a.txt",
    "share/empty/",
    "share/sub/",
    "share/sub/deeper/",
    "share/sub/deeper/b.bin",
    "share/sub/link-in.txt",
    ...ODD_NAMES.map((n) => `share/sub/${n}`),
  ];
  if (dotfiles) {
    names.push("share/.env", "share/.git/", "share/.git/config");
  }
  return names.sort();
}

Deno.test("walkFolder takes what could be downloaded one by one", async () => {
  await withTree((dir) => {
    const all = [...walkFolder(dir, "share", folderOf(dir))];
    deepStrictEqual(all.map((e) => e.name).sort(), expectedNames(true));
    const hidden = [
      ...walkFolder(dir, "share", folderOf(dir, { serveDotfiles: false })),
    ];
    deepStrictEqual(hidden.map((e) => e.name).sort(), expectedNames(false));
    // Folders come before their contents; the link is read through.
    const names = all.map((e) => e.name);
    ok(names.indexOf("share/sub/") < names.indexOf("share/sub/deeper/b.bin"));
    const link = all.find((e) => e.name === "share/sub/link-in.txt")!;
    strictEqual(link.size, 6);
    return Promise.resolve();
  });
});

Deno.test("walkFolder follows links out only with followSymlinks, never loops", async () => {
  await withTree((dir) => {
    const names = [
      ...walkFolder(dir, "share", folderOf(dir, { followSymlinks: true })),
    ].map((e) => e.name);
    ok(names.includes("share/link-out.txt"));
    ok(!names.some((n) => n.startsWith("share/sub/loop/")));
    return Promise.resolve();
  });
});

Deno.test("writeZip writes a zip every reader accepts", async () => {
  await withTree(async (dir, base) => {
    const sink = memorySink();
    await writeZip(
      walkFolder(dir, "share", folderOf(dir)),
      sink.stream,
    );
    const path = `${base}/out.zip`;
    await Deno.writeFile(path, sink.bytes());
    if (HAVE_UNZIP) {
      const r = await run("unzip", ["-t", path]);
      strictEqual(r.code, 0, r.stdout + r.stderr);
      ok(r.stdout.includes("No errors detected"));
    }
    if (PYTHON) {
      const z = await pythonList(path, "zip");
      strictEqual(z.bad, null);
      deepStrictEqual(z.names.sort(), expectedNames(true));
      strictEqual(z.sizes["share/sub/deeper/b.bin"], 70_000);
      ok(z.utf8, "every name has the UTF-8 flag");
      ok(z.unix, "every member is made by Unix");
    }
  });
});

for (const gzip of [false, true]) {
  const kind = gzip ? "tar.gz" : "tar";
  Deno.test(`writeTar writes a ${kind} that GNU tar and Python read`, async () => {
    await withTree(async (dir, base) => {
      const sink = memorySink();
      await writeTar(
        walkFolder(dir, "share", folderOf(dir)),
        sink.stream,
        gzip,
      );
      const path = `${base}/out.${kind}`;
      await Deno.writeFile(path, sink.bytes());
      if (gzip) strictEqual(sink.bytes()[0], 0x1f);
      if (HAVE_TAR) {
        const r = await run("tar", ["-tvf", path]);
        strictEqual(r.code, 0, r.stderr);
        ok(r.stdout.includes("share/sub/deeper/b.bin"));
      }
      if (PYTHON) {
        const t = await pythonList(path, "tar");
        deepStrictEqual(t.names.sort(), expectedNames(true));
        strictEqual(t.sizes["share/sub/deeper/b.bin"], 70_000);
      }
    });
  });
}

/** The walk of `dir`, removing `zz-vanishing/` right after it is yielded. */
function* vanishingWalk(
  dir: string,
  folder: ServedFolder,
): Generator<ArchiveEntry> {
  Deno.mkdirSync(`${dir}/zz-vanishing/inner`, { recursive: true });
  Deno.writeTextFileSync(`${dir}/zz-vanishing/inner/f.txt`, "x");
  for (const entry of walkFolder(dir, "share", folder)) {
    yield entry;
    if (entry.name === "share/zz-vanishing/") {
      Deno.removeSync(`${dir}/zz-vanishing`, { recursive: true });
    }
  }
}

Deno.test("archives keep going when a folder vanishes mid-walk", async () => {
  await withTree(async (dir, base) => {
    const folder = folderOf(dir);
    for (const format of ["zip", "tar"] as const) {
      const walk = vanishingWalk(dir, folder);
      const sink = memorySink();
      if (format === "zip") await writeZip(walk, sink.stream);
      else await writeTar(walk, sink.stream, false);
      const path = `${base}/vanish.${format}`;
      await Deno.writeFile(path, sink.bytes());
      if (PYTHON) {
        const listing = await pythonList(path, format);
        strictEqual(listing.bad, null);
        ok(listing.names.includes("share/zz-vanishing/"));
        ok(!listing.names.some((n) => n.includes("inner/f.txt")));
      }
    }
  });
});

Deno.test("archives fail, closing the file, when a file shrinks mid-read", async () => {
  await withTree(async (dir) => {
    const folder = folderOf(dir);
    for (const format of ["zip", "tar"] as const) {
      const entries = [...walkFolder(dir, "share", folder)];
      const big = entries.find((e) => e.name === "share/sub/deeper/b.bin")!;
      big.size += 10; // as if it shrank after the walk measured it
      const sink = memorySink();
      await rejects(
        format === "zip"
          ? writeZip(entries, sink.stream)
          : writeTar(entries, sink.stream, false),
        (e: unknown) =>
          e instanceof ShortFileError ||
          (e instanceof Error && e.cause instanceof ShortFileError) ||
          String(e).includes("ended"),
      );
    }
  });
});

Deno.test("archives stop and close files when the client goes away", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Bigger than one read: the file is open when the client goes away.
    await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(3 << 20));
    const folder = folderOf(dir);
    for (const format of ["zip", "tar", "tar.gz"] as const) {
      let written = 0;
      const broken = new WritableStream<Uint8Array>({
        write(chunk) {
          written += chunk.length;
          if (written > 100) {
            throw new Deno.errors.ConnectionReset("client went away");
          }
        },
      });
      const entries = walkFolder(dir, "share", folder);
      await rejects(
        format === "zip"
          ? writeZip(entries, broken)
          : writeTar(entries, broken, format === "tar.gz"),
      );
      strictEqual(
        await settledOpenFiles(await Deno.realPath(dir)),
        0,
        `a file was left open (${format})`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("archiveFormat reads ?zip, ?tar and ?tar=gz", () => {
  strictEqual(archiveFormat(null), null);
  strictEqual(archiveFormat(""), null);
  strictEqual(archiveFormat("zip"), "zip");
  strictEqual(archiveFormat("zip="), "zip");
  strictEqual(archiveFormat("tar"), "tar");
  strictEqual(archiveFormat("tar=gz"), "tar.gz");
  strictEqual(archiveFormat("sort=name&tar=gz"), "tar.gz");
  strictEqual(archiveFormat("tar=xz"), "unsupported");
  strictEqual(archiveFormat("zip=deflate"), "unsupported");
  strictEqual(archiveFormat("zipper"), null);
  strictEqual(archiveFormat("q=zip"), null);
});

Deno.test("contentDisposition gives an ASCII name and the exact one", () => {
  strictEqual(
    contentDisposition("photos.zip"),
    `attachment; filename="photos.zip"; filename*=UTF-8''photos.zip`,
  );
  strictEqual(
    contentDisposition('ün "x" 100%.tar'),
    `attachment; filename="_n _x_ 100_.tar"; ` +
      `filename*=UTF-8''%C3%BCn%20%22x%22%20100%25.tar`,
  );
  strictEqual(
    contentDisposition("a'b(c)*.zip"),
    `attachment; filename="a'b(c)*.zip"; filename*=UTF-8''a%27b%28c%29%2A.zip`,
  );
});

Deno.test("archiveName names the top folder after the folder", () => {
  strictEqual(archiveName("/", "/srv/photos"), "photos");
  strictEqual(archiveName("/", "/"), "archive");
  strictEqual(archiveName("/trip/day 1/", "/srv"), "day 1");
  strictEqual(archiveName("/a\\b/", "/srv"), "a_b");
});
