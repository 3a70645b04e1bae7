// Copyright 2026 the httpserver authors. MIT license.
// The Deno.serve engine from the command line, in spawned processes under
// narrow permissions: `--engine serve --tls-cert` speaking HTTP/2 to curl and
// to Chromium, and the `deno serve` entry module, with `--parallel`.
// (`--workers` is in engine_workers_test.ts.)
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { CliProcess } from "./_cli_util.ts";
import { chromiumMissing, launchChromium } from "./_browser.ts";
import { withTimeout } from "./_util.ts";
import {
  fetchWithin,
  serving,
  site,
  textWithin,
  TLS,
  TLS_FLAGS,
} from "./_engine_util.ts";

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
  // Each deno serve thread registers its own Ctrl-C handler as it starts: a
  // SIGINT that comes before the last one has stops only those before it
  // (Deno 2.9.6), so it is sent again, as a user presses Ctrl-C again.
  const again = setInterval(() => {
    try {
      cli.child.kill("SIGINT");
    } catch { /* it has exited */ }
  }, 2000);
  let result;
  try {
    result = await cli.exit("SIGINT");
  } finally {
    clearInterval(again);
  }
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

Deno.test("deno serve entry reads --auth-file, checks its permission and refuses it inside the folder, as the CLI does", async () => {
  await using fx = await site();
  const outside = await Deno.makeTempDir({ prefix: "httpserver-entry-auth-" });
  try {
    const file = `${outside}/users`;
    await Deno.writeTextFile(file, "ann:s3cret\n");
    {
      // No read permission for the file: one line naming the flag, exit 1.
      await using cli = denoServe(fx.dir, [], [
        "-d",
        fx.dir,
        "--auth-file",
        file,
      ]);
      const result = await cli.exit();
      strictEqual(result.code, 1);
      ok(result.stderr.includes(`--allow-read=${file}`), result.stderr);
    }
    {
      await using cli = denoServe(fx.dir, [`--allow-read=${fx.dir},${file}`], [
        "-d",
        fx.dir,
        "--auth-file",
        file,
        "-q",
      ]);
      const port = await cli.port();
      const url = `http://127.0.0.1:${port}/`;
      const stranger = await fetchWithin(url);
      await stranger.body?.cancel();
      strictEqual(stranger.status, 401);
      const ann = await fetchWithin(url, {
        headers: { Authorization: `Basic ${btoa("ann:s3cret")}` },
      });
      await ann.body?.cancel();
      strictEqual(ann.status, 200);
      strictEqual((await cli.exit("SIGINT")).code, 0);
    }
    await Deno.writeTextFile(`${fx.dir}/users`, "ann:s3cret\n");
    {
      await using cli = denoServe(fx.dir, [], [
        "-d",
        fx.dir,
        "--auth-file",
        `${fx.dir}/users`,
      ]);
      const result = await cli.exit();
      strictEqual(result.code, 1);
      ok(
        result.stderr.includes("is inside the served directory"),
        result.stderr,
      );
    }
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});
