// Copyright 2026 the httpserver authors. MIT license.
/**
 * The sharing flags through the real CLI process, under the narrow
 * permissions the README gives: archives, listings, the secret path (and
 * the log lines that never hold it whole), the QR code, the automatic
 * stops with their messages and exit code 0, bad durations, missing
 * permissions, and the default run left unchanged.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { CliProcess } from "./_cli_util.ts";
import { withTimeout } from "./_util.ts";
import {
  haveCommand,
  PYTHON,
  pythonList,
  run,
  withTree,
} from "./_archive_util.ts";
import { parseCommandLine } from "../_cli/args.ts";

const NARROW = (dir: string) => [
  "--allow-net=127.0.0.1",
  `--allow-read=${dir}`,
];

/** The CLI serving `dir` on 127.0.0.1, a free port, narrow permissions. */
function shareCli(dir: string, flags: string[]): CliProcess {
  return new CliProcess(NARROW(dir), [
    "0",
    "-b",
    "127.0.0.1",
    "-d",
    dir,
    ...flags,
  ]);
}

Deno.test("CLI --archive serves zips and tars with narrow permissions", async () => {
  await withTree(async (dir, base) => {
    await using cli = shareCli(dir, ["--archive", "--no-dotfiles"]);
    const port = await cli.port();
    const res = await fetch(`http://127.0.0.1:${port}/sub/?zip`);
    strictEqual(res.status, 200);
    const path = `${base}/cli.zip`;
    await Deno.writeFile(path, new Uint8Array(await res.arrayBuffer()));
    if (haveCommand("unzip")) {
      const r = await run("unzip", ["-t", path]);
      strictEqual(r.code, 0, r.stdout);
    }
    if (PYTHON) {
      const z = await pythonList(path, "zip");
      ok(z.names.includes("sub/deeper/b.bin"));
    }
    const tgz = await fetch(`http://127.0.0.1:${port}/?tar=gz`);
    await Deno.writeFile(
      `${base}/cli.tgz`,
      new Uint8Array(await tgz.arrayBuffer()),
    );
    if (haveCommand("tar")) {
      const r = await run("tar", ["-tzf", `${base}/cli.tgz`]);
      strictEqual(r.code, 0, r.stderr);
      ok(!r.stdout.includes(".env"));
    }
    await cli.stderrIncludes('"GET /?tar=gz HTTP/1.1" 200 -');
  });
});

Deno.test("CLI --listing rich and --listing python answer JSON too", async () => {
  await withTree(async (dir) => {
    for (const mode of ["rich", "python"]) {
      await using cli = shareCli(dir, ["-q", "--listing", mode]);
      const port = await cli.port();
      const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      strictEqual(html.includes("<table>"), mode === "rich");
      const json = await fetch(`http://127.0.0.1:${port}/?json`);
      strictEqual(json.headers.get("content-type"), "application/json");
      const names = (await json.json()).map((e: { name: string }) => e.name);
      ok(names.includes("a.txt"));
    }
  });
});

Deno.test("CLI --random-path prints the secret URL, hides the rest, logs it shortened", async () => {
  await withTree(async (dir) => {
    await using cli = shareCli(dir, ["--random-path"]);
    const banner = await cli.line(0);
    const m = banner.match(
      /^Serving HTTP on 127\.0\.0\.1 port (\d+) \(http:\/\/127\.0\.0\.1:\d+\/([A-Za-z0-9_-]{22})\/\) \.\.\.$/,
    );
    ok(m, banner);
    const [, port, secret] = m;
    const hit = await fetch(`http://127.0.0.1:${port}/${secret}/a.txt`);
    strictEqual(await hit.text(), "alpha\n");
    const miss = await fetch(`http://127.0.0.1:${port}/a.txt`);
    strictEqual(miss.status, 404);
    await miss.body?.cancel();
    await cli.stderrIncludes(
      `"GET /${secret!.slice(0, 4)}…/a.txt HTTP/1.1" 200 -`,
    );
    ok(!cli.stderr.includes(secret!), cli.stderr);
  });
});

