// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's upload and authentication flags, run as subprocesses under the
 * narrow permissions the README recommends.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { CliProcess, runCli } from "./_cli_util.ts";
import { call, tree } from "./_share_fixture.ts";

const HTPASSWD_B =
  "ann:$2y$05$wtyzX275DkLuRAyGWkoOb.O6uPMAvQIoKe3Zy6MLelk0x8/xAh6eK\n";
const basic = (user: string, password: string) =>
  "Basic " + btoa(`${user}:${password}`);

async function folders(): Promise<
  { root: string; site: string } & AsyncDisposable
> {
  const root = await Deno.makeTempDir({ prefix: "cli_upload_" });
  await Deno.mkdir(`${root}/site`);
  return {
    root,
    site: `${root}/site`,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test("CLI --upload names the missing --allow-write in one line", async () => {
  await using fx = await folders();
  const r = await runCli(
    ["--allow-net=127.0.0.1", `--allow-read=${fx.site}`],
    ["0", "-b", "127.0.0.1", "-d", fx.site, "--upload"],
  );
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr,
    `cli.ts: error: missing permission: run again with --allow-write=${fx.site} (to receive files into ${fx.site})\n`,
  );
});

Deno.test("CLI --upload --delete receives and deletes files under --allow-write=DIR", async () => {
  await using fx = await folders();
  const stale = `${fx.site}/.old.bin.0123456789abcdef.part`;
  await Deno.writeTextFile(stale, "left by a crash");
  await Deno.utime(stale, 1000, 1000);
  await using cli = new CliProcess(
    [
      "--allow-net=127.0.0.1",
      `--allow-read=${fx.site}`,
      `--allow-write=${fx.site}`,
    ],
    [
      "0",
      "-b",
      "127.0.0.1",
      "-d",
      fx.site,
      "--upload",
      "--delete",
      "--max-upload-size",
      "1K",
    ],
  );
  const base = `http://127.0.0.1:${await cli.port()}`;
  const put = await call(`${base}/docs/a.txt`, {
    method: "PUT",
    body: "hello",
  });
  assertEquals(put.status, 201);
  const big = await call(`${base}/big.bin`, {
    method: "PUT",
    body: "x".repeat(2000),
  });
  assertEquals(big.status, 413);
  const form = new FormData();
  form.append("file", new Blob(["form"]), "b.txt");
  assertEquals(
    (await call(`${base}/docs/`, { method: "POST", body: form })).status,
    201,
  );
  assertEquals(
    (await call(`${base}/docs/b.txt`, { method: "DELETE" })).status,
    204,
  );
  assertEquals(await tree(fx.site), ["docs/", "docs/a.txt"]);
  const result = await cli.exit("SIGINT");
  assertEquals(result.code, 0);
  assert(
    result.stderr.includes('"PUT /docs/a.txt HTTP/1.1" 201 5'),
    result.stderr,
  );
  assert(
    result.stderr.includes('"DELETE /docs/b.txt HTTP/1.1" 204 4'),
    result.stderr,
  );
  assert(
    result.stderr.includes("Removed 1 stale upload temporaries"),
    result.stderr,
  );
});

Deno.test("CLI given -A keeps write access only with a write flag", async () => {
  await using fx = await folders();
  for (
    const [flags, revoked] of [[[], "write, ffi, run, env"], [
      ["--upload"],
      "ffi, run, env",
    ]] as const
  ) {
    await using cli = new CliProcess(["-A"], [
      "0",
      "-b",
      "127.0.0.1",
      "-d",
      fx.site,
      ...flags,
    ]);
    await cli.port();
    const result = await cli.exit("SIGINT");
    assert(
      result.stderr.includes(`Revoked unneeded permissions: ${revoked}\n`),
      result.stderr,
    );
  }
});

Deno.test("CLI --auth-file with htpasswd -B lines, --public-read, and the clear-text warning", async () => {
  await using fx = await folders();
  await Deno.writeTextFile(`${fx.root}/users`, HTPASSWD_B);
  await Deno.writeTextFile(`${fx.site}/a.txt`, "a");
  await using cli = new CliProcess(
    [
      "--allow-net",
      `--allow-read=${fx.site},${fx.root}/users`,
      `--allow-write=${fx.site}`,
    ],
    [
      "0",
      "-d",
      fx.site,
      "--upload",
      "--auth-file",
      `${fx.root}/users`,
      "--public-read",
    ],
  );
  const base = `http://127.0.0.1:${await cli.port()}`;
  assertEquals((await call(`${base}/a.txt`)).status, 200);
  assertEquals(
    (await call(`${base}/b.txt`, { method: "PUT", body: "b" })).status,
    401,
  );
  const ok = await call(`${base}/b.txt`, {
    method: "PUT",
    body: "b",
    headers: { Authorization: basic("ann", "s3cret pw") },
  });
  assertEquals(ok.status, 201);
  const result = await cli.exit("SIGINT");
  assert(
    result.stderr.startsWith(
      "warning: --auth over plain HTTP sends passwords in the clear",
    ),
    result.stderr,
  );
  assert(!result.stderr.includes("s3cret"), "a password was logged");
});

Deno.test("CLI refuses bad auth and upload settings at start", async () => {
  await using fx = await folders();
  await Deno.writeTextFile(`${fx.site}/users`, HTPASSWD_B);
  await Deno.writeTextFile(
    `${fx.root}/md5`,
    "bob:$apr1$XgN1g1z6$bleFGEO5ZgBjJYWed0vTX.\n",
  );
  const perms = ["--allow-net=127.0.0.1", `--allow-read=${fx.root}`];
  const cases: [string[], number, string][] = [
    [["--auth-file", `${fx.site}/users`], 1, "is inside the served directory"],
    [
      ["--auth-file", `${fx.root}/md5`],
      1,
      "line 1: Unsupported password hash '$apr1$Xg...': use bcrypt",
    ],
    [
      ["--auth-file", `${fx.root}/missing`],
      1,
      "cannot read --auth-file: [Errno 2] No such file or directory",
    ],
    [["--public-read"], 2, "--public-read requires --auth or --auth-file"],
    [["--auth", "nocolon"], 2, "--auth expects USER:PASSWORD"],
    [
      ["--upload", "--max-upload-size", "lots"],
      2,
      "argument --max-upload-size: invalid size: 'lots'",
    ],
    [["--overwrite"], 2, "--overwrite requires --upload"],
  ];
  for (const [args, code, text] of cases) {
    const r = await runCli(perms, [
      "0",
      "-b",
      "127.0.0.1",
      "-d",
      fx.site,
      ...args,
    ]);
    assertEquals(r.code, code, args.join(" "));
    assert(r.stderr.includes(text), `${args.join(" ")}: ${r.stderr}`);
  }
  const noRead = await runCli(
    ["--allow-net=127.0.0.1", `--allow-read=${fx.site}`],
    ["0", "-b", "127.0.0.1", "-d", fx.site, "--auth-file", `${fx.root}/md5`],
  );
  assertEquals(noRead.code, 1);
  assert(
    noRead.stderr.includes(
      `missing permission: run again with --allow-read=${fx.root}/md5 (to read ${fx.root}/md5)`,
    ),
    noRead.stderr,
  );
});

Deno.test("CLI --upload refuses a link out of the folder with 403 under --allow-write=DIR", async () => {
  await using fx = await folders();
  await Deno.mkdir(`${fx.root}/outside`);
  await Deno.symlink(`${fx.root}/outside`, `${fx.site}/out`);
  await using cli = new CliProcess(
    [
      "--allow-net=127.0.0.1",
      `--allow-read=${fx.site}`,
      `--allow-write=${fx.site}`,
    ],
    ["0", "-b", "127.0.0.1", "-d", fx.site, "--upload", "-q"],
  );
  const base = `http://127.0.0.1:${await cli.port()}`;
  const res = await call(`${base}/out/sub/x.txt`, { method: "PUT", body: "x" });
  assertEquals(res.status, 403);
  assertEquals(await tree(`${fx.root}/outside`), []);
});
