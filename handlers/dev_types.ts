// Copyright 2026 the httpserver authors. MIT license.
/**
 * The public types of the development features of
 * `SimpleHTTPRequestHandler`: live reload, SPA fallback, the 404 page,
 * caching switches, cross-origin isolation and compression. All are off
 * unless asked for.
 * @module
 */

/**
 * A content coding the server can send: zstd, brotli (`br`) or gzip.
 *
 * @example Ask for brotli and gzip only
 * ```ts
 * import type { ContentCoding } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const codings: ContentCoding[] = ["br", "gzip"];
 * strictEqual(codings.length, 2);
 * ```
 */
export type ContentCoding = "zstd" | "br" | "gzip";

/**
 * Settings of live reload beyond turning it on.
 *
 * @example Ignore a build folder
 * ```ts
 * import type { LiveReloadOptions } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const live: LiveReloadOptions = { watchIgnore: ["dist/**", "*.log"] };
 * strictEqual(live.watchIgnore?.length, 2);
 * ```
 */
export interface LiveReloadOptions {
  /**
   * Globs (`node:path` `matchesGlob` syntax) of paths not to watch, added to
   * the default ignores (`.git`, `node_modules`, editor swap files...). A
   * glob without `/` is matched against each name, one with `/` against the
   * path below the served folder.
   * @default {[]}
   */
  watchIgnore?: string[];
  /**
   * Milliseconds between scans when the file system cannot be watched (the
   * system's watch limit is reached) and the server polls instead.
   * @default {1000}
   */
  pollInterval?: number;
}

/**
 * The development features of `SimpleHTTPRequestHandler`, each off by
 * default. With none of them set, every response is what Python's
 * `http.server` sends.
 *
 * @example A development server for a single-page app
 * ```ts
 * import type { DevOptions } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dev: DevOptions = {
 *   liveReload: true,
 *   spa: "index.html",
 *   cache: "no-cache",
 *   compress: true,
 * };
 * strictEqual(dev.spa, "index.html");
 * ```
 */
export interface DevOptions {
  /**
   * Reload pages when a file under the folder changes (a changed
   * stylesheet is swapped without a reload). A script is added to HTML
   * pages that browsers navigate to; it listens to an event stream under
   * the reserved path `/%00httpserver/`, which no file can have (a file
   * name cannot hold a NUL byte).
   * @default {false}
   */
  liveReload?: boolean | LiveReloadOptions;
  /**
   * For a GET or HEAD page navigation that matched nothing and whose last
   * segment has no extension (or `.html`), serve this file of the folder
   * with 200; `true` means `index.html`.
   * @default {false}
   */
  spa?: boolean | string;
  /**
   * The file of the folder sent, with status 404, to page navigations that
   * matched nothing.
   * @default {null}
   */
  notFoundPage?: string | null;
  /**
   * `Cache-Control` of file responses: `"no-cache"` (revalidate every time:
   * cheap 304s), `"no-store"`, or a number of seconds
   * (`public, max-age=N`; 0 means `no-cache`). `ETag` and `Last-Modified`
   * are always sent. A `Cache-Control` in `extraResponseHeaders` wins.
   * @default {null}
   */
  cache?: "no-cache" | "no-store" | number | null;
  /**
   * Globs of paths served `public, max-age=31536000, immutable` (never HTML
   * pages), for content-hashed names such as `assets/**`.
   * @default {[]}
   */
  immutable?: string[];
  /**
   * Send `Cross-Origin-Opener-Policy: same-origin`,
   * `Cross-Origin-Embedder-Policy` (this value; `true` means
   * `require-corp`) and `Cross-Origin-Resource-Policy: same-site` on every
   * response, so that pages are cross-origin isolated (`SharedArrayBuffer`,
   * wasm threads). Isolation needs a secure context: localhost or HTTPS.
   * @default {false}
   */
  isolate?: boolean | "require-corp" | "credentialless";
  /**
   * Compress responses of compressible types from 1 KiB on the fly, with
   * the coding the client prefers (ties: zstd, br, gzip), or with the
   * codings listed. Never a `Range` request, a 206, or the live-reload
   * stream; the result is cached, so `Content-Length` stays exact.
   * @default {false}
   */
  compress?: boolean | ContentCoding[];
  /**
   * Serve `name.zst`, `name.br` or `name.gz` beside `name` to clients that
   * accept it: only when `name` exists and the sidecar is not older, never
   * for `Range` requests or live-reload pages.
   * @default {false}
   */
  precompressed?: boolean | ContentCoding[];
  /**
   * The URL path the folder is served at, when a subclass serves it below a
   * prefix (its `translatePath()` maps `/prefix/x` to the file `x`): the
   * live-reload script and stream are served under it
   * (`/prefix/%00httpserver/`), the `spa` and `notFoundPage` files are
   * looked up through it, and `immutable` globs match paths below it.
   * @default {"/"}
   */
  basePath?: string;
}
