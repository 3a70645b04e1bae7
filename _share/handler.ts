// Copyright 2026 the httpserver authors. MIT license.
/**
 * The share's request handler: a subclass of the served handler class
 * (`SimpleHTTPRequestHandler`, the CLI's, or a CGI one) that adds only the
 * features switched on, so a feature that is off costs nothing: the secret
 * path prefix, folder archives, the rich and JSON listings, the page's QR
 * code, 503 while the share drains, and the request signals that auto-stop
 * and the share's events need. Built from plain data ({@linkcode
 * ShareFeatures}) plus callbacks, so another isolate can rebuild it.
 * @module
 */
import type { Connection } from "../connection.ts";
import type {
  ClientAddress,
  HTTPServer,
  RequestHandlerClass,
} from "../server.ts";
import type {
  AuthFailureInfo,
  SimpleHTTPRequestHandler,
  UploadInfo,
} from "../handlers/simple.ts";
import { uploadFormHtml } from "../handlers/_upload/form.ts";
import type { SimpleBody } from "../handlers/simple_types.ts";
import { connIO } from "../handlers/_http1/conn_io.ts";
import { ConnState } from "../_conn_state.ts";
import { decodedPath, splitTarget } from "../handlers/_files/url.ts";
import { servedFolder, statServed } from "../handlers/_files/containment.ts";
import {
  listedOr404,
  renderListing,
  sendListing,
} from "../handlers/_files/listing.ts";
import {
  archiveFormat,
  archiveName,
  sendArchive,
} from "../handlers/_archive/respond.ts";
import { parseListingQuery, selectPage } from "../handlers/_listing/entries.ts";
import { renderJsonListing, wantsJson } from "../handlers/_listing/json.ts";
import { renderRichListing } from "../handlers/_listing/rich.ts";
import type { DevOptions } from "../handlers/dev_types.ts";
import { devConfigFor } from "../handlers/_dev/config.ts";
import { sendDevListing } from "../handlers/_dev/dev.ts";
import { secretPath, stripSecret } from "./secret.ts";
import { qrSvg } from "./qr.ts";

/** Which share features the handler has: plain, structured-cloneable data. */
export interface ShareFeatures {
  /** `?zip`, `?tar`, `?tar=gz` on folders. */
  archive: boolean;
  /**
   * `null`: Python's page only. `"python"` or `"rich"`: that page, and the
   * JSON listing for `?json` or `Accept: application/json`.
   */
  listing: "python" | "rich" | null;
  /** The secret first path segment (`--random-path`), or null. */
  secret: string | null;
  /**
   * The handler's development options (with the secret as `basePath`), or
   * null: listings get their extras (live-reload script, `Cache-Control`,
   * compression).
   */
  dev: DevOptions | null;
  /**
   * `scheme://host:port` for the rich page's QR code, or null; may be set
   * after the class is made (the port is known once bound).
   */
  qrOrigin: string | null;
}

/** A request as the share's `request` event reports it. */
export interface RequestInfo {
  /** The method. */
  method: string;
  /** The request target (the secret prefix shortened). */
  path: string;
  /** The response status (0 when none was sent). */
  status: number;
  /** The client's address. */
  client: string;
}

/**
 * A request being served: whether it is in flight now (`ConnState`'s
 * meaning: a long-lived stream, such as live reload's, is not).
 */
export interface InFlight {
  readonly inFlight: boolean;
}

/** Callbacks of the share; each is optional. */
export interface ShareSignals {
  /** A request line arrived; `request` tells while it runs whether it is in flight. */
  requestStarted?(request: InFlight): void;
  /** A request ended (its response sent, or the connection gone). */
  requestFinished?(info: RequestInfo, request: InFlight): void;
  /** The last byte of a full 200 file or archive body was sent. */
  downloadComplete?(path: string, kind: "file" | "archive"): void;
  /** An upload was committed under its name (`info.url`: its URL path). */
  uploadComplete?(info: UploadInfo): void;
  /** A request's credentials were wrong, malformed, or throttled. */
  authFailure?(info: AuthFailureInfo): void;
  /** Whether the share is stopping: new requests then get 503. */
  draining?(): boolean;
}

/** `/k3Jf…` shortened for logs: the secret is never logged in full. */
export function redactSecret(text: string, secret: string | null): string {
  return secret ? text.replaceAll(secret, secret.slice(0, 4) + "…") : text;
}

/**
 * `Base` with the features switched on in `features`, and the request
 * signals when `signals` has any; `Base` itself when nothing is on.
 */
