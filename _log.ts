// Copyright 2026 the httpserver authors. MIT license.
/** Writing log text to standard error, as Python's `sys.stderr.write`. @module */

const encoder = new TextEncoder();

/** Writes `text` to stderr in full, synchronously, ignoring a closed stderr. */
export function writeStderr(text: string): void {
  const bytes = encoder.encode(text);
  try {
    let off = 0;
    while (off < bytes.length) {
      off += Deno.stderr.writeSync(bytes.subarray(off));
    }
  } catch {
    // stderr is gone (closed pipe): logging must never break serving.
  }
}
