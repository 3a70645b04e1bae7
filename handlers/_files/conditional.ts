// Copyright 2026 the httpserver authors. MIT license.
/**
 * Conditional requests for the file-serving handler (RFC 9110 section 13),
 * pure and socket-free: validators in, a decision out.
 *
 * The evaluation order is RFC 9110 section 13.2.2, the one Go's
 * `checkPreconditions` (`net/http/fs.go`) follows. Entity-tag lists are
 * scanned the way Go scans them. `If-Modified-Since` is decided by
 * {@linkcode pythonNotModified}, CPython's own rule, so a request that sends
 * only `If-Modified-Since` gets exactly the answer `python -m http.server`
 * gives.
 * @module
 */
import { pySplit, trimOws } from "../../_text.ts";
import {
  LONG_MONTHS,
  MONTHS,
  parseHttpDate,
  SHORT_DAY_SET,
  utcMs,
} from "../_http1/http_date.ts";

/** What the server knows about the representation it is about to send. */
export interface Validators {
  /** The current entity-tag (strong or weak, quotes included), or null when none is sent. */
  etag: string | null;
  /** The file's modification time in ms since the epoch, null when unknown. */
  mtimeMs: number | null;
}

/**
 * The outcome of {@linkcode evaluatePreconditions}: go on and serve (200 or
 * 206), answer 304, or answer 412.
 */
export type PreconditionResult =
  | "proceed"
  | "not-modified"
  | "precondition-failed";

/** A request header lookup: the first value of `name`, undefined when absent. */
export type HeaderGetter = (name: string) => string | undefined;

// --- CPython's email.utils.parsedate_to_datetime, step by step -----------

/** `_monthnames`: abbreviations, then full names, in lower case. */
const PY_MONTHS = [...MONTHS, ...LONG_MONTHS].map((m) => m.toLowerCase());
/** `_timezones`: the names meaning UTC, and the other (US) names. */
const PY_UTC_ZONES = new Set(["UT", "UTC", "GMT", "Z"]);
const PY_US_ZONES = new Set(
  "AST ADT EST EDT CST CDT MST MDT PST PDT".split(" "),
);
/** Python's `int()` of a base-10 string (no surrounding whitespace here). */
const PY_INT = /^[+-]?[0-9]+(?:_[0-9]+)*$/;

function pyInt(s: string | number): number | null {
  if (typeof s === "number") return s;
  return PY_INT.test(s) ? Number(s.replaceAll("_", "")) : null;
}

/** `str.isdigit()` of the first character, for Latin-1 text. */
function pyIsDigit(c: string | undefined): boolean {
  return c !== undefined && /[0-9\u00b2\u00b3\u00b9]/.test(c);
}

/**
 * CPython's `email._parseaddr._parsedate_tz` followed by the `datetime`
 * constructor of `parsedate_to_datetime`: the date as UTC ms and whether
 * Python's result would be `timezone.utc` or naive (`zoneIsUtc`). Null
 * wherever Python raises one of the errors `send_head()` catches.
 */
