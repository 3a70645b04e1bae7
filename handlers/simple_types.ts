// Copyright 2026 the httpserver authors. MIT license.
/**
 * The public types of `SimpleHTTPRequestHandler`: its options and the body
 * `sendHead()` hands to `copyfile()`.
 * @module
 */
import type { DevOptions } from "./dev_types.ts";

/**
 * Options for `SimpleHTTPRequestHandler`, passed as the fourth
 * constructor argument, for example from a server's `finishRequest()` (as
 * Python's CLI passes `directory`).
 *
 * @example Per-connection options from the server
 * ```ts
 * import {
 *   type ClientAddress,
 *   type Connection,
 *   HTTPServer,
 *   SimpleHTTPRequestHandler,
 * } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/.env`, "SECRET=1");
 * class Quiet extends SimpleHTTPRequestHandler {
 *   override logMessage(): void {}
 * }
 * class Server extends HTTPServer {
 *   override async finishRequest(
 *     request: Connection,
 *     clientAddress: ClientAddress,
 *   ): Promise<void> {
 *     const handler = new Quiet(request, clientAddress, this, {
 *       directory: dir,
 *       serveDotfiles: false,
 *       extraResponseHeaders: [["Cache-Control", "no-cache"]],
 *     });
 *     await handler.setup();
 *     try {
 *       await handler.handle();
 *     } finally {
 *       await handler.finish();
 *     }
 *   }
 * }
 * {
 *   await using server = new Server(["127.0.0.1", 0], Quiet);
 *   server.serveForever();
 *   const base = `http://127.0.0.1:${server.serverPort}`;
 *   const hidden = await fetch(`${base}/.env`);
 *   await hidden.body?.cancel();
 *   strictEqual(hidden.status, 404);
 *   const listing = await fetch(`${base}/`);
 *   await listing.body?.cancel();
 *   strictEqual(listing.headers.get("cache-control"), "no-cache");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export interface SimpleHTTPRequestHandlerOptions extends DevOptions {
  /**
   * The folder to serve; relative paths resolve against the current
   * directory when files are opened.
   * @default {Deno.cwd()}
   */
  directory?: string;
  /**
   * Header fields added, in order, to 200 and 206 file responses and to
   * listings (Python 3.15's `-H`, gh-135056); repeats are allowed.
   * @default {[]}
   */
  extraResponseHeaders?: [string, string][];
  /**
   * The `Content-type` of files whose type cannot be guessed (gh-113471).
   * @default {"application/octet-stream"}
   */
  defaultContentType?: string;
  /**
   * Serve through symlinks whose real path leaves `directory`; by default
   * they get 404.
   * @default {false}
   */
  followSymlinks?: boolean;
  /**
   * Serve and list names that start with a dot; when false they are left out
   * of listings and get 404.
   * @default {true}
   */
  serveDotfiles?: boolean;
  /**
   * Accept uploads: raw `PUT /path/name` (resumable with `Content-Range`),
   * form `POST /folder/` (`multipart/form-data`), new folders (`MKCOL`, or a
   * form field `mkdir`). Listings get an upload form.
   * @default {false}
   */
  upload?: boolean;
  /**
   * Let uploads replace existing files (a `PUT` onto an existing file gets
   * 409 otherwise, and a form upload is stored as `name (1).ext`).
   * @default {false}
   */
  overwrite?: boolean;
  /**
   * Accept `DELETE` of files, symlinks and empty folders.
   * @default {false}
   */
  delete?: boolean;
  /**
   * Most bytes of one upload request (of the whole file for a resumable
   * one): 413 before the body is read when the request declares more, and
   * while reading otherwise. `null` for no limit.
   * @default {null}
   */
  maxUploadSize?: number | null;
  /**
   * HTTP Basic authentication for every request; `null` for none.
   * @default {null}
   */
  auth?: AuthOptions | null;
  /**
   * Origins (`https://app.example`) besides the server's own from which
   * browsers may send state-changing requests when uploads, deletes or
   * authentication are on; other origins get 403.
   * @default {[]}
   */
  trustedOrigins?: string[];
}

