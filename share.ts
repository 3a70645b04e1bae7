// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode shareDirectory}: hand a folder to people from a script, with
 * Deno permissions. One call serves the folder and resolves to a
 * {@linkcode Share}: its URLs, a QR code, events, the reason it stopped, and
 * `stop()` / `await using`. The command-line tool is built on it.
 *
 * ```sh
 * deno run --allow-net --allow-read=. share_script.ts
 * ```
 *
 * @example Share a folder until the first complete download
 * ```ts
 * import { shareDirectory } from "@x/httpserver/share";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/report.txt`, "numbers\n");
 * const share = await shareDirectory({
 *   directory: dir,
 *   hostname: "127.0.0.1",
 *   port: 0,
 *   once: true,
 *   quiet: true,
 * });
 * const res = await fetch(share.url + "report.txt");
 * strictEqual(await res.text(), "numbers\n");
 * const reason = await share.finished;
 * strictEqual(reason.kind, "once");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
import type { CliConfig } from "./_cli/args.ts";
import { missingPermissionsMessage } from "./_cli/permissions.ts";
import { shareRequirements, startShare } from "./_share/run.ts";
import { randomSecret } from "./_share/secret.ts";
import type { Share } from "./share_types.ts";
import type { DevOptions } from "./handlers/dev_types.ts";
import { pickDevOptions } from "./handlers/_dev/config.ts";

export type {
  DownloadInfo,
  QrCode,
  RequestInfo,
  Share,
  StopReason,
} from "./share_types.ts";

/**
 * The plain-data part of {@linkcode ShareOptions}: everything that decides
 * what the server does, structured-cloneable so that another isolate can
 * rebuild the same handler from it. The development options (`liveReload`,
 * `spa`, `cache`, `compress`... see `DevOptions`) are those of
 * `SimpleHTTPRequestHandler`.
 *
 * @example Usage
 * ```ts
 * import type { ShareConfig } from "@x/httpserver/share";
 * import { strictEqual } from "node:assert/strict";
 *
 * const config: ShareConfig = { directory: ".", archive: true, listing: "rich" };
 * strictEqual(structuredClone(config).listing, "rich");
 * ```
 */
export interface ShareConfig extends Omit<DevOptions, "basePath"> {
  /** The folder to share. @default {Deno.cwd()} */
  directory?: string;
  /** The port; 0 picks a free one. @default {8000} */
  port?: number;
  /** The address to listen on. @default {all interfaces (`::`, else `0.0.0.0`)} */
  hostname?: string;
  /** `?zip`, `?tar` and `?tar=gz` on folder URLs. @default {false} */
  archive?: boolean;
  /**
   * `"python"`: Python's page; `"rich"`: the rich page. Either also gives
   * the JSON listing. Unset: Python's page only.
   */
  listing?: "python" | "rich";
  /**
   * Serve under a secret first path segment: `true` for 128 random bits,
   * or the segment to use. @default {false}
   */
  randomPath?: boolean | string;
  /** Stop after this many ms without requests. */
  idleTimeout?: number;
  /** Stop this many ms after the start (transfers in flight may finish). */
  stopAfter?: number;
  /** Stop after the first complete download or upload. @default {false} */
  once?: boolean;
  /** How long a timed or `once` stop waits for transfers in flight (ms). @default {60000} */
  gracePeriod?: number;
  /** The address for the QR code instead of the detected one. */
  qrHost?: string;
  /** Serve and list names that start with a dot. @default {true} */
  dotfiles?: boolean;
  /** Follow symlinks that lead out of the folder. @default {false} */
  followSymlinks?: boolean;
  /** Headers added to successful responses. */
  headers?: [string, string][];
  /** `Access-Control-Allow-Origin: *` and preflight answers. @default {false} */
  cors?: boolean;
  /** Content-Type for files of unknown type. */
  contentType?: string;
  /** The HTTP version the handler speaks. @default {"HTTP/1.1"} */
  protocol?: string;
  /**
   * `"listen"`: our HTTP/1.1 over `Deno.listen`; `"serve"`: `Deno.serve`
   * (HTTP/2 with TLS). @default {"listen"}
   */
  engine?: "listen" | "serve";
  /** Run CGI scripts from `cgi-bin` and `htbin` (needs `--allow-run`). */
  cgi?: boolean;
  /** TLS certificate chain file (PEM); enables HTTPS. */
  tlsCert?: string;
  /** TLS key file (PEM). */
  tlsKey?: string;
  /** The TLS key's password. */
  tlsPassword?: string;
  /** Do not log requests to stderr. @default {false} */
  quiet?: boolean;
  /**
   * Receive files: `PUT`, form `POST`, new folders, and the upload form in
   * listings (needs `--allow-write` for the folder). @default {false}
   */
  upload?: boolean;
  /** Let uploads replace existing files. @default {false} */
  overwrite?: boolean;
  /** Accept `DELETE` of files and empty folders. @default {false} */
  delete?: boolean;
  /** Most bytes of one upload (413 past it). */
  maxUploadSize?: number;
  /**
   * HTTP Basic accounts, `[user, secret]`: a plain password, a bcrypt hash
   * or an argon2id PHC string. @default {[]}
   */
  auth?: [string, string][];
  /** With `auth`: anyone may read and list. @default {false} */
  publicRead?: boolean;
}

