// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's development-server options (`--help`'s "development server"
 * section): the argument group, the `--dev`
 * preset, the http-server spelling `-c-1`, the start-up checks (the SPA and
 * 404 files exist; isolation needs a secure context), the port fallback of
 * `--dev` and the banner line saying what is on.
 * @module
 */
import { ArgumentTypeError } from "argparse";
import type { DevOptions } from "../handlers/dev_types.ts";
import { pyRepr } from "../_text.ts";
import { isLoopback } from "../_share/urls.ts";
import type { OptionGroup } from "./parser.ts";

/**
 * What the development options add to the CLI's configuration; the fields
 * are present only when an option is given, so that the configuration of a
 * plain command line stays what it was (and plain, cloneable data).
 */
export interface DevCliConfig {
  /** The handler options; absent when every development option is off. */
  dev?: DevOptions;
  /** `--dev` was given; absent otherwise. */
  devPreset?: true;
  /** With `--dev`: whether the port was given (the default is 8000). */
  portGiven?: boolean;
}

function cacheValue(text: string): string | number {
  if (text === "no-cache" || text === "no-store") return text;
  if (/^\d{1,10}$/.test(text)) return Number(text);
  if (text === "-1") return "no-store";
  throw new ArgumentTypeError(
    `invalid cache value: ${pyRepr(text)} (expected no-cache, no-store ` +
      `or a number of seconds)`,
  );
}

const ISOLATE_MODES = ["require-corp", "credentialless"];

/** The "development server" section of `--help`. */
export const devGroup: OptionGroup<DevCliConfig> = {
  add(parser) {
    const group = parser.add_argument_group({ title: "development server" });
    group.add_argument("--dev", {
      dest: "dev",
      action: "store_true",
      help: "preset: --live-reload and --cache no-cache; bind to 127.0.0.1 " +
        "unless -b or --qr is given; if no port is given and 8000 is busy, " +
        "take the next free one",
    });
    group.add_argument("--live-reload", {
      dest: "liveReload",
      action: "store_true",
      help: "reload pages when a file changes (stylesheets are swapped in " +
        "place); .git, node_modules and editor temporaries are not watched",
    });
    group.add_argument("--watch-ignore", {
      dest: "watchIgnore",
      action: "append",
      metavar: "GLOB",
      help: "do not watch paths matching GLOB (can be repeated)",
    });
    group.add_argument("--spa", {
      dest: "spa",
      nargs: "?",
      const: "index.html",
      metavar: "FILE",
      help: "serve FILE (default: index.html) with 200 to page navigations " +
        "that match nothing and have no extension; FILE should load its " +
        "assets by absolute URLs",
    });
    group.add_argument("--404", {
      dest: "notFoundPage",
      metavar: "FILE",
      help: "send FILE with status 404 to page navigations that match nothing",
    });
    group.add_argument("--cache", {
      dest: "cache",
      metavar: "no-cache|no-store|SECONDS",
      type: cacheValue,
      help: "Cache-Control of file responses (-c-1 means no-store); -H wins",
    });
    group.add_argument("--immutable", {
      dest: "immutable",
      action: "append",
      metavar: "GLOB",
      help: "serve files matching GLOB as immutable for a year (can be " +
        "repeated; never HTML pages)",
    });
    group.add_argument("--isolate", {
      dest: "isolate",
      nargs: "?",
      const: "require-corp",
      choices: ISOLATE_MODES,
      metavar: "MODE",
      help: "cross-origin isolation (SharedArrayBuffer, wasm threads): COOP " +
        "same-origin, COEP MODE (require-corp, the default, or " +
        "credentialless), CORP same-site on every response",
    });
    group.add_argument("--compress", {
      dest: "compress",
      action: "store_true",
      help: "compress text, scripts and other compressible files from 1 KiB " +
        "with zstd, br or gzip, as the client prefers",
    });
    group.add_argument("--precompressed", {
      dest: "precompressed",
      action: "store_true",
      help: "serve NAME.zst, NAME.br or NAME.gz beside NAME to clients that " +
        "accept it, unless older than NAME",
    });
  },
  read(v) {
    const preset = v.dev === true;
    const dev: DevOptions = {};
    if (preset || v.liveReload) {
      const ignore = (v.watchIgnore ?? []) as string[];
      dev.liveReload = ignore.length ? { watchIgnore: ignore } : true;
    }
    if (v.spa) dev.spa = v.spa as string;
    if (v.notFoundPage) dev.notFoundPage = v.notFoundPage as string;
    if (v.cache !== null && v.cache !== undefined) dev.cache = v.cache;
    else if (preset) dev.cache = "no-cache";
    if (v.immutable?.length) dev.immutable = v.immutable as string[];
    if (v.isolate) dev.isolate = v.isolate;
    if (v.compress) dev.compress = true;
    if (v.precompressed) dev.precompressed = true;
    const out: DevCliConfig = {};
    if (Object.keys(dev).length) out.dev = dev;
    if (preset) out.devPreset = true;
    return out;
  },
};

