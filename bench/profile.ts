// Copyright 2026 the httpserver authors. MIT license.
/**
 * `deno task profile`: where a server's CPU and allocations go per request,
 * under one wrk load. Figures that do not depend on how busy the machine is:
 * system calls per request (`strace`, counted per call), bytes allocated per request and
 * their sites (V8's sampling heap profiler, collected objects included),
 * and JavaScript self time by function (V8's CPU profiler, through the
 * inspector), each from its own run; with `idle`, where the memory of idle
 * keep-alive connections goes (RSS, V8 heap, ArrayBuffers, before and after
 * a full GC, and the allocation sites of what they keep alive).
 *
 * Usage:
 *   deno task profile [--server ours] [--load keepalive|close|c1000]
 *                     [--seconds 5] [--what strace,heap,cpu,idle] [--top 25]
 *                     [--connections 1000]
 *
 * `--server` is an id of `deno task bench` (`ours`, `deno-listen`,
 * `node-net`, `nginx`...; heap and cpu need a Deno server).
 * @module
 */
import { parseArgs } from "node:util";
import { ensureWrk, makeFixtures, run, which } from "./_setup.ts";
import {
  cpuMicros,
  freePort,
  killAll,
  processTree,
  rssKiB,
  type Running,
  type ServerSpec,
  setClockTicks,
  settle,
  startServer,
  stopServer,
} from "./_servers.ts";
import { allServers } from "./_specs.ts";
import { LOADS } from "./_measure.ts";
import { wrk, type WrkResult } from "./_load.ts";
import { closeAll, established, openIdle, sleep, warmUp } from "./_idle.ts";
import {
  allocationSites,
  type CpuProfile,
  frameName,
  type HeapNode,
  Inspector,
} from "./_cdp.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    server: { type: "string", default: "ours" },
    load: { type: "string", default: "keepalive" },
    seconds: { type: "string", default: "5" },
    what: { type: "string", default: "strace,heap,cpu" },
    connections: { type: "string", default: "1000" },
    top: { type: "string", default: "25" },
  },
});
const seconds = Math.max(1, Math.round(Number(flags.seconds)));
const top = Number(flags.top);
const load = LOADS.find((l) => l.id === flags.load && !l.idle && !l.download);
if (!load) throw new Error(`Unknown wrk load: ${flags.load}`);

const REPO = new URL("..", import.meta.url).pathname;

function table(rows: [string, number][], unit: string, digits = 2): string {
  return rows.slice(0, top).map(([k, v]) =>
    `  ${v.toFixed(digits).padStart(10)} ${unit}  ${k}`
  ).join("\n");
}

/** The spec, with `--inspect` on a port of ours when it is a Deno server. */
function withInspector(spec: ServerSpec, port: number): ServerSpec {
  return {
    ...spec,
    command: (p) => {
      const c = spec.command(p);
      if (!/deno[^/]*$/.test(c.cmd)) {
        throw new Error(`${spec.label} is not a Deno server`);
      }
      return {
        cmd: c.cmd,
        args: [c.args[0]!, `--inspect=127.0.0.1:${port}`, ...c.args.slice(1)],
      };
    },
  };
}

async function loadOnce(server: Running, path: string): Promise<WrkResult> {
  return await wrk({
    url: `http://127.0.0.1:${server.port}${path}`,
    connections: load!.connections,
    headers: load!.headers,
    timeout: load!.timeout,
    seconds,
  });
}

async function warm(server: Running, path: string): Promise<void> {
  await wrk({
    url: `http://127.0.0.1:${server.port}${path}`,
    connections: load!.connections,
    headers: load!.headers,
    timeout: load!.timeout,
    seconds: 2,
  });
  await settle(server);
}

