// Copyright 2026 the httpserver authors. MIT license.
// Containment: no request leaves the served folder, in any encoding; symlinks
// out of it get 404 unless followSymlinks; dotfiles can be hidden; odd names
// list and download correctly.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  type FolderOptions,
  requestTarget,
  serveFolder,
} from "./_simple_fixture.ts";
import { header } from "./_raw_client.ts";
import { hasDotSegment } from "../handlers/_files/containment.ts";

const SECRET = "TOP SECRET";
const posix = Deno.build.os !== "windows";

/** A served folder next to a secret folder, with links of every kind. */
async function setUp(options: FolderOptions = {}) {
  const folder = await serveFolder(options);
  const secretDir = await Deno.makeTempDir({ prefix: "simple_secret_" });
  await Deno.writeTextFile(`${secretDir}/secret.txt`, SECRET);
  const root = folder.root;
  await Deno.writeTextFile(`${root}/inside.txt`, "inside");
  await Deno.mkdir(`${root}/sub`);
  await Deno.writeTextFile(`${root}/sub/a.txt`, "sub a");
  await Deno.writeTextFile(`${root}/sub/.hidden`, "hidden");
  await Deno.writeTextFile(`${root}/.env`, "DOTENV");
  await Deno.mkdir(`${root}/.git`);
  await Deno.writeTextFile(`${root}/.git/config`, "GITCONFIG");
  if (posix) {
    await Deno.symlink(`${secretDir}/secret.txt`, `${root}/linkout-file`);
    await Deno.symlink(secretDir, `${root}/linkout-dir`);
    await Deno.symlink(`${root}/inside.txt`, `${root}/linkin-file`);
    await Deno.symlink("sub", `${root}/linkin-dir`);
    await Deno.symlink("sub/a.txt", `${root}/rel`);
    await Deno.symlink(`${secretDir}/missing`, `${root}/dangling`);
    await Deno.symlink(".env", `${root}/visible`);
  }
  const name = secretDir.slice(secretDir.lastIndexOf("/") + 1);
  return {
    ...folder,
    secretDir,
    name,
    async [Symbol.asyncDispose]() {
      await folder[Symbol.asyncDispose]();
      await Deno.remove(secretDir, { recursive: true });
    },
  };
}

const enc = new TextEncoder();

Deno.test("SimpleHTTPRequestHandler keeps every traversal encoding inside the folder", async () => {
  await using t = await setUp();
  const S = t.name;
  const abs = t.secretDir;
  const corpus: (string | Uint8Array)[] = [
    `/../${S}/secret.txt`,
    `/../../../../../..${abs}/secret.txt`,
    `/%2e%2e/${S}/secret.txt`,
    `/%2E%2E%2F${S}%2Fsecret.txt`,
    `/..%2f${S}%2fsecret.txt`,
    `/..%5c${S}%5csecret.txt`,
    `/..\\${S}\\secret.txt`,
    `//../${S}/secret.txt`,
    `///../${S}/secret.txt`,
    `/\\../${S}/secret.txt`,
    `..%2f${S}/secret.txt`,
    `../${S}/secret.txt`,
    `/.%2e/${S}/secret.txt`,
    `/%2e./${S}/secret.txt`,
    `/sub/../../${S}/secret.txt`,
    `/sub/..%2f..%2f${S}/secret.txt`,
    `/%252e%252e/${S}/secret.txt`,
    `/%c0%ae%c0%ae/${S}/secret.txt`,
    `/%e0%80%ae%e0%80%ae/${S}/secret.txt`,
    `/%c0%af..%c0%af${S}%c0%afsecret.txt`,
    `/%u002e%u002e/${S}/secret.txt`,
    `/\uff0e\uff0e/${S}/secret.txt`,
    `http://127.0.0.1/../${S}/secret.txt`,
    `http://127.0.0.1/..%2f${S}%2fsecret.txt`,
    `file://${abs}/secret.txt`,
    `${abs}/secret.txt`,
    `//${abs}/secret.txt`,
    `/inside.txt%00`,
    `/%00`,
    `/inside.txt%00.html`,
    `/%00/../../${S}/secret.txt`,
    `/%`,
    `/%zz`,
    `/%e9`,
    `/%ff%fe/`,
    "/" + "a".repeat(5000),
    "/" + "a/".repeat(3000),
    enc.encode(`/\xc0\xae\xc0\xae/${S}/secret.txt`),
    Uint8Array.from([
      47,
      0xc0,
      0xae,
      0xc0,
      0xae,
      47,
      ...enc.encode(`${S}/secret.txt`),
    ]),
  ];
  if (posix) {
    corpus.push(
      "/linkout-file",
      "/linkout-dir/secret.txt",
      "/linkout-dir/",
      "/linkout-dir",
      "/linkout-dir/..%2f" + S + "%2fsecret.txt",
      "/dangling",
    );
  }
  for (const target of corpus) {
    for (const method of ["GET", "HEAD"]) {
      const shown = typeof target === "string" ? target : String(target);
      const { res } = await requestTarget(t.port, target, { method });
      ok(
        res.status === 404 || res.status === 400,
        `${method} ${shown.slice(0, 80)} -> ${res.status}`,
      );
      ok(!res.text.includes(SECRET), `${shown} leaked the secret`);
      ok(!res.text.includes(t.root), `${shown} leaked the server path`);
    }
  }
  // And the server still serves.
  const { res } = await requestTarget(t.port, "/inside.txt");
  strictEqual(res.text, "inside");
});

