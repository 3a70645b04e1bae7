// Copyright 2026 the httpserver authors. MIT license.
/** rfile.readinto(): Python's readinto(b), bounded to the body, no allocation. */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../mod.ts";
import { runHandler } from "../testing.ts";

Deno.test("rfile.readinto fills a caller's buffer, after readline's read-ahead, up to the body's end", async () => {
  const seen: string[] = [];
  class Reader extends BaseHTTPRequestHandler {
    async doPOST(): Promise<void> {
      const decoder = new TextDecoder();
      seen.push(decoder.decode(await this.rfile.readline()));
      const buffer = new Uint8Array(4);
      for (;;) {
        const n = await this.rfile.readinto(buffer);
        if (n === 0) break;
        seen.push(decoder.decode(buffer.subarray(0, n)));
      }
      assertEquals(await this.rfile.readinto(new Uint8Array(0)), 0);
      this.sendResponse(204);
      await this.endHeaders();
    }
    override logMessage(): void {}
  }
  const conn = await runHandler(
    Reader,
    "POST / HTTP/1.0\r\nContent-Length: 14\r\n\r\nfirst\nabcdefghGET / HTTP/1.0\r\n\r\n",
  );
  assertEquals(seen.join("|"), "first\n|abcd|efgh");
  assertEquals(conn.text().startsWith("HTTP/1.0 204 "), true);
});
