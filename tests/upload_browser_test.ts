// Copyright 2026 the httpserver authors. MIT license.
/**
 * Uploads in a real browser: headless Chromium (Debian's `chromium`, driven
 * by `playwright-core`) uploads a file and a whole folder through the
 * listing page's form, with and without JavaScript, resumes after a
 * dropped request, and sees them listed. Skips itself, saying why, when
 * `/usr/bin/chromium` is missing; `.ci/setup` installs it.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import type { Browser, BrowserContext } from "playwright-core";
import { CHUNK_BYTES } from "../handlers/_upload/form.ts";
import { withTimeout } from "./_util.ts";
import { chromiumMissing, launchChromium } from "./_browser.ts";
import { shareFolder, tree } from "./_share_fixture.ts";

const STEP_MS = 20_000;
const missing = chromiumMissing("upload_browser_test.ts");

interface Fixture extends AsyncDisposable {
  base: string;
  /** The served folder. */
  dir: string;
  /** Files to pick, outside the served folder. */
  local: string;
  browser: Browser;
  log: string[];
}

async function setUp(): Promise<Fixture> {
  await using undo = new AsyncDisposableStack();
  const local = await Deno.makeTempDir({ prefix: "upload-local-" });
  undo.defer(() => Deno.remove(local, { recursive: true }));
  const share = undo.use(await shareFolder({ upload: true }));
  const { base, log, root: dir } = share;
  const browser = await launchChromium();
  undo.defer(() => withTimeout(browser.close(), "Chromium to close"));
  const cleanup = undo.move();
  return {
    base,
    dir,
    local,
    browser,
    log,
    [Symbol.asyncDispose]: () => cleanup.disposeAsync(),
  };
}

/** The test body `fn`, run in a fresh fixture. */
function inFixture(fn: (f: Fixture) => Promise<void>): () => Promise<void> {
  return async () => {
    await using fixture = await setUp();
    await fn(fixture);
  };
}

async function page(context: BrowserContext, url: string) {
  const p = await context.newPage();
  p.setDefaultTimeout(STEP_MS);
  await p.goto(url);
  return p;
}

Deno.test({
  name:
    "Chromium uploads a file and a folder through the listing page and sees them listed",
  ignore: missing !== null,
  fn: inFixture(async ({ base, dir, local, browser }) => {
    await Deno.writeTextFile(`${local}/note é.txt`, "from the browser\n");
    await Deno.mkdir(`${local}/album/2024`, { recursive: true });
    await Deno.writeTextFile(`${local}/album/cover.txt`, "cover");
    await Deno.writeTextFile(`${local}/album/2024/a.txt`, "a");
    const context = await browser.newContext();
    const p = await page(context, `${base}/`);
    await p.locator('input[name="file"]').setInputFiles(`${local}/note é.txt`);
    await p.locator('input[name="folder"]').setInputFiles(`${local}/album`);
    await Promise.all([
      p.waitForEvent("load"),
      p.getByRole("button", { name: "Upload" }).click(),
    ]);
    const names = await p.locator("li a").allTextContents();
    assertEquals(names, ["album/", "note é.txt"]);
    assertEquals(await tree(dir), [
      "album/",
      "album/2024/",
      "album/2024/a.txt",
      "album/cover.txt",
      "note é.txt",
    ]);
    assertEquals(
      await Deno.readTextFile(`${dir}/note é.txt`),
      "from the browser\n",
    );
    await p.getByRole("link", { name: "album/" }).click();
    assertEquals(await p.locator("li a").allTextContents(), [
      "2024/",
      "cover.txt",
    ]);
    await context.close();
  }),
});

Deno.test({
  name:
    "Chromium without JavaScript uploads files and a folder with the plain form",
  ignore: missing !== null,
  fn: inFixture(async ({ base, dir, local, browser, log }) => {
    await Deno.writeTextFile(`${local}/a.txt`, "plain form");
    await Deno.mkdir(`${local}/pics`);
    await Deno.writeTextFile(`${local}/pics/p.txt`, "p");
    await Deno.writeTextFile(`${dir}/a.txt`, "already here");
    const context = await browser.newContext({ javaScriptEnabled: false });
    const p = await page(context, `${base}/`);
    await p.locator('input[name="file"]').setInputFiles(`${local}/a.txt`);
    await p.locator('input[name="folder"]').setInputFiles(`${local}/pics`);
    await Promise.all([
      p.waitForURL(`${base}/`),
      p.getByRole("button", { name: "Upload" }).click(),
    ]);
    await p.waitForSelector("h1");
    assertEquals(await p.locator("h1").textContent(), "Upload complete");
    assert(
      log.some((l) => l.startsWith('"POST / HTTP/1.1" 201 ')),
      log.join("\n"),
    );
    assertEquals(await tree(dir), [
      "a (1).txt",
      "a.txt",
      "pics/",
      "pics/p.txt",
    ]);
    await p.getByRole("link", { name: "Back to the folder" }).click();
    assertEquals(await p.locator("li a").allTextContents(), [
      "a (1).txt",
      "a.txt",
      "pics/",
    ]);
    // The new-folder form.
    await p.locator('input[name="mkdir"]').fill("made here");
    await p.getByRole("button", { name: "Create" }).click();
    await p.waitForSelector("h1");
    assert((await Deno.stat(`${dir}/made here`)).isDirectory);
    await context.close();
  }),
});

Deno.test({
  name: "Chromium resumes an upload after a dropped request",
  ignore: missing !== null,
  fn: inFixture(async ({ base, dir, local, browser, log }) => {
    const size = CHUNK_BYTES + 3_000_000;
    const data = new Uint8Array(size).map((_, i) => (i * 2654435761) >>> 24);
    await Deno.writeFile(`${local}/big.bin`, data);
    const context = await browser.newContext();
    let dropped = 0;
    // Drop the first request that continues the upload past its first chunk.
    await context.route("**/big.bin?rename", async (route) => {
      const range = route.request().headers()["content-range"] ?? "";
      if (dropped === 0 && /^bytes [1-9]/.test(range)) {
        dropped++;
        await route.abort("connectionreset");
      } else await route.continue();
    });
    const p = await page(context, `${base}/`);
    await p.locator('input[name="file"]').setInputFiles(`${local}/big.bin`);
    await Promise.all([
      p.waitForEvent("load", { timeout: 60_000 }),
      p.getByRole("button", { name: "Upload" }).click(),
    ]);
    assertEquals(dropped, 1);
    assertEquals(await Deno.readFile(`${dir}/big.bin`), data);
    assertEquals(await tree(dir), ["big.bin"]);
    // First chunk (308), the dropped one never arrives, the query where to
    // go on (308 with the offset), the rest (201).
    const puts = log.filter((l) => l.startsWith('"PUT /big.bin?rename '));
    // The query's answer carries the offset: where the first chunk ended.
    assertEquals(puts[1]!.split(" ")[4], String(CHUNK_BYTES));
    assertEquals(puts.map((l) => l.split(" ")[3]), ["308", "308", "201"]);
    await context.close();
  }),
});
