// Copyright 2026 the httpserver authors. MIT license.
/**
 * The sharing and development flags together through the real CLI
 * process, under the README's narrow permissions (`--allow-net
 * --allow-read=DIR`): `--dev --idle-timeout` with a page open.
 */
import { match, ok, strictEqual } from "node:assert/strict";
import { CliProcess } from "./_cli_util.ts";
import { RawClient } from "./_raw_client.ts";
import { withTimeout } from "./_util.ts";

/** A folder with a page, removed by `undo`. */
async function site(undo: AsyncDisposableStack): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "httpserver-cli-share-dev-" });
  undo.defer(() => Deno.remove(dir, { recursive: true }));
  await Deno.writeTextFile(`${dir}/index.html`, "<body><h1>hi</h1></body>");
  return dir;
}

/** The CLI serving `dir` on a free port with `flags`, narrow permissions. */
function cli(dir: string, flags: string[]): CliProcess {
  return new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${dir}`],
    ["-d", dir, "0", ...flags],
  );
}

for (const engine of ["listen", "serve"]) {
  Deno.test(`CLI --dev --idle-timeout stops after the last request although a page's live-reload stream is open (--engine ${engine})`, async () => {
    await using undo = new AsyncDisposableStack();
    const dir = await site(undo);
    await using proc = cli(dir, [
      "--dev",
      "--idle-timeout",
      "1s",
      "--engine",
      engine,
    ]);
    const port = await proc.port();
    const page = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { Accept: "text/html" },
    });
    ok((await page.text()).includes("/%00httpserver/live.js"));
    using stream = await RawClient.connect(port);
    await stream.send("GET /%00httpserver/events HTTP/1.1\r\nHost: x\r\n\r\n");
    ok(await stream.readUntil((t) => t.includes("event: hello")));
    const opened = performance.now();
    // Before the fix the stream was a request in flight: no stop, ever.
    const r = await withTimeout(proc.exit(), "the idle stop", 20_000);
    strictEqual(r.code, 0);
    match(r.stdout, /\nStopping: no request for 1s \(--idle-timeout\)\.\n$/);
    ok(performance.now() - opened >= 900, "not before the idle time");
    await stream.readToEnd();
  });
}
