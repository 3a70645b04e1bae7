// Copyright 2026 the httpserver authors. MIT license.
/**
 * Running a CGI script with `Deno.Command`: the `nobody` user when the server
 * runs as root, the environment under narrow `--allow-run`, the permission
 * check that never prompts, killing, and reading lines of stderr.
 * @module
 */

import { isGranted } from "../../_permissions.ts";

/** A user and group id. */
export interface Ids {
  uid: number;
  gid: number;
}

/** Debian's and most systems' `nobody` / `nogroup`. */
const DEFAULT_NOBODY: Ids = { uid: 65534, gid: 65534 };
/** The usual `PATH` when the server's own cannot be read or passed on. */
const DEFAULT_PATH =
  "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** Environment variables Deno passes only with an unrestricted `--allow-run`. */
const LOADER_VARS = /^(LD_|DYLD_)/;

/** Whether Deno may run `command` now, without prompting. */
export function mayRun(command: string): boolean {
  return isGranted({ name: "run", command });
}

/** Whether every subprocess is allowed (`--allow-run` without a list). */
export function mayRunAll(): boolean {
  return isGranted({ name: "run" });
}

let nobody: Ids | undefined;

/**
 * Python's `nobody_uid()`, with the group too: `nobody`'s ids from
 * `/etc/passwd` when it may be read, else 65534.
 */
export function nobodyIds(): Ids {
  if (nobody) return nobody;
  nobody = DEFAULT_NOBODY;
  if (isGranted({ name: "read", path: "/etc/passwd" })) {
    try {
      for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
        const f = line.split(":");
        if (f[0] === "nobody" && f.length >= 4) {
          const uid = Number(f[2]);
          const gid = Number(f[3]);
          if (Number.isInteger(uid) && Number.isInteger(gid)) {
            nobody = { uid, gid };
          }
          break;
        }
      }
    } catch { /* keep the default */ }
  }
  return nobody;
}

/** Whether the server runs as root: true, false, or null (not known yet). */
let root: boolean | null | undefined;

function runsAsRoot(): boolean | null {
  if (root !== undefined) return root;
  root = null;
  if (Deno.build.os === "windows") root = false;
  else if (isGranted({ name: "sys", kind: "uid" })) {
    try {
      root = Deno.uid() === 0;
    } catch { /* unknown */ }
  }
  return root;
}

/** Whether the server's environment is passed on as it is (see below). */
let inheritEnv = true;

/**
 * CGI meta-variables (RFC 3875 section 4.1) and request-derived `HTTP_*`
 * names: never inherited from the server's environment, so a variable the
 * request did not set (say `REMOTE_USER`) cannot reach a script from there.
 */
const META_VARS =
  /^(AUTH_TYPE|CONTENT_LENGTH|CONTENT_TYPE|GATEWAY_INTERFACE|PATH_INFO|PATH_TRANSLATED|QUERY_STRING|REMOTE_ADDR|REMOTE_HOST|REMOTE_IDENT|REMOTE_USER|REQUEST_METHOD|SCRIPT_NAME|SERVER_NAME|SERVER_PORT|SERVER_PROTOCOL|SERVER_SOFTWARE|HTTP_.*)$/;

function spawnEnv(extra: Record<string, string>): {
  clearEnv: boolean;
  env: Record<string, string>;
} {
  const readable = isGranted({ name: "env" });
  // Without env access the environment cannot be filtered: pass it on, as
  // Python does (the meta-variables the request sets still override it).
  if (inheritEnv && !readable) return { clearEnv: false, env: extra };
  const base: Record<string, string> = {};
  if (readable) {
    for (const [k, v] of Object.entries(Deno.env.toObject())) {
      if (META_VARS.test(k)) continue;
      // Narrow --allow-run and LD_*/DYLD_* in the server's environment: Deno
      // refuses to pass those, so pass everything else.
      if (!inheritEnv && LOADER_VARS.test(k)) continue;
      base[k] = v;
    }
  } else base.PATH = DEFAULT_PATH;
  return { clearEnv: true, env: { ...base, ...extra } };
}

