// Copyright 2026 the httpserver authors. MIT license.
/**
 * A member's bytes: exactly the size the walk measured, read in 1 MiB
 * chunks with async calls, so a slow disk never stalls the event loop and
 * the reader waits for the writer (backpressure). A file that ends early
 * (it shrank) fails the archive: its header already promised the size.
 * @module
 */
import { ShortFileError } from "../_files/file_body.ts";

/** Bytes read per file call. */
export const READ_CHUNK = 1 << 20;

/**
 * A stream of the first `size` bytes of `file`, which it closes at the end,
 * on error and on cancel (closing it again is harmless). Fails with `ShortFileError` when the file ends
 * first; stops at `size` when the file grew.
 */
export function memberStream(
  file: Deno.FsFile,
  size: number,
  name: string,
): ReadableStream<Uint8Array> {
  let left = size;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      file.close();
    } catch { /* already closed */ }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (left === 0) {
        close();
        controller.close();
        return;
      }
      const buf = new Uint8Array(Math.min(READ_CHUNK, left));
      let n: number | null;
      try {
        n = await file.read(buf);
      } catch (error) {
        close();
        throw error;
      }
      if (n === null || n === 0) {
        close();
        throw new ShortFileError(
          `${name} ended ${left} bytes before its size ${size}`,
        );
      }
      left -= n;
      controller.enqueue(n === buf.length ? buf : buf.subarray(0, n));
    },
    cancel: close,
  }, { highWaterMark: 0 });
}

/** Opens `path` for reading, or null when it vanished or is unreadable. */
export async function openMember(path: string): Promise<Deno.FsFile | null> {
  try {
    return await Deno.open(path);
  } catch {
    return null;
  }
}
