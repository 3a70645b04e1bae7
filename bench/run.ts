// Copyright 2026 the httpserver authors. MIT license.
/**
 * `deno task bench`: runs every server under every load, on loopback, and
 * prints one table with ratios against ours, the idle-connection table, and
 * each goal MET or NOT MET. See `bench/README.md` for the method.
 *
 * Flags: `--quick` (3 rounds of 1 s runs, one warm-up per server),
 * `--rounds N` (default 3), `--duration S` (whole seconds per wrk run,
 * default 5), `--warmup S` (whole seconds before each wrk run, default 1),
 * `--servers a,b` and `--loads a,b` (ids as in the table; default all),
 * `--compare DIR` (another checkout of this repository, measured as
 * `ours-b` beside ours: an A/B in one run, rounds alternating).
 * @module
 */
import { parseArgs } from "node:util";
import {
  ensureApt,
  ensureHttpServer,
  ensureWrk,
  findPython,
  type Fixtures,
  loadAvg,
  machine,
  makeFixtures,
  run,
} from "./_setup.ts";
import {
  killAll,
  type Running,
  type ServerSpec,
  setClockTicks,
  startServer,
  stopServer,
} from "./_servers.ts";
import { allServers, oursSimple, type Peers } from "./_specs.ts";
import { type Load, LOADS, measure, TABLE_LOADS } from "./_measure.ts";
import { ENGINE_LOADS, engineLoads } from "./_engine_loads.ts";
import {
  aggregate,
  type Cell,
  renderIdleTable,
  renderTable,
  type Sample,
} from "./_table.ts";
import {
  checkGoals17,
  checkGoals6,
  floorNotes,
  renderGoals,
} from "./_goals.ts";

const BENCH = new URL(".", import.meta.url).pathname;
const SERVER_IDS = [
  "ours",
  "ours-b",
  "nginx",
  "caddy",
  "python",
  "python11",
  "http-server",
  "deno-static",
  "deno-fixed",
  "deno-listen",
  "node-net",
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
    compare: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log(
    "usage: deno task bench [--quick] [--rounds N] [--duration S] [--warmup S]\n" +
      `                       [--servers ${SERVER_IDS.join(",")}]\n` +
      `                       [--loads ${
        [...LOADS.map((l) => l.id), ...ENGINE_LOADS].join(",")
      }]\n` +
      "                       [--compare DIR]  (another checkout, as ours-b)",
  );
  Deno.exit(0);
}
// wrk takes whole seconds.
const rounds = Math.max(1, Math.round(Number(flags.rounds ?? 3)));
const timing = {
  duration: Math.max(
    1,
    Math.round(Number(flags.duration ?? (flags.quick ? 1 : 5))),
  ),
  warmup: Math.max(0, Math.round(Number(flags.warmup ?? 1))),
};
/** Quick runs warm each server up once, before its first wrk load. */
const warmupEach = !flags.quick;
const loadFilter = flags.loads?.split(",");
const serverFilter = flags.servers?.split(",");

function wanted(spec: ServerSpec, load: Load): boolean {
  return (!spec.loads || spec.loads.includes(load.id)) &&
    !spec.skipLoads?.includes(load.id) &&
    (!loadFilter || loadFilter.includes(load.id));
}

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

async function findPeers(): Promise<Peers> {
  await ensureWrk();
  const work = await Deno.makeTempDir({ prefix: "httpserver-bench-peers-" });
  const want = (id: string) => !serverFilter || serverFilter.includes(id);
  const peers: Peers = {
    python: await findPython(),
    httpServer: want("http-server") ? await ensureHttpServer() : null,
    nginx: want("nginx")
      ? await ensureApt("nginx", ["nginx-light", "nginx"])
      : null,
    caddy: want("caddy") ? await ensureApt("caddy", ["caddy"]) : null,
    work,
    compare: flags.compare ?? null,
  };
  if (peers.python) {
    console.error(
      `Python: ${peers.python.version} at ${peers.python.executable}`,
    );
  }
  return peers;
}

/** The samples and failures, by load and server. */
class Results {
  samples = new Map<string, Map<string, Sample[]>>();
  failures = new Map<string, Map<string, string[]>>();

  #bucket<T>(m: Map<string, Map<string, T[]>>, load: string, server: string) {
    if (!m.has(load)) m.set(load, new Map());
    const row = m.get(load)!;
    if (!row.has(server)) row.set(server, []);
    return row.get(server)!;
  }
  add(load: string, server: string, s: Sample): void {
    this.#bucket(this.samples, load, server).push(s);
  }
  fail(load: string, server: string, message: string): void {
    this.#bucket(this.failures, load, server).push(message);
  }
  cells(specs: ServerSpec[]): Map<string, Map<string, Cell>> {
    const cells = new Map<string, Map<string, Cell>>();
    for (const load of LOADS) {
      const row = new Map<string, Cell>();
      for (const spec of specs) {
        const s = this.samples.get(load.id)?.get(spec.id) ?? [];
        const f = this.failures.get(load.id)?.get(spec.id) ?? [];
        if (s.length || f.length) row.set(spec.id, aggregate(s, f));
      }
      if (row.size) cells.set(load.id, row);
    }
    return cells;
  }
}

