// Copyright 2026 the httpserver authors. MIT license.
/**
 * `python -m http.server` for Deno: serves a folder over HTTP or HTTPS with
 * Python's flags, banner, log lines and exit codes, and with the fewest
 * Deno permissions that work.
 *
 * ```sh
 * deno run --allow-net --allow-read=. jsr:@x/httpserver/cli
 * ```
 *
 * Run it with `--help` for every flag. Given more permissions than it needs
 * (`-A`), it revokes write (unless `--upload` or `--delete`), FFI, run and
 * env access (run and env unless `--cgi`) before serving. A missing
 * permission is reported on one line that
 * names the flag to add, with exit code 1; Deno never prompts.
 *
 * @example Print the help text
 * ```ts
 * import { main } from "@x/httpserver/cli";
 * import { ok, strictEqual } from "node:assert/strict";
 *
 * let out = "";
 * const code = await main(["--help"], { stdout: (t) => out += t, columns: 80 });
 * strictEqual(code, 0);
 * ok(out.startsWith("usage: cli.ts [-h] [--cgi] [-b ADDRESS]"));
 * ```
 *
 * @module
 */
import { parseCommandLine } from "./_cli/args.ts";
import { missingPermissionsMessage, revokeUnused } from "./_cli/permissions.ts";
import { readPasswordFile, StartupError } from "./_cli/serve.ts";
import { prepareServe } from "./_cli/prepare.ts";
import { serveShareUntilStopped } from "./_cli/run_share.ts";
import { shareRequirements } from "./_share/run.ts";
import { cleartextWarning } from "./_cli/group_auth.ts";
import { sweepOnce } from "./handlers/_upload/admit.ts";
import { closeLiveHubs } from "./handlers/_dev/live_hub.ts";
import { isGranted } from "./_permissions.ts";
import { writeStderr, writeStdout } from "./_log.ts";
import { startWorkers, workerRequirements } from "./_cli/workers.ts";

/**
 * Options for {@linkcode main}, for tests and for embedding the CLI.
 *
 * @example Capture a usage error
 * ```ts
 * import { main } from "@x/httpserver/cli";
 * import { ok, strictEqual } from "node:assert/strict";
 *
 * let err = "";
 * const code = await main(["--bogus"], { stderr: (t) => err += t, prog: "serve" });
 * strictEqual(code, 2);
 * ok(err.startsWith("usage: serve "));
 * ok(err.includes("unrecognized arguments: --bogus"));
 * ```
 */
export interface MainOptions {
  /** Receives what goes to standard output (default: the process's stdout). */
  stdout?: (text: string) => void;
  /** Receives what goes to standard error, except request log lines. */
  stderr?: (text: string) => void;
  /** Stops serving, as Ctrl-C does but without its message. */
  signal?: AbortSignal;
  /**
   * Terminal width for the help text (default: `COLUMNS` when readable,
   * else the terminal's width, else 80).
   */
  columns?: number;
  /**
   * Revoke the permissions the server never uses before serving.
   * @default {true}
   */
  revokePermissions?: boolean;
  /**
   * Name shown in usage lines.
   * @default {"cli.ts"}
   */
  prog?: string;
}

function stdoutIsColorTerminal(): boolean {
  try {
    return !Deno.noColor && Deno.stdout.isTerminal();
  } catch {
    return false;
  }
}

function terminalColumns(): number {
  if (isGranted({ name: "env", variable: "COLUMNS" })) {
    const columns = Number.parseInt(Deno.env.get("COLUMNS") ?? "", 10);
    if (columns > 0) return columns;
  }
  try {
    if (Deno.stdout.isTerminal()) return Deno.consoleSize().columns;
  } catch { /* not a terminal */ }
  return 80;
}

/**
 * Runs the command line `args` (without the program name) and resolves to
 * the exit code: 0 after `--help`, `--version` or Ctrl-C, 2 for usage
 * errors, 1 when the server cannot start.
 *
 * @example Serve a folder in-process until aborted
 * ```ts
 * import { main } from "@x/httpserver/cli";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/hi.txt`, "hi\n");
 * const stop = new AbortController();
 * let out = "";
 * const running = main(["0", "-b", "127.0.0.1", "-d", dir, "-q"], {
 *   stdout: (t) => out += t,
 *   signal: stop.signal,
 *   revokePermissions: false,
 * });
 * for (let i = 0; i < 500 && !/port (\d+)/.test(out); i++) {
 *   await new Promise((r) => setTimeout(r, 10));
 * }
 * const port = out.match(/port (\d+)/)![1];
 * const res = await fetch(`http://127.0.0.1:${port}/hi.txt`);
 * strictEqual(await res.text(), "hi\n");
 * stop.abort();
 * strictEqual(await running, 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function main(
  args: string[],
  options: MainOptions = {},
): Promise<number> {
  const stdout = options.stdout ?? writeStdout;
  const stderr = options.stderr ?? writeStderr;
  const prog = options.prog ?? "cli.ts";
  const width = (options.columns ?? terminalColumns()) - 2;
  const parsed = parseCommandLine(args, { prog, width });
  if (parsed.kind === "exit") {
    if (parsed.stdout) stdout(parsed.stdout);
    if (parsed.stderr) stderr(parsed.stderr);
    return parsed.code;
  }
  const { config, parser } = parsed;
  try {
    // Every permission is checked before anything is touched: no prompt.
    const needs = shareRequirements(config);
    if (config.workers !== null) needs.push(...workerRequirements());
    const missing = missingPermissionsMessage(needs);
    if (missing) throw new StartupError(missing);

    const { root, served } = prepareServe(config);
    const password = config.tlsPasswordFile
      ? readPasswordFile(config.tlsPasswordFile)
      : null;
    const warning = cleartextWarning(
      served.auth.length > 0,
      config.tlsCert !== null,
      config.bind,
    );
    if (warning) stderr(warning + "\n");
    if (config.upload) {
      // In the background: a large tree must not delay the start.
      sweepOnce(root).then((swept) => {
        if (swept.length && !config.quiet) {
          stderr(`Removed ${swept.length} stale upload temporaries\n`);
        }
      }).catch(() => {});
    }
    if (options.revokePermissions ?? true) {
      const revoked = revokeUnused(
        config.cgi,
        config.open,
        config.upload || config.delete,
      );
      if (revoked.length && !config.quiet) {
        stderr(`Revoked unneeded permissions: ${revoked.join(", ")}\n`);
      }
    }
    try {
      return await serveShareUntilStopped(served, password, {
        stdout,
        stderr,
        ansi: options.stdout === undefined && stdoutIsColorTerminal(),
        signal: options.signal,
      }, config.workers === null ? undefined : startWorkers);
    } finally {
      await closeLiveHubs();
    }
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    if (error.code === 2) stderr(parser.formatUsage());
    stderr(`${prog}: error: ${error.message}\n`);
    return error.code;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
