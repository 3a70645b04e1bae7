// Copyright 2026 the httpserver authors. MIT license.
/**
 * The engine and cores loads (issue 16), each a comparison within one run:
 *
 * - `h2`: h2load over TLS (`-c 50 -m 10`, HTTP/2), 1 KiB: ours with
 *   `--engine serve --tls-cert` against the Deno.serve static peer with the
 *   same certificate. Goal: at least 3x.
 * - `engine-close`: wrk, 1 KiB with `Connection: close`: ours with `--engine serve`
 *   against the Deno.serve fixed body (and ours on the listen engine, for
 *   reference). Goal: within 10% (at least 0.9x).
 * - `cores`: wrk on the 2000-file listing and 1 KiB keep-alive: ours with
 *   `--workers 2` against `--workers 1` (listen engine, `--unstable-net`).
 *   Goal on the listing: at least 1.6x.
 * @module
 */
import { run } from "./_setup.ts";
import type { Fixtures } from "./_setup.ts";
import {
  cpuMicros,
  denoScript,
  type Running,
  type ServerSpec,
  settle,
  startServer,
  stopServer,
} from "./_servers.ts";
import { wrk } from "./_load.ts";
import { OURS_ENV } from "./_specs.ts";
import { median } from "./_table.ts";

const BENCH = new URL(".", import.meta.url).pathname;
const REPO = new URL("..", import.meta.url).pathname;
const TLS = REPO + "tests/testdata/tls/";

/** The ids of these loads, for `deno task bench --loads`. */
export const ENGINE_LOADS: readonly string[] = ["h2", "engine-close", "cores"];

/** What one load run of one server gave. */
interface Figure {
  rps: number;
  cpuPerReq: number;
  errors: number;
}

/** Options of {@linkcode engineLoads}. */
export interface EngineLoadOptions {
  fx: Fixtures;
  rounds: number;
  /** Seconds per measured run. */
  duration: number;
  /** Seconds of warm-up before each measured run. */
  warmup: number;
  /** Load ids to run (`h2`, `engine-close`, `cores`); all when null. */
  only: string[] | null;
}

/** Makes sure h2load is installed (Debian's nghttp2-client). */
export async function ensureH2load(): Promise<boolean> {
  const has = async () =>
    (await run("sh", ["-c", "command -v h2load"], 5000)).code === 0;
  if (await has()) return true;
  console.error("h2load not found: installing nghttp2-client with apt-get");
  let r = await run("apt-get", ["install", "-y", "nghttp2-client"], 300_000, {
    inherit: true,
  });
  if (r.code !== 0) {
    await run("apt-get", ["update"], 300_000, { inherit: true });
    r = await run("apt-get", ["install", "-y", "nghttp2-client"], 300_000, {
      inherit: true,
    });
  }
  return await has();
}

/** Runs h2load for `seconds` (after `warmup`); requests per second and errors. */
async function h2load(
  url: string,
  seconds: number,
  warmup: number,
): Promise<{ rps: number; requests: number; errors: number }> {
  const args = ["-c50", "-m10", "-D", String(seconds)];
  if (warmup > 0) args.push(`--warm-up-time=${warmup}`);
  args.push(url);
  const r = await run("h2load", args, (seconds + warmup) * 1000 + 30_000);
  const out = r.stdout + r.stderr;
  const rps = out.match(/finished in [\d.]+\w+, ([\d.]+) req\/s/);
  const req = out.match(
    /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/,
  );
  if (!rps || !req) throw new Error(`Cannot parse h2load output:\n${out}`);
  if (!/Application protocol: h2/.test(out)) {
    throw new Error(`h2load did not negotiate h2:\n${out}`);
  }
  return {
    rps: Number(rps[1]),
    requests: Number(req[3]),
    errors: Number(req[4]) + Number(req[5]) + Number(req[6]),
  };
}

