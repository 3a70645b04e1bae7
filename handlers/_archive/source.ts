// Copyright 2026 the httpserver authors. MIT license.
/**
 * A member's bytes: exactly the size the walk measured. Small files (up to
 * `SMALL_FILE`) are read whole with one synchronous call, as file serving
 * does, since an async file call costs more than the read; larger ones are
 * read in {@linkcode READ_CHUNK} pieces with async calls, so a slow disk
 * never stalls the event loop and the reader waits for the writer
 * (backpressure). A file that ends early (it shrank) fails the archive: its
 * header already promised the size; one that grew is cut at that size.
 * When asked, the CRC-32 of the bytes is computed as they are read, by
 * `node:zlib`'s native `crc32` (several times faster than a JavaScript one).
 * @module
 */
import { crc32 } from "node:zlib";
import { readSmall, ShortFileError, SMALL_FILE } from "../_files/file_body.ts";
import type { ArchiveEntry } from "./walk.ts";

/** Bytes read per file call for large members. */
export const READ_CHUNK = 1 << 20;

/** An opened member: its bytes, their checksum, and `close()`. */
export interface Member {
  /** The first `entry.size` bytes of the file. */
  stream: ReadableStream<Uint8Array>;
  /**
   * The CRC-32 of the bytes the stream has given so far (of them all once
   * it has ended); 0 unless asked for.
   */
  crc32(): number;
  /** Closes the file (idempotent, never throws; also done at the end). */
  close(): void;
}

/**
 * Opens the member's file, or returns null when it vanished or cannot be
 * read (it is then left out of the archive). `checksum` asks for the
 * CRC-32 of its bytes.
 */
export function openMember(
  entry: ArchiveEntry,
  checksum = false,
): Member | null {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(entry.path);
  } catch {
    return null;
  }
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    try {
      file.close();
    } catch { /* already closed */ }
  };
  const size = entry.size;
  let crc = 0;
  if (size <= SMALL_FILE) {
    let data: Uint8Array;
    try {
      data = readSmall(file, size);
    } catch {
      close();
      return null;
    }
    close();
    if (checksum && data.length === size) crc = crc32(data);
    return {
      stream: new ReadableStream({
        start(controller) {
          if (data.length < size) {
            controller.error(shortFile(entry, size - data.length));
            return;
          }
          if (size > 0) controller.enqueue(data);
          controller.close();
        },
      }),
      crc32: () => crc,
      close,
    };
  }
  let left = size;
  const stream = new ReadableStream<Uint8Array>({
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
        throw shortFile(entry, left);
      }
      left -= n;
      const chunk = n === buf.length ? buf : buf.subarray(0, n);
      if (checksum) crc = crc32(chunk, crc);
      controller.enqueue(chunk);
    },
    cancel: close,
  }, { highWaterMark: 0 });
  return { stream, crc32: () => crc, close };
}

function shortFile(entry: ArchiveEntry, missing: number): ShortFileError {
  return new ShortFileError(
    `${entry.name} ended ${missing} bytes before its size ${entry.size}`,
  );
}
