// Copyright 2026 the httpserver authors. MIT license.
// The CLI's `--engine` and `--workers` (_cli/group_engine.ts), parsed
// in-process: values, defaults, errors, and their section in --help.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseCommandLine } from "../_cli/args.ts";
import type { EngineConfig } from "../_cli/group_engine.ts";

function engineOf(...args: string[]): EngineConfig {
  const r = parseCommandLine(args);
  if (r.kind !== "ok") throw new Error(`Parsing failed: ${r.stderr}`);
  return { engine: r.config.engine, workers: r.config.workers };
}

function error(...args: string[]): string {
  const r = parseCommandLine(args, { prog: "cli.ts" });
  if (r.kind === "ok") throw new Error(`Parsing succeeded: ${args.join(" ")}`);
  strictEqual(r.code, 2);
  return r.stderr.split("\n").at(-2)!;
}

Deno.test("CLI runs on the listen engine on the main thread unless told", () => {
  deepStrictEqual(engineOf(), { engine: "listen", workers: null });
});

Deno.test("CLI parses --engine and --workers", () => {
  deepStrictEqual(engineOf("--engine", "serve"), {
    engine: "serve",
    workers: null,
  });
  deepStrictEqual(engineOf("--workers", "3", "--engine=listen"), {
    engine: "listen",
    workers: 3,
  });
  deepStrictEqual(engineOf("--workers", "auto"), {
    engine: "listen",
    workers: navigator.hardwareConcurrency,
  });
});

Deno.test("CLI refuses an unknown engine and a bad worker count", () => {
  strictEqual(
    error("--engine", "uring"),
    "cli.ts: error: argument --engine: invalid choice: 'uring' (choose from 'listen', 'serve')",
  );
  for (const bad of ["0", "-1", "two", "1.5", "99999"]) {
    strictEqual(
      error("--workers", bad),
      `cli.ts: error: argument --workers: invalid worker count: '${bad}' (expected 1 to 1024, or auto)`,
    );
  }
});

Deno.test("CLI lists --engine and --workers in a section of their own in --help", () => {
  const r = parseCommandLine(["--help"]);
  if (r.kind !== "exit") throw new Error("no help");
  const section = r.stdout.split("\n\n").find((s) =>
    s.startsWith("engine and cores:")
  );
  ok(section, r.stdout);
  ok(section.includes("--engine {listen,serve}"));
  ok(section.includes("--workers N"));
});