export function withShareFeatures(
  Base: typeof SimpleHTTPRequestHandler,
  features: ShareFeatures,
  signals: ShareSignals = {},
): RequestHandlerClass {
  const { archive, listing, secret } = features;
  const tracked = Object.keys(signals).length > 0;
  if (!archive && listing === null && secret === null && !tracked) return Base;

  class ShareRequestHandler extends Base {
    #started = false;
    /** The connection's state: whether its request is in flight. */
    #request: InFlight | null = null;

    constructor(
      request: Connection,
      clientAddress: ClientAddress,
      server: HTTPServer,
    ) {
      super(request, clientAddress, server);
    }

    override async handleOneRequest(): Promise<void> {
      this.#started = false;
      try {
        await super.handleOneRequest();
      } finally {
        if (this.#started) {
          signals.requestFinished?.({
            method: this.command,
            path: redactSecret(this.path, secret),
            status: connIO(this).status,
            client: this.clientAddress[0],
          }, this.#request!);
        }
      }
    }

    override async parseRequest(): Promise<boolean> {
      this.#started = true;
      this.#request ??= ConnState.of(this.request) ?? { inFlight: true };
      signals.requestStarted?.(this.#request);
      if (!await super.parseRequest()) return false;
      if (signals.draining?.()) {
        this.closeConnection = true;
        await this.sendError(503, "The share is stopping");
        return false;
      }
      if (secret === null) return true;
      const rest = stripSecret(this.path, secret);
      if (rest === null) {
        await this.sendError(404, "File not found");
        return false;
      }
      if (!rest.startsWith("/")) {
        this.sendResponse(301);
        this.sendHeader("Location", `/${secret}/${rest}`);
        this.sendHeader("Content-Length", "0");
        await this.endHeaders();
        return false;
      }
      return true;
    }

    override translatePath(path: string): string {
      if (secret === null) return super.translatePath(path);
      const rest = stripSecret(path, secret);
      return super.translatePath(rest?.startsWith("/") ? rest : "/\0");
    }

    override logMessage(format: string, ...args: unknown[]): void {
      super.logMessage(
        format,
        ...args.map((a) => typeof a === "string" ? redactSecret(a, secret) : a),
      );
    }

    override async doGET(): Promise<void> {
      if (archive && await this.#sendArchive()) return;
      await super.doGET();
    }

    override async doHEAD(): Promise<void> {
      if (archive && await this.#sendArchive()) return;
      await super.doHEAD();
    }

    override downloadComplete(path: string): void {
      super.downloadComplete(path);
      signals.downloadComplete?.(redactSecret(path, secret), "file");
    }

    /** Sends the archive a folder URL asks for; false when it asks none. */
    async #sendArchive(): Promise<boolean> {
      const { path: urlPath, query } = splitTarget(this.path);
      const format = archiveFormat(query);
      if (format === null || !urlPath.endsWith("/")) return false;
      const path = this.translatePath(this.path);
      const folder = servedFolder(this);
      if (!statServed(path, folder)?.info.isDirectory) return false;
      if (format === "unsupported") {
        await this.sendError(400, "Unsupported archive format");
        return true;
      }
      const shown = decodedPath(this.path);
      const complete = await sendArchive(this, {
        format,
        path,
        name: archiveName(
          secret ? (stripSecret(shown, secret) ?? shown) : shown,
          this.directory,
        ),
        folder,
        write: (bytes) => connIO(this).write(bytes),
      });
      if (complete) {
        await this.wfile.flush();
        signals.downloadComplete?.(redactSecret(this.path, secret), "archive");
      }
      return true;
    }

    override uploadComplete(info: UploadInfo): void {
      super.uploadComplete(info);
      signals.uploadComplete?.({
        ...info,
        url: redactSecret(info.url, secret),
      });
    }

    override authFailure(info: AuthFailureInfo): void {
      super.authFailure(info);
      signals.authFailure?.(info);
    }

    override async listDirectory(path: string): Promise<SimpleBody | null> {
      if (listing === null) return await super.listDirectory(path);
      const entries = await listedOr404(this, path, servedFolder(this));
      if (entries === null) return null;
      const { path: urlPath, query: search } = splitTarget(this.path);
      const query = parseListingQuery(search);
      let bytes: Uint8Array;
      let type = "text/html; charset=utf-8";
      if (wantsJson(this.headers.get("Accept"), query.json)) {
        const all = selectPage(path, entries, query, Infinity);
        bytes = renderJsonListing(urlPath, all.entries);
        type = "application/json";
      } else if (listing === "rich") {
        const displayPath = decodedPath(this.path);
        bytes = renderRichListing({
          displayPath,
          basePath: secretPath(secret),
          query,
          page: selectPage(path, entries, query),
          archive,
          uploadForm: this.upload ? uploadFormHtml() : null,
          // Known once the server is bound: read per request.
          qrSvg: features.qrOrigin ? qrSvg(features.qrOrigin + urlPath) : null,
        });
      } else {
        bytes = renderListing(
          decodedPath(this.path),
          entries,
          "utf-8",
          this.upload ? uploadFormHtml() : "",
        );
      }
      const dev = features.dev &&
        devConfigFor(features.dev, this.extraResponseHeaders);
      if (dev) return await sendDevListing(dev, this, bytes, type, true);
      return await sendListing(this, bytes, type, true);
    }
  }
  return ShareRequestHandler;
}