/**
 * HTTP Basic authentication for {@linkcode SimpleHTTPRequestHandlerOptions}.
 *
 * @example Anyone may read; uploads need a password
 * ```ts
 * import { HTTPServer, SimpleHTTPRequestHandler } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * class Share extends SimpleHTTPRequestHandler {
 *   override directory = dir;
 *   override upload = true;
 *   override auth = { accounts: [["ann", "s3cret"]] as [string, string][], publicRead: true };
 *   override logMessage(): void {}
 * }
 * {
 *   await using server = new HTTPServer(["127.0.0.1", 0], Share);
 *   server.serveForever();
 *   const url = `http://127.0.0.1:${server.serverPort}/note.txt`;
 *   const anonymous = await fetch(url, { method: "PUT", body: "hi" });
 *   await anonymous.body?.cancel();
 *   strictEqual(anonymous.status, 401);
 *   const ann = await fetch(url, {
 *     method: "PUT",
 *     body: "hi",
 *     headers: { Authorization: `Basic ${btoa("ann:s3cret")}` },
 *   });
 *   await ann.body?.cancel();
 *   strictEqual(ann.status, 201);
 *   const read = await fetch(url);
 *   strictEqual(await read.text(), "hi");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export interface AuthOptions {
  /**
   * `[user, secret]` pairs; a secret is a plain password, a bcrypt hash
   * (`$2a$`, `$2b$`, `$2y$`, as `htpasswd -B` writes) or an argon2id PHC
   * string (`$argon2id$...`).
   */
  accounts: [string, string][];
  /** Let anyone GET and HEAD (read and list); writes still need a login. */
  publicRead?: boolean;
  /** The realm browsers show in their login prompt. */
  realm?: string;
  /** Failed logins allowed per client address per window (10); then 429. */
  maxFailures?: number;
  /** The failure window in milliseconds (60,000). */
  windowMs?: number;
}

/**
 * A run of file bytes in a {@linkcode SimpleBody}: `start` inclusive, `end`
 * exclusive.
 *
 * @example The second kilobyte of a file
 * ```ts
 * import type { FileSpan } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const span: FileSpan = { start: 1024, end: 2048 };
 * strictEqual(span.end - span.start, 1024);
 * ```
 */
export interface FileSpan {
  /** First byte offset. */
  start: number;
  /** Offset after the last byte. */
  end: number;
}

/**
 * What `sendHead()` hands to `copyfile()` once the head is sent: the body as
 * pieces in order, each bytes in memory or a span of `file`. Whoever gets it
 * must close `file` (`doGET()` and `doHEAD()` do).
 *
 * @example A sendHead() that answers from memory
 * ```ts
 * import { SimpleHTTPRequestHandler, type SimpleBody } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { ok } from "node:assert/strict";
 *
 * class Hello extends SimpleHTTPRequestHandler {
 *   override async sendHead(): Promise<SimpleBody | null> {
 *     const bytes = new TextEncoder().encode("hello");
 *     this.sendResponse(200);
 *     this.sendHeader("Content-Length", String(bytes.length));
 *     await this.endHeaders();
 *     return { pieces: [bytes], file: null, length: bytes.length };
 *   }
 *   override logMessage(): void {}
 * }
 * const conn = await runHandler(Hello, "GET / HTTP/1.0\r\n\r\n");
 * ok(conn.text().endsWith("\r\n\r\nhello"));
 * ```
 */
export interface SimpleBody {
  /**
   * The pieces of the body, in order. Bytes may be shared with later
   * responses (the small-file cache holds them): read them, never modify
   * them.
   */
  pieces: (Uint8Array | FileSpan)[];
  /** The open file that the spans refer to, or null. */
  file: Deno.FsFile | null;
  /** The body length in bytes. */
  length: number;
}
