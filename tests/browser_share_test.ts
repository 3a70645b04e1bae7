// Copyright 2026 the httpserver authors. MIT license.
/**
 * The rich listing (`listing: "rich"`) in headless Chromium: light and dark
 * colours from the system setting (screenshots in `tests/output/`), sorting
 * by the column headers, filtering as you type and without JavaScript,
 * breadcrumbs, and the archive link downloading a zip.
 *
 * Skips itself, saying why, when `/usr/bin/chromium` is missing;
 * `.ci/setup` installs it.
 */
import {
  deepStrictEqual,
  notStrictEqual,
  ok,
  strictEqual,
} from "node:assert/strict";
import type { Browser } from "playwright-core";
import { type Share, shareDirectory } from "../share.ts";
import { chromiumMissing, openChromium } from "./_browser.ts";

interface BrowserElement {
  hidden: boolean;
}
declare function getComputedStyle(
  element: unknown,
): { backgroundColor: string };
declare const document: { body: BrowserElement };

const OUTPUT = new URL("./output/", import.meta.url);
const STEP_MS = 10_000;

const missing = chromiumMissing("browser_share_test.ts");

async function makeFolder(dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/photos/2026 trip`, { recursive: true });
  await Deno.mkdir(`${dir}/docs`);
  const files: [string, number, number][] = [
    ["notes.txt", 120, 1_700_000_000],
    ["big video.webm", 3_500_000, 1_690_000_000],
    ["Budget & plan.xlsx", 48_000, 1_710_000_000],
    ["zeta.md", 10, 1_600_000_000],
  ];
  for (const [name, size, mtime] of files) {
    await Deno.writeFile(`${dir}/${name}`, new Uint8Array(size));
    await Deno.utime(`${dir}/${name}`, mtime, mtime);
  }
  await Deno.writeTextFile(`${dir}/photos/2026 trip/beach.jpg`, "jpeg");
}

/** A shared folder (rich listing) and a browser, undone by `undo`. */
async function setUp(
  undo: AsyncDisposableStack,
  archive: boolean,
): Promise<{ share: Share; browser: Browser }> {
  const dir = await Deno.makeTempDir({ prefix: "httpserver-rich-" });
  undo.defer(() => Deno.remove(dir, { recursive: true }));
  await makeFolder(dir);
  const share = await shareDirectory({
    directory: dir,
    hostname: "127.0.0.1",
    port: 0,
    listing: "rich",
    archive,
    quiet: true,
  });
  undo.use(share);
  return { share, browser: await openChromium(undo) };
}

Deno.test({
  name:
    "Chromium shows the rich listing in light and dark, sorts it and filters it",
  ignore: missing !== null,
  async fn() {
    await using undo = new AsyncDisposableStack();
    const { share, browser } = await setUp(undo, true);
    await Deno.mkdir(OUTPUT, { recursive: true });
    const names = async (page: import("playwright-core").Page) =>
      await page.locator("tbody tr:not(.up):visible td.name a")
        .allTextContents();

    const backgrounds: string[] = [];
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width: 900, height: 560 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_MS);
      await page.goto(share.url);
      strictEqual(await page.title(), "Directory listing for /");
      // Folders first, then files by name, case-insensitively.
      deepStrictEqual(await names(page), [
        "docs/",
        "photos/",
        "big video.webm",
        "Budget & plan.xlsx",
        "notes.txt",
        "zeta.md",
      ]);
      backgrounds.push(
        await page.evaluate(() =>
          getComputedStyle(document.body).backgroundColor
        ),
      );
      await page.screenshot({
        path: new URL(`rich-listing-${scheme}.png`, OUTPUT).pathname,
        fullPage: true,
      });
      await context.close();
    }
    strictEqual(backgrounds[0], "rgb(255, 255, 255)");
    notStrictEqual(backgrounds[1], backgrounds[0]);

    const page = await browser.newPage({
      viewport: { width: 900, height: 560 },
    });
    page.setDefaultTimeout(STEP_MS);
    await page.goto(share.url);
    // Sort by size, then reverse it, with the column header links.
    await page.getByRole("link", { name: "Size" }).click();
    await page.waitForURL(/\?sort=size$/);
    deepStrictEqual((await names(page)).slice(2), [
      "zeta.md",
      "notes.txt",
      "Budget & plan.xlsx",
      "big video.webm",
    ]);
    await page.getByRole("link", { name: "Size ▲" }).click();
    await page.waitForURL(/\?sort=size&order=desc$/);
    deepStrictEqual((await names(page)).slice(2), [
      "big video.webm",
      "Budget & plan.xlsx",
      "notes.txt",
      "zeta.md",
    ]);
    await page.getByRole("link", { name: /^Modified/ }).click();
    await page.waitForURL(/\?sort=mtime$/);
    deepStrictEqual((await names(page)).slice(2), [
      "zeta.md",
      "big video.webm",
      "notes.txt",
      "Budget & plan.xlsx",
    ]);
    // Filter as you type (script), then submit the form (the server's).
    await page.getByLabel("Filter").fill("an");
    deepStrictEqual(await names(page), ["Budget & plan.xlsx"]);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/\?q=an&sort=mtime$/);
    deepStrictEqual(await names(page), ["Budget & plan.xlsx"]);
    await page.screenshot({
      path: new URL("rich-listing-filtered.png", OUTPUT).pathname,
    });

    // Breadcrumbs lead back up; the archive link downloads a zip.
    await page.goto(`${share.url}photos/2026%20trip/`);
    await page.getByRole("link", { name: "photos" }).click();
    await page.waitForURL(`${share.url}photos/`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "zip", exact: true }).click();
    const file = await download;
    strictEqual(file.suggestedFilename(), "photos.zip");
    const saved = await file.path();
    const bytes = await Deno.readFile(saved);
    deepStrictEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
    ok(bytes.length > 100);
  },
});

Deno.test({
  name:
    "Chromium without JavaScript filters and sorts the rich listing through the server",
  ignore: missing !== null,
  async fn() {
    await using undo = new AsyncDisposableStack();
    const { share, browser } = await setUp(undo, false);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.goto(share.url);
    await page.getByLabel("Filter").fill("o");
    await page.getByLabel("Filter").press("Enter");
    await page.waitForURL(/\?q=o$/);
    const shown = await page.locator("tbody td.name a").allTextContents();
    deepStrictEqual(shown, [
      "docs/",
      "photos/",
      "big video.webm",
      "notes.txt",
    ]);
    await context.close();
  },
});
