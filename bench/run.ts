// Copyright 2026 the httpserver authors. MIT license.
/**
 * `deno task bench`: runs every server under every load with wrk, on
 * loopback, and prints one table with ratios against ours. See
 * `bench/README.md` for the method.
 *
 * Flags: `--quick` (3 rounds of 1 s runs, one warm-up per server),
 * `--rounds N` (default 3), `--duration S` (whole seconds per wrk run,
 * default 5), `--warmup S` (whole seconds before each wrk run, default 1),
 * `--servers a,b` and `--loads a,b` (ids as in the table; default all).
 * @module
 */
import { parseArgs } from "node:util";
import {
  ensureHttpServer,
  ensureWrk,
  findPython,
  type Fixtures,
  makeFixtures,
  run,
} from "./_setup.ts";
import {
  cpuMicros,
  killAll,
  peakRssKiB,
  type Running,
  type ServerSpec,
  setClockTicks,
  settle,
  startServer,
  stopServer,
} from "./_servers.ts";
import { download, wrk } from "./_load.ts";
import { ENGINE_LOADS, engineLoads } from "./_engine_loads.ts";
import {
  aggregate,
  type Cell,
  checkGoals,
  floorNotes,
  renderGoals,
  renderTable,
  type Sample,
} from "./_table.ts";

const BENCH = new URL(".", import.meta.url).pathname;
const REPO = new URL("..", import.meta.url).pathname;

interface Load {
  id: string;
  label: string;
  unit: string;
  path: (fx: Fixtures) => string;
  connections: number;
  headers?: string[];
  download?: boolean;
  /** Shortest run in seconds (slow loads need a few seconds to mean anything). */
  minSeconds?: number;
  /** wrk's per-request timeout in seconds; a slower response counts as an error. */
  timeout: number;
}

/**
 * The loads, in the order each server runs them: the download first, on a
 * fresh process (its peak RSS is the download's); the listing last, since
 * slow servers are left with a queue of listings when wrk stops.
 */
const LOADS: Load[] = [
  {
    id: "download",
    label: "1 GiB download",
    unit: "MB/s",
    path: (f) => f.huge,
    connections: 1,
    download: true,
    timeout: 120,
  },
  {
    id: "keepalive",
    label: "1 KiB keep-alive",
    unit: "req/s",
    path: (f) => f.small,
    connections: 50,
    timeout: 10,
  },
  {
    id: "close",
    label: "1 KiB Connection: close",
    unit: "req/s",
    path: (f) => f.small,
    connections: 50,
    headers: ["Connection: close"],
    timeout: 10,
  },
  {
    id: "1mib",
    label: "1 MiB file",
    unit: "req/s",
    path: (f) => f.medium,
    connections: 50,
    timeout: 10,
  },
  {
    id: "c1000",
    label: "1 KiB, 1000 connections",
    unit: "req/s",
    path: (f) => f.small,
    connections: 1000,
    timeout: 2,
  },
  {
    id: "listing",
    label: "2000-file listing",
    unit: "req/s",
    path: (f) => f.listing,
    connections: 50,
    minSeconds: 3,
    timeout: 10,
  },
];
/** The order of the table's rows. */
const TABLE_LOADS = [
  "keepalive",
  "close",
  "1mib",
  "listing",
  "download",
  "c1000",
];

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
    duration: { type: "string" },
    warmup: { type: "string" },
    servers: { type: "string" },
    loads: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log(
    "usage: deno task bench [--quick] [--rounds N] [--duration S] [--warmup S]\n" +
      "                       [--servers ours,python,python11,http-server,deno-static,deno-fixed,deno-listen]\n" +
      "                       [--loads keepalive,close,1mib,listing,download,c1000,h2,engine-close,cores]",
  );
  Deno.exit(0);
}
// wrk takes whole seconds.
const rounds = Math.max(1, Math.round(Number(flags.rounds ?? 3)));
const duration = Math.max(
  1,
  Math.round(Number(flags.duration ?? (flags.quick ? 1 : 5))),
);
const warmup = Math.max(0, Math.round(Number(flags.warmup ?? 1)));
/** Quick runs warm each server up once, before its first wrk load. */
const warmupEach = !flags.quick;
const loadFilter = flags.loads?.split(",");
const serverFilter = flags.servers?.split(",");

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

async function versionOf(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await run(cmd, args, 10_000);
    return (r.stdout + r.stderr).trim().split("\n")[0] ?? "?";
  } catch {
    return "?";
  }
}

