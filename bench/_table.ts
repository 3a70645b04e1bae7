// Copyright 2026 the httpserver authors. MIT license.
/**
 * Aggregating rounds (medians) and printing the tables: one row per load
 * and server with ratios against ours, and the idle-connection table.
 * @module
 */
import type { IdleResult } from "./_idle.ts";

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
  /** The idle-connection load's figures. */
  idle?: IdleResult;
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
  /** Medians of the idle-connection figures, when the load is that one. */
  idle: IdleResult | null;
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
    idle: aggregateIdle(samples.flatMap((s) => s.idle ? [s.idle] : [])),
  };
}

function aggregateIdle(runs: IdleResult[]): IdleResult | null {
  if (runs.length === 0) return null;
  const m = (f: (r: IdleResult) => number) => median(runs.map(f));
  return {
    held: m((r) => r.held),
    startKiB: m((r) => r.startKiB),
    idleKiB: m((r) => r.idleKiB),
    afterKiB: m((r) => r.afterKiB),
    perConnKiB: m((r) => r.perConnKiB),
  };
}

/** `n` with thousands separators and `digits` decimals; "-" when not finite. */
export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "-"; // NaN, or -Infinity for "no value"
  return n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

/** Microseconds, or milliseconds from 1000 µs on. */
export function fmtCpu(us: number): string {
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

/**
 * The idle-connection table: RSS before, with the connections idle, and
 * after they closed; memory per held connection.
 */
export function renderIdleTable(
  row: Map<string, Cell> | undefined,
  servers: { id: string; label: string }[],
  count: number,
): string {
  if (!row) return "";
  const lines = [
    `| Server | Connections held | RSS start MiB | RSS with ${count} idle MiB | KiB per idle connection | RSS 5 s after they closed MiB | After close - start MiB |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const server of servers) {
    const c = row.get(server.id);
    if (!c) continue;
    const i = c.idle;
    const failed = c.failures.length ? ` (${c.failures.length} failed)` : "";
    if (!i) {
      lines.push(`| ${server.label}${failed} | - | - | - | - | - | - |`);
      continue;
    }
    const mib = (k: number) => fmt(k / 1024, 1);
    lines.push(
      `| ${server.label}${failed} | ${fmt(i.held)} | ${mib(i.startKiB)} | ${
        mib(i.idleKiB)
      } | ${fmt(i.perConnKiB, 1)} | ${mib(i.afterKiB)} | ${
        mib(i.afterKiB - i.startKiB)
      } |`,
    );
  }
  return lines.join("\n");
}
