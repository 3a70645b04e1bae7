// Copyright 2026 the httpserver authors. MIT license.
// The engines and the cores from the command line, in spawned processes
// under narrow permissions: `--engine serve --tls-cert` speaking HTTP/2 to
// curl and to Chromium, `--workers 2` (serving, whole log lines, a killed
// worker started again, Ctrl-C), and the `deno serve` entry module, with
// `--parallel`.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { CliProcess } from "./_cli_util.ts";
import { chromiumMissing, launchChromium } from "./_browser.ts";
import { withTimeout } from "./_util.ts";
import { fetchWithin, textWithin } from "./_engine_util.ts";

const TLS = new URL("./testdata/tls/", import.meta.url).pathname;
const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const LOG_LINE =
  /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4} \d\d:\d\d:\d\d\] ("[^"]*" \d{3} -|code \d{3}, message .*)$/;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function have(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const noChromium = chromiumMissing("engine_cli_test.ts");
const noCurl = have("curl", ["--version"]) ? false : "curl is not installed";

/** A temp folder `site/` with a page, a script and a text file. */
async function site(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "httpserver_engine_" });
  await Deno.writeTextFile(`${dir}/hello.txt`, "Hello over the engine\n");
  await Deno.writeTextFile(
    `${dir}/index.html`,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>h2 page</title>
<script type="module" src="app.js"></script></head>
<body><p id="out">no script</p></body></html>
`,
  );
  await Deno.writeTextFile(
    `${dir}/app.js`,
    `document.getElementById("out").textContent = "script ran";\n`,
  );
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The CLI's arguments to serve `dir` on 127.0.0.1, a free port, and `more`. */
function serving(dir: string, ...more: string[]): string[] {
  return ["0", "-b", "127.0.0.1", "-d", dir, ...more];
}

const ENTRY = new URL("../serve_entry.ts", import.meta.url).pathname;

/** `deno serve <flags> serve_entry.ts <args>` on 127.0.0.1, a free port, reading `dir`. */
function denoServe(
  dir: string,
  flags: string[],
  args: string[],
  env?: Record<string, string>,
): CliProcess {
  return new CliProcess(
    [
      ...flags,
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--allow-net=127.0.0.1",
      `--allow-read=${dir}`,
    ],
    args,
    { script: ENTRY, subcommand: "serve", env },
  );
}

/** HTTPS from the test certificate. */
const TLS_FLAGS = [
  "--tls-cert",
  TLS + "cert.pem",
  "--tls-key",
  TLS + "key.pem",
];

function tlsServer(dir: string, extra: string[] = []): CliProcess {
  return new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${dir},${TLS}`, ...extra],
    serving(dir, "--engine", "serve", ...TLS_FLAGS),
  );
}

