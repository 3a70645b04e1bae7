// Copyright 2026 the httpserver authors. MIT license.
/**
 * URL path rules of `CGIHTTPRequestHandler`: Python's `_url_collapse_path`
 * (with `urllib.parse.unquote` from `../_files/url.ts`) and the `is_cgi`
 * directory match.
 * @module
 */
import { unquote } from "../_files/url.ts";

/**
 * The error {@linkcode urlCollapsePath} throws where Python raises
 * `IndexError`: the path has more `..` segments than parents.
 */
export class PathUnderflowError extends RangeError {
  constructor(path: string) {
    super(`Path has more '..' segments than parent folders: ${path}`);
    this.name = "PathUnderflowError";
  }
}

/**
 * Python's `http.server._url_collapse_path(path)`: drops the query, decodes
 * the path, removes empty and `.` segments, resolves `..`, and puts the query
 * back. The result always starts with `/`, and its last segment (maybe empty)
 * follows the last `/`. Throws {@linkcode PathUnderflowError} when a `..` has
 * nothing to remove (Python's `IndexError`).
 */
export function urlCollapsePath(path: string): string {
  const q = path.indexOf("?");
  const query = q >= 0 ? path.slice(q + 1) : "";
  const parts = unquote(q >= 0 ? path.slice(0, q) : path).split("/");
  const head: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (part === "..") {
      if (head.length === 0) throw new PathUnderflowError(path);
      head.pop();
    } else if (part && part !== ".") head.push(part);
  }
  let tail = parts[parts.length - 1]!;
  if (tail === "..") {
    if (head.length === 0) throw new PathUnderflowError(path);
    head.pop();
    tail = "";
  } else if (tail === ".") tail = "";
  if (query) tail = tail + "?" + query;
  return "/" + head.join("/") + "/" + tail;
}

/**
 * The `is_cgi` match: the shortest leading run of whole segments of
 * `collapsed` that equals one of `directories`, as `[dir, rest]` (`rest` is
 * what follows the slash after `dir`); `null` when none matches.
 */
export function matchCgiDirectory(
  collapsed: string,
  directories: readonly string[],
): [dir: string, rest: string] | null {
  let sep = collapsed.indexOf("/", 1);
  while (sep > 0 && !directories.includes(collapsed.slice(0, sep))) {
    sep = collapsed.indexOf("/", sep + 1);
  }
  if (sep <= 0) return null;
  return [collapsed.slice(0, sep), collapsed.slice(sep + 1)];
}

/**
 * Escapes `%`, `?` and `#` so that `translatePath()`, which drops the query
 * and fragment and percent-decodes, sees an already-decoded path unchanged.
 */
export function quoteForTranslate(path: string): string {
  return path.replace(
    /[%?#]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}
