// Copyright 2026 the httpserver authors. MIT license.
/**
 * Starting and stopping a share, for `shareDirectory()` and the CLI: the
 * permissions a config needs, the handler class (the CLI's, plus the share
 * features switched on), binding, and the running share (its URLs, events,
 * automatic stop, and the drain: 503 for new requests while transfers in
 * flight finish).
 * @module
 */
import type { HTTPServer } from "../server.ts";
import type { Share } from "../share_types.ts";
import type { CliConfig } from "../_cli/args.ts";
import { cliHandlerClass } from "../_cli/handler.ts";
import { bindCandidates, bindServer, servedRoot } from "../_cli/serve.ts";
import { isGranted } from "../_permissions.ts";
import {
  netHost,
  netRequirement,
  readRequirement,
  type Requirement,
  runRequirement,
  writeRequirement,
} from "../_cli/permissions.ts";
import type { SimpleHTTPRequestHandler } from "../handlers/simple.ts";
import type { DevOptions } from "../handlers/dev_types.ts";
import {
  type InFlight,
  type RequestInfo,
  type ShareFeatures,
  type ShareSignals,
  withShareFeatures,
} from "./handler.ts";
import { AutoStop, type StopReason } from "./autostop.ts";
import { shareUrls } from "./urls.ts";
import { makeQr, type QrCode } from "./qr.ts";
import { secretPath } from "./secret.ts";

/** What a share needs besides the plain config. */
export interface StartOptions {
  /** The secret first path segment, or null. */
  secret: string | null;
  /** The TLS key's password, or null. */
  tlsPassword: string | null;
  /** How long a timed or `once` stop waits for transfers in flight (ms). */
  gracePeriod?: number;
  /** Stops the share when aborted (reason `signal`). */
  signal?: AbortSignal;
  /** Let other workers bind the same port (`--workers`; needs `--unstable-net`). */
  reusePort?: boolean;
  /**
   * Track requests for the share's events even without an automatic stop
   * (the scripting API); the CLI tracks only what its flags need, so that
   * without them its handler is exactly the plain one.
   * @default {true}
   */
  events?: boolean;
}

/**
 * The permissions `config` needs: listening, reading the folder and the
 * TLS files, running CGI scripts, writing the folder for uploads and
 * deletes, reading the htpasswd file. Checked before anything is touched, so
 * Deno never prompts.
 */
export function shareRequirements(config: CliConfig): Requirement[] {
  const candidates = bindCandidates(config.bind);
  const host = config.bind ??
    candidates.find((h) =>
      isGranted({ name: "net", host: netHost(h, config.port) })
    ) ?? null;
  const needs: Requirement[] = [
    netRequirement(host, config.port, candidates),
    ...fileRequirements(config),
  ];
  if (config.qr && config.qrHost === null && config.bind === null) {
    needs.push({
      descriptor: { name: "sys", kind: "networkInterfaces" },
      flag: "--allow-sys",
      value: "networkInterfaces",
      reason: "to find the address for the QR code (or give --qr-host)",
    });
  }
  return needs;
}

/**
 * The permissions the served folder and the files of `config` need
 * (read, write, run), whatever listens: the CLI and the `deno serve` entry.
 */
export function fileRequirements(config: CliConfig): Requirement[] {
  const needs: Requirement[] = [
    readRequirement(config.directory, `to serve ${config.directory}`),
  ];
  for (const file of [config.tlsCert, config.tlsKey, config.tlsPasswordFile]) {
    if (file) needs.push(readRequirement(file, `to read ${file}`));
  }
  if (config.cgi) needs.push(runRequirement());
  if (config.upload || config.delete) {
    needs.push(writeRequirement(config.directory));
  }
  if (config.authFile) {
    needs.push(readRequirement(config.authFile, `to read ${config.authFile}`));
  }
  return needs;
}

/** The folder's handler class, without the share features. */
function baseHandler(
  config: CliConfig,
  root: string,
): typeof SimpleHTTPRequestHandler {
  return cliHandlerClass(
    config,
    root,
  ) as unknown as typeof SimpleHTTPRequestHandler;
}

/**
 * The development options of a share: under a secret prefix they serve
 * their reserved paths, and find their files, below it (`basePath`).
 */
export function shareDevOptions(
  config: CliConfig,
  secret: string | null,
): DevOptions | null {
  if (!config.dev) return null;
  return secret ? { ...config.dev, basePath: secretPath(secret) } : config.dev;
}

const GRACE = 60_000;
const CLOSE_WAIT = 2000;