Deno.test("CLI --qr --qr-host prints a code that scans to the URL", async () => {
  await withTree(async (dir, base) => {
    await using cli = shareCli(dir, [
      "-q",
      "--qr-host",
      "192.0.2.7",
      "--listing",
      "rich",
    ]);
    const port = (await cli.line(0)).match(/port (\d+)/)![1];
    let at = 1;
    while (!(await cli.line(at)).startsWith("  Scan: ")) at++;
    strictEqual(await cli.line(at), `  Scan: http://192.0.2.7:${port}/`);
    const lines = cli.stdout.split("\n").slice(1, at);
    // The rich page carries its own QR code (of the page for other devices).
    const page = await (await fetch(`http://127.0.0.1:${port}/sub/`)).text();
    ok(
      page.includes('<details class="qr"><summary>QR code of this page'),
      page,
    );
    ok(page.includes("<svg"));
    // A quiet zone of light modules all round.
    ok(lines[0]!.length > 20 && /^█+$/.test(lines[0]!), lines[0]);
    if (haveCommand("zbarimg") && haveCommand("rsvg-convert")) {
      // Draw the printed blocks as an image and read it back.
      const rows: boolean[][] = [];
      for (const line of lines) {
        const top: boolean[] = [];
        const bottom: boolean[] = [];
        for (const ch of line) {
          top.push(ch === "█" || ch === "▀");
          bottom.push(ch === "█" || ch === "▄");
        }
        rows.push(top, bottom);
      }
      const size = 8;
      const rects = rows.flatMap((row, y) =>
        row.map((light, x) =>
          light
            ? ""
            : `<rect x="${x * size}" y="${
              y * size
            }" width="${size}" height="${size}"/>`
        )
      ).join("");
      const w = rows[0]!.length * size;
      const h = rows.length * size;
      await Deno.writeTextFile(
        `${base}/printed.svg`,
        `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="white"/>${rects}</svg>`,
      );
      strictEqual(
        (await run("rsvg-convert", [
          "-o",
          `${base}/printed.png`,
          `${base}/printed.svg`,
        ])).code,
        0,
      );
      const r = await run("zbarimg", ["--raw", "-q", `${base}/printed.png`]);
      strictEqual(r.stdout.trim(), `http://192.0.2.7:${port}/`);
    }
  });
});

Deno.test("CLI --idle-timeout and --once print why they stopped and exit 0", async () => {
  await withTree(async (dir) => {
    {
      await using cli = shareCli(dir, ["-q", "--idle-timeout", "1s"]);
      const r = await withTimeout(cli.exit(), "idle exit", 20_000);
      strictEqual(r.code, 0);
      match(r.stdout, /\nStopping: no request for 1s \(--idle-timeout\)\.\n$/);
    }
    {
      await using cli = shareCli(dir, ["-q", "--once"]);
      const port = await cli.port();
      const head = await fetch(`http://127.0.0.1:${port}/a.txt`, {
        method: "HEAD",
      });
      await head.body?.cancel();
      strictEqual(
        await (await fetch(`http://127.0.0.1:${port}/a.txt`)).text(),
        "alpha\n",
      );
      const r = await withTimeout(cli.exit(), "once exit", 20_000);
      strictEqual(r.code, 0);
      match(
        r.stdout,
        /\nStopping: \/a\.txt was downloaded completely \(--once\)\.\n$/,
      );
    }
    {
      await using cli = shareCli(dir, ["-q", "--stop-after", "500ms"]);
      const r = await withTimeout(cli.exit(), "timed exit", 20_000);
      strictEqual(r.code, 0);
      match(r.stdout, /\nStopping: 500ms have passed \(--stop-after\)\.\n$/);
    }
  });
});

Deno.test("CLI refuses bad durations and names the missing permission", async () => {
  for (
    const [flag, value] of [["--idle-timeout", "soon"], ["--stop-after", "0s"]]
  ) {
    const r = parseCommandLine(["--once", flag!, value!]);
    if (r.kind === "ok") throw new Error(`${flag} ${value} was accepted`);
    strictEqual(r.code, 2);
    match(
      r.stderr,
      new RegExp(`cli.ts: error: argument ${flag}: invalid duration`),
    );
  }
  const listing = parseCommandLine(["--listing", "fancy"]);
  strictEqual(listing.kind, "exit");
  await withTree(async (dir) => {
    await using cli = new CliProcess(NARROW(dir), ["0", "-d", dir, "--qr"]);
    const r = await cli.exit();
    strictEqual(r.code, 1);
    match(r.stderr, /--allow-sys=networkInterfaces/);
    match(r.stderr, /to find the address for the QR code/);
  });
});

Deno.test("CLI with no sharing flag prints and serves as before", async () => {
  await withTree(async (dir) => {
    await using cli = shareCli(dir, []);
    const port = await cli.port();
    const res = await fetch(`http://127.0.0.1:${port}/?zip`, {
      headers: { Accept: "application/json" },
    });
    strictEqual(res.headers.get("content-type"), "text/html; charset=utf-8");
    strictEqual(res.headers.get("vary"), null);
    await res.body?.cancel();
    const r = await cli.exit("SIGINT");
    strictEqual(r.code, 0);
    deepStrictEqual(r.stdout.split("\n").slice(1), [
      "",
      "Keyboard interrupt received, exiting.",
      "",
    ]);
  });
});

Deno.test("CLI --open without a browser to run says why and keeps serving", async () => {
  await withTree(async (dir) => {
    await using cli = shareCli(dir, ["-q", "--open", "--idle-timeout", "1s"]);
    const port = await cli.port();
    const res = await fetch(`http://127.0.0.1:${port}/a.txt`);
    strictEqual(await res.text(), "alpha\n");
    const r = await withTimeout(cli.exit(), "idle exit", 20_000);
    strictEqual(r.code, 0);
    const opener = Deno.build.os === "darwin"
      ? "open"
      : Deno.build.os === "windows"
      ? "cmd"
      : "xdg-open";
    strictEqual(
      r.stderr,
      `Could not open a browser: run again with --allow-run=${opener}\n`,
    );
  });
});
