// Copyright 2026 the httpserver authors. MIT license.
/**
 * Folder entries for the rich and JSON listings: the names the Python
 * listing shows (same containment rules, read by `readListing()`), with
 * size and modification time, the query that sorts, filters and pages
 * them, and the work kept linear: names are filtered and sorted first, and
 * only the entries shown are stat-ed unless the sort key needs them all.
 * @module
 */
import { type ListingEntry, sortByLowerName } from "../_files/listing.ts";

/** A listed name with its details. */
export interface DetailedEntry extends ListingEntry {
  /** Size in bytes; null for folders and for entries that vanished. */
  size: number | null;
  /** Modification time in ms since the epoch, or null. */
  mtime: number | null;
}

/** Sort keys of the rich listing. */
export type SortKey = "name" | "size" | "mtime";

/** What the query string asks of a listing. */
export interface ListingQuery {
  /** The sort key (`?sort=`), `name` by default. */
  sort: SortKey;
  /** `?order=desc` reverses the order (folders stay first). */
  descending: boolean;
  /** The name filter (`?q=`), case-insensitive substring; `""` for none. */
  filter: string;
  /** The 1-based page (`?page=`). */
  page: number;
  /** `?json`: the machine listing. */
  json: boolean;
}

/** Entries per page of the rich listing. */
export const PAGE_SIZE = 1000;

const SORT_KEYS: ReadonlySet<string> = new Set(["name", "size", "mtime"]);

/** Parses the listing's query string (unknown or bad values are ignored). */
export function parseListingQuery(query: string | null): ListingQuery {
  const out: ListingQuery = {
    sort: "name",
    descending: false,
    filter: "",
    page: 1,
    json: false,
  };
  if (!query) return out;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return out;
  }
  const sort = params.get("sort");
  if (sort !== null && SORT_KEYS.has(sort)) out.sort = sort as SortKey;
  out.descending = params.get("order") === "desc";
  out.filter = (params.get("q") ?? "").trim().slice(0, 256);
  const page = Number(params.get("page"));
  if (Number.isSafeInteger(page) && page > 1) out.page = page;
  out.json = params.has("json");
  return out;
}

/** One page of a sorted, filtered listing. */
export interface ListingPage {
  /** The entries of the page, with details. */
  entries: DetailedEntry[];
  /** Entries that passed the filter, on every page. */
  total: number;
  /** The page shown (clamped to the last page). */
  page: number;
  /** The number of pages (at least 1). */
  pages: number;
}

/**
 * Filters, sorts (folders first) and pages `entries` of the folder `dir`.
 * `pageSize` of `Infinity` returns everything (the JSON listing).
 */
export function selectPage(
  dir: string,
  entries: readonly ListingEntry[],
  query: ListingQuery,
  pageSize: number = PAGE_SIZE,
): ListingPage {
  const needle = query.filter.toLowerCase();
  let chosen = needle
    ? entries.filter((e) => e.name.toLowerCase().includes(needle))
    : entries.slice();
  const base = dir.endsWith("/") ? dir : dir + "/";
  let detailed: DetailedEntry[] | null = null;
  if (query.sort === "name") {
    chosen = sortByLowerName(chosen);
    if (query.descending) chosen.reverse();
    chosen = foldersFirst(chosen);
  } else {
    detailed = chosen.map((e) => detail(base, e));
    const key = query.sort;
    const sign = query.descending ? -1 : 1;
    detailed = sortByLowerName(detailed);
    // Array.prototype.sort is stable: ties keep the name order.
    detailed.sort((a, b) => sign * ((a[key] ?? -1) - (b[key] ?? -1)));
    detailed = foldersFirst(detailed);
  }
  const total = chosen.length;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(query.page, pages);
  const start = page === 1 ? 0 : (page - 1) * pageSize;
  const end = Math.min(total, start + pageSize);
  const shown = detailed
    ? detailed.slice(start, end)
    : chosen.slice(start, end).map((e) => detail(base, e));
  return { entries: shown, total, page, pages };
}

function foldersFirst<T extends ListingEntry>(entries: T[]): T[] {
  const folders = entries.filter((e) => e.isDirectory);
  if (folders.length === 0 || folders.length === entries.length) {
    return entries;
  }
  return folders.concat(entries.filter((e) => !e.isDirectory));
}

function detail(base: string, e: ListingEntry): DetailedEntry {
  try {
    const info = Deno.statSync(base + e.name);
    return {
      name: e.name,
      isDirectory: e.isDirectory,
      isSymlink: e.isSymlink,
      size: info.isDirectory ? null : info.size,
      mtime: info.mtime?.getTime() ?? null,
    };
  } catch {
    return {
      name: e.name,
      isDirectory: e.isDirectory,
      isSymlink: e.isSymlink,
      size: null,
      mtime: null,
    };
  }
}
