// Copyright 2026 the httpserver authors. MIT license.
/**
 * URL-path handling for `SimpleHTTPRequestHandler`: Python's `unquote()` (also
 * `CGIHTTPRequestHandler`'s) and `urlsplit()` as the handler uses them, `translate_path()`'s mapping of a
 * URL path onto the served folder, the trailing-slash redirect target, and
 * `quote()` for listing links. What may be served is `containment.ts`'s rule.
 * @module
 */

// Python's UTF-8 codec keeps a leading byte order mark: so must these.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossyDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/** Whether the host's path rules are Windows' (drives, backslashes). */
export const IS_WINDOWS: boolean = Deno.build.os === "windows";

/** `scheme://authority`, the start of an absolute-form request target. */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;
/** Characters allowed in an authority (RFC 3986), so no `\` and no controls. */
const AUTHORITY = /^[A-Za-z0-9._~!$&'()*+,;=:@[\]%-]*$/;

/** The value of the hex digit with char code `c`, or -1. */
export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * The bytes of `s` with its `%XX` escapes decoded (an invalid escape, such
 * as `%zz` or a lone `%`, stays as it is): Python's `unquote_to_bytes()`
 * for text whose characters are bytes (Latin-1). Null when a character is
 * above U+00FF.
 */
function percentBytes(s: string): Uint8Array | null {
  const out = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const h = hexValue(s.charCodeAt(i + 1));
      const l = hexValue(s.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        out[n++] = h * 16 + l;
        i += 2;
        continue;
      }
    }
    if (c > 0xff) return null;
    out[n++] = c;
  }
  return out.subarray(0, n);
}

/**
 * Python's `urllib.parse.unquote(s)`: `%XX` sequences in the ASCII runs of
 * `s` become bytes, decoded as UTF-8 with U+FFFD for invalid sequences;
 * other characters, and `%` not followed by two hex digits, are kept as
 * they are.
 */
export function unquote(s: string): string {
  if (!s.includes("%")) return s;
  return s.replace(
    // deno-lint-ignore no-control-regex
    /[\x00-\x7f]+/g,
    (run) => run.includes("%") ? lossyDecoder.decode(percentBytes(run)!) : run,
  );
}

/**
 * Percent-decodes the request path `s` as UTF-8, as Python 3.14's
 * `translate_path()` does (`unquote(s, errors="surrogatepass")`, falling
 * back to {@linkcode unquote}). Raw bytes 0x80-0xFF (the request line is
 * read as Latin-1) are taken as the UTF-8 they were sent as; when the result
 * is not valid UTF-8, Python's fallback is used: each ASCII run is decoded
 * with U+FFFD replacements, other characters are kept. Invalid escapes
 * (`%zz`, a lone `%`) stay as they are.
 */
export function unquotePath(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 || c > 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  const bytes = percentBytes(s);
  if (bytes !== null) {
    try {
      return decoder.decode(bytes);
    } catch { /* not UTF-8: Python's fallback below */ }
  }
  return unquote(s);
}

/** The parts of a request target, as Python's `urlsplit()` gives them. */
export interface SplitTarget {
  /** `scheme://authority` of an absolute-form target, else `""`. */
  origin: string;
  /** The path, still percent-encoded. */
  path: string;
  /** The query without its `?`, or `null` when there is none. */
  query: string | null;
  /** The fragment without its `#`, or `null` when there is none. */
  fragment: string | null;
}

/**
 * Splits a request target into origin, path, query and fragment: the
 * fragment from the first `#`, then the query from the first `?` (Python
 * 3.14's order). Only an absolute-form target (`http://host/path`) has an
 * origin, and only when its authority is well formed.
 */
export function splitTarget(target: string): SplitTarget {
  let origin = "";
  let rest = target;
  const m = ABSOLUTE_FORM.exec(target);
  if (m && AUTHORITY.test(m[0].slice(m[0].indexOf("//") + 2))) {
    origin = m[0];
    rest = target.slice(origin.length);
  }
  let fragment: string | null = null;
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query: string | null = null;
  const q = rest.indexOf("?");
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  return { origin, path: rest, query, fragment };
}

/** Whether the URL path of `target` ends in `/` (or `%2f`, gh-134098). */
export function endsWithSlash(target: string): boolean {
  const path = splitTarget(target).path;
  return path.endsWith("/") || /%2f$/i.test(path);
}

