// Copyright 2026 the httpserver authors. MIT license.
/**
 * What `SimpleHTTPRequestHandler` calls when development features are on:
 * the reserved live-reload paths, the SPA fallback and the 404 page for
 * requests that matched nothing, the representation of a file (chosen by
 * `represent.ts`), the extras of directory listings, and the headers of
 * every response.
 * @module
 */
import type { CachedLookup } from "../_files/file_cache.ts";
import { fileCache } from "../_files/file_cache.ts";
import { realRoot } from "../_files/containment.ts";
import { splitTarget } from "../_files/url.ts";
import { splitExt } from "../_files/mime.ts";
import {
  type ChooseVariant,
  notFound,
  sendHeaders,
} from "../_files/file_head.ts";
import { connIO } from "../_http1/conn_io.ts";
import type { SimpleBody } from "../simple_types.ts";
import { CLIENT_SOURCE } from "./client.ts";
import {
  compressible,
  encode,
  MIN_COMPRESS_SIZE,
  negotiate,
  noTransform,
} from "./encoding.ts";
import { serveEvents, type StreamHooks } from "./events.ts";
import {
  CLIENT_NAME,
  EVENTS_NAME,
  inject,
  injectionRefused,
  isNavigation,
  LIVE_SEGMENT,
  snippet,
  SNIPPET_VERSION,
} from "./inject.ts";
import { BOOT_ID, type LiveHub, liveHub } from "./live_hub.ts";
import { acceptHeader, chooseRepresentation, readWhole } from "./represent.ts";
import { streamHooks } from "./hooks.ts";
import { belowBase, type DevConfig, type DevHost } from "./config.ts";

const encoder = new TextEncoder();
const CLIENT_BYTES = encoder.encode(CLIENT_SOURCE);
const CLIENT_ETAG = `"lr${SNIPPET_VERSION}-${
  CLIENT_BYTES.length.toString(16)
}"`;

/**
 * Whether `target` is under the reserved live-reload prefix of the folder
 * served at `base` (`/%00httpserver/` by default).
 */
export function isReserved(target: string, base = "/"): boolean {
  return target.startsWith(base) &&
    target.startsWith(LIVE_SEGMENT, base.length);
}

/**
 * Answers a request under the reserved prefix: the client script, the
 * event stream, else 404; false for any other path, and for every path when
 * live reload is off (nothing is reserved then).
 */
export async function serveReserved(
  dev: DevConfig,
  host: DevHost,
  hooks?: StreamHooks,
): Promise<boolean> {
  if (!dev.live || !isReserved(host.path, dev.base)) return false;
  const name = splitTarget(host.path).path.slice(
    dev.base.length + LIVE_SEGMENT.length,
  );
  if (name === EVENTS_NAME) {
    await serveEvents(
      host,
      hubOf(dev, host),
      hooks ?? streamHooks(host.request),
    );
    return true;
  }
  if (name !== CLIENT_NAME) {
    await host.sendError(404, "File not found");
    return true;
  }
  const inm = host.headers.get("If-None-Match");
  const fresh = inm !== undefined &&
    inm.split(",").some((t) => t.trim() === CLIENT_ETAG);
  host.sendResponse(fresh ? 304 : 200);
  if (!fresh) {
    host.sendHeader("Content-Type", "text/javascript; charset=utf-8");
    host.sendHeader("Content-Length", String(CLIENT_BYTES.length));
  }
  host.sendHeader("Cache-Control", "no-cache");
  host.sendHeader("ETag", CLIENT_ETAG);
  await host.endHeaders();
  if (!fresh && host.command !== "HEAD") await host.wfile.write(CLIENT_BYTES);
  return true;
}

/**
 * The representation of the file `found` (of type `ctype`) to send for the
 * handler's request, chosen from the file's validators (see `represent.ts`).
 */
export function fileVariants(
  dev: DevConfig,
  host: DevHost,
  found: CachedLookup,
  ctype: string,
): ChooseVariant {
  return (v) => chooseRepresentation(dev, host, found, ctype, v);
}

/** Adds the headers of every final response (isolation, `Vary`). */
export function sendAlwaysHeaders(dev: DevConfig, host: DevHost): void {
  if (dev.always.length && connIO(host).status >= 200) {
    sendHeaders(host, dev.always);
  }
}

/** The live-reload hub of the handler's folder. */
export function hubOf(dev: DevConfig, host: DevHost): LiveHub {
  const live = dev.live!;
  const root = realRoot(host.directory) ?? host.directory;
  const key = `${root}\0${JSON.stringify(live.globs)}\0${live.pollInterval}`;
  return liveHub(key, {
    root,
    ignored: live.ignored,
    pollInterval: live.pollInterval,
  });
}

