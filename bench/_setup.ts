// Copyright 2026 the httpserver authors. MIT license.
/**
 * Benchmark prerequisites: wrk (Debian package), npm `http-server`, the
 * newest Python on the machine, and the fixture files.
 * @module
 */

const BENCH_DIR = new URL(".", import.meta.url).pathname;
/** Where npm peers are installed (gitignored). */
export const PEERS_DIR = BENCH_DIR + ".peers";

/** Runs a command to its end within `timeoutMs`; returns its exit code and output. */
export async function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
  opts: { inherit?: boolean; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: opts.inherit ? "inherit" : "piped",
    stderr: opts.inherit ? "inherit" : "piped",
    env: opts.env,
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeoutMs);
  try {
    if (opts.inherit) {
      return { code: (await child.status).code, stdout: "", stderr: "" };
    }
    const out = await child.output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `cmd` runs at all (found on PATH). */
export async function which(cmd: string): Promise<string | null> {
  try {
    const r = await run("sh", ["-c", `command -v ${cmd}`], 5000);
    return r.code === 0 ? r.stdout.trim() : null;
  } catch {
    return null;
  }
}

/**
 * The path of `cmd`, installed with apt-get from the first of `packages`
 * that installs when it is not on PATH (after an `apt-get update` when the
 * package lists are stale). Null when it cannot be installed.
 */
export async function ensureApt(
  cmd: string,
  packages: string[],
): Promise<string | null> {
  const found = await which(cmd);
  if (found) return found;
  const install = (pkg: string) =>
    run("apt-get", ["install", "-y", "--no-install-recommends", pkg], 600_000, {
      inherit: true,
      env: { DEBIAN_FRONTEND: "noninteractive" },
    }).catch(() => ({ code: -1 }));
  for (const pkg of packages) {
    console.error(`${cmd} not found: installing Debian's ${pkg} (apt-get)`);
    let r = await install(pkg);
    if (r.code !== 0) {
      await run("apt-get", ["update"], 600_000, { inherit: true }).catch(
        () => {},
      );
      r = await install(pkg);
    }
    const after = await which(cmd);
    if (after) return after;
  }
  return null;
}

/** Makes sure `wrk` is installed, from Debian's packages when it is not. */
export async function ensureWrk(): Promise<string> {
  const found = await ensureApt("wrk", ["wrk"]);
  if (!found) {
    throw new Error("Cannot install wrk (apt-get install -y wrk failed)");
  }
  return found;
}

/** The path of npm `http-server`'s entry script, installed when missing. */
export async function ensureHttpServer(): Promise<string | null> {
  const bin = PEERS_DIR + "/node_modules/http-server/bin/http-server";
  const exists = () => {
    try {
      return Deno.statSync(bin).isFile;
    } catch {
      return false;
    }
  };
  if (exists()) return bin;
  if (!await which("npm")) {
    console.error("npm not found: skipping the http-server peer");
    return null;
  }
  console.error(`installing http-server@14 into ${PEERS_DIR}`);
  await run(
    "npm",
    [
      "install",
      "--prefix",
      PEERS_DIR,
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      "http-server@14",
    ],
    300_000,
    { inherit: true },
  );
  if (!exists()) {
    console.error("npm install http-server@14 failed: skipping that peer");
    return null;
  }
  return bin;
}

/** A Python interpreter: its real executable and its version. */
export interface Python {
  executable: string;
  version: string;
}

function versionKey(v: string): number {
  const [a = 0, b = 0, c = 0] = v.split(".").map((x) => parseInt(x, 10) || 0);
  return a * 1e6 + b * 1e3 + c;
}

/**
 * The newest Python 3 available: `python3` on PATH and the versions pyenv
 * knows. The real executable is returned (not a pyenv shim), so that the
 * PID we spawn is the interpreter itself.
 */
export async function findPython(): Promise<Python | null> {
  const candidates = ["python3"];
  const pyenv = await which("pyenv");
  if (pyenv) {
    const root = (await run("pyenv", ["root"], 10_000)).stdout.trim();
    try {
      for await (const e of Deno.readDir(root + "/versions")) {
        if (/^3\.\d+/.test(e.name)) {
          candidates.push(`${root}/versions/${e.name}/bin/python3`);
        }
      }
    } catch { /* no versions folder */ }
  }
  let best: Python | null = null;
  const probe =
    "import sys,platform;print(sys.executable);print(platform.python_version())";
  for (const cmd of candidates) {
    try {
      const r = await run(cmd, ["-c", probe], 10_000);
      if (r.code !== 0) continue;
      const [executable = "", version = ""] = r.stdout.trim().split("\n");
      if (!executable || !version.startsWith("3.")) continue;
      if (!best || versionKey(version) > versionKey(best.version)) {
        best = { executable, version };
      }
    } catch { /* not runnable */ }
  }
  return best;
}

/** The fixture tree and its URLs. */
export interface Fixtures {
  root: string;
  small: string;
  medium: string;
  listing: string;
  huge: string;
  hugeSize: number;
}

/**
 * Creates the fixtures in a new temporary folder: a 1 KiB file, a 1 MiB
 * file, a folder of 2000 files and a sparse 1 GiB file.
 */
export async function makeFixtures(): Promise<Fixtures> {
  const root = await Deno.makeTempDir({ prefix: "httpserver-bench-" });
  const small = new Uint8Array(1024);
  for (let i = 0; i < small.length; i++) small[i] = 97 + (i % 26);
  await Deno.writeFile(`${root}/1k.txt`, small);
  const medium = new Uint8Array(1024 * 1024);
  for (let i = 0; i < medium.length; i++) medium[i] = (i * 7) & 0xff;
  await Deno.writeFile(`${root}/1m.bin`, medium);
  await Deno.mkdir(`${root}/dir2000`);
  for (let i = 0; i < 2000; i++) {
    const name = `file-${String(i).padStart(4, "0")}.txt`;
    await Deno.writeTextFile(`${root}/dir2000/${name}`, `${i}\n`);
  }
  const hugeSize = 1024 * 1024 * 1024;
  const f = await Deno.open(`${root}/1g.bin`, { write: true, create: true });
  try {
    await f.truncate(hugeSize); // sparse: no disk I/O, reads come back as zeros
  } finally {
    f.close();
  }
  // Read it once, so that every server finds its pages in the page cache
  // (the first reader would otherwise pay for creating them).
  const r = await Deno.open(`${root}/1g.bin`);
  try {
    const buf = new Uint8Array(4 << 20);
    while (await r.read(buf) !== null) { /* discard */ }
  } finally {
    r.close();
  }
  return {
    root,
    small: "/1k.txt",
    medium: "/1m.bin",
    listing: "/dir2000/",
    huge: "/1g.bin",
    hugeSize,
  };
}

async function versionOf(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await run(cmd, args, 10_000);
    return (r.stdout + r.stderr).trim().split("\n")[0] ?? "?";
  } catch {
    return "?";
  }
}

/** The machine and the versions of the servers and tools, for the report. */
export async function machine(peers: {
  python: Python | null;
  nginx: string | null;
  caddy: string | null;
}): Promise<string> {
  const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(
    /^model name\s*:\s*(.*)$/m,
  )?.[1] ?? "?";
  const mem = Deno.systemMemoryInfo();
  const versions = [
    `Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`,
    `Python ${peers.python?.version ?? "-"}`,
    `Node ${await versionOf("node", ["--version"])}`,
    peers.nginx ? await versionOf(peers.nginx, ["-v"]) : "no nginx",
    peers.caddy ? `caddy ${await versionOf(peers.caddy, ["version"])}` : "",
    await versionOf("wrk", ["--version"]),
  ].filter(Boolean);
  return [
    `${navigator.hardwareConcurrency} x ${cpu}, ${
      Math.round(mem.total / 2 ** 30)
    } GiB RAM, Linux ${Deno.osRelease()}`,
    versions.join(", "),
  ].join("; ");
}

/** The load averages (1, 5, 15 min) from /proc/loadavg. */
export function loadAvg(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(
      " ",
    );
  } catch {
    return "?";
  }
}
