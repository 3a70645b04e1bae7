// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's start-up checks and serving loop: the served folder, the TLS
 * password file, secrets inside the served folder, binding (dual-stack on
 * `::` by default) and Ctrl-C.
 * @module
 */
import { isAbsolute, relative } from "node:path";
import type { HTTPServer, RequestHandlerClass } from "../server.ts";
import { loadCertChain } from "../https_server.ts";
import { ThreadingHTTPSServer } from "../threading_https_server.ts";
import { ThreadingHTTPServer } from "../threading_http_server.ts";
import { DenoServeHTTPServer } from "../deno_serve_server.ts";
import { isGranted } from "../_permissions.ts";
import { netHost } from "./permissions.ts";
import { pyRepr } from "../_text.ts";
import type { CliConfig } from "./args.ts";
import { collectAccounts } from "./group_auth.ts";

/** A start-up failure: the one line to print and the exit code. */
export class StartupError extends Error {
  /** 1 for runtime failures, 2 for usage errors. */
  readonly code: number;
  constructor(message: string, code = 1) {
    super(message);
    this.name = "StartupError";
    this.code = code;
  }
}

/** The addresses to try for `bind` (all interfaces: `::` then `0.0.0.0`). */
export function bindCandidates(bind: string | null): string[] {
  if (bind !== null) return [bind];
  // Windows sockets default to IPV6_V6ONLY, so `::` would drop IPv4 there;
  // elsewhere `::` accepts both (net.ipv6.bindv6only=0, Linux's default).
  return Deno.build.os === "windows" ? ["0.0.0.0"] : ["::", "0.0.0.0"];
}

/** The real path of the served folder, or a clear error. */
export function servedRoot(directory: string): string {
  let root: string;
  try {
    root = Deno.realPathSync(directory);
  } catch (error) {
    throw new StartupError(
      `cannot serve ${pyRepr(directory)}: ${
        error instanceof Deno.errors.NotFound
          ? "no such directory"
          : (error as Error).message
      }`,
    );
  }
  if (!Deno.statSync(root).isDirectory) {
    throw new StartupError(
      `cannot serve ${pyRepr(directory)}: not a directory`,
    );
  }
  return root;
}

/** Python's `OSError` text: `[Errno 2] No such file or directory: 'x'`. */
export function osErrorText(error: unknown, path: string): string {
  const errno = error instanceof Deno.errors.NotFound
    ? [2, "No such file or directory"]
    : error instanceof Deno.errors.PermissionDenied
    ? [13, "Permission denied"]
    : error instanceof Deno.errors.IsADirectory
    ? [21, "Is a directory"]
    : null;
  if (errno) return `[Errno ${errno[0]}] ${errno[1]}: ${pyRepr(path)}`;
  return (error as Error).message;
}

/** Reads the TLS password as Python does: UTF-8, surrounding whitespace stripped. */
export function readPasswordFile(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (error) {
    throw new StartupError(
      `Failed to read TLS password file: ${osErrorText(error, path)}`,
      2,
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).trim();
  } catch {
    throw new StartupError(
      `Failed to read TLS password file: ${pyRepr(path)} is not UTF-8 text`,
      2,
    );
  }
}

/**
 * Refuses to serve a folder that holds the TLS key (or the password file,
 * or a certificate file that holds the key, or the htpasswd file): anyone
 * could download it.
 */
export function checkSecretsOutside(config: CliConfig, root: string): void {
  const secrets: [string | null, string][] = [
    [config.tlsKey ?? config.tlsCert, "TLS key file"],
    [config.tlsPasswordFile, "TLS password file"],
    [config.authFile, "auth file"],
  ];
  for (const [path, what] of secrets) {
    if (!path) continue;
    let real: string;
    try {
      real = Deno.realPathSync(path);
    } catch {
      continue; // Loading it reports the problem.
    }
    const rel = relative(root, real);
    if (rel && !rel.startsWith("..") && !isAbsolute(rel)) {
      throw new StartupError(
        `refusing to start: the ${what} ${pyRepr(path)} is inside the ` +
          `served directory ${pyRepr(config.directory)}; move it out`,
      );
    }
  }
}

/**
 * The accounts of `--auth` and `--auth-file` (read now: UTF-8, as
 * `htpasswd` writes it), or a start-up error that names the bad line.
 */
export function loadAccounts(config: CliConfig): [string, string][] {
  if (!config.authFile) return config.auth;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      Deno.readFileSync(config.authFile),
    );
  } catch (error) {
    throw new StartupError(
      `cannot read --auth-file: ${osErrorText(error, config.authFile)}`,
    );
  }
  try {
    const pairs = config.auth.map(([user, secret]) => `${user}:${secret}`);
    return collectAccounts(pairs, { path: config.authFile, text });
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
}

/**
 * Binds the server of `config.engine`, trying `::` then `0.0.0.0` for all
 * interfaces; `reusePort` lets the other workers bind the same port.
 */
export function bindServer(
  config: CliConfig,
  Handler: RequestHandlerClass,
  password: string | null,
  reusePort = false,
): HTTPServer {
  const tls = config.tlsCert
    ? {
      certfile: config.tlsCert,
      keyfile: config.tlsKey,
      password,
    }
    : null;
  if (tls) {
    try {
      loadCertChain(tls.certfile, tls.keyfile, tls.password);
    } catch (error) {
      throw new StartupError((error as Error).message);
    }
  }
  const candidates = bindCandidates(config.bind);
  const hosts = candidates.length === 1 ? candidates : candidates.filter((
    host,
  ) => isGranted({ name: "net", host: netHost(host, config.port) }));
  let lastError: unknown;
  for (const host of hosts) {
    try {
      return openServer(config, [host, config.port], Handler, tls, reusePort);
    } catch (error) {
      lastError = error;
      // `::` fails where IPv6 is off: fall back to IPv4.
      if (
        config.bind === null && host === "::" &&
        !(error instanceof Deno.errors.AddrInUse) &&
        !(error instanceof Deno.errors.PermissionDenied)
      ) continue;
      throw new StartupError(
        `cannot listen on ${host} port ${config.port}: ${
          (error as Error).message
        }`,
      );
    }
  }
  throw new StartupError(
    `cannot listen on all interfaces port ${config.port}: ${
      (lastError as Error | undefined)?.message ?? "no address allowed"
    }`,
  );
}

/** The engine's server on `address`, bound. */
function openServer(
  config: CliConfig,
  address: [string, number],
  Handler: RequestHandlerClass,
  tls:
    | { certfile: string; keyfile: string | null; password: string | null }
    | null,
  reusePort: boolean,
): HTTPServer {
  const options = { bindAndActivate: false, ...tls };
  const server = config.engine === "serve"
    ? new DenoServeHTTPServer(address, Handler, options)
    : tls
    ? new ThreadingHTTPSServer(address, Handler, { ...options, ...tls })
    : new ThreadingHTTPServer(address, Handler, options);
  server.allowReusePort = reusePort;
  server.bindAndActivate();
  return server;
}
