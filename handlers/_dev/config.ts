// Copyright 2026 the httpserver authors. MIT license.
/**
 * The development options of a handler, checked and compiled once per
 * options object: which codings, which `Cache-Control`, which headers go on
 * every response, where the live-reload hub is.
 * @module
 */
import { matchesGlob } from "node:path";
import type { ContentCoding, DevOptions } from "../dev_types.ts";
import type { FolderRules } from "../_files/containment.ts";
import type { Connection } from "../../connection.ts";
import { decodedPath } from "../_files/url.ts";
import { CODINGS } from "./encoding.ts";
import type { StreamHost } from "./events.ts";
import { ignoreRule } from "./watch.ts";

/** What the development features need of the handler. */
export interface DevHost extends StreamHost, FolderRules {
  readonly path: string;
  readonly request: Connection;
  readonly extraResponseHeaders: readonly [string, string][];
  readonly headers: {
    get(name: string): string | undefined;
    getAll(name: string): string[];
  };
  translatePath(path: string): string;
  guessType(path: string): string;
  sendError(code: number, message?: string | null): Promise<void>;
  logError(format: string, ...args: unknown[]): void;
}

/** Live reload's settings, once checked. */
export interface LiveConfig {
  ignored: (rel: string) => boolean;
  /** The user's globs, part of the hub's key. */
  globs: string[];
  pollInterval: number;
}

/** The compiled development options of a handler. */
export interface DevConfig {
  /** The URL path of the folder (`basePath`): `/`, or `/prefix/`. */
  base: string;
  live: LiveConfig | null;
  /** The SPA fallback file, relative to the folder, or null. */
  spa: string | null;
  /** The 404 page, relative to the folder, or null. */
  notFoundPage: string | null;
  compress: readonly ContentCoding[];
  precompressed: readonly ContentCoding[];
  /** False when `extraResponseHeaders` sets `Cache-Control` (it wins). */
  cacheHeader: boolean;
  /** Headers added to every final response (isolation, `Vary`). */
  always: [string, string][];
  /** The `Cache-Control` of a file response for `target`, or null. */
  cacheControlFor(target: string, html: boolean): string | null;
}

const YEAR = "public, max-age=31536000, immutable";

function codings(
  value: boolean | ContentCoding[] | undefined,
): ContentCoding[] {
  if (!value) return [];
  if (value === true) return [...CODINGS];
  for (const c of value) {
    if (!CODINGS.includes(c)) {
      throw new TypeError(`Unknown content coding: ${JSON.stringify(c)}`);
    }
  }
  // Server preference is always zstd, br, gzip; the list only selects.
  return CODINGS.filter((c) => value.includes(c));
}

function cacheValue(cache: DevOptions["cache"]): string | null {
  if (cache === undefined || cache === null) return null;
  if (cache === "no-cache" || cache === "no-store") return cache;
  if (typeof cache === "number" && Number.isSafeInteger(cache) && cache >= 0) {
    return cache === 0 ? "no-cache" : `public, max-age=${cache}`;
  }
  throw new TypeError(`Invalid cache setting: ${JSON.stringify(cache)}`);
}

