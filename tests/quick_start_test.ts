// Copyright 2026 the httpserver authors. MIT license.
/** The README's quick start: `deno task start` serves this folder. */
import { ok, strictEqual } from "node:assert/strict";
import { CliProcess } from "./_cli_util.ts";

const REPO = new URL("../", import.meta.url).pathname;

/** The PIDs under `pid`, children first, from /proc. */
function descendants(pid: number): number[] {
  const out: number[] = [];
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    const text = Deno.readTextFileSync(
      `/proc/${pid}/task/${task.name}/children`,
    );
    for (const child of text.split(" ").filter(Boolean).map(Number)) {
      out.push(child, ...descendants(child));
    }
  }
  return out;
}

Deno.test({
  name:
    "deno task start serves this folder with 64 socket events per event-loop turn",
  // The server process is found through /proc.
  ignore: Deno.build.os !== "linux",
}, async () => {
  await using cli = new CliProcess([], ["-b", "127.0.0.1", "0"], {
    task: "start",
  });
  const port = await cli.port();
  const server = descendants(cli.child.pid).find((pid) =>
    Deno.readTextFileSync(`/proc/${pid}/cmdline`).includes("cli.ts")
  );
  if (server === undefined) {
    throw new Error("No server process under deno task");
  }
  let env: string[];
  try {
    const res = await fetch(`http://127.0.0.1:${port}/deno.json`);
    strictEqual(res.status, 200);
    strictEqual(await res.text(), await Deno.readTextFile(`${REPO}deno.json`));
    env = (await Deno.readTextFile(`/proc/${server}/environ`)).split("\0");
  } finally {
    // Stop the server itself: killing `deno task` would leave it running.
    Deno.kill(server, "SIGINT");
  }
  const result = await cli.exit();
  // Without it, many busy connections starve the rest (see README.md).
  ok(env.includes("DENO_TOKIO_MAX_IO_EVENTS_PER_TICK=64"), env.join(" "));
  strictEqual(result.code, 0);
  ok(
    result.stdout.endsWith("\nKeyboard interrupt received, exiting.\n"),
    result.stdout,
  );
});
