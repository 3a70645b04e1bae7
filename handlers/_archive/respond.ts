// Copyright 2026 the httpserver authors. MIT license.
/**
 * `GET /folder/?zip`, `?tar` and `?tar=gz`: which archive a query asks
 * for, the response head (`Content-Disposition` with `filename*`,
 * `Cache-Control: no-store`, no length: chunked for HTTP/1.1 clients, else
 * the end of the connection ends the body), and the body itself, streamed
 * with backpressure. Once the head is out an error can only cut the body:
 * it is logged and the connection closed without the last chunk, so the
 * client sees a truncated transfer rather than a complete-looking archive.
 * @module
 */
import { type ArchiveEntry, walkFolder } from "./walk.ts";
import type { ServedFolder } from "../_files/containment.ts";
import { isDisconnect } from "../../_errors.ts";

/** An archive format a query can ask for. */
export type ArchiveFormat = "zip" | "tar" | "tar.gz";

const TYPES: Record<ArchiveFormat, string> = {
  "zip": "application/zip",
  "tar": "application/x-tar",
  "tar.gz": "application/gzip",
};

/**
 * The format the query string asks for (`zip`, `tar`, `tar=gz`), null when
 * it asks for none, or `"unsupported"` for `?zip=x` / `?tar=x` with an
 * unknown value.
 */
export function archiveFormat(
  query: string | null,
): ArchiveFormat | "unsupported" | null {
  if (!query) return null;
  for (const part of query.split("&")) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    if (key === "zip") return value === "" ? "zip" : "unsupported";
    if (key === "tar") {
      if (value === "") return "tar";
      return value === "gz" ? "tar.gz" : "unsupported";
    }
  }
  return null;
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 and 8187): an
 * ASCII fallback with unsafe characters replaced by `_`, and the exact
 * name percent-encoded.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const exact = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/**
 * The top folder's name inside the archive and in the file name: the last
 * segment of the decoded URL path, or the served folder's own name for
 * `/`, or `archive` when neither has one.
 */
export function archiveName(urlPath: string, directory: string): string {
  const segments = urlPath.split("/").filter((s) =>
    s && s !== "." && s !== ".."
  );
  const last = segments.at(-1) ??
    directory.split(/[\\/]/).filter(Boolean).at(-1) ?? "";
  // deno-lint-ignore no-control-regex
  const clean = last.replace(/[\x00-\x1f\x7f/\\]/g, "_");
  return clean || "archive";
}

/** What {@linkcode sendArchive} needs of the handler. */
export interface ArchiveHost {
  readonly command: string;
  readonly protocolVersion: string;
  readonly requestVersion: string;
  closeConnection: boolean;
  extraResponseHeaders: [string, string][];
  sendResponse(code: number, message?: string | null): void;
  sendHeader(keyword: string, value: string): void;
  endHeaders(): Promise<void>;
  logError(format: string, ...args: unknown[]): void;
}

/** One archive request, resolved by the handler. */
export interface ArchiveRequest {
  /** The format asked for. */
  format: ArchiveFormat;
  /** The folder's file-system path (checked servable). */
  path: string;
  /** The top folder's name (see {@linkcode archiveName}). */
  name: string;
  /** The served folder and its containment rules. */
  folder: ServedFolder;
  /** Writes bytes to the connection, resolving when buffered or sent. */
  write: (bytes: Uint8Array) => Promise<void>;
}

const encoder = new TextEncoder();
const CRLF = encoder.encode("\r\n");
const LAST_CHUNK = encoder.encode("0\r\n\r\n");

/**
 * Sends the archive: the head, then (unless HEAD) the body. Resolves to
 * true when the last byte of the body was handed to the connection, false
 * for HEAD or a body cut short (logged; the connection then closes).
 */
export async function sendArchive(
  h: ArchiveHost,
  request: ArchiveRequest,
): Promise<boolean> {
  const chunked = !h.closeConnection && h.protocolVersion >= "HTTP/1.1" &&
    h.requestVersion >= "HTTP/1.1";
  if (!chunked) h.closeConnection = true;
  h.sendResponse(200);
  h.sendHeader("Content-Type", TYPES[request.format]);
  h.sendHeader(
    "Content-Disposition",
    contentDisposition(`${request.name}.${request.format}`),
  );
  h.sendHeader("Cache-Control", "no-store");
  if (chunked && h.command !== "HEAD") {
    h.sendHeader("Transfer-Encoding", "chunked");
  }
  for (const [name, value] of h.extraResponseHeaders) {
    h.sendHeader(name, value);
  }
  await h.endHeaders();
  if (h.command === "HEAD") return false;
  const out = bodyStream(request.write, chunked);
  const entries: Iterable<ArchiveEntry> = walkFolder(
    request.path,
    request.name,
    request.folder,
  );
  try {
    // The writers load on first use: a server that never sends an archive
    // never loads them.
    if (request.format === "zip") {
      const { writeZip } = await import("./zip.ts");
      await writeZip(entries, out);
    } else {
      const { writeTar } = await import("./tar.ts");
      await writeTar(entries, out, request.format === "tar.gz");
    }
  } catch (error) {
    h.closeConnection = true;
    // A client that went away is not the server's error.
    if (!isDisconnect(error)) {
      h.logError("Archive cut short: %s", (error as Error).message ?? error);
    }
    return false;
  }
  if (chunked) await request.write(LAST_CHUNK);
  return true;
}

/**
 * The response body as a stream: each write framed as one chunk when
 * `chunked`, else passed through. The archive writers hand each chunk over:
 * once it is on its way to the socket nothing reads it again, so a large
 * one is freed at once ({@linkcode release}) rather than when the garbage
 * collector gets to it, which V8 does only after some 64 MiB of unused
 * buffers: the memory of a large archive stays flat.
 */
function bodyStream(
  write: (bytes: Uint8Array) => Promise<void>,
  chunked: boolean,
): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      if (chunk.length === 0) return;
      if (chunked) {
        await write(encoder.encode(chunk.length.toString(16) + "\r\n"));
        await write(chunk);
        await write(CRLF);
      } else await write(chunk);
      release(chunk);
    },
  });
}

/** Chunks at least this big are freed once written. */
const RELEASE_SIZE = 65536;

/**
 * Frees the memory of a written chunk that is a whole buffer of at least
 * {@linkcode RELEASE_SIZE} bytes (file data, never a view into a header or
 * a buffer a writer keeps), by detaching its buffer.
 */
function release(chunk: Uint8Array): void {
  const { buffer } = chunk;
  if (
    chunk.byteLength >= RELEASE_SIZE && chunk.byteOffset === 0 &&
    buffer instanceof ArrayBuffer && buffer.byteLength === chunk.byteLength
  ) buffer.transfer(0);
}
