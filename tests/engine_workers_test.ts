// Copyright 2026 the httpserver authors. MIT license.
// `--workers` from the command line, in spawned processes under narrow
// permissions: --unstable-net and the package's own code asked for in one
// line; two workers serving (whole log lines, a killed worker started again,
// Ctrl-C), HTTPS on both engines, one secret path for all, and automatic
// stops refused.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { CliProcess } from "./_cli_util.ts";
import { withTimeout } from "./_util.ts";
import {
  fetchWithin,
  ROOT,
  serving,
  site,
  textWithin,
  TLS,
  TLS_FLAGS,
} from "./_engine_util.ts";

const LOG_LINE =
  /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4} \d\d:\d\d:\d\d\] ("[^"]*" \d{3} -|code \d{3}, message .*)$/;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

Deno.test("CLI --workers needs --unstable-net and says how to run, in one line", async () => {
  await using fx = await site();
  await using cli = new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${fx.dir},${ROOT}`],
    serving(fx.dir, "--workers", "2"),
  );
  const result = await cli.exit();
  strictEqual(result.code, 1);
  strictEqual(
    result.stderr,
    "cli.ts: error: --workers needs the port shared between threads: run " +
      'Deno with --unstable-net (or "unstable": ["net"] in deno.json)\n',
  );
});

Deno.test("CLI --workers asks to read its own code when run from files", async () => {
  await using fx = await site();
  await using cli = new CliProcess(
    ["--unstable-net", "--allow-net=127.0.0.1", `--allow-read=${fx.dir}`],
    serving(fx.dir, "--workers", "2"),
  );
  const result = await cli.exit();
  strictEqual(result.code, 1);
  ok(
    result.stderr.startsWith(
      `cli.ts: error: missing permission: run again with --allow-read=${ROOT} ` +
        `(to load the worker threads' code from ${ROOT})`,
    ),
    result.stderr,
  );
});

