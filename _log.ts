// Copyright 2026 the httpserver authors. MIT license.
/**
 * Writing to the standard streams: log text to standard error, as Python's
 * `sys.stderr.write`, and the banner to standard output.
 * @module
 */

const encoder = new TextEncoder();

/** Writes `text` to `stream` in full, synchronously. */
function writeAll(stream: typeof Deno.stdout, text: string): void {
  const bytes = encoder.encode(text);
  try {
    let off = 0;
    while (off < bytes.length) off += stream.writeSync(bytes.subarray(off));
  } catch {
    // The stream is gone (closed pipe): logging must never break serving.
  }
}

function writeProcessStderr(text: string): void {
  writeAll(Deno.stderr, text);
}

/** Writes `text` to stdout in full, synchronously, ignoring a closed stdout. */
export function writeStdout(text: string): void {
  writeAll(Deno.stdout, text);
}

let sink: (text: string) => void = writeProcessStderr;

/** Writes `text` (whole lines) to stderr, or to where `setStderrSink()` sent it. */
export function writeStderr(text: string): void {
  sink(text);
}

/**
 * Sends what `writeStderr()` gets to `write` instead (a worker hands its log
 * lines to the thread that owns the log stream); `null` restores stderr.
 */
export function setStderrSink(write: ((text: string) => void) | null): void {
  sink = write ?? writeProcessStderr;
}
