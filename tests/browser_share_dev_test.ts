// Copyright 2026 the httpserver authors. MIT license.
/**
 * The sharing and development features together in headless Chromium: a
 * page under a secret path (`randomPath`) reloads when its file changes and
 * has its stylesheet swapped in place; a folder's listing reloads when a
 * file is added; the upload form's files all arrive although each one
 * stored is a change live reload reports.
 *
 * Skips itself, saying why, when `/usr/bin/chromium` is missing;
 * `.ci/setup` installs it.
 */
import { strictEqual } from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import type { Share, ShareOptions } from "../share.ts";
import { closeLiveHubs } from "../handlers/_dev/live_hub.ts";
import { chromiumMissing, openChromium } from "./_browser.ts";
import { shareFiles, shareFolder } from "./_share_fixture.ts";

/** Bound on each browser wait, well inside the test's own budget. */
const STEP_MS = 15_000;

const missing = chromiumMissing("browser_share_dev_test.ts");

// What code passed to evaluate() reads, declared for this module only.
declare const document: {
  body: { textContent: string | null };
  querySelector(selector: string): unknown;
};
declare function getComputedStyle(e: unknown): { color: string };
declare const window: Record<string, unknown>;

const PAGE = (title: string) =>
  `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="css/site.css">
<link rel="stylesheet" href="css/other.css"></head>
<body><h1>${title}</h1></body>
</html>
`;

interface Fixture {
  share: Share;
  dir: string;
  page: Page;
}

/**
 * Shares a fresh folder (a page and its stylesheets) with `options` and
 * opens a Chromium page; everything is undone by `undo`.
 */
async function setUp(
  undo: AsyncDisposableStack,
  options: ShareOptions,
): Promise<Fixture> {
  const { share, dir } = await shareFiles(undo, {
    "index.html": PAGE("one"),
    "css/site.css": "h1 { color: red; }\n",
    "css/other.css": "p { margin: 0; }\n",
  }, options);
  return { share, dir, page: await newPage(await openChromium(undo)) };
}

/** A page in a fresh context of `browser`, its waits bounded. */
async function newPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(STEP_MS);
  return page;
}

/**
 * A test that runs with Chromium (skipped when it is missing); `undo`
 * ends what the test started.
 */
function chromiumTest(
  name: string,
  fn: (undo: AsyncDisposableStack) => Promise<void>,
): void {
  Deno.test({
    name,
    ignore: missing !== null,
    async fn() {
      await using undo = new AsyncDisposableStack();
      await fn(undo);
    },
  });
}

/** Loads `url` and waits until its live-reload client is connected. */
async function open(page: Page, url: string): Promise<void> {
  const ready = page.waitForEvent("console", {
    predicate: (m) => m.text().includes("live reload connected"),
    timeout: STEP_MS,
  });
  const res = await page.goto(url);
  strictEqual(res?.status(), 200);
  await ready;
  await page.evaluate(() => window.__marker = "before");
  // Give the watcher a moment to start after the stream connected.
  await new Promise((r) => setTimeout(r, 300));
}

chromiumTest(
  "Chromium reloads a page under a secret path when its file changes, and swaps its stylesheet in place",
  async (undo) => {
    const { share, dir, page } = await setUp(undo, {
      randomPath: true,
      liveReload: true,
    });
    // Before the fix the script and its stream were 404 outside the prefix.
    await open(page, share.url);
    const color = () =>
      page.evaluate(() => getComputedStyle(document.querySelector("h1")).color);
    strictEqual(await color(), "rgb(255, 0, 0)");
    await Deno.writeTextFile(`${dir}/css/site.css`, "h1 { color: blue; }\n");
    await page.waitForFunction(() =>
      getComputedStyle(document.querySelector("h1")).color === "rgb(0, 0, 255)"
    );
    strictEqual(await page.evaluate(() => window.__marker), "before");
    // Only the changed sheet was swapped: the client matched it below the
    // secret prefix.
    const hrefs = await page.evaluate(() =>
      [...(document as unknown as {
        querySelectorAll(s: string): Iterable<{ href: string }>;
      }).querySelectorAll("link")].map((l) => l.href)
    );
    strictEqual(hrefs.filter((h) => h.includes("_lr=")).length, 1, `${hrefs}`);
    strictEqual(hrefs.some((h) => /site\.css\?_lr=/.test(h)), true);
    await Deno.writeTextFile(`${dir}/index.html`, PAGE("two"));
    await page.waitForFunction(() =>
      document.body.textContent?.includes("two")
    );
    strictEqual(await page.evaluate(() => window.__marker), undefined);
  },
);

for (const listing of ["rich", "python"] as const) {
  chromiumTest(
    `Chromium reloads a folder's ${listing} listing when a file is added to it`,
    async (undo) => {
      const { share, dir, page } = await setUp(undo, {
        randomPath: true,
        liveReload: true,
        listing,
      });
      // Before the fix --listing pages had no live-reload script.
      await open(page, `${share.url}css/`);
      await Deno.writeTextFile(`${dir}/css/added.txt`, "new\n");
      await page.waitForFunction(() =>
        document.body.textContent?.includes("added.txt")
      );
      strictEqual(await page.evaluate(() => window.__marker), undefined);
    },
  );
}

chromiumTest(
  "Chromium uploads several files from a live-reload listing: no reload cuts them short, and every open listing then shows them",
  async (undo) => {
    undo.defer(closeLiveHubs);
    // Each write waits a while before it starts, as a large file would take
    // that long: the watcher reports each file stored on its own.
    const share = undo.use(
      await shareFolder({
        upload: true,
        liveReload: true,
        mayWrite: () => new Promise((r) => setTimeout(() => r(true), 300)),
      }),
    );
    const browser = await openChromium(undo);
    const page = await newPage(browser);
    const local = await Deno.makeTempDir({ prefix: "httpserver-upload-" });
    undo.defer(() => Deno.remove(local, { recursive: true }));
    const names = ["a.txt", "b.txt", "c.txt"];
    for (const name of names) {
      await Deno.writeTextFile(`${local}/${name}`, name);
    }
    // Another visitor's listing, in its own browser context.
    const other = await newPage(browser);
    await open(other, `${share.base}/`);
    await open(page, `${share.base}/`);
    await page.locator('input[name="file"]').setInputFiles(
      names.map((n) => `${local}/${n}`),
    );
    await page.getByRole("button", { name: "Upload" }).click();
    // Before the fix the first file stored reloaded the page, and the
    // uploads after it were cut off.
    await page.waitForFunction(
      (count) =>
        (document as unknown as {
          querySelectorAll(s: string): { length: number };
        }).querySelectorAll("li a[href$='.txt']").length === count,
      names.length,
    );
    for (const name of names) {
      strictEqual(await Deno.readTextFile(`${share.root}/${name}`), name);
    }
    // The other listing reloaded and shows them too.
    await other.waitForFunction(() =>
      document.body.textContent?.includes("c.txt")
    );
    strictEqual(await other.evaluate(() => window.__marker), undefined);
  },
);
