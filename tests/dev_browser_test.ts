// Copyright 2026 the httpserver authors. MIT license.
/**
 * The development features in a real browser: headless Chromium (Debian's
 * `chromium`, driven by `playwright-core`) against `SimpleHTTPRequestHandler`
 * with live reload, SPA fallback and isolation on. A page reloads when a
 * file changes, a stylesheet is swapped without a reload, seven tabs share
 * one event stream and all reload, a restarted server reloads its pages
 * once, a page signed in with Basic authentication reloads (its stream
 * needs the password), `crossOriginIsolated` is true, and a deep SPA route
 * renders.
 *
 * Skips itself, saying why, when `/usr/bin/chromium` is missing.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { SimpleHTTPRequestHandlerOptions } from "../mod.ts";
import { closeLiveHubs } from "../handlers/_dev/live_hub.ts";
import { withTimeout } from "./_util.ts";
import {
  chromiumMissing,
  launchChromium,
  serveToChromium,
} from "./_browser.ts";

/** Bound on each browser wait, well inside the test's own budget. */
const STEP_MS = 15_000;

const missing = chromiumMissing("dev_browser_test.ts");

// What code passed to evaluate() reads, declared for this module only.
declare const document: { body: { textContent: string | null } };
declare function getComputedStyle(e: unknown): { color: string };
declare const window: Record<string, unknown> & {
  crossOriginIsolated: boolean;
  SharedArrayBuffer?: unknown;
};

const PAGE = (title: string) =>
  `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/css/site.css"></head>
<body><h1 id="t">${title}</h1></body>
</html>
`;

