// Copyright 2026 the httpserver authors. MIT license.
/**
 * `deno task bench:dev`: the development server's loads, on loopback.
 *
 * 1. A 100 KiB JavaScript file requested with `Accept-Encoding: gzip, br`
 *    over keep-alive connections (wrk, 50 connections): req/s and server
 *    CPU per request for ours (`--compress`, the encoded file cached),
 *    npm `http-server -g -b` (precompressed `.br`/`.gz` sidecars, made here
 *    at the highest levels) and a `Deno.serve` static server with the
 *    runtime's automatic compression (`DENO_SERVE_AUTOMATIC_COMPRESSION=1`).
 * 2. The server CPU a live-reload page load adds: N page loads (the page
 *    with the script, the script revalidated, the event stream opened
 *    until its `hello` and closed) against N plain loads of the same page,
 *    each on fresh connections as a browser reload makes them.
 *
 * Flags: `--quick` (1 s runs, 1 round), `--rounds N` (default 3),
 * `--duration S` (default 5), `--loads N` (page loads, default 500).
 * @module
 */
import { parseArgs } from "node:util";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { ensureHttpServer, ensureWrk, run } from "./_setup.ts";
import {
  cpuMicros,
  denoScript,
  killAll,
  type Running,
  type ServerSpec,
  setClockTicks,
  settle,
  startServer,
  stopServer,
} from "./_servers.ts";
import { wrk } from "./_load.ts";
import { median } from "./_table.ts";

const BENCH = new URL(".", import.meta.url).pathname;

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
    duration: { type: "string" },
    loads: { type: "string" },
  },
});
const rounds = Math.max(1, Number(flags.rounds ?? (flags.quick ? 1 : 3)));
const duration = Math.max(1, Number(flags.duration ?? (flags.quick ? 1 : 5)));
const pageLoads = Math.max(
  10,
  Number(flags.loads ?? (flags.quick ? 200 : 500)),
);
const OURS_ENV = { DENO_TOKIO_MAX_IO_EVENTS_PER_TICK: "64" };

/** About 100 KiB of varied JavaScript (compresses like real bundles, ~5x). */
function bundle(): string {
  const parts: string[] = [];
  let i = 0;
  while (parts.join("").length < 100 * 1024) {
    parts.push(
      `export function handler${i}(event, context) {\n` +
        `  const value${i} = context.items[${(i * 7919) % 1000}] ?? "${
          (i * 104729).toString(36)
        }";\n` +
        `  if (event.type === "click-${i % 17}") return value${i}.length * ${
          i % 13
        };\n` +
        `  return { id: ${i}, label: \`item \${value${i}}\`, ok: ${
          i % 2 === 0
        } };\n}\n`,
    );
    i++;
  }
  return parts.join("").slice(0, 100 * 1024);
}

async function fixtures(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "httpserver-bench-dev-" });
  const js = new TextEncoder().encode(bundle());
  await Deno.writeFile(`${root}/app.js`, js);
  await Deno.writeFile(`${root}/app.js.gz`, gzipSync(js, { level: 9 }));
  await Deno.writeFile(
    `${root}/app.js.br`,
    brotliCompressSync(js, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }),
  );
  await Deno.writeTextFile(
    `${root}/index.html`,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Page</title>` +
      `<link rel="stylesheet" href="/site.css"></head><body>` +
      "<p>Some text of a page being worked on.</p>\n".repeat(40) +
      `<script src="/app.js" defer></script></body></html>\n`,
  );
  await Deno.writeTextFile(`${root}/site.css`, "body { margin: 0; }\n");
  return root;
}

/** A Deno script of `bench/peers/` serving `root`, with `extra` arguments. */
function denoPeer(
  id: string,
  label: string,
  script: string,
  root: string,
  extra: string[],
  env: Record<string, string>,
): ServerSpec {
  return denoScript(
    id,
    label,
    BENCH + "peers/" + script,
    ["--allow-net", "--allow-read", "--allow-env"],
    (port) => [String(port), root, ...extra],
    { env },
  );
}

function ours(
  root: string,
  extra: string[],
  id: string,
  label: string,
): ServerSpec {
  return denoPeer(id, label, "ours_dev.ts", root, extra, OURS_ENV);
}

function compressionServers(
  root: string,
  httpServer: string | null,
): ServerSpec[] {
  const list = [ours(root, ["--compress"], "ours", "ours (--compress)")];
  if (httpServer) {
    list.push({
      id: "http-server",
      label: "npm http-server -g -b",
      command: (port) => ({
        cmd: "node",
        args: [
          httpServer,
          root,
          "-a",
          "127.0.0.1",
          "-p",
          String(port),
          "-g",
          "-b",
          "-c-1",
          "-s",
        ],
      }),
      exe: /node[^/]*$/,
    });
  }
  list.push(
    denoPeer(
      "deno-static",
      "Deno.serve static, automatic compression",
      "deno_serve_static.ts",
      root,
      [],
      { DENO_SERVE_AUTOMATIC_COMPRESSION: "1" },
    ),
  );
  return list;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** One request on a fresh connection; the response head and body size. */
async function once(
  port: number,
  path: string,
  headers: Record<string, string>,
  until?: string,
): Promise<{ head: string; bytes: number }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(enc.encode(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
        Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") +
        "\r\n",
    ));
    const buf = new Uint8Array(65536);
    let text = "";
    let bytes = 0;
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      bytes += n;
      if (text.length < 4096) text += dec.decode(buf.subarray(0, n));
      if (until && text.includes(until)) break;
    }
    const end = text.indexOf("\r\n\r\n");
    return { head: text.slice(0, end), bytes: bytes - end - 4 };
  } finally {
    conn.close();
  }
}

const AE = { "Accept-Encoding": "gzip, br" };

async function compressionTable(
  root: string,
  httpServer: string | null,
): Promise<string[]> {
  const rows: string[] = [
    "| server | encoding, body bytes | req/s | CPU µs/req | ratio (ours / it) |",
    "| --- | --- | ---: | ---: | ---: |",
  ];
  const results: { label: string; probe: string; rps: number; cpu: number }[] =
    [];
  for (const spec of compressionServers(root, httpServer)) {
    let server: Running | null = null;
    try {
      server = await startServer(spec, "/app.js");
      const probe = await once(server.port, "/app.js", AE);
      const coding = /content-encoding: *(\S+)/i.exec(probe.head)?.[1] ??
        "identity";
      const rps: number[] = [];
      const cpu: number[] = [];
      const url = `http://127.0.0.1:${server.port}/app.js`;
      await wrk({
        url,
        connections: 50,
        seconds: 1,
        headers: ["Accept-Encoding: gzip, br"],
        timeout: 10,
      });
      await settle(server);
      for (let r = 0; r < rounds; r++) {
        const c0 = cpuMicros(server.pid);
        const w = await wrk({
          url,
          connections: 50,
          seconds: duration,
          headers: ["Accept-Encoding: gzip, br"],
          timeout: 10,
        });
        const c1 = cpuMicros(server.pid);
        if (w.errors) console.error(`${spec.label}: ${w.errors} errors`);
        rps.push(w.rps);
        cpu.push((c1 - c0) / Math.max(1, w.requests));
        await settle(server);
      }
      results.push({
        label: spec.label,
        probe: `${coding}, ${probe.bytes}`,
        rps: median(rps),
        cpu: median(cpu),
      });
    } catch (error) {
      console.error(`${spec.label}: ${(error as Error).message}`);
    } finally {
      if (server) await stopServer(server);
    }
  }
  const mine = results.find((r) => r.label.startsWith("ours"));
  for (const r of results) {
    const ratio = mine && r !== mine ? (mine.rps / r.rps).toFixed(2) + "x" : "";
    rows.push(
      `| ${r.label} | ${r.probe} | ${Math.round(r.rps)} | ${
        r.cpu.toFixed(1)
      } | ${ratio} |`,
    );
  }
  return rows;
}

