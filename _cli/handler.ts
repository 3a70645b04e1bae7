// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's request handler: a local subclass of
 * `SimpleHTTPRequestHandler` (or `CGIHTTPRequestHandler`) that passes the
 * command line's options to each instance, as Python's CLI passes
 * `directory=` through `finish_request`. Shared classes are never changed.
 * @module
 */
import type { Connection } from "../connection.ts";
import type {
  ClientAddress,
  HTTPServer,
  RequestHandlerClass,
} from "../server.ts";
import { SimpleHTTPRequestHandler } from "../handlers/simple.ts";
import { CGIHTTPRequestHandler } from "../handlers/cgi.ts";
import { connIO } from "../handlers/_http1/conn_io.ts";
import { isReserved } from "../handlers/_dev/dev.ts";
import type { CliConfig } from "./args.ts";

/**
 * The response fields a cross-origin script may read beyond the CORS-safelisted
 * ones (`Content-Length`, `Content-Type`, `Last-Modified`...): what a page
 * needs to resume or seek a download, revalidate, or name a saved file.
 */
const CORS_EXPOSED =
  "Accept-Ranges, Content-Range, Content-Disposition, ETag, Date, Location, Server";

/** Builds the handler class for `config`, serving `directory` (absolute). */
export function cliHandlerClass(
  config: CliConfig,
  directory: string,
): RequestHandlerClass {
  const options = {
    directory,
    extraResponseHeaders: config.headers,
    defaultContentType: config.contentType ?? undefined,
    followSymlinks: config.followSymlinks,
    serveDotfiles: config.dotfiles,
    upload: config.upload,
    overwrite: config.overwrite,
    delete: config.delete,
    maxUploadSize: config.maxUploadSize,
    auth: config.auth.length
      ? { accounts: config.auth, publicRead: config.publicRead }
      : null,
    ...config.dev,
  };
  const Base: typeof SimpleHTTPRequestHandler = config.cgi
    ? CGIHTTPRequestHandler
    : SimpleHTTPRequestHandler;
  const { protocol, quiet, cors } = config;
  const base = config.dev?.basePath;
  const methods = config.cgi
    ? "GET, HEAD, POST, OPTIONS"
    : "GET, HEAD, OPTIONS";

  class CLIRequestHandler extends Base {
    constructor(
      request: Connection,
      clientAddress: ClientAddress,
      server: HTTPServer,
    ) {
      super(request, clientAddress, server, options);
      // Per instance, unlike Python's CLI, which sets the class attribute.
      this.protocolVersion = protocol;
    }

    override logMessage(format: string, ...args: unknown[]): void {
      if (!quiet) super.logMessage(format, ...args);
    }

    override endHeaders(): Promise<void> {
      // Never on the live-reload stream: no other site may read it.
      if (cors && connIO(this).status >= 200 && !isReserved(this.path, base)) {
        this.sendHeader("Access-Control-Allow-Origin", "*");
        this.sendHeader("Access-Control-Expose-Headers", CORS_EXPOSED);
      }
      return super.endHeaders();
    }
  }
  if (!cors) return CLIRequestHandler;

  return class CORSRequestHandler extends CLIRequestHandler {
    /** Answers CORS preflight (and plain OPTIONS) requests with 204. */
    async doOPTIONS(): Promise<void> {
      this.sendResponse(204);
      this.sendHeader("Allow", methods);
      this.sendHeader("Access-Control-Allow-Methods", methods);
      const asked = this.headers.get("Access-Control-Request-Headers");
      if (asked) this.sendHeader("Access-Control-Allow-Headers", asked);
      this.sendHeader("Access-Control-Max-Age", "86400");
      await this.endHeaders();
    }
  };
}