Deno.test({
  name: "CLI --engine serve --tls-cert speaks HTTP/2 to curl --http2",
  ignore: noCurl !== false,
  async fn() {
    await using fx = await site();
    await using cli = tlsServer(fx.dir);
    const port = await cli.port();
    match(await cli.line(0), /^Serving HTTPS on 127\.0\.0\.1 port \d+ /);
    const out = await withTimeout(
      new Deno.Command("curl", {
        args: [
          "-sS",
          "--http2",
          "--cacert",
          TLS + "ca.pem",
          "-w",
          "\\n%{http_version} %{http_code}",
          `https://localhost:${port}/hello.txt`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output(),
      "curl",
    );
    const text = new TextDecoder().decode(out.stdout);
    strictEqual(
      text,
      "Hello over the engine\n\n2 200",
      new TextDecoder().decode(out.stderr),
    );
    await cli.stderrIncludes('"GET /hello.txt HTTP/1.1" 200 -');
    strictEqual((await cli.exit("SIGINT")).code, 0);
  },
});

Deno.test({
  name: "CLI --engine serve --tls-cert serves Chromium over HTTP/2",
  ignore: noChromium !== null,
  sanitizeResources: false,
  async fn() {
    await using fx = await site();
    await using cli = tlsServer(fx.dir);
    const port = await cli.port();
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`https://localhost:${port}/index.html`);
      await page.waitForFunction(() =>
        // deno-lint-ignore no-explicit-any
        (globalThis as any).document.getElementById("out").textContent ===
          "script ran"
      );
      const protocols = await page.evaluate(() =>
        // deno-lint-ignore no-explicit-any
        (globalThis as any).performance.getEntries()
          // deno-lint-ignore no-explicit-any
          .map((e: any) => e.nextHopProtocol).filter((p: string) => p)
      );
      deepStrictEqual([...new Set(protocols)], ["h2"]);
      strictEqual(await page.title(), "h2 page");
    } finally {
      await withTimeout(browser.close(), "Chromium to close");
    }
    strictEqual((await cli.exit("SIGINT")).code, 0);
  },
});

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

Deno.test("deno serve --parallel runs the entry module on two threads and serves a file", async () => {
  await using fx = await site();
  await using cli = denoServe(fx.dir, ["--parallel"], ["-d", fx.dir], {
    DENO_JOBS: "2",
  });
  const port = await cli.port();
  match(await cli.line(0), /^Serving HTTP on 127\.0\.0\.1 port \d+ /);
  for (let i = 0; i < 10; i++) {
    const res = await fetchWithin(`http://127.0.0.1:${port}/hello.txt`, {
      headers: { connection: "close" },
    });
    strictEqual(await textWithin(res), "Hello over the engine\n");
    strictEqual(
      res.headers.get("server"),
      `SimpleHTTP/0.6 Deno/${Deno.version.deno}`,
    );
  }
  await cli.stderrIncludes('"GET /hello.txt HTTP/1.1" 200 -');
  const result = await cli.exit("SIGINT");
  strictEqual(result.code, 0);
  strictEqual(
    result.stdout.split("\n").filter((l) => l.startsWith("Serving")).length,
    1,
  );
});

Deno.test("deno serve entry refuses what deno serve or one process decides, in one usage line", async () => {
  await using fx = await site();
  for (
    const [args, message] of [
      [["-b", "127.0.0.1"], "deno serve takes no -b: use its --host"],
      [["8080"], "deno serve takes no a port: use its --port"],
      [["--workers", "2"], "deno serve takes no --workers: use its --parallel"],
      [["--random-path"], "deno serve takes no --random-path: use the CLI"],
      [["--qr"], "deno serve takes no --qr or --open: use the CLI"],
      [["--once"], "deno serve takes no automatic stop: use the CLI"],
    ] as const
  ) {
    await using cli = denoServe(fx.dir, [], ["-d", fx.dir, ...args]);
    const result = await cli.exit();
    strictEqual(result.code, 2);
    ok(result.stderr.endsWith(`serve: error: ${message}\n`), result.stderr);
  }
});

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

Deno.test("deno serve entry serves the share's listings and archives", async () => {
  await using fx = await site();
  await Deno.mkdir(`${fx.dir}/sub`);
  await Deno.writeTextFile(`${fx.dir}/sub/inside.txt`, "inside\n");
  {
    await using cli = denoServe(fx.dir, [], [
      "-d",
      fx.dir,
      "--archive",
      "--listing",
      "rich",
      "-q",
    ]);
    const port = await cli.port();
    const listing = await fetchWithin(`http://127.0.0.1:${port}/sub/?json`);
    const names = JSON.parse(await textWithin(listing));
    ok(JSON.stringify(names).includes("inside.txt"), JSON.stringify(names));
    const zip = await fetchWithin(`http://127.0.0.1:${port}/sub/?zip`);
    strictEqual(zip.headers.get("content-type"), "application/zip");
    await zip.body?.cancel();
    strictEqual((await cli.exit("SIGINT")).code, 0);
  }
});
