// Copyright 2026 the httpserver authors. MIT license.
/**
 * Child of archive_memory_test.ts, run with `--v8-flags=--expose-gc`:
 * writes the tar, tar.gz and zip of the folder DIR to a sink that drops the
 * bytes and prints, as JSON, the heap and buffer memory each format keeps
 * per member. Memory is sampled after a full collection every 20 members;
 * the least of the samples in the first and in the last WINDOW members
 * leaves out the bytes in flight (a writer may queue a few MiB), so the
 * difference is what stays.
 * @module
 */
import { walkFolder } from "../handlers/_archive/walk.ts";
import { writeTar } from "../handlers/_archive/tar.ts";
import { writeZip } from "../handlers/_archive/zip.ts";
import type { ArchiveEntry } from "../handlers/_archive/walk.ts";

const [dir = ".", windowArg = "400"] = Deno.args;
const WINDOW = Number(windowArg);
const gc = (globalThis as { gc?: () => void }).gc!;
const folder = {
  directory: dir,
  root: Deno.realPathSync(dir),
  followSymlinks: false,
  serveDotfiles: false,
};

function used(): number {
  gc();
  const m = Deno.memoryUsage();
  return m.heapUsed + m.external;
}

/** The folder's members, sampling the memory every 20 into `samples`. */
function* measured(samples: [number, number][]): Generator<ArchiveEntry> {
  let count = 0;
  for (const entry of walkFolder(dir, "top", folder)) {
    if (++count % 20 === 0) samples.push([count, used()]);
    yield entry;
  }
}

const result: Record<string, number> = {};
for (const format of ["tar", "tar.gz", "zip"] as const) {
  const samples: [number, number][] = [];
  const entries = measured(samples);
  const sink = new WritableStream<Uint8Array>();
  if (format === "zip") await writeZip(entries, sink);
  else await writeTar(entries, sink, format === "tar.gz");
  const last = samples.at(-1)![0];
  const low = (from: number, to: number) =>
    Math.min(
      ...samples.filter(([n]) => n >= from && n <= to).map(([, m]) => m),
    );
  const start = low(WINDOW, 2 * WINDOW);
  const end = low(last - WINDOW, last);
  result[format] = (end - start) / (last - 1.5 * WINDOW - WINDOW / 2);
}
console.log(JSON.stringify(result));
