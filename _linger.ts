// Copyright 2026 the httpserver authors. MIT license.
/**
 * Lingering close (RFC 9112 section 9.6, nginx's `lingering_close`). When
 * the server ends a connection while the client may still be sending (a 413
 * to an upload over the limit, a 400 in the middle of a body, a 401 to a
 * large PUT), closing at once with unread bytes makes the kernel send a
 * reset, and the client often loses the response it has not read yet. So
 * the server first ends its side (the client sees the response end), then
 * reads and drops what the client still sends, for a bounded time and
 * size, then closes.
 * @module
 */
import type { Connection } from "./connection.ts";

/** Most bytes read and dropped while lingering. */
export const LINGER_MAX_BYTES: number = 256 * 1024 * 1024;
/** Longest wait for the client's next bytes while lingering (nginx: 5 s). */
export const LINGER_GAP_MS = 5000;

/**
 * Every lingering connection reads into the same buffer: what it reads is
 * dropped unseen.
 */
const scratch = new Uint8Array(65536);

/** One read of at most `ms`; "timeout" when nothing came, null at EOF or on error. */
function readWithin(
  conn: Connection,
  ms: number,
): Promise<number | null | "timeout"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), ms);
    conn.read(scratch).then((n) => {
      clearTimeout(timer);
      resolve(n);
    }, () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}

/**
 * Ends the write side of `conn` (after the response), then reads and drops
 * what the client still sends until it ends its side, no byte comes for
 * {@linkcode LINGER_GAP_MS}, `totalMs` pass, or
 * {@linkcode LINGER_MAX_BYTES} arrive. The caller closes the connection
 * then. A transport without `closeWrite()` is not lingered on. Never throws.
 */
export async function linger(conn: Connection, totalMs: number): Promise<void> {
  if (!conn.closeWrite || !(totalMs > 0)) return;
  const deadline = performance.now() + totalMs;
  try {
    await conn.closeWrite();
    for (let dropped = 0; dropped < LINGER_MAX_BYTES;) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      const n = await readWithin(conn, Math.min(LINGER_GAP_MS, left));
      if (typeof n !== "number") return;
      dropped += n;
    }
  } catch { /* reset or closed: nothing more to wait for */ }
}
