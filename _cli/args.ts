// Copyright 2026 the httpserver authors. MIT license.
/**
 * The flags of `python -m http.server` (3.14 and main) plus ours, parsed by
 * npm `argparse` into a {@linkcode CliConfig}, with Python's usage, help and
 * error text.
 *
 * The options come in groups, one module each (`group_server.ts`,
 * `group_tls.ts`, `group_responses.ts`), and a new feature adds its own:
 *
 * 1. In `_cli/group_<feature>.ts`, export the config fields it adds
 *    (`interface UploadConfig`) and an `OptionGroup<UploadConfig>`. Its
 *    `add(parser)` calls `parser.add_argument_group({ title: "uploads" })`
 *    and adds long options only to that group, so that they get a section
 *    of their own in `--help` (the groups here add to the parser itself:
 *    Python's help has one `options:` section). Its `read(values)` returns
 *    the fields, and throws `UsageError` for a value the CLI cannot use
 *    (`prog: error: <message>`, exit 2).
 * 2. Here, extend {@linkcode CliConfig} with the interface, call the group's
 *    `add` in {@linkcode createParser} after `--version` (sections appear in
 *    that order), and spread its `read` into the config in
 *    {@linkcode parseCommandLine}.
 *
 * Give each argument a camelCase `dest` (the key `read` finds its value
 * under). Help text is a `%`-format for argparse: write `%%` for a percent
 * sign. Group descriptions are printed as written
 * (`RawDescriptionHelpFormatter`); help texts are wrapped.
 * @module
 */
import type { Namespace } from "argparse";
import { CliParser, type ParserExit } from "./parser.ts";
import { type ServerConfig, serverGroup } from "./group_server.ts";
import { type TlsConfig, tlsGroup } from "./group_tls.ts";
import { type ResponsesConfig, responsesGroup } from "./group_responses.ts";
import { type ShareCliConfig, shareGroup } from "./group_share.ts";
import { type AutoStopConfig, autoStopGroup } from "./group_autostop.ts";
import { type UploadConfig, uploadGroup } from "./group_upload.ts";
import { type AuthConfig, authGroup } from "./group_auth.ts";
import { type EngineConfig, engineGroup } from "./group_engine.ts";
import { type DevCliConfig, devGroup, normalizeDevArgs } from "./group_dev.ts";
import denoJson from "../deno.json" with { type: "json" };

export { DEFAULT_PROTOCOL } from "./group_server.ts";

/** The package version, from deno.json. */
export const CLI_VERSION: string = denoJson.version;

/** Everything the command line asks for. */
export interface CliConfig
  extends
    ServerConfig,
    TlsConfig,
    ResponsesConfig,
    ShareCliConfig,
    AutoStopConfig,
    UploadConfig,
    AuthConfig,
    EngineConfig,
    DevCliConfig {}

const EPILOG = `\
Deno permissions (nothing else is needed):
  serve DIR:      deno run --allow-net --allow-read=DIR \\
                    jsr:@x/httpserver/cli -d DIR
  HTTPS:          also read the certificate, key and password files:
                    --allow-read=DIR,CERT,KEY,PASSWORD_FILE
  CGI (--cgi):    add --allow-run
  uploads:        --upload and --delete need --allow-write=DIR;
                  --auth-file FILE needs FILE in --allow-read
  optional:       --allow-sys=networkInterfaces,hostname (LAN addresses
                  after the first line, the host name for CGI scripts)
Given more (-A), it revokes write access (unless --upload or --delete), ffi
access, run access unless --cgi or --open, and env access unless --cgi,
before serving.`;

/**
 * Builds the parser; `prog` is the name shown in usage lines, `width` the
 * help's columns (the terminal's width minus 2).
 */
export function createParser(prog: string, width = 78): CliParser {
  const parser = new CliParser({ prog, width, epilog: EPILOG });
  serverGroup.add(parser);
  tlsGroup.add(parser);
  responsesGroup.add(parser);
  parser.add_argument("--version", {
    action: "version",
    version: `@x/httpserver ${CLI_VERSION} (deno ${Deno.version.deno})`,
    help: "show program's version number and exit",
  });
  shareGroup.add(parser);
  autoStopGroup.add(parser);
  uploadGroup.add(parser);
  authGroup.add(parser);
  engineGroup.add(parser);
  devGroup.add(parser);
  return parser;
}

/** The result of {@linkcode parseCommandLine}. */
export type CommandLine =
  | { kind: "ok"; config: CliConfig; parser: CliParser }
  | ParserExit;

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
  const prog = options.prog ?? "cli.ts";
  const parser = createParser(prog, options.width);
  const argv = normalizeDevArgs(args);
  const parsed = parser.parse(argv, (values: Namespace): CliConfig => ({
    ...serverGroup.read(values),
    ...tlsGroup.read(values),
    ...responsesGroup.read(values),
    ...shareGroup.read(values),
    ...autoStopGroup.read(values),
    ...uploadGroup.read(values),
    ...authGroup.read(values),
    ...engineGroup.read(values),
    ...devGroup.read(values),
  }));
  if (parsed.kind === "exit") return parsed;
  const config = parsed.value;
  if (config.devPreset) {
    // --dev: 127.0.0.1 unless -b, or --qr (its code is for other
    // devices); and whether the port was given, which argparse's default
    // hides, from a second parse without that default.
    if (!config.qr) config.bind ??= "127.0.0.1";
    const probe = createParser(prog, options.width);
    probe.set_defaults({ port: null });
    const probed = probe.parse(argv, (v) => v.port !== null);
    config.portGiven = probed.kind === "ok" && probed.value;
  }
  return { kind: "ok", config, parser };
}
