// Copyright 2026 the httpserver authors. MIT license.
/**
 * `--workers N`: the main thread starts N worker threads that each serve
 * the port (`reusePort`) with the share the command line asks for, prints
 * the one banner, writes their log lines, and stops them on Ctrl-C; a worker
 * that dies is logged and started again.
 * @module
 */
import { fileURLToPath } from "node:url";
import { WorkerPool, WorkerStartError } from "../_engine/workers.ts";
import { REUSE_PORT_HINT, reusePortAvailable } from "../_engine/reuse_port.ts";
import { shareUrls } from "../_share/urls.ts";
import type { StartOptions } from "../_share/run.ts";
import type { StopReason } from "../_share/autostop.ts";
import { writeStderr } from "../_log.ts";
import { readRequirement, type Requirement } from "./permissions.ts";
import { StartupError } from "./serve.ts";
import type { RunningShare } from "./run_share.ts";
import type { CliConfig } from "./args.ts";
import { secretPath } from "../_share/secret.ts";

/** What crosses to each worker: plain, structured-cloneable data. */
export interface WorkerData {
  /** The command line's config. */
  config: CliConfig;
  /** The TLS key's password, read once by the main thread. */
  password: string | null;
  /** The secret path prefix, chosen once for all workers. */
  secret: string | null;
}

/** The module each worker runs; a test may point it elsewhere. */
export const workerEntry: { url: URL } = {
  url: new URL("./worker.ts", import.meta.url),
};

/**
 * What `--workers` needs beyond the server's own permissions: reading the
 * package's code when it is loaded from files (workers load it again).
 */
export function workerRequirements(): Requirement[] {
  const url = workerEntry.url;
  if (url.protocol !== "file:") return [];
  const home = fileURLToPath(new URL(".", url)).replace(/\/[^/]*\/$/, "");
  return [
    readRequirement(home, `to load the worker threads' code from ${home}`),
  ];
}

/**
 * Starts `config.workers` workers serving `config`; resolves once all
 * listen. They stop when `options.signal` aborts. Throws a
 * {@linkcode StartupError} without `--unstable-net`, with an automatic stop
 * (each worker would count only its own requests), or when a worker cannot
 * start (the address is taken...).
 */
export async function startWorkers(
  config: CliConfig,
  options: StartOptions,
): Promise<RunningShare> {
  if (config.once || config.idleTimeout !== null || config.stopAfter !== null) {
    throw new StartupError(
      "--workers cannot be used with --once, --idle-timeout or --stop-after " +
        "(each worker sees only its own requests)",
      2,
    );
  }
  if (!reusePortAvailable()) {
    throw new StartupError(
      `--workers needs the port shared between threads: ${REUSE_PORT_HINT}`,
    );
  }
  const data: WorkerData = {
    config,
    password: options.tlsPassword,
    secret: options.secret,
  };
  const pool = new WorkerPool({
    count: config.workers ?? 1,
    workerUrl: workerEntry.url,
    data,
    port: config.port,
    log: writeStderr,
  });
  let addr: Deno.NetAddr;
  try {
    addr = await pool.start();
  } catch (error) {
    if (error instanceof WorkerStartError) {
      throw new StartupError(error.message);
    }
    throw error;
  }
  const urls = shareUrls({
    scheme: config.tlsCert ? "https" : "http",
    host: addr.hostname,
    port: addr.port,
    path: secretPath(options.secret),
    qrHost: config.qrHost,
  });
  const finished = new Promise<StopReason>((resolve) => {
    const stop = () =>
      pool.stop(false).then(() =>
        resolve({
          kind: "signal",
          message: "Stopping: the signal was aborted.",
        })
      );
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener("abort", stop, { once: true });
  });
  return {
    hostname: addr.hostname,
    port: addr.port,
    secret: options.secret,
    networkUrl: urls.best,
    localUrl: urls.all.at(-1)!,
    finished,
  };
}
