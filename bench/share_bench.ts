// Copyright 2026 the httpserver authors. MIT license.
/**
 * `deno task bench:share`: folder archives and big listings.
 *
 * - Archives: `?zip`, `?tar` and `?tar=gz` of 10,000 small files, and
 *   `?zip` and `?tar` of one sparse file (5 GiB; 1 GiB with `--quick`),
 *   downloaded by curl to /dev/null (the sparse file read once before, so
 *   that each case finds it in the page cache): MB/s of the body, the server's CPU
 *   time (user + system) and its peak RSS (a fresh server per case, VmHWM).
 * - Listings: a folder of 100,000 empty files (20,000 with `--quick`):
 *   milliseconds per listing for Python's `http.server` (newest python3
 *   found), ours with Python's page, and ours with the rich page (first
 *   page, sorted by name), median of N sequential requests, and the
 *   server's CPU time per listing (the mean over the N requests).
 *
 * Run under the machine-wide lock: `flock /tmp/bench.lock deno task
 * bench:share [--quick]`. Needs curl.
 * @module
 */
import { parseArgs } from "node:util";
import { findPython, run } from "./_setup.ts";
import {
  cpuMicros,
  denoScript,
  killAll,
  peakRssKiB,
  type Running,
  type ServerSpec,
  startServer,
  stopServer,
} from "./_servers.ts";

const REPO = new URL("..", import.meta.url).pathname;
const flags = parseArgs({
  args: Deno.args,
  options: { quick: { type: "boolean", default: false } },
}).values;
const quick = flags.quick;
const BIG = (quick ? 1 : 5) * 2 ** 30;
const SMALL_FILES = 10_000;
const LISTING = quick ? 20_000 : 100_000;
const REQUESTS = quick ? 3 : 7;

Deno.addSignalListener("SIGINT", () => {
  killAll();
  Deno.exit(130);
});

function ours(root: string, mode: "python" | "rich"): ServerSpec {
  return denoScript(
    `ours-${mode}`,
    `ours (${mode})`,
    `${REPO}bench/peers/ours_share.ts`,
    ["--allow-net", "--allow-read"],
    (port) => [String(port), root, mode],
  );
}

async function curl(url: string): Promise<{ bytes: number; seconds: number }> {
  const r = await run("curl", [
    "-s",
    "-o",
    "/dev/null",
    "-w",
    "%{size_download} %{time_total} %{http_code}",
    url,
  ], 600_000);
  const [bytes, seconds, code] = r.stdout.trim().split(" ");
  if (code !== "200") throw new Error(`curl ${url}: status ${code}`);
  return { bytes: Number(bytes), seconds: Number(seconds) };
}

function makeSmallFiles(dir: string): void {
  const data = new Uint8Array(2048);
  for (let d = 0; d < 100; d++) {
    Deno.mkdirSync(`${dir}/d${d}`, { recursive: true });
    for (let f = 0; f < SMALL_FILES / 100; f++) {
      crypto.getRandomValues(data.subarray(0, 1024));
      Deno.writeFileSync(`${dir}/d${d}/f${f}.bin`, data.subarray(0, 1024 + f));
    }
  }
}

/**
 * Reads a file once, so that every case finds it in the page cache (the
 * first read of a new sparse file makes the kernel fill gigabytes of zero
 * pages: seconds of system time the first case would pay alone).
 */
function readOnce(path: string): void {
  using file = Deno.openSync(path);
  const buf = new Uint8Array(1 << 20);
  while ((file.readSync(buf) ?? 0) > 0) { /* discard */ }
}

