// Copyright 2026 the httpserver authors. MIT license.
/**
 * Directory listings in CPython 3.14's format: reading the folder (entry
 * types from `readDir`, a `stat` only for symlinks), Python's sort order,
 * and the HTML page, byte for byte.
 * @module
 */
import { htmlEscape } from "../../_text.ts";
import { quoteName } from "./url.ts";
import { listedEntry, type ServedFolder } from "./containment.ts";
import type { SimpleBody } from "../simple_types.ts";

const encoder = new TextEncoder();
const HTML_SPECIAL = /[&<>]/;

/** One listed name and how Python marks it. */
export interface ListingEntry {
  /** The file name. */
  name: string;
  /** A folder, or a symlink to one: `/` on link and text. */
  isDirectory: boolean;
  /** A symlink: `@` on the text. */
  isSymlink: boolean;
}

/**
 * Reads `path` (synchronously; see the README's performance notes) and
 * returns the entries {@linkcode listedEntry} shows for `folder`, in
 * Python's order: sorted by the lower-case name, comparing code points,
 * stable. Throws when the folder cannot be read.
 */
export function readListing(
  path: string,
  folder: ServedFolder,
): ListingEntry[] {
  const dir = path.endsWith("/") ? path : path + "/";
  const entries: ListingEntry[] = [];
  for (const e of Deno.readDirSync(path)) {
    const shown = listedEntry(dir, e, folder);
    if (shown === null) continue;
    entries.push({
      name: e.name,
      isDirectory: shown.isDirectory,
      isSymlink: e.isSymlink,
    });
  }
  return sortByLowerName(entries);
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Sorts entries by `name.toLowerCase()` comparing code points, stably:
 * Python's `sort(key=str.lower)`. Without astral characters, UTF-16 order is
 * code-point order and plain string comparison is used.
 */
export function sortByLowerName<T extends { name: string }>(entries: T[]): T[] {
  const keyed = entries.map((entry) => ({
    entry,
    key: entry.name.toLowerCase(),
  }));
  const astral = keyed.some((k) => SURROGATE.test(k.key));
  keyed.sort(
    astral
      ? (a, b) => compareCodePoints(a.key, b.key)
      : (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return keyed.map((k) => k.entry);
}

/** Compares strings by code point, as Python compares `str`. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (an astral character) sorts above every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The listing page of CPython 3.14: `displayPath` is the decoded request
 * path (not yet escaped), `charset` the page's encoding name, `extra`
 * HTML placed after the heading (the upload form), none by default.
 */
export function renderListing(
  displayPath: string,
  entries: readonly ListingEntry[],
  charset = "utf-8",
  extra = "",
): Uint8Array {
  const title = "Directory listing for " + htmlEscape(displayPath);
  const lines: string[] = [
    "<!DOCTYPE HTML>",
    '<html lang="en">',
    "<head>",
    `<meta charset="${charset}">`,
    '<style type="text/css">\n:root {\ncolor-scheme: light dark;\n}\n</style>',
    `<title>${title}</title>\n</head>`,
    `<body>\n<h1>${title}</h1>`,
    ...(extra ? [extra] : []),
    "<hr>\n<ul>",
  ];
  for (const e of entries) {
    let link = e.name;
    let text = e.name;
    if (e.isDirectory) {
      link += "/";
      text += "/";
    }
    if (e.isSymlink) text = e.name + "@";
    const shown = HTML_SPECIAL.test(text) ? htmlEscape(text) : text;
    lines.push(`<li><a href="${quoteName(link)}">${shown}</a></li>`);
  }
  lines.push("</ul>\n<hr>\n</body>\n</html>\n");
  return encoder.encode(lines.join("\n"));
}

/**
 * The entries of the folder `path` ({@linkcode readListing}), or null
 * after sending 404 `No permission to list directory` when it cannot be
 * read.
 */
export async function listedOr404(
  h: ListingHost,
  path: string,
  folder: ServedFolder,
): Promise<ListingEntry[] | null> {
  try {
    return readListing(path, folder);
  } catch {
    await h.sendError(404, "No permission to list directory");
    return null;
  }
}

/** What {@linkcode sendListing} and {@linkcode listedOr404} need of the handler. */
export interface ListingHost {
  extraResponseHeaders: [string, string][];
  sendResponse(code: number, message?: string | null): void;
  sendHeader(keyword: string, value: string): void;
  endHeaders(): Promise<void>;
  sendError(code: number, message?: string | null): Promise<void>;
}

/**
 * Sends the head of a 200 listing whose body is `bytes` (`Content-type`,
 * `Content-Length`, `Vary: Accept` when the page depends on it, then the
 * extra headers) and returns the body for `copyfile()`.
 */
export async function sendListing(
  h: ListingHost,
  bytes: Uint8Array,
  contentType = "text/html; charset=utf-8",
  varyAccept = false,
): Promise<SimpleBody> {
  h.sendResponse(200);
  h.sendHeader("Content-type", contentType);
  h.sendHeader("Content-Length", String(bytes.length));
  if (varyAccept) h.sendHeader("Vary", "Accept");
  for (const [name, value] of h.extraResponseHeaders) {
    h.sendHeader(name, value);
  }
  await h.endHeaders();
  return { pieces: [bytes], file: null, length: bytes.length };
}
