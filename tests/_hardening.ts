// Copyright 2026 the httpserver authors. MIT license.
/**
 * Helpers for the hardening tests: a handler that records what it saw and
 * what it logged, and served trees with a secret next to them. (Raw
 * exchanges: _raw_client.ts.)
 */
import { ok } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { exchange } from "./_raw_client.ts";

const encoder = new TextEncoder();

/**
 * An HTTP/1.1 handler for the hardening tests. GET answers with the path and
 * the request headers as JSON; POST reads the whole body and answers with its
 * length. Log lines are kept in `logs` instead of going to stderr.
 */
export class ProbeHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  /** Every log line, formatted. */
  static logs: string[] = [];

  override logMessage(format: string, ...args: unknown[]): void {
    (this.constructor as typeof ProbeHandler).logs.push(
      `${format} ${args.map(String).join(" ")}`,
    );
  }

  /** Sends `body` as a complete 200 response. */
  async reply(body: string | Uint8Array, type = "text/plain"): Promise<void> {
    const bytes = typeof body === "string" ? encoder.encode(body) : body;
    this.sendResponse(200);
    this.sendHeader("Content-Type", type);
    this.sendHeader("Content-Length", String(bytes.length));
    await this.endHeaders();
    await this.wfile.write(bytes);
  }

  doGET(): Promise<void> {
    return this.reply(
      JSON.stringify({ path: this.path, headers: [...this.headers] }),
      "application/json",
    );
  }

  doHEAD(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Length", "0");
    return this.endHeaders();
  }

  async doPOST(): Promise<void> {
    const body = await this.rfile.read();
    await this.reply(`length ${body.length}\n`);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ------------------------------------------------ served trees with secrets

/** The content of the secret file next to the served folder. */
export const SECRET = "TOPSECRET-OUTSIDE-THE-ROOT";
/** Whether symlinks, modes and shell scripts are available. */
export const IS_POSIX = Deno.build.os !== "windows";
/** A C0 control or DEL. */
// deno-lint-ignore no-control-regex
export const C0_OR_DEL = /[\x00-\x1f\x7f]/;
/** A C0 or C1 control or DEL. */
// deno-lint-ignore no-control-regex
export const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** GET `target` on a fresh connection; the whole exchange as Latin-1 text. */
export async function get(port: number, target: string): Promise<string> {
  const res = await exchange(
    port,
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    { deadline: 8000 },
  );
  ok(res.closed && !res.timedOut, `${target}: the exchange ended`);
  return res.text;
}

/** A parent folder holding a secret, and the served folder inside it. */
export interface Tree extends AsyncDisposable {
  parent: string;
  root: string;
}

export async function makeTree(): Promise<Tree> {
  const parent = await Deno.makeTempDir({ prefix: "security_test_" });
  const root = `${parent}/root`;
  await Deno.mkdir(`${root}/sub`, { recursive: true });
  await Deno.writeTextFile(`${parent}/secret.txt`, SECRET);
  await Deno.mkdir(`${parent}/secretdir`);
  await Deno.writeTextFile(`${parent}/secretdir/inner.txt`, SECRET);
  await Deno.writeTextFile(`${root}/hello.txt`, "hello");
  await Deno.writeTextFile(`${root}/sub/deep.txt`, "deep");
  for (const d of [parent, root, `${root}/sub`]) await Deno.chmod(d, 0o755);
  return {
    parent,
    root,
    async [Symbol.asyncDispose]() {
      await Deno.remove(parent, { recursive: true });
    },
  };
}