/**
 * The arguments with the spellings argparse would read otherwise: `-c-1`
 * (http-server's "no caching"), and `--spa` / `--isolate` followed by a
 * word that cannot be their value (`--spa 8080` leaves the port alone).
 */
export function normalizeDevArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    if (arg === "-c-1") out.push("--cache=no-store");
    else if (arg === "--spa" && (next === undefined || /^-|^\d+$/.test(next))) {
      out.push("--spa=index.html");
    } else if (
      arg === "--isolate" &&
      !(next !== undefined && ISOLATE_MODES.includes(next))
    ) out.push("--isolate=require-corp");
    else out.push(arg);
  }
  return out;
}

/**
 * The start-up problem with the development options for the served folder
 * `root`, or null: the SPA or 404 file must exist.
 */
export function devFileProblem(
  dev: DevOptions | null,
  root: string,
): string | null {
  for (
    const [flag, file] of [["--spa", dev?.spa], ["--404", dev?.notFoundPage]]
  ) {
    if (typeof file !== "string") continue;
    const path = `${root}/${file.replace(/^[/\\]+/, "")}`;
    let ok = false;
    try {
      ok = Deno.statSync(path).isFile;
    } catch { /* missing */ }
    if (!ok) return `${flag}: no file ${pyRepr(file)} in the served directory`;
  }
  return null;
}

/** What the banner adds: the options on, and the isolation warning. */
export function devBannerLines(
  dev: DevOptions | null,
  host: string,
  tls: boolean,
  portNote: string | null,
): { stdout: string[]; stderr: string[] } {
  if (!dev) return { stdout: [], stderr: [] };
  const on: string[] = [];
  if (dev.liveReload) on.push("live reload");
  if (dev.spa) on.push(`SPA fallback to ${dev.spa}`);
  if (dev.notFoundPage) on.push(`404 page ${dev.notFoundPage}`);
  if (dev.cache !== undefined) on.push(`Cache-Control ${dev.cache}`);
  if (dev.immutable) on.push(`immutable ${dev.immutable.join(", ")}`);
  if (dev.isolate) on.push(`cross-origin isolation (${dev.isolate})`);
  if (dev.compress) on.push("compression");
  if (dev.precompressed) on.push("precompressed files");
  const stdout = [`Development: ${on.join(", ")}`];
  if (portNote) stdout.push(portNote);
  const stderr: string[] = [];
  if (dev.isolate && !tls && !isLoopback(host)) {
    stderr.push(
      "warning: --isolate needs a secure context: pages are cross-origin " +
        "isolated at http://localhost or over HTTPS, not at a LAN address " +
        "over plain HTTP",
    );
  }
  if (dev.isolate === "credentialless") {
    stderr.push("warning: --isolate credentialless does not work in Safari");
  }
  return { stdout, stderr };
}

/**
 * `--dev` without a port: when the port is busy on the addresses the server
 * will try (`hosts`, see `bindCandidates()`), moves `config.port` to the
 * next free one (see {@linkcode freeDevPort}) and returns the note that says
 * so; null otherwise.
 */
export function devPort(
  config: DevCliConfig & { port: number },
  hosts: readonly string[],
): string | null {
  if (!config.devPreset || config.portGiven) return null;
  const port = freeDevPort(hosts, config.port);
  if (port === config.port) return null;
  const note = `Port ${config.port} is busy: using port ${port} instead`;
  config.port = port;
  return note;
}

/**
 * The port `--dev` listens on: `port` when it is free, else the next free
 * one of the nine after it; `port` itself when none is free (the bind then
 * reports the error). A port is tried as the server binds: on the first of
 * `hosts` that can be listened on at all (`::` where IPv6 is on, else
 * `0.0.0.0`).
 */
export function freeDevPort(hosts: readonly string[], port: number): number {
  for (let p = port; p < Math.min(port + 10, 65536); p++) {
    const free = portFree(hosts, p);
    if (free === null) return port;
    if (free) return p;
  }
  return port;
}

/** Whether `port` is free on the first usable host; null when none is. */
function portFree(hosts: readonly string[], port: number): boolean | null {
  for (const hostname of hosts) {
    try {
      Deno.listen({ hostname, port }).close();
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) return false;
    }
  }
  return null;
}
