// Copyright 2026 the httpserver authors. MIT license.
/** Upload temporaries: the one predicate, their names, and the start-up sweep. */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import {
  isUploadTemporary,
  listedEntry,
  refusedPath,
  servedFolder,
} from "../handlers/_files/containment.ts";
import {
  randomId,
  resumeId,
  sweepTemporaries,
  temporaryName,
} from "../handlers/_upload/temp.ts";
import { tree } from "./_share_fixture.ts";

Deno.test("upload temporaries: one predicate for their names", async () => {
  const id = randomId();
  assert(/^[0-9a-f]{16}$/.test(id));
  for (const name of ["a.txt", ".env", "Grüße (1).tar.gz", "x".repeat(255)]) {
    const part = temporaryName(name, id, "part");
    assert(isUploadTemporary(part), part);
    assert(new TextEncoder().encode(part).length <= 255, part);
    assert(
      isUploadTemporary(
        temporaryName(name, await resumeId(name, 10, null), "resume"),
      ),
    );
    assert(!isUploadTemporary(name), name);
  }
  for (
    const name of [
      ".a.0123456789abcdeg.part",
      "a.0123456789abcdef.part",
      ".a.0123456789abcdef.parts",
      ".a.0123456789ABCDEF.part",
    ]
  ) {
    assert(!isUploadTemporary(name), name);
  }
  assertEquals(await resumeId("a", 10, "ann"), await resumeId("a", 10, "ann"));
  assert(await resumeId("a", 10, "ann") !== await resumeId("a", 10, "bob"));
});

Deno.test("upload temporaries: hidden from listings and refused to reads only with upload on", async () => {
  const dir = await Deno.makeTempDir({ prefix: "temp_rules_" });
  try {
    const name = ".a.txt.0123456789abcdef.part";
    await Deno.writeTextFile(`${dir}/${name}`, "partial");
    const entry = (await Array.fromAsync(Deno.readDir(dir)))[0]!;
    const rules = {
      directory: dir,
      followSymlinks: false,
      serveDotfiles: true,
    };
    const off = servedFolder(rules);
    const on = servedFolder({ ...rules, upload: true });
    assertEquals(refusedPath(`${dir}/${name}`, off), false);
    assertEquals(refusedPath(`${dir}/${name}`, on), true);
    assert(listedEntry(`${dir}/`, entry, off) !== null);
    assertEquals(listedEntry(`${dir}/`, entry, on), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("upload temporaries: the sweep removes stale ones only, never through links", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sweep_" });
  const outside = await Deno.makeTempDir({ prefix: "sweep_out_" });
  try {
    const old = Date.now() / 1000 - 3 * 86400;
    await Deno.mkdir(`${dir}/sub`);
    const files: [string, boolean][] = [
      [".a.0123456789abcdef.part", true],
      ["sub/.b.0123456789abcdef.resume", true],
      [".c.0123456789abcdef.part", false],
      ["keep.txt", true],
    ];
    for (const [name, stale] of files) {
      await Deno.writeTextFile(`${dir}/${name}`, "x");
      if (stale) await Deno.utime(`${dir}/${name}`, old, old);
    }
    await Deno.writeTextFile(`${outside}/.d.0123456789abcdef.part`, "x");
    await Deno.utime(`${outside}/.d.0123456789abcdef.part`, old, old);
    await Deno.symlink(outside, `${dir}/link`);
    const removed = await sweepTemporaries(dir);
    assertEquals(removed.sort(), [
      `${dir}/.a.0123456789abcdef.part`,
      `${dir}/sub/.b.0123456789abcdef.resume`,
    ]);
    assertEquals(await tree(dir), [
      ".c.0123456789abcdef.part",
      "keep.txt",
      "link",
      "sub/",
    ]);
    assertEquals(await tree(outside), [".d.0123456789abcdef.part"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