async function machine(python: string): Promise<string> {
  const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(
    /^model name\s*:\s*(.*)$/m,
  )?.[1] ?? "?";
  const mem = Deno.systemMemoryInfo();
  return [
    `${navigator.hardwareConcurrency} x ${cpu}, ${
      Math.round(mem.total / 2 ** 30)
    } GiB RAM, Linux ${Deno.osRelease()}`,
    `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}), Python ${python}, Node ${await versionOf(
      "node",
      ["--version"],
    )}, ${await versionOf("wrk", ["--version"])}`,
  ].join("; ");
}

/**
 * Deno's tokio runtime handles at most this many socket events per turn.
 * Its default (1024) lets a few hundred busy connections starve the rest for
 * seconds on a `Deno.listen` server; 64 keeps them fair.
 */
const OURS_ENV = { DENO_TOKIO_MAX_IO_EVENTS_PER_TICK: "64" };

function servers(
  fx: Fixtures,
  python: { executable: string; version: string } | null,
  httpServerBin: string | null,
): ServerSpec[] {
  const deno = Deno.execPath();
  const denoExe = /deno[^/]*$/;
  const list: ServerSpec[] = [];
  if (exists(REPO + "cli.ts")) {
    list.push({
      id: "ours",
      label: "ours (cli.ts)",
      // As `deno task start` runs it: see "Many clients at once" in README.md.
      env: OURS_ENV,
      command: (port) => ({
        cmd: deno,
        args: [
          "run",
          "--allow-net",
          `--allow-read`,
          REPO + "cli.ts",
          "-q",
          "-b",
          "127.0.0.1",
          "-d",
          fx.root,
          String(port),
        ],
      }),
      exe: denoExe,
    });
  } else if (exists(REPO + "handlers/simple.ts")) {
    console.error(
      "cli.ts not found: measuring ours through bench/peers/ours_simple.ts",
    );
    list.push(oursSimple(fx));
  } else {
    console.error("cli.ts and handlers/simple.ts not found: skipping ours");
  }
  if (python) {
    const py = (id: string, label: string, extra: string[]): ServerSpec => ({
      id,
      label,
      command: (port) => ({
        cmd: python.executable,
        args: [
          "-m",
          "http.server",
          ...extra,
          "-b",
          "127.0.0.1",
          "-d",
          fx.root,
          String(port),
        ],
      }),
      exe: /python[^/]*$/,
    });
    list.push(py("python", `python ${python.version}`, []));
    list.push(
      py("python11", `python ${python.version} -p HTTP/1.1`, [
        "-p",
        "HTTP/1.1",
      ]),
    );
  } else console.error("python3 not found: skipping the Python peers");
  if (httpServerBin) {
    list.push({
      id: "http-server",
      label: "npm http-server",
      command: (port) => ({
        cmd: "node",
        args: [
          httpServerBin,
          fx.root,
          "-a",
          "127.0.0.1",
          "-p",
          String(port),
          "-c-1",
          "-s",
        ],
      }),
      exe: /node[^/]*$/,
    });
  }
  list.push({
    id: "deno-static",
    label: "Deno.serve static",
    command: (port) => ({
      cmd: deno,
      args: [
        "run",
        "--allow-net",
        "--allow-read",
        BENCH + "peers/deno_serve_static.ts",
        String(port),
        fx.root,
      ],
    }),
    exe: denoExe,
  });
  list.push({
    id: "deno-fixed",
    label: "Deno.serve fixed 1 KiB",
    command: (port) => ({
      cmd: deno,
      args: [
        "run",
        "--allow-net",
        BENCH + "peers/deno_serve_fixed.ts",
        String(port),
      ],
    }),
    exe: denoExe,
    loads: ["keepalive", "close", "c1000"],
  });
  list.push({
    id: "deno-listen",
    label: "Deno.listen bare loop 1 KiB",
    command: (port) => ({
      cmd: deno,
      args: [
        "run",
        "--allow-net",
        BENCH + "peers/deno_listen_fixed.ts",
        String(port),
      ],
    }),
    exe: denoExe,
    loads: ["keepalive", "close", "c1000"],
  });
  return list.filter((s) => !serverFilter || serverFilter.includes(s.id));
}

function oursSimple(fx: Fixtures): ServerSpec {
  return {
    id: "ours",
    label: "ours (SimpleHTTPRequestHandler)",
    env: OURS_ENV,
    command: (port) => ({
      cmd: Deno.execPath(),
      args: [
        "run",
        "--allow-net",
        "--allow-read",
        BENCH + "peers/ours_simple.ts",
        String(port),
        fx.root,
      ],
    }),
    exe: /deno[^/]*$/,
  };
}

