// Copyright 2026 the httpserver authors. MIT license.
/**
 * Headless Chromium for the browser tests: Debian's `/usr/bin/chromium`,
 * driven by `playwright-core`, or the reason it is missing (the tests then
 * skip themselves, saying why; `.ci/setup` installs it).
 */
import type { Browser } from "playwright-core";
import {
  HTTPServer,
  SimpleHTTPRequestHandler,
  type SimpleHTTPRequestHandlerOptions,
} from "../mod.ts";
import type { Connection } from "../connection.ts";
import type { ClientAddress } from "../server.ts";
import { withTimeout } from "./_util.ts";

/** Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/** Why Chromium cannot run here, or null. */
export const chromiumMissing: string | null = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile ? null : `${CHROMIUM} is not a file`;
  } catch {
    return `${CHROMIUM} is missing (.ci/setup installs Debian's chromium)`;
  }
})();

/** Starts headless Chromium (bounded), with `extraArgs` added. */
export async function launchChromium(
  extraArgs: string[] = [],
): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return await withTimeout(
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        ...extraArgs,
      ],
    }),
    "Chromium to start",
  );
}

/**
 * Serves with `SimpleHTTPRequestHandler` and `options` on 127.0.0.1, port 0,
 * logging `"<request line>" <code>` of each request into the returned
 * `log`; `undo` shuts the server down (bounded).
 */
export function serveLogged(
  options: SimpleHTTPRequestHandlerOptions,
  undo: AsyncDisposableStack,
): { base: string; log: string[] } {
  const log: string[] = [];
  class Handler extends SimpleHTTPRequestHandler {
    constructor(r: Connection, a: ClientAddress, s: HTTPServer) {
      super(r, a, s, options);
    }
    override logRequest(code: number | string = "-"): void {
      log.push(`"${this.requestline}" ${code}`);
    }
    override logMessage(): void {}
  }
  const server = new HTTPServer(["127.0.0.1", 0], Handler);
  const serving = server.serveForever();
  undo.defer(async () => {
    await withTimeout(server.shutdown(), "server shutdown");
    await serving;
    server.serverClose();
  });
  return { base: `http://127.0.0.1:${server.serverPort}`, log };
}