/** The SPA file to serve instead of a 404, and its path. */
export interface SpaFallback {
  path: string;
  found: CachedLookup;
}

function navigationTarget(host: DevHost): boolean {
  return (host.command === "GET" || host.command === "HEAD") &&
    isNavigation((name) => host.headers.get(name));
}

/**
 * For a request that matched nothing: the SPA file when the request is a
 * page navigation (GET or HEAD, `Sec-Fetch-Dest: document`, else `Accept:
 * text/html`) whose last segment has no extension or is `.html`/`.htm`,
 * outside dot folders and `/.well-known/`; null otherwise.
 */
export function spaFallback(dev: DevConfig, host: DevHost): SpaFallback | null {
  if (!dev.spa || !navigationTarget(host)) return null;
  const url = belowBase(dev.base, host.path);
  if (url === null) return null;
  const segments = url.split("/");
  if (segments.some((s) => s.startsWith("."))) return null;
  const ext = splitExt(segments.at(-1) ?? "").toLowerCase();
  if (ext !== "" && ext !== ".html" && ext !== ".htm") return null;
  const path = host.translatePath(dev.base + dev.spa);
  const found = fileCache.lookup(path, host);
  return found?.info.isFile ? { path, found } : null;
}

/**
 * Answers a request that matched nothing: with the 404 page when one is set
 * and the request is a page navigation (status 404, `Cache-Control:
 * no-cache`, no validators, the live-reload script added), else with the
 * plain 404 error. Resolves to the body still to send, or null.
 */
export async function sendNotFound(
  dev: DevConfig,
  host: DevHost,
): Promise<SimpleBody | null> {
  if (!dev.notFoundPage || !navigationTarget(host)) return notFound(host);
  const found = fileCache.lookup(
    host.translatePath(dev.base + dev.notFoundPage),
    host,
  );
  if (!found?.info.isFile) return notFound(host);
  let bytes = found.data;
  if (!bytes) {
    using file = await Deno.open(found.real);
    bytes = await readWhole(file, found.info.size);
  }
  const type = host.guessType(found.real);
  return await sendMemory(dev, host, 404, type, bytes, [[
    "Cache-Control",
    "no-cache",
  ]]);
}

/**
 * Sends a listing's head with the development extras (the live-reload
 * script for page navigations to HTML, `Cache-Control`, compression) and
 * returns its body; `varyAccept` when the listing depends on `Accept` (the
 * JSON one).
 */
export function sendDevListing(
  dev: DevConfig,
  host: DevHost,
  bytes: Uint8Array,
  type = "text/html; charset=utf-8",
  varyAccept = false,
): Promise<SimpleBody | null> {
  const headers: [string, string][] = varyAccept ? [["Vary", "Accept"]] : [];
  const cache = dev.cacheControlFor(host.path, true);
  if (cache !== null) headers.push(["Cache-Control", cache]);
  return sendMemory(dev, host, 200, type, bytes, [
    ...headers,
    ...host.extraResponseHeaders,
  ]);
}

/**
 * Sends a body built in memory (a listing, the 404 page): the script added
 * for page navigations when live reload is on, compressed when asked and
 * accepted. Returns the body to send (null for HEAD).
 */
async function sendMemory(
  dev: DevConfig,
  host: DevHost,
  status: number,
  type: string,
  bytes: Uint8Array,
  headers: [string, string][],
): Promise<SimpleBody | null> {
  let body = bytes;
  const html = type.startsWith("text/html");
  if (
    dev.live && html && navigationTarget(host) &&
    injectionRefused(body) === null
  ) {
    body = inject(body, snippet(BOOT_ID, dev.base));
  }
  let coding = null;
  const typeOk = compressible(type);
  if (
    typeOk && dev.compress.length && body.length >= MIN_COMPRESS_SIZE &&
    !noTransform(host.headers.get("Cache-Control"))
  ) {
    coding = negotiate(acceptHeader(host), dev.compress);
    if (coding) body = await encode(body, coding);
  }
  host.sendResponse(status);
  host.sendHeader("Content-type", type);
  host.sendHeader("Content-Length", String(body.length));
  if (coding) host.sendHeader("Content-Encoding", coding);
  sendHeaders(host, headers);
  await host.endHeaders();
  return { pieces: [body], file: null, length: body.length };
}
