// Copyright 2026 the httpserver authors. MIT license.
/**
 * HTTP Basic authentication: `--auth`, `--auth-file`, `--public-read`, in
 * an `authentication:` section of their own; and what the CLI does with
 * them at start (the accounts, the clear-text warning).
 * @module
 */
import { parseHtpasswd, splitAccount } from "../handlers/_auth/accounts.ts";
import { secretKind } from "../handlers/_auth/passwords.ts";
import { pyRepr } from "../_text.ts";
import { isLoopback } from "../_share/urls.ts";
import { type OptionGroup, UsageError } from "./parser.ts";

/** Who may use the server. */
export interface AuthConfig {
  /** `[user, secret]` accounts from `--auth` (and, once read, the file). */
  auth: [string, string][];
  /** An htpasswd file of more accounts, read at start. */
  authFile: string | null;
  /** Let anyone read and list; writes need credentials. */
  publicRead: boolean;
}

/**
 * The accounts of `pairs` (`USER:PASSWORD`, a password or a bcrypt or
 * argon2id hash) after those of an htpasswd file's text; a later account of
 * the same name wins. Throws a `TypeError` naming the bad value or line,
 * never echoing a password.
 */
export function collectAccounts(
  pairs: readonly string[],
  file: { path: string; text: string } | null,
): [string, string][] {
  const accounts = new Map<string, string>();
  if (file) {
    try {
      for (const [user, secret] of parseHtpasswd(file.text)) {
        accounts.set(user, secret);
      }
    } catch (error) {
      throw new TypeError(
        `--auth-file ${pyRepr(file.path)}: ${(error as Error).message}`,
      );
    }
  }
  for (const pair of pairs) {
    let user: string;
    let secret: string;
    try {
      [user, secret] = splitAccount(pair);
    } catch {
      throw new TypeError("--auth expects USER:PASSWORD");
    }
    try {
      secretKind(secret);
    } catch (error) {
      throw new TypeError(
        `--auth ${pyRepr(user)}: ${(error as Error).message}`,
      );
    }
    accounts.set(user, secret);
  }
  return [...accounts];
}

/**
 * The warning printed at start when passwords would cross the network in
 * the clear (Basic authentication over plain HTTP, not only on loopback),
 * or null.
 */
export function cleartextWarning(
  auth: boolean,
  tls: boolean,
  bind: string | null,
): string | null {
  if (!auth || tls || (bind !== null && isLoopback(bind))) return null;
  return "warning: --auth over plain HTTP sends passwords in the clear to " +
    "anyone on the network; add --tls-cert and --tls-key, or bind to " +
    "127.0.0.1";
}

/** `--auth`, `--auth-file`, `--public-read`. */
export const authGroup: OptionGroup<AuthConfig> = {
  add(parser) {
    const group = parser.add_argument_group({
      title: "authentication",
      description: "HTTP Basic authentication for every request.",
    });
    group.add_argument("--auth", {
      dest: "auth",
      action: "append",
      metavar: "USER:PASSWORD",
      help: "accept this user (can be repeated); PASSWORD may be a bcrypt " +
        "hash ($2y$..., as htpasswd -B writes) or an argon2id PHC string",
    });
    group.add_argument("--auth-file", {
      dest: "authFile",
      metavar: "FILE",
      help: "accept the users of this htpasswd file (bcrypt, argon2id or " +
        "plain text; outside the served folder)",
    });
    group.add_argument("--public-read", {
      dest: "publicRead",
      action: "store_true",
      help: "with --auth: anyone may read and list, only writes need a login",
    });
  },
  read(values) {
    let auth: [string, string][];
    try {
      auth = collectAccounts((values.auth ?? []) as string[], null);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const config: AuthConfig = {
      auth,
      authFile: values.authFile || null,
      publicRead: values.publicRead,
    };
    if (config.publicRead && !auth.length && !config.authFile) {
      throw new UsageError("--public-read requires --auth or --auth-file");
    }
    return config;
  },
};