/** How to start a script. */
export interface SpawnRequest {
  command: string;
  args: string[];
  /** Meta-variables added to (Python: set in a copy of) the server's environment. */
  env: Record<string, string>;
  /** Start a new process group, so that a timeout can end the whole group. */
  detached: boolean;
  /**
   * Called once per process, with the reason, when the switch to `nobody`
   * is refused: scripts run as the server's own user from then on.
   */
  onSwitchRefused?: (reason: string) => void;
}

/**
 * Set once a switch to `nobody` was refused (no `CAP_SETUID`/`CAP_SETGID`,
 * or a user namespace where `nobody` is not mapped): as CPython ignores a
 * failed `setuid()`, scripts then run as the server's own user.
 */
let switchRefused = false;

/**
 * Spawns a script with piped stdio. Drops to `nobody` when the server runs as
 * root, or when that is not known; as Python tries `setuid` and ignores its
 * failure, a refused switch (EPERM, or EINVAL for an unmapped id) runs the
 * script as the server's own user, and is not tried again. Throws what
 * `spawn()` throws.
 */
export function spawnScript(req: SpawnRequest): Deno.ChildProcess {
  const base: Deno.CommandOptions = {
    args: req.args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    detached: req.detached,
  };
  for (let attempt = 0;; attempt++) {
    const options: Deno.CommandOptions = { ...base, ...spawnEnv(req.env) };
    const switching = !switchRefused && runsAsRoot() !== false;
    if (switching) {
      const ids = nobodyIds();
      options.uid = ids.uid;
      options.gid = ids.gid;
    }
    try {
      const child = new Deno.Command(req.command, options).spawn();
      if (switching && root === null) root = true;
      return child;
    } catch (error) {
      if (attempt > 2) throw error;
      const code = (error as { code?: string }).code;
      if (switching && (code === "EPERM" || code === "EINVAL")) {
        switchRefused = true;
        req.onSwitchRefused?.((error as Error).message);
        continue;
      }
      if (
        inheritEnv && error instanceof Deno.errors.NotCapable &&
        /environment variable/i.test(error.message)
      ) {
        inheritEnv = false;
        continue;
      }
      throw error;
    }
  }
}

/**
 * Ends a script: its whole process group when it has one and Deno allows it
 * (`--allow-run` without a list), else the script alone. Once the script has
 * `exited`, only its group is left to end.
 */
export function killScript(
  child: Deno.ChildProcess,
  group: boolean,
  exited = false,
): void {
  if (group && mayRunAll()) {
    try {
      Deno.kill(-child.pid, "SIGKILL");
      return;
    } catch { /* fall back to the script alone */ }
  }
  if (exited) return;
  try {
    child.kill("SIGKILL");
  } catch { /* already gone */ }
}

/** Python's exit code: the code, or minus the signal number. */
export function exitCode(status: Deno.CommandStatus): number {
  if (status.signal !== null && status.code > 128) return 128 - status.code;
  return status.code;
}

const MAX_LOG_LINE = 8192;

/**
 * Reads `stream` and calls `onLine` for each line (without its line ending,
 * decoded as UTF-8; overlong lines are cut into pieces), until EOF or until
 * the returned `cancel()` is called.
 */
export function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): { done: Promise<void>; cancel: () => Promise<void> } {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  const emit = (text: string, final: boolean) => {
    pending += text;
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      onLine(pending.slice(0, nl).replace(/\r$/, ""));
      pending = pending.slice(nl + 1);
    }
    while (pending.length > MAX_LOG_LINE) {
      onLine(pending.slice(0, MAX_LOG_LINE));
      pending = pending.slice(MAX_LOG_LINE);
    }
    if (final && pending) {
      onLine(pending.replace(/\r$/, ""));
      pending = "";
    }
  };
  const done = (async () => {
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        emit(decoder.decode(value, { stream: true }), false);
      }
    } catch { /* cancelled or broken: stop */ }
    emit(decoder.decode(), true);
  })();
  return {
    done,
    cancel: async () => {
      try {
        await reader.cancel();
      } catch { /* already closed */ }
      await done;
    },
  };
}
