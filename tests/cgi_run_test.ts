// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CGI runner against a fake host and connection: what it asks of the
 * handler (the response hooks, in order) and writes to the connection, for
 * each kind of script output, without a server or a handler.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  CGI_BUFFER,
  type CgiConn,
  type CgiHost,
  runScript,
} from "../handlers/_cgi/run.ts";
import { RESPONSES } from "../handlers/_http1/status.ts";
import { ProtocolError } from "../_errors.ts";
import { concat } from "./_util.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const SKIP = Deno.build.os === "windows";

type Call = [string, ...unknown[]];

/** A host that records every hook call, and a connection that keeps writes. */
class FakeHost implements CgiHost, CgiConn {
  readonly calls: Call[] = [];
  readonly errors: string[] = [];
  readonly written: Uint8Array[] = [];
  command = "GET";
  requestVersion = "HTTP/1.1";
  protocolVersion = "HTTP/1.1";
  closeConnection = false;
  cgiTimeout = 10_000;
  responses = RESPONSES;
  extraResponseHeaders: [string, string][] = [["X-Extra", "1"]];
  defaultContentType = "application/octet-stream";
  #body: (Uint8Array | Error)[];

  constructor(body: (string | Error)[] = []) {
    this.#body = body.map((b) => typeof b === "string" ? encoder.encode(b) : b);
  }

  get bodyPending(): boolean {
    return this.#body.length > 0;
  }
  get rfile(): { read1(): Promise<Uint8Array> } {
    return {
      read1: () => {
        const next = this.#body.shift();
        if (next instanceof Error) return Promise.reject(next);
        return Promise.resolve(next ?? new Uint8Array(0));
      },
    };
  }
  write(data: Uint8Array): Promise<void> {
    this.written.push(data.slice());
    return Promise.resolve();
  }
  logError(format: string, ...args: unknown[]): void {
    this.errors.push([format, ...args].join(" "));
  }
  sendError(code: number, message?: string | null): Promise<void> {
    this.calls.push(["sendError", code, message ?? null]);
    return Promise.resolve();
  }
  sendResponse(code: number, message?: string | null): void {
    this.calls.push(["sendResponse", code, message ?? null]);
  }
  sendHeader(keyword: string, value: string): void {
    this.calls.push(["sendHeader", keyword, value]);
  }
  endHeaders(): Promise<void> {
    this.calls.push(["endHeaders"]);
    return Promise.resolve();
  }
  get body(): string {
    return decoder.decode(concat(this.written));
  }
}

/** The payload of a chunked body (text, sizes in hex, CRLF after each). */
function dechunk(text: string): string {
  let out = "";
  for (let at = 0;;) {
    const eol = text.indexOf("\r\n", at);
    const size = parseInt(text.slice(at, eol), 16);
    if (size === 0) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** Runs `script` with /bin/sh through the runner, for `host`. */
async function run(host: FakeHost, script: string): Promise<string> {
  return await runScript(host, host, {
    command: "/bin/sh",
    args: ["-c", script],
    env: { PATH: "/usr/bin:/bin" },
    scriptname: "/cgi-bin/test.sh",
  });
}

Deno.test({
  name:
    "runScript sends a short output with Content-Length through the host's hooks",
  ignore: SKIP,
  async fn() {
    const host = new FakeHost();
    const result = await run(
      host,
      "printf 'Content-Type: text/plain\\r\\nX-A: b\\r\\n\\r\\nhello'",
    );
    strictEqual(result, "done");
    deepStrictEqual(host.calls, [
      ["sendResponse", 200, "Script output follows"],
      ["sendHeader", "Content-Type", "text/plain"],
      ["sendHeader", "X-A", "b"],
      ["sendHeader", "X-Extra", "1"],
      ["sendHeader", "Content-Length", "5"],
      ["endHeaders"],
    ]);
    strictEqual(host.body, "hello");
    strictEqual(host.closeConnection, false);
    deepStrictEqual(host.errors, []);
  },
});

Deno.test({
  name: "runScript feeds the request body to the script's stdin",
  ignore: SKIP,
  async fn() {
    const host = new FakeHost(["one ", "two"]);
    host.command = "POST";
    await run(host, "printf 'Content-Type: text/plain\\n\\n'; cat");
    strictEqual(host.body, "one two");
    strictEqual(host.bodyPending, false);
  },
});

Deno.test({
  name: "runScript answers a bad request body found while feeding the script",
  ignore: SKIP,
  async fn() {
    const host = new FakeHost([
      "abc",
      new ProtocolError(400, "Bad chunked encoding", "invalid chunk size"),
    ]);
    host.command = "POST";
    await run(
      host,
      "cat >/dev/null; printf 'Content-Type: text/plain\\n\\nok'",
    );
    deepStrictEqual(host.calls, [["sendError", 400, "Bad chunked encoding"]]);
    strictEqual(host.body, "");
  },
});

Deno.test({
  name:
    "runScript frames a long output with chunked coding for HTTP/1.1, else closes",
  ignore: SKIP,
  async fn() {
    const size = CGI_BUFFER + 1000;
    const script =
      `printf 'Content-Type: text/plain\\n\\n'; head -c ${size} /dev/zero`;
    const chunked = new FakeHost();
    await run(chunked, script);
    deepStrictEqual(chunked.calls.at(-2), [
      "sendHeader",
      "Transfer-Encoding",
      "chunked",
    ]);
    ok(chunked.body.endsWith("\r\n0\r\n\r\n"), "ends with the last chunk");
    strictEqual(dechunk(chunked.body).length, size);
    strictEqual(chunked.closeConnection, false);

    const old = new FakeHost();
    old.requestVersion = "HTTP/1.0";
    await run(old, script);
    ok(!old.calls.some(([, name]) => name === "Transfer-Encoding"));
    ok(!old.calls.some(([, name]) => name === "Content-Length"));
    strictEqual(old.body.length, size);
    strictEqual(old.closeConnection, true);
  },
});

Deno.test({
  name:
    "runScript answers no output or a bad header block with 502, a HEAD with the size only",
  ignore: SKIP,
  async fn() {
    const silent = new FakeHost();
    await run(silent, "exit 3");
    deepStrictEqual(silent.calls, [
      ["sendError", 502, "CGI script sent no output"],
    ]);
    ok(
      silent.errors.includes("CGI script exit code %d 3"),
      silent.errors.join(),
    );

    const bad = new FakeHost();
    await run(bad, "echo 'no header block'");
    deepStrictEqual(bad.calls, [
      ["sendError", 502, "Bad header from CGI script"],
    ]);

    const head = new FakeHost();
    head.command = "HEAD";
    await run(head, "printf 'Status: 201 Made\\n\\n12345'");
    deepStrictEqual(head.calls, [
      ["sendResponse", 201, "Made"],
      ["sendHeader", "X-Extra", "1"],
      ["sendHeader", "Content-Type", "application/octet-stream"],
      ["sendHeader", "Content-Length", "5"],
      ["endHeaders"],
    ]);
    strictEqual(head.body, "");
  },
});

Deno.test({
  name: "runScript kills a script that outlives cgiTimeout and answers 504",
  ignore: SKIP,
  async fn() {
    const host = new FakeHost();
    host.cgiTimeout = 200;
    const started = performance.now();
    await run(host, "sleep 30");
    ok(performance.now() - started < 10_000, "the timeout ended the run");
    deepStrictEqual(host.calls, [["sendError", 504, null]]);
    ok(
      host.errors.some((e) => e.includes("timed out after")),
      host.errors.join(),
    );
  },
});
