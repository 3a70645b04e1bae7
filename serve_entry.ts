// Copyright 2026 the httpserver authors. MIT license.
/**
 * The `deno serve` entry: serves a folder as the CLI does, through
 * `Deno.serve`, on every CPU core with `--parallel` (no unstable flag).
 * Give the CLI's flags after the module (or in the `HTTPSERVER_ARGS`
 * variable, with `--allow-env=HTTPSERVER_ARGS`); `deno serve` chooses the
 * address (`--host`, `--port`) and the threads (`--parallel`, `DENO_JOBS`).
 *
 * ```sh
 * deno serve --parallel --allow-net --allow-read=. jsr:@x/httpserver/serve
 * deno serve --port 8080 --allow-net --allow-read=site jsr:@x/httpserver/serve -d site -q
 * ```
 *
 * @example Call the entry's fetch handler directly
 * ```ts
 * import entry from "@x/httpserver/serve";
 * import { strictEqual } from "node:assert/strict";
 *
 * // With no arguments it serves the current folder.
 * const res = await entry.fetch(new Request("http://localhost/deno.json"), {
 *   remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 40000 },
 *   completed: Promise.resolve(),
 * });
 * strictEqual(res.status, 200);
 * strictEqual(res.headers.get("content-type"), "application/json");
 * await res.body?.cancel();
 * ```
 *
 * @module
 */
import { serveEntryForProcess } from "./_cli/serve_entry.ts";

/** `deno serve`'s `{ fetch, onListen }` for the folder the arguments name. */
const entry: Required<Deno.ServeDefaultExport> = serveEntryForProcess();
export default entry;
