// Copyright 2026 the httpserver authors. MIT license.
/**
 * The flags of `python -m http.server` (3.14 and main) plus ours, parsed
 * into a {@linkcode CliConfig}, with Python's usage, help and error text.
 * @module
 */
import {
  ArgumentParser,
  type ArgumentSpec,
  ArgumentTypeError,
  type ParseOutcome,
} from "./argparse.ts";
import { pyRepr } from "../_text.ts";
import denoJson from "../deno.json" with { type: "json" };

/** The package version, from deno.json. */
export const CLI_VERSION: string = denoJson.version;

/** Everything the command line asks for. */
export interface CliConfig {
  /** The port to listen on (0 picks a free one). */
  port: number;
  /** The address to bind, or null for all interfaces. */
  bind: string | null;
  /** The folder to serve, as given. */
  directory: string;
  /** The HTTP version the handler speaks. */
  protocol: string;
  /** Run CGI scripts from `cgi-bin` and `htbin`. */
  cgi: boolean;
  /** TLS certificate chain file; enables HTTPS. */
  tlsCert: string | null;
  /** TLS key file. */
  tlsKey: string | null;
  /** File holding the TLS key's password. */
  tlsPasswordFile: string | null;
  /** Extra response headers for 200 responses (`-H`). */
  headers: [string, string][];
  /** Content-Type for files whose type cannot be guessed. */
  contentType: string | null;
  /** Send CORS headers and answer preflight requests. */
  cors: boolean;
  /** Serve and list names starting with a dot. */
  dotfiles: boolean;
  /** Follow symbolic links that lead out of the served folder. */
  followSymlinks: boolean;
  /** Do not log requests. */
  quiet: boolean;
}

/** The default `-p` value: HTTP/1.1 (Python's is HTTP/1.0). */
export const DEFAULT_PROTOCOL = "HTTP/1.1";

const PORT_TYPE = {
  name: "int",
  parse(text: string): number {
    // Python's int(): optional sign, digits with single underscores, spaces.
    const trimmed = text.trim();
    if (!/^[+-]?\d+(_\d+)*$/.test(trimmed)) throw new TypeError("not an int");
    const port = Number(trimmed.replaceAll("_", ""));
    if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
      throw new ArgumentTypeError(
        `invalid port value: ${pyRepr(text)} (not between 0 and 65535)`,
      );
    }
    return port;
  },
};

const PROTOCOL_TYPE = {
  name: "version",
  parse(text: string): string {
    if (!/^HTTP\/\d{1,10}\.\d{1,10}$/.test(text)) {
      throw new ArgumentTypeError(
        `invalid version value: ${
          pyRepr(text)
        } (expected HTTP/<major>.<minor>)`,
      );
    }
    return text;
  },
};

const SPECS: ArgumentSpec[] = [
  {
    flags: ["--cgi"],
    dest: "cgi",
    action: "storeTrue",
    help: "run as CGI server",
  },
  {
    flags: ["-b", "--bind"],
    dest: "bind",
    metavar: "ADDRESS",
    help: "bind to this address (default: all interfaces)",
  },
  {
    flags: ["-d", "--directory"],
    dest: "directory",
    default: ".",
    help: "serve this directory (default: current directory)",
  },
  {
    flags: ["-p", "--protocol"],
    dest: "protocol",
    metavar: "VERSION",
    default: DEFAULT_PROTOCOL,
    type: PROTOCOL_TYPE,
    help: `conform to this HTTP version (default: ${DEFAULT_PROTOCOL})`,
  },
  {
    flags: ["--tls-cert"],
    dest: "tlsCert",
    metavar: "PATH",
    help: "path to the TLS certificate chain file",
  },
  {
    flags: ["--tls-key"],
    dest: "tlsKey",
    metavar: "PATH",
    help: "path to the TLS key file",
  },
  {
    flags: ["--tls-password-file"],
    dest: "tlsPasswordFile",
    metavar: "PATH",
    help: "path to the password file for the TLS key",
  },
  {
    flags: ["-H", "--header"],
    dest: "header",
    action: "append",
    metavar: "HEADER",
    help: "add a response header, given as 'Name: value', to successful " +
      "responses (can be repeated)",
  },
  {
    flags: ["--content-type"],
    dest: "contentType",
    metavar: "TYPE",
    help: "Content-Type for files of unknown type " +
      "(default: application/octet-stream)",
  },
  {
    flags: ["--cors"],
    dest: "cors",
    action: "storeTrue",
    help: "send Access-Control-Allow-Origin: * and answer CORS preflight " +
      "requests",
  },
  {
    flags: ["--no-dotfiles"],
    dest: "noDotfiles",
    action: "storeTrue",
    help: "refuse and hide files and folders whose name starts with a dot",
  },
  {
    flags: ["--follow-symlinks"],
    dest: "followSymlinks",
    action: "storeTrue",
    help: "follow symbolic links that lead out of the served directory",
  },
  {
    flags: ["-q", "--quiet"],
    dest: "quiet",
    action: "storeTrue",
    help: "do not log requests",
  },
  {
    flags: ["--version"],
    dest: "version",
    action: "version",
    help: "show program's version number and exit",
  },
  {
    dest: "port",
    default: 8000,
    type: PORT_TYPE,
    help: "bind to this port (default: 8000)",
  },
];

