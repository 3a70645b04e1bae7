// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's serving loop, built on the share: start it, print the banner
 * (and the QR code, and open a browser, when asked), and wait for Ctrl-C,
 * the caller's signal, or an automatic stop.
 * @module
 */
import type { CliConfig } from "./args.ts";
import { bannerLine, lanLines, qrLines } from "./banner.ts";
import { type StartOptions, startShare } from "../_share/run.ts";
import type { Share } from "../share_types.ts";
import { randomSecret, secretPath } from "../_share/secret.ts";
import { openBrowser } from "../_share/open.ts";
import { devBannerLines, devPort } from "./group_dev.ts";
import { bindCandidates } from "./serve.ts";

/** Where the CLI writes, and what stops it besides Ctrl-C. */
export interface ServeIo {
  /** Standard output. */
  stdout: (text: string) => void;
  /** Standard error (not request logs). */
  stderr: (text: string) => void;
  /** Draw the QR code with ANSI colours. */
  ansi: boolean;
  /** Stops serving, as Ctrl-C does but without its message. */
  signal?: AbortSignal;
}

/** What the banner and the wait need of a running share. */
export type RunningShare = Pick<
  Share,
  "hostname" | "port" | "secret" | "networkUrl" | "localUrl" | "finished"
>;

/** Starts serving `config` (a share in this thread, or worker threads). */
export type StartServing = (
  config: CliConfig,
  options: StartOptions,
) => RunningShare | Promise<RunningShare>;

/**
 * Serves `config` as a share until Ctrl-C (Python's message on stdout), the
 * signal, or an automatic stop (its reason on stdout); resolves to exit
 * code 0. Prints the banner once Ctrl-C is handled, so that whoever reads
 * it may send it; then the QR code and the browser, when asked. `start`
 * serves (by default a share in this thread).
 */
export async function serveShareUntilStopped(
  config: CliConfig,
  password: string | null,
  io: ServeIo,
  start: StartServing = startShare,
): Promise<number> {
  const stop = new AbortController();
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) return;
    interrupted = true;
    io.stdout("\nKeyboard interrupt received, exiting.\n");
    stop.abort();
  };
  const onAbort = (): void => stop.abort();
  Deno.addSignalListener("SIGINT", onSigint);
  io.signal?.addEventListener("abort", onAbort, { once: true });
  if (io.signal?.aborted) onAbort();
  try {
    const portNote = devPort(config, bindCandidates(config.bind));
    const share = await start(config, {
      secret: config.randomPath ? randomSecret() : null,
      tlsPassword: password,
      signal: stop.signal,
      events: false,
    });
    const tls = config.tlsCert !== null;
    const path = secretPath(share.secret);
    const dev = devBannerLines(
      config.dev ?? null,
      share.hostname,
      tls,
      portNote,
    );
    for (const line of dev.stderr) io.stderr(line + "\n");
    const lines = [
      bannerLine(tls, share.hostname, share.port, path),
      ...lanLines(tls, share.hostname, share.port, path),
      ...dev.stdout,
    ];
    if (config.qr) {
      lines.push(...qrLines(share.networkUrl, io.ansi, share.hostname));
    }
    io.stdout(lines.join("\n") + "\n");
    if (config.open) {
      const problem = openBrowser(share.localUrl);
      if (problem) io.stderr(`Could not open a browser: ${problem}\n`);
    }
    const reason = await share.finished;
    if (reason.kind !== "signal" && reason.kind !== "stop") {
      io.stdout(reason.message + "\n");
    }
    return 0;
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    io.signal?.removeEventListener("abort", onAbort);
  }
}
