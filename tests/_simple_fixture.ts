// Copyright 2026 the httpserver authors. MIT license.
/**
 * Fixtures for the SimpleHTTPRequestHandler tests (and the CGI handler's):
 * a served folder or temporary folder, a request for one target that reads until the server closes, and
 * CPython's helpers for expected listings.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { SimpleHTTPRequestHandler } from "../handlers/simple.ts";
import type { CGIHTTPRequestHandlerOptions } from "../handlers/cgi.ts";
import type { Connection } from "../connection.ts";
import type { ClientAddress, HTTPServer } from "../server.ts";
import { pyFormat } from "../_text.ts";
import { concat, engine, startServer, type TestServer } from "./_util.ts";
import {
  header,
  RawClient,
  type RawResponse,
  type Wire,
} from "./_raw_client.ts";

const encoder = new TextEncoder();

/** Handler settings for {@linkcode serveDirectory} and {@linkcode serveFolder}. */
export interface FolderOptions extends CGIHTTPRequestHandlerOptions {
  /** The handler's `protocolVersion`. */
  protocolVersion?: string;
  /**
   * The class to serve with (a subclass of the plain handler, or
   * `CGIHTTPRequestHandler`, which takes the CGI options too).
   */
  Handler?: typeof SimpleHTTPRequestHandler;
  /** Collects the handlers' log lines, formatted; without it they are dropped. */
  logs?: string[];
}

/** Serves `root` on 127.0.0.1, port 0; dispose the server to stop it. */
export function serveDirectory(
  root: string,
  options: FolderOptions = {},
): TestServer {
  const {
    protocolVersion,
    Handler: Base = SimpleHTTPRequestHandler,
    logs,
    ...handlerOptions
  } = options;
  class Handler extends Base {
    constructor(r: Connection, c: ClientAddress, s: HTTPServer) {
      super(r, c, s, { directory: root, ...handlerOptions });
      if (protocolVersion) this.protocolVersion = protocolVersion;
    }
    override logMessage(format: string, ...args: unknown[]): void {
      logs?.push(pyFormat(format, args));
    }
  }
  return startServer(Handler);
}

/** A served temporary folder; dispose to stop the server and remove it. */
export interface Folder extends AsyncDisposable {
  /** The served folder (a fresh temporary directory). */
  root: string;
  port: number;
  server: TestServer;
}

/** Serves a fresh temporary folder (see {@linkcode serveDirectory}). */
export async function serveFolder(
  options: FolderOptions = {},
): Promise<Folder> {
  const root = await Deno.makeTempDir({ prefix: "simple_test_" });
  const server = serveDirectory(root, options);
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

/**
 * Sends `method target version` (with `Host` and `headers`) on a fresh
 * connection, reads the response, then everything until the server closes
 * (`rest`).
 */
export async function requestTarget(
  port: number,
  target: Wire,
  {
    method = "GET",
    headers = {} as Record<string, string>,
    version = "HTTP/1.1",
  } = {},
): Promise<{ res: RawResponse; rest: Uint8Array }> {
  using client = await RawClient.connect(port);
  // Deno.serve keeps an HTTP/1.1 connection open until the client asks.
  if (engine.name === "serve") headers = { ...headers, Connection: "close" };
  await client.send(concat([
    encoder.encode(`${method} `),
    typeof target === "string" ? encoder.encode(target) : target,
    encoder.encode(
      ` ${version}\r\nHost: 127.0.0.1:${port}\r\n` +
        Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") +
        "\r\n",
    ),
  ]));
  const res = await client.read({ head: method === "HEAD" });
  return { res, rest: await client.readToEnd() };
}

/**
 * CPython's `check_status_and_reason`: the status, a reason phrase, the body
 * when given, an HTTP/1.0 response (HTTP/1.1 from Deno.serve), no persistent
 * connection, and nothing after the body. Returns the response.
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
): Promise<RawResponse> {
  const { res, rest } = await requestTarget(port, target, options);
  strictEqual(res.status, status, `status of ${String(target)}`);
  strictEqual(res.reason.length > 0, true, "a reason phrase is sent");
  if (options.data !== undefined) {
    const want = typeof options.data === "string"
      ? encoder.encode(options.data)
      : options.data;
    deepStrictEqual(res.body, want);
  }
  // Deno.serve's status line carries the client's version (HTTP/1.1).
  strictEqual(res.version, engine.name === "serve" ? "HTTP/1.1" : "HTTP/1.0");
  strictEqual(header(res, "Connection") ?? "close", "close");
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
