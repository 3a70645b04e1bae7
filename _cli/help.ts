// Copyright 2026 the httpserver authors. MIT license.
/**
 * argparse's `HelpFormatter` for the CLI: the usage line wrapped as Python
 * wraps it, a 24-column help position, and `textwrap.wrap()` for help text.
 * @module
 */

/** What an option does when it is seen. */
export type ArgumentAction =
  | "store"
  | "storeTrue"
  | "append"
  | "help"
  | "version";

/** A conversion from the argument text; throw `ArgumentTypeError` (argparse.ts) for a custom message. */
export interface ArgumentType {
  /** The name in `invalid <name> value: '...'` errors (`int`). */
  name: string;
  /** Converts the text, throwing on bad input. */
  parse(text: string): unknown;
}

/** One argument: an option when `flags` is given, else the positional. */
export interface ArgumentSpec {
  /** `["-b", "--bind"]`; leave out for the positional. */
  flags?: readonly string[];
  /** The key in the parsed values. */
  dest: string;
  /** @default {"store"} */
  action?: ArgumentAction;
  /** The placeholder in usage and help (default: `dest` upper-cased for options). */
  metavar?: string;
  /** The help text. */
  help?: string;
  /** The value when the argument is not given. */
  default?: unknown;
  /** A conversion for the value. */
  type?: ArgumentType;
}

function metavarOf(spec: ArgumentSpec): string {
  return spec.metavar ?? (spec.flags ? spec.dest.toUpperCase() : spec.dest);
}

function takesValue(spec: ArgumentSpec): boolean {
  const action = spec.action ?? "store";
  return action === "store" || action === "append";
}

function usagePart(spec: ArgumentSpec): string {
  if (!spec.flags) return `[${metavarOf(spec)}]`;
  const flag = spec.flags[0]!;
  return takesValue(spec) ? `[${flag} ${metavarOf(spec)}]` : `[${flag}]`;
}

function invocation(spec: ArgumentSpec): string {
  if (!spec.flags) return metavarOf(spec);
  const flags = spec.flags.join(", ");
  return takesValue(spec) ? `${flags} ${metavarOf(spec)}` : flags;
}

/** `usage: prog [-h] ...`, wrapped to `width` as argparse does. */
export function formatUsage(
  prog: string,
  specs: readonly ArgumentSpec[],
  width: number,
): string {
  const prefix = "usage: ";
  const optParts = specs.filter((s) => s.flags).map(usagePart);
  const posParts = specs.filter((s) => !s.flags).map(usagePart);
  const usage = [prog, ...optParts, ...posParts].join(" ");
  if (prefix.length + usage.length <= width) return prefix + usage;
  const getLines = (parts: string[], indent: string, first?: string) => {
    const lines: string[] = [];
    let line: string[] = [];
    let lineLen = first !== undefined ? first.length - 1 : indent.length - 1;
    for (const part of parts) {
      if (lineLen + 1 + part.length > width && line.length) {
        lines.push(indent + line.join(" "));
        line = [];
        lineLen = indent.length - 1;
      }
      line.push(part);
      lineLen += part.length + 1;
    }
    if (line.length) lines.push(indent + line.join(" "));
    if (first !== undefined) lines[0] = lines[0]!.slice(indent.length);
    return lines;
  };
  let lines: string[];
  if (prefix.length + prog.length <= 0.75 * width) {
    const indent = " ".repeat(prefix.length + prog.length + 1);
    lines = getLines([prog, ...optParts], indent, prefix);
    lines.push(...getLines(posParts, indent));
  } else {
    const indent = " ".repeat(prefix.length);
    lines = getLines([...optParts, ...posParts], indent);
    if (lines.length > 1) {
      lines = [...getLines(optParts, indent), ...getLines(posParts, indent)];
    }
    lines = [prog, ...lines];
  }
  return prefix + lines.join("\n");
}

/** The whole help text: usage, positionals, options, epilog. */
export function formatHelp(
  prog: string,
  specs: readonly ArgumentSpec[],
  epilog: string,
  width: number,
): string {
  const indent = 2;
  const maxHelpPosition = Math.min(24, Math.max(width - 20, indent * 2));
  const actionMax = Math.max(
    ...specs.map((s) => invocation(s).length + indent),
  );
  const helpPosition = Math.min(actionMax + 2, maxHelpPosition);
  const helpWidth = Math.max(width - helpPosition, 11);
  const actionWidth = helpPosition - indent - 2;
  const section = (title: string, list: ArgumentSpec[]) => {
    let out = `${title}:\n`;
    for (const spec of list) {
      const header = invocation(spec);
      const help = spec.help ?? "";
      const pad = " ".repeat(indent);
      if (!help) {
        out += `${pad}${header}\n`;
        continue;
      }
      const lines = wrapText(help, helpWidth);
      let first: number;
      if (header.length <= actionWidth) {
        out += pad + header.padEnd(actionWidth) + "  ";
        first = 0;
      } else {
        out += `${pad}${header}\n`;
        first = helpPosition;
      }
      out += " ".repeat(first) + lines[0] + "\n";
      for (const line of lines.slice(1)) {
        out += " ".repeat(helpPosition) + line + "\n";
      }
    }
    return out;
  };
  const parts = [formatUsage(prog, specs, width) + "\n"];
  const positionals = specs.filter((s) => !s.flags);
  if (positionals.length) {
    parts.push(section("positional arguments", positionals));
  }
  parts.push(section("options", specs.filter((s) => s.flags)));
  if (epilog) parts.push(epilog.replace(/\n+$/, "") + "\n");
  return parts.join("\n");
}

/** Python's `textwrap.wrap(text, width)` after collapsing whitespace. */
export function wrapText(text: string, width: number): string[] {
  const chunks = splitChunks(text.replace(/\s+/g, " ").trim());
  const lines: string[] = [];
  let i = 0;
  while (i < chunks.length) {
    if (lines.length && chunks[i] === " ") i++;
    const line: string[] = [];
    let len = 0;
    while (i < chunks.length && len + chunks[i]!.length <= width) {
      line.push(chunks[i]!);
      len += chunks[i]!.length;
      i++;
    }
    if (i < chunks.length && chunks[i]!.length > width) {
      const room = Math.max(width - len, 1);
      line.push(chunks[i]!.slice(0, room));
      chunks[i] = chunks[i]!.slice(room);
    }
    if (line.length && line[line.length - 1] === " ") line.pop();
    if (line.length) lines.push(line.join(""));
  }
  return lines.length ? lines : [""];
}

/** Words and single spaces; hyphenated words split after the hyphen. */
function splitChunks(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(/( )/)) {
    if (!piece) continue;
    if (piece === " ") {
      out.push(piece);
      continue;
    }
    // textwrap breaks "Content-Type" into "Content-" and "Type": after a
    // hyphen preceded by two letters and followed by a letter.
    let start = 0;
    for (let k = 2; k < piece.length - 1; k++) {
      if (
        piece[k] === "-" && /\p{L}\p{L}/u.test(piece.slice(k - 2, k)) &&
        /\p{L}/u.test(piece[k + 1]!)
      ) {
        out.push(piece.slice(start, k + 1));
        start = k + 1;
      }
    }
    out.push(piece.slice(start));
  }
  return out;
}
