// Copyright 2026 the httpserver authors. MIT license.
/**
 * Dates on the wire and in the log: the one table of day and month names,
 * the IMF-fixdate of `Date` and `Last-Modified` (format and the cached
 * current one), the HTTP-date parser of the conditional headers (RFC 9110
 * section 5.6.7), and the local time of Python's log lines.
 * @module
 */
import { trimOws } from "../../_text.ts";

/** Day abbreviations, Monday first (Python's `weekdayname`). */
export const WEEKDAYS: readonly string[] = Object.freeze(
  "Mon Tue Wed Thu Fri Sat Sun".split(" "),
);
/** Month abbreviations, January first (Python's `monthname[1:]`). */
export const MONTHS: readonly string[] = Object.freeze(
  "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" "),
);
/** Full day names, Monday first, as RFC 850 dates spell them. */
const LONG_WEEKDAYS: readonly string[] = Object.freeze(
  "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(" "),
);
/** Full month names, January first. */
export const LONG_MONTHS: readonly string[] = Object.freeze(
  ("January February March April May June July August September October" +
    " November December").split(" "),
);

/** `WEEKDAYS` in the order of `Date.prototype.getUTCDay()` (Sunday first). */
const DAY_OF_WEEK = [WEEKDAYS[6]!, ...WEEKDAYS.slice(0, 6)];

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/**
 * IMF-fixdate in GMT (`Sun, 06 Nov 1994 08:49:37 GMT`) for a time in ms.
 * From the year 1000 on this is `new Date(ms).toUTCString()` (tested on
 * 200,000 random dates), which is slower; before it, the year is not padded
 * to four digits.
 */
export function formatHttpDate(ms: number): string {
  // The same few `Last-Modified` times are formatted for every request.
  let text = recentDates.get(ms);
  if (text === undefined) {
    text = formatDate(ms);
    if (recentDates.size >= 256) recentDates.clear();
    recentDates.set(ms, text);
  }
  return text;
}

const recentDates = new Map<number, string>();

function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${DAY_OF_WEEK[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${
    MONTHS[d.getUTCMonth()]
  } ${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${
    pad2(d.getUTCSeconds())
  } GMT`;
}

let cachedDateSecond = -1;
let cachedDate = "";
/** The current IMF-fixdate, recomputed at most once a second. */
export function currentHttpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== cachedDateSecond) {
    cachedDateSecond = second;
    cachedDate = formatDate(second * 1000);
  }
  return cachedDate;
}

/** Local time as `DD/Mon/YYYY HH:MM:SS`, as Python's log lines show it. */
export function formatLogDate(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()} ${
    pad2(d.getHours())
  }:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

const lower = (names: readonly string[]) => names.map((n) => n.toLowerCase());
const MONTH_INDEX: ReadonlyMap<string, number> = new Map(
  lower(MONTHS).map((m, i) => [m, i]),
);
/** Lower-case day abbreviations. */
export const SHORT_DAY_SET: ReadonlySet<string> = new Set(lower(WEEKDAYS));
const LONG_DAY_SET: ReadonlySet<string> = new Set(lower(LONG_WEEKDAYS));

const IMF_FIXDATE =
  /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE =
  /^([A-Za-z]{6,9}), (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE =
  /^([A-Za-z]{3}) ([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * Milliseconds for a proleptic Gregorian UTC date (`month` 0-based), or
 * null when a field is out of range (`second` may be 60 only when `leap`
 * allows it).
 */
export function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  leap: boolean,
): number | null {
  if (year < 1 || year > 9999 || month < 0 || month > 11) return null;
  const dim = month === 1 && isLeap(year) ? 29 : DAYS_IN_MONTH[month]!;
  if (day < 1 || day > dim || hour > 23 || minute > 59) return null;
  if (second > (leap ? 60 : 59)) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/**
 * Parses an HTTP-date (RFC 9110 section 5.6.7) into ms since the epoch: the
 * IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
 * (`Sunday, 06-Nov-94 08:49:37 GMT`) and the asctime form
 * (`Sun Nov  6 08:49:37 1994`). Day and month names are matched without
 * regard to case; the day name is checked but, as in Go, not compared with
 * the date. A two-digit RFC 850 year more than 50 years after `nowMs` is
 * taken from the previous century (RFC 9110). Surrounding spaces are
 * ignored; anything else, including an impossible date, gives null.
 */
export function parseHttpDate(
  s: string,
  nowMs: number = Date.now(),
): number | null {
  const value = trimOws(s);
  let m = IMF_FIXDATE.exec(value);
  if (m) {
    if (!SHORT_DAY_SET.has(m[1]!.toLowerCase())) return null;
    const month = MONTH_INDEX.get(m[3]!.toLowerCase());
    if (month === undefined) return null;
    return utcMs(+m[4]!, month, +m[2]!, +m[5]!, +m[6]!, +m[7]!, true);
  }
  m = RFC850_DATE.exec(value);
  if (m) {
    if (!LONG_DAY_SET.has(m[1]!.toLowerCase())) return null;
    const month = MONTH_INDEX.get(m[3]!.toLowerCase());
    if (month === undefined) return null;
    const thisYear = new Date(nowMs).getUTCFullYear();
    let year = thisYear - (thisYear % 100) + +m[4]!;
    if (year > thisYear + 50) year -= 100;
    return utcMs(year, month, +m[2]!, +m[5]!, +m[6]!, +m[7]!, true);
  }
  m = ASCTIME_DATE.exec(value);
  if (m) {
    if (!SHORT_DAY_SET.has(m[1]!.toLowerCase())) return null;
    const month = MONTH_INDEX.get(m[2]!.toLowerCase());
    if (month === undefined) return null;
    return utcMs(+m[7]!, month, +m[3]!, +m[4]!, +m[5]!, +m[6]!, true);
  }
  return null;
}
