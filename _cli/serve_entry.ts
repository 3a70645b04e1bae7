// Copyright 2026 the httpserver authors. MIT license.
/**
 * The `deno serve` entry's work: the CLI's flags (from the arguments, else
 * from `HTTPSERVER_ARGS`) turned into a fetch handler for the folder
 * (archives and listings included), and the banner once `deno serve`
 * listens. The address, TLS and the number of threads belong to `deno
 * serve` (`--host`, `--port`, `--parallel`); what one process decides for
 * all its threads (a random path, a QR code, an automatic stop) is the CLI's.
 * @module
 */
import { parseCommandLine } from "./args.ts";
import { missingPermissionsMessage } from "./permissions.ts";
import { StartupError } from "./serve.ts";
import { type PreparedServe, prepareServe } from "./prepare.ts";
import { fileRequirements } from "../_share/run.ts";
import { cliHandlerClass } from "./handler.ts";
import { bannerText } from "./banner.ts";
import { isGranted } from "../_permissions.ts";
import { writeStderr, writeStdout } from "../_log.ts";
import { toFetchHandler } from "../fetch_handler.ts";
import { withShareFeatures } from "../_share/handler.ts";
import type { SimpleHTTPRequestHandler } from "../handlers/simple.ts";

/** The environment variable read when no arguments are given. */
export const ARGS_VARIABLE = "HTTPSERVER_ARGS";

/** What the entry module exports: `deno serve`'s `{ fetch, onListen }`. */
export type ServeEntry = Required<Deno.ServeDefaultExport>;

/** How the entry ends early: text to print and an exit code. */
export class EntryExit extends Error {
  /** The exit code. */
  readonly code: number;
  /** What goes to stdout (help) rather than stderr. */
  readonly stdout: string;
  constructor(code: number, stderr: string, stdout = "") {
    super(stderr);
    this.name = "EntryExit";
    this.code = code;
    this.stdout = stdout;
  }
}

/**
 * The arguments: the script's own, else `HTTPSERVER_ARGS` split at
 * whitespace when the env permission for it is granted (never prompts).
 */
export function entryArgs(args: readonly string[]): string[] {
  if (args.length) return [...args];
  if (!isGranted({ name: "env", variable: ARGS_VARIABLE })) return [];
  return (Deno.env.get(ARGS_VARIABLE) ?? "").split(/\s+/).filter((a) => a);
}

/**
 * Builds the entry for `args` (the CLI's flags). Throws {@linkcode EntryExit}
 * for `--help`, a usage error or a missing permission.
 */
export function createServeEntry(args: readonly string[]): ServeEntry {
  const prog = "serve";
  const parsed = parseCommandLine(args, { prog });
  if (parsed.kind === "exit") {
    throw new EntryExit(parsed.code, parsed.stderr, parsed.stdout);
  }
  const { config, parser } = parsed;
  const usage = (message: string) =>
    new EntryExit(2, `${parser.formatUsage()}${prog}: error: ${message}\n`);
  // What deno serve decides itself.
  const owned: [boolean, string, string][] = [
    [config.port !== 8000, "a port", "its --port"],
    [config.bind !== null, "-b", "its --host"],
    [config.tlsCert !== null, "TLS", "a TLS proxy, or Deno Deploy"],
    [config.workers !== null, "--workers", "its --parallel"],
    // Each thread would pick its own secret, count its own requests.
    [config.randomPath, "--random-path", "the CLI"],
    [config.qr || config.open, "--qr or --open", "the CLI"],
    [
      config.idleTimeout !== null || config.stopAfter !== null || config.once,
      "automatic stop",
      "the CLI",
    ],
  ];
  for (const [given, what, instead] of owned) {
    if (given) throw usage(`deno serve takes no ${what}: use ${instead}`);
  }
  const missing = missingPermissionsMessage(fileRequirements(config));
  if (missing) throw new EntryExit(1, `${prog}: error: ${missing}\n`);
  let prepared: PreparedServe;
  try {
    prepared = prepareServe(config);
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    throw new EntryExit(error.code, `${prog}: error: ${error.message}\n`);
  }
  const { root, served } = prepared;
  const Base = cliHandlerClass(served, root) as typeof SimpleHTTPRequestHandler;
  const handler = toFetchHandler(withShareFeatures(Base, {
    archive: config.archive,
    listing: config.listing,
    secret: null,
    dev: config.dev ?? null,
    qrOrigin: null,
  }));
  return {
    fetch: handler,
    onListen(addr: Deno.Addr): void {
      handler.onListen(addr);
      if (addr.transport !== "tcp") return;
      // deno serve --parallel calls this in its first thread only.
      writeStdout(bannerText(false, addr.hostname, addr.port));
    },
  };
}

/** The entry for this process's arguments; prints and exits on errors. */
export function serveEntryForProcess(): ServeEntry {
  try {
    return createServeEntry(entryArgs(Deno.args));
  } catch (error) {
    if (!(error instanceof EntryExit)) throw error;
    if (error.stdout) writeStdout(error.stdout);
    if (error.message) writeStderr(error.message);
    Deno.exit(error.code);
  }
}
