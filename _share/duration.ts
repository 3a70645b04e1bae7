// Copyright 2026 the httpserver authors. MIT license.
/** Durations on the command line: `90s`, `10m`, `2h`, `1h30m`, `500ms`. @module */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * Milliseconds for `text`: one or more `<number><unit>` parts (units `ms`,
 * `s`, `m`, `h`, `d`), or a bare number of seconds. Throws a `RangeError`
 * with a sentence-case message for anything else, or for zero.
 */
export function parseDuration(text: string): number {
  const s = text.trim().toLowerCase();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(s)) ms = Number(s) * 1000;
  else {
    ms = 0;
    PART.lastIndex = 0;
    let at = 0;
    for (let m; (m = PART.exec(s));) {
      ms += Number(m[1]) * UNIT_MS[m[2]!]!;
      at = PART.lastIndex;
    }
    if (at === 0 || at !== s.length) {
      throw new RangeError(
        `Invalid duration ${JSON.stringify(text)}: use a number with a ` +
          "unit, such as 90s, 10m, 2h or 1h30m",
      );
    }
  }
  ms = Math.round(ms);
  if (!(ms > 0) || !Number.isSafeInteger(ms) || ms > 2 ** 31 - 1) {
    throw new RangeError(
      `Invalid duration ${
        JSON.stringify(text)
      }: it must be above zero and below 24 days`,
    );
  }
  return ms;
}

/** `1h30m`, `90s`, `250ms`: a duration for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest || parts.length === 0) parts.push(`${rest}s`);
  return parts.join("");
}
