// Copyright 2026 the httpserver authors. MIT license.
/**
 * The servers `deno task bench` measures: how each is started (the process
 * spawned is the server itself, so its PID is the one measured), and which
 * loads it takes part in. nginx and caddy get their configuration here.
 * @module
 */
import { denoScript, type ServerSpec } from "./_servers.ts";
import type { Fixtures, Python } from "./_setup.ts";

const BENCH = new URL(".", import.meta.url).pathname;
const REPO = new URL("..", import.meta.url).pathname;

/**
 * Deno's tokio runtime handles at most this many socket events per turn.
 * Its default (1024) lets a few hundred busy connections starve the rest for
 * seconds on a `Deno.listen` server; 64 keeps them fair.
 */
export const OURS_ENV = { DENO_TOKIO_MAX_IO_EVENTS_PER_TICK: "64" };

/** What the harness found or installed. */
export interface Peers {
  python: Python | null;
  /** npm http-server's entry script. */
  httpServer: string | null;
  /** The nginx binary. */
  nginx: string | null;
  /** The caddy binary. */
  caddy: string | null;
  /** A scratch folder for configuration files and nginx's temp paths. */
  work: string;
  /** Another checkout of this repository, measured as `ours-b` (A/B runs). */
  compare?: string | null;
}

/** The fixed-body peers answer 1 KiB loads only. */
const FIXED_LOADS = ["keepalive", "close", "c1000", "idle"];
/** The idle-connection load, for servers that close every connection. */
const IDLE = ["idle"];

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Ours through `HTTPServer` + `SimpleHTTPRequestHandler`, without the CLI. */
export function oursSimple(fx: Fixtures): ServerSpec {
  return denoScript(
    "ours",
    "ours (SimpleHTTPRequestHandler)",
    BENCH + "peers/ours_simple.ts",
    ["--allow-net", "--allow-read"],
    (port) => [String(port), fx.root],
    { env: OURS_ENV },
  );
}

/**
 * nginx as its users tune it for static files: one worker, `sendfile on`,
 * no access log, `autoindex on` for the listing; everything else Debian's
 * defaults (keep-alive 75 s and 1000 requests per connection). Its own
 * prefix, pid file and temp paths under `work`; run as root when we are
 * root, so that the worker can read the fixtures (mode 0700).
 */
export function nginxConfig(
  root: string,
  port: number,
  work: string,
): string {
  const dir = `${work}/nginx-${port}`;
  Deno.mkdirSync(dir, { recursive: true });
  const asRoot = Deno.uid() === 0 ? "user root root;\n" : "";
  const temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((t) => `  ${t}_temp_path ${dir}/${t};\n`).join("");
  const conf = `daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 8192;
pid ${dir}/nginx.pid;
error_log stderr warn;
${asRoot}events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  autoindex on;
${temps}  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`;
  Deno.writeTextFileSync(`${dir}/nginx.conf`, conf);
  return dir;
}

/** Every server the harness knows, in table order. */
export function allServers(fx: Fixtures, peers: Peers): ServerSpec[] {
  const list: ServerSpec[] = [];
  if (exists(REPO + "cli.ts")) {
    list.push(denoScript(
      "ours",
      "ours (cli.ts)",
      REPO + "cli.ts",
      ["--allow-net", "--allow-read"],
      (port) => ["-q", "-b", "127.0.0.1", "-d", fx.root, String(port)],
      // As `deno task start` runs it: see "Many clients at once" in README.md.
      { env: OURS_ENV },
    ));
  } else if (exists(REPO + "handlers/simple.ts")) {
    console.error(
      "cli.ts not found: measuring ours through bench/peers/ours_simple.ts",
    );
    list.push(oursSimple(fx));
  } else {
    console.error("cli.ts and handlers/simple.ts not found: skipping ours");
  }
  if (peers.compare) {
    const other = peers.compare.replace(/\/?$/, "/");
    list.push(denoScript(
      "ours-b",
      `ours at ${other}`,
      other + "cli.ts",
      ["--allow-net", "--allow-read"],
      (port) => ["-q", "-b", "127.0.0.1", "-d", fx.root, String(port)],
      { env: OURS_ENV },
    ));
  }
  if (peers.nginx) {
    const nginx = peers.nginx;
    list.push({
      id: "nginx",
      label: "nginx 1 worker",
      command: (port) => {
        const dir = nginxConfig(fx.root, port, peers.work);
        return {
          cmd: nginx,
          args: ["-e", "stderr", "-p", dir, "-c", `${dir}/nginx.conf`],
        };
      },
      exe: /nginx$/,
    });
  } else console.error("nginx not available: skipping that peer");
  if (peers.caddy) {
    const caddy = peers.caddy;
    list.push({
      id: "caddy",
      label: "caddy file-server",
      command: (port) => ({
        cmd: caddy,
        args: [
          "file-server",
          "--root",
          fx.root,
          "--listen",
          `127.0.0.1:${port}`,
          "--browse",
        ],
      }),
      // Its data and config folders (certificates, autosave) in `work`.
      env: {
        XDG_DATA_HOME: `${peers.work}/caddy-data`,
        XDG_CONFIG_HOME: `${peers.work}/caddy-config`,
      },
      exe: /caddy$/,
    });
  } else console.error("caddy not available: skipping that peer");
  const python = peers.python;
  if (python) {
    const py = (
      id: string,
      label: string,
      extra: string[],
      more: Partial<ServerSpec> = {},
    ): ServerSpec => ({
      id,
      label,
      command: (port) => ({
        cmd: python.executable,
        args: [
          "-m",
          "http.server",
          ...extra,
          "-b",
          "127.0.0.1",
          "-d",
          fx.root,
          String(port),
        ],
      }),
      exe: /python[^/]*$/,
      ...more,
    });
    // HTTP/1.0 closes every connection: nothing to hold idle.
    list.push(
      py("python", `python ${python.version}`, [], {
        skipLoads: IDLE,
      }),
    );
    list.push(
      py("python11", `python ${python.version} -p HTTP/1.1`, [
        "-p",
        "HTTP/1.1",
      ]),
    );
  } else console.error("python3 not found: skipping the Python peers");
  if (peers.httpServer) {
    const bin = peers.httpServer;
    list.push({
      id: "http-server",
      label: "npm http-server",
      command: (port) => ({
        cmd: "node",
        args: [
          bin,
          fx.root,
          "-a",
          "127.0.0.1",
          "-p",
          String(port),
          "-c-1",
          "-s",
        ],
      }),
      exe: /node[^/]*$/,
    });
  }
  list.push(denoScript(
    "deno-static",
    "Deno.serve static",
    BENCH + "peers/deno_serve_static.ts",
    ["--allow-net", "--allow-read"],
    (port) => [String(port), fx.root],
  ));
  list.push(denoScript(
    "deno-fixed",
    "Deno.serve fixed 1 KiB",
    BENCH + "peers/deno_serve_fixed.ts",
    ["--allow-net"],
    (port) => [String(port)],
    { loads: FIXED_LOADS },
  ));
  list.push(denoScript(
    "deno-listen",
    "Deno.listen bare loop 1 KiB",
    BENCH + "peers/deno_listen_fixed.ts",
    ["--allow-net"],
    (port) => [String(port)],
    { loads: FIXED_LOADS },
  ));
  list.push(denoScript(
    "node-net",
    "node:net bare loop 1 KiB (Deno)",
    BENCH + "peers/node_net_fixed.ts",
    ["--allow-net"],
    (port) => [String(port)],
    { loads: FIXED_LOADS },
  ));
  return list;
}
