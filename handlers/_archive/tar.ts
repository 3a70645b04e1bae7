// Copyright 2026 the httpserver authors. MIT license.
/**
 * A tar of the walked members, packed by modern-tar (ustar headers, PAX
 * records for long names, non-ASCII names and sizes past 8 GiB), gzipped
 * by the runtime's `CompressionStream` when asked. The packer's output is
 * piped into the response stream while members are added, so a slow
 * client holds back the file reads (backpressure).
 * @module
 */
import { createTarPacker, type TarHeader } from "modern-tar";
import type { ArchiveEntry } from "./walk.ts";
import { openMember } from "./source.ts";

/**
 * Writes the tar (gzipped when `gzip`) of `entries` to `out`, closing it at
 * the end. Members that vanished before they were opened are left out; a
 * member that fails while it is being read fails the whole write.
 */
export async function writeTar(
  entries: Iterable<ArchiveEntry>,
  out: WritableStream<Uint8Array>,
  gzip: boolean,
): Promise<void> {
  const { readable, controller } = createTarPacker();
  const output = gzip
    ? readable.pipeThrough(new CompressionStream("gzip"))
    : readable;
  const piped = output.pipeTo(out);
  // When the client goes away the pipe fails and the packer stops reading:
  // a member write would then wait forever, so each one races the pipe.
  const broken = piped.then(() => new Promise<never>(() => {}));
  broken.catch(() => {});
  try {
    for (const entry of entries) {
      const header: TarHeader = {
        name: entry.name,
        size: entry.directory ? 0 : entry.size,
        type: entry.directory ? "directory" : "file",
        mtime: entry.mtime ?? undefined,
        mode: entry.mode ?? (entry.directory ? 0o755 : 0o644),
      };
      if (entry.directory) {
        await Promise.race([controller.add(header).close(), broken]);
        continue;
      }
      const member = openMember(entry);
      if (!member) continue;
      try {
        await Promise.race([
          member.stream.pipeTo(controller.add(header)),
          broken,
        ]);
      } finally {
        member.close();
      }
    }
    controller.finalize();
  } catch (error) {
    controller.error(error);
    throw error;
  }
  await piped;
}
