// Copyright 2026 the httpserver authors. MIT license.
/**
 * Helpers for the hardening tests: raw exchanges bounded by a deadline that
 * report how the server ended the connection, Latin-1 request bytes, and a
 * handler that records what it saw and what it logged.
 */
import { ok } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import type { SimpleHTTPRequestHandler } from "../handlers/simple.ts";
import type { Connection } from "../connection.ts";
import type { ClientAddress, HTTPServer } from "../server.ts";
import { concatBytes } from "../_bytes.ts";
import { startServer, type TestServer } from "./_util.ts";

const encoder = new TextEncoder();

/** Encodes `s` as ISO-8859-1 (every code unit must be at most U+00FF). */
export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`Not a Latin-1 string: ${s}`);
    out[i] = c;
  }
  return out;
}

/** Decodes bytes as ISO-8859-1. */
export function fromLatin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, i + 8192));
  }
  return s;
}

/** How a raw exchange ended. */
export interface Exchange {
  /** Everything the server sent. */
  data: Uint8Array;
  /** `data` decoded as Latin-1. */
  text: string;
  /** The server closed the connection (EOF or reset) before the deadline. */
  closed: boolean;
  /** The connection was reset rather than closed in order. */
  reset: boolean;
  /** The deadline passed with the connection still open. */
  timedOut: boolean;
  /** Milliseconds from the first write to the end. */
  elapsed: number;
}

/** Options for {@linkcode exchange}. */
export interface ExchangeOptions {
  /** Milliseconds before the client gives up and closes. */
  deadline?: number;
  /** Milliseconds to wait between the parts. */
  gap?: number;
  /** Half-close the client's side after the last part. */
  closeWrite?: boolean;
  /**
   * Stop reading (and close) once this many bytes arrived, or once this
   * predicate holds for the text received.
   */
  until?: (text: string) => boolean;
}

/**
 * Connects to `port`, writes `parts` (strings are Latin-1) one by one, and
 * reads until the server closes, the optional `until` holds, or `deadline`
 * ms pass. Never throws for a reset or a broken pipe: it reports them.
 */
export async function exchange(
  port: number,
  parts: string | Uint8Array | (string | Uint8Array)[],
  options: ExchangeOptions = {},
): Promise<Exchange> {
  const { deadline = 5000, gap = 0, closeWrite = false, until } = options;
  const list = Array.isArray(parts) ? parts : [parts];
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const started = performance.now();
  const chunks: Uint8Array[] = [];
  let received = 0;
  let closed = false;
  let reset = false;
  let timedOut = false;
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    try {
      conn.close();
    } catch { /* closed already */ }
  }, deadline);
  const text = () => fromLatin1(concatBytes(chunks, received));
  const reading = (async () => {
    const buf = new Uint8Array(65536);
    while (true) {
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch (error) {
        if (expired) timedOut = true;
        else if (
          error instanceof Deno.errors.ConnectionReset ||
          error instanceof Deno.errors.ConnectionAborted
        ) {
          closed = reset = true;
        } else if (
          !(error instanceof Deno.errors.BadResource) &&
          !(error instanceof Deno.errors.Interrupted)
        ) throw error;
        return;
      }
      if (n === null) {
        closed = true;
        return;
      }
      chunks.push(buf.slice(0, n));
      received += n;
      if (until?.(text())) return;
    }
  })();
  try {
    for (let i = 0; i < list.length; i++) {
      if (i > 0 && gap > 0) await new Promise((r) => setTimeout(r, gap));
      if (closed || expired) break;
      const part = list[i]!;
      const bytes = typeof part === "string" ? latin1(part) : part;
      try {
        let off = 0;
        while (off < bytes.length) off += await conn.write(bytes.subarray(off));
      } catch {
        break; // The server closed first; what it sent is still read.
      }
    }
    if (closeWrite && !closed && !expired) {
      try {
        await conn.closeWrite();
      } catch { /* closed already */ }
    }
    await reading;
  } finally {
    clearTimeout(timer);
    if (!expired) {
      try {
        conn.close();
      } catch { /* closed already */ }
    }
  }
  if (expired && !closed) timedOut = true;
  return {
    data: concatBytes(chunks, received),
    text: text(),
    closed,
    reset,
    timedOut,
    elapsed: performance.now() - started,
  };
}

/** The status code of the first response in `text`, or 0 when none. */
export function statusOf(text: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** The head (up to the blank line) of the first response in `text`. */
export function headOf(text: string): string {
  const end = text.indexOf("\r\n\r\n");
  return end < 0 ? text : text.slice(0, end + 2);
}

/** How many responses (status lines) `text` holds. */
export function countResponses(text: string): number {
  return text.match(/HTTP\/1\.[01] \d{3} [^\r\n]*\r\n/g)?.length ?? 0;
}

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

/** The value of header `name` in the first response of `text`. */
export function headerOf(text: string, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const line of headOf(text).split("\r\n").slice(1)) {
    const i = line.indexOf(":");
    if (i > 0 && line.slice(0, i).toLowerCase() === lower) {
      return line.slice(i + 1).trim();
    }
  }
  return undefined;
}

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

export function serve<T extends typeof SimpleHTTPRequestHandler>(
  Base: T,
  root: string,
): TestServer {
  class Handler extends (Base as typeof SimpleHTTPRequestHandler) {
    constructor(r: Connection, c: ClientAddress, s: HTTPServer) {
      super(r, c, s, { directory: root });
    }
    override logMessage(): void {}
  }
  return startServer(Handler);
}
