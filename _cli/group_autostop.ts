// Copyright 2026 the httpserver authors. MIT license.
/**
 * Stopping by itself: `--idle-timeout`, `--stop-after`, `--once`, in an
 * `automatic stop` section of `--help`. Durations are `90s`, `10m`, `2h`,
 * `1h30m`; the config holds milliseconds.
 * @module
 */
import { type OptionGroup, UsageError } from "./parser.ts";
import { parseDuration } from "../_share/duration.ts";

/** When to stop by itself. */
export interface AutoStopConfig {
  /** Milliseconds without requests before stopping, or null. */
  idleTimeout: number | null;
  /** Milliseconds after the start before stopping, or null. */
  stopAfter: number | null;
  /** Stop after the first complete download or upload. */
  once: boolean;
}

function duration(flag: string, text: string | undefined): number | null {
  if (text === undefined || text === null) return null;
  try {
    return parseDuration(text);
  } catch (error) {
    throw new UsageError(
      `argument ${flag}: ${
        (error as Error).message.replace(/^Invalid/, "invalid")
      }`,
    );
  }
}

/** The `automatic stop` group. */
export const autoStopGroup: OptionGroup<AutoStopConfig> = {
  add(parser) {
    const group = parser.add_argument_group({
      title: "automatic stop",
      description: "Each prints why it stopped and exits with status 0.",
    });
    group.add_argument("--idle-timeout", {
      dest: "idleTimeout",
      metavar: "DURATION",
      help: "stop when no request has started and none has been in flight " +
        "for DURATION (90s, 10m, 2h)",
    });
    group.add_argument("--stop-after", {
      dest: "stopAfter",
      metavar: "DURATION",
      help: "stop DURATION after the start; transfers in flight may finish " +
        "(up to a minute) while new requests get 503",
    });
    group.add_argument("--once", {
      dest: "once",
      action: "store_true",
      help: "stop after the first complete download (the last byte of a " +
        "whole file or archive, by anyone) or the first complete upload",
    });
  },
  read(values) {
    return {
      idleTimeout: duration("--idle-timeout", values.idleTimeout),
      stopAfter: duration("--stop-after", values.stopAfter),
      once: values.once,
    };
  },
};
