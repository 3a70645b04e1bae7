// Copyright 2026 the httpserver authors. MIT license.
/**
 * A small re-implementation of the parts of Python's `argparse` that
 * `python -m http.server` uses, so that usage, help and error text come out
 * the same: option abbreviations, `--opt=value`, `-ovalue`, clustered short
 * flags, `--`, one optional positional, and argparse's help layout
 * (`HelpFormatter` with a 24-column help position and `textwrap` wrapping).
 * @module
 */
import { pyRepr } from "../_text.ts";
import { type ArgumentSpec, formatHelp, formatUsage } from "./help.ts";

export type { ArgumentAction, ArgumentSpec, ArgumentType } from "./help.ts";

/** Thrown by an {@linkcode ArgumentType} to report `argument X: <message>`. */
export class ArgumentTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArgumentTypeError";
  }
}

/** The result of parsing: values, or text to print and an exit code. */
export type ParseOutcome =
  | { kind: "ok"; values: Record<string, unknown> }
  | { kind: "exit"; code: number; stdout: string; stderr: string };

class ParseError extends Error {}

const HELP_SPEC: ArgumentSpec = {
  flags: ["-h", "--help"],
  dest: "help",
  action: "help",
  help: "show this help message and exit",
};

const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

interface OptionMatch {
  spec: ArgumentSpec | null;
  flag: string;
  sep: string | null;
  explicit: string | null;
}

/** Python's `argparse.ArgumentParser`, reduced to what the CLI needs. */
export class ArgumentParser {
  readonly prog: string;
  readonly specs: readonly ArgumentSpec[];
  readonly epilog: string;
  readonly version: string;
  #byFlag = new Map<string, ArgumentSpec>();

  constructor(
    prog: string,
    specs: readonly ArgumentSpec[],
    options: { epilog?: string; version?: string } = {},
  ) {
    this.prog = prog;
    this.specs = [HELP_SPEC, ...specs];
    this.epilog = options.epilog ?? "";
    this.version = options.version ?? "";
    for (const spec of this.specs) {
      for (const flag of spec.flags ?? []) this.#byFlag.set(flag, spec);
    }
  }

  /** `usage: prog [-h] ...` wrapped to `width`, ending in a newline. */
  formatUsage(width = 78): string {
    return formatUsage(this.prog, this.specs, width) + "\n";
  }

  /** The whole `--help` text. */
  formatHelp(width = 78): string {
    return formatHelp(this.prog, this.specs, this.epilog, width);
  }

  /** The usage and `prog: error: message` text, exit code 2. */
  error(message: string, width = 78): ParseOutcome {
    return {
      kind: "exit",
      code: 2,
      stdout: "",
      stderr: `${this.formatUsage(width)}${this.prog}: error: ${message}\n`,
    };
  }

  /** Parses `args` as `parse_args()` does. */
  parseArgs(args: readonly string[], width = 78): ParseOutcome {
    try {
      return this.#parse(args, width);
    } catch (error) {
      if (error instanceof ParseError) return this.error(error.message, width);
      throw error;
    }
  }

