// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's worker, with a way for a test to kill it: when the file named
 * by the `kill` query parameter of this module's URL appears, the one worker
 * that removes it first exits at once (`Deno.exit` ends only that worker).
 */
import "../_cli/worker.ts";

const killFile = new URL(import.meta.url).searchParams.get("kill");
if (killFile) {
  setInterval(() => {
    try {
      Deno.removeSync(killFile);
    } catch {
      return; // No kill file, or another worker took it.
    }
    Deno.exit(9);
  }, 20);
}
