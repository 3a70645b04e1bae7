// Copyright 2026 the httpserver authors. MIT license.
/**
 * Fixtures for the upload and authentication tests: a served temporary
 * folder with the sharing options, its log lines and hook calls (over
 * `serveDirectory()` of _simple_fixture.ts), and raw requests fetch()
 * cannot make (lying lengths, bodies cut short, `Expect: 100-continue`)
 * over the one raw client of _raw_client.ts; and a fresh folder shared
 * with `shareDirectory()` ({@linkcode shareFiles}).
 */
import {
  type AuthFailureInfo,
  SimpleHTTPRequestHandler,
  type UploadInfo,
  type WriteAction,
} from "../handlers/simple.ts";
import { concat, type TestServer } from "./_util.ts";
import { type FolderOptions, serveDirectory } from "./_simple_fixture.ts";
import { RawClient } from "./_raw_client.ts";
import {
  type Share as RunningShare,
  shareDirectory,
  type ShareOptions as ShareDirectoryOptions,
} from "../share.ts";
import { closeLiveHubs } from "../handlers/_dev/live_hub.ts";

const encoder = new TextEncoder();

/** Settings for {@linkcode shareFolder}. */
export interface ShareOptions extends Omit<FolderOptions, "logs"> {
  /** Decides writes, as the `mayWrite()` hook. */
  mayWrite?: (action: WriteAction, path: string) => boolean | Promise<boolean>;
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
  const {
    Handler: Base = SimpleHTTPRequestHandler,
    mayWrite,
    root: _root,
    ...rest
  } = options;
  class Hooked extends Base {
    override mayWrite(action: WriteAction, path: string) {
      return mayWrite ? mayWrite(action, path) : super.mayWrite(action, path);
    }
    override uploadComplete(info: UploadInfo): void {
      uploads.push(info);
    }
    override authFailure(info: AuthFailureInfo): void {
      authFailures.push(info);
    }
  }
  const server = serveDirectory(root, {
    protocolVersion: "HTTP/1.1",
    ...rest,
    Handler: Hooked,
    logs: log,
  });
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

/**
 * Shares a fresh folder holding `files` (paths relative to it, folders
 * made as needed) with `shareDirectory()` and `options` on 127.0.0.1;
 * `undo` stops the share, closes the live-reload hubs and removes the
 * folder. `base` is the share's URL without its final slash.
 */
export async function shareFiles(
  undo: AsyncDisposableStack,
  files: Record<string, string>,
  options: ShareDirectoryOptions = {},
): Promise<{ share: RunningShare; dir: string; base: string }> {
  const dir = await Deno.makeTempDir({ prefix: "httpserver-share-dev-" });
  undo.defer(() => Deno.remove(dir, { recursive: true }));
  for (const [name, text] of Object.entries(files)) {
    const path = `${dir}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  undo.defer(closeLiveHubs);
  const share = await shareDirectory({
    directory: dir,
    hostname: "127.0.0.1",
    port: 0,
    quiet: true,
    ...options,
  });
  undo.use(share);
  return { share, dir, base: share.url.replace(/\/$/, "") };
}

/** A response read by {@linkcode rawRequest}. */
export interface Raw {
  status: number;
  reason: string;
  headers: Headers;
  body: string;
  /** Whether a `100 Continue` came first. */
  continued: boolean;
}

/**
 * Sends `head` and `body` over a fresh connection and reads the answer.
 * With `waitContinue`, the body is sent only after a `100 Continue`;
 * `closeAfter` half-closes after sending (a client that gives up
 * mid-body). A server that closes before reading everything is fine.
 */
export async function rawRequest(
  port: number,
  head: string,
  body: Uint8Array | string = "",
  options: { waitContinue?: boolean; closeAfter?: boolean } = {},
): Promise<Raw> {
  using client = await RawClient.connect(port);
  const send = async (data: Uint8Array | string) => {
    try {
      await client.send(data);
    } catch { /* the server closed: its answer is read next */ }
  };
  await send(head);
  let continued = false;
  let res;
  if (options.waitContinue) {
    res = await client.read({ partial: true });
    if (res.status === 100) {
      continued = true;
      await send(body);
      res = null;
    }
  } else await send(body);
  if (options.closeAfter) await client.closeWrite().catch(() => {});
  res ??= await client.read({ partial: true });
  return {
    status: res.status,
    reason: res.reason,
    headers: new Headers(res.headers),
    body: res.text,
    continued,
  };
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
  return {
    body: concat(chunks) as Uint8Array<ArrayBuffer>,
    type: `multipart/form-data; boundary=${boundary}`,
  };
}
