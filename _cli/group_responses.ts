// Copyright 2026 the httpserver authors. MIT license.
/**
 * What the server sends and logs: Python's `-H`, and ours beyond Python
 * (`--content-type`, `--cors`, `--no-dotfiles`, `--follow-symlinks`, `-q`),
 * in the `options:` section after Python's flags.
 * @module
 */
import { pyRepr } from "../_text.ts";
import { type OptionGroup, UsageError } from "./parser.ts";

/** Response headers, which files are served, and logging. */
export interface ResponsesConfig {
  /** Extra response headers for 200 responses (`-H`). */
  headers: [string, string][];
  /** Content-Type for files whose type cannot be guessed. */
  contentType: string | null;
  /** Send CORS headers and answer preflight requests. */
  cors: boolean;
  /** Serve and list names starting with a dot. */
  dotfiles: boolean;
  /** Follow symbolic links that lead out of the served folder. */
  followSymlinks: boolean;
  /** Do not log requests. */
  quiet: boolean;
}

/** `-H`, `--content-type`, `--cors`, `--no-dotfiles`, `--follow-symlinks`, `-q`. */
export const responsesGroup: OptionGroup<ResponsesConfig> = {
  add(parser) {
    parser.add_argument("-H", "--header", {
      dest: "header",
      action: "append",
      metavar: "HEADER",
      help: "add a response header, given as 'Name: value', to successful " +
        "responses (can be repeated)",
    });
    parser.add_argument("--content-type", {
      dest: "contentType",
      metavar: "TYPE",
      help: "Content-Type for files of unknown type " +
        "(default: application/octet-stream)",
    });
    parser.add_argument("--cors", {
      dest: "cors",
      action: "store_true",
      help: "send Access-Control-Allow-Origin: * and answer CORS preflight " +
        "requests",
    });
    parser.add_argument("--no-dotfiles", {
      dest: "noDotfiles",
      action: "store_true",
      help: "refuse and hide files and folders whose name starts with a dot",
    });
    parser.add_argument("--follow-symlinks", {
      dest: "followSymlinks",
      action: "store_true",
      help: "follow symbolic links that lead out of the served directory",
    });
    parser.add_argument("-q", "--quiet", {
      dest: "quiet",
      action: "store_true",
      help: "do not log requests",
    });
  },
  read(values) {
    const headers: [string, string][] = [];
    for (const raw of (values.header ?? []) as string[]) {
      const parsed = parseHeader(raw);
      if (typeof parsed === "string") throw new UsageError(parsed);
      headers.push(parsed);
    }
    const contentType: string | null = values.contentType ?? null;
    if (contentType !== null && !/^[\x20-\x7e]+$/.test(contentType)) {
      throw new UsageError(`invalid --content-type ${pyRepr(contentType)}`);
    }
    return {
      headers,
      contentType,
      cors: values.cors,
      dotfiles: !values.noDotfiles,
      followSymlinks: values.followSymlinks,
      quiet: values.quiet,
    };
  },
};

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Splits `Name: value` at the first colon and trims both sides (main's
 * `-H`). Returns the pair, or the error message.
 */
export function parseHeader(raw: string): [string, string] | string {
  const colon = raw.indexOf(":");
  if (colon < 0) {
    return `Header ${pyRepr(raw)} must be of the form Header: value`;
  }
  const name = raw.slice(0, colon).trim();
  const value = raw.slice(colon + 1).trim();
  if (!name) return `Header ${pyRepr(raw)} must have a non-empty name`;
  // Beyond Python: a header that cannot be sent would fail every response.
  if (!TOKEN.test(name)) {
    return `Header ${pyRepr(raw)} has an invalid name ${pyRepr(name)}`;
  }
  if (!VALUE.test(value)) {
    return `Header ${pyRepr(raw)} has a control character in its value`;
  }
  return [name, value];
}
