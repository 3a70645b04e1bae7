// Copyright 2026 the httpserver authors. MIT license.
/**
 * Uploads never write outside the served folder: traversal in every
 * encoding, symlinks that lead out (also below folders that do not exist
 * yet), dotfiles, reserved names; and a full disk leaves nothing behind.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { call, rawRequest, shareFolder, tree } from "./_share_fixture.ts";
import { checkName, pathSegments } from "../handlers/_upload/target.ts";
import { UploadRefusal } from "../handlers/_upload/refusal.ts";

const TRAVERSALS = [
  "/../escape.txt",
  "/%2e%2e/escape.txt",
  "/%2E%2E/escape.txt",
  "/sub/..%2fescape.txt",
  "/sub/%2e%2e%2fescape.txt",
  "/..%5cescape.txt",
  "/sub\\..\\escape.txt",
  "/a%00b.txt",
  "/a%0ab.txt",
  "/./x.txt",
  "/a//b.txt",
  "/%c0%ae%c0%ae/escape.txt",
  "/%ff.txt",
  "/%zz.txt",
];

Deno.test("SimpleHTTPRequestHandler refuses PUT paths that escape, in every encoding", async () => {
  const outside = await Deno.makeTempDir({ prefix: "outside_" });
  await Deno.mkdir(`${outside}/root`);
  await using share = await shareFolder({
    upload: true,
    root: `${outside}/root`,
  });
  try {
    for (const path of TRAVERSALS) {
      const res = await rawRequest(
        share.port,
        `PUT ${path} HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n`,
        "x",
      );
      assertEquals(res.status, 400, path);
    }
    // Absolute-form targets only name paths below the root.
    const absolute = await rawRequest(
      share.port,
      "PUT http://evil/../../x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n",
      "x",
    );
    assertEquals(absolute.status, 400);
    assertEquals(await tree(outside), ["root/"]);
    assert(share.log.some((l) => l.startsWith("code 400, message ")));
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("SimpleHTTPRequestHandler never writes through a symlink that leads out", async () => {
  const outside = await Deno.makeTempDir({ prefix: "outside_" });
  await using share = await shareFolder({ upload: true, delete: true });
  try {
    await Deno.symlink(outside, `${share.root}/out`);
    await Deno.mkdir(`${share.root}/in`);
    await Deno.symlink(`${share.root}/in`, `${share.root}/inlink`);
    for (const path of ["/out/x.txt", "/out/new/deeper/x.txt"]) {
      assertEquals(
        (await call(`${share.base}${path}`, { method: "PUT", body: "x" }))
          .status,
        403,
        path,
      );
    }
    assertEquals(
      (await call(`${share.base}/out/new/`, { method: "MKCOL" })).status,
      403,
    );
    const form = new FormData();
    form.append("f", new Blob(["x"]), "out/x.txt");
    assertEquals(
      (await call(`${share.base}/`, { method: "POST", body: form })).status,
      403,
    );
    // A link inside the root is followed, below folders made on the way.
    const inside = await call(`${share.base}/inlink/new/x.txt`, {
      method: "PUT",
      body: "x",
    });
    assertEquals(inside.status, 201);
    assertEquals(await Deno.readTextFile(`${share.root}/in/new/x.txt`), "x");
    // DELETE of the link removes the link, never what it points to.
    assertEquals(
      (await call(`${share.base}/out`, { method: "DELETE" })).status,
      204,
    );
    assertEquals(await tree(outside), []);
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("SimpleHTTPRequestHandler refuses dotfiles for writes when they are hidden", async () => {
  await using share = await shareFolder({
    upload: true,
    serveDotfiles: false,
    delete: true,
  });
  await Deno.writeTextFile(`${share.root}/.env`, "SECRET=1");
  for (const path of ["/.env", "/.git/config", "/a/.hidden/x"]) {
    assertEquals(
      (await call(`${share.base}${path}`, { method: "PUT", body: "x" })).status,
      403,
      path,
    );
  }
  assertEquals(
    (await call(`${share.base}/.env`, { method: "DELETE" })).status,
    403,
  );
  const form = new FormData();
  form.append("f", new Blob(["x"]), ".bashrc");
  assertEquals(
    (await call(`${share.base}/`, { method: "POST", body: form })).status,
    403,
  );
  assertEquals(await tree(share.root), [".env"]);
  // With dotfiles served, they may be written.
  await using open = await shareFolder({ upload: true, root: share.root });
  assertEquals(
    (await call(`${open.base}/.config`, { method: "PUT", body: "x" })).status,
    201,
  );
});

Deno.test("upload names: Windows rules refuse what Windows cannot store", () => {
  const rules = { serveDotfiles: true, windows: true };
  for (
    const name of [
      "a:b",
      "con",
      "NUL.txt",
      "x.",
      "x ",
      "a?b",
      "a*b",
      'a"b',
      "a|b",
      "<a>",
    ]
  ) {
    try {
      checkName(name, rules);
      assert(false, name);
    } catch (error) {
      assert(error instanceof UploadRefusal && error.status === 400, name);
    }
  }
  checkName("a:b", { serveDotfiles: true, windows: false });
  assertEquals(pathSegments("/a/b%20c/", { serveDotfiles: true }), [
    "a",
    "b c",
    "",
  ]);
  assertEquals(pathSegments("/caf%C3%A9?x=1", { serveDotfiles: true }), [
    "café",
  ]);
});

Deno.test("SimpleHTTPRequestHandler answers 507 and keeps nothing when the disk is full", async (t) => {
  // A 1 MiB tmpfs: needs root and mount(2); skipped elsewhere.
  const mountpoint = await Deno.makeTempDir({ prefix: "full_" });
  const mounted = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountpoint],
    stdout: "null",
    stderr: "null",
  }).output().then((r) => r.success).catch(() => false);
  if (!mounted) {
    await Deno.remove(mountpoint);
    console.warn("skipped: cannot mount a tmpfs here");
    return;
  }
  try {
    await using share = await shareFolder({ upload: true, root: mountpoint });
    const res = await rawRequest(
      share.port,
      "PUT /big.bin HTTP/1.1\r\nHost: a\r\nContent-Length: 3000000\r\n\r\n",
      new Uint8Array(3_000_000),
    );
    assertEquals(res.status, 507);
    assertEquals(await tree(mountpoint), []);
    await t.step("and accepts what fits afterwards", async () => {
      assertEquals(
        (await call(`${share.base}/small.txt`, { method: "PUT", body: "ok" }))
          .status,
        201,
      );
    });
  } finally {
    await new Deno.Command("umount", { args: [mountpoint] }).output();
    await Deno.remove(mountpoint, { recursive: true });
  }
});

Deno.test("SimpleHTTPRequestHandler with followSymlinks writes through links as it reads through them", async () => {
  const outside = await Deno.makeTempDir({ prefix: "outside_" });
  await using share = await shareFolder({ upload: true, followSymlinks: true });
  try {
    await Deno.symlink(outside, `${share.root}/out`);
    const res = await call(`${share.base}/out/x.txt`, {
      method: "PUT",
      body: "x",
    });
    assertEquals(res.status, 201);
    assertEquals(await tree(outside), ["x.txt"]);
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});