async function straceRun(spec: ServerSpec, path: string): Promise<void> {
  if (!await which("strace")) {
    console.log("strace: not installed, skipped");
    return;
  }
  const server = await startServer(spec, path);
  const out = await Deno.makeTempFile({ suffix: ".strace" });
  try {
    await warm(server, path);
    const pids = processTree(server.pid).flatMap((p) => ["-p", String(p)]);
    // Full traces, counted here: `strace -c` undercounts under load (it
    // showed 692 recvfrom calls for 43,325 requests of the bare loop).
    const tracer = new Deno.Command("strace", {
      args: ["-f", "-qq", "-s", "0", "-o", out, ...pids],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await new Promise((r) => setTimeout(r, 500));
    const r = await loadOnce(server, path);
    tracer.kill("SIGINT");
    await tracer.status;
    const counts = new Map<string, number>();
    let total = 0;
    const file = await Deno.open(out);
    const lines = file.readable.pipeThrough(new TextDecoderStream());
    let rest = "";
    const count = (line: string) => {
      // "TID name(...": a call; "TID <... name resumed>": its second half.
      const m = /^\d+\s+([a-z0-9_]+)\(/.exec(line);
      if (!m) return;
      counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
      total++;
    };
    for await (const chunk of lines) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const line of parts) count(line);
    }
    count(rest);
    const rows = [...counts].map(([k, v]): [string, number] => [
      k,
      v / r.requests,
    ]);
    rows.sort((a, b) => b[1] - a[1]);
    console.log(
      `\nstrace (${r.requests} requests under strace, ${
        r.rps.toFixed(0)
      } req/s): ${(total / r.requests).toFixed(2)} system calls per request`,
    );
    console.log(table(rows, "calls/req"));
  } finally {
    await stopServer(server);
    await Deno.remove(out).catch(() => {});
  }
}

async function heapRun(spec: ServerSpec, path: string): Promise<void> {
  const port = freePort();
  const server = await startServer(withInspector(spec, port), path);
  try {
    const ins = await Inspector.connect(port);
    await warm(server, path);
    await ins.send("HeapProfiler.enable");
    await ins.send("HeapProfiler.startSampling", {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    const r = await loadOnce(server, path);
    const { profile } = await ins.send<{ profile: { head: HeapNode } }>(
      "HeapProfiler.stopSampling",
    );
    ins.close();
    const { total, sites } = allocationSites(profile.head);
    const rows = sites.map(([k, v]): [string, number] => [k, v / r.requests]);
    console.log(
      `\nAllocations (sampling heap profiler, every 1 KiB on average, collected objects included; ${r.requests} requests): ${
        (total / r.requests).toFixed(0)
      } bytes per request`,
    );
    console.log(table(rows, "B/req", 0));
  } finally {
    await stopServer(server);
  }
}

async function cpuRun(spec: ServerSpec, path: string): Promise<void> {
  const port = freePort();
  const server = await startServer(withInspector(spec, port), path);
  try {
    const ins = await Inspector.connect(port);
    await warm(server, path);
    await ins.send("Profiler.enable");
    await ins.send("Profiler.setSamplingInterval", { interval: 50 });
    const cpu0 = cpuMicros(server.pid);
    await ins.send("Profiler.start");
    const r = await loadOnce(server, path);
    const { profile } = await ins.send<{ profile: CpuProfile }>(
      "Profiler.stop",
    );
    const cpu = cpuMicros(server.pid) - cpu0;
    ins.close();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    const self = new Map<number, number>();
    for (let i = 0; i < samples.length; i++) {
      self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (deltas[i] ?? 0));
    }
    const byFn = new Map<string, number>();
    const byFile = new Map<string, number>();
    let busy = 0;
    for (const n of profile.nodes) {
      const t = self.get(n.id) ?? 0;
      if (!t || n.callFrame.functionName === "(idle)") continue;
      busy += t;
      const k = frameName(n.callFrame);
      byFn.set(k, (byFn.get(k) ?? 0) + t);
      const file = n.callFrame.url
        ? n.callFrame.url.replace("file://" + REPO, "")
        : n.callFrame.functionName;
      byFile.set(file, (byFile.get(file) ?? 0) + t);
    }
    const perReq = (m: Map<string, number>) =>
      [...m].map(([k, v]): [string, number] => [k, v / r.requests]).sort((
        a,
        b,
      ) => b[1] - a[1]);
    console.log(
      `\nCPU profile of the main thread (${r.requests} requests, ${
        r.rps.toFixed(0)
      } req/s under the profiler): ${
        (busy / r.requests).toFixed(1)
      } µs busy per request; the process used ${
        (cpu / r.requests).toFixed(1)
      } µs CPU per request (all threads)`,
    );
    console.log("By file (self time):");
    console.log(table(perReq(byFile), "µs/req"));
    console.log("By function (self time):");
    console.log(table(perReq(byFn), "µs/req"));
  } finally {
    await stopServer(server);
  }
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  backingStorageSize?: number;
}

/**
 * Where the memory of idle keep-alive connections goes: RSS, the V8 heap
 * (used and reserved) and ArrayBuffer backing stores, each before and after
 * a full GC, at the start, with the connections idle and after they closed;
 * and the allocation sites of what the idle connections keep alive.
 */
async function idleRun(spec: ServerSpec, path: string): Promise<void> {
  const count = Number(flags.connections);
  const port = freePort();
  const server = await startServer(withInspector(spec, port), path);
  const conns: Deno.Conn[] = [];
  try {
    const ins = await Inspector.connect(port);
    await warmUp(server.port, path);
    await sleep(1000);
    const rows: string[] = [];
    const snap = async (label: string) => {
      const a = await ins.send<HeapUsage>("Runtime.getHeapUsage");
      const rss = rssKiB(server.pid);
      await ins.send("HeapProfiler.collectGarbage");
      await sleep(200);
      const b = await ins.send<HeapUsage>("Runtime.getHeapUsage");
      const rssGc = rssKiB(server.pid);
      const mib = (n: number) => (n / 2 ** 20).toFixed(1).padStart(7);
      rows.push(
        `  ${label.padEnd(16)} RSS ${mib(rss * 1024)} -> ${
          mib(rssGc * 1024)
        }   heap used ${mib(a.usedSize)} -> ${mib(b.usedSize)}   heap total ${
          mib(a.totalSize)
        } -> ${mib(b.totalSize)}   ArrayBuffers ${
          mib(a.backingStorageSize ?? NaN)
        } -> ${mib(b.backingStorageSize ?? NaN)}`,
      );
      return { rss: rssGc, used: b.usedSize, buffers: b.backingStorageSize };
    };
    const start = await snap("start");
    await ins.send("HeapProfiler.enable");
    // Live objects only: what the connections keep.
    await ins.send("HeapProfiler.startSampling", { samplingInterval: 256 });
    conns.push(...await openIdle(server.port, path, count));
    await sleep(2000);
    const held = await established(server.port);
    const { profile } = await ins.send<{ profile: { head: HeapNode } }>(
      "HeapProfiler.stopSampling",
    );
    const idle = await snap(`${held} idle`);
    closeAll(conns);
    await sleep(5000);
    await snap("after close");
    ins.close();
    console.log(
      `\nIdle connections (${held} held; MiB, before -> after a full GC):`,
    );
    console.log(rows.join("\n"));
    const per = (a: number, b: number) => ((a - b) / held).toFixed(0);
    console.log(
      `Per idle connection, after GC: RSS ${
        per(idle.rss * 1024, start.rss * 1024)
      } B, V8 heap ${per(idle.used, start.used)} B, ArrayBuffers ${
        per(idle.buffers ?? NaN, start.buffers ?? NaN)
      } B`,
    );
    const rowsBySite = allocationSites(profile.head).sites.map((
      [k, v],
    ): [string, number] => [k, v / held]);
    console.log(
      "Live JavaScript objects allocated since the start, per idle connection (sampled):",
    );
    console.log(table(rowsBySite, "B/conn", 0));
  } finally {
    closeAll(conns);
    await stopServer(server);
  }
}

async function main(): Promise<void> {
  await ensureWrk();
  setClockTicks(
    Number((await run("getconf", ["CLK_TCK"], 5000)).stdout.trim()),
  );
  const fx = await makeFixtures();
  const work = await Deno.makeTempDir({ prefix: "httpserver-profile-" });
  try {
    const spec = allServers(fx, {
      python: null,
      httpServer: null,
      nginx: await which("nginx"),
      caddy: await which("caddy"),
      work,
    }).find((s) => s.id === flags.server);
    if (!spec) throw new Error(`Unknown server: ${flags.server}`);
    const path = load!.path(fx);
    console.log(
      `${spec.label}, load ${load!.label} (wrk -c${
        load!.connections
      }), ${seconds} s per run`,
    );
    const what = flags.what.split(",");
    if (what.includes("strace")) await straceRun(spec, path);
    if (what.includes("heap")) await heapRun(spec, path);
    if (what.includes("cpu")) await cpuRun(spec, path);
    if (what.includes("idle")) await idleRun(spec, path);
  } finally {
    killAll();
    await Deno.remove(fx.root, { recursive: true }).catch(() => {});
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

await main();
