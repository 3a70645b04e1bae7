// Copyright 2026 the httpserver authors. MIT license.
/**
 * npm `argparse` (a port of CPython's) set up for the CLI: what it would
 * print is captured, and where it would exit the process, parsing ends with
 * a {@linkcode ParserExit} outcome for the caller to print and return.
 * @module
 */
import { ArgumentParser, type Namespace } from "argparse";
import process from "node:process";
import { helpFormatter } from "./help.ts";

/** What parsing ended with instead of values: text to print and an exit code. */
export interface ParserExit {
  /** Tells it apart from a successful parse. */
  kind: "exit";
  /** 0 after `--help` and `--version`, 2 for usage errors. */
  code: number;
  /** What goes to standard output (the help or version text). */
  stdout: string;
  /** What goes to standard error (usage and `prog: error: ...`). */
  stderr: string;
}

/**
 * Thrown by an option group's `read` for a value argparse accepted but the
 * CLI cannot use; it becomes argparse's `prog: error: <message>`, exit 2.
 */
export class UsageError extends Error {
  /** `message` is what follows `prog: error: `. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * One group of command-line options: the arguments it adds to the parser and
 * how it reads their values into its part of the configuration.
 */
export interface OptionGroup<T> {
  /**
   * Adds the arguments: to `parser` itself for the `options:` section, or
   * to `parser.add_argument_group({ title })` for a section of their own.
   */
  add(parser: ArgumentParser): void;
  /**
   * Reads and checks the parsed values (keyed by each argument's `dest`).
   * @throws {UsageError} for a value the CLI cannot use.
   */
  read(values: Namespace): T;
}

/** Ends argparse's work where it would call `process.exit()`. */
class ExitSignal extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`argparse exited with code ${code}`);
    this.code = code;
  }
}

/** Options for {@linkcode CliParser}. */
export interface CliParserOptions {
  /** The name shown in usage lines. */
  prog: string;
  /** Columns for help and usage (the terminal's width minus 2). */
  width: number;
  /** Text after the options in `--help`, laid out as it is written. */
  epilog: string;
}

/**
 * argparse's `ArgumentParser` that never touches the process: no
 * `process.exit()`, no writes to stdout or stderr, no environment lookups.
 */
export class CliParser extends ArgumentParser {
  #stdout = "";
  #stderr = "";

  /** A parser with argparse's `-h` and no arguments yet. */
  constructor(options: CliParserOptions) {
    super({
      prog: options.prog,
      epilog: options.epilog,
      formatter_class: helpFormatter(options.width),
      color: false,
    });
  }

  /** argparse's hook for all its output: kept for {@linkcode parse}. */
  _print_message(message: string, file?: unknown): void {
    if (!message) return;
    if (file === process.stdout) this.#stdout += message;
    else this.#stderr += message;
  }

  /** argparse's way out: keeps `message` for stderr and ends parsing. */
  override exit(status = 0, message?: string): never {
    if (message) this._print_message(message, process.stderr);
    throw new ExitSignal(status);
  }

  /**
   * Parses `args` (Python's `parse_args()`), then calls `read` with the
   * values; a {@linkcode UsageError} from `read` becomes a usage error.
   */
  parse<T>(
    args: readonly string[],
    read: (values: Namespace) => T,
  ): { kind: "ok"; value: T } | ParserExit {
    try {
      try {
        return { kind: "ok", value: read(this.parse_args([...args])) };
      } catch (error) {
        if (error instanceof UsageError) this.error(error.message);
        throw error;
      }
    } catch (error) {
      if (!(error instanceof ExitSignal)) throw error;
      const outcome: ParserExit = {
        kind: "exit",
        code: error.code,
        stdout: this.#stdout,
        stderr: this.#stderr,
      };
      this.#stdout = this.#stderr = "";
      return outcome;
    }
  }

  /** `usage: prog [-h] ...`, wrapped, ending in a newline. */
  formatUsage(): string {
    return this.format_usage();
  }
}
