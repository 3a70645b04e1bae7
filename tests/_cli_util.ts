// Copyright 2026 the httpserver authors. MIT license.
/** Test helpers for the CLI: a spawned `deno run cli.ts` with bounded waits. */
import { withTimeout } from "./_util.ts";
import { main } from "../cli.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

/** What a finished CLI process printed. */
export interface CliResult {
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

/**
 * `deno run <permissions> cli.ts <args>` with stdin null (so Deno never
 * prompts) and both outputs collected; with `task`, `deno task <task> <args>`
 * instead (permissions unused); `script` and `subcommand` run another module
 * (`deno serve <flags> entry.ts`). Dispose it to kill it.
 */
export class CliProcess implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  stdout = "";
  stderr = "";
  #changed: (() => void) | null = null;
  #pumps: Promise<void>;
  #status: Promise<Deno.CommandStatus>;
  #exited = false;

  constructor(
    permissions: string[],
    args: string[],
    options: {
      cwd?: string;
      env?: Record<string, string>;
      task?: string;
      /** The module to run instead of cli.ts. */
      script?: string;
      /** The deno subcommand (default `run`). */
      subcommand?: "run" | "serve";
      /** Runs deno through another program (a sandbox), as it says. */
      wrap?: (cmd: string, args: string[]) => { cmd: string; args: string[] };
    } = {},
  ) {
    const script = options.script ?? CLI;
    const denoArgs = options.task
      ? ["task", "--quiet", "--config", CONFIG, options.task, ...args]
      : [
        options.subcommand ?? "run",
        "--quiet",
        "--config",
        CONFIG,
        ...permissions,
        script,
        ...args,
      ];
    const run = options.wrap?.(Deno.execPath(), denoArgs) ??
      { cmd: Deno.execPath(), args: denoArgs };
    this.child = new Deno.Command(run.cmd, {
      args: run.args,
      cwd: options.cwd,
      env: { NO_COLOR: "1", ...options.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#status = this.child.status.then((s) => {
      this.#exited = true;
      this.#notify();
      return s;
    });
    this.#pumps = Promise.all([
      this.#pump(this.child.stdout, (t) => this.stdout += t),
      this.#pump(this.child.stderr, (t) => this.stderr += t),
    ]).then(() => {});
  }

  async #pump(
    stream: ReadableStream<Uint8Array>,
    add: (text: string) => void,
  ): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      add(decoder.decode(chunk, { stream: true }));
      this.#notify();
    }
    add(decoder.decode());
  }

  #notify(): void {
    const wake = this.#changed;
    this.#changed = null;
    wake?.();
  }

  /** Resolves with stdout line `index` (0-based) once it is complete. */
  line(index = 0, reason = `stdout line ${index + 1}`): Promise<string> {
    return withTimeout(
      (async () => {
        while (true) {
          const lines = this.stdout.split("\n");
          if (lines.length > index + 1) return lines[index]!;
          if (this.#exited) {
            throw new Error(
              `The CLI exited before ${reason}; stdout: ${
                JSON.stringify(this.stdout)
              }, stderr: ${JSON.stringify(this.stderr)}`,
            );
          }
          await new Promise<void>((r) => this.#changed = r);
        }
      })(),
      reason,
    );
  }

  /** Resolves once stderr contains `text`. */
  stderrIncludes(text: string): Promise<void> {
    return withTimeout(
      (async () => {
        while (!this.stderr.includes(text)) {
          if (this.#exited) {
            throw new Error(`The CLI exited; stderr: ${this.stderr}`);
          }
          await new Promise<void>((r) => this.#changed = r);
        }
      })(),
      `stderr to contain ${JSON.stringify(text)}`,
    );
  }

  /** The port of the `Serving ... port N` banner. */
  async port(): Promise<number> {
    const match = (await this.line(0, "the banner")).match(/ port (\d+) /);
    if (!match) throw new Error(`No port in the banner: ${this.stdout}`);
    return Number(match[1]);
  }

  /** Waits for the process to end (after `signal`, when given). */
  async exit(signal?: Deno.Signal): Promise<CliResult> {
    if (signal) this.child.kill(signal);
    const status = await withTimeout(this.#status, "the CLI to exit");
    await withTimeout(this.#pumps, "the CLI's output to end");
    return {
      code: status.code,
      signal: status.signal,
      stdout: this.stdout,
      stderr: this.stderr,
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#exited) {
      try {
        this.child.kill("SIGKILL");
      } catch { /* already gone */ }
    }
    await withTimeout(this.#status, "the killed CLI to exit");
    await withTimeout(this.#pumps, "the killed CLI's output to end");
  }
}

/** Runs the CLI to completion (for commands that must not start serving). */
export async function runCli(
  permissions: string[],
  args: string[],
  options: { cwd?: string } = {},
): Promise<CliResult> {
  await using cli = new CliProcess(permissions, args, options);
  return await cli.exit();
}

/** Whether this machine can listen on `::1`. */
export function hasIPv6(): boolean {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}

/** Whether openssl can be run. */
export function hasOpenssl(): boolean {
  try {
    return new Deno.Command("openssl", {
      args: ["version"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** Runs openssl with `args` in `cwd`, throwing on failure. */
export async function openssl(cwd: string, ...args: string[]): Promise<void> {
  const out = await withTimeout(
    new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "piped" })
      .output(),
    `openssl ${args[0]}`,
  );
  if (!out.success) {
    throw new Error(
      `openssl ${args.join(" ")} failed: ${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
}

/**
 * A self-signed certificate for localhost, 127.0.0.1 and ::1 in `dir`:
 * `cert.pem`, `key.pem`, and `key_encrypted.pem` protected by `password`.
 */
export async function makeCertificate(
  dir: string,
  password: string,
): Promise<void> {
  await openssl(
    dir,
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    "key.pem",
    "-out",
    "cert.pem",
    "-days",
    "2",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
    // rustls refuses a CA certificate used as the server's own.
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-addext",
    "extendedKeyUsage=serverAuth",
  );
  await openssl(
    dir,
    "pkey",
    "-in",
    "key.pem",
    "-aes256",
    "-passout",
    `pass:${password}`,
    "-out",
    "key_encrypted.pem",
  );
}

/** Runs `main(args)` in-process at 80 columns, capturing stdout and stderr. */
export async function runMain(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => stdout += t,
    stderr: (t) => stderr += t,
    columns: 80,
    revokePermissions: false,
  });
  return { code, stdout, stderr };
}
