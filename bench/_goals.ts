// Copyright 2026 the httpserver authors. MIT license.
/**
 * The goals `deno task bench` reports as MET or NOT MET from one run: issue
 * 17's (nginx as the anchor, memory per idle connection) and, kept as a
 * regression check, issue 6's; and the runtime's floor (not goals).
 * @module
 */
import { type Cell, fmt, fmtCpu } from "./_table.ts";

/** One goal and whether this run meets it (null: not measured). */
export interface GoalResult {
  goal: string;
  measured: string;
  met: boolean | null;
}

type Cells = Map<string, Map<string, Cell>>;

class Goals {
  readonly out: GoalResult[] = [];
  constructor(readonly cells: Cells) {}

  get(load: string, server: string): Cell | undefined {
    return this.cells.get(load)?.get(server);
  }

  /** ours ÷ server throughput under `load`. */
  ratio(load: string, server: string): number {
    const x = this.get(load, "ours");
    const y = this.get(load, server);
    return x && y ? x.rate / y.rate : NaN;
  }

  add(
    goal: string,
    v: number,
    shown: (v: number) => string,
    ok: (v: number) => boolean,
  ): void {
    const measured = Number.isFinite(v);
    this.out.push({
      goal,
      measured: measured ? shown(v) : "not measured",
      met: measured ? ok(v) : null,
    });
  }
}

const times = (v: number) => fmt(v, 2) + "x";
const micros = (v: number) => fmt(v, 1) + " µs";
const gbps = (v: number) => fmt(v / 1000, 2) + " GB/s";

/** The goal shapes both issues use. */
class Checks extends Goals {
  /** ours ÷ `server` under `load` at least `min`. */
  ratioAtLeast(goal: string, load: string, server: string, min: number) {
    this.add(goal, this.ratio(load, server), times, (x) => x >= min);
  }
  /** ours' CPU per request under `load` at most `max` µs. */
  cpuAtMost(goal: string, load: string, max: number) {
    const v = this.get(load, "ours")?.cpuPerReq ?? NaN;
    this.add(goal, v, micros, (x) => x <= max);
  }
  /** ours' download at least `min` MB/s. */
  downloadAtLeast(goal: string, min: number) {
    const v = this.get("download", "ours")?.rate ?? NaN;
    this.add(goal, v, gbps, (x) => x >= min);
  }
}

/** Issue 17: nginx-class speed on one core, 8 KiB per idle connection. */
export function checkGoals17(cells: Cells): GoalResult[] {
  const g = new Checks(cells);
  g.ratioAtLeast(
    "1 KiB keep-alive: >= 1.0x nginx's req/s",
    "keepalive",
    "nginx",
    1,
  );
  g.cpuAtMost(
    "1 KiB keep-alive: <= 18 µs server CPU per request",
    "keepalive",
    18,
  );
  g.ratioAtLeast(
    "1000 connections: >= 0.8x nginx's req/s",
    "c1000",
    "nginx",
    0.8,
  );
  const c = g.get("c1000", "ours");
  g.add(
    "1000 connections: p99 < 100 ms",
    c?.p99 ?? NaN,
    (v) => fmt(v, 1) + " ms",
    (x) => x < 100,
  );
  g.add(
    "1000 connections: 0 errors",
    c?.rounds ? c.errors : NaN,
    (v) => fmt(v) + " errors",
    (x) => x === 0,
  );
  g.ratioAtLeast(
    "2000-file listing: >= 1.0x nginx's autoindex",
    "listing",
    "nginx",
    1,
  );
  const pyBest = Math.max(
    g.get("download", "python")?.rate ?? NaN,
    g.get("download", "python11")?.rate ?? NaN,
  );
  const dl = g.get("download", "ours");
  g.add(
    "1 GiB download: >= 1.2x Python's best",
    (dl?.rate ?? NaN) / pyBest,
    times,
    (x) => x >= 1.2,
  );
  g.downloadAtLeast("1 GiB download: >= 2 GB/s", 2000);
  g.add(
    "1 GiB download: server peak RSS < 64 MiB",
    (dl?.rssKiB ?? NaN) / 1024,
    (v) => fmt(v, 1) + " MiB",
    (x) => x < 64,
  );
  g.ratioAtLeast(
    "1 KiB Connection: close: >= 0.95x the bare Deno.listen loop",
    "close",
    "deno-listen",
    0.95,
  );
  const idle = g.get("idle", "ours")?.idle;
  g.add(
    "Idle connections: <= 8 KiB each",
    idle?.perConnKiB ?? NaN,
    (v) => fmt(v, 1) + " KiB",
    (x) => x <= 8,
  );
  g.add(
    "Idle connections: RSS within 16 MiB of its start once they close",
    idle ? (idle.afterKiB - idle.startKiB) / 1024 : NaN,
    (v) => "+" + fmt(v, 1) + " MiB",
    (x) => x <= 16,
  );
  return g.out;
}

