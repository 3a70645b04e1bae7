// Copyright 2026 the httpserver authors. MIT license.
/**
 * `deno task zip64`: archives past 4 GiB, too slow for every CI run (about
 * a minute here: 4.5 GiB is streamed, written, then read back in full by
 * each reader). A folder holds a sparse 4.5 GiB file and a small file
 * after it (so both a size and an offset pass 4 GiB); `?zip` and `?tar` of
 * it are downloaded from `shareDirectory()` and checked by Info-ZIP
 * `unzip -t`, Python's `zipfile` (CRC of every byte), 7-Zip `t` when
 * installed, and GNU `tar -tv`.
 */
import { ok, strictEqual } from "node:assert/strict";
import { shareDirectory } from "../share.ts";
import { haveCommand, PYTHON, pythonList, run } from "./_archive_util.ts";

const BIG = 4.5 * 2 ** 30;

async function download(url: string, path: string): Promise<number> {
  const res = await fetch(url);
  strictEqual(res.status, 200);
  const file = await Deno.open(path, {
    write: true,
    create: true,
    truncate: true,
  });
  await res.body!.pipeTo(file.writable);
  return (await Deno.stat(path)).size;
}

Deno.test("zip and tar of a folder past 4 GiB read back in every reader", async () => {
  const base = await Deno.makeTempDir({ prefix: "httpserver-zip64-" });
  try {
    const dir = `${base}/big`;
    await Deno.mkdir(dir);
    const sparse = await Deno.open(`${dir}/sparse.bin`, {
      write: true,
      create: true,
    });
    await sparse.truncate(BIG);
    sparse.close();
    await Deno.writeTextFile(`${dir}/z-after.txt`, "after the big one\n");
    await using share = await shareDirectory({
      directory: dir,
      hostname: "127.0.0.1",
      port: 0,
      archive: true,
      quiet: true,
    });

    const zip = `${base}/big.zip`;
    const started = performance.now();
    const size = await download(`${share.url}?zip`, zip);
    console.log(
      `zip: ${size} bytes in ${
        ((performance.now() - started) / 1000).toFixed(1)
      } s`,
    );
    ok(size > BIG);
    if (haveCommand("unzip")) {
      const r = await run("unzip", ["-t", zip]);
      strictEqual(r.code, 0, r.stdout + r.stderr);
      ok(r.stdout.includes("No errors detected"), r.stdout);
    }
    if (PYTHON) {
      const z = await pythonList(zip, "zip");
      strictEqual(z.bad, null);
      strictEqual(z.sizes["big/sparse.bin"], BIG);
      strictEqual(z.sizes["big/z-after.txt"], 18);
    }
    if (haveCommand("7z")) {
      const r = await run("7z", ["t", zip]);
      strictEqual(r.code, 0, r.stdout);
      ok(
        !/warning|error/i.test(r.stdout.replace(/Everything is Ok/, "")),
        r.stdout,
      );
    }
    await Deno.remove(zip);

    const tar = `${base}/big.tar`;
    await download(`${share.url}?tar`, tar);
    if (haveCommand("tar")) {
      const r = await run("tar", ["-tvf", tar]);
      strictEqual(r.code, 0, r.stderr);
      ok(r.stdout.includes(String(BIG)), r.stdout);
    }
    if (PYTHON) {
      const t = await pythonList(tar, "tar");
      strictEqual(t.sizes["big/sparse.bin"], BIG);
    }
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
