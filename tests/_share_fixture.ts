// Copyright 2026 the httpserver authors. MIT license.
/**
 * Fixtures for the upload and authentication tests: a served temporary
 * folder with the sharing options, its log lines and hook calls, and a
 * raw-socket client for requests fetch() cannot make (lying lengths,
 * bodies cut short, `Expect: 100-continue`).
 */
import {
  SimpleHTTPRequestHandler,
  type SimpleHTTPRequestHandlerOptions,
} from "../handlers/simple.ts";
import type { AuthFailureInfo, UploadInfo } from "../handlers/simple.ts";
import type { Connection } from "../connection.ts";
import type { ClientAddress, HTTPServer } from "../server.ts";
import { pyFormat } from "../_text.ts";
import { startServer, type TestServer, withTimeout } from "./_util.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Settings for {@linkcode shareFolder}. */
export interface ShareOptions extends SimpleHTTPRequestHandlerOptions {
  /** A subclass to serve with instead of the plain handler. */
  Handler?: typeof SimpleHTTPRequestHandler;
  /** Decides writes, as the `mayWrite()` hook. */
  mayWrite?: (action: string, path: string) => boolean;
  /** Serve this folder instead of a fresh temporary one. */
  root?: string;
}

/** A served folder with what the handler logged and reported. */
export interface Share extends AsyncDisposable {
  root: string;
  port: number;
  base: string;
  server: TestServer;
  /** Every log line, formatted. */
  log: string[];
  uploads: UploadInfo[];
  authFailures: AuthFailureInfo[];
}

/** Serves a fresh temporary folder (HTTP/1.1) with `options`. */
export async function shareFolder(options: ShareOptions = {}): Promise<Share> {
  const own = options.root === undefined;
  const root = options.root ??
    await Deno.makeTempDir({ prefix: "share_test_" });
  const log: string[] = [];
  const uploads: UploadInfo[] = [];
  const authFailures: AuthFailureInfo[] = [];
  const { Handler: Base = SimpleHTTPRequestHandler, mayWrite, ...opts } =
    options;
  class Handler extends Base {
    constructor(r: Connection, c: ClientAddress, s: HTTPServer) {
      super(r, c, s, { directory: root, ...opts });
      this.protocolVersion = "HTTP/1.1";
    }
    override logMessage(format: string, ...args: unknown[]): void {
      log.push(pyFormat(format, args));
    }
    override mayWrite(action: "upload" | "mkdir" | "delete", path: string) {
      return mayWrite ? mayWrite(action, path) : super.mayWrite(action, path);
    }
    override uploadComplete(info: UploadInfo): void {
      uploads.push(info);
    }
    override authFailure(info: AuthFailureInfo): void {
      authFailures.push(info);
    }
  }
  const server = startServer(Handler);
  return {
    root,
    port: server.port,
    base: `http://127.0.0.1:${server.port}`,
    server,
    log,
    uploads,
    authFailures,
    async [Symbol.asyncDispose]() {
      await server[Symbol.asyncDispose]();
      if (own) await Deno.remove(root, { recursive: true });
    },
  };
}

/** A parsed raw response. */
export interface Raw {
  status: number;
  reason: string;
  headers: Headers;
  body: string;
  /** Whether a `100 Continue` came first. */
  continued: boolean;
}

/**
 * Sends `head` (and, unless `waitContinue` says otherwise, `body`) over a
 * fresh connection and reads the whole answer until the server closes or
 * `Content-Length` bytes arrived. With `waitContinue`, the body is sent
 * only after a `100 Continue`. `closeAfter` closes the write side after
 * sending (a client that gives up mid-body).
 */
export async function rawRequest(
  port: number,
  head: string,
  body: Uint8Array | string = "",
  options: { waitContinue?: boolean; closeAfter?: boolean } = {},
): Promise<Raw> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    return await withTimeout(
      exchange(conn, head, body, options),
      `raw request ${head.split("\r\n")[0]}`,
    );
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

async function exchange(
  conn: Deno.TcpConn,
  head: string,
  body: Uint8Array | string,
  options: { waitContinue?: boolean; closeAfter?: boolean },
): Promise<Raw> {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  await conn.write(encoder.encode(head));
  let text = "";
  const buf = new Uint8Array(65536);
  const readMore = async (): Promise<boolean> => {
    let n: number | null;
    try {
      n = await conn.read(buf);
    } catch {
      return false;
    }
    if (n === null) return false;
    text += decoder.decode(buf.subarray(0, n), { stream: true });
    return true;
  };
  let continued = false;
  if (options.waitContinue) {
    while (!text.includes("\r\n\r\n")) if (!await readMore()) break;
    if (text.startsWith("HTTP/1.1 100")) {
      continued = true;
      text = text.slice(text.indexOf("\r\n\r\n") + 4);
      await writeQuietly(conn, bytes);
    }
  } else await writeQuietly(conn, bytes);
  if (options.closeAfter) {
    try {
      await conn.closeWrite();
    } catch { /* gone */ }
  }
  for (;;) {
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) {
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      if (length && text.length >= end + 4 + Number(length[1])) break;
      if (/^HTTP\/1\.1 (204|304)/.test(text)) break;
    }
    if (!await readMore()) break;
  }
  const end = text.indexOf("\r\n\r\n");
  const lines = text.slice(0, end < 0 ? text.length : end).split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0] ?? "");
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
    }
  }
  return {
    status: m ? Number(m[1]) : 0,
    reason: m?.[2] ?? "",
    headers,
    body: end < 0 ? "" : text.slice(end + 4),
    continued,
  };
}

async function writeQuietly(conn: Deno.TcpConn, bytes: Uint8Array) {
  let at = 0;
  try {
    while (at < bytes.length) at += await conn.write(bytes.subarray(at));
  } catch { /* the server closed: its answer is read next */ }
}

/** The names in `dir` and below, sorted, folders with a trailing `/`. */
export async function tree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) {
      out.push(prefix + e.name + "/");
      out.push(...await tree(`${dir}/${e.name}`, prefix + e.name + "/"));
    } else out.push(prefix + e.name);
  }
  return out.sort();
}

/** `fetch` that always consumes the body: status, headers, text. */
export async function call(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A `multipart/form-data` body with the given files and fields. */
export function multipart(
  parts: { name: string; filename?: string; data: string | Uint8Array }[],
  boundary = "----testboundary7MA4YWxkTrZu0gW",
): { body: Uint8Array<ArrayBuffer>; type: string } {
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    const disposition = p.filename === undefined
      ? `form-data; name="${p.name}"`
      : `form-data; name="${p.name}"; filename="${p.filename}"`;
    chunks.push(encoder.encode(
      `--${boundary}\r\nContent-Disposition: ${disposition}\r\n` +
        (p.filename === undefined
          ? "\r\n"
          : "Content-Type: application/octet-stream\r\n\r\n"),
    ));
    chunks.push(typeof p.data === "string" ? encoder.encode(p.data) : p.data);
    chunks.push(encoder.encode("\r\n"));
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}
