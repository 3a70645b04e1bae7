// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's development options: parsing (`-c-1`, optional values, the
 * `--dev` preset), and a subprocess under the README's narrow permissions
 * (`--allow-net --allow-read=DIR`): the banner, live reload, Ctrl-C with an
 * event stream open, the port fallback, and the start-up checks.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { parseCommandLine } from "../_cli/args.ts";
import { freeDevPort } from "../_cli/group_dev.ts";
import { CliProcess, runCli } from "./_cli_util.ts";
import { withTimeout } from "./_util.ts";

function parse(...args: string[]) {
  const r = parseCommandLine(args);
  if (r.kind !== "ok") throw new Error(r.stderr);
  return r.config;
}

Deno.test("CLI parses the development options into handler options", () => {
  assertEquals(parse().dev, undefined);
  assertEquals(parse("--live-reload", "--watch-ignore", "dist/**").dev, {
    liveReload: { watchIgnore: ["dist/**"] },
  });
  assertEquals(parse("--spa").dev, { spa: "index.html" });
  assertEquals(parse("--spa", "8080").dev, { spa: "index.html" });
  assertEquals(parse("--spa", "8080").port, 8080);
  assertEquals(parse("--spa", "app.html").dev, { spa: "app.html" });
  assertEquals(parse("--404", "missing.html").dev, {
    notFoundPage: "missing.html",
  });
  assertEquals(parse("--cache", "no-cache").dev, { cache: "no-cache" });
  assertEquals(parse("--cache", "3600").dev, { cache: 3600 });
  assertEquals(parse("-c-1").dev, { cache: "no-store" });
  assertEquals(
    parse("--immutable", "assets/**", "--immutable", "*.woff2").dev,
    {
      immutable: ["assets/**", "*.woff2"],
    },
  );
  assertEquals(parse("--isolate").dev, { isolate: "require-corp" });
  assertEquals(parse("--isolate", "credentialless").dev, {
    isolate: "credentialless",
  });
  assertEquals(parse("--isolate", "9000").port, 9000);
  assertEquals(parse("--compress", "--precompressed").dev, {
    compress: true,
    precompressed: true,
  });
});

Deno.test("CLI --dev turns on live reload and no-cache, binds to 127.0.0.1", () => {
  const c = parse("--dev");
  assertEquals(c.dev, { liveReload: true, cache: "no-cache" });
  assertEquals([c.bind, c.port, c.devPreset, c.portGiven], [
    "127.0.0.1",
    8000,
    true,
    false,
  ]);
  const given = parse("--dev", "-b", "0.0.0.0", "--cache", "no-store", "9000");
  assertEquals([given.bind, given.port, given.portGiven], [
    "0.0.0.0",
    9000,
    true,
  ]);
  assertEquals(given.dev?.cache, "no-store");
  // --qr: the code is for other devices, so no loopback unless -b says so.
  assertEquals(parse("--dev", "--qr").bind, null);
  assertEquals(parse("--dev", "--qr", "-b", "127.0.0.1").bind, "127.0.0.1");
});

Deno.test("CLI --dev port probe tries a port on the first host it can bind", () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (busy.addr as Deno.NetAddr).port;
  try {
    const next = freeDevPort(["127.0.0.1"], port);
    assert(next > port && next < port + 10, String(next));
    // An address that cannot be listened on is skipped, as the bind does.
    const after = freeDevPort(["192.0.2.1", "127.0.0.1"], port);
    assert(after > port && after < port + 10, String(after));
    // No usable host at all: the port as given (the bind reports why).
    assertEquals(freeDevPort(["192.0.2.1"], port), port);
  } finally {
    busy.close();
  }
});

Deno.test("CLI refuses bad development values with argparse's errors", () => {
  for (
    const [args, message] of [
      [["--cache", "soon"], "argument --cache: invalid cache value: 'soon'"],
      [["--isolate=yes"], "argument --isolate: invalid choice: 'yes'"],
    ] as [string[], string][]
  ) {
    const r = parseCommandLine(args);
    assert(
      r.kind === "exit" && r.code === 2 && r.stderr.includes(message),
      JSON.stringify(r),
    );
  }
});

async function site(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "cli_dev_test_" });
  await Deno.writeTextFile(`${dir}/index.html`, "<h1>hi</h1></body>");
  await Deno.writeTextFile(`${dir}/app.js`, "console.log(1);\n".repeat(200));
  return dir;
}

