// Copyright 2026 the httpserver authors. MIT license.
/**
 * `--engine` and `--workers`: which HTTP stack runs the handlers, and on how
 * many cores, in a section of their own in `--help`.
 * @module
 */
import { ArgumentTypeError } from "argparse";
import { pyRepr } from "../_text.ts";
import type { OptionGroup } from "./parser.ts";

/** The HTTP stacks a handler class can run on. */
export const ENGINES = ["listen", "serve"] as const;

/** How the handlers are run. */
export interface EngineConfig {
  /**
   * `listen`: our HTTP/1 over `Deno.listen` (Python's bytes on the wire);
   * `serve`: `Deno.serve` (HTTP/2 with TLS, Deno's native stack).
   */
  engine: (typeof ENGINES)[number];
  /** Worker threads sharing the port, or null to serve on the main thread. */
  workers: number | null;
}

/** A worker count: a positive whole number, or `auto` for one per CPU core. */
function workerCount(text: string): number {
  if (text === "auto") return Math.max(1, navigator.hardwareConcurrency);
  const trimmed = text.trim();
  const n = /^\d{1,4}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(n >= 1 && n <= 1024)) {
    throw new ArgumentTypeError(
      `invalid worker count: ${pyRepr(text)} (expected 1 to 1024, or auto)`,
    );
  }
  return n;
}

/** `--engine` and `--workers`. */
export const engineGroup: OptionGroup<EngineConfig> = {
  add(parser) {
    const group = parser.add_argument_group({ title: "engine and cores" });
    group.add_argument("--engine", {
      dest: "engine",
      choices: [...ENGINES],
      default: "listen",
      help: "run the handlers on our HTTP/1.1 over Deno.listen (listen, " +
        "the default: Python's bytes on the wire) or on Deno.serve (serve: " +
        "HTTP/2 with --tls-cert, Deno's native HTTP stack)",
    });
    group.add_argument("--workers", {
      dest: "workers",
      metavar: "N",
      type: workerCount,
      help: "serve from N worker threads sharing the port (auto: one per " +
        "CPU core); needs Deno's --unstable-net flag; the kernel spreads " +
        "connections on Linux only",
    });
  },
  read(values) {
    return { engine: values.engine, workers: values.workers ?? null };
  },
};