function wanted(spec: ServerSpec, load: Load): boolean {
  return (!spec.loads || spec.loads.includes(load.id)) &&
    (!loadFilter || loadFilter.includes(load.id));
}

async function measure(
  server: Running,
  load: Load,
  fx: Fixtures,
  warm: boolean,
  last: boolean,
): Promise<Sample> {
  const url = `http://127.0.0.1:${server.port}${load.path(fx)}`;
  if (load.download) {
    const cpu0 = cpuMicros(server.pid);
    const d = await download(server.port, load.path(fx), fx.hugeSize, 120_000);
    const cpu = cpuMicros(server.pid) - cpu0;
    return {
      rate: d.mbps,
      p99: NaN,
      cpuPerReq: cpu,
      errors: 0,
      rssKiB: peakRssKiB(server.pid),
    };
  }
  const opts = {
    url,
    connections: load.connections,
    headers: load.headers,
    timeout: load.timeout,
  };
  if (warm && warmup > 0) {
    await wrk({ ...opts, seconds: warmup });
    await settle(server);
  }
  const cpu0 = cpuMicros(server.pid);
  const r = await wrk({
    ...opts,
    seconds: Math.max(duration, load.minSeconds ?? 0),
  });
  const cpu = cpuMicros(server.pid) - cpu0;
  // Requests wrk gave up on may still be in the server's queue: let it finish
  // them before the next load, so that they do not count against it.
  if (!last) await settle(server);
  return {
    rate: r.rps,
    p99: r.p99,
    cpuPerReq: r.requests ? cpu / r.requests : NaN,
    errors: r.errors,
    rssKiB: NaN,
  };
}

function loadAvg(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(
      " ",
    );
  } catch {
    return "?";
  }
}

