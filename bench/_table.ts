// Copyright 2026 the httpserver authors. MIT license.
/**
 * Aggregating rounds (medians) and printing the one table and the goals of
 * issue 6.
 * @module
 */

/** One measurement of one server under one load. */
export interface Sample {
  /** req/s for wrk loads, MB/s for the download. */
  rate: number;
  /** 99th percentile latency, ms (wrk loads). */
  p99: number;
  /** Server CPU time per request, microseconds. */
  cpuPerReq: number;
  /** Socket errors plus non-2xx/3xx responses. */
  errors: number;
  /** Peak RSS in KiB (the download). */
  rssKiB: number;
}

/** The aggregated figures of one server under one load. */
export interface Cell {
  rounds: number;
  rate: number;
  p99: number;
  cpuPerReq: number;
  /** Errors summed over all rounds. */
  errors: number;
  /** Largest peak RSS over all rounds, KiB. */
  rssKiB: number;
  /** Failures (a run that could not be measured), summed. */
  failures: string[];
}

/** The median of the finite values (NaN when there are none). */
export function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Medians (errors summed, RSS maximum) of a cell's samples. */
export function aggregate(samples: Sample[], failures: string[]): Cell {
  return {
    rounds: samples.length,
    rate: median(samples.map((s) => s.rate)),
    p99: median(samples.map((s) => s.p99)),
    cpuPerReq: median(samples.map((s) => s.cpuPerReq)),
    errors: samples.reduce((n, s) => n + s.errors, 0),
    rssKiB: Math.max(
      ...samples.map((s) => s.rssKiB).filter(Number.isFinite),
      -Infinity,
    ),
    failures,
  };
}

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "-"; // NaN, or -Infinity for "no value"
  return n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

function fmtCpu(us: number): string {
  if (!Number.isFinite(us)) return "-";
  return us >= 1000 ? fmt(us / 1000, 1) + " ms" : fmt(us, 1);
}

/** A table's row labels. */
export interface Labels {
  loads: { id: string; label: string; unit: string }[];
  servers: { id: string; label: string }[];
  ours: string;
}

/** The Markdown table: one row per load and server, ratios against ours. */
export function renderTable(
  cells: Map<string, Map<string, Cell>>,
  labels: Labels,
): string {
  const lines = [
    "| Load | Server | Throughput | ours ÷ server | p99 ms | CPU µs/req | Errors | Peak RSS MiB |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const load of labels.loads) {
    const row = cells.get(load.id);
    if (!row) continue;
    const ours = row.get(labels.ours);
    for (const server of labels.servers) {
      const c = row.get(server.id);
      if (!c) continue;
      const ratio = ours && server.id !== labels.ours
        ? ours.rate / c.rate
        : server.id === labels.ours
        ? 1
        : NaN;
      const failed = c.failures.length ? ` (${c.failures.length} failed)` : "";
      lines.push(
        `| ${load.label} | ${server.label} | ${
          fmt(c.rate)
        } ${load.unit}${failed} | ${
          Number.isFinite(ratio) ? fmt(ratio, 2) + "x" : "-"
        } | ${fmt(c.p99, 2)} | ${fmtCpu(c.cpuPerReq)} | ${
          c.rounds ? fmt(c.errors) : "-"
        } | ${fmt(c.rssKiB / 1024, 1)} |`,
      );
    }
  }
  return lines.join("\n");
}

/** One goal of issue 6 and whether this run meets it. */
export interface GoalResult {
  goal: string;
  measured: string;
  met: boolean | null;
}

