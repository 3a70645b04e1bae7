// Copyright 2026 the httpserver authors. MIT license.
// Hardening: a bounded property-based fuzz of a live server (a few seconds
// each); `deno task fuzz` runs the long one (tests/fuzz_long.ts).
// FUZZ_SEED replays a run; FUZZ_VERBOSE prints the figures.
import { ok } from "node:assert/strict";
import { runFuzz, simpleFuzzFolder } from "./_fuzz.ts";

const seed = Number(Deno.env.get("FUZZ_SEED") ?? "") || undefined;

Deno.test("HTTPServer survives random, mutated, split and truncated requests (bounded fuzz)", async () => {
  const report = await runFuzz({
    numRuns: 400,
    timeLimit: 3000,
    workers: 4,
    seed,
  });
  ok(report.runs >= 20, `ran ${report.runs} cases`);
  if (Deno.env.get("FUZZ_VERBOSE")) console.log(report);
});

Deno.test("SimpleHTTPRequestHandler survives random, mutated, split and truncated requests (bounded fuzz)", async () => {
  await using folder = await simpleFuzzFolder();
  const report = await runFuzz({
    numRuns: 400,
    timeLimit: 3000,
    workers: 4,
    seed,
    Handler: folder.Handler,
    oracle: false,
    afterTarget: "/index.txt",
  });
  ok(report.runs >= 20, `ran ${report.runs} cases`);
  if (Deno.env.get("FUZZ_VERBOSE")) console.log(report);
});