function pythonParseDate(
  input: string,
): { ms: number; zoneIsUtc: boolean } | null {
  let data = pySplit(input);
  if (data.length === 0) return null;
  if (data[0]!.endsWith(",") || SHORT_DAY_SET.has(data[0]!.toLowerCase())) {
    data.shift();
  } else {
    const i = data[0]!.lastIndexOf(",");
    if (i >= 0) data[0] = data[0]!.slice(i + 1);
  }
  if (data.length === 3) { // RFC 850 date, deprecated
    const stuff = data[0]!.split("-");
    if (stuff.length === 3) data = [...stuff, ...data.slice(1)];
  }
  if (data.length === 4) {
    const s = data[3]!;
    let i = s.indexOf("+");
    if (i === -1) i = s.indexOf("-");
    if (i > 0) data.splice(3, 1, s.slice(0, i), s.slice(i));
    else data.push(""); // dummy zone
  }
  if (data.length < 5) return null;
  let [dd, mm, yy, tm, tz] = data as [string, string, string, string, string];
  if (!(dd && mm && yy)) return null;
  mm = mm.toLowerCase();
  if (!PY_MONTHS.includes(mm)) {
    [dd, mm] = [mm, dd.toLowerCase()];
    if (!PY_MONTHS.includes(mm)) return null;
  }
  const month = PY_MONTHS.indexOf(mm) % 12; // 0-based
  if (dd.endsWith(",")) dd = dd.slice(0, -1);
  if (yy.indexOf(":") > 0) [yy, tm] = [tm, yy];
  if (yy.endsWith(",")) {
    yy = yy.slice(0, -1);
    if (!yy) return null;
  }
  if (!pyIsDigit(yy[0])) [yy, tz] = [tz, yy];
  if (tm === "") return null; // IndexError in Python
  if (tm.endsWith(",")) tm = tm.slice(0, -1);
  let parts: (string | number)[] = tm.split(":");
  if (parts.length === 2) parts.push("0");
  else if (parts.length === 1 && parts[0]!.toString().includes(".")) {
    parts = parts[0]!.toString().split(".");
    if (parts.length === 2) parts.push(0);
    else if (parts.length !== 3) return null;
  } else if (parts.length !== 3) return null;
  const nums = [yy, dd, ...parts].map(pyInt);
  if (nums.includes(null)) return null;
  const [rawYear, day, hour, minute, second] = nums as number[];
  // Two-digit years, the POSIX way: 69-99 are 1969-1999, the rest 2000-2068.
  let year = rawYear!;
  if (year < 100) year += year > 68 ? 1900 : 2000;
  const zone = tz.toUpperCase();
  let offset = PY_UTC_ZONES.has(zone) ? 0 : PY_US_ZONES.has(zone) ? -1 : null;
  if (offset === null) {
    offset = pyInt(zone);
    if (offset === 0 && zone.startsWith("-")) offset = null; // -0000
  }
  // A non-zero offset (valid or not) can never give timezone.utc.
  const zoneIsUtc = offset === null || offset === 0;
  // datetime() rejects what utcMs rejects; hours, minutes, seconds and days
  // may be negative in the tuple, which datetime() rejects as well.
  if ([day, hour, minute, second].some((n) => n! < 0)) return null;
  const ms = utcMs(year, month, day!, hour!, minute!, second!, false);
  return ms === null ? null : { ms, zoneIsUtc };
}

/**
 * CPython's `If-Modified-Since` rule (`SimpleHTTPRequestHandler.send_head`,
 * 3.7+), exactly: `ims` is parsed with `email.utils.parsedate_to_datetime`
 * (lenient RFC 2822 parsing, asctime and RFC 850 forms accepted); a value
 * it cannot parse is ignored (false); a date with no zone, an unknown zone
 * name or `-0000` is taken as UTC; only a UTC date (`GMT`, `UT`, `UTC`, `Z`,
 * `+0000`, or no zone) is compared, any other offset (`+0100`, `EST`) gives
 * false; then true when the mtime, truncated to whole seconds, is not later
 * than the date.
 */
export function pythonNotModified(ims: string, mtimeMs: number): boolean {
  const parsed = pythonParseDate(ims);
  if (parsed === null || !parsed.zoneIsUtc) return false;
  return Math.floor(mtimeMs / 1000) * 1000 <= parsed.ms;
}

/**
 * The strong entity-tag this package sends for a file:
 * `"<size>-<mtime>"`, where `<size>` is the size in bytes and `<mtime>` the
 * modification time in whole milliseconds since the epoch (floored), both in
 * lower-case hexadecimal; when `ino` is given, `"<ino>-<size>-<mtime>"`
 * with the inode number in hexadecimal first. Example: a 30-byte file
 * modified at 1700000000123 ms gets `"1e-18bcfe5687b"`. No file content is
 * hashed, so computing it costs one `stat`; like nginx's and Apache's
 * ETags it is strong because it changes whenever a write changes the size
 * or the mtime.
 */
export function makeEtag(
  size: number,
  mtimeMs: number,
  ino?: number | null,
): string {
  const core = `${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}`;
  return ino === undefined || ino === null
    ? `"${core}"`
    : `"${ino.toString(16)}-${core}"`;
}

/**
 * Go's `scanETag`: the entity-tag at the start of `s` (after spaces) and the
 * text after it, or null when `s` does not start with a valid
 * `[W/]"etagc*"`.
 */
function scanEtag(s: string): [tag: string, rest: string] | null {
  const t = trimOws(s);
  const start = t.startsWith("W/") ? 2 : 0;
  if (t.length - start < 2 || t[start] !== '"') return null;
  for (let i = start + 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x22) return [t.slice(0, i + 1), t.slice(i + 1)];
    if (!(c === 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80)) return null;
  }
  return null;
}

/** RFC 9110 section 8.8.3.2 strong comparison. */
function strongMatch(a: string, b: string): boolean {
  return a === b && a.startsWith('"');
}