Deno.test("CLI --dev serves with live reload under --allow-net --allow-read=DIR, and Ctrl-C ends it with a stream open", async () => {
  const dir = await site();
  try {
    await using cli = new CliProcess(
      ["--allow-net", `--allow-read=${dir}`],
      ["--dev", "-d", dir, "0", "--compress", "--isolate"],
    );
    const port = await cli.port();
    assertEquals(
      await cli.line(0),
      `Serving HTTP on 127.0.0.1 port ${port} (http://127.0.0.1:${port}/) ...`,
    );
    assertEquals(
      await cli.line(1),
      "Development: live reload, Cache-Control no-cache, cross-origin " +
        "isolation (require-corp), compression",
    );
    const base = `http://127.0.0.1:${port}`;
    const page = await fetch(`${base}/`, { headers: { Accept: "text/html" } });
    assert((await page.text()).includes("/%00httpserver/live.js"));
    assertEquals(page.headers.get("cache-control"), "no-cache");
    assertEquals(
      page.headers.get("cross-origin-embedder-policy"),
      "require-corp",
    );
    // An open stream, told of a change, then Ctrl-C.
    const stream = await fetch(`${base}/%00httpserver/events`);
    const reader = stream.body!.pipeThrough(new TextDecoderStream())
      .getReader();
    let text = "";
    const until = (s: string) =>
      withTimeout(
        (async () => {
          while (!text.includes(s)) {
            const { value, done } = await reader.read();
            if (done) throw new Error(`stream ended: ${text}`);
            text += value;
          }
        })(),
        s,
      );
    await until("event: hello");
    await new Promise((r) => setTimeout(r, 300));
    await Deno.writeTextFile(`${dir}/app.js`, "console.log(2);\n");
    await until('"paths":["/app.js"]');
    const started = performance.now();
    const result = await cli.exit("SIGINT");
    const took = performance.now() - started;
    assertEquals(result.code, 0);
    assert(result.stdout.endsWith("\nKeyboard interrupt received, exiting.\n"));
    assert(took < 3000, `exit took ${took} ms`);
    await reader.cancel().catch(() => {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI --dev takes the next free port when 8000 is busy and says so", async () => {
  const dir = await site();
  let holder: Deno.Listener | null = null;
  try {
    holder = Deno.listen({ hostname: "127.0.0.1", port: 8000 });
  } catch { /* busy already: just as good */ }
  try {
    await using cli = new CliProcess(
      ["--allow-net", `--allow-read=${dir}`],
      ["--dev", "-d", dir],
    );
    const port = await cli.port();
    assert(port > 8000 && port < 8010, String(port));
    assertEquals(
      await cli.line(2),
      `Port 8000 is busy: using port ${port} instead`,
    );
  } finally {
    holder?.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI refuses to start when the --spa or --404 file is missing", async () => {
  const dir = await site();
  try {
    const r = await runCli(
      ["--allow-net", `--allow-read=${dir}`],
      ["-d", dir, "--spa", "shell.html", "0"],
    );
    assertEquals(r.code, 2);
    assert(
      r.stderr.includes("--spa: no file 'shell.html' in the served directory"),
      r.stderr,
    );
    const r404 = await runCli(
      ["--allow-net", `--allow-read=${dir}`],
      ["-d", dir, "--404", "404.html", "0"],
    );
    assertEquals(r404.code, 2);
    assert(r404.stderr.includes("--404: no file '404.html'"), r404.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI warns that --isolate needs a secure context beyond loopback", async () => {
  const dir = await site();
  try {
    await using cli = new CliProcess(
      ["--allow-net", `--allow-read=${dir}`],
      ["-d", dir, "--isolate", "-b", "0.0.0.0", "0"],
    );
    await cli.port();
    await cli.stderrIncludes("warning: --isolate needs a secure context");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI --cors never goes on the live-reload stream", async () => {
  const dir = await site();
  try {
    await using cli = new CliProcess(
      ["--allow-net", `--allow-read=${dir}`],
      ["-d", dir, "--cors", "--live-reload", "-b", "127.0.0.1", "0"],
    );
    const port = await cli.port();
    const res = await fetch(`http://127.0.0.1:${port}/%00httpserver/events`, {
      method: "HEAD",
    });
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("access-control-allow-origin"), null);
    const file = await fetch(`http://127.0.0.1:${port}/app.js`);
    await file.body?.cancel();
    assertEquals(file.headers.get("access-control-allow-origin"), "*");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