function basePath(value: string | undefined): string {
  if (value === undefined) return "/";
  if (!value.startsWith("/") || /[?#\s]/.test(value)) {
    throw new TypeError(`Invalid basePath: ${JSON.stringify(value)}`);
  }
  return value.endsWith("/") ? value : value + "/";
}

/**
 * The decoded request path `target` below `base` (`/x` for `/prefix/x`),
 * or null when it is not below it.
 */
export function belowBase(base: string, target: string): string | null {
  const path = decodedPath(target);
  if (base === "/") return path;
  const prefix = decodedPath(base);
  return path.startsWith(prefix) ? path.slice(prefix.length - 1) : null;
}

function fileOption(name: string, value: string): string {
  const rel = value.replace(/^[/\\]+/, "");
  if (rel === "" || rel.split(/[/\\]/).includes("..")) {
    throw new TypeError(`Invalid ${name}: ${JSON.stringify(value)}`);
  }
  return rel;
}

/** Whether any development option is on. */
export function anyDevOption(o: DevOptions): boolean {
  return !!(o.liveReload || o.spa || o.notFoundPage ||
    o.cache !== undefined && o.cache !== null ||
    o.immutable?.length || o.isolate || o.compress || o.precompressed);
}

const DEV_KEYS = [
  "liveReload",
  "spa",
  "notFoundPage",
  "cache",
  "immutable",
  "isolate",
  "compress",
  "precompressed",
] as const satisfies readonly (keyof DevOptions)[];

/**
 * The development options among `o`'s fields (a wider options object), or
 * undefined when none is on.
 */
export function pickDevOptions(o: DevOptions): DevOptions | undefined {
  if (!anyDevOption(o)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of DEV_KEYS) if (o[key] !== undefined) out[key] = o[key];
  return out as DevOptions;
}

/**
 * Checks and compiles `options` (with the handler's `extraResponseHeaders`,
 * whose fields win over ours); null when no development option is on.
 * Throws a `TypeError` for a bad value.
 */
export function compileDev(
  options: DevOptions,
  extraResponseHeaders: readonly [string, string][] = [],
): DevConfig | null {
  if (!anyDevOption(options)) return null;
  const given = new Set(extraResponseHeaders.map(([n]) => n.toLowerCase()));
  const live = options.liveReload
    ? (() => {
      const o = options.liveReload === true ? {} : options.liveReload;
      const globs = [...(o.watchIgnore ?? [])];
      const pollInterval = o.pollInterval ?? 1000;
      if (!(pollInterval >= 50)) {
        throw new TypeError(`Invalid pollInterval: ${pollInterval}`);
      }
      return { ignored: ignoreRule(globs), globs, pollInterval };
    })()
    : null;
  const always: [string, string][] = [];
  if (options.isolate) {
    const coep = options.isolate === true ? "require-corp" : options.isolate;
    if (coep !== "require-corp" && coep !== "credentialless") {
      throw new TypeError(`Invalid isolate: ${JSON.stringify(coep)}`);
    }
    always.push(
      ["Cross-Origin-Opener-Policy", "same-origin"],
      ["Cross-Origin-Embedder-Policy", coep],
      ["Cross-Origin-Resource-Policy", "same-site"],
    );
  }
  const compress = codings(options.compress);
  const precompressed = codings(options.precompressed);
  if (compress.length || precompressed.length) {
    always.push(["Vary", "Accept-Encoding"]);
  }
  const cacheHeader = !given.has("cache-control");
  const cache = cacheValue(options.cache);
  const immutable = [...(options.immutable ?? [])].map((g) =>
    g.replace(/^\/+/, "")
  );
  const base = basePath(options.basePath);
  return {
    base,
    live,
    spa: options.spa
      ? fileOption("spa", options.spa === true ? "index.html" : options.spa)
      : null,
    notFoundPage: options.notFoundPage
      ? fileOption("notFoundPage", options.notFoundPage)
      : null,
    compress,
    precompressed,
    cacheHeader,
    always: always.filter(([n]) => !given.has(n.toLowerCase())),
    cacheControlFor(target: string, html: boolean): string | null {
      if (!cacheHeader) return null;
      if (immutable.length && !html) {
        const rel = (belowBase(base, target) ?? "").replace(/^\/+/, "");
        const name = rel.slice(rel.lastIndexOf("/") + 1);
        for (const g of immutable) {
          if (matchesGlob(g.includes("/") ? rel : name, g)) return YEAR;
        }
      }
      return cache;
    },
  };
}

const compiled = new WeakMap<object, DevConfig | null>();

/** {@linkcode compileDev}, once per options object. */
export function devConfigFor(
  options: DevOptions,
  extraResponseHeaders: readonly [string, string][] = [],
): DevConfig | null {
  if (!anyDevOption(options)) return null;
  let config = compiled.get(options);
  if (config === undefined) {
    compiled.set(options, config = compileDev(options, extraResponseHeaders));
  }
  return config;
}
