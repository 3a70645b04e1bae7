// Copyright 2026 the httpserver authors. MIT license.
/**
 * What the write path needs from its handler (the public members of
 * `SimpleHTTPRequestHandler`, nothing below them), and the responses it
 * sends through them: an error page with extra header fields, and a
 * success whose log line carries the size, in Python's format.
 * @module
 */
import type { HTTPMessage } from "../../message.ts";
import type { RFile } from "../rfile.ts";
import type { WFile } from "../wfile.ts";
import { connIO } from "../_http1/conn_io.ts";
import { NO_BODY_STATUS } from "../_http1/response_head.ts";
import type { UploadRefusal } from "./refusal.ts";

/** The kinds of write a handler may be asked to allow. */
export type WriteAction = "upload" | "mkdir" | "delete";

/** A committed upload, as the `uploadComplete()` hook gets it. */
export interface UploadInfo {
  /** The file's path on disk. */
  path: string;
  /** Its URL path (percent-encoded), as sent in `Location`. */
  url: string;
  /** Its size in bytes. */
  size: number;
  /** Whether it replaced a file. */
  replaced: boolean;
  /** The authenticated user, or null. */
  user: string | null;
}

/** The write settings of a handler, resolved from its options. */
export interface WriteSettings {
  /** Accept uploads and new folders. */
  upload: boolean;
  /** Let uploads replace files. */
  overwrite: boolean;
  /** Accept DELETE. */
  delete: boolean;
  /** Most bytes of one upload, or null. */
  maxUploadSize: number | null;
  /** Flush each upload to disk before committing it. */
  sync: boolean;
}

/** The handler members the write path uses. */
export interface WriteHost {
  command: string;
  path: string;
  requestVersion: string;
  headers: HTTPMessage;
  readonly rfile: RFile;
  readonly wfile: WFile;
  closeConnection: boolean;
  directory: string;
  serveDotfiles: boolean;
  followSymlinks: boolean;
  upload: boolean;
  sendError(code: number, message?: string | null): Promise<void>;
  /** The authenticated user of the request, or null. */
  user: string | null;
  sendResponseOnly(code: number, message?: string | null): void;
  sendHeader(keyword: string, value: string): void;
  endHeaders(): Promise<void>;
  logRequest(code?: number | string, size?: number | string): void;
  logError(format: string, ...args: unknown[]): void;
  versionString(): string;
  dateTimeString(timestamp?: number | Date | null): string;
  mayWrite(action: WriteAction, path: string): boolean | Promise<boolean>;
  uploadComplete(info: UploadInfo): void;
}

/** The status line, `Server` and `Date`, logged with `size`. */
export function beginResponse(
  host: WriteHost,
  code: number,
  size: number | string = "-",
  message?: string,
): void {
  host.logRequest(code, size);
  host.sendResponseOnly(code, message);
  host.sendHeader("Server", host.versionString());
  host.sendHeader("Date", host.dateTimeString());
}

/**
 * Sends the handler's error page for `code` through its `sendError()`,
 * with `headers` added after `Date` (the internal path the 416 answer's
 * `Content-Range` takes too).
 */
export async function sendErrorWith(
  host: WriteHost,
  code: number,
  message: string | null,
  headers: readonly [string, string][],
): Promise<void> {
  // The reason phrase may carry a client's file name: printable ASCII only.
  const text = message?.replace(/[^\x20-\x7e]/g, "?") ?? null;
  if (headers.length) connIO(host).errorHeaders = headers;
  await host.sendError(code, text);
}

/** Sends the error page of a refusal. */
export function sendRefusal(
  host: WriteHost,
  refusal: UploadRefusal,
): Promise<void> {
  return sendErrorWith(host, refusal.status, refusal.message, refusal.headers);
}

const encoder = new TextEncoder();

/** Sends a small complete response: `status`, `headers`, then `body`. */
export async function sendSmall(
  host: WriteHost,
  code: number,
  size: number | string,
  headers: readonly [string, string][],
  body: string,
  message?: string,
): Promise<void> {
  const bytes = encoder.encode(body);
  beginResponse(host, code, size, message);
  for (const [name, value] of headers) host.sendHeader(name, value);
  if (!NO_BODY_STATUS.has(code)) {
    host.sendHeader("Content-Length", String(bytes.length));
  }
  await host.endHeaders();
  if (bytes.length && host.command !== "HEAD") await host.wfile.write(bytes);
}
