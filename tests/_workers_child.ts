// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI, run as a test child for `--workers`: the real `main()`, with each
 * worker's module wrapped so the test can kill one worker (see
 * `_killable_worker.ts`). `KILL_FILE` is the file whose creation kills a
 * worker. Permissions are not revoked: the killable worker removes the file.
 */
import { main } from "../cli.ts";
import { workerEntry } from "../_cli/workers.ts";

const killFile = Deno.env.get("KILL_FILE") ?? "";
const url = new URL("./_killable_worker.ts", import.meta.url);
url.searchParams.set("kill", killFile);
workerEntry.url = url;
Deno.exit(await main(Deno.args, { revokePermissions: false }));