Deno.test("SimpleHTTPRequestHandler answers %00 with 404, not a dropped connection", async () => {
  await using t = await setUp();
  for (const target of ["/%00", "/inside.txt%00", "/sub/%00/"]) {
    const { res } = await requestTarget(t.port, target);
    strictEqual(res.status, 404, target);
    strictEqual(res.reason, "File not found");
  }
});

Deno.test({
  name:
    "SimpleHTTPRequestHandler serves symlinks inside the folder and refuses those that leave it",
  ignore: !posix,
  async fn() {
    await using t = await setUp();
    const ok200: [string, string][] = [
      ["/linkin-file", "inside"],
      ["/linkin-dir/a.txt", "sub a"],
      ["/rel", "sub a"],
      ["/visible", "DOTENV"],
    ];
    for (const [target, body] of ok200) {
      const { res } = await requestTarget(t.port, target);
      strictEqual(res.status, 200, target);
      strictEqual(res.text, body, target);
    }
    const { res: dir } = await requestTarget(t.port, "/linkin-dir/");
    strictEqual(dir.status, 200);
    ok(dir.text.includes('<a href="a.txt">a.txt</a>'));
    // The listing marks links as Python does and leaves out those that
    // lead out of the folder.
    const { res: list } = await requestTarget(t.port, "/");
    ok(list.text.includes('<li><a href="linkin-dir/">linkin-dir@</a></li>'));
    ok(list.text.includes('<li><a href="linkin-file">linkin-file@</a></li>'));
    ok(list.text.includes('<li><a href="dangling">dangling@</a></li>'));
    ok(!list.text.includes("linkout"), list.text);
  },
});

Deno.test({
  name:
    "SimpleHTTPRequestHandler follows outside symlinks when followSymlinks is set",
  ignore: !posix,
  async fn() {
    await using t = await setUp({ followSymlinks: true });
    let { res } = await requestTarget(t.port, "/linkout-file");
    strictEqual(res.status, 200);
    strictEqual(res.text, SECRET);
    ({ res } = await requestTarget(t.port, "/linkout-dir/secret.txt"));
    strictEqual(res.text, SECRET);
    ({ res } = await requestTarget(t.port, "/"));
    ok(res.text.includes('<a href="linkout-dir/">linkout-dir@</a>'));
    // Traversal stays impossible.
    ({ res } = await requestTarget(t.port, `/../${t.name}/secret.txt`));
    strictEqual(res.status, 404);
  },
});

Deno.test("SimpleHTTPRequestHandler serves dotfiles by default, as Python does", async () => {
  await using t = await setUp();
  let { res } = await requestTarget(t.port, "/.env");
  strictEqual(res.text, "DOTENV");
  ({ res } = await requestTarget(t.port, "/"));
  ok(res.text.includes('<a href=".env">.env</a>'));
  ok(res.text.includes('<a href=".git/">.git/</a>'));
});

Deno.test("SimpleHTTPRequestHandler hides and refuses dotfiles when serveDotfiles is false", async () => {
  await using t = await setUp({ serveDotfiles: false });
  const refused = [
    "/.env",
    "/%2eenv",
    "/.git/config",
    "/.git/",
    "/.git",
    "/sub/.hidden",
    "/sub/%2Ehidden",
    "/sub/./.hidden",
  ];
  if (posix) refused.push("/visible");
  for (const target of refused) {
    const { res } = await requestTarget(t.port, target);
    strictEqual(res.status, 404, target);
  }
  let { res } = await requestTarget(t.port, "/");
  ok(!res.text.includes(".env") && !res.text.includes(".git"), res.text);
  ({ res } = await requestTarget(t.port, "/sub/"));
  ok(!res.text.includes(".hidden"));
  ({ res } = await requestTarget(t.port, "/sub/a.txt"));
  strictEqual(res.text, "sub a");
  // Only segments below the served folder count.
  strictEqual(hasDotSegment("/srv/.site", "/srv/.site/a/b.txt"), false);
  strictEqual(hasDotSegment("/srv", "/srv/a/.b/c"), true);
  strictEqual(hasDotSegment("/srv", "/srv/a/b.c/"), false);
});

