// Copyright 2026 the httpserver authors. MIT license.
/**
 * Request log colors: only when stderr is a terminal and `NO_COLOR` is unset;
 * otherwise the log keeps Python's exact text. The terminal cases run the
 * server under `script(1)`, which gives the child a pseudo-terminal.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
  ok as assert,
} from "node:assert/strict";
import { colorStatus, statusColor } from "../handlers/_http1/color.ts";
import { withTimeout } from "./_util.ts";

const MOD = new URL("../mod.ts", import.meta.url).href;
const RAW_CLIENT = new URL("./_raw_client.ts", import.meta.url).href;

// Serves three requests on port 0 from inside the child and exits: a 200,
// a 404 (sendError logs an error line too) and a request line holding ESC.
const CHILD = `
import { BaseHTTPRequestHandler, HTTPServer } from "${MOD}";
import { readUntilClose } from "${RAW_CLIENT}";
class Handler extends BaseHTTPRequestHandler {
  async doGET() {
    if (this.path !== "/ok") return await this.sendError(404);
    this.sendResponse(200);
    await this.endHeaders();
  }
}
const server = new HTTPServer(["127.0.0.1", 0], Handler);
const serving = server.serveForever();
for (const target of ["/ok", "/missing", "/\\x1b[31mred"]) {
  await readUntilClose(server.serverPort, "GET " + target + " HTTP/1.0\\r\\n\\r\\n");
}
await server.shutdown();
await serving;
server.serverClose();
`;

const LOG_PREFIX = String
  .raw`127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4} \d\d:\d\d:\d\d\] `;

/**
 * Runs CHILD with `NO_COLOR` unset (or set to 1), its stderr a pipe or, with
 * `viaTerminal`, a pseudo-terminal; resolves to what it logged.
 */
async function runChild(
  viaTerminal: boolean,
  noColor = false,
): Promise<string> {
  // `env` changes the one variable whatever the runner's environment holds
  // (CI exports NO_COLOR=1).
  const argv = [
    "env",
    ...(noColor ? ["NO_COLOR=1"] : ["-u", "NO_COLOR"]),
    Deno.execPath(),
    "eval",
    "--quiet",
    CHILD,
  ];
  const command = viaTerminal
    // `script -qec CMD /dev/null`: run CMD on a new pseudo-terminal.
    ? new Deno.Command("script", {
      args: ["-qec", argv.map(shellQuote).join(" "), "/dev/null"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    })
    : new Deno.Command(argv[0]!, {
      args: argv.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    });
  const out = await withTimeout(command.output(), "the logging child to exit");
  const text = new TextDecoder().decode(viaTerminal ? out.stdout : out.stderr);
  assertEquals(out.code, 0, text + new TextDecoder().decode(out.stderr));
  return text.replaceAll("\r\n", "\n");
}

function shellQuote(word: string): string {
  return "'" + word.replaceAll("'", `'\\''`) + "'";
}

function haveScript(): boolean {
  try {
    new Deno.Command("script", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync();
    return true;
  } catch {
    return false;
  }
}
const noScript = !haveScript();
if (noScript) {
  console.warn(
    "log_color_test.ts: terminal cases skipped: script(1) from util-linux is missing",
  );
}

Deno.test("BaseHTTPRequestHandler.logRequest() keeps Python's exact text when stderr is not a terminal", async () => {
  const log = await runChild(false);
  assert(!log.includes("\x1b"), JSON.stringify(log));
  const lines = log.trimEnd().split("\n");
  assertEquals(lines.length, 5, log);
  assertMatch(
    lines[0]!,
    new RegExp(`^${LOG_PREFIX}"GET /ok HTTP/1\\.0" 200 -$`),
  );
  assertMatch(
    lines[1]!,
    new RegExp(`^${LOG_PREFIX}code 404, message Not Found$`),
  );
  assertMatch(
    lines[2]!,
    new RegExp(`^${LOG_PREFIX}"GET /missing HTTP/1\\.0" 404 -$`),
  );
  assertEquals(
    lines[3]!.slice(lines[3]!.indexOf("]")),
    lines[1]!.slice(lines[1]!.indexOf("]")),
  );
  assertMatch(
    lines[4]!,
    new RegExp(`^${LOG_PREFIX}"GET /\\\\x1b\\[31mred HTTP/1\\.0" 404 -$`),
  );
});

Deno.test({
  name:
    "BaseHTTPRequestHandler.logRequest() colors the status code when stderr is a terminal",
  ignore: noScript,
  async fn() {
    const log = await runChild(true);
    assertMatch(
      log,
      new RegExp(
        `${LOG_PREFIX}"GET /ok HTTP/1\\.0" \x1b\\[32m200\x1b\\[39m -\n`,
      ),
    );
    assertMatch(
      log,
      new RegExp(
        `${LOG_PREFIX}"GET /missing HTTP/1\\.0" \x1b\\[33m404\x1b\\[39m -\n`,
      ),
    );
    // The error line is not colored, and control characters the client sent
    // stay escaped: the only escape sequences are ours.
    assertMatch(log, new RegExp(`${LOG_PREFIX}code 404, message Not Found\n`));
    assertMatch(
      log,
      new RegExp(
        `"GET /\\\\x1b\\[31mred HTTP/1\\.0" \x1b\\[33m404\x1b\\[39m -\n`,
      ),
    );
    assertEquals(log.split("\x1b").length - 1, 6);
  },
});

Deno.test({
  name:
    "BaseHTTPRequestHandler.logRequest() does not color when NO_COLOR is set, even on a terminal",
  ignore: noScript,
  async fn() {
    const log = await runChild(true, true);
    assert(!log.includes("\x1b"), JSON.stringify(log));
    assertMatch(log, new RegExp(`${LOG_PREFIX}"GET /ok HTTP/1\\.0" 200 -\n`));
  },
});

Deno.test("colorStatus() colors only the status token, by status class", () => {
  assertEquals(statusColor("200"), 32);
  assertEquals(statusColor("304"), 36);
  assertEquals(statusColor("404"), 33);
  assertEquals(statusColor("503"), 31);
  assertEquals(statusColor("101"), null);
  assertEquals(statusColor("-"), null);
  assertEquals(statusColor("999"), null);
  // The request line may hold the same digits; the code is the last token
  // before the size.
  assertEquals(
    colorStatus('"GET /200 200 HTTP/1.1" 200 -', "200"),
    '"GET /200 200 HTTP/1.1" \x1b[32m200\x1b[39m -',
  );
  assertEquals(
    colorStatus('"GET / HTTP/1.1" - -', "-"),
    '"GET / HTTP/1.1" - -',
  );
});
