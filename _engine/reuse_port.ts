// Copyright 2026 the httpserver authors. MIT license.
/**
 * `reusePort` (several sockets on one port, the kernel spreading new
 * connections among them) is behind Deno's `--unstable-net` flag in
 * `Deno.listen`, `Deno.listenTls` and `Deno.serve`; without the flag, asking
 * for it makes Deno exit the process (code 70), which no `try` can catch.
 * So ask first.
 * @module
 */

/** Whether `reusePort` may be asked for (Deno runs with `--unstable-net`). */
export function reusePortAvailable(): boolean {
  // Deno defines the unstable net APIs only under the flag.
  return typeof (Deno as { listenDatagram?: unknown }).listenDatagram ===
    "function";
}

/** What to do without the flag, for error messages. */
export const REUSE_PORT_HINT =
  'run Deno with --unstable-net (or "unstable": ["net"] in deno.json)';

/**
 * The `reusePort` option to pass for `wanted`: throws a `NotSupported` error
 * rather than let Deno end the process when the flag is missing.
 */
export function reusePortOption(wanted: boolean): boolean {
  if (wanted && !reusePortAvailable()) {
    throw new Deno.errors.NotSupported(
      `Cannot share the port (allowReusePort): ${REUSE_PORT_HINT}`,
    );
  }
  return wanted;
}
