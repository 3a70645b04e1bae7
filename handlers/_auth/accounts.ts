// Copyright 2026 the httpserver authors. MIT license.
/**
 * Where accounts come from: `USER:PASSWORD` pairs (the CLI's `--auth`) and
 * htpasswd files (`--auth-file`), each line `user:secret`, `#` comments and
 * blank lines skipped, as Apache and nginx read them.
 * @module
 */
import { secretKind } from "./passwords.ts";

/**
 * Splits `USER:PASSWORD` at the first colon (a user name has none, a
 * password may). Throws a `TypeError` when there is no colon or no user.
 */
export function splitAccount(text: string): [string, string] {
  const colon = text.indexOf(":");
  if (colon <= 0) {
    throw new TypeError(`Expected USER:PASSWORD, got '${text.slice(0, 40)}'`);
  }
  return [text.slice(0, colon), text.slice(colon + 1)];
}

/**
 * Parses an htpasswd file. Throws a `TypeError` naming the line of the
 * first entry that is malformed or uses a hash we cannot verify.
 */
export function parseHtpasswd(text: string): [string, string][] {
  const accounts: [string, string][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith("#")) continue;
    try {
      const [user, secret] = splitAccount(line);
      if (!secret) throw new TypeError("Empty password hash");
      secretKind(secret);
      accounts.push([user, secret]);
    } catch (error) {
      throw new TypeError(`line ${i + 1}: ${(error as Error).message}`);
    }
  }
  return accounts;
}
