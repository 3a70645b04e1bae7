// Copyright 2026 the httpserver authors. MIT license.
/**
 * Python's own serving flags: `--cgi`, `-b`, `-d`, `-p` and the port, in
 * the `options:` section as `python -m http.server` lists them.
 * @module
 */
import { ArgumentTypeError } from "argparse";
import { pyRepr } from "../_text.ts";
import type { OptionGroup } from "./parser.ts";

/** Where and what the server serves. */
export interface ServerConfig {
  /** The port to listen on (0 picks a free one). */
  port: number;
  /** The address to bind, or null for all interfaces. */
  bind: string | null;
  /** The folder to serve, as given. */
  directory: string;
  /** The HTTP version the handler speaks. */
  protocol: string;
  /** Run CGI scripts from `cgi-bin` and `htbin`. */
  cgi: boolean;
}

/** The default `-p` value: HTTP/1.1 (Python's is HTTP/1.0). */
export const DEFAULT_PROTOCOL = "HTTP/1.1";

/** Python's `int()` for a port, with the range checked. */
function port(text: string): number {
  // Python's int(): optional sign, digits with single underscores, spaces.
  const trimmed = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(trimmed)) {
    throw new ArgumentTypeError(`invalid int value: ${pyRepr(text)}`);
  }
  const value = Number(trimmed.replaceAll("_", ""));
  if (!Number.isSafeInteger(value) || value < 0 || value > 65535) {
    throw new ArgumentTypeError(
      `invalid port value: ${pyRepr(text)} (not between 0 and 65535)`,
    );
  }
  return value;
}

/** `HTTP/<major>.<minor>`, which goes into every status line. */
function version(text: string): string {
  if (!/^HTTP\/\d{1,10}\.\d{1,10}$/.test(text)) {
    throw new ArgumentTypeError(
      `invalid version value: ${pyRepr(text)} (expected HTTP/<major>.<minor>)`,
    );
  }
  return text;
}

/** `--cgi`, `-b`, `-d`, `-p` and `port`. */
export const serverGroup: OptionGroup<ServerConfig> = {
  add(parser) {
    parser.add_argument("--cgi", {
      dest: "cgi",
      action: "store_true",
      help: "run as CGI server",
    });
    parser.add_argument("-b", "--bind", {
      dest: "bind",
      metavar: "ADDRESS",
      help: "bind to this address (default: all interfaces)",
    });
    parser.add_argument("-d", "--directory", {
      dest: "directory",
      default: ".",
      help: "serve this directory (default: current directory)",
    });
    parser.add_argument("-p", "--protocol", {
      dest: "protocol",
      metavar: "VERSION",
      default: DEFAULT_PROTOCOL,
      type: version,
      help: `conform to this HTTP version (default: ${DEFAULT_PROTOCOL})`,
    });
    parser.add_argument("port", {
      nargs: "?",
      default: 8000,
      type: port,
      help: "bind to this port (default: 8000)",
    });
  },
  read(values) {
    return {
      port: values.port,
      bind: values.bind || null,
      directory: values.directory,
      protocol: values.protocol,
      cgi: values.cgi,
    };
  },
};
