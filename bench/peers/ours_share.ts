// Copyright 2026 the httpserver authors. MIT license.
/**
 * `shareDirectory()` for the share benchmark: archives on, the listing in
 * MODE (`python` for Python's page, `rich`), no request log.
 *
 * Usage: `deno run --allow-net --allow-read bench/peers/ours_share.ts PORT ROOT MODE`
 * @module
 */
import { shareDirectory } from "../../share.ts";

const port = Number(Deno.args[0] ?? 0);
const root = Deno.args[1] ?? ".";
const mode = Deno.args[2] === "rich" ? "rich" : undefined;

const share = await shareDirectory({
  directory: root,
  hostname: "127.0.0.1",
  port,
  archive: true,
  listing: mode,
  quiet: true,
});
console.log(`Serving HTTP on 127.0.0.1 port ${share.port} ...`);
await share.finished;
