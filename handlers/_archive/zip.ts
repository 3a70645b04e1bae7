// Copyright 2026 the httpserver authors. MIT license.
/**
 * A stored (uncompressed) zip of the walked members, written by
 * @zip.js/zip.js straight into the response stream: UTF-8 names (bit 11),
 * Unix "made by" with the permission bits, the extended-timestamp field for
 * exact mtimes, data descriptors, and ZIP64 fields where a size or an
 * offset passes 4 GiB. A member of 4 GiB or more is declared ZIP64 in its
 * local header (its size is known from the walk), which Info-ZIP, 7-Zip and
 * Python read without the "overlapped components" ambiguity of a ZIP64
 * descriptor behind a 32-bit local header.
 *
 * The bytes go through zip.js as they are ("pass-through", method 0), with
 * the CRC-32 computed natively by our reader (`source.ts`) rather than by
 * zip.js's JavaScript CRC: zip.js reads the value given as `crc32` only
 * when it writes the data descriptor and the central directory, after the
 * member's last byte, so the value is handed over as an object whose
 * `valueOf()` returns the checksum of what has been read. A test reads
 * every archive back with readers that check each CRC.
 * @module
 */
import { configure, ZipWriter } from "@zip.js/zip.js";
import type { ArchiveEntry } from "./walk.ts";
import { type Member, openMember, READ_CHUNK } from "./source.ts";

configure({ chunkSize: READ_CHUNK });

const ZIP64_SIZE = 0xffffffff;

/**
 * Writes the zip of `entries` to `out`, closing it at the end. Members that
 * vanished before they were opened are left out; a member that fails while
 * it is being read fails the whole write (the caller ends the response).
 */
export async function writeZip(
  entries: Iterable<ArchiveEntry>,
  out: WritableStream<Uint8Array>,
): Promise<void> {
  const zip = new ZipWriter(out, {
    level: 0,
    useWebWorkers: false,
    useCompressionStream: false,
    useUnicodeFileNames: true,
    keepOrder: true,
  });
  for (const entry of entries) {
    const common = {
      lastModDate: entry.mtime ?? undefined,
      unixMode: entry.mode ?? undefined,
    };
    if (entry.directory) {
      await zip.add(entry.name, null, { ...common, directory: true });
      continue;
    }
    const member = openMember(entry, true);
    if (!member) continue;
    const checksum = new LateChecksum(member);
    try {
      await zip.add(
        entry.name,
        { readable: member.stream, size: entry.size },
        {
          ...common,
          passThrough: true,
          compressionMethod: 0,
          crc32: checksum as unknown as number,
          dataDescriptor: true,
          uncompressedSize: entry.size,
          zip64: entry.size >= ZIP64_SIZE,
        },
      );
    } finally {
      checksum.settle();
      member.close();
    }
  }
  await zip.close();
}

/**
 * A member's CRC-32 as zip.js reads it: converted to a number (`valueOf()`)
 * when the descriptor is written, after the last byte. zip.js keeps it
 * with the entry until the end, so once the member is done it keeps only
 * the number, not the member (its stream and data).
 */
class LateChecksum {
  #member: Member | null;
  #value = 0;

  constructor(member: Member) {
    this.#member = member;
  }

  valueOf(): number {
    return this.#member ? this.#member.crc32() : this.#value;
  }

  /** Keeps the final value and lets the member go. */
  settle(): void {
    if (this.#member) this.#value = this.#member.crc32();
    this.#member = null;
  }
}
