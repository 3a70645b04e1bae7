// Copyright 2026 the httpserver authors. MIT license.
/**
 * What the CLI's upload and authentication flags need besides parsing:
 * sizes (`500M`), accounts from `--auth` and `--auth-file`, the write
 * permission they require, and the start-up warning for passwords sent in
 * the clear.
 * @module
 */
import { parseHtpasswd, splitAccount } from "../handlers/_auth/accounts.ts";
import { secretKind } from "../handlers/_auth/passwords.ts";
import { pyRepr } from "../_text.ts";

const UNITS: Record<string, number> = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/**
 * Parses a size: bytes, or a number with `K`, `M`, `G` or `T` (powers of
 * 1024, an optional `B` or `iB` after them): `500M`, `1.5G`, `1048576`.
 * Throws a `TypeError` for anything else.
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new TypeError(`invalid size: ${pyRepr(text)} (e.g. 500M, 10G)`);
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new TypeError(`invalid size: ${pyRepr(text)}`);
  }
  return bytes;
}

/**
 * The accounts of `--auth USER:PASSWORD` (repeatable) and the htpasswd
 * file's text; a later account of the same name wins. Throws a
 * `TypeError` naming the bad value or line (never echoing a password).
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

/** Whether `host` is a loopback address (or name). */
export function isLoopback(host: string): boolean {
  return host === "localhost" || /^127\./.test(host) || host === "::1" ||
    host === "[::1]" || /^::ffff:127\./i.test(host);
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