const EPILOG = `\
Deno permissions (nothing else is needed):
  serve DIR:      deno run --allow-net --allow-read=DIR \\
                    jsr:@x/httpserver/cli -d DIR
  HTTPS:          also read the certificate, key and password files:
                    --allow-read=DIR,CERT,KEY,PASSWORD_FILE
  CGI (--cgi):    add --allow-run
  optional:       --allow-sys=networkInterfaces,hostname (LAN addresses
                  after the first line, the host name for CGI scripts)
Given more (-A), it revokes write and ffi access, and run and env access
unless --cgi, before serving.`;

/** Builds the parser; `prog` is the name shown in usage lines. */
export function createParser(prog: string): ArgumentParser {
  return new ArgumentParser(prog, SPECS, {
    epilog: EPILOG,
    version: `@x/httpserver ${CLI_VERSION} (deno ${Deno.version.deno})`,
  });
}

/** The result of {@linkcode parseCommandLine}. */
export type CommandLine =
  | { kind: "ok"; config: CliConfig; parser: ArgumentParser }
  | Extract<ParseOutcome, { kind: "exit" }>;

/**
 * Parses `args` and applies Python's post-parse checks (TLS flag
 * dependencies, `-H` syntax). Help, version and errors come back as text to
 * print with an exit code. Reading the password file is left to the caller,
 * after its permission check.
 */
export function parseCommandLine(
  args: readonly string[],
  options: { prog?: string; width?: number } = {},
): CommandLine {
  const parser = createParser(options.prog ?? "cli.ts");
  const width = options.width ?? 78;
  const outcome = parser.parseArgs(args, width);
  if (outcome.kind === "exit") return outcome;
  const v = outcome.values;
  const config: CliConfig = {
    port: v.port as number,
    bind: (v.bind as string | null) || null,
    directory: v.directory as string,
    protocol: v.protocol as string,
    cgi: v.cgi as boolean,
    tlsCert: (v.tlsCert as string | null) || null,
    tlsKey: (v.tlsKey as string | null) || null,
    tlsPasswordFile: (v.tlsPasswordFile as string | null) || null,
    headers: [],
    contentType: v.contentType as string | null,
    cors: v.cors as boolean,
    dotfiles: !v.noDotfiles,
    followSymlinks: v.followSymlinks as boolean,
    quiet: v.quiet as boolean,
  };
  const fail = (message: string) =>
    parser.error(message, width) as Extract<ParseOutcome, { kind: "exit" }>;
  if (!config.tlsCert && config.tlsKey) {
    return fail("--tls-key requires --tls-cert to be set");
  }
  if (config.tlsPasswordFile && !config.tlsCert) {
    return fail("--tls-password-file requires --tls-cert to be set");
  }
  for (const raw of v.header as string[]) {
    const parsed = parseHeader(raw);
    if (typeof parsed === "string") return fail(parsed);
    config.headers.push(parsed);
  }
  if (
    config.contentType !== null && !/^[\x20-\x7e]+$/.test(config.contentType)
  ) {
    return fail(`invalid --content-type ${pyRepr(config.contentType)}`);
  }
  return { kind: "ok", config, parser };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Splits `Name: value` at the first colon and trims both sides (main's
 * `-H`). Returns the pair, or the error message.
 */
export function parseHeader(raw: string): [string, string] | string {
  const colon = raw.indexOf(":");
  if (colon < 0) {
    return `Header ${pyRepr(raw)} must be of the form Header: value`;
  }
  const name = raw.slice(0, colon).trim();
  const value = raw.slice(colon + 1).trim();
  if (!name) return `Header ${pyRepr(raw)} must have a non-empty name`;
  // Beyond Python: a header that cannot be sent would fail every response.
  if (!TOKEN.test(name)) {
    return `Header ${pyRepr(raw)} has an invalid name ${pyRepr(name)}`;
  }
  if (!VALUE.test(value)) {
    return `Header ${pyRepr(raw)} has a control character in its value`;
  }
  return [name, value];
}
