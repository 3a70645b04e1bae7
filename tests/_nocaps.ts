// Copyright 2026 the httpserver authors. MIT license.
/**
 * Sandboxes where a root process cannot switch users, as in many containers
 * and in rootless user namespaces: a command prefix that runs a program
 * with `CAP_SETUID` and `CAP_SETGID` dropped from its bounding set
 * (`setpriv`, else `capsh`; needs root), or in a new user namespace where
 * only our own user is mapped (`unshare --user --map-root-user`), so that
 * `nobody` does not exist there. Each is found once; one that cannot be
 * used comes with the reason, for the test's name.
 * @module
 */

/** A way to run a program where `setuid(nobody)` fails. */
export interface Sandbox {
  /** Short name for test names. */
  name: string;
  /** The command line before the program and its arguments. */
  prefix: string[];
  /** The errno a switch to nobody fails with in it. */
  errno: "EPERM" | "EINVAL";
}

/** A sandbox, or why it cannot be used on this machine. */
export type SandboxProbe =
  | { name: string; sandbox: Sandbox; skip: null }
  | { name: string; sandbox: null; skip: string };

function runs(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

function found(tool: string): boolean {
  return runs("sh", ["-c", `command -v ${tool}`]);
}

function isRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
}

function boundingSet(): SandboxProbe {
  const name = "bounding set without CAP_SETUID";
  if (Deno.build.os !== "linux") {
    return { name, sandbox: null, skip: "Linux only" };
  }
  if (!isRoot()) {
    return { name, sandbox: null, skip: "needs root to drop a capability" };
  }
  let prefix: string[] | null = null;
  if (found("setpriv")) {
    prefix = [
      "setpriv",
      "--bounding-set",
      "-setuid,-setgid",
      "--inh-caps",
      "-setuid,-setgid",
      "--",
    ];
  } else if (found("capsh")) {
    prefix = ["capsh", "--drop=cap_setuid,cap_setgid", "--"];
  }
  if (!prefix) {
    return { name, sandbox: null, skip: "neither setpriv nor capsh found" };
  }
  if (!runs(prefix[0]!, [...prefix.slice(1), "true"])) {
    return { name, sandbox: null, skip: `${prefix[0]} cannot drop it here` };
  }
  return { name, sandbox: { name, prefix, errno: "EPERM" }, skip: null };
}

function userNamespace(): SandboxProbe {
  const name = "user namespace without nobody";
  if (Deno.build.os !== "linux") {
    return { name, sandbox: null, skip: "Linux only" };
  }
  if (!found("unshare")) {
    return { name, sandbox: null, skip: "unshare not found" };
  }
  const prefix = ["unshare", "--user", "--map-root-user", "--"];
  if (!runs(prefix[0]!, [...prefix.slice(1), "true"])) {
    return {
      name,
      sandbox: null,
      skip: "user namespaces are not allowed here",
    };
  }
  return { name, sandbox: { name, prefix, errno: "EINVAL" }, skip: null };
}

let probes: SandboxProbe[] | undefined;

/** Both sandboxes, each usable or with the reason it is not. */
export function noSetuidSandboxes(): SandboxProbe[] {
  return probes ??= [boundingSet(), userNamespace()];
}

/**
 * `capsh` takes the program through `--shell=`; `setpriv` and `unshare`
 * take it after their `--`.
 */
export function sandboxed(
  sandbox: Sandbox,
  program: string,
  args: string[],
): { cmd: string; args: string[] } {
  const [tool, ...rest] = sandbox.prefix;
  if (tool === "capsh") {
    return {
      cmd: tool,
      args: [...rest.slice(0, -1), `--shell=${program}`, "--", ...args],
    };
  }
  return { cmd: tool!, args: [...rest, program, ...args] };
}