/**
 * Options for {@linkcode shareDirectory}: the {@linkcode ShareConfig} and a
 * signal.
 *
 * @example Stop a share with an AbortSignal
 * ```ts
 * import { shareDirectory, type ShareOptions } from "@x/httpserver/share";
 * import { strictEqual } from "node:assert/strict";
 *
 * const stop = new AbortController();
 * const options: ShareOptions = { port: 0, hostname: "127.0.0.1", signal: stop.signal, quiet: true };
 * const share = await shareDirectory(options);
 * stop.abort();
 * strictEqual((await share.finished).kind, "signal");
 * ```
 */
export interface ShareOptions extends ShareConfig {
  /** Stops the share when aborted (reason `signal`). */
  signal?: AbortSignal;
}

/** The command-line config that `config` stands for. */
function cliConfigOf(config: ShareConfig): CliConfig {
  const dev = pickDevOptions(config);
  return {
    port: config.port ?? 8000,
    bind: config.hostname ?? null,
    directory: config.directory ?? ".",
    protocol: config.protocol ?? "HTTP/1.1",
    cgi: config.cgi ?? false,
    tlsCert: config.tlsCert ?? null,
    tlsKey: config.tlsKey ?? null,
    tlsPasswordFile: null,
    headers: config.headers ?? [],
    contentType: config.contentType ?? null,
    cors: config.cors ?? false,
    dotfiles: config.dotfiles ?? true,
    followSymlinks: config.followSymlinks ?? false,
    quiet: config.quiet ?? false,
    archive: config.archive ?? false,
    listing: config.listing ?? null,
    qr: false,
    qrHost: config.qrHost ?? null,
    open: false,
    randomPath: config.randomPath !== undefined && config.randomPath !== false,
    idleTimeout: config.idleTimeout ?? null,
    stopAfter: config.stopAfter ?? null,
    once: config.once ?? false,
    upload: config.upload ?? false,
    overwrite: config.overwrite ?? false,
    delete: config.delete ?? false,
    maxUploadSize: config.maxUploadSize ?? null,
    auth: config.auth ?? [],
    authFile: null,
    publicRead: config.publicRead ?? false,
    engine: config.engine ?? "listen",
    workers: null,
    ...(dev ? { dev } : {}),
  };
}

/**
 * Serves `options.directory` and resolves once it is listening. Throws a
 * `Deno.errors.NotFound` or `TypeError` for a folder that cannot be served,
 * `Deno.errors.NotCapable` naming the missing permission, or the error of
 * binding the address.
 *
 * @example Share with a secret path, an archive link and a QR code
 * ```ts
 * import { shareDirectory } from "@x/httpserver/share";
 * import { ok, strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "a");
 * {
 *   await using share = await shareDirectory({
 *     directory: dir, hostname: "127.0.0.1", port: 0,
 *     randomPath: true, archive: true, quiet: true,
 *   });
 *   ok(share.url.endsWith(`/${share.secret}/`));
 *   const zip = await fetch(share.url + "?zip");
 *   strictEqual(zip.headers.get("content-type"), "application/zip");
 *   await zip.body?.cancel();
 *   const other = await fetch(`http://127.0.0.1:${share.port}/a.txt`);
 *   strictEqual(other.status, 404);
 *   await other.body?.cancel();
 *   ok(share.qr().svg.startsWith("<svg"));
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function shareDirectory(options: ShareOptions = {}): Promise<Share> {
  try {
    return Promise.resolve(start(options));
  } catch (error) {
    return Promise.reject(error);
  }
}

function start(options: ShareOptions): Share {
  const config = cliConfigOf(options);
  const missing = missingPermissionsMessage(shareRequirements(config));
  if (missing) throw new Deno.errors.NotCapable(missing);
  const secret = options.randomPath === true
    ? randomSecret()
    : typeof options.randomPath === "string" && options.randomPath
    ? options.randomPath
    : null;
  return startShare(config, {
    secret,
    tlsPassword: options.tlsPassword ?? null,
    gracePeriod: options.gracePeriod,
    signal: options.signal,
  });
}
