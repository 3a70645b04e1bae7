// Copyright 2026 the httpserver authors. MIT license.
/**
 * The start-up steps shared by every way of serving a command line (the
 * CLI and the `deno serve` entry): the served folder's real path, the
 * secrets kept out of it, the `--spa` and `--404` files checked, and the
 * accounts of `--auth` and `--auth-file` read.
 * @module
 */
import type { CliConfig } from "./args.ts";
import {
  checkSecretsOutside,
  loadAccounts,
  servedRoot,
  StartupError,
} from "./serve.ts";
import { devFileProblem } from "./group_dev.ts";

/** A command line ready to serve. */
export interface PreparedServe {
  /** The served folder's real path. */
  root: string;
  /** The configuration with its accounts read (`authFile` null). */
  served: CliConfig;
}

/** Runs the shared start-up checks; throws {@linkcode StartupError}. */
export function prepareServe(config: CliConfig): PreparedServe {
  const root = servedRoot(config.directory);
  checkSecretsOutside(config, root);
  const devProblem = devFileProblem(config.dev ?? null, root);
  if (devProblem) throw new StartupError(devProblem, 2);
  // The accounts are read now; the handlers get them as plain data.
  return {
    root,
    served: { ...config, auth: loadAccounts(config), authFile: null },
  };
}
