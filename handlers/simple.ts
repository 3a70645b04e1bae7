// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode SimpleHTTPRequestHandler}: Python's file-serving handler, with
 * conditional and Range requests, streaming of large files, and containment
 * of symlinks and dotfiles. Its hooks call into `_files/` (a file
 * response's head is `_files/file_head.ts`) and, when a development option
 * is on, into `_dev/dev.ts`.
 * @module
 */
import type { Connection } from "../connection.ts";
import type { ClientAddress, HTTPServer } from "../server.ts";
import { connIO } from "./_http1/conn_io.ts";
import { VERSION } from "./constants.ts";
import type {
  AuthOptions,
  SimpleBody,
  SimpleHTTPRequestHandlerOptions,
} from "./simple_types.ts";
import type { UploadInfo, WriteAction } from "./_upload/host.ts";
import type { AuthFailureInfo } from "./_auth/gate.ts";
import {
  type Admission,
  admit,
  featuresOn,
  serveWrite,
  takeSharingOptions,
} from "./_upload/admit.ts";
import { uploadFormHtml } from "./_upload/form.ts";
import { BaseHTTPRequestHandler } from "./base.ts";
import { WFile } from "./wfile.ts";
import { decodedPath, endsWithSlash, translateUrlPath } from "./_files/url.ts";
import { currentDirectory, servedFolder } from "./_files/containment.ts";
import { fileCache } from "./_files/file_cache.ts";
import { EXTENSIONS_MAP, lookupType } from "./_files/mime.ts";
import { listedOr404, renderListing, sendListing } from "./_files/listing.ts";
import { copyBody } from "./_files/file_body.ts";
import { notFound, sendFileHead } from "./_files/file_head.ts";
import { indexPage, sendSlashRedirect } from "./_files/folder.ts";
import { type DevConfig, devConfigFor } from "./_dev/config.ts";
import {
  fileVariants,
  sendAlwaysHeaders,
  sendDevListing,
  sendNotFound,
  serveReserved,
  spaFallback,
} from "./_dev/dev.ts";

export type { FileSpan, SimpleBody } from "./simple_types.ts";
export type {
  AuthOptions,
  SimpleHTTPRequestHandlerOptions,
} from "./simple_types.ts";
export type { UploadInfo, WriteAction } from "./_upload/host.ts";
export type { AuthFailureInfo } from "./_auth/gate.ts";

/**
 * Serves the files of `directory` (by default the current directory) for GET
 * and HEAD as CPython 3.14's `SimpleHTTPRequestHandler` does: index pages,
 * directory listings, the trailing-slash redirect, `If-Modified-Since`. On
 * top of that: `ETag`, `If-None-Match`, `If-Match`, `If-Unmodified-Since`,
 * `Range` and `If-Range` (RFC 9110), large files streamed through a fixed
 * buffer, and refusal (404) of symlinks that leave `directory`.
 *
 * @example Serve a folder
 * ```ts
 * import { HTTPServer, SimpleHTTPRequestHandler } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/hello.txt`, "Hello\n");
 * class Handler extends SimpleHTTPRequestHandler {
 *   override directory = dir;
 *   override logMessage(): void {}
 * }
 * {
 *   await using server = new HTTPServer(["127.0.0.1", 0], Handler);
 *   server.serveForever();
 *   const res = await fetch(`http://127.0.0.1:${server.serverPort}/hello.txt`);
 *   strictEqual(res.headers.get("content-type"), "text/plain");
 *   strictEqual(await res.text(), "Hello\n");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class SimpleHTTPRequestHandler extends BaseHTTPRequestHandler {
  /** The product token of the `Server` header. */
  override serverVersion: string = "SimpleHTTP/" + VERSION;
  /** The folder served. */
  directory: string;
  /** Names tried, in order, as a folder's index page (regular files only). */
  indexPages: string[] = ["index.html", "index.htm"];
  /** Extension -> content type, consulted before the mime-db table. */
  extensionsMap: Record<string, string> = { ...EXTENSIONS_MAP };
  /** The content type of files whose type cannot be guessed. */
  defaultContentType = "application/octet-stream";
  /** Headers added to 200/206 file responses and listings, in order. */
  extraResponseHeaders: [string, string][] = [];
  /** Serve through symlinks whose real path leaves `directory`. */
  followSymlinks = false;
  /** Serve and list names that start with a dot. */
  serveDotfiles = true;
  /** Accept uploads and new folders (see the options). */
  upload = false;
  /** Let uploads replace existing files. */
  overwrite = false;
  /** Accept `DELETE` of files and empty folders. */
  delete = false;
  /** Most bytes of one upload, or null for no limit. */
  maxUploadSize: number | null = null;
  /** HTTP Basic authentication for every request, or null. */
  auth: AuthOptions | null = null;
  /** Other origins allowed to send state-changing requests. */
  trustedOrigins: string[] = [];
  /** The user whose credentials the current request carried, or null. */
  user: string | null = null;

  #admission: Admission = { gated: false, plan: null };

  /** Set by `sendHead()` for a full 200 file body, cleared by `doGET()`. */
  #fullFile = false;
  /** The development options (see `DevOptions`), or null when all are off. */
  #dev: DevConfig | null;

  /** Called by the server for each connection, as in Python. */
  constructor(
    request: Connection,
    clientAddress: ClientAddress,
    server: HTTPServer,
    options: SimpleHTTPRequestHandlerOptions = {},
  ) {
    super(request, clientAddress, server);
    this.directory = options.directory ?? currentDirectory();
    if (options.extraResponseHeaders) {
      this.extraResponseHeaders = [...options.extraResponseHeaders];
    }
    if (options.defaultContentType !== undefined) {
      this.defaultContentType = options.defaultContentType;
    }
    if (options.followSymlinks !== undefined) {
      this.followSymlinks = options.followSymlinks;
    }
    if (options.serveDotfiles !== undefined) {
      this.serveDotfiles = options.serveDotfiles;
    }
    this.#dev = devConfigFor(options, this.extraResponseHeaders);
    takeSharingOptions(this, options);
  }

  /**
   * Parses the request; with uploads, deletes or authentication on, then
   * checks origin, credentials and the upload before any `doVERB` runs.
   */
  override parseRequest(): Promise<boolean> {
    // Off, it is the base class's call: no extra frame or allocation.
    if (!featuresOn(this)) return super.parseRequest();
    this.#admission = { gated: false, plan: null };
    return this.#parseAndAdmit();
  }

  async #parseAndAdmit(): Promise<boolean> {
    if (!await super.parseRequest()) return false;
    return await admit(this, this.#admission, true);
  }

  /** Refuses a write before `100 Continue` when it cannot succeed. */
  override async handleExpect100(): Promise<boolean> {
    if (featuresOn(this) && !await admit(this, this.#admission, true)) {
      return false;
    }
    return await super.handleExpect100();
  }

  /** Stores the body as the file the path names (with `upload`). */
  async doPUT(): Promise<void> {
    await serveWrite(this, this.#admission);
  }

  /** Stores the files of a form posted to a folder (with `upload`). */
  async doPOST(): Promise<void> {
    await serveWrite(this, this.#admission);
  }

  /** Creates the folder the path names (with `upload`). */
  async doMKCOL(): Promise<void> {
    await serveWrite(this, this.#admission);
  }

  /** Deletes the file or empty folder the path names (with `delete`). */
  async doDELETE(): Promise<void> {
    await serveWrite(this, this.#admission);
  }

  /**
   * Decides whether the current request may write `path`; false answers
   * 403. Override it to add rules (by user, by name, by size...); by
   * default every write the options allow is allowed.
   * @param action `upload` (a file), `mkdir` or `delete`.
   * @param path The file-system path to be written.
   * @returns Whether to go on, or a promise of it.
   *
   * @example Accept uploads, but no executables; note what arrives
   * ```ts
   * import {
   *   HTTPServer,
   *   SimpleHTTPRequestHandler,
   *   type UploadInfo,
   * } from "@x/httpserver";
   * import { deepStrictEqual } from "node:assert/strict";
   *
   * const dir = await Deno.makeTempDir();
   * const received: string[] = [];
   * class Inbox extends SimpleHTTPRequestHandler {
   *   override directory = dir;
   *   override upload = true;
   *   override mayWrite(_action: string, path: string): boolean {
   *     return !path.endsWith(".exe");
   *   }
   *   override uploadComplete(info: UploadInfo): void {
   *     received.push(`${info.url} ${info.size}`);
   *   }
   *   override logMessage(): void {}
   * }
   * {
   *   await using server = new HTTPServer(["127.0.0.1", 0], Inbox);
   *   server.serveForever();
   *   const base = `http://127.0.0.1:${server.serverPort}`;
   *   for (const name of ["notes.txt", "tool.exe"]) {
   *     const res = await fetch(`${base}/in/${name}`, { method: "PUT", body: "hi" });
   *     await res.body?.cancel();
   *   }
   * }
   * deepStrictEqual(received, ["/in/notes.txt 2"]);
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  mayWrite(action: WriteAction, path: string): boolean | Promise<boolean> {
    void action, path;
    return true;
  }

  /**
   * Called once an upload is committed under its name. Does nothing by
   * default (the request's log line already carries the size).
   * @param info The file's path, URL, size, and who sent it.
   */
  uploadComplete(info: UploadInfo): void {
    void info;
  }

  /**
   * Called when a request's credentials are wrong, malformed, or sent by
   * a client that failed too often. Does nothing by default (the 401 or
   * 429 is logged); the password is never passed.
   * @param info The client's address, the user name sent, and why.
   */
  authFailure(info: AuthFailureInfo): void {
    void info;
  }

  /**
   * Serves a GET request: the head from `sendHead()`, then the body through
   * `copyfile()` (straight to the connection when it is not overridden).
   * @returns Resolves once the response is written and the file closed.
   */
  async doGET(): Promise<void> {
    this.#fullFile = false;
    const body = await this.sendHead();
    if (!body) return;
    let complete = true;
    try {
      // `wfile` is a stream made on first use: skip making it when
      // `copyfile()` is not overridden.
      if (this.copyfile === SimpleHTTPRequestHandler.prototype.copyfile) {
        complete = await copyBody(this, body, null);
      } else await this.copyfile(body, this.wfile);
    } finally {
      body.file?.close();
    }
    if (complete && this.#fullFile) {
      this.#fullFile = false;
      this.downloadComplete(this.path);
    }
  }

  /**
   * Called after the last byte of a full `200` file body was handed to the
   * connection (not for HEAD, 304, partial ranges, listings, or a body cut
   * short). Does nothing by default; override it to count downloads.
   * @param path The request target, as sent.
   */
  downloadComplete(path: string): void {
    void path;
  }

  /**
   * Serves a HEAD request: the head from `sendHead()` only.
   * @returns Resolves once the head is written and the file closed.
   */
  async doHEAD(): Promise<void> {
    const body = await this.sendHead();
    body?.file?.close();
  }

  /**
   * Sends the response head for the request's path (`this.path`, mapped by
   * `translatePath()`): a file, a folder's index page or its listing
   * (`listDirectory()`), the trailing-slash redirect, or an error.
   * @returns The body still to send (its `file`, when not null, is open and
   * the caller must close it), or null when the response is complete: an
   * error, a redirect, 304, 412 or 416.
   */
  async sendHead(): Promise<SimpleBody | null> {
    const dev = this.#dev;
    if (dev?.live && await serveReserved(dev, this)) return null;
    let path = this.translatePath(this.path);
    // Stats it after the safety checks, through the small-file cache.
    let found = fileCache.lookup(path, this);
    if (found?.info.isDirectory) {
      if (!endsWithSlash(this.path)) return await sendSlashRedirect(this);
      const index = indexPage(this, path);
      if (!index) return await this.listDirectory(path);
      path = index.key;
      found = index;
    }
    let ctype = this.guessType(path);
    if (!found || path.endsWith("/") || !found.info.isFile) {
      const spa = dev && !found ? spaFallback(dev, this) : null;
      if (!spa) return await (dev ? sendNotFound(dev, this) : notFound(this));
      ({ path, found } = spa);
      ctype = this.guessType(path);
    }
    const variants = dev && fileVariants(dev, this, found, ctype);
    const body = await sendFileHead(this, found, ctype, variants);
    this.#fullFile = body !== null && this.command === "GET" &&
      connIO(this).status === 200;
    return body;
  }

  /**
   * Sends the head of a listing of the folder `path` (CPython 3.14's HTML;
   * dotfiles and links that leave `directory` hidden as the options say).
   * @param path The folder's file-system path, from `translatePath()`.
   * @returns The listing's body, or null when the folder cannot be read:
   * then 404 `No permission to list directory` has been sent.
   */
  async listDirectory(path: string): Promise<SimpleBody | null> {
    const entries = await listedOr404(this, path, servedFolder(this));
    if (entries === null) return null;
    const bytes = renderListing(
      decodedPath(this.path),
      entries,
      "utf-8",
      this.upload ? uploadFormHtml() : "",
    );
    if (this.#dev) return await sendDevListing(this.#dev, this, bytes);
    return await sendListing(this, bytes);
  }

  /**
   * Python 3.14's `translate_path()`: the file-system path for a request
   * path, below `directory`. The query and fragment are dropped, `%XX` is
   * decoded as UTF-8, `.` and `..` are resolved without climbing above
   * `directory`, and a trailing `/` (or `%2f`) is kept.
   * @param path The request target, as `this.path` holds it.
   * @returns The file-system path, not yet checked (symlinks, dotfiles are
   * checked when it is opened).
   */
  translatePath(path: string): string {
    return translateUrlPath(path, this.directory);
  }

  /**
   * The content type for `path`: `extensionsMap` by exact then lower-case
   * extension, then the mime-db table, else `defaultContentType`.
   * @param path A file-system or URL path; only its extension is read.
   * @returns The `Content-type` value to send.
   */
  guessType(path: string): string {
    return lookupType(path, this.extensionsMap, this.defaultContentType);
  }

  /**
   * Writes `source` to `outputfile` (normally `this.wfile`). A file that
   * ends early (it shrank while being sent) or cannot be read ends the
   * response: the error is logged and the connection closed, so the client
   * sees a short body rather than a wrong one.
   * @param source The body `sendHead()` returned; its file stays open.
   * @param outputfile Where to write it: `this.wfile`, or a stream of yours.
   * @returns Resolves once the body is written.
   * @throws {Error} What writing to `outputfile` throws, such as a client
   * that went away.
   */
  async copyfile(
    source: SimpleBody,
    outputfile: WritableStream<Uint8Array>,
  ): Promise<void> {
    await copyBody(
      this,
      source,
      outputfile instanceof WFile ? null : outputfile,
    );
  }

  /** Adds the development features' headers (isolation, `Vary`). */
  override endHeaders(): Promise<void> {
    if (this.#dev) sendAlwaysHeaders(this.#dev, this);
    return super.endHeaders();
  }
}