/**
 * The decoded `target` without its query and fragment. As in Python, the
 * scheme and host of an absolute-form target stay in (so they become path
 * segments and such a request maps to a file only if folders with those
 * names exist).
 */
export function decodedPath(target: string): string {
  const { origin, path } = splitTarget(target);
  return unquotePath(origin + path);
}

const WINDOWS_DEVICE =
  /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(\..*)?$/i;

/**
 * Whether one decoded path segment is skipped by `translatePath()`: `.` and
 * `..` everywhere; under Windows rules also any segment with a separator, a
 * drive or stream colon, a trailing dot or space, or a device name.
 */
export function skipSegment(word: string, windows: boolean): boolean {
  if (word === "." || word === "..") return true;
  if (!windows) return false;
  return word.includes("\\") || word.includes(":") || /[. ]$/.test(word) ||
    WINDOWS_DEVICE.test(word);
}

/**
 * Python 3.14's `translate_path()`: maps the URL path of `target` onto
 * `directory`. The query and fragment are dropped, the path is decoded,
 * normalised (`..` cannot climb above the root) and joined segment by segment
 * onto `directory`, skipping segments that `skipSegment()` refuses; a
 * trailing `/` (also `%2f`) is kept.
 */
export function translateUrlPath(
  target: string,
  directory: string,
  windows: boolean = IS_WINDOWS,
): string {
  if (windows !== IS_WINDOWS) return translate(target, directory, windows);
  // Clients ask for the same few paths: remember the answers.
  let known = translated.get(directory);
  if (known === undefined) {
    if (translated.size >= 16) translated.clear();
    translated.set(directory, known = new Map());
  }
  let out = known.get(target);
  if (out === undefined) {
    out = translate(target, directory, windows);
    if (target.length <= 256) {
      if (known.size >= 512) known.clear();
      known.set(target, out);
    }
  }
  return out;
}

/** Translated paths by served folder, then by request target. */
const translated = new Map<string, Map<string, string>>();

function translate(
  target: string,
  directory: string,
  windows: boolean,
): string {
  const path = decodedPath(target);
  const trailingSlash = path.endsWith("/");
  const stack: string[] = [];
  for (const word of path.split("/")) {
    if (word === "" || word === ".") continue;
    if (word === "..") stack.pop();
    else stack.push(word);
  }
  const sep = windows ? "\\" : "/";
  let out = directory;
  for (const word of stack) {
    if (skipSegment(word, windows)) continue;
    if (out === "") out = word; // os.path.join("", word)
    else out += (out.endsWith(sep) || out.endsWith("/") ? "" : sep) + word;
  }
  return trailingSlash ? out + "/" : out;
}

/**
 * The `Location` of the trailing-slash redirect for `target`: `/` appended to
 * the path, query and fragment kept. Beyond Python, a path that starts with
 * several slashes or with a backslash (`/\evil.com`) is given one leading
 * slash, a first segment with a colon is prefixed with `./`, and control
 * characters are percent-encoded, so the value can never name another host.
 */
export function redirectLocation(target: string): string {
  const { origin, path, query, fragment } = splitTarget(target);
  let p = path + "/";
  if (origin) {
    if (!p.startsWith("/")) p = "/" + p;
  } else if (p.startsWith("/") || p.startsWith("\\")) {
    p = p.replace(/^[/\\]+/, "/");
  } else if (/^[^/]*:/.test(p)) {
    p = "./" + p;
  }
  let out = origin + p;
  if (query) out += "?" + query;
  if (fragment) out += "#" + fragment;
  return out.replace(
    // deno-lint-ignore no-control-regex
    /[\x00-\x20\x7f]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"),
  );
}

const HREF_SAFE = /^[A-Za-z0-9_.\-~/]*$/;

/**
 * Python's `urllib.parse.quote(name)`: UTF-8, every byte but letters, digits,
 * `_.-~` and `/` percent-encoded with upper-case hex.
 */
export function quoteName(name: string): string {
  if (HREF_SAFE.test(name)) return name;
  let out = "";
  for (const b of encoder.encode(name)) {
    if (
      (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) ||
      b === 95 || b === 46 || b === 45 || b === 126 || b === 47
    ) out += String.fromCharCode(b);
    else out += "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
  }
  return out;
}
