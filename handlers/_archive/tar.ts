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
  const guard = untilBroken(piped);
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
        await guard(controller.add(header).close());
        continue;
      }
      const member = openMember(entry);
      if (!member) continue;
      try {
        await guard(member.stream.pipeTo(controller.add(header)));
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

/**
 * When the client goes away the pipe fails and the packer stops reading: a
 * member write would then wait forever. The returned function makes a step
 * fail as soon as the pipe does. One listener on the pipe serves every
 * step (racing each step against a promise that never settles would keep
 * one reaction per member until the end).
 */
function untilBroken(
  piped: Promise<void>,
): <T>(step: Promise<T>) => Promise<T> {
  let broken: { error: unknown } | null = null;
  let abandon: ((error: unknown) => void) | null = null;
  piped.catch((error) => {
    broken = { error };
    abandon?.(error);
  });
  return <T>(step: Promise<T>) => {
    if (broken) {
      step.catch(() => {});
      return Promise.reject(broken.error);
    }
    return new Promise<T>((resolve, reject) => {
      abandon = reject;
      step.then(resolve, reject).finally(() => {
        if (abandon === reject) abandon = null;
      });
    });
  };
}
