// Copyright 2026 the httpserver authors. MIT license.
/**
 * Headless Chromium for the browser tests: Debian's `/usr/bin/chromium`
 * driven by `playwright-core`, and why a test file skips itself when it is
 * missing (`.ci/setup` installs it).
 */
import type { Browser } from "playwright-core";
import { withTimeout } from "./_util.ts";
import { type FolderOptions, serveDirectory } from "./_simple_fixture.ts";

/** Where Debian installs Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Why the browser tests of `file` cannot run (printed once), or null when
 * Chromium is there.
 */
export function chromiumMissing(file: string): string | null {
  let reason: string | null;
  try {
    reason = Deno.statSync(CHROMIUM).isFile
      ? null
      : `${CHROMIUM} is not a file`;
  } catch {
    reason = `${CHROMIUM} is missing (.ci/setup installs Debian's chromium)`;
  }
  if (reason) console.warn(`${file}: skipped: ${reason}`);
  return reason;
}

/** Starts headless Chromium with `args` added to the usual flags. */
export async function launchChromium(args: string[] = []): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return await withTimeout(
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        ...args,
      ],
    }),
    "Chromium to start",
  );
}

/** Starts Chromium (with `args`) and has `undo` close it. */
export async function openChromium(
  undo: AsyncDisposableStack,
  args: string[] = [],
): Promise<Browser> {
  const browser = await launchChromium(args);
  undo.defer(() => withTimeout(browser.close(), "Chromium to close"));
  return browser;
}

/** A served folder and a browser, from {@linkcode serveToChromium}. */
export interface ServedToChromium {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** The server's log lines, formatted. */
  log: string[];
  browser: Browser;
}

/**
 * Serves `dir` (see `serveDirectory`, with `options`) and starts Chromium
 * (with `args`); `undo` closes the browser, then stops the server.
 */
export async function serveToChromium(
  undo: AsyncDisposableStack,
  dir: string,
  options: FolderOptions = {},
  args: string[] = [],
): Promise<ServedToChromium> {
  const log: string[] = [];
  const server = undo.use(serveDirectory(dir, { ...options, logs: log }));
  const browser = await openChromium(undo, args);
  return { base: `http://127.0.0.1:${server.port}`, log, browser };
}
