// Copyright 2026 the httpserver authors. MIT license.
/**
 * Response bodies of `SimpleHTTPRequestHandler`: small files and listings
 * held in memory, large files streamed through one fixed buffer.
 *
 * File calls: metadata (`stat`, `realPath`, `readDir`) and whole reads of
 * small files are synchronous, because one Deno async file call costs a
 * thread-pool round trip (several microseconds) that dwarfs the work for a
 * small file on a local disk; large files are read one
 * {@linkcode CHUNK_SIZE} buffer at a time, synchronously too until a read
 * is slow (see {@linkcode streamSpan}).
 * Small files are also kept in memory by `_file_cache.ts`, so that a
 * repeated request makes one `stat` and no other file call.
 * @module
 */

import type { FileSpan, SimpleBody } from "../simple_types.ts";
import { connIO } from "../_http1/conn_io.ts";
import { type ByteRange, contentRange, multipartPlan } from "./range.ts";

/** Files up to this size are read whole and sent with their head. */
export const SMALL_FILE = 65536;
/** The streaming buffer for larger files. */
export const CHUNK_SIZE = 262144;

/** A file that ended before the bytes its `Content-Length` promised. */
export class ShortFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShortFileError";
  }
}

/**
 * Large streaming buffers lent out at once, at most; the pool keeps as many,
 * so that they are allocated once. Many large files streamed at once (to
 * slow clients, say) would otherwise each hold two fresh 256 KiB buffers,
 * and the freed ones stay in the process's memory.
 */
const LARGE_MAX = 16;
/** The buffer size once the large ones are all lent out. */
export const SMALL_CHUNK_SIZE = 32768;
const SMALL_POOL_MAX = 64;
const largePool: Uint8Array[] = [];
const smallPool: Uint8Array[] = [];
let largeOut = 0;

/**
 * Borrows a streaming buffer: {@linkcode CHUNK_SIZE} bytes while fewer than
 * 16 of those are lent out, else {@linkcode SMALL_CHUNK_SIZE}. Give it back
 * with {@linkcode releaseBuffer}.
 */
export function takeBuffer(): Uint8Array {
  if (largeOut < LARGE_MAX) {
    largeOut++;
    return largePool.pop() ?? new Uint8Array(CHUNK_SIZE);
  }
  return smallPool.pop() ?? new Uint8Array(SMALL_CHUNK_SIZE);
}

/** Large streaming buffers lent out now. */
export function largeBuffersOut(): number {
  return largeOut;
}

/** Returns a buffer from {@linkcode takeBuffer} to its pool. */
export function releaseBuffer(buf: Uint8Array): void {
  if (buf.length === CHUNK_SIZE) {
    largeOut--;
    largePool.push(buf);
  } else if (smallPool.length < SMALL_POOL_MAX) smallPool.push(buf);
}

/** Opens `path` for reading, synchronously; null when it cannot be opened. */
export function openFile(path: string): Deno.FsFile | null {
  try {
    return Deno.openSync(path);
  } catch {
    return null;
  }
}

/** Closes `file`, ignoring a file that is already closed. */
export function closeQuietly(file: Deno.FsFile): void {
  try {
    file.close();
  } catch { /* already closed */ }
}

/**
 * Reads up to `size` bytes of `file` from its start, synchronously. Fewer
 * come back when the file shrank since it was measured.
 */
export function readSmall(file: Deno.FsFile, size: number): Uint8Array {
  const buf = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const n = file.readSync(buf.subarray(at));
    if (n === null || n === 0) break;
    at += n;
  }
  return at === size ? buf : buf.subarray(0, at);
}

/** A synchronous read slower than this sends the file's next reads to the thread pool. */
const SLOW_READ_MS = 10;

/**
 * Writes `span` of `file` with `write`, awaiting each write (backpressure).
 * Two buffers from {@linkcode takeBuffer} take turns: the next chunk is read
 * while the previous one is being written. Chunks are read synchronously,
 * as nginx reads without `aio` (from the page cache that costs less than a
 * round trip through Deno's thread pool, and holds no thread's memory),
 * until one read takes over 10 ms: a slow disk, whose next reads go to the
 * thread pool so that they do not stall other connections. Throws
 * {@linkcode ShortFileError} when the file ends early or cannot be read;
 * the caller must then end the connection, since the client was promised
 * more bytes.
 */