class RunningShare extends EventTarget implements Share {
  readonly server: HTTPServer;
  readonly hostname: string;
  readonly port: number;
  readonly url: string;
  readonly networkUrl: string | null;
  readonly localUrl: string;
  readonly urls: readonly string[];
  readonly secret: string | null;
  readonly finished: Promise<StopReason>;
  #resolve!: (reason: StopReason) => void;
  #serving: Promise<void>;
  /** Requests started and not finished (streams among them). */
  #requests = new Set<InFlight>();
  #drained: (() => void) | null = null;
  #draining = false;
  #stopping: Promise<StopReason> | null = null;
  #auto: AutoStop | null = null;
  #grace: number;
  #signal: AbortSignal | undefined;
  #onAbort = () =>
    this.#stop(
      { kind: "signal", message: "Stopping: the signal was aborted." },
      false,
    );

  constructor(
    server: HTTPServer,
    secret: string | null,
    urls: { all: string[]; best: string | null },
    options:
      & StartOptions
      & Pick<CliConfig, "idleTimeout" | "stopAfter" | "once">,
  ) {
    super();
    this.server = server;
    const addr = server.address as Deno.NetAddr;
    this.hostname = addr.hostname;
    this.port = addr.port;
    this.secret = secret;
    this.urls = urls.all;
    this.networkUrl = urls.best;
    this.localUrl = urls.all.at(-1)!;
    this.url = urls.best ?? this.localUrl;
    this.#grace = options.gracePeriod ?? GRACE;
    this.finished = new Promise((resolve) => this.#resolve = resolve);
    if (options.idleTimeout || options.stopAfter || options.once) {
      this.#auto = new AutoStop({
        idleTimeout: options.idleTimeout,
        stopAfter: options.stopAfter,
        once: options.once,
      }, (reason) => {
        if (reason.kind === "idle") this.#emit("idle", reason);
        this.#stop(reason, reason.kind !== "idle");
      }, () => this.#busy());
    }
    this.#serving = server.serveForever();
    this.#serving.catch(() => {});
    this.#signal = options.signal;
    this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (this.#signal?.aborted) this.#onAbort();
  }

  /** The callbacks the handler class calls. */
  static signals(share: () => RunningShare | null): ShareSignals {
    // The share exists before the first connection is accepted.
    return {
      requestStarted: (request) => share()!.#started(request),
      requestFinished: (info, request) => share()!.#finished(info, request),
      downloadComplete: (path, kind) => {
        const s = share()!;
        s.#emit("download", { path, kind });
        s.#auto?.downloadComplete(path);
      },
      uploadComplete: (info) => {
        const s = share()!;
        s.#emit("upload", info);
        s.#auto?.uploadComplete(info.url);
      },
      authFailure: (info) => share()!.#emit("authfailure", info),
      draining: () => share()!.#draining,
    };
  }

  #started(request: InFlight): void {
    this.#requests.add(request);
    this.#auto?.requestStarted();
  }

  #finished(info: RequestInfo, request: InFlight): void {
    this.#requests.delete(request);
    this.#auto?.requestFinished();
    this.#emit("request", info);
    if (this.#drained && !this.#busy()) this.#drained();
  }

  /**
   * Whether a request is in flight: a live-reload stream is not, so an
   * open page neither keeps the share from idling nor delays its stop.
   */
  #busy(): boolean {
    for (const request of this.#requests) if (request.inFlight) return true;
    return false;
  }

  #listeners = new Map<string, number>();

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener, options);
    if (listener) {
      this.#listeners.set(type, (this.#listeners.get(type) ?? 0) + 1);
    }
  }

  /** Dispatches a `CustomEvent`, made only when someone ever listened. */
  #emit(type: string, detail: unknown): void {
    if (!this.#listeners.has(type)) return;
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  qr(url: string = this.url): QrCode {
    return makeQr(url);
  }

  stop(): Promise<StopReason> {
    return this.#stop(
      { kind: "stop", message: "Stopping: stop() was called." },
      false,
    );
  }

  /**
   * Stops once: with `drain`, new requests get 503 while those in flight
   * finish (at most the grace period); then every connection is closed.
   */
  #stop(reason: StopReason, drain: boolean): Promise<StopReason> {
    this.#stopping ??= (async () => {
      this.#auto?.dispose();
      this.#signal?.removeEventListener("abort", this.#onAbort);
      if (drain && this.#busy()) {
        this.#draining = true;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          this.#drained = resolve;
          timer = setTimeout(resolve, this.#grace);
        });
        clearTimeout(timer);
      }
      this.server.serverClose();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.#serving.catch(() => {}),
        new Promise((r) => timer = setTimeout(r, CLOSE_WAIT)),
      ]);
      clearTimeout(timer);
      this.#resolve(reason);
      this.#emit("stop", reason);
      return reason;
    })();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * Serves `config` and returns the running share (listening, serving).
 * Throws the CLI's `StartupError` (one line, exit code) when the folder
 * cannot be served or the address cannot be bound; permissions are the
 * caller's to check first ({@linkcode shareRequirements}).
 */
export function startShare(
  config: CliConfig,
  options: StartOptions,
): Share {
  const root = servedRoot(config.directory);
  const secret = options.secret;
  const dev = shareDevOptions(config, secret);
  const features: ShareFeatures = {
    archive: config.archive,
    listing: config.listing,
    secret,
    dev,
    qrOrigin: null,
  };
  let running: RunningShare | null = null;
  const Handler = withShareFeatures(
    baseHandler(dev ? { ...config, dev } : config, root),
    features,
    config.idleTimeout !== null || config.stopAfter !== null ||
      config.once || (options.events ?? true)
      ? RunningShare.signals(() => running)
      : {},
  );
  const server = bindServer(
    config,
    Handler,
    options.tlsPassword,
    options.reusePort,
  );
  const addr = server.address as Deno.NetAddr;
  const urls = shareUrls({
    scheme: config.tlsCert ? "https" : "http",
    host: addr.hostname,
    port: addr.port,
    path: secretPath(secret),
    qrHost: config.qrHost,
  });
  if (urls.best && config.listing === "rich" && config.qr) {
    features.qrOrigin = new URL(urls.best).origin;
  }
  running = new RunningShare(server, secret, urls, { ...options, ...config });
  return running;
}
