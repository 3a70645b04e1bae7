// Copyright 2026 the httpserver authors. MIT license.
/**
 * `--open`: the system's opener (`xdg-open`, `open`, or `cmd /c start`)
 * started for a URL, without waiting for it. Failure is expected on
 * headless machines and over SSH, so it is reported, never thrown.
 * @module
 */

/** The opener command for this system: program and arguments before the URL. */
export function openerCommand(os: string = Deno.build.os): [string, string[]] {
  if (os === "darwin") return ["open", []];
  // `start` treats its first quoted argument as a window title.
  if (os === "windows") return ["cmd", ["/c", "start", '""']];
  return ["xdg-open", []];
}

/**
 * Starts the opener for `url`. Returns null when it was started, or
 * the reason it could not be (no `--allow-run` for it, or not installed).
 */
export function openBrowser(url: string): string | null {
  const [program, args] = openerCommand();
  try {
    if (
      Deno.permissions.querySync({ name: "run", command: program }).state !==
        "granted"
    ) {
      return `run again with --allow-run=${program}`;
    }
  } catch {
    return "the permission to run a browser cannot be checked";
  }
  // `&` separates commands for cmd.exe: quote it there.
  const arg = Deno.build.os === "windows" ? url.replaceAll("&", "^&") : url;
  try {
    const child = new Deno.Command(program, {
      args: [...args, arg],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    child.status.catch(() => {});
    child.unref();
    return null;
  } catch (error) {
    return `${program} could not be started (${(error as Error).message})`;
  }
}