/** With the test certificate among `args`, the CA that signed it. */
function tlsCaFor(args: string[]): string | undefined {
  return args.includes(TLS + "cert.pem")
    ? Deno.readTextFileSync(TLS + "ca.pem")
    : undefined;
}

/** Ours: the CLI as `deno task start` runs it, quiet, with `flags`. */
function cli(id: string, label: string, flags: string[]): ServerSpec {
  return denoScript(
    id,
    label,
    REPO + "cli.ts",
    ["--allow-net", "--allow-read", "--unstable-net"],
    (port) => ["-q", "-b", "127.0.0.1", ...flags, String(port)],
    { env: OURS_ENV, tlsCa: tlsCaFor(flags) },
  );
}

/** A peer from `bench/peers/`, its arguments before the port. */
function peer(
  id: string,
  label: string,
  script: string,
  args: string[],
): ServerSpec {
  return denoScript(
    id,
    label,
    BENCH + script,
    ["--allow-net", "--allow-read"],
    (port) => [String(port), ...args],
    { tlsCa: tlsCaFor(args) },
  );
}

interface Comparison {
  id: string;
  title: string;
  /** The command a reader can run to repeat one measurement. */
  command: string;
  path: (fx: Fixtures) => string;
  kind: "h2" | "wrk";
  headers?: string[];
  minSeconds?: number;
  servers: ServerSpec[];
  /** [ours id, peer id, goal ratio or null, what the ratio means]. */
  ratios: [string, string, number | null, string][];
}

function comparisons(fx: Fixtures): Comparison[] {
  const tls = ["--tls-cert", TLS + "cert.pem", "--tls-key", TLS + "key.pem"];
  return [
    {
      id: "h2",
      title: "HTTP/2 over TLS, 1 KiB, h2load -c 50 -m 10",
      command: "h2load -c50 -m10 -D 5 https://127.0.0.1:PORT/1k.txt",
      path: (f) => f.small,
      kind: "h2",
      servers: [
        cli("serve-tls", "ours --engine serve --tls-cert", [
          "-d",
          fx.root,
          "--engine",
          "serve",
          ...tls,
        ]),
        peer(
          "static-tls",
          "Deno.serve static (TLS)",
          "peers/deno_serve_static.ts",
          [
            fx.root,
            TLS + "cert.pem",
            TLS + "key.pem",
          ],
        ),
      ],
      ratios: [["serve-tls", "static-tls", 3, "ours / Deno.serve static"]],
    },
    {
      id: "engine-close",
      title: "1 KiB with Connection: close, wrk -t1 -c50",
      command:
        "wrk -t1 -c50 -d5s -H 'Connection: close' http://127.0.0.1:PORT/1k.txt",
      path: (f) => f.small,
      kind: "wrk",
      headers: ["Connection: close"],
      servers: [
        cli("serve", "ours --engine serve", [
          "-d",
          fx.root,
          "--engine",
          "serve",
        ]),
        cli("listen", "ours --engine listen", ["-d", fx.root]),
        peer(
          "fixed",
          "Deno.serve fixed 1 KiB",
          "peers/deno_serve_fixed.ts",
          [],
        ),
      ],
      ratios: [
        ["serve", "fixed", 0.9, "ours (serve) / Deno.serve fixed"],
        ["listen", "fixed", null, "ours (listen) / Deno.serve fixed"],
      ],
    },
    ...(["listing", "keepalive"] as const).map((what): Comparison => ({
      id: "cores",
      title: what === "listing"
        ? "2000-file listing, wrk -t1 -c50"
        : "1 KiB keep-alive, wrk -t1 -c50",
      command: `wrk -t1 -c50 -d5s http://127.0.0.1:PORT${
        what === "listing" ? "/dir2000/" : "/1k.txt"
      }`,
      path: (f) => what === "listing" ? f.listing : f.small,
      kind: "wrk",
      minSeconds: what === "listing" ? 3 : undefined,
      servers: [
        cli(`w2-${what}`, "ours --workers 2", [
          "-d",
          fx.root,
          "--workers",
          "2",
        ]),
        cli(`w1-${what}`, "ours --workers 1", [
          "-d",
          fx.root,
          "--workers",
          "1",
        ]),
      ],
      ratios: [[
        `w2-${what}`,
        `w1-${what}`,
        what === "listing" ? 1.6 : null,
        "--workers 2 / --workers 1",
      ]],
    })),
  ];
}