function describe(s: Sample, load: Load): string {
  if (s.idle) {
    const i = s.idle;
    return `${i.held} held, RSS ${(i.startKiB / 1024).toFixed(1)} -> ${
      (i.idleKiB / 1024).toFixed(1)
    } -> ${(i.afterKiB / 1024).toFixed(1)} MiB, ${
      i.perConnKiB.toFixed(1)
    } KiB/conn`;
  }
  return `${s.rate.toFixed(0).padStart(8)} ${load.unit.padEnd(5)} p99 ${
    s.p99.toFixed(2)
  } ms, cpu ${s.cpuPerReq.toFixed(1)} us/req, errors ${s.errors}${
    Number.isFinite(s.rssKiB)
      ? `, peak RSS ${(s.rssKiB / 1024).toFixed(1)} MiB`
      : ""
  }`;
}

/**
 * One server process running `loads` in order; a load that fails is
 * recorded, and the session ends if the server died.
 */
async function session(
  spec: ServerSpec,
  loads: Load[],
  fx: Fixtures,
  results: Results,
  tag: string,
): Promise<void> {
  let server: Running | null = null;
  try {
    server = await startServer(spec, fx.small);
    let warmed = false;
    for (const load of loads) {
      try {
        const s = await measure(
          server,
          load,
          fx,
          timing,
          warmupEach || !warmed,
          load === loads.at(-1),
        );
        if (!load.download && !load.idle) warmed = true;
        results.add(load.id, spec.id, s);
        console.error(
          `${tag} ${spec.label.padEnd(32)} ${load.label.padEnd(24)} ${
            describe(s, load)
          }`,
        );
      } catch (error) {
        const msg = (error as Error).message;
        results.fail(load.id, spec.id, msg);
        console.error(`${tag} ${spec.label} ${load.label}: FAILED ${msg}`);
        // A server that died cannot serve the remaining loads.
        if (!alive(server.pid)) throw error;
      }
    }
  } catch (error) {
    console.error(
      `${spec.label}: ${(error as Error).message}\n${server?.tail() ?? ""}`,
    );
  } finally {
    if (server) await stopServer(server);
  }
}

/** Every server must start and answer; a failing CLI falls back to ours_simple.ts. */
async function preflight(specs: ServerSpec[], fx: Fixtures) {
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
  return ok;
}

async function main(): Promise<void> {
  const peers = await findPeers();
  const hz = Number((await run("getconf", ["CLK_TCK"], 5000)).stdout.trim());
  setClockTicks(hz);
  const fx = await makeFixtures();
  const results = new Results();
  const started = new Date();
  const load0 = loadAvg();
  let specs: ServerSpec[] = [];
  const loads = LOADS.filter((l) => !loadFilter || loadFilter.includes(l.id));
  let engineReport = "";
  try {
    specs = loads.length
      ? await preflight(
        allServers(fx, peers).filter((s) =>
          !serverFilter || serverFilter.includes(s.id)
        ),
        fx,
      )
      : [];
    console.error(
      `${rounds} rounds, ${timing.duration} s per run (${timing.warmup} s warm-up), ${specs.length} servers, ${loads.length} loads; fixtures in ${fx.root}`,
    );
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? specs : [...specs].reverse();
      const tag = `[${round + 1}/${rounds}]`;
      for (const spec of order) {
        const mine = loads.filter((l) => wanted(spec, l));
        for (const load of mine.filter((l) => l.fresh)) {
          await session(spec, [load], fx, results, tag);
        }
        const shared = mine.filter((l) => !l.fresh);
        if (shared.length) await session(spec, shared, fx, results, tag);
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
        ...timing,
        only: engineIds,
      });
    }
  } finally {
    killAll();
    await Deno.remove(fx.root, { recursive: true }).catch(() => {});
    await Deno.remove(peers.work, { recursive: true }).catch(() => {});
  }
  const cells = results.cells(specs);
  const servers = specs.map((s) => ({ id: s.id, label: s.label }));
  const table = renderTable(cells, {
    loads: TABLE_LOADS.map((id) => LOADS.find((l) => l.id === id)!),
    servers,
    ours: "ours",
  });
  const idleLoad = LOADS.find((l) => l.id === "idle")!;
  const idle = renderIdleTable(
    cells.get("idle"),
    servers,
    idleLoad.connections,
  );
  const goals17 = checkGoals17(cells);
  const goals6 = checkGoals6(cells);
  const header = [
    `Run: ${started.toISOString()}, ${rounds} rounds x ${timing.duration} s per load (${timing.warmup} s warm-up ${
      warmupEach ? "before each load" : "per server start"
    }), medians; errors summed over rounds; peak RSS is the largest round.`,
    `Machine: ${await machine(peers)}`,
    `Load average before/after: ${load0} / ${loadAvg()}`,
  ].join("\n");
  const floor = floorNotes(cells).map((line) => `- ${line}`).join("\n");
  const report = [
    header,
    ...(loads.length
      ? [
        table,
        idle ? `Idle keep-alive connections (medians):\n\n${idle}` : "",
        `Goals (issue 17):\n\n${renderGoals(goals17)}`,
        `Earlier goals (issue 6):\n\n${renderGoals(goals6)}`,
        floor ? `The runtime's floor (not goals):\n\n${floor}` : "",
      ]
      : []),
    engineReport ? `Engines and cores:\n\n${engineReport}` : "",
  ].filter(Boolean).join("\n\n") + "\n";
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
          ...timing,
          cells: Object.fromEntries(
            [...cells].map(([k, v]) => [k, Object.fromEntries(v)]),
          ),
          goals: { issue17: goals17, issue6: goals6 },
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