async function main(): Promise<void> {
  await ensureWrk();
  const httpServerBin = await ensureHttpServer();
  const python = await findPython();
  if (python) {
    console.error(`Python: ${python.version} at ${python.executable}`);
  }
  const hz = Number((await run("getconf", ["CLK_TCK"], 5000)).stdout.trim());
  setClockTicks(hz);
  const fx = await makeFixtures();
  const samples = new Map<string, Map<string, Sample[]>>();
  const failures = new Map<string, Map<string, string[]>>();
  const started = new Date();
  const load0 = loadAvg();
  const mainLoads = LOADS.filter((l) =>
    !loadFilter || loadFilter.includes(l.id)
  );
  let engineReport = "";
  try {
    let specs = mainLoads.length ? servers(fx, python, httpServerBin) : [];
    // Preflight: every server must start and answer; a failing CLI falls
    // back to the in-bench SimpleHTTPRequestHandler script.
    const ok: ServerSpec[] = [];
    for (const spec of specs) {
      try {
        await stopServer(await startServer(spec, fx.small));
        ok.push(spec);
      } catch (error) {
        console.error(
          `${spec.label} failed to start: ${(error as Error).message}`,
        );
        if (spec.id === "ours" && spec.label.includes("cli.ts")) {
          const fallback = oursSimple(fx);
          try {
            await stopServer(await startServer(fallback, fx.small));
            console.error("measuring ours through bench/peers/ours_simple.ts");
            ok.push(fallback);
          } catch (e) {
            console.error(
              `${fallback.label} failed too: ${(e as Error).message}`,
            );
          }
        }
      }
    }
    specs = ok;
    const loads = mainLoads;
    console.error(
      `${rounds} rounds, ${duration} s per run (${warmup} s warm-up), ${specs.length} servers, ${loads.length} loads; fixtures in ${fx.root}`,
    );
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? specs : [...specs].reverse();
      for (const spec of order) {
        let server: Running | null = null;
        try {
          server = await startServer(spec, fx.small);
          let warmed = false;
          const mine = loads.filter((l) => wanted(spec, l));
          for (const load of mine) {
            const bucket = (m: Map<string, Map<string, unknown[]>>) => {
              if (!m.has(load.id)) m.set(load.id, new Map());
              const row = m.get(load.id)!;
              if (!row.has(spec.id)) row.set(spec.id, []);
              return row.get(spec.id)!;
            };
            try {
              const s = await measure(
                server,
                load,
                fx,
                warmupEach || !warmed,
                load === mine.at(-1),
              );
              if (!load.download) warmed = true;
              (bucket(samples) as Sample[]).push(s);
              console.error(
                `[${round + 1}/${rounds}] ${spec.label.padEnd(32)} ${
                  load.label.padEnd(24)
                } ${s.rate.toFixed(0).padStart(8)} ${load.unit.padEnd(5)} p99 ${
                  s.p99.toFixed(2)
                } ms, cpu ${s.cpuPerReq.toFixed(1)} us/req, errors ${s.errors}${
                  Number.isFinite(s.rssKiB)
                    ? `, peak RSS ${(s.rssKiB / 1024).toFixed(1)} MiB`
                    : ""
                }`,
              );
            } catch (error) {
              const msg = (error as Error).message;
              (bucket(failures) as string[]).push(msg);
              console.error(
                `[${
                  round + 1
                }/${rounds}] ${spec.label} ${load.label}: FAILED ${msg}`,
              );
              // A server that died cannot serve the remaining loads.
              if (!exists(`/proc/${server.pid}`)) throw error;
            }
          }
        } catch (error) {
          console.error(
            `${spec.label}: ${(error as Error).message}\n${
              server?.tail() ?? ""
            }`,
          );
        } finally {
          if (server) await stopServer(server);
        }
      }
    }
    // The engine and cores loads (issue 16): comparisons of their own.
    const engineIds = ENGINE_LOADS.filter((id) =>
      !loadFilter || loadFilter.includes(id)
    );
    if (engineIds.length) {
      engineReport = await engineLoads({
        fx,
        rounds,
        duration,
        warmup,
        only: engineIds,
      });
    }
  } finally {
    killAll();
    await Deno.remove(fx.root, { recursive: true }).catch(() => {});
  }
  const specs = servers(fx, python, httpServerBin);
  const cells = new Map<string, Map<string, Cell>>();
  for (const loadId of TABLE_LOADS) {
    const row = new Map<string, Cell>();
    for (const spec of specs) {
      const s = samples.get(loadId)?.get(spec.id) ?? [];
      const f = failures.get(loadId)?.get(spec.id) ?? [];
      if (s.length || f.length) row.set(spec.id, aggregate(s, f));
    }
    if (row.size) cells.set(loadId, row);
  }
  const oursLabel = specs.find((s) => s.id === "ours")?.label ?? "ours";
  const labels = {
    loads: TABLE_LOADS.map((id) => LOADS.find((l) => l.id === id)!),
    servers: specs.map((s) =>
      s.id === "ours"
        ? { id: s.id, label: oursLabel }
        : { id: s.id, label: s.label }
    ),
    ours: "ours",
  };
  const table = renderTable(cells, labels);
  const goals = checkGoals(cells);
  const header = [
    `Run: ${started.toISOString()}, ${rounds} rounds x ${duration} s per load (${warmup} s warm-up ${
      warmupEach ? "before each load" : "per server start"
    }), medians; errors summed over rounds; peak RSS is the largest round.`,
    `Machine: ${await machine(python?.version ?? "-")}`,
    `Load average before/after: ${load0} / ${loadAvg()}`,
  ].join("\n");
  const floor = floorNotes(cells).map((line) => `- ${line}`).join("\n");
  const mainReport = mainLoads.length
    ? `\n\n${table}\n\nGoals (issue 6):\n\n${renderGoals(goals)}\n${
      floor ? `\nThe runtime's floor (not goals):\n\n${floor}\n` : ""
    }`
    : "\n";
  const report = `${header}${mainReport}${
    engineReport ? `\nEngines and cores:\n\n${engineReport}\n` : ""
  }`;
  console.log("\n" + report);
  try {
    await Deno.mkdir(BENCH + "results", { recursive: true });
    await Deno.writeTextFile(BENCH + "results/latest.md", report);
    await Deno.writeTextFile(
      BENCH + "results/latest.json",
      JSON.stringify(
        {
          started,
          rounds,
          duration,
          warmup,
          cells: Object.fromEntries(
            [...cells].map(([k, v]) => [k, Object.fromEntries(v)]),
          ),
          goals,
        },
        null,
        2,
      ),
    );
    console.error(`(also written to ${BENCH}results/latest.md and .json)`);
  } catch { /* read-only checkout: the table is on stdout */ }
}

Deno.addSignalListener("SIGINT", () => {
  killAll();
  Deno.exit(130);
});

try {
  await main();
} finally {
  killAll();
}
