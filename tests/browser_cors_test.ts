// Copyright 2026 the httpserver authors. MIT license.
/**
 * `--cors` in a real browser: a page from one origin fetches a byte range
 * from the CLI on another origin (another port) and reads the response
 * fields a download manager or a media player needs. Headless Chromium, as
 * in browser_test.ts; skipped, saying why, when it is missing.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { HTTPServer, SimpleHTTPRequestHandler } from "../mod.ts";
import { CliProcess } from "./_cli_util.ts";
import { withTimeout } from "./_util.ts";

const CHROMIUM = "/usr/bin/chromium";
const missing = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile ? null : `${CHROMIUM} is not a file`;
  } catch {
    return `${CHROMIUM} is missing (.ci/setup installs Debian's chromium)`;
  }
})();

/** What the page's script saw. */
interface Seen {
  status: number;
  body: string;
  contentRange: string | null;
  acceptRanges: string | null;
  etag: string | null;
  date: string | null;
  lastModified: string | null;
}

Deno.test({
  name:
    `CLI --cors lets a cross-origin script read Content-Range, ETag and Accept-Ranges of a Range response${
      missing ? ` (skipped: ${missing})` : ""
    }`,
  ignore: missing !== null,
  async fn() {
    const { chromium } = await import("playwright-core");
    await using undo = new AsyncDisposableStack();
    const site = await Deno.makeTempDir({ prefix: "httpserver-cors-" });
    undo.defer(() => Deno.remove(site, { recursive: true }));
    const files = await Deno.makeTempDir({ prefix: "httpserver-cors-files-" });
    undo.defer(() => Deno.remove(files, { recursive: true }));
    await Deno.writeTextFile(
      `${site}/page.html`,
      "<!DOCTYPE html><title>page</title>",
    );
    await Deno.writeTextFile(`${files}/data.txt`, "0123456789abcdef");
    // The page's origin: this process; the files' origin: the CLI.
    class Page extends SimpleHTTPRequestHandler {
      override directory = site;
      override logMessage(): void {}
    }
    const pages = new HTTPServer(["127.0.0.1", 0], Page);
    const serving = pages.serveForever();
    undo.defer(async () => {
      await withTimeout(pages.shutdown(), "page server shutdown");
      await serving;
      pages.serverClose();
    });
    const cli = undo.use(
      new CliProcess(
        ["--allow-net=127.0.0.1", `--allow-read=${files}`],
        ["0", "-b", "127.0.0.1", "-d", files, "--cors", "--quiet"],
      ),
    );
    const port = await cli.port();
    const browser = await withTimeout(
      chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
      }),
      "Chromium to start",
    );
    undo.defer(() => withTimeout(browser.close(), "Chromium to close"));
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`http://127.0.0.1:${pages.serverPort}/page.html`);
    const seen = await withTimeout(
      page.evaluate(async (url: string): Promise<Seen> => {
        const res = await fetch(url, { headers: { Range: "bytes=4-9" } });
        const h = res.headers;
        return {
          status: res.status,
          body: await res.text(),
          contentRange: h.get("content-range"),
          acceptRanges: h.get("accept-ranges"),
          etag: h.get("etag"),
          date: h.get("date"),
          lastModified: h.get("last-modified"),
        };
      }, `http://127.0.0.1:${port}/data.txt`),
      "the cross-origin fetch",
    );
    deepStrictEqual(
      [seen.status, seen.body, seen.contentRange, seen.acceptRanges],
      [206, "456789", "bytes 4-9/16", "bytes"],
    );
    ok(seen.etag?.startsWith('"'), `ETag ${seen.etag}`);
    ok(seen.date?.endsWith(" GMT"), `Date ${seen.date}`);
    ok(
      seen.lastModified?.endsWith(" GMT"),
      `Last-Modified ${seen.lastModified}`,
    );
  },
});
