// Copyright 2026 the httpserver authors. MIT license.
/**
 * Which representation of a file to send when development features are on:
 * the file itself (with `Cache-Control` and `Vary`), the page with the
 * live-reload script, a precompressed sidecar, or the file compressed on
 * the fly. The choice and its entity-tag come first, without reading the
 * file, so that a 304 costs no work; the bytes are made afterwards, once.
 * @module
 */
import type { CachedLookup } from "../_files/file_cache.ts";
import { fileCache } from "../_files/file_cache.ts";
import { makeEtag, type Validators } from "../_files/conditional.ts";
import type { FileVariant } from "../_files/file_head.ts";
import type { ContentCoding } from "../dev_types.ts";
import {
  compressible,
  encode,
  MIN_COMPRESS_SIZE,
  negotiate,
  noTransform,
  SIDECAR_SUFFIX,
} from "./encoding.ts";
import {
  inject,
  injectionRefused,
  isNavigation,
  MAX_INJECT_BYTES,
  snippet,
  SNIPPET_VERSION,
} from "./inject.ts";
import { BOOT_ID } from "./live_hub.ts";
import { VariantCache } from "./variant_cache.ts";
import type { DevConfig, DevHost } from "./config.ts";

/** Derived bodies (compressed files, live-reload pages), shared by all handlers. */
export const variants: VariantCache = new VariantCache();

/** Files younger than this are not cached (see `file_cache.ts`: the age rule). */
const MIN_AGE_MS = 2000;

/** `"tag"` -> `"tag-suffix"`, `W/"tag"` -> `W/"tag-suffix"`. */
export function suffixEtag(etag: string, suffix: string): string {
  return etag.slice(0, -1) + "-" + suffix + '"';
}

/** Reads a whole file of `size` bytes from its start. */
export async function readWhole(
  file: Deno.FsFile,
  size: number,
): Promise<Uint8Array> {
  const buf = new Uint8Array(size);
  let at = 0;
  await file.seek(0, Deno.SeekMode.Start);
  while (at < size) {
    const n = await file.read(buf.subarray(at));
    if (n === null || n === 0) break;
    at += n;
  }
  return at === size ? buf : buf.subarray(0, at);
}

function young(info: Deno.FileInfo): boolean {
  const now = Date.now();
  return now - (info.mtime?.getTime() ?? 0) < MIN_AGE_MS ||
    now - (info.ctime?.getTime() ?? 0) < MIN_AGE_MS;
}

const warnedStale = new Set<string>();
const warnedRefused = new Set<string>();

/**
 * The representation of the file `found` (of type `ctype`) for the
 * handler's request, given the file's validators `v`.
 */
