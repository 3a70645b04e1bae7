// Copyright 2026 the httpserver authors. MIT license.
// The date formats of handlers/_http1/http_date.ts against the platform's
// own: IMF-fixdate is Date.prototype.toUTCString() from the year 1000 on.
import { strictEqual } from "node:assert/strict";
import {
  currentHttpDate,
  formatHttpDate,
  MONTHS,
  parseHttpDate,
  WEEKDAYS,
} from "../handlers/_http1/http_date.ts";

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const YEAR_1000 = Date.UTC(1000, 0, 1);
const YEAR_10000 = Date.UTC(10000, 0, 1);

Deno.test("formatHttpDate equals toUTCString() on 200,000 random dates from the year 1000 to 9999", () => {
  const next = random(12);
  for (let i = 0; i < 200_000; i++) {
    const ms = Math.floor(YEAR_1000 + next() * (YEAR_10000 - YEAR_1000));
    const text = formatHttpDate(ms);
    if (text !== new Date(ms).toUTCString()) {
      strictEqual(text, new Date(ms).toUTCString(), `at ${ms} ms`);
    }
    // And every one reads back to its second.
    if (parseHttpDate(text) !== Math.floor(ms / 1000) * 1000) {
      strictEqual(parseHttpDate(text), Math.floor(ms / 1000) * 1000, text);
    }
  }
});

Deno.test("currentHttpDate is the IMF-fixdate of the current second", () => {
  const before = Math.floor(Date.now() / 1000) * 1000;
  const now = parseHttpDate(currentHttpDate());
  const after = Math.floor(Date.now() / 1000) * 1000;
  strictEqual(now !== null && now >= before && now <= after, true);
});

Deno.test("the day and month names are Python's weekdayname and monthname[1:]", () => {
  strictEqual(WEEKDAYS.join(" "), "Mon Tue Wed Thu Fri Sat Sun");
  strictEqual(
    MONTHS.join(" "),
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
  );
});