export async function streamSpan(
  file: Deno.FsFile,
  span: FileSpan,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  let left = span.end - span.start;
  if (left <= 0) return;
  try {
    file.seekSync(span.start, Deno.SeekMode.Start);
  } catch (error) {
    throw new ShortFileError(`Cannot seek: ${(error as Error).message}`);
  }
  let current = takeBuffer();
  let next: Uint8Array | null = left > current.length ? takeBuffer() : null;
  let sync = true;
  const readInto = (buf: Uint8Array, want: number) => {
    const view = want < buf.length ? buf.subarray(0, want) : buf;
    if (!sync) return file.read(view);
    try {
      const started = performance.now();
      const n = file.readSync(view);
      // A slow disk: the next reads go to the thread pool instead.
      if (performance.now() - started > SLOW_READ_MS) sync = false;
      return Promise.resolve(n);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  let reading: Promise<number | null> | null = readInto(current, left);
  try {
    while (left > 0) {
      let n: number | null;
      try {
        n = await reading;
      } catch (error) {
        throw new ShortFileError(
          `Cannot read the file: ${(error as Error).message}`,
        );
      } finally {
        reading = null;
      }
      if (n === null || n === 0) {
        throw new ShortFileError(
          `File ended ${left} bytes before its announced length`,
        );
      }
      left -= n;
      // Start writing this chunk, then read the next one into the other
      // buffer while the socket takes it.
      const writing = write(current.subarray(0, n));
      if (left > 0 && next) {
        [current, next] = [next, current];
        reading = readInto(current, left);
      }
      await writing;
      if (left > 0 && !next) reading = readInto(current, left);
    }
  } finally {
    // A read still in flight (the write failed) must end before the file
    // is closed and its buffer reused.
    if (reading) await (reading as Promise<unknown>).catch(() => {});
    releaseBuffer(current);
    if (next) releaseBuffer(next);
  }
}

/** The status, framing headers and body of a file response. */
export interface BodyPlan {
  /** 200 for the whole file, 206 for ranges. */
  status: 200 | 206;
  /** The file's type, or `multipart/byteranges; boundary=...`. */
  contentType: string;
  /** The `Content-Range` of a single range, else null. */
  contentRange: string | null;
  /** The body; its `length` is the `Content-Length`. */
  body: SimpleBody;
}

/**
 * Plans the body of a file of `size` bytes held in memory (`source` bytes) or
 * open (`source` a file): the whole file when `ranges` is null, one range as
 * a plain 206 body, several as `multipart/byteranges`.
 */
export function planBody(
  source: Uint8Array | Deno.FsFile,
  size: number,
  ranges: readonly ByteRange[] | null,
  ctype: string,
): BodyPlan {
  const data = source instanceof Uint8Array ? source : null;
  const piece = (r: ByteRange): Uint8Array | FileSpan =>
    data
      ? data.subarray(r.start, r.end + 1)
      : { start: r.start, end: r.end + 1 };
  const body: SimpleBody = {
    pieces: [],
    file: data ? null : source as Deno.FsFile,
    length: size,
  };
  if (ranges === null || ranges.length === 0) {
    body.pieces.push(data ?? { start: 0, end: size });
    return { status: 200, contentType: ctype, contentRange: null, body };
  }
  if (ranges.length === 1) {
    const r = ranges[0]!;
    body.pieces.push(piece(r));
    body.length = r.end - r.start + 1;
    return {
      status: 206,
      contentType: ctype,
      contentRange: contentRange(r, size),
      body,
    };
  }
  const plan = multipartPlan(ranges, size, ctype);
  for (const part of plan.parts) body.pieces.push(part.head, piece(part.range));
  body.pieces.push(plan.tail);
  body.length = plan.length;
  return {
    status: 206,
    contentType: plan.contentType,
    contentRange: null,
    body,
  };
}

/** What copying a body needs of the handler. */
export interface CopyHost {
  /** Set when the body was cut short: the connection must end. */
  closeConnection: boolean;
  logError(format: string, ...args: unknown[]): void;
}

/**
 * Writes `source` to `stream`, or straight to the handler's connection when
 * `stream` is null. A file that ends early (it shrank while being sent) or
 * cannot be read ends the response: the error is logged and the connection
 * closed, so the client sees a short body rather than a wrong one; then it
 * resolves to false.
 */
export async function copyBody(
  host: CopyHost,
  source: SimpleBody,
  stream: WritableStream<Uint8Array> | null,
): Promise<boolean> {
  const first = source.pieces[0];
  if (
    stream === null && source.pieces.length === 1 &&
    first instanceof Uint8Array
  ) {
    // A small file or a listing: one write into the gathering buffer.
    await connIO(host).out!.write(first);
    return true;
  }
  let write: (chunk: Uint8Array) => Promise<void>;
  let writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  if (stream === null) {
    const out = connIO(host).out!;
    write = (chunk) => out.write(chunk);
  } else {
    const w = writer = stream.getWriter();
    write = (chunk) => w.write(chunk.slice());
  }
  try {
    for (const piece of source.pieces) {
      if (piece instanceof Uint8Array) await write(piece);
      else await streamSpan(source.file!, piece, write);
    }
  } catch (error) {
    if (!(error instanceof ShortFileError)) throw error;
    host.logError("Response cut short: %s", error.message);
    host.closeConnection = true;
    return false;
  } finally {
    writer?.releaseLock();
  }
  return true;
}