  #parse(args: readonly string[], width: number): ParseOutcome {
    const values: Record<string, unknown> = {};
    for (const spec of this.specs) {
      if (spec.action === "help" || spec.action === "version") continue;
      values[spec.dest] = spec.action === "storeTrue"
        ? (spec.default ?? false)
        : spec.action === "append"
        ? [...((spec.default as unknown[] | undefined) ?? [])]
        : spec.default ?? null;
    }
    // First pass, as argparse: classify every string (this is where
    // ambiguous abbreviations are reported).
    const kinds: (OptionMatch | "A" | "--")[] = [];
    let rest = false;
    for (const arg of args) {
      if (rest) kinds.push("A");
      else if (arg === "--") {
        kinds.push("--");
        rest = true;
      } else kinds.push(this.#classify(arg) ?? "A");
    }
    const positional = this.specs.find((s) => !s.flags);
    let positionalDone = false;
    let dashDashSeen = false;
    const extras: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const kind = kinds[i]!;
      if (kind === "--" && !dashDashSeen) {
        dashDashSeen = true;
        continue;
      }
      if (kind === "A" || kind === "--") {
        if (positional && !positionalDone) {
          values[positional.dest] = convert(positional, args[i]!);
          positionalDone = true;
        } else extras.push(args[i]!);
        continue;
      }
      let { spec, flag, sep, explicit } = kind;
      // Clustered short flags: -qb ADDRESS.
      while (true) {
        if (!spec) {
          extras.push(args[i]!);
          break;
        }
        const action = spec.action ?? "store";
        const takesValue = action === "store" || action === "append";
        if (explicit !== null) {
          if (!takesValue && flag[1] !== "-" && explicit !== "") {
            if (sep || explicit[0] === "-") {
              throw argError(
                spec,
                `ignored explicit argument ${pyRepr(explicit)}`,
              );
            }
            const early = this.#take(spec, null, width, values);
            if (early) return early;
            const next = "-" + explicit[0];
            const nextSpec = this.#byFlag.get(next);
            if (!nextSpec) {
              extras.push("-" + explicit);
              break;
            }
            spec = nextSpec;
            flag = next;
            explicit = explicit.slice(1);
            if (!explicit) sep = explicit = null;
            else if (explicit[0] === "=") {
              sep = "=";
              explicit = explicit.slice(1);
            } else sep = "";
            continue;
          }
          if (takesValue) {
            const early = this.#take(spec, explicit, width, values);
            if (early) return early;
            break;
          }
          throw argError(spec, `ignored explicit argument ${pyRepr(explicit)}`);
        }
        if (takesValue) {
          if (i + 1 >= args.length || kinds[i + 1] !== "A") {
            throw argError(spec, "expected one argument");
          }
          i++;
          const early = this.#take(spec, args[i]!, width, values);
          if (early) return early;
        } else {
          const early = this.#take(spec, null, width, values);
          if (early) return early;
        }
        break;
      }
    }
    if (extras.length) {
      throw new ParseError(`unrecognized arguments: ${extras.join(" ")}`);
    }
    return { kind: "ok", values };
  }

  /** Applies one option; help and version end parsing. */
  #take(
    spec: ArgumentSpec,
    value: string | null,
    width: number,
    values: Record<string, unknown>,
  ): ParseOutcome | null {
    if (spec.action === "help") {
      return {
        kind: "exit",
        code: 0,
        stdout: this.formatHelp(width),
        stderr: "",
      };
    }
    if (spec.action === "version") {
      return { kind: "exit", code: 0, stdout: this.version + "\n", stderr: "" };
    }
    if (spec.action === "storeTrue") values[spec.dest] = true;
    if (value !== null) {
      const converted = convert(spec, value);
      if (spec.action === "append") {
        (values[spec.dest] as unknown[]).push(converted);
      } else values[spec.dest] = converted;
    }
    return null;
  }

  /** Python's `_parse_optional`: an option match, or null for a positional. */
  #classify(arg: string): OptionMatch | null {
    if (!arg || arg[0] !== "-") return null;
    const exact = this.#byFlag.get(arg);
    if (exact) return { spec: exact, flag: arg, sep: null, explicit: null };
    if (arg.length === 1) return null;
    const eq = arg.indexOf("=");
    if (eq >= 0) {
      const spec = this.#byFlag.get(arg.slice(0, eq));
      if (spec) {
        return {
          spec,
          flag: arg.slice(0, eq),
          sep: "=",
          explicit: arg.slice(eq + 1),
        };
      }
    }
    const matches = this.#prefixMatches(arg);
    if (matches.length > 1) {
      throw new ParseError(
        `ambiguous option: ${arg} could match ${
          matches.map((m) => m.flag).join(", ")
        }`,
      );
    }
    if (matches.length === 1) return matches[0]!;
    if (NEGATIVE_NUMBER.test(arg)) return null;
    if (arg.includes(" ")) return null;
    return { spec: null, flag: arg, sep: null, explicit: null };
  }

  #prefixMatches(arg: string): OptionMatch[] {
    const out: OptionMatch[] = [];
    if (arg[1] === "-") {
      const eq = arg.indexOf("=");
      const prefix = eq >= 0 ? arg.slice(0, eq) : arg;
      const explicit = eq >= 0 ? arg.slice(eq + 1) : null;
      for (const [flag, spec] of this.#byFlag) {
        if (flag.startsWith(prefix)) {
          out.push({ spec, flag, sep: eq >= 0 ? "=" : null, explicit });
        }
      }
      return out;
    }
    const short = arg.slice(0, 2);
    for (const [flag, spec] of this.#byFlag) {
      if (flag === short) {
        out.push({ spec, flag, sep: "", explicit: arg.slice(2) });
      } else if (flag.startsWith(arg)) {
        out.push({ spec, flag, sep: null, explicit: null });
      }
    }
    return out;
  }
}

function argName(spec: ArgumentSpec): string {
  return spec.flags ? spec.flags.join("/") : (spec.metavar ?? spec.dest);
}

function argError(spec: ArgumentSpec, message: string): ParseError {
  return new ParseError(`argument ${argName(spec)}: ${message}`);
}

function convert(spec: ArgumentSpec, text: string): unknown {
  if (!spec.type) return text;
  try {
    return spec.type.parse(text);
  } catch (error) {
    if (error instanceof ArgumentTypeError) {
      throw argError(spec, error.message);
    }
    throw argError(spec, `invalid ${spec.type.name} value: ${pyRepr(text)}`);
  }
}