/** RFC 9110 section 8.8.3.2 weak comparison. */
function weakMatch(a: string, b: string): boolean {
  return a.replace(/^W\//, "") === b.replace(/^W\//, "");
}

/**
 * Whether an `If-Match` / `If-None-Match` list matches: `*` matches any
 * existing representation, an entity-tag matches `etag` by strong or weak
 * comparison. Scanning stops at the first malformed element (Go's rule).
 */
function listMatches(list: string, etag: string | null, strong: boolean) {
  let rest = list;
  for (;;) {
    rest = trimOws(rest);
    if (rest === "") return false;
    if (rest[0] === ",") {
      rest = rest.slice(1);
      continue;
    }
    if (rest[0] === "*") return true;
    const scanned = scanEtag(rest);
    if (scanned === null) return false;
    const [tag, after] = scanned;
    if (etag !== null && (strong ? strongMatch : weakMatch)(tag, etag)) {
      return true;
    }
    rest = after;
  }
}

function truncateToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** The request fields {@linkcode evaluatePreconditions} reads. */
const PRECONDITIONS = [
  "If-Match",
  "If-None-Match",
  "If-Modified-Since",
  "If-Unmodified-Since",
];

/** Whether a request carries a precondition (no closure, no allocation). */
export function hasPreconditions(
  headers: { has(name: string): boolean },
): boolean {
  for (let i = 0; i < PRECONDITIONS.length; i++) {
    if (headers.has(PRECONDITIONS[i]!)) return true;
  }
  return false;
}

/**
 * Evaluates the preconditions of a request for an existing representation,
 * in RFC 9110 section 13.2.2 order (as Go's `checkPreconditions`):
 *
 * 1. `If-Match` (strong comparison, `*` matches): false gives
 *    `"precondition-failed"`. When it is absent or empty,
 *    `If-Unmodified-Since` instead: a valid HTTP-date earlier than the
 *    mtime (both at one-second resolution) gives `"precondition-failed"`;
 *    an unparseable date or an unknown mtime is ignored.
 * 2. `If-None-Match` (weak comparison, `*` matches): a match gives
 *    `"not-modified"` for GET and HEAD, `"precondition-failed"` for other
 *    methods; no match gives `"proceed"` and `If-Modified-Since` is not
 *    looked at. As in CPython, a present but empty `If-None-Match` still
 *    counts as present.
 * 3. Only when `If-None-Match` is absent, for GET and HEAD with a known
 *    mtime: `If-Modified-Since` by {@linkcode pythonNotModified}, so that
 *    CPython's answers are kept.
 *
 * `If-Range` is separate: see {@linkcode ifRangeAllows}. Methods are
 * compared case-sensitively (`get` is not GET).
 */
export function evaluatePreconditions(
  method: string,
  get: HeaderGetter,
  v: Validators,
): PreconditionResult {
  const safe = method === "GET" || method === "HEAD";
  const ifMatch = get("If-Match");
  if (ifMatch !== undefined && trimOws(ifMatch) !== "") {
    if (!listMatches(ifMatch, v.etag, true)) return "precondition-failed";
  } else {
    const ius = get("If-Unmodified-Since");
    if (ius !== undefined && v.mtimeMs !== null) {
      const t = parseHttpDate(ius);
      if (t !== null && truncateToSecond(v.mtimeMs) > t) {
        return "precondition-failed";
      }
    }
  }
  const ifNoneMatch = get("If-None-Match");
  if (ifNoneMatch !== undefined) {
    if (!listMatches(ifNoneMatch, v.etag, false)) return "proceed";
    return safe ? "not-modified" : "precondition-failed";
  }
  const ims = get("If-Modified-Since");
  if (safe && ims !== undefined && v.mtimeMs !== null) {
    if (pythonNotModified(ims, v.mtimeMs)) return "not-modified";
  }
  return "proceed";
}

/**
 * Whether a `Range` header may be honoured given `If-Range` (RFC 9110
 * section 13.1.5): true when `If-Range` is absent; when it is an
 * entity-tag, true only for a strong tag equal to `v.etag` (a weak tag never
 * matches, and nothing may follow the tag); otherwise true only when it is
 * a valid HTTP-date equal to the mtime truncated to the second. Anything
 * else, including an empty value, is false: the whole representation is
 * sent with 200, which is always a correct answer.
 */
export function ifRangeAllows(get: HeaderGetter, v: Validators): boolean {
  const ifRange = get("If-Range");
  if (ifRange === undefined) return true;
  const value = trimOws(ifRange);
  if (value.startsWith('"') || value.startsWith("W/")) {
    const scanned = scanEtag(value);
    return scanned !== null && trimOws(scanned[1]) === "" &&
      v.etag !== null && strongMatch(scanned[0], v.etag);
  }
  if (v.mtimeMs === null) return false;
  const t = parseHttpDate(value);
  return t !== null && t === truncateToSecond(v.mtimeMs);
}
