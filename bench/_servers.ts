// Copyright 2026 the httpserver authors. MIT license.
/**
 * Starting, probing, measuring and stopping the servers under test. Each
 * server is the process we spawn ourselves (deno, python or node, never a
 * wrapper shell or npx), so its PID is the one `/proc` is read for.
 * @module
 */

/** How to start one server. */
export interface ServerSpec {
  /** Short id used in the table and in `--servers`. */
  id: string;
  /** What the table shows. */
  label: string;
  /** The program and its arguments for a port. */
  command(port: number): { cmd: string; args: string[] };
  /** Environment variables added to the server's environment. */
  env?: Record<string, string>;
  /** The executable name expected in `/proc/PID/exe`. */
  exe: RegExp;
  /** Loads this server takes part in (default: all). */
  loads?: string[];
  /** Loads this server does not take part in. */
  skipLoads?: string[];
  /** For an HTTPS server: the PEM of the CA its certificate is signed by. */
  tlsCa?: string;
}

/**
 * A Deno script served as `deno run FLAGS SCRIPT ARGS(port)`; `extra` adds
 * or overrides fields (environment, TLS CA, loads).
 */
export function denoScript(
  id: string,
  label: string,
  script: string,
  flags: string[],
  args: (port: number) => string[],
  extra: Partial<ServerSpec> = {},
): ServerSpec {
  return {
    id,
    label,
    command: (port) => ({
      cmd: Deno.execPath(),
      args: ["run", ...flags, script, ...args(port)],
    }),
    exe: /deno[^/]*$/,
    ...extra,
  };
}

/** A running server. */
export interface Running {
  spec: ServerSpec;
  pid: number;
  port: number;
  child: Deno.ChildProcess;
  /** The last output lines, for error messages. */
  tail(): string;
}

const live = new Set<Deno.ChildProcess>();

/** Kills every server still running (for Ctrl-C and fatal errors). */
export function killAll(): void {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }
}

/** A port that was free a moment ago on 127.0.0.1 (the kernel picked it). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Drains a child's output, keeping the last few KiB. */
function drain(
  stream: ReadableStream<Uint8Array>,
  keep: { text: string },
): Promise<void> {
  const dec = new TextDecoder();
  return (async () => {
    try {
      for await (const chunk of stream) {
        keep.text = (keep.text + dec.decode(chunk, { stream: true })).slice(
          -4096,
        );
      }
    } catch { /* the process went away */ }
  })();
}

/** One HTTP/1.0 GET over a fresh socket; true when an HTTP status line comes back. */
async function answers(
  port: number,
  path: string,
  tlsCa?: string,
): Promise<boolean> {
  let conn: Deno.Conn | null = null;
  const timer = setTimeout(() => {
    try {
      conn?.close();
    } catch { /* closed */ }
  }, 2000);
  try {
    conn = tlsCa
      ? await Deno.connectTls({ hostname: "127.0.0.1", port, caCerts: [tlsCa] })
      : await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(
      new TextEncoder().encode(`GET ${path} HTTP/1.0\r\nHost: x\r\n\r\n`),
    );
    const buf = new Uint8Array(64);
    const n = await conn.read(buf);
    return n !== null &&
      new TextDecoder().decode(buf.subarray(0, n)).startsWith("HTTP/");
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch { /* closed */ }
  }
}

/**
 * Starts `spec` on a free port and waits (at most `timeoutMs`) until it
 * answers HTTP. Retries on another port if the process exits early (the
 * port may have been taken in between).
 */
