// Copyright 2026 the httpserver authors. MIT license.
/**
 * Receiving files: `--upload`, `--overwrite`, `--delete`,
 * `--max-upload-size`, in an `uploads:` section of their own.
 * @module
 */
import { pyRepr } from "../_text.ts";
import { type OptionGroup, UsageError } from "./parser.ts";

/** What the server accepts besides reads. */
export interface UploadConfig {
  /** Accept uploads (PUT, form POST) and new folders. */
  upload: boolean;
  /** Let uploads replace existing files. */
  overwrite: boolean;
  /** Accept DELETE of files and empty folders. */
  delete: boolean;
  /** Most bytes of one upload, or null. */
  maxUploadSize: number | null;
}

const UNITS: Record<string, number> = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/**
 * Parses a size: bytes, or a number with `K`, `M`, `G` or `T` (powers of
 * 1024, an optional `B` or `iB` after them): `500M`, `1.5G`, `1048576`.
 * Throws a `TypeError` for anything else.
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new TypeError(`invalid size: ${pyRepr(text)} (e.g. 500M, 10G)`);
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new TypeError(`invalid size: ${pyRepr(text)}`);
  }
  return bytes;
}

/** `--upload`, `--overwrite`, `--delete`, `--max-upload-size`. */
export const uploadGroup: OptionGroup<UploadConfig> = {
  add(parser) {
    const group = parser.add_argument_group({
      title: "uploads",
      description: "Receive files into the served folder (needs " +
        "--allow-write=DIR).",
    });
    group.add_argument("--upload", {
      dest: "upload",
      action: "store_true",
      help: "accept files: PUT /path/name (curl -T; resumable with " +
        "Content-Range), form POST to a folder (curl -F, browsers, with an " +
        "upload form in listings), and new folders",
    });
    group.add_argument("--overwrite", {
      dest: "overwrite",
      action: "store_true",
      help: "let uploads replace existing files (default: a PUT onto an " +
        "existing file gets 409, a form upload is stored as 'name (1).ext')",
    });
    group.add_argument("--delete", {
      dest: "delete",
      action: "store_true",
      help: "accept DELETE of files and empty folders",
    });
    group.add_argument("--max-upload-size", {
      dest: "maxUploadSize",
      metavar: "SIZE",
      help: "refuse uploads larger than SIZE (500M, 10G...) with 413",
    });
  },
  read(values) {
    let maxUploadSize: number | null = null;
    if (values.maxUploadSize != null) {
      try {
        maxUploadSize = parseSize(values.maxUploadSize);
      } catch (error) {
        throw new UsageError(
          `argument --max-upload-size: ${(error as Error).message}`,
        );
      }
    }
    const config: UploadConfig = {
      upload: values.upload,
      overwrite: values.overwrite,
      delete: values.delete,
      maxUploadSize,
    };
    if (!config.upload && config.overwrite) {
      throw new UsageError("--overwrite requires --upload");
    }
    if (!config.upload && maxUploadSize !== null) {
      throw new UsageError("--max-upload-size requires --upload");
    }
    return config;
  },
};