async function archiveRow(
  label: string,
  root: string,
  query: string,
): Promise<string> {
  const server: Running = await startServer(ours(root, "python"), "/");
  try {
    const cpu0 = cpuMicros(server.pid);
    const { bytes, seconds } = await curl(
      `http://127.0.0.1:${server.port}/?${query}`,
    );
    const cpu = (cpuMicros(server.pid) - cpu0) / 1e6;
    const rss = peakRssKiB(server.pid) / 1024;
    return `| ${label} | ?${query} | ${(bytes / 2 ** 20).toFixed(0)} MiB | ${
      seconds.toFixed(2)
    } s | ${(bytes / seconds / 1e6).toFixed(0)} MB/s | ${cpu.toFixed(2)} s | ${
      rss.toFixed(0)
    } MiB |`;
  } finally {
    await stopServer(server);
  }
}

async function listingMs(
  spec: ServerSpec,
  path: string,
): Promise<{ ms: number; cpuMs: number }> {
  const server = await startServer(spec, "/");
  try {
    const times: number[] = [];
    await curl(`http://127.0.0.1:${server.port}${path}`); // warm-up
    const cpu0 = cpuMicros(server.pid);
    for (let i = 0; i < REQUESTS; i++) {
      const { seconds } = await curl(`http://127.0.0.1:${server.port}${path}`);
      times.push(seconds * 1000);
    }
    const cpuMs = (cpuMicros(server.pid) - cpu0) / 1000 / REQUESTS;
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)]!, cpuMs };
  } finally {
    await stopServer(server);
  }
}

const base = await Deno.makeTempDir({ prefix: "share-bench-" });
try {
  console.log(`# share benchmark${quick ? " (quick)" : ""}\n`);
  console.log(
    "| tree | request | body | time | throughput | server CPU | server peak RSS |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  const small = `${base}/small`;
  makeSmallFiles(small);
  for (const q of ["zip", "tar", "tar=gz"]) {
    console.log(await archiveRow(`${SMALL_FILES} files`, small, q));
  }
  const big = `${base}/big`;
  Deno.mkdirSync(big);
  Deno.writeFileSync(`${big}/sparse.bin`, new Uint8Array());
  Deno.truncateSync(`${big}/sparse.bin`, BIG);
  readOnce(`${big}/sparse.bin`);
  Deno.writeTextFileSync(`${big}/after.txt`, "after the big one\n");
  for (const q of ["zip", "tar"]) {
    console.log(
      await archiveRow(`${BIG / 2 ** 30} GiB sparse`, big, q),
    );
  }

  const many = `${base}/many`;
  Deno.mkdirSync(many);
  for (let i = 0; i < LISTING; i++) {
    Deno.writeFileSync(
      `${many}/file-${String(i).padStart(6, "0")}.txt`,
      new Uint8Array(),
    );
  }
  const python = await findPython();
  console.log(
    `\n| ${LISTING} entries | ms per listing (median of ${REQUESTS}) | vs Python | server CPU ms per listing | vs Python |`,
  );
  console.log("| --- | --- | --- | --- | --- |");
  let py = { ms: NaN, cpuMs: NaN };
  if (python) {
    py = await listingMs({
      id: "python",
      label: `python ${python.version}`,
      command: (port) => ({
        cmd: python.executable,
        args: [
          "-m",
          "http.server",
          "-b",
          "127.0.0.1",
          "-d",
          many,
          String(port),
        ],
      }),
      exe: /python/,
    }, "/");
    console.log(
      `| python ${python.version} -m http.server | ${
        py.ms.toFixed(0)
      } | 1.0x | ${py.cpuMs.toFixed(0)} | 1.0x |`,
    );
  }
  for (const mode of ["python", "rich"] as const) {
    const { ms, cpuMs } = await listingMs(ours(many, mode), "/");
    console.log(
      `| ours, ${mode} page | ${ms.toFixed(0)} | ${
        (py.ms / ms).toFixed(1)
      }x faster | ${cpuMs.toFixed(0)} | ${
        (py.cpuMs / cpuMs).toFixed(1)
      }x less |`,
    );
  }
} finally {
  killAll();
  await Deno.remove(base, { recursive: true });
}
