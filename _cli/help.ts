// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's help layout: npm `argparse`'s `RawDescriptionHelpFormatter` at a
 * given width, without colour, and with Python's `textwrap.wrap()` for help
 * text, so that `--help` is what CPython 3.13 prints at any width (the
 * package's own wrapping differs at narrow widths, where hyphenated words
 * are split).
 * @module
 */
import {
  type HelpFormatterClass,
  type HelpFormatterOptions,
  RawDescriptionHelpFormatter,
} from "argparse";

/**
 * A formatter class for `width` columns (the terminal's width minus 2, as
 * argparse computes it). The width and `color: false` are always given:
 * otherwise argparse reads `COLUMNS`, `NO_COLOR` and the like from the
 * environment, which narrow Deno permissions refuse.
 */
export function helpFormatter(width: number): HelpFormatterClass {
  return class CliHelpFormatter extends RawDescriptionHelpFormatter {
    constructor(options: HelpFormatterOptions) {
      super({ ...options, width, color: false });
    }

    /** argparse's hook for splitting one help text into lines. */
    _split_lines(text: string, lineWidth: number): string[] {
      return wrapText(text, lineWidth);
    }
  };
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
