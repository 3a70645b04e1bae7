// Copyright 2026 the httpserver authors. MIT license.
/**
 * The loads of `deno task bench` and how one sample of each is measured:
 * wrk runs (server CPU per request from `/proc`), the 1 GiB download (peak
 * RSS) and the idle-connection load (RSS per connection).
 * @module
 */
import type { Fixtures } from "./_setup.ts";
import { cpuMicros, peakRssKiB, type Running, settle } from "./_servers.ts";
import { download, wrk } from "./_load.ts";
import { idleLoad } from "./_idle.ts";
import type { Sample } from "./_table.ts";

/** One load. */
export interface Load {
  id: string;
  label: string;
  unit: string;
  path: (fx: Fixtures) => string;
  connections: number;
  headers?: string[];
  download?: boolean;
  /** The idle-connection load (`connections` held open, RSS measured). */
  idle?: boolean;
  /** Runs on a server process of its own, started for it alone. */
  fresh?: boolean;
  /** Shortest run in seconds (slow loads need a few seconds to mean anything). */
  minSeconds?: number;
  /** wrk's per-request timeout in seconds; a slower response counts as an error. */
  timeout: number;
}

/**
 * The loads, in the order each server runs them: the idle connections on a
 * process of their own; then, on one process, the download first (its peak
 * RSS is the download's), the wrk loads, the listing last, since slow
 * servers are left with a queue of listings when wrk stops.
 */
export const LOADS: Load[] = [
  {
    id: "idle",
    label: "1000 idle connections",
    unit: "KiB/conn",
    path: (f) => f.small,
    connections: 1000,
    idle: true,
    fresh: true,
    timeout: 10,
  },
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

/** The order of the main table's rows (the idle load has its own table). */
export const TABLE_LOADS = [
  "keepalive",
  "close",
  "1mib",
  "listing",
  "download",
  "c1000",
];

/** How long wrk runs. */
export interface Timing {
  /** Seconds of each measured wrk run. */
  duration: number;
  /** Seconds of wrk before a measured run (0: none). */
  warmup: number;
}

/**
 * Measures one sample of `load` on `server`. `warm`: run wrk for
 * `timing.warmup` s first; `last`: the server's last load (no settling
 * after it).
 */
export async function measure(
  server: Running,
  load: Load,
  fx: Fixtures,
  timing: Timing,
  warm: boolean,
  last: boolean,
): Promise<Sample> {
  if (load.idle) {
    const idle = await idleLoad(server, load.path(fx), load.connections);
    return {
      rate: NaN,
      p99: NaN,
      cpuPerReq: NaN,
      errors: load.connections - idle.held,
      rssKiB: NaN,
      idle,
    };
  }
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
    url: `http://127.0.0.1:${server.port}${load.path(fx)}`,
    connections: load.connections,
    headers: load.headers,
    timeout: load.timeout,
  };
  if (warm && timing.warmup > 0) {
    await wrk({ ...opts, seconds: timing.warmup });
    await settle(server);
  }
  const cpu0 = cpuMicros(server.pid);
  const r = await wrk({
    ...opts,
    seconds: Math.max(timing.duration, load.minSeconds ?? 0),
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
