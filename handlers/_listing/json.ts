// Copyright 2026 the httpserver authors. MIT license.
/**
 * The machine listing (`Accept: application/json` or `?json`): a JSON
 * array of `{ name, type, size, mtime, url }`, folders first then by name,
 * every entry the HTML listing would show.
 * @module
 */
import { quoteName } from "../_files/url.ts";
import type { DetailedEntry } from "./entries.ts";

/** One entry of the JSON listing. */
export interface JsonEntry {
  /** The file name. */
  name: string;
  /** `"directory"` for folders and links to folders, else `"file"`. */
  type: "file" | "directory";
  /** Size in bytes; null for folders. */
  size: number | null;
  /** Last modification, ISO 8601 UTC (`2026-12-02T01:27:00.000Z`), or null. */
  mtime: string | null;
  /** The entry's URL path, percent-encoded (folders end in `/`). */
  url: string;
}

const encoder = new TextEncoder();

/**
 * The JSON body for `entries` of the folder whose URL path (encoded, ending
 * in `/`) is `folderUrl`.
 */
export function renderJsonListing(
  folderUrl: string,
  entries: readonly DetailedEntry[],
): Uint8Array {
  const out: JsonEntry[] = entries.map((e) => ({
    name: e.name,
    type: e.isDirectory ? "directory" : "file",
    size: e.isDirectory ? null : e.size,
    mtime: e.mtime === null ? null : new Date(e.mtime).toISOString(),
    url: folderUrl + quoteName(e.name) + (e.isDirectory ? "/" : ""),
  }));
  return encoder.encode(JSON.stringify(out));
}

/**
 * Whether a request asks for the JSON listing: `?json`, or an `Accept`
 * header that names `application/json` before (or instead of) `text/html`.
 */
export function wantsJson(accept: string | undefined, json: boolean): boolean {
  if (json) return true;
  if (!accept) return false;
  let best: "json" | "html" | null = null;
  let bestQ = 0;
  for (const part of accept.split(",")) {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const kind = type === "application/json"
      ? "json"
      : type === "text/html"
      ? "html"
      : null;
    if (kind && q > bestQ) {
      best = kind;
      bestQ = q;
    }
  }
  return best === "json";
}
