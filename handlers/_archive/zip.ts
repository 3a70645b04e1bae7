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
 * @module
 */
import { ZipWriter } from "@zip.js/zip.js";
import type { ArchiveEntry } from "./walk.ts";
import { openMember } from "./source.ts";

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
    const member = openMember(entry);
    if (!member) continue;
    try {
      await zip.add(
        entry.name,
        { readable: member.stream },
        {
          ...common,
          uncompressedSize: entry.size,
          zip64: entry.size >= ZIP64_SIZE,
        },
      );
    } finally {
      member.close();
    }
  }
  await zip.close();
}
