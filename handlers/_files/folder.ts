// Copyright 2026 the httpserver authors. MIT license.
/**
 * A request path that names a folder, as Python's `send_head()` treats it:
 * without its trailing slash it is redirected (301) to the path with one;
 * with it, the folder's first index page that is a regular file is served,
 * else its listing.
 * @module
 */
import { type CachedLookup, fileCache } from "./file_cache.ts";
import type { FolderRules } from "./containment.ts";
import { redirectLocation } from "./url.ts";

/** What the folder rules need of the handler. */
export interface FolderHost extends FolderRules {
  /** The request target. */
  readonly path: string;
  /** Names tried, in order, as a folder's index page. */
  readonly indexPages: readonly string[];
  sendResponse(code: number, message?: string | null): void;
  sendHeader(keyword: string, value: string): void;
  endHeaders(): Promise<void>;
}

/**
 * Sends the 301 to the request path with a trailing slash (query and
 * fragment kept, `Content-Length: 0`); resolves to null (no body follows).
 */
export async function sendSlashRedirect(host: FolderHost): Promise<null> {
  host.sendResponse(301);
  host.sendHeader("Location", redirectLocation(host.path));
  host.sendHeader("Content-Length", "0");
  await host.endHeaders();
  return null;
}

/**
 * The first of `indexPages` in the folder `path` that is a regular file
 * (its translated path is the lookup's `key`), or null.
 */
export function indexPage(
  host: FolderHost,
  path: string,
): CachedLookup | null {
  for (const name of host.indexPages) {
    const candidate = path.endsWith("/") ? path + name : `${path}/${name}`;
    const found = fileCache.lookup(candidate, host);
    if (found?.info.isFile) return found;
  }
  return null;
}