/** Server CPU (µs) for `n` page loads made by `load`. */
async function cpuFor(
  server: Running,
  n: number,
  load: () => Promise<void>,
): Promise<number> {
  await settle(server);
  const c0 = cpuMicros(server.pid);
  for (let i = 0; i < n; i++) await load();
  return cpuMicros(server.pid) - c0;
}

async function liveReloadRows(root: string): Promise<string[]> {
  const server = await startServer(
    ours(root, ["--live-reload"], "ours-live", "ours (--live-reload)"),
    "/",
  );
  try {
    const nav = { Accept: "text/html", "Sec-Fetch-Dest": "document" };
    const port = server.port;
    const first = await once(port, "/index.html", nav);
    const etag =
      /etag: *(.*)/i.exec((await once(port, "/%00httpserver/live.js", {})).head)
        ?.[1] ?? "";
    if (!first.head.includes("200 OK")) throw new Error(first.head);
    const plain = () =>
      once(port, "/index.html", { Accept: "*/*" }).then(() => {});
    const live = async () => {
      await once(port, "/index.html", nav);
      await once(port, "/%00httpserver/live.js", { "If-None-Match": etag });
      await once(port, "/%00httpserver/events", {}, "event: hello");
    };
    // Warm both paths up, then alternate the measured batches.
    await cpuFor(server, 50, plain);
    await cpuFor(server, 50, live);
    const plainCpu: number[] = [];
    const liveCpu: number[] = [];
    for (let r = 0; r < rounds; r++) {
      plainCpu.push(await cpuFor(server, pageLoads, plain) / pageLoads);
      liveCpu.push(await cpuFor(server, pageLoads, live) / pageLoads);
    }
    const p = median(plainCpu);
    const l = median(liveCpu);
    return [
      "| page load (fresh connections) | server CPU µs per load |",
      "| --- | ---: |",
      `| plain page (no script) | ${p.toFixed(0)} |`,
      `| live-reload page + live.js (304) + event stream hello | ${
        l.toFixed(0)
      } |`,
      `| **added by live reload** | **${(l - p).toFixed(0)}** |`,
    ];
  } finally {
    await stopServer(server);
  }
}

async function main(): Promise<void> {
  const getconf = await run("getconf", ["CLK_TCK"], 5000).catch(() => null);
  if (getconf) setClockTicks(Number(getconf.stdout.trim()));
  await ensureWrk();
  const httpServer = await ensureHttpServer();
  const root = await fixtures();
  Deno.addSignalListener("SIGINT", () => {
    killAll();
    Deno.exit(130);
  });
  try {
    console.log(
      `# Development server loads (${rounds} round(s) of ${duration} s, median)\n`,
    );
    console.log(
      "## 100 KiB JavaScript, `Accept-Encoding: gzip, br`, 50 keep-alive connections\n",
    );
    console.log((await compressionTable(root, httpServer)).join("\n") + "\n");
    console.log(`## Live reload: ${pageLoads} page loads per round\n`);
    console.log((await liveReloadRows(root)).join("\n"));
  } finally {
    killAll();
    await Deno.remove(root, { recursive: true });
  }
}

if (import.meta.main) await main();