/** Checks the goals of issue 6 against the aggregated cells. */
export function checkGoals(
  cells: Map<string, Map<string, Cell>>,
): GoalResult[] {
  const get = (load: string, server: string) => cells.get(load)?.get(server);
  const ratio = (load: string, a: string, b: string): number => {
    const x = get(load, a);
    const y = get(load, b);
    return x && y ? x.rate / y.rate : NaN;
  };
  const verdict = (v: number, ok: (v: number) => boolean) =>
    Number.isFinite(v) ? ok(v) : null;
  const out: GoalResult[] = [];
  const add = (
    goal: string,
    v: number,
    shown: string,
    ok: (v: number) => boolean,
  ) =>
    out.push({
      goal,
      measured: Number.isFinite(v) ? shown : "not measured",
      met: verdict(v, ok),
    });
  let v = ratio("keepalive", "ours", "deno-static");
  add(
    "1 KiB keep-alive: >= 3x the Deno.serve static peer",
    v,
    fmt(v, 2) + "x",
    (x) => x >= 3,
  );
  v = ratio("keepalive", "ours", "python");
  add(
    "1 KiB keep-alive: >= 15x Python's default",
    v,
    fmt(v, 2) + "x",
    (x) => x >= 15,
  );
  v = get("keepalive", "ours")?.cpuPerReq ?? NaN;
  add(
    "1 KiB keep-alive: <= 40 µs server CPU per request",
    v,
    fmt(v, 1) + " µs",
    (x) => x <= 40,
  );
  v = ratio("close", "ours", "deno-fixed");
  add(
    "1 KiB Connection: close: within 10% of the Deno.serve fixed body",
    v,
    fmt(v, 2) + "x",
    (x) => x >= 0.9,
  );
  v = ratio("listing", "ours", "python");
  add("2000-file listing: >= 4x Python", v, fmt(v, 2) + "x", (x) => x >= 4);
  v = get("download", "ours")?.rate ?? NaN;
  add(
    "1 GiB download: >= 1.5 GB/s",
    v,
    fmt(v / 1000, 2) + " GB/s",
    (x) => x >= 1500,
  );
  v = (get("download", "ours")?.rssKiB ?? NaN) / 1024;
  add(
    "1 GiB download: server peak RSS <= 64 MiB",
    v,
    fmt(v, 1) + " MiB",
    (x) => x <= 64,
  );
  const c = get("c1000", "ours");
  v = c && c.rounds ? c.errors : NaN;
  add(
    "1000 concurrent connections: 0 errors",
    v,
    fmt(v) + " errors",
    (x) => x === 0,
  );
  return out;
}

/**
 * What the runtime allows: the bare `Deno.listen` loop against `Deno.serve`
 * on the loads where issue 6 compares ours with the native ceiling. Not a
 * goal: the floor under any server written over `Deno.listen`.
 */
export function floorNotes(cells: Map<string, Map<string, Cell>>): string[] {
  const get = (load: string, server: string) => cells.get(load)?.get(server);
  const out: string[] = [];
  const close = get("close", "deno-listen");
  const fixed = get("close", "deno-fixed");
  const ours = get("close", "ours");
  if (close && fixed) {
    out.push(
      `Connection: close floor: the bare Deno.listen loop does ${
        fmt(close.rate / fixed.rate, 2)
      }x the Deno.serve fixed body (${fmtCpu(close.cpuPerReq)} vs ${
        fmtCpu(fixed.cpuPerReq)
      } µs CPU per request)` +
        (ours
          ? `; ours does ${fmt(ours.rate / close.rate, 2)}x the bare loop`
          : ""),
    );
  }
  const c1000 = get("c1000", "deno-listen");
  if (c1000?.rounds) {
    out.push(
      `1000 connections floor: the bare Deno.listen loop had ${
        fmt(c1000.errors)
      } errors (p99 ${fmt(c1000.p99, 2)} ms); Deno.serve fixed had ${
        fmt(get("c1000", "deno-fixed")?.errors ?? NaN)
      }`,
    );
  }
  return out;
}

/** The goals as a Markdown list. */
export function renderGoals(goals: GoalResult[]): string {
  return goals.map((g) =>
    `- ${
      g.met === null ? "??" : g.met ? "MET" : "NOT MET"
    }: ${g.goal} (measured ${g.measured})`
  ).join("\n");
}
