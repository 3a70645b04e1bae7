// Copyright 2026 the httpserver authors. MIT license.
/**
 * Byte-array helpers shared by the request body, the CGI runner and the
 * tests.
 * @module
 */

/**
 * Joins `parts` into one array. A single part is returned as it is, not
 * copied. `total`, the sum of the parts' lengths, saves a pass when the
 * caller has counted it.
 */
export function concatBytes(
  parts: readonly Uint8Array<ArrayBuffer>[],
  total?: number,
): Uint8Array<ArrayBuffer>;
export function concatBytes(
  parts: readonly Uint8Array[],
  total?: number,
): Uint8Array;
export function concatBytes(
  parts: readonly Uint8Array[],
  total: number = parts.reduce((n, p) => n + p.length, 0),
): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
