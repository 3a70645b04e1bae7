// Copyright 2026 the httpserver authors. MIT license.
/**
 * QR codes of a share's URL, encoded by uqr: for terminals, half-block
 * characters drawn explicitly black on white with a 4-module quiet zone
 * (so the code is never inverted on a dark or a light theme, which many
 * phone scanners cannot read), or plain half blocks where colours cannot
 * be used; and SVG for pages.
 * @module
 */
import { encode, renderSVG, renderUnicodeCompact } from "uqr";

/** A QR code of one URL, in each form. */
export interface QrCode {
  /** The encoded URL. */
  url: string;
  /** Terminal text with ANSI colours, black on bright white. */
  ansi: string;
  /** Terminal text without colours (light modules drawn as blocks). */
  text: string;
  /** An SVG image, black on white. */
  svg: string;
}

const QUIET = 4;
const DARK_FG = 30;
const DARK_BG = 40;
const LIGHT_FG = 97;
const LIGHT_BG = 107;

const OPTIONS = { border: QUIET, ecc: "M" as const };

/** The QR code of `url` in every form. */
export function makeQr(url: string): QrCode {
  return {
    url,
    ansi: ansiQr(url),
    text: renderUnicodeCompact(url, OPTIONS),
    svg: qrSvg(url),
  };
}

/** The QR code of `url` as SVG alone (what a listing page shows). */
export function qrSvg(url: string): string {
  return renderSVG(url, { ...OPTIONS, pixelSize: 8 });
}

/**
 * Two rows of modules per line: `▀` with the upper module's colour as
 * foreground and the lower one's as background, both set explicitly.
 */
function ansiQr(url: string): string {
  const { data, size } = encode(url, OPTIONS);
  const dark = (x: number, y: number) => y < size && data[y]![x] === true;
  const lines: string[] = [];
  for (let y = 0; y < size; y += 2) {
    let line = "";
    let last = "";
    for (let x = 0; x < size; x++) {
      const style = `\x1b[${dark(x, y) ? DARK_FG : LIGHT_FG};${
        dark(x, y + 1) ? DARK_BG : LIGHT_BG
      }m`;
      if (style !== last) line += style;
      last = style;
      line += "\u2580";
    }
    lines.push(line + "\x1b[0m");
  }
  return lines.join("\n");
}
