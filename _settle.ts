// Copyright 2026 the httpserver authors. MIT license.
/**
 * Waiting with a bound: the one helper the server, the engine's lanes, the
 * worker pool and the CGI runner use for their deadlines.
 * @module
 */

/** Waits for `p`, at most `ms` milliseconds; a rejection of `p` is thrown. */
export async function settle(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      p,
      new Promise<void>((r) => timer = setTimeout(r, ms)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
