// Copyright 2026 the httpserver authors. MIT license.
/**
 * Share a folder until someone has downloaded a file (or a zip of the
 * folder) completely, then exit: the scripting API of `--once`. Prints the
 * URL and its QR code, and each completed download.
 *
 * ```sh
 * deno run --allow-net --allow-read=photos --allow-sys=networkInterfaces \
 *   examples/share_once.ts photos
 * ```
 * @module
 */
import { shareDirectory, type StopReason } from "@x/httpserver/share";

/** Shares `directory` until the first complete download; resolves with why it stopped. */
export async function shareOnce(
  directory: string,
  port = 8000,
  print: (line: string) => void = console.log,
): Promise<StopReason> {
  await using share = await shareDirectory({
    directory,
    port,
    archive: true,
    listing: "rich",
    once: true,
    quiet: true,
  });
  print(`Sharing ${directory} at ${share.url} until the first download`);
  if (share.networkUrl) print(share.qr().text);
  share.addEventListener("download", (event) => {
    const { path, kind } = (event as CustomEvent).detail;
    print(`Downloaded ${path} (${kind})`);
  });
  return await share.finished;
}

if (import.meta.main) {
  const reason = await shareOnce(
    Deno.args[0] ?? ".",
    Number(Deno.args[1] ?? 8000),
  );
  console.log(reason.message);
}
