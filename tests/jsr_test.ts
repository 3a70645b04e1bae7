// Copyright 2026 the httpserver authors. MIT license.
// The package's own checks, run by the suite so CI keeps them true: JSR's dry
// run (no slow types, licence, excludes), doc lint of every entry point,
// formatting and lint.
import { ok, strictEqual } from "node:assert/strict";
import { withTimeout } from "./_util.ts";

const ROOT = new URL("..", import.meta.url).pathname;

async function deno(args: string[]): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await withTimeout(
    new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output(),
    `deno ${args.join(" ")}`,
    120_000,
  );
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("The package passes JSR's publish dry run", async () => {
  const { code, output } = await deno([
    "publish",
    "--dry-run",
    "--allow-dirty",
  ]);
  strictEqual(code, 0, output);
  ok(output.includes("Success Dry run complete"), output);
  ok(
    !/tests\/|bench\/|examples\//.test(
      output.split("Files to publish")[1] ?? "",
    ),
    "excluded folders stay out",
  );
});

Deno.test("Every entry point passes deno doc --lint", async () => {
  const { code, output } = await deno([
    "doc",
    "--lint",
    "mod.ts",
    "cli.ts",
    "testing.ts",
  ]);
  strictEqual(code, 0, output);
});

Deno.test("The tree passes deno fmt --check and deno lint", async () => {
  const fmt = await deno(["fmt", "--check"]);
  strictEqual(fmt.code, 0, fmt.output);
  const lint = await deno(["lint"]);
  strictEqual(lint.code, 0, lint.output);
});
