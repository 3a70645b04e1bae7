// Copyright 2026 the httpserver authors. MIT license.
// CPython's RequestHandlerLoggingTestCase and test_unprintable_not_logged:
// log lines are checked on a child process's real stderr.
import { match, ok, strictEqual } from "node:assert/strict";
import { withTimeout } from "./_util.ts";

async function childStderr(mode: string): Promise<string[]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      new URL("./_logging_child.ts", import.meta.url).pathname,
      mode,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  });
  const { code, stderr } = await withTimeout(
    child.output(),
    `logging child (${mode})`,
  );
  strictEqual(code, 0);
  return new TextDecoder().decode(stderr).split("\n").filter((l) => l);
}

const PREFIX =
  /^127\.0\.0\.1 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] /;

Deno.test("BaseHTTPRequestHandler logs requests and errors as Python (test_get, test_err)", async () => {
  const lines = await childStderr("requests");
  strictEqual(lines.length, 3, lines.join("\n"));
  for (const line of lines) match(line, PREFIX);
  ok(lines[0]!.endsWith('"GET / HTTP/1.1" 200 -'), lines[0]);
  ok(lines[1]!.endsWith("code 404, message File not found"), lines[1]);
  ok(lines[2]!.endsWith('"ERROR / HTTP/1.1" 404 -'), lines[2]);
});

Deno.test("BaseHTTPRequestHandler escapes control characters in logs (test_unprintable_not_logged)", async () => {
  const lines = await childStderr("unprintable");
  const text = lines.join("\n");
  ok(!text.includes("\x1b") && !text.includes("\x00"));
  ok(lines[0]!.endsWith("/foo"));
  ok(lines[1]!.includes("/\\x1bbar\\x00\\x1b"), lines[1]);
  ok(lines[2]!.includes("/spam a."));
  ok(lines[3]!.includes("/spam \\x1b\\x7f\\x9f\xa0beans."), lines[3]);
  ok(lines[4]!.includes('"GET /foo\\\\b"ar\\x07 HTTP/1.0"'), lines[4]);
});
