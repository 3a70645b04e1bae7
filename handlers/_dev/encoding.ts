// Copyright 2026 the httpserver authors. MIT license.
/**
 * Content codings for the development features: `Accept-Encoding`
 * negotiation with q-values (RFC 9110 section 12.5.3), the types worth
 * compressing, and the encoders (`node:zlib`: gzip, brotli, zstd).
 * @module
 */
import type { InputType } from "node:zlib";
import { trimOws } from "../../_text.ts";
import type { ContentCoding } from "../dev_types.ts";

/** The codings we produce, in the order that breaks q-value ties. */
export const CODINGS: readonly ContentCoding[] = ["zstd", "br", "gzip"];

/** The file-name suffix of each coding's precompressed sidecar. */
export const SIDECAR_SUFFIX: Readonly<Record<ContentCoding, string>> = {
  zstd: ".zst",
  br: ".br",
  gzip: ".gz",
};

/** Bodies smaller than this are never compressed on the fly. */
export const MIN_COMPRESS_SIZE = 1024;

/**
 * The q-value of each coding named in an `Accept-Encoding` value (lower
 * case, `x-gzip` read as `gzip`), `*` included when present. Elements with
 * a malformed q-value are left out.
 */
export function parseAcceptEncoding(value: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const element of value.split(",")) {
    const [rawName, ...params] = element.split(";");
    let name = trimOws(rawName!).toLowerCase();
    if (name === "") continue;
    if (name === "x-gzip") name = "gzip";
    let q = 1;
    let valid = true;
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq < 0) continue;
      if (trimOws(param.slice(0, eq)).toLowerCase() !== "q") continue;
      const text = trimOws(param.slice(eq + 1));
      if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text)) valid = false;
      else q = Number(text);
    }
    // A coding listed twice keeps its highest q-value.
    if (valid) out.set(name, Math.max(q, out.get(name) ?? 0));
  }
  return out;
}

/**
 * The coding to send from `offered` (in server order) for the
 * `Accept-Encoding` value `accept`, or null for identity. An absent header
 * means identity. A coding is acceptable when its q-value (or that of `*`)
 * is above zero; the highest q wins, ties go to the earlier in `offered`;
 * identity is chosen only when the client rates it above every coding.
 */
export function negotiate(
  accept: string | undefined,
  offered: readonly ContentCoding[],
): ContentCoding | null {
  if (accept === undefined || offered.length === 0) return null;
  const q = parseAcceptEncoding(accept);
  if (q.size === 0) return null;
  const star = q.get("*");
  let best: ContentCoding | null = null;
  let bestQ = 0;
  for (const coding of offered) {
    const value = q.get(coding) ?? star ?? 0;
    if (value > bestQ) {
      best = coding;
      bestQ = value;
    }
  }
  const identity = q.get("identity");
  if (best !== null && identity !== undefined && identity > bestQ) return null;
  return best;
}

/**
 * Whether a response of `contentType` is worth compressing: text, scripts,
 * JSON, XML, SVG, icons, wasm and uncompressed fonts. Never event streams,
 * images other than SVG and icons, audio, video or archives.
 */
export function compressible(contentType: string): boolean {
  const semi = contentType.indexOf(";");
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim()
    .toLowerCase();
  if (type === "text/event-stream") return false;
  if (type.startsWith("text/")) return true;
  if (COMPRESSIBLE.has(type)) return true;
  return type.startsWith("application/") &&
    (type.endsWith("+json") || type.endsWith("+xml"));
}

const COMPRESSIBLE = new Set([
  "application/javascript",
  "application/x-javascript",
  "application/ecmascript",
  "application/json",
  "application/xml",
  "application/wasm",
  "application/x-ndjson",
  "application/toml",
  "application/yaml",
  "application/x-yaml",
  "application/graphql",
  "application/vnd.ms-fontobject",
  "application/x-font-ttf",
  "font/ttf",
  "font/otf",
  "font/collection",
  "image/svg+xml",
  "image/x-icon",
  "image/vnd.microsoft.icon",
  "image/bmp",
  "multipart/mixed",
]);

/** Whether a `Cache-Control` value forbids transforming the content. */
export function noTransform(cacheControl: string | undefined): boolean {
  return cacheControl !== undefined && /(?:^|,)\s*no-transform\s*(?:,|$)/i
    .test(cacheControl);
}

function run(
  fn: (
    data: InputType,
    options: object,
    cb: (error: Error | null, out: Uint8Array) => void,
  ) => void,
  data: Uint8Array,
  options: object,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    fn(data, options, (error, out) => {
      if (error) reject(error);
      else resolve(new Uint8Array(out.buffer, out.byteOffset, out.length));
    });
  });
}

let zlibModule: Promise<typeof import("node:zlib")> | null = null;

/**
 * Compresses `data` with `coding` off the event loop (zlib's worker
 * threads), at on-the-fly levels: gzip 6, brotli 5, zstd 3. `node:zlib` is
 * loaded on the first call: servers without `--compress` do not hold it.
 */
export async function encode(
  data: Uint8Array,
  coding: ContentCoding,
): Promise<Uint8Array> {
  const { brotliCompress, constants, gzip, zstdCompress } =
    await (zlibModule ??= import("node:zlib"));
  switch (coding) {
    case "gzip":
      return await run(gzip as never, data, { level: 6 });
    case "br":
      return await run(brotliCompress as never, data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      });
    case "zstd":
      return await run(zstdCompress as never, data, {
        params: { [constants.ZSTD_c_compressionLevel]: 3 },
      });
  }
}