interface Fixture extends AsyncDisposable {
  base: string;
  dir: string;
  /** Request lines logged, with their status. */
  log: string[];
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

async function setUp(
  options: SimpleHTTPRequestHandlerOptions,
): Promise<Fixture> {
  await using undo = new AsyncDisposableStack();
  const dir = await Deno.makeTempDir({ prefix: "httpserver-dev-browser-" });
  undo.defer(() => Deno.remove(dir, { recursive: true }));
  await Deno.mkdir(`${dir}/css`);
  await Deno.writeTextFile(`${dir}/index.html`, PAGE("one"));
  await Deno.writeTextFile(
    `${dir}/css/site.css`,
    "h1 { color: rgb(255, 0, 0); }\n",
  );
  undo.defer(closeLiveHubs);
  const served = await serveToChromium(undo, dir, options);
  const context = await served.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  const cleanup = undo.move();
  const dispose = () => cleanup.disposeAsync();
  return { ...served, dir, context, page, [Symbol.asyncDispose]: dispose };
}

function browserTest(
  name: string,
  options: SimpleHTTPRequestHandlerOptions,
  fn: (f: Fixture) => Promise<void>,
): void {
  Deno.test({
    name,
    ignore: missing !== null,
    async fn() {
      await using fixture = await setUp(options);
      await fn(fixture);
    },
  });
}

/** Waits until the page's live-reload client logs `text`. */
async function logged(page: Page, text: string): Promise<void> {
  await page.waitForEvent("console", {
    predicate: (m) => m.text().includes(text),
    timeout: STEP_MS,
  });
}

/**
 * Loads `url` in `page` and waits for the live-reload client: connected
 * (the tab holding the stream), or listening to the tab that holds it.
 */
async function open(
  page: Page,
  url: string,
  readyText: string = "live reload connected",
): Promise<void> {
  const ready = logged(page, readyText);
  await page.goto(url);
  await ready;
  await page.evaluate(() => window.__marker = "before");
}

/** Opens the index page, edits it, and waits for the page to reload with the edit. */
async function reloadsOnEdit(
  page: Page,
  base: string,
  dir: string,
): Promise<void> {
  await open(page, `${base}/`);
  // Give the watcher a moment to start after the stream connected.
  await new Promise((r) => setTimeout(r, 300));
  await Deno.writeTextFile(`${dir}/index.html`, PAGE("two"));
  await page.waitForFunction(() => document.body.textContent?.includes("two"));
  assertEquals(await page.evaluate(() => window.__marker), undefined);
}

browserTest(
  "Live reload: Chromium reloads the page when its file changes",
  { liveReload: true },
  async ({ base, dir, page }) => {
    await reloadsOnEdit(page, base, dir);
  },
);

browserTest(
  "Live reload: Chromium signed in with Basic authentication reloads the page, and its stream needs the password",
  { liveReload: true, auth: { accounts: [["ann", "s3cret"]] } },
  async ({ base, browser, dir, log }) => {
    const signedIn = await browser.newContext({
      httpCredentials: { username: "ann", password: "s3cret" },
    });
    try {
      const page = await signedIn.newPage();
      page.setDefaultTimeout(STEP_MS);
      await reloadsOnEdit(page, base, dir);
    } finally {
      await signedIn.close();
    }
    // A stranger gets neither the client script nor the stream.
    for (const path of ["/%00httpserver/live.js", "/%00httpserver/events"]) {
      const res = await fetch(`${base}${path}`);
      await res.body?.cancel();
      assertEquals(res.status, 401, path);
    }
    // The signed-in page held the stream: a 200 for it, after any challenge.
    assert(
      log.some((line) => /"GET \/%00httpserver\/events[^"]*" 200 /.test(line)),
      log.join("\n"),
    );
  },
);

browserTest(
  "Live reload: Chromium swaps a changed stylesheet without reloading",
  { liveReload: true },
  async ({ base, dir, page }) => {
    await open(page, `${base}/`);
    const color = () =>
      page.evaluate(() =>
        getComputedStyle((document as unknown as {
          querySelector(s: string): unknown;
        }).querySelector("h1")).color
      );
    assertEquals(await color(), "rgb(255, 0, 0)");
    await new Promise((r) => setTimeout(r, 300));
    await Deno.writeTextFile(
      `${dir}/css/site.css`,
      "h1 { color: rgb(0, 0, 255); }\n",
    );
    await page.waitForFunction(() =>
      getComputedStyle((document as unknown as {
        querySelector(s: string): unknown;
      }).querySelector("h1")).color === "rgb(0, 0, 255)"
    );
    assertEquals(
      await page.evaluate(() => window.__marker),
      "before",
      "no reload",
    );
  },
);

browserTest(
  "Live reload: seven tabs over HTTP/1.1 all load, share one event stream and all reload",
  { liveReload: true },
  async ({ base, dir, context, page, log }) => {
    const pages = [page];
    for (let i = 1; i < 7; i++) {
      const p = await context.newPage();
      p.setDefaultTimeout(STEP_MS);
      pages.push(p);
    }
    await open(page, `${base}/`);
    for (const p of pages.slice(1)) {
      await open(p, `${base}/`, "one stream for all tabs");
    }
    const streams =
      log.filter((l) => l.includes("/%00httpserver/events")).length;
    assert(streams < 7, `${streams} event streams for 7 tabs`);
    await new Promise((r) => setTimeout(r, 300));
    await Deno.writeTextFile(`${dir}/index.html`, PAGE("seven"));
    for (const p of pages) {
      await p.waitForFunction(() =>
        document.body.textContent?.includes("seven")
      );
      assertEquals(await p.evaluate(() => window.__marker), undefined);
    }
  },
);

browserTest(
  "Isolation: crossOriginIsolated is true and SharedArrayBuffer exists",
  { isolate: true, liveReload: true },
  async ({ base, page }) => {
    await open(page, `${base}/`);
    assertEquals(await page.evaluate(() => window.crossOriginIsolated), true);
    assertEquals(
      await page.evaluate(() => typeof window.SharedArrayBuffer),
      "function",
    );
  },
);

browserTest(
  "SPA fallback: Chromium renders a deep route from index.html",
  { spa: true },
  async ({ base, dir, page }) => {
    await Deno.writeTextFile(
      `${dir}/index.html`,
      `<!DOCTYPE html><html><head><meta charset="utf-8">
<script type="module" src="/app.js"></script></head><body><h1 id="t">loading</h1></body></html>`,
    );
    await Deno.writeTextFile(
      `${dir}/app.js`,
      'document.getElementById("t").textContent = "route " + location.pathname;\n',
    );
    const res = await page.goto(`${base}/users/42/settings`);
    assertEquals(res?.status(), 200);
    await page.waitForFunction(() =>
      document.body.textContent?.includes("route /users/42/settings")
    );
    const asset = await page.goto(`${base}/users/missing.js`);
    assertEquals(asset?.status(), 404);
  },
);

/** A live-reload server in a child process (see `_dev_child.ts`). */
async function child(dir: string, port: number) {
  const proc = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_dev_child.ts", import.meta.url).pathname,
      dir,
      String(port),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const line = await withTimeout(reader.read(), "the child server's port");
  reader.releaseLock();
  return {
    port: Number(line.value?.trim()),
    async [Symbol.asyncDispose]() {
      try {
        proc.kill("SIGKILL");
      } catch { /* gone */ }
      await proc.status;
      await proc.stdout.cancel().catch(() => {});
    },
  };
}

Deno.test({
  name: "Live reload: pages reload once after the server restarts",
  ignore: missing !== null,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "httpserver-dev-restart-" });
    await Deno.writeTextFile(`${dir}/index.html`, PAGE("restart"));
    try {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        page.setDefaultTimeout(STEP_MS);
        let loads = 0;
        page.on("load", () => loads++);
        let port: number;
        {
          await using first = await child(dir, 0);
          port = first.port;
          await open(page, `http://127.0.0.1:${port}/`);
        }
        await using _second = await child(dir, port);
        await page.waitForFunction(() => window.__marker === undefined, null, {
          timeout: STEP_MS,
        });
        await page.waitForLoadState("load");
        // Once: the new server's boot id matches the reloaded page.
        await new Promise((r) => setTimeout(r, 2500));
        assertEquals(loads, 2);
      } finally {
        await withTimeout(browser.close(), "Chromium to close");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