/** Issue 6's goals, kept so that a regression shows. */
export function checkGoals6(cells: Cells): GoalResult[] {
  const g = new Checks(cells);
  g.ratioAtLeast(
    "1 KiB keep-alive: >= 3x the Deno.serve static peer",
    "keepalive",
    "deno-static",
    3,
  );
  g.ratioAtLeast(
    "1 KiB keep-alive: >= 15x Python's default",
    "keepalive",
    "python",
    15,
  );
  g.cpuAtMost(
    "1 KiB keep-alive: <= 40 µs server CPU per request",
    "keepalive",
    40,
  );
  g.ratioAtLeast("2000-file listing: >= 4x Python", "listing", "python", 4);
  g.downloadAtLeast("1 GiB download: >= 1.5 GB/s", 1500);
  return g.out;
}

/**
 * What the runtime allows: the bare loops (`Deno.listen`, `node:net`)
 * against each other and against `Deno.serve`. Not goals: the floor under
 * any server written in JavaScript over each transport.
 */
export function floorNotes(cells: Cells): string[] {
  const g = new Goals(cells);
  const out: string[] = [];
  for (const load of ["close", "keepalive"]) {
    const listen = g.get(load, "deno-listen");
    const node = g.get(load, "node-net");
    const fixed = g.get(load, "deno-fixed");
    const name = load === "close" ? "Connection: close" : "keep-alive";
    if (listen && fixed) {
      out.push(
        `${name}: the bare Deno.listen loop does ${
          fmt(listen.rate / fixed.rate, 2)
        }x the Deno.serve fixed body (${fmtCpu(listen.cpuPerReq)} vs ${
          fmtCpu(fixed.cpuPerReq)
        } µs CPU per request)`,
      );
    }
    if (listen && node) {
      const lower = 1 - node.cpuPerReq / listen.cpuPerReq;
      out.push(
        `${name}: the bare node:net loop costs ${
          fmtCpu(node.cpuPerReq)
        } µs CPU per request against ${
          fmtCpu(listen.cpuPerReq)
        } for Deno.listen (${fmt(Math.abs(lower) * 100, 0)}% ${
          lower >= 0 ? "lower" : "higher"
        }; a node:net transport pays off above 20% lower) at ${
          fmt(node.rate / listen.rate, 2)
        }x the req/s`,
      );
    }
  }
  const c1000 = g.get("c1000", "deno-listen");
  if (c1000?.rounds) {
    out.push(
      `1000 connections: the bare Deno.listen loop had ${
        fmt(c1000.errors)
      } errors (p99 ${fmt(c1000.p99, 2)} ms); Deno.serve fixed had ${
        fmt(g.get("c1000", "deno-fixed")?.errors ?? NaN)
      }`,
    );
  }
  return out;
}

/** The goals as a Markdown list. */
export function renderGoals(goals: GoalResult[]): string {
  return goals.map((g) =>
    g.met === null
      ? `- NOT MEASURED: ${g.goal}`
      : `- ${g.met ? "MET" : "NOT MET"}: ${g.goal} (measured ${g.measured})`
  ).join("\n");
}