export function chooseRepresentation(
  dev: DevConfig,
  host: DevHost,
  found: CachedLookup,
  ctype: string,
  v: Validators,
): FileVariant {
  const get = (name: string) => host.headers.get(name);
  const html = ctype.startsWith("text/html");
  const type = compressible(ctype);
  const headers: [string, string][] = [];
  const acceptEncoding = dev.compress.length || dev.precompressed.length
    ? acceptHeader(host)
    : undefined;
  const noRange = get("Range") === undefined;
  const size = found.info.size;
  // Live reload: the page navigated to gets the script.
  if (dev.live && html && isNavigation(get)) {
    if (dev.cacheHeader) headers.push(["Cache-Control", "no-cache"]);
    const base = v.etag === null
      ? `W/"${size.toString(16)}"`
      : v.etag.startsWith("W/")
      ? v.etag
      : "W/" + v.etag;
    const lrTag = suffixEtag(base, `lr${SNIPPET_VERSION}-${BOOT_ID}`);
    const coding =
      size + 64 >= MIN_COMPRESS_SIZE && !noTransform(get("Cache-Control"))
        ? negotiate(acceptEncoding, dev.compress)
        : null;
    const keep = !young(found.info);
    return {
      etag: coding ? suffixEtag(lrTag, TAG_SUFFIX[coding]) : lrTag,
      lastModified: false,
      ranges: false,
      coding,
      headers,
      make: async (file, data) => {
        const key = `${found.real}\0${lrTag}\0${dev.base}`;
        const page = await variants.getOrMake(key, async () => {
          const bytes = data ?? await readWhole(file!, size);
          const refused = size > MAX_INJECT_BYTES
            ? "it is too large"
            : injectionRefused(bytes);
          if (refused === null) {
            return inject(bytes, snippet(BOOT_ID, dev.base));
          }
          if (!warnedRefused.has(found.real)) {
            warnedRefused.add(found.real);
            host.logError(
              "Live reload: %s served without the script: %s",
              host.path,
              refused,
            );
          }
          return bytes;
        }, keep);
        if (!coding) return { data: page, file: null };
        const encoded = await variants.getOrMake(
          `${key}\0${coding}`,
          () => encode(page, coding),
          keep,
        );
        return { data: encoded, file: null };
      },
    };
  }
  const cache = dev.cacheControlFor(host.path, html);
  if (cache !== null) headers.push(["Cache-Control", cache]);
  const identity: FileVariant = {
    etag: v.etag,
    lastModified: true,
    ranges: true,
    coding: null,
    headers,
    make: null,
  };
  if (!type || !noRange || acceptEncoding === undefined) return identity;
  // A precompressed sidecar, when one is accepted, present and fresh.
  if (dev.precompressed.length) {
    const sidecar = pickSidecar(dev, host, found, acceptEncoding);
    if (sidecar) {
      const [coding, side] = sidecar;
      return {
        etag: side.info.mtime
          ? makeEtag(side.info.size, side.info.mtime.getTime(), side.info.ino)
          : null,
        lastModified: true,
        ranges: false,
        coding,
        headers,
        make: () => {
          if (side.data) {
            return Promise.resolve({ data: side.data, file: null });
          }
          return Promise.resolve({
            data: null,
            file: Deno.openSync(side.real),
            size: side.info.size,
          });
        },
      };
    }
  }
  if (
    !dev.compress.length || size < MIN_COMPRESS_SIZE ||
    size > variants.maxEntryBytes || noTransform(get("Cache-Control"))
  ) return identity;
  const coding = negotiate(acceptEncoding, dev.compress);
  if (coding === null || v.etag === null) return identity;
  const keep = !young(found.info);
  return {
    etag: suffixEtag(v.etag, TAG_SUFFIX[coding]),
    lastModified: true,
    ranges: false,
    coding,
    headers,
    make: async (file, data) => {
      const key = `${found.real}\0${v.etag}\0${coding}`;
      const encoded = await variants.getOrMake(
        key,
        async () => encode(data ?? await readWhole(file!, size), coding),
        keep,
      );
      return { data: encoded, file: null };
    },
  };
}

/** An encoded variant's ETag suffix: its sidecar's extension. */
const TAG_SUFFIX = Object.fromEntries(
  Object.entries(SIDECAR_SUFFIX).map(([coding, ext]) => [coding, ext.slice(1)]),
) as Record<ContentCoding, string>;

/** All `Accept-Encoding` lines of the request, joined. */
export function acceptHeader(host: DevHost): string | undefined {
  const all = host.headers.getAll("Accept-Encoding");
  return all.length === 0 ? undefined : all.join(",");
}

/**
 * The best accepted sidecar of `found` that exists, is a regular file in
 * the served folder, and is not older than the original (a stale one is
 * skipped, with one warning).
 */
function pickSidecar(
  dev: DevConfig,
  host: DevHost,
  found: CachedLookup,
  accept: string,
): [ContentCoding, CachedLookup] | null {
  const present: ContentCoding[] = [];
  const lookups = new Map<ContentCoding, CachedLookup>();
  const original = found.info.mtime?.getTime() ?? 0;
  for (const coding of dev.precompressed) {
    if (negotiate(accept, [coding]) === null) continue;
    const path = found.key + SIDECAR_SUFFIX[coding];
    const side = fileCache.lookup(path, host);
    if (!side?.info.isFile) continue;
    if ((side.info.mtime?.getTime() ?? 0) < original) {
      if (!warnedStale.has(side.real)) {
        warnedStale.add(side.real);
        host.logError(
          "Precompressed: %s is older than %s; serving the original",
          side.real,
          found.real,
        );
      }
      continue;
    }
    present.push(coding);
    lookups.set(coding, side);
  }
  const coding = negotiate(accept, present);
  return coding ? [coding, lookups.get(coding)!] : null;
}
