// Copyright 2026 the httpserver authors. MIT license.
/**
 * Fixtures for the SimpleHTTPRequestHandler tests: a served temporary
 * folder, raw-socket exchanges that read until the server closes, and a
 * response parser that keeps the body as bytes.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  SimpleHTTPRequestHandler,
  type SimpleHTTPRequestHandlerOptions,
} from "../handlers/simple.ts";
import type { Connection } from "../connection.ts";
import type { ClientAddress, HTTPServer } from "../server.ts";
import { latin1Decode } from "../_text.ts";
import { concat, readAll, startServer, type TestServer } from "./_util.ts";

const encoder = new TextEncoder();

/** Handler settings for {@linkcode serveFolder}. */
export interface FolderOptions extends SimpleHTTPRequestHandlerOptions {
  /** The handler's `protocolVersion`. */
  protocolVersion?: string;
  /** A subclass to serve with instead of the plain handler. */
  Handler?: typeof SimpleHTTPRequestHandler;
}

/** A served temporary folder; dispose to stop the server and remove it. */
export interface Folder extends AsyncDisposable {
  /** The served folder (a fresh temporary directory). */
  root: string;
  port: number;
  server: TestServer;
}

/** Serves a fresh temporary folder on 127.0.0.1, port 0, logging silenced. */
export async function serveFolder(
  options: FolderOptions = {},
): Promise<Folder> {
  const root = await Deno.makeTempDir({ prefix: "simple_test_" });
  const { protocolVersion, Handler: Base = SimpleHTTPRequestHandler, ...opts } =
    options;
  class Handler extends Base {
    constructor(r: Connection, c: ClientAddress, s: HTTPServer) {
      super(r, c, s, { directory: root, ...opts });
      if (protocolVersion) this.protocolVersion = protocolVersion;
    }
    override logMessage(): void {}
  }
  const server = startServer(Handler);
  return {
    root,
    port: server.port,
    server,
    async [Symbol.asyncDispose]() {
      await server[Symbol.asyncDispose]();
      await Deno.chmod(root, 0o755).catch(() => {});
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** One response, the body as bytes. */
export interface Response {
  status: number;
  version: string;
  reason: string;
  headers: [string, string][];
  head: string;
  body: Uint8Array;
  /** The body as UTF-8 text. */
  text: string;
}

/** The first value of header `name` (case-insensitive). */
export function getHeader(res: Response, name: string): string | undefined {
  const lower = name.toLowerCase();
  return res.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Every value of header `name` (case-insensitive). */
export function getHeaders(res: Response, name: string): string[] {
  const lower = name.toLowerCase();
  return res.headers.filter(([n]) => n.toLowerCase() === lower).map((h) =>
    h[1]
  );
}

/** Parses one response from the start of `raw`; `rest` is what follows it. */
export function parseResponse(
  raw: Uint8Array,
  noBody = false,
): { res: Response; rest: Uint8Array } {
  let end = -1;
  for (let i = 0; i + 3 < raw.length; i++) {
    if (
      raw[i] === 13 && raw[i + 1] === 10 && raw[i + 2] === 13 &&
      raw[i + 3] === 10
    ) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("No complete response head was received");
  const head = latin1Decode(raw.subarray(0, end + 4));
  const lines = head.split("\r\n").filter((l) => l);
  const [version, code, ...reason] = lines[0]!.split(" ");
  const headers = lines.slice(1).map((l): [string, string] => {
    const i = l.indexOf(":");
    return [l.slice(0, i), l.slice(i + 1).trim()];
  });
  const after = raw.subarray(end + 4);
  const status = Number(code);
  const res: Response = {
    status,
    version: version!,
    reason: reason.join(" "),
    headers,
    head,
    body: new Uint8Array(0),
    text: "",
  };
  const length = headers.find(([n]) => n.toLowerCase() === "content-length");
  let bodyLength = 0;
  if (!noBody && status >= 200 && status !== 204 && status !== 304) {
    bodyLength = length ? Number(length[1]) : after.length;
  }
  res.body = after.slice(0, bodyLength);
  res.text = new TextDecoder().decode(res.body);
  return { res, rest: after.subarray(bodyLength) };
}

/** Request bytes: a string is sent as UTF-8. */
export type Wire = string | Uint8Array;

/**
 * Sends `method target HTTP/1.1` (with `Host` and `headers`) on a fresh
 * connection and reads until the server closes it.
 */
export async function exchange(
  port: number,
  target: Wire,
  {
    method = "GET",
    headers = {} as Record<string, string>,
    version = "HTTP/1.1",
  } = {},
): Promise<{ res: Response; rest: Uint8Array }> {
  const head = concat([
    encoder.encode(`${method} `),
    typeof target === "string" ? encoder.encode(target) : target,
    encoder.encode(
      ` ${version}\r\nHost: 127.0.0.1:${port}\r\n` +
        Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") +
        "\r\n",
    ),
  ]);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(head);
    const raw = await readAll(conn, `response to ${method} ${String(target)}`);
    return parseResponse(raw, method === "HEAD");
  } finally {
    conn.close();
  }
}

/**
 * CPython's `check_status_and_reason`: the status, a reason phrase, the body
 * when given, an HTTP/1.0 response, no persistent connection, and nothing
 * after the body. Returns the response.
 */
export async function checkStatusAndReason(
  port: number,
  target: Wire,
  status: number,
  options: {
    method?: string;
    headers?: Record<string, string>;
    data?: Uint8Array | string;
  } = {},
): Promise<Response> {
  const { res, rest } = await exchange(port, target, options);
  strictEqual(res.status, status, `status of ${String(target)}`);
  strictEqual(res.reason.length > 0, true, "a reason phrase is sent");
  if (options.data !== undefined) {
    const want = typeof options.data === "string"
      ? encoder.encode(options.data)
      : options.data;
    deepStrictEqual(res.body, want);
  }
  strictEqual(res.version, "HTTP/1.0");
  strictEqual(getHeader(res, "Connection") ?? "close", "close");
  strictEqual(rest.length, 0, "nothing follows the body");
  return res;
}

/** Python's `urllib.parse.quote(s, safe)`, for building expected hrefs. */
export function pyQuote(s: string, safe = "/"): string {
  let out = "";
  for (const b of encoder.encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9_.\-~]/.test(c) || (b < 128 && safe.includes(c))) {
      out += c;
    } else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Python's `html.escape(s, quote=False)`. */
export function pyEscape(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(
    ">",
    "&gt;",
  );
}
