// Copyright 2026 the httpserver authors. MIT license.
/**
 * Colored status codes in request log lines, only on a terminal: stderr must
 * be a TTY and `NO_COLOR` unset (Deno reads it into `Deno.noColor`, which
 * needs no permission). Piped or redirected logs keep Python's exact text.
 * @module
 */

let enabled: boolean | undefined;

/** Whether request log lines get colored status codes (decided once). */
export function logColors(): boolean {
  if (enabled === undefined) {
    try {
      enabled = !Deno.noColor && Deno.stderr.isTerminal();
    } catch {
      enabled = false;
    }
  }
  return enabled;
}

/** The SGR color for a status code: 2xx green, 3xx cyan, 4xx yellow, 5xx red. */
export function statusColor(code: string): number | null {
  if (!/^[1-5][0-9][0-9]$/.test(code)) return null;
  return [null, null, 32, 36, 33, 31][Number(code[0])] ?? null;
}

/**
 * Colors the status code in a request log message `"<line>" <code> <size>`:
 * the last ` <code> ` token, as the size after it holds no space.
 */
export function colorStatus(message: string, code: string): string {
  const color = statusColor(code);
  const at = message.lastIndexOf(` ${code} `);
  if (color === null || at < 0) return message;
  return `${message.slice(0, at + 1)}\x1b[${color}m${code}\x1b[39m${
    message.slice(at + 1 + code.length)
  }`;
}