async function measure(
  server: Running,
  c: Comparison,
  fx: Fixtures,
  seconds: number,
  warmup: number,
): Promise<Figure> {
  const scheme = c.kind === "h2" ? "https" : "http";
  const url = `${scheme}://127.0.0.1:${server.port}${c.path(fx)}`;
  if (c.kind === "wrk" && warmup > 0) {
    await wrk({ url, connections: 50, seconds: warmup, headers: c.headers });
    await settle(server);
  }
  const cpu0 = cpuMicros(server.pid);
  let rps: number;
  let requests: number;
  let errors: number;
  if (c.kind === "h2") {
    const r = await h2load(url, seconds, warmup);
    // h2load's warm-up requests are not counted: measure from after it.
    ({ rps, requests, errors } = r);
    requests += Math.round(r.rps * warmup);
  } else {
    const r = await wrk({
      url,
      connections: 50,
      seconds,
      headers: c.headers,
      timeout: 10,
    });
    ({ rps, requests, errors } = r);
  }
  const cpu = cpuMicros(server.pid) - cpu0;
  return { rps, cpuPerReq: requests ? cpu / requests : NaN, errors };
}

/** Runs the loads; returns the report (Markdown). */
export async function engineLoads(options: EngineLoadOptions): Promise<string> {
  const { fx, rounds, warmup } = options;
  const all = comparisons(fx).filter((c) =>
    !options.only || options.only.includes(c.id)
  );
  if (all.some((c) => c.kind === "h2") && !await ensureH2load()) {
    throw new Error("h2load is missing and cannot be installed");
  }
  const lines: string[] = [];
  const goals: string[] = [];
  for (const c of all) {
    const seconds = Math.max(options.duration, c.minSeconds ?? 0);
    const figures = new Map<string, Figure[]>();
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? c.servers : [...c.servers].reverse();
      for (const spec of order) {
        const server = await startServer(spec, c.path(fx));
        try {
          const f = await measure(server, c, fx, seconds, warmup);
          figures.set(spec.id, [...figures.get(spec.id) ?? [], f]);
          console.error(
            `[${round + 1}/${rounds}] ${c.title}: ${spec.label.padEnd(34)} ${
              f.rps.toFixed(0).padStart(7)
            } req/s, ${f.cpuPerReq.toFixed(1)} us CPU/req, errors ${f.errors}`,
          );
        } finally {
          await stopServer(server);
        }
      }
    }
    lines.push(`| ${c.title} | | | |`);
    const rpsOf = (id: string) =>
      median((figures.get(id) ?? []).map((f) => f.rps));
    for (const spec of c.servers) {
      const f = figures.get(spec.id) ?? [];
      lines.push(
        `| ${spec.label} | ${rpsOf(spec.id).toFixed(0)} | ${
          median(f.map((x) => x.cpuPerReq)).toFixed(1)
        } | ${f.reduce((n, x) => n + x.errors, 0)} |`,
      );
    }
    for (const [ours, other, goal, what] of c.ratios) {
      const ratio = rpsOf(ours) / rpsOf(other);
      goals.push(
        `- ${c.title}: ${what} = ${ratio.toFixed(2)}x${
          goal === null
            ? " (reported)"
            : `, goal >= ${goal}x: ${ratio >= goal ? "MET" : "NOT MET"}`
        } (\`${c.command}\`)`,
      );
    }
  }
  return [
    "| load / server | req/s | us CPU/req | errors |",
    "| --- | ---: | ---: | ---: |",
    ...lines,
    "",
    "Goals (issue 16), medians of the rounds:",
    "",
    ...goals,
  ].join("\n");
}
