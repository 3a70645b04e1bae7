// Copyright 2026 the httpserver authors. MIT license.
// The long fuzz run: `deno task fuzz`. FUZZ_SECONDS (default 60) per target
// (the core handler, then SimpleHTTPRequestHandler); FUZZ_SEED replays a
// failure. Not part of `deno task test` (no `_test` suffix); it runs under
// `deno test` so that the resource sanitizers check it.
import { ok } from "node:assert/strict";
import { runFuzz, simpleFuzzFolder } from "./_fuzz.ts";

const seconds = Number(Deno.env.get("FUZZ_SECONDS") ?? "60");
const seed = Number(Deno.env.get("FUZZ_SEED") ?? "") || undefined;

Deno.test(`HTTPServer survives ${seconds} s of fuzzed requests`, async () => {
  const report = await runFuzz({
    numRuns: 1_000_000,
    timeLimit: seconds * 1000,
    workers: 8,
    seed,
  });
  console.log(JSON.stringify(report));
  ok(report.runs > 0);
});

Deno.test(`SimpleHTTPRequestHandler survives ${seconds} s of fuzzed requests`, async () => {
  await using folder = await simpleFuzzFolder();
  const report = await runFuzz({
    numRuns: 1_000_000,
    timeLimit: seconds * 1000,
    workers: 8,
    seed,
    Handler: folder.Handler,
    oracle: false,
    afterTarget: "/index.txt",
  });
  console.log(JSON.stringify(report));
  ok(report.runs > 0);
});
