// Copyright 2026 the httpserver authors. MIT license.
/**
 * Live-reload injection: which requests are page navigations, and where the
 * client script goes in an HTML document (before the last `</body`, else
 * the last `</html`, else at the end), working on bytes.
 * @module
 */

/**
 * The reserved segment of the live-reload script and event stream, below
 * the folder's URL (`/` unless `basePath` says otherwise).
 */
export const LIVE_SEGMENT = "%00httpserver/";
/** The client script's name in it. */
export const CLIENT_NAME = "live.js";
/** The event stream's name in it. */
export const EVENTS_NAME = "events";
/** Bumped whenever the injected tag or the client changes meaning. */
export const SNIPPET_VERSION = 1;
/** Documents larger than this are served without the script. */
export const MAX_INJECT_BYTES = 16 * 1024 * 1024;

const encoder = new TextEncoder();

/** A request header lookup: the first value of `name`, undefined when absent. */
type Get = (name: string) => string | undefined;

/**
 * Whether a request is a browser navigating to a page: `Sec-Fetch-Dest`
 * `document`, `iframe` or `frame` when the header is present, else an
 * `Accept` that names `text/html` (so `fetch()` and curl's `*\/*` are not).
 */
export function isNavigation(get: Get): boolean {
  const dest = get("Sec-Fetch-Dest");
  if (dest !== undefined) {
    const d = dest.trim().toLowerCase();
    return d === "document" || d === "iframe" || d === "frame";
  }
  const accept = get("Accept");
  return accept !== undefined && /text\/html/i.test(accept);
}

/**
 * The tag added to pages: an external script under the folder's URL
 * `base`, so `script-src 'self'` allows it.
 */
export function snippet(boot: string, base = "/"): Uint8Array {
  return encoder.encode(
    `<script src="${base}${LIVE_SEGMENT}${CLIENT_NAME}" data-boot="${boot}" defer></script>`,
  );
}

function lower(b: number): number {
  return b >= 65 && b <= 90 ? b + 32 : b;
}

/** Whether `bytes` holds `<name` (`close`: `</name`) at `at`, the name ending there. */
function tagAt(
  bytes: Uint8Array,
  at: number,
  name: string,
  close: boolean,
): boolean {
  if (bytes[at] !== 0x3c) return false;
  let i = at + 1;
  if (close) {
    if (bytes[i] !== 0x2f) return false;
    i++;
  }
  for (let j = 0; j < name.length; j++, i++) {
    if (lower(bytes[i] ?? 0) !== name.charCodeAt(j)) return false;
  }
  const next = bytes[i];
  // `</body>`, `</body >`, `</body\n>` or the end: not `</bodyguard>`.
  return next === undefined ||
    !/[A-Za-z0-9:_-]/.test(String.fromCharCode(next));
}

/** The offset of the last `<name`/`</name` tag before `end`, or -1. */
function lastTag(
  bytes: Uint8Array,
  name: string,
  close: boolean,
  end: number,
): number {
  for (let at = end - 1; at >= 0; at--) {
    if (bytes[at] === 0x3c && tagAt(bytes, at, name, close)) return at;
  }
  return -1;
}

/** Whether `at` lies inside a `<script>` element or an HTML comment. */
function insideRawText(bytes: Uint8Array, at: number): boolean {
  if (
    lastTag(bytes, "script", false, at) > lastTag(bytes, "script", true, at)
  ) {
    return true;
  }
  const open = lastIndexOf(bytes, OPEN_COMMENT, at);
  return open >= 0 && lastIndexOf(bytes, CLOSE_COMMENT, at) < open;
}

function lastIndexOf(
  bytes: Uint8Array,
  needle: Uint8Array,
  end: number,
): number {
  outer: for (let at = end - needle.length; at >= 0; at--) {
    for (let j = 0; j < needle.length; j++) {
      if (bytes[at + j] !== needle[j]) continue outer;
    }
    return at;
  }
  return -1;
}

const OPEN_COMMENT = encoder.encode("<!--");
const CLOSE_COMMENT = encoder.encode("-->");

/** The last `</name` closing tag of the markup (not in a script or comment), or -1. */
function lastClosingTag(bytes: Uint8Array, name: string): number {
  let end = bytes.length;
  for (;;) {
    const at = lastTag(bytes, name, true, end);
    if (at < 0 || !insideRawText(bytes, at)) return at;
    end = at;
  }
}

/**
 * Where the script goes: before the last `</body` (ASCII case-insensitive),
 * else before the last `</html`, else at the end; a tag inside a `<script>`
 * element or a comment (a `"</body>"` string in an inline script) is
 * passed over, as inserting there would break the script.
 */
export function injectionPoint(html: Uint8Array): number {
  const body = lastClosingTag(html, "body");
  if (body >= 0) return body;
  const end = lastClosingTag(html, "html");
  return end >= 0 ? end : html.length;
}

const OPT_OUT = encoder.encode("data-server-no-reload");

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  const last = haystack.length - needle.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (lower(haystack[i + j]!) !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Why `html` cannot take the script, or null when it can: a UTF-16 or
 * UTF-32 byte-order mark (ASCII bytes would corrupt it), a size above
 * {@linkcode MAX_INJECT_BYTES}, or the page's own opt-out (a
 * `data-server-no-reload` attribute).
 */
export function injectionRefused(html: Uint8Array): string | null {
  if (
    html.length >= 2 &&
    ((html[0] === 0xff && html[1] === 0xfe) ||
      (html[0] === 0xfe && html[1] === 0xff) ||
      (html.length >= 4 && html[0] === 0 && html[1] === 0 &&
        html[2] === 0xfe && html[3] === 0xff))
  ) return "it is UTF-16 or UTF-32";
  if (html.length > MAX_INJECT_BYTES) {
    return `it is larger than ${MAX_INJECT_BYTES} bytes`;
  }
  if (contains(html, OPT_OUT)) return "it opts out (data-server-no-reload)";
  return null;
}

/** `html` with `tag` inserted at {@linkcode injectionPoint}. */
export function inject(html: Uint8Array, tag: Uint8Array): Uint8Array {
  const at = injectionPoint(html);
  const out = new Uint8Array(html.length + tag.length);
  out.set(html.subarray(0, at), 0);
  out.set(tag, at);
  out.set(html.subarray(at), at + tag.length);
  return out;
}
