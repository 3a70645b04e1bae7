// Copyright 2026 the httpserver authors. MIT license.
/**
 * Load generation: wrk runs (parsed from its text report) and the single
 * large download (a raw-socket client that counts bytes).
 * @module
 */
import { run } from "./_setup.ts";

/** What one wrk run reports. */
export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  /** 99th percentile latency, ms. */
  p99: number;
  /** Socket errors (connect + read + write + timeout) plus non-2xx/3xx. */
  errors: number;
}

/** Options of one wrk run. */
export interface WrkOptions {
  url: string;
  connections: number;
  seconds: number;
  headers?: string[];
  /** Per-request timeout, seconds (wrk's default is 2). */
  timeout?: number;
}

function toMs(value: string, unit: string): number {
  const v = Number(value);
  switch (unit) {
    case "us":
      return v / 1000;
    case "ms":
      return v;
    case "s":
      return v * 1000;
    case "m":
      return v * 60_000;
  }
  return NaN;
}

/** Parses wrk's text report (with `--latency`). */
export function parseWrk(text: string): WrkResult {
  const reqs = text.match(/^\s*(\d+) requests in ([\d.]+)(us|ms|s|m),/m);
  const rps = text.match(/^Requests\/sec:\s*([\d.]+)/m);
  const p99 = text.match(/^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m);
  if (!reqs || !rps) throw new Error(`Cannot parse wrk output:\n${text}`);
  let errors = 0;
  const sock = text.match(
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/,
  );
  if (sock) errors += sock.slice(1).reduce((n, x) => n + Number(x), 0);
  const non2xx = text.match(/Non-2xx or 3xx responses: (\d+)/);
  if (non2xx) errors += Number(non2xx[1]);
  return {
    requests: Number(reqs[1]),
    seconds: toMs(reqs[2]!, reqs[3]!) / 1000,
    rps: Number(rps[1]),
    p99: p99 ? toMs(p99[1]!, p99[2]!) : NaN,
    errors,
  };
}

/** Runs wrk once (one thread), bounded to its duration plus 30 s. */
export async function wrk(opts: WrkOptions): Promise<WrkResult> {
  const args = [
    "-t1",
    `-c${opts.connections}`,
    `-d${opts.seconds}s`,
    "--latency",
  ];
  if (opts.timeout) args.push("--timeout", `${opts.timeout}s`);
  for (const h of opts.headers ?? []) args.push("-H", h);
  args.push(opts.url);
  const r = await run("wrk", args, opts.seconds * 1000 + 30_000);
  if (r.code !== 0) {
    throw new Error(`wrk ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  }
  return parseWrk(r.stdout);
}

/** One download's figures. */
export interface DownloadResult {
  bytes: number;
  seconds: number;
  /** Throughput, MB/s (10^6 bytes per second). */
  mbps: number;
}

const CRLFCRLF = [13, 10, 13, 10];

function findHeadEnd(buf: Uint8Array, len: number): number {
  outer: for (let i = 0; i + 4 <= len; i++) {
    for (let j = 0; j < 4; j++) if (buf[i + j] !== CRLFCRLF[j]) continue outer;
    return i + 4;
  }
  return -1;
}

/**
 * Downloads `path` once over a fresh connection and counts the body bytes;
 * fails when the body is not `expected` bytes or takes over `timeoutMs`.
 */
export async function download(
  port: number,
  path: string,
  expected: number,
  timeoutMs: number,
): Promise<DownloadResult> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      conn.close();
    } catch { /* closed */ }
  }, timeoutMs);
  try {
    const start = performance.now();
    await conn.write(
      new TextEncoder().encode(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      ),
    );
    const buf = new Uint8Array(1 << 20);
    let headLen = -1;
    let got = 0;
    let body = 0;
    while (true) {
      const n = await conn.read(headLen < 0 ? buf.subarray(got) : buf);
      if (n === null) break;
      if (headLen < 0) {
        got += n;
        const end = findHeadEnd(buf, got);
        if (end < 0) {
          if (got === buf.length) throw new Error("Response head too long");
          continue;
        }
        const head = new TextDecoder().decode(buf.subarray(0, end));
        if (!/^HTTP\/1\.[01] 200 /.test(head)) {
          throw new Error(`Download got ${head.split("\r\n")[0]}`);
        }
        headLen = end;
        body = got - end;
      } else body += n;
      if (body >= expected) break;
    }
    const seconds = (performance.now() - start) / 1000;
    if (body !== expected) {
      throw new Error(`Download got ${body} of ${expected} bytes`);
    }
    return { bytes: body, seconds, mbps: body / seconds / 1e6 };
  } catch (error) {
    if (timedOut) throw new Error(`Download took over ${timeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed */ }
  }
}