export async function startServer(
  spec: ServerSpec,
  probePath: string,
  timeoutMs = 30_000,
): Promise<Running> {
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = freePort();
    const { cmd, args } = spec.command(port);
    const child = new Deno.Command(cmd, {
      args,
      env: spec.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    live.add(child);
    const out = { text: "" };
    drain(child.stdout, out);
    drain(child.stderr, out);
    let exited = false;
    child.status.then(() => {
      exited = true;
      live.delete(child);
    });
    const running: Running = {
      spec,
      pid: child.pid,
      port,
      child,
      tail: () => out.text,
    };
    const deadline = performance.now() + timeoutMs;
    let ok = false;
    while (!exited && performance.now() < deadline) {
      if (await answers(port, probePath, spec.tlsCa)) {
        ok = true;
        break;
      }
      await sleep(50);
    }
    if (ok && !exited) {
      const exe = readExe(child.pid);
      if (!spec.exe.test(exe)) {
        await stopServer(running);
        throw new Error(
          `${spec.label}: PID ${child.pid} is ${exe}, not the server itself`,
        );
      }
      return running;
    }
    await stopServer(running);
    lastError = exited
      ? `exited early:\n${out.text}`
      : `did not answer within ${timeoutMs} ms:\n${out.text}`;
  }
  throw new Error(`${spec.label} ${lastError}`);
}

/** Stops a server: SIGTERM, then SIGKILL after 3 s; waits for the exit. */
export async function stopServer(server: Running): Promise<void> {
  const { child } = server;
  try {
    child.kill("SIGTERM");
  } catch { /* already gone */ }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const killed = await Promise.race([
    child.status.then(() => false),
    new Promise<boolean>((r) => timer = setTimeout(() => r(true), 3000)),
  ]);
  clearTimeout(timer);
  if (killed) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
  }
  live.delete(child);
}

function readExe(pid: number): string {
  try {
    return Deno.readLinkSync(`/proc/${pid}/exe`);
  } catch {
    return "?";
  }
}

/**
 * Waits (at most `timeoutMs`) until the server is idle: under 5% of a CPU
 * over 200 ms. Returns false when it is still busy at the deadline.
 */
export async function settle(
  server: Running,
  timeoutMs = 30_000,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  let last = cpuMicros(server.pid);
  while (performance.now() < deadline) {
    await sleep(200);
    let now: number;
    try {
      now = cpuMicros(server.pid);
    } catch {
      return false; // the process is gone
    }
    if (now - last < 10_000) return true;
    last = now;
  }
  console.error(`${server.spec.label} still busy after ${timeoutMs} ms`);
  return false;
}

let clkTck = 100;
/** Sets the clock-tick rate used to read `/proc/PID/stat` (`getconf CLK_TCK`). */
export function setClockTicks(hz: number): void {
  if (hz > 0) clkTck = hz;
}

/**
 * The process and its descendants (nginx's master and its worker), read
 * from `/proc/PID/task/TID/children`.
 */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = [...Deno.readDirSync(`/proc/${out[i]}/task`)].map((e) => e.name);
    } catch { /* gone */ }
    for (const tid of tasks) {
      try {
        const kids = Deno.readTextFileSync(
          `/proc/${out[i]}/task/${tid}/children`,
        ).trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      } catch { /* gone */ }
    }
  }
  return out;
}

function cpuOf(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the command name, which is in parentheses and may hold spaces.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return (utime + stime) * 1e6 / clkTck;
}

/**
 * The CPU time (user + system, all threads) a server has used, in
 * microseconds: the process and its children (nginx's worker). Throws when
 * the process itself is gone.
 */
export function cpuMicros(pid: number): number {
  let total = cpuOf(pid);
  for (const child of processTree(pid).slice(1)) {
    try {
      total += cpuOf(child);
    } catch { /* exited meanwhile */ }
  }
  return total;
}

function statusKiB(pid: number, field: string): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const m = status.match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m"));
  return m ? Number(m[1]) : NaN;
}

function treeKiB(pid: number, field: string): number {
  let total = statusKiB(pid, field);
  for (const child of processTree(pid).slice(1)) {
    try {
      total += statusKiB(child, field);
    } catch { /* exited meanwhile */ }
  }
  return total;
}

/**
 * The peak resident set size of a server (`VmHWM`; with its children, the
 * sum of theirs), in KiB.
 */
export function peakRssKiB(pid: number): number {
  return treeKiB(pid, "VmHWM");
}

/** The resident set size of a server and its children (`VmRSS`), in KiB. */
export function rssKiB(pid: number): number {
  return treeKiB(pid, "VmRSS");
}

/** Resets a process's peak RSS to its current RSS (Linux `clear_refs` 5). */
export function resetPeakRss(pid: number): boolean {
  try {
    Deno.writeTextFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}
