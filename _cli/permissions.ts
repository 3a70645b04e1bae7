// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's permission model: what it needs (`--allow-net` for the listen
 * address, `--allow-read` for the served folder and the TLS files,
 * `--allow-run` for CGI), checked with `Deno.permissions.querySync` before
 * anything is touched so that Deno never prompts, and what it gives back
 * with `Deno.permissions.revokeSync` when it was given more.
 * @module
 */
import { isGranted } from "../_permissions.ts";

/** A permission the CLI needs, and the flag that grants it. */
export interface Requirement {
  /** What to query. */
  descriptor: Deno.PermissionDescriptor;
  /** The `deno run` flag name (`--allow-read`). */
  flag: string;
  /** The flag's value (`site`), or null for the bare flag. */
  value: string | null;
  /** Why it is needed, for the message. */
  reason: string;
}

/** `host:port` as Deno's net permission spells it (IPv6 in brackets). */
export function netHost(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** A listen requirement for `host` and `port`. */
export function netRequirement(
  host: string | null,
  port: number,
  candidates: readonly string[],
): Requirement {
  return {
    descriptor: {
      name: "net",
      host: netHost(host ?? candidates[0]!, port),
    },
    flag: "--allow-net",
    // For "all interfaces" the bare flag is the honest answer: any
    // wildcard address may be the one that works on this machine.
    value: host === null ? null : netHost(host, port),
    reason: host === null
      ? `to listen on all interfaces port ${port}`
      : `to listen on ${host} port ${port}`,
  };
}

/** A read requirement for `path`. */
export function readRequirement(path: string, reason: string): Requirement {
  return {
    descriptor: { name: "read", path },
    flag: "--allow-read",
    value: path,
    reason,
  };
}

/** The write requirement of `--upload` and `--delete` for `path`. */
export function writeRequirement(path: string): Requirement {
  return {
    descriptor: { name: "write", path },
    flag: "--allow-write",
    value: path,
    reason: `to receive files into ${path}`,
  };
}

/** The run requirement of `--cgi`. */
export function runRequirement(): Requirement {
  return {
    descriptor: { name: "run" },
    flag: "--allow-run",
    value: null,
    reason: "to run CGI scripts",
  };
}

/**
 * The one line that tells what to add, or null when everything is granted:
 * `missing permission: run again with --allow-read=site (to serve site)`.
 */
export function missingPermissionsMessage(
  requirements: readonly Requirement[],
  granted: (descriptor: Deno.PermissionDescriptor) => boolean = isGranted,
): string | null {
  const missing = requirements.filter((r) => !granted(r.descriptor));
  if (!missing.length) return null;
  const byFlag = new Map<string, (string | null)[]>();
  for (const r of missing) {
    const list = byFlag.get(r.flag) ?? [];
    if (!list.includes(r.value)) list.push(r.value);
    byFlag.set(r.flag, list);
  }
  const flags = [...byFlag].map(([flag, values]) =>
    values.includes(null)
      ? flag
      : shellQuote(`${flag}=${(values as string[]).join(",")}`)
  );
  const reasons = missing.map((r) => r.reason).join("; ");
  const noun = missing.length === 1 ? "permission" : "permissions";
  return `missing ${noun}: run again with ${flags.join(" ")} (${reasons})`;
}

/** Quotes `text` for POSIX shells when it has characters they treat specially. */
export function shellQuote(text: string): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Gives back what the server never uses: write access unless it receives
 * files (`write`), FFI access, run access unless CGI scripts run or a
 * browser is opened (`open`), and env access unless CGI scripts run.
 * Returns the names that were fully granted before and are no longer
 * granted after.
 */
export function revokeUnused(
  cgi: boolean,
  open = false,
  write = false,
): string[] {
  const names: ("write" | "ffi" | "run" | "env")[] = write
    ? ["ffi"]
    : ["write", "ffi"];
  if (!cgi && !open) names.push("run");
  if (!cgi) names.push("env");
  const given: string[] = [];
  for (const name of names) {
    const wasGranted = isGranted({ name });
    try {
      Deno.permissions.revokeSync({ name });
    } catch {
      continue;
    }
    if (wasGranted && !isGranted({ name })) given.push(name);
  }
  return given;
}
