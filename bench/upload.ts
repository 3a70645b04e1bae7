// Copyright 2026 the httpserver authors. MIT license.
/**
 * `deno task bench:upload`: one large raw `PUT` and one large multipart
 * `POST` over loopback, sent by curl, against ours (uploads on), nginx with
 * `dav_methods PUT` (raw PUT only: nginx has no form uploads) and the
 * upload server a Deno user writes with `Deno.serve` (`req.body` to a file,
 * `req.formData()`). Prints MB/s (10^6 bytes/s, medians over rounds) and
 * each server's peak RSS, with the goals of issue 13. Every server writes
 * into a fresh folder on `/dev/shm` (a RAM file system, so the disk does not
 * set the pace and fsync is free) and is started fresh for each upload, so
 * its peak RSS is that upload's.
 *
 * Flags: `--quick` (1 round of 256 MiB), `--rounds N` (3), `--size MIB`
 * (1024), `--servers ours,nginx,deno-serve`, `--loads put,form`. The payload
 * is random bytes.
 * @module
 */
import { parseArgs } from "node:util";
import {
  cpuMicros,
  killAll,
  peakRssKiB,
  type Running,
  type ServerSpec,
  startServer,
  stopServer,
} from "./_servers.ts";
import { median } from "./_table.ts";

const BENCH = new URL(".", import.meta.url).pathname;
const MIB = 1024 * 1024;

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
    size: { type: "string" },
    servers: { type: "string" },
    loads: { type: "string" },
  },
});
const rounds = Math.max(1, Number(flags.rounds ?? (flags.quick ? 1 : 3)));
const sizeMiB = Math.max(1, Number(flags.size ?? (flags.quick ? 256 : 1024)));
const size = sizeMiB * MIB;
const serverFilter = flags.servers?.split(",");
const loadFilter = flags.loads?.split(",") ?? ["put", "form"];

