// Copyright 2026 the httpserver authors. MIT license.
import { deepStrictEqual } from "node:assert/strict";
import fc from "fast-check";
import { sortByLowerName } from "../handlers/_files/listing.ts";

/** Python's `sorted(names, key=str.lower)`, written the slow, obvious way. */
function pythonOrder(names: string[]): string[] {
  const byCodePoint = (a: string, b: string): number => {
    const x = Array.from(a, (c) => c.codePointAt(0)!);
    const y = Array.from(b, (c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i]! - y[i]!;
    }
    return x.length - y.length;
  };
  return names
    .map((name, at) => ({ name, at, key: name.toLowerCase() }))
    .sort((a, b) => byCodePoint(a.key, b.key) || a.at - b.at)
    .map((e) => e.name);
}

const names = fc.array(
  fc.oneof(
    fc.string({ unit: fc.constantFrom("a", "A", "b", "B", "_", ".", "0") }),
    fc.string({ unit: "grapheme" }),
    fc.string({ unit: "binary" }),
    fc.constantFrom(
      "\u{1F600}",
      "\uFB01",
      "\uFFFD",
      "\u00e9",
      "\u00c9",
      "\u0130",
    ),
  ),
  { maxLength: 200 },
);

Deno.test("sortByLowerName orders names as Python's sorted(key=str.lower)", () => {
  fc.assert(
    fc.property(names, (list) => {
      const entries = list.map((name) => ({ name }));
      deepStrictEqual(
        sortByLowerName(entries).map((e) => e.name),
        pythonOrder(list),
      );
    }),
    { numRuns: 500 },
  );
});

Deno.test("sortByLowerName keeps the first order of names equal but for case", () => {
  // Long runs of equal keys, which the partitions move around.
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom("a", "A", "b", "B", "ab", "AB", "aB", ""), {
        minLength: 500,
        maxLength: 2000,
      }),
      (list) => {
        const sorted = sortByLowerName(list.map((name) => ({ name })));
        deepStrictEqual(sorted.map((e) => e.name), pythonOrder(list));
      },
    ),
    { numRuns: 20 },
  );
});
