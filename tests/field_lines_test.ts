// Copyright 2026 the httpserver authors. MIT license.
// The field-line reader shared by request heads and CGI output
// (handlers/_http1/field_lines.ts), line by line, under two value rules.
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { FieldLines, shownLine } from "../handlers/_http1/field_lines.ts";

/** Feeds `lines`; the fields passed on, or the index of the first bad line. */
function read(
  lines: string[],
  badValue = /[\r\n\0]/,
): [string, string][] | number {
  const fields: [string, string][] = [];
  const reader = new FieldLines(badValue, (name, value) => {
    fields.push([name, value]);
  });
  for (const [i, line] of lines.entries()) {
    if (!reader.add(line)) return i;
  }
  reader.end();
  return fields;
}

Deno.test("FieldLines reads names and values, optional whitespace stripped", () => {
  deepStrictEqual(read(["Host: a", "X-Y:\t b \t", "Empty:"]), [
    ["Host", "a"],
    ["X-Y", "b"],
    ["Empty", ""],
  ]);
});

Deno.test("FieldLines joins obsolete line folding with one space", () => {
  deepStrictEqual(read(["A: one", "  two ", "\tthree", " ", "B: x"]), [
    ["A", "one two three"],
    ["B", "x"],
  ]);
  deepStrictEqual(read(["A:", " two"]), [["A", "two"]]);
});

Deno.test("FieldLines refuses a fold with nothing to continue, a bad name, a bad value", () => {
  strictEqual(read([" folded"]), 0);
  strictEqual(read(["A: b", "no colon"]), 1);
  strictEqual(read([": empty name"]), 0);
  strictEqual(read(["Bad Name: v"]), 0);
  strictEqual(read(["A(b): v"]), 0);
  strictEqual(read(["A: b\0c"]), 0);
  strictEqual(read(["A: b", " c\0"]), 1);
});

Deno.test("FieldLines applies the caller's value rule", () => {
  const controls = /[^\x20-\x7e\t\x80-\xff]/;
  strictEqual(read(["A: b\x01"], controls), 0);
  deepStrictEqual(read(["A: b\x01"]), [["A", "b\x01"]]);
});

Deno.test("FieldLines passes a field on only once it is complete", () => {
  const seen: string[] = [];
  const reader = new FieldLines(/\0/, (name) => seen.push(name));
  reader.add("A: 1");
  reader.add(" more");
  deepStrictEqual(seen, []);
  reader.add("B: 2");
  deepStrictEqual(seen, ["A"]);
  reader.end();
  reader.end();
  deepStrictEqual(seen, ["A", "B"]);
});

Deno.test("shownLine is Python's repr, cut at 80 characters", () => {
  strictEqual(shownLine("bad line"), "'bad line'");
  strictEqual(shownLine("it's"), `"it's"`);
  strictEqual(shownLine("x".repeat(81)), `'${"x".repeat(80)}...'`);
  strictEqual(shownLine("x".repeat(80)), `'${"x".repeat(80)}'`);
});