for (const engine of ["listen", "serve"]) {
  Deno.test(`CLI --workers 2 --engine ${engine}: serves, logs whole lines, starts a killed worker again, exits 0 on Ctrl-C`, async () => {
    await using fx = await site();
    const killFile = `${fx.dir}.kill`;
    const long = "/hello.txt?" + "x".repeat(3000);
    await using cli = new CliProcess(
      [
        "--unstable-net",
        "--allow-net=127.0.0.1",
        `--allow-read=${fx.dir},${ROOT}`,
        `--allow-write=${killFile}`,
        "--allow-env=KILL_FILE",
      ],
      serving(fx.dir, "--workers", "2", "--engine", engine),
      {
        script: new URL("./_workers_child.ts", import.meta.url).pathname,
        env: { KILL_FILE: killFile },
      },
    );
    const port = await cli.port();
    strictEqual(
      cli.stdout.split("\n").filter((l) => l.startsWith("Serving")).length,
      1,
    );
    // Many clients at once, with long request lines, logged by both workers.
    const get = async (path: string) => {
      const res = await fetchWithin(`http://127.0.0.1:${port}${path}`, {
        headers: { connection: "close" },
      });
      return [res.status, await textWithin(res)] as const;
    };
    const paths = Array.from(
      { length: 60 },
      (_, i) => i % 2 ? "/hello.txt" : long,
    );
    for (
      const [status] of await withTimeout(
        Promise.all(paths.map(get)),
        "60 requests",
      )
    ) {
      strictEqual(status, 200);
    }
    await withTimeout(
      (async () => {
        while ((cli.stderr.match(/" 200 -\n/g) ?? []).length < 60) {
          await sleep(20);
        }
      })(),
      "60 log lines",
    );
    // Kill one worker. Connections the kernel had queued on its socket are
    // reset (as when any SO_REUSEPORT listener closes); once it is gone, the
    // others serve, and it is started again.
    await Deno.writeTextFile(killFile, "");
    await cli.stderrIncludes("exited; starting it again");
    match(cli.stderr, /^Worker [12] exited; starting it again$/m);
    await cli.stderrIncludes("is serving again");
    await withTimeout(
      (async () => {
        for (let ok = 0; ok < 5;) {
          ok = await get("/hello.txt").then(() => ok + 1, () => 0);
        }
      })(),
      "requests served again after the kill",
    );
    for (let i = 0; i < 20; i++) {
      deepStrictEqual(await get("/hello.txt"), [
        200,
        "Hello over the engine\n",
      ]);
    }
    const result = await cli.exit("SIGINT");
    strictEqual(result.code, 0);
    strictEqual(
      result.stdout.split("\n").at(-2),
      "Keyboard interrupt received, exiting.",
    );
    for (const line of result.stderr.split("\n").filter((l) => l)) {
      ok(
        LOG_LINE.test(line) ||
          /^Worker [12] (exited; starting it again|is serving again)$/.test(
            line,
          ),
        `a whole line: ${line.slice(0, 120)}`,
      );
    }
    ok((result.stderr.match(/" 200 -$/gm) ?? []).length >= 85);
  });
}

Deno.test("CLI --workers 2 serves HTTPS on both engines", async () => {
  await using fx = await site();
  const caCerts = [await Deno.readTextFile(TLS + "ca.pem")];
  for (const engine of ["listen", "serve"]) {
    await using cli = new CliProcess(
      [
        "--unstable-net",
        "--allow-net=127.0.0.1",
        `--allow-read=${fx.dir},${TLS},${ROOT}`,
      ],
      serving(fx.dir, "--workers", "2", "--engine", engine, ...TLS_FLAGS),
    );
    const port = await cli.port();
    using client = Deno.createHttpClient({ caCerts });
    for (let i = 0; i < 6; i++) {
      const res = await fetchWithin(`https://localhost:${port}/hello.txt`, {
        client,
        headers: { connection: "close" },
      });
      strictEqual(await textWithin(res), "Hello over the engine\n");
    }
    strictEqual((await cli.exit("SIGINT")).code, 0);
  }
});

Deno.test("CLI --workers 2 shares one secret path among the workers; automatic stops need one process", async () => {
  await using fx = await site();
  {
    await using cli = new CliProcess(
      [
        "--unstable-net",
        "--allow-net=127.0.0.1",
        `--allow-read=${fx.dir},${ROOT}`,
      ],
      serving(fx.dir, "--workers", "2", "--random-path", "--archive", "-q"),
    );
    const banner = await cli.line(0);
    const secret = banner.match(/:\d+\/([^/]+)\/\)/)?.[1];
    ok(secret && secret.length >= 22, banner);
    const port = await cli.port();
    for (let i = 0; i < 10; i++) {
      const res = await fetchWithin(
        `http://127.0.0.1:${port}/${secret}/hello.txt`,
        { headers: { connection: "close" } },
      );
      strictEqual(await textWithin(res), "Hello over the engine\n");
      const other = await fetchWithin(`http://127.0.0.1:${port}/hello.txt`, {
        headers: { connection: "close" },
      });
      strictEqual(other.status, 404);
      await other.body?.cancel();
    }
    const zip = await fetchWithin(`http://127.0.0.1:${port}/${secret}/?zip`);
    strictEqual(zip.headers.get("content-type"), "application/zip");
    await zip.body?.cancel();
    strictEqual((await cli.exit("SIGINT")).code, 0);
  }
  await using cli = new CliProcess(
    [
      "--unstable-net",
      "--allow-net=127.0.0.1",
      `--allow-read=${fx.dir},${ROOT}`,
    ],
    serving(fx.dir, "--workers", "2", "--once"),
  );
  const result = await cli.exit();
  strictEqual(result.code, 2);
  ok(
    result.stderr.endsWith(
      "cli.ts: error: --workers cannot be used with --once, --idle-timeout " +
        "or --stop-after (each worker sees only its own requests)\n",
    ),
    result.stderr,
  );
});
