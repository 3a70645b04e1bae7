// Copyright 2026 the httpserver authors. MIT license.
/** shareDirectory() with uploads and authentication: events, --once, the rich form. */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { shareDirectory } from "../share.ts";
import { call } from "./_share_fixture.ts";

Deno.test("shareDirectory receives uploads, reports upload and authfailure events, and stops --once after an upload", async () => {
  const dir = await Deno.makeTempDir({ prefix: "share_upload_" });
  try {
    await using share = await shareDirectory({
      directory: dir,
      port: 0,
      hostname: "127.0.0.1",
      quiet: true,
      upload: true,
      listing: "rich",
      once: true,
      auth: [["ann", "pw"]],
      publicRead: true,
    });
    const uploads: string[] = [];
    const failures: string[] = [];
    share.addEventListener(
      "upload",
      (e) => uploads.push((e as CustomEvent).detail.url),
    );
    share.addEventListener(
      "authfailure",
      (e) => failures.push((e as CustomEvent).detail.user),
    );
    const page = await call(share.url);
    assert(
      page.text.includes('<section class="upload"><style'),
      "the rich page's upload form",
    );
    const wrong = await call(share.url + "a.txt", {
      method: "PUT",
      body: "x",
      headers: { Authorization: `Basic ${btoa("ann:nope")}` },
    });
    assertEquals(wrong.status, 401);
    const ok = await call(share.url + "a.txt", {
      method: "PUT",
      body: "x",
      headers: { Authorization: `Basic ${btoa("ann:pw")}` },
    });
    assertEquals(ok.status, 201);
    const reason = await share.finished;
    assertEquals(reason.kind, "once");
    assertEquals(uploads, ["/a.txt"]);
    assertEquals(failures, ["ann"]);
    assertEquals(await Deno.readTextFile(`${dir}/a.txt`), "x");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