Deno.test({
  name: "SimpleHTTPRequestHandler refuses a FIFO with 404 instead of blocking",
  ignore: !posix,
  async fn() {
    await using t = await setUp();
    const made = await new Deno.Command("mkfifo", { args: [`${t.root}/pipe`] })
      .output().catch(() => null);
    if (!made?.success) return; // no mkfifo on this system
    const { res } = await requestTarget(t.port, "/pipe");
    strictEqual(res.status, 404);
  },
});

Deno.test("SimpleHTTPRequestHandler lists and serves names with non-ASCII, #, ?, %, &, < and spaces", async () => {
  await using t = await setUp();
  const names = [
    "\u00e9 \u00fc.txt",
    "\u65e5\u672c\u8a9e.txt",
    "a#b.txt",
    "q?.txt",
    "100%.txt",
    "%41.txt",
    "a&b.txt",
    "<x>.txt",
    "sp ace.txt",
    "\u{1F600}.txt",
  ];
  const folder = "dir #?%&< \u00e9";
  await Deno.mkdir(`${t.root}/${folder}`);
  for (const name of names) {
    await Deno.writeTextFile(`${t.root}/${name}`, `content of ${name}`);
    await Deno.writeTextFile(`${t.root}/${folder}/${name}`, `inner ${name}`);
  }
  const { res: top } = await requestTarget(t.port, "/");
  const hrefs = [...top.text.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)];
  const byText = new Map(hrefs.map((m) => [m[2]!, m[1]!]));
  for (const name of names) {
    const text = name.replaceAll("&", "&amp;").replaceAll("<", "&lt;")
      .replaceAll(">", "&gt;");
    const href = byText.get(text);
    ok(href, `${name} is listed as ${text}`);
    ok(/^[A-Za-z0-9_.\-~%/]+$/.test(href!), `${href} is fully quoted`);
    const { res } = await requestTarget(t.port, "/" + href);
    strictEqual(res.status, 200, href);
    strictEqual(res.text, `content of ${name}`);
  }
  const folderHref = byText.get("dir #?%&amp;&lt; \u00e9/")!;
  strictEqual(folderHref, "dir%20%23%3F%25%26%3C%20%C3%A9/");
  const { res: inner } = await requestTarget(t.port, "/" + folderHref);
  ok(
    inner.text.includes(
      "<title>Directory listing for /dir #?%&amp;&lt; \u00e9/</title>",
    ),
    inner.text,
  );
  for (const m of inner.text.matchAll(/<a href="([^"]*)">/g)) {
    const { res } = await requestTarget(t.port, "/" + folderHref + m[1]);
    strictEqual(res.status, 200, m[1]);
    ok(res.text.startsWith("inner "), m[1]);
  }
  // Without the slash, the redirect keeps the encoding as sent.
  const { res: moved } = await requestTarget(
    t.port,
    "/" + folderHref.slice(0, -1),
  );
  strictEqual(moved.status, 301);
  strictEqual(header(moved, "Location"), "/" + folderHref);
  // Raw UTF-8 in the request line works too (Python reads it as Latin-1).
  const { res: raw } = await requestTarget(
    t.port,
    enc.encode("/\u00e9 \u00fc.txt".replace(" ", "%20")),
  );
  strictEqual(raw.text, "content of \u00e9 \u00fc.txt");
});

Deno.test("SimpleHTTPRequestHandler closes open redirects through // and backslashes", async () => {
  await using t = await setUp();
  const cases: [string, string][] = [
    ["//evil.com/..%2f..%2fsub", "/evil.com/..%2f..%2fsub/"],
    ["/\\evil.com/..%2f..%2fsub", "/evil.com/..%2f..%2fsub/"],
    ["/\\\\evil.com/..%2f..%2fsub", "/evil.com/..%2f..%2fsub/"],
    ["\\\\evil.com/..%2fsub", "/evil.com/..%2fsub/"],
    ["/%5Cevil.com/..%2fsub", "/%5Cevil.com/..%2fsub/"],
    ["http:\\\\evil.com/..%2fsub", "./http:\\\\evil.com/..%2fsub/"],
    ["/sub?next=//evil.com", "/sub/?next=//evil.com"],
  ];
  for (const [target, location] of cases) {
    const { res } = await requestTarget(t.port, target);
    strictEqual(res.status, 301, target);
    strictEqual(header(res, "Location"), location, target);
    strictEqual(header(res, "Content-Length"), "0");
    const url = new URL(location, `http://127.0.0.1:${t.port}/x/`);
    strictEqual(url.host, `127.0.0.1:${t.port}`, `${location} stays here`);
  }
});

Deno.test("SimpleHTTPRequestHandler never shows the server path in listings or errors", async () => {
  await using t = await setUp();
  for (
    const target of ["/", "/sub/", "/nope", "/%ff/", "/?x=%bb", "/sub/?%c0"]
  ) {
    const { res } = await requestTarget(t.port, target);
    ok(!res.text.includes(t.root), target);
    ok(!res.head.includes(t.root), target);
  }
  deepStrictEqual(
    (await requestTarget(t.port, "/%ff/")).res.status,
    404,
  );
});
