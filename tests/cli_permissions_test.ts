// Copyright 2026 the httpserver authors. MIT license.
// The CLI's permission model and start-up refusals, in spawned processes:
// one line naming the flag to add, exit code 1, never a prompt or a trace.
import { match, ok, strictEqual } from "node:assert/strict";
import {
  CliProcess,
  hasOpenssl,
  makeCertificate,
  runCli,
} from "./_cli_util.ts";
import { withTimeout } from "./_util.ts";

async function tempSite(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "httpserver_cli_perm_" });
  await Deno.writeTextFile(`${dir}/index.txt`, "Hello\n");
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Asserts a start-up refusal: exit 1, nothing on stdout, one stderr line. */
function assertOneLine(
  result: { code: number; stdout: string; stderr: string },
  line: string | RegExp,
): void {
  strictEqual(result.code, 1, result.stderr);
  strictEqual(result.stdout, "");
  const lines = result.stderr.split("\n");
  strictEqual(lines.length, 2, `one line expected: ${result.stderr}`);
  strictEqual(lines[1], "");
  if (typeof line === "string") strictEqual(lines[0], line);
  else match(lines[0]!, line);
}

Deno.test("CLI names the missing read permission on one line and exits 1", async () => {
  await using site = await tempSite();
  assertOneLine(
    await runCli(
      ["--allow-net=127.0.0.1"],
      ["0", "-b", "127.0.0.1", "-d", "."],
      {
        cwd: site.dir,
      },
    ),
    "cli.ts: error: missing permission: run again with --allow-read=. " +
      "(to serve .)",
  );
});

Deno.test("CLI names the missing net permission on one line and exits 1", async () => {
  await using site = await tempSite();
  assertOneLine(
    await runCli([`--allow-read=${site.dir}`], [
      "0",
      "-b",
      "127.0.0.1",
      "-d",
      site.dir,
    ]),
    "cli.ts: error: missing permission: run again with " +
      "--allow-net=127.0.0.1:0 (to listen on 127.0.0.1 port 0)",
  );
  assertOneLine(
    await runCli([`--allow-read=${site.dir}`], ["8123", "-d", site.dir]),
    "cli.ts: error: missing permission: run again with --allow-net " +
      "(to listen on all interfaces port 8123)",
  );
});

Deno.test("CLI names every missing permission at once, TLS files and --cgi included", async () => {
  await using site = await tempSite();
  assertOneLine(
    await runCli([], [
      "0",
      "-b",
      "::1",
      "-d",
      "site",
      "--cgi",
      "--tls-cert",
      "c.pem",
      "--tls-key",
      "k.pem",
    ], { cwd: site.dir }),
    "cli.ts: error: missing permissions: run again with " +
      "'--allow-net=[::1]:0' --allow-read=site,c.pem,k.pem --allow-run " +
      "(to listen on ::1 port 0; to serve site; to read c.pem; " +
      "to read k.pem; to run CGI scripts)",
  );
});

Deno.test("CLI run with -A revokes write, ffi, run and env before serving", async () => {
  await using site = await tempSite();
  const cases: [string[], string][] = [
    [[], "Revoked unneeded permissions: write, ffi, run, env"],
    [["--cgi"], "Revoked unneeded permissions: write, ffi"],
  ];
  for (const [extra, notice] of cases) {
    await using cli = new CliProcess(
      ["-A"],
      ["0", "-b", "127.0.0.1", "-d", site.dir, ...extra],
    );
    const port = await cli.port();
    // The notice lists what Deno reports as no longer granted after revoking.
    strictEqual(cli.stderr, notice + "\n");
    const res = await withTimeout(
      fetch(`http://127.0.0.1:${port}/index.txt`),
      "fetch from the -A server",
    );
    strictEqual(await res.text(), "Hello\n");
  }
});

Deno.test("CLI with exactly the permissions it needs revokes nothing", async () => {
  await using site = await tempSite();
  await using cli = new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${site.dir}`],
    ["0", "-b", "127.0.0.1", "-d", site.dir, "-q"],
  );
  await cli.port();
  const done = await cli.exit(
    Deno.build.os === "windows" ? "SIGKILL" : "SIGINT",
  );
  strictEqual(done.stderr, "");
});

Deno.test("CLI reports a port in use on one line and exits 1", async () => {
  await using site = await tempSite();
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  const result = await runCli(
    ["--allow-net=127.0.0.1", `--allow-read=${site.dir}`],
    [String(port), "-b", "127.0.0.1", "-d", site.dir],
  );
  assertOneLine(
    result,
    new RegExp(
      `^cli\\.ts: error: cannot listen on 127\\.0\\.0\\.1 port ${port}: ` +
        `.*(in use|os error (98|48|10048))`,
      "i",
    ),
  );
});

Deno.test("CLI refuses to start when the TLS key is inside the served folder", {
  ignore: !hasOpenssl(),
}, async () => {
  await using site = await tempSite();
  await makeCertificate(site.dir, "pw");
  for (const keyArgs of [["--tls-key", "key.pem"], []]) {
    // Without --tls-key the key is read from the certificate file.
    const cert = keyArgs.length ? "cert.pem" : "key.pem";
    assertOneLine(
      await runCli(
        ["--allow-net=127.0.0.1", "--allow-read=."],
        ["0", "-b", "127.0.0.1", "-d", ".", "--tls-cert", cert, ...keyArgs],
        { cwd: site.dir },
      ),
      "cli.ts: error: refusing to start: the TLS key file 'key.pem' is " +
        "inside the served directory '.'; move it out",
    );
  }
});

Deno.test("CLI reports a bad TLS key password on one line", {
  ignore: !hasOpenssl(),
}, async () => {
  await using site = await tempSite();
  const tls = await Deno.makeTempDir({ prefix: "httpserver_cli_tls_" });
  try {
    await makeCertificate(tls, "right");
    await Deno.writeTextFile(`${tls}/pw`, "wrong\n");
    assertOneLine(
      await runCli(
        ["--allow-net=127.0.0.1", `--allow-read=${site.dir},${tls}`],
        [
          "0",
          "-b",
          "127.0.0.1",
          "-d",
          site.dir,
          "--tls-cert",
          `${tls}/cert.pem`,
          "--tls-key",
          `${tls}/key_encrypted.pem`,
          "--tls-password-file",
          `${tls}/pw`,
        ],
      ),
      /^cli\.ts: error: Cannot load the TLS key: /,
    );
  } finally {
    await Deno.remove(tls, { recursive: true });
  }
});

Deno.test("CLI refuses a served folder that does not exist", async () => {
  await using site = await tempSite();
  assertOneLine(
    await runCli(
      ["--allow-net=127.0.0.1", "--allow-read=."],
      ["0", "-b", "127.0.0.1", "-d", "missing"],
      { cwd: site.dir },
    ),
    "cli.ts: error: cannot serve 'missing': no such directory",
  );
});

Deno.test("CLI usage errors from a spawned process exit 2 without a trace", async () => {
  const result = await runCli([], ["--tls-key", "k.pem"]);
  strictEqual(result.code, 2);
  strictEqual(result.stdout, "");
  ok(result.stderr.startsWith("usage: cli.ts [-h]"), result.stderr);
  ok(
    result.stderr.endsWith(
      "\ncli.ts: error: --tls-key requires --tls-cert to be set\n",
    ),
  );
});
