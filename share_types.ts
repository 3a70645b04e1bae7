// Copyright 2026 the httpserver authors. MIT license.
/**
 * The types of a running share ({@linkcode Share}) and of its events.
 * @module
 */
import type { HTTPServer } from "./server.ts";
import type { StopReason } from "./_share/autostop.ts";
import type { QrCode } from "./_share/qr.ts";

export type { RequestInfo } from "./_share/handler.ts";
export type { StopReason } from "./_share/autostop.ts";
export type { QrCode } from "./_share/qr.ts";

/** The detail of a share's `download` event. */
export interface DownloadInfo {
  /** The URL path downloaded (the secret shortened). */
  path: string;
  /** A file, or a folder archive. */
  kind: "file" | "archive";
}

/**
 * A running share. Events (`CustomEvent`s, `detail` in brackets):
 * `request` ({@linkcode RequestInfo}), `download` ({@linkcode DownloadInfo}),
 * `upload` (an `UploadInfo`: the file's path, URL, size, whether it replaced
 * one, the user), `authfailure` (an `AuthFailureInfo`: the client's
 * address, the user name sent, why), `idle` (the idle timeout passed),
 * `stop` ({@linkcode StopReason}).
 *
 * @example Listen for downloads
 * ```ts
 * import { shareDirectory } from "@x/httpserver/share";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "a");
 * {
 *   await using share = await shareDirectory({ directory: dir, port: 0, hostname: "127.0.0.1", quiet: true });
 *   const seen: string[] = [];
 *   share.addEventListener("download", (e) => seen.push((e as CustomEvent).detail.path));
 *   await (await fetch(share.url + "a.txt")).text();
 *   await new Promise((r) => setTimeout(r, 50));
 *   strictEqual(seen[0], "/a.txt");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export interface Share extends EventTarget, AsyncDisposable {
  /** The server (bound and serving). */
  readonly server: HTTPServer;
  /** The bound address. */
  readonly hostname: string;
  /** The bound port. */
  readonly port: number;
  /** The URL for other devices when one is known, else this machine's. */
  readonly url: string;
  /** The URL for other devices (the QR code's), or null when none is known. */
  readonly networkUrl: string | null;
  /** The URL to open on this machine. */
  readonly localUrl: string;
  /** Every URL the share is reachable at, the best one first. */
  readonly urls: readonly string[];
  /** The secret first path segment, or null. */
  readonly secret: string | null;
  /** The QR code of `url` (or of the URL given). */
  qr(url?: string): QrCode;
  /** Resolves once the share has stopped, with the reason. */
  readonly finished: Promise<StopReason>;
  /** Stops now (connections are closed) and resolves with the reason. */
  stop(): Promise<StopReason>;
}