/** Where the servers write: a RAM file system when there is one. */
const SCRATCH = (() => {
  try {
    return Deno.statSync("/dev/shm").isDirectory ? "/dev/shm" : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * Deno asks for every permission (`-A`) to touch anything under `/dev`,
 * `/dev/shm` included; elsewhere net, read and write are enough.
 */
const DENO_PERMISSIONS = SCRATCH === "/dev/shm"
  ? ["--allow-all"]
  : ["--allow-net", "--allow-read", "--allow-write"];

function have(cmd: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`] })
      .outputSync().success;
  } catch {
    return false;
  }
}

interface Spec extends ServerSpec {
  /** Loads it takes part in. */
  uploads: string[];
}

function servers(dest: () => string): Spec[] {
  const deno = Deno.execPath();
  const list: Spec[] = [{
    id: "ours",
    label: "ours (upload on)",
    env: { DENO_TOKIO_MAX_IO_EVENTS_PER_TICK: "64" },
    command: (port) => ({
      cmd: deno,
      args: [
        "run",
        ...DENO_PERMISSIONS,
        BENCH + "peers/ours_upload.ts",
        String(port),
        dest(),
      ],
    }),
    exe: /deno[^/]*$/,
    uploads: ["put", "form"],
  }, {
    id: "deno-serve",
    label: "Deno.serve upload",
    command: (port) => ({
      cmd: deno,
      args: [
        "run",
        ...DENO_PERMISSIONS,
        BENCH + "peers/deno_serve_upload.ts",
        String(port),
        dest(),
      ],
    }),
    exe: /deno[^/]*$/,
    uploads: ["put", "form"],
  }];
  if (have("nginx")) {
    list.push({
      id: "nginx",
      label: "nginx dav PUT",
      command: (port) => nginxCommand(port, dest()),
      exe: /nginx$/,
      uploads: ["put"],
    });
  } else console.error("nginx not found (apt-get install nginx): skipped");
  return list.filter((s) => !serverFilter || serverFilter.includes(s.id));
}

/** nginx's configuration folders, removed at the end. */
const nginxPrefixes: string[] = [];

/** One nginx process (no master, no daemon) serving `root` with PUT. */
function nginxCommand(port: number, root: string) {
  const prefix = Deno.makeTempDirSync({ prefix: "bench_nginx_" });
  nginxPrefixes.push(prefix);
  Deno.mkdirSync(`${root}/.nginx-body`);
  Deno.writeTextFileSync(
    `${prefix}/nginx.conf`,
    `master_process off;
daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_max_body_size 0;
  client_body_temp_path ${root}/.nginx-body;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / {
      dav_methods PUT;
      create_full_put_path on;
    }
  }
}
`,
  );
  return {
    cmd: "nginx",
    args: [
      "-p",
      prefix,
      "-c",
      `${prefix}/nginx.conf`,
      "-e",
      `${prefix}/error.log`,
    ],
  };
}

/** Sends one upload with curl; returns MB/s. */
async function send(load: string, port: number, file: string): Promise<number> {
  const url = `http://127.0.0.1:${port}/`;
  const args = load === "put"
    ? ["-T", file, url + "upload.bin"]
    : ["-F", `file=@${file};filename=upload.bin`, url];
  const out = await new Deno.Command("curl", {
    args: [
      "-sS",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code} %{time_total}",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const [code, seconds] = new TextDecoder().decode(out.stdout).trim().split(
    " ",
  );
  if (!out.success || !/^20[01]$/.test(code ?? "")) {
    throw new Error(
      `curl ${load}: ${code} ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return size / Number(seconds) / 1e6;
}

interface Sample {
  mbps: number;
  rssMiB: number;
  /** CPU seconds the server used for the upload. */
  cpuS: number;
}

async function main(): Promise<void> {
  const fixtures = await Deno.makeTempDir({ prefix: "bench_upload_" });
  const file = `${fixtures}/payload.bin`;
  // Random bytes (CR, LF and dashes included, as in real files), read
  // from the page cache so that curl is never the limit.
  await new Deno.Command("sh", {
    args: [
      "-c",
      `head -c ${size} /dev/urandom > '${file}' && cat '${file}' > /dev/null`,
    ],
  }).output();
  let dest = "";
  const specs = servers(() => dest);
  const samples = new Map<string, Sample[]>();
  const failures: string[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const load of loadFilter) {
        for (const spec of specs.filter((s) => s.uploads.includes(load))) {
          dest = await Deno.makeTempDir({ dir: SCRATCH, prefix: "bench_up_" });
          let server: Running | null = null;
          try {
            server = await startServer(spec, "/");
            const cpu0 = cpuMicros(server.pid);
            const mbps = await send(load, server.port, file);
            const cpuS = (cpuMicros(server.pid) - cpu0) / 1e6;
            const rssMiB = peakRssKiB(server.pid) / 1024;
            const stored = await Deno.stat(`${dest}/upload.bin`);
            if (stored.size !== size) {
              throw new Error(`stored ${stored.size} bytes of ${size}`);
            }
            const key = `${load} ${spec.id}`;
            samples.set(key, [...samples.get(key) ?? [], {
              mbps,
              rssMiB,
              cpuS,
            }]);
            console.error(
              `[${round + 1}/${rounds}] ${load.padEnd(5)} ${
                spec.label.padEnd(20)
              } ${mbps.toFixed(0).padStart(6)} MB/s, peak RSS ${
                rssMiB.toFixed(1)
              } MiB, server CPU ${cpuS.toFixed(2)} s`,
            );
          } catch (error) {
            failures.push(`${load} ${spec.label}: ${(error as Error).message}`);
            console.error(failures.at(-1));
          } finally {
            if (server) await stopServer(server);
            await Deno.remove(dest, { recursive: true }).catch(() => {});
          }
        }
      }
    }
  } finally {
    killAll();
    await Deno.remove(fixtures, { recursive: true }).catch(() => {});
    for (const prefix of nginxPrefixes) {
      await Deno.remove(prefix, { recursive: true }).catch(() => {});
    }
  }
  console.log(report(specs, samples, failures));
}

function cell(samples: Sample[] | undefined) {
  if (!samples?.length) return null;
  return {
    mbps: median(samples.map((s) => s.mbps)),
    rss: Math.max(...samples.map((s) => s.rssMiB)),
    cpu: median(samples.map((s) => s.cpuS)),
  };
}

function report(
  specs: Spec[],
  samples: Map<string, Sample[]>,
  failures: string[],
): string {
  const lines = [
    `Uploads of ${sizeMiB} MiB over loopback (curl), ${rounds} round(s), medians; RSS is the largest peak; CPU s is the server's CPU time for the upload; written to ${
      SCRATCH ?? "the temporary folder"
    }.`,
    "",
    `| Load | ${specs.map((s) => s.label).join(" | ")} |`,
    `| --- | ${specs.map(() => "---:").join(" | ")} |`,
  ];
  const labels: Record<string, string> = {
    put: `${sizeMiB} MiB raw PUT`,
    form: `${sizeMiB} MiB multipart POST`,
  };
  for (const load of loadFilter) {
    const ours = cell(samples.get(`${load} ours`));
    const row = specs.map((s) => {
      if (!s.uploads.includes(load)) return "n/a";
      const c = cell(samples.get(`${load} ${s.id}`));
      if (!c) return "failed";
      const ratio = ours && s.id !== "ours"
        ? ` (ours ${(ours.mbps / c.mbps).toFixed(2)}x)`
        : "";
      return `${c.mbps.toFixed(0)} MB/s${ratio}, ${c.rss.toFixed(0)} MiB, ${
        c.cpu.toFixed(2)
      } CPU s`;
    });
    lines.push(`| ${labels[load] ?? load} | ${row.join(" | ")} |`);
  }
  const goal = (ok: boolean | null, text: string) =>
    `- ${ok === null ? "not measured" : ok ? "MET" : "NOT MET"}: ${text}`;
  const ratio = (load: string, peer: string) => {
    const a = cell(samples.get(`${load} ours`));
    const b = cell(samples.get(`${load} ${peer}`));
    return a && b ? a.mbps / b.mbps : null;
  };
  const putRatio = ratio("put", "nginx");
  const formRatio = ratio("form", "deno-serve");
  const rss = ["put", "form"].map((l) =>
    cell(samples.get(`${l} ours`))?.rss ?? null
  );
  lines.push(
    "",
    "Goals (issue 13):",
    "",
    goal(
      putRatio === null ? null : putRatio >= 0.8,
      `raw PUT at least 0.8x nginx (${putRatio?.toFixed(2) ?? "-"}x)`,
    ),
    goal(
      formRatio === null ? null : formRatio >= 3,
      `multipart at least 3x Deno.serve (${formRatio?.toFixed(2) ?? "-"}x)`,
    ),
    goal(
      rss.every((r) => r === null)
        ? null
        : rss.every((r) => r === null || r < 96),
      `our peak RSS under 96 MiB (${
        rss.map((r) => r?.toFixed(0) ?? "-").join(", ")
      } MiB)`,
    ),
  );
  if (failures.length) {
    lines.push(
      "",
      "Failures:",
      ...failures.map((f) => `- ${f}`),
    );
  }
  return lines.join("\n");
}

Deno.addSignalListener("SIGINT", () => {
  killAll();
  Deno.exit(130);
});
await main();
