// Copyright 2026 the httpserver authors. MIT license.
/**
 * Content types for `SimpleHTTPRequestHandler.guessType()`: Python's
 * `extensions_map` overrides, then the mime-db table (npm `mime`), then the
 * few types CPython's built-in table has and mime-db lacks.
 * @module
 */
import mime from "mime";

/** Python 3.9+'s `SimpleHTTPRequestHandler.extensions_map`: overrides only. */
export const EXTENSIONS_MAP: Readonly<Record<string, string>> = {
  ".gz": "application/gzip",
  ".Z": "application/octet-stream",
  ".bz2": "application/x-bzip2",
  ".xz": "application/x-xz",
};

/**
 * Types in CPython 3.13's built-in `mimetypes` table that mime-db does not
 * know (keys lower case). Where both know an extension, mime-db wins.
 */
const PYTHON_ONLY: Readonly<Record<string, string>> = {
  ".3gpp2": "audio/3gpp2",
  ".a": "application/octet-stream",
  ".h5": "application/x-hdf5",
  ".ksh": "text/plain",
  ".mpa": "video/mpeg",
  ".nws": "message/rfc822",
  ".o": "application/octet-stream",
  ".ppa": "application/vnd.ms-powerpoint",
  ".pwz": "application/vnd.ms-powerpoint",
  ".py": "text/x-python",
  ".pyc": "application/x-python-code",
  ".rst": "text/x-rst",
  ".taz": "application/x-tar",
  ".tbz2": "application/x-tar",
  ".tgz": "application/x-tar",
  ".txz": "application/x-tar",
  ".tz": "application/x-tar",
  ".wiz": "application/msword",
  ".xlb": "application/vnd.ms-excel",
  ".xpdl": "application/xml",
};

/**
 * The extension of the last segment of `path`, as Python's
 * `posixpath.splitext()` finds it: from the last dot, unless the name is
 * only dots before it (`.bashrc` has none).
 */
export function splitExt(path: string): string {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dot = path.lastIndexOf(".");
  if (dot <= slash + 1) return "";
  for (let i = slash + 1; i < dot; i++) {
    if (path[i] !== ".") return path.slice(dot);
  }
  return "";
}

/**
 * The content type of `path`: `map` by the exact extension, then by its
 * lower-case form, then mime-db, then CPython's extra built-ins, else
 * `fallback`.
 */
export function lookupType(
  path: string,
  map: Readonly<Record<string, string>>,
  fallback: string,
): string {
  const ext = splitExt(path);
  if (Object.hasOwn(map, ext)) return map[ext]!;
  const lower = ext.toLowerCase();
  if (Object.hasOwn(map, lower)) return map[lower]!;
  if (lower === "") return fallback;
  return mimeType(lower) ?? PYTHON_ONLY[lower] ?? fallback;
}

/** mime-db's answers by lower-case extension (it is slow to ask). */
const mimeTypes = new Map<string, string | null>();

function mimeType(ext: string): string | null {
  let type = mimeTypes.get(ext);
  if (type === undefined) {
    type = mime.getType(ext.slice(1));
    if (ext.length <= 16 && mimeTypes.size < 1024) mimeTypes.set(ext, type);
  }
  return type;
}
