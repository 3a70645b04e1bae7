// Copyright 2026 the httpserver authors. MIT license.
// shareDirectory() on the Deno.serve engine: the share's lifecycle signals
// (request, download, the automatic stop after the first complete download)
// arrive through toFetchHandler as they do over Deno.listen.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { shareDirectory } from "../share.ts";
import { DenoServeHTTPServer } from "../deno_serve_server.ts";
import { withTimeout } from "./_util.ts";
import { fetchWithin, textWithin } from "./_engine_util.ts";

Deno.test("shareDirectory({ engine: 'serve' }) reports requests and downloads and stops after the first one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "engine_share_" });
  try {
    await Deno.writeTextFile(`${dir}/report.txt`, "numbers\n");
    const share = await shareDirectory({
      directory: dir,
      hostname: "127.0.0.1",
      port: 0,
      once: true,
      quiet: true,
      engine: "serve",
    });
    ok(share.server instanceof DenoServeHTTPServer);
    const events: string[] = [];
    share.addEventListener("request", (e) => {
      const info = (e as CustomEvent).detail;
      events.push(`request ${info.method} ${info.path} ${info.status}`);
    });
    share.addEventListener("download", (e) => {
      events.push(`download ${(e as CustomEvent).detail.path}`);
    });
    const head = await fetchWithin(share.localUrl + "report.txt", {
      method: "HEAD",
    });
    await head.body?.cancel();
    const res = await fetchWithin(share.localUrl + "report.txt");
    strictEqual(await textWithin(res), "numbers\n");
    const reason = await withTimeout(share.finished, "the share to stop");
    strictEqual(reason.kind, "once");
    deepStrictEqual(events, [
      "request HEAD /report.txt 200",
      "download /report.txt",
      "request GET /report.txt 200",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
