// Copyright 2026 the httpserver authors. MIT license.
/**
 * End to end in a real browser: headless Chromium (Debian's `chromium`,
 * driven by `playwright-core`) against `SimpleHTTPRequestHandler` serving a
 * temporary folder. Screenshots go to `tests/output/` (git-ignored).
 *
 * Skips itself, saying why, when `/usr/bin/chromium` is missing;
 * `.ci/setup` installs it.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { chromiumMissing, serveToChromium } from "./_browser.ts";

// The browser globals that code passed to evaluate() uses, declared for this
// module only: `/// <reference lib="dom" />` would retype every test file.
interface BrowserElement {
  textContent: string | null;
}
interface BrowserStyle {
  color: string;
  fontWeight: string;
  colorScheme: string;
}
interface Canvas2D {
  drawImage(image: Image, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): {
    data: Uint8ClampedArray;
  };
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: "2d"): Canvas2D | null;
}
interface Video extends BrowserElement {
  readyState: number;
  currentTime: number;
  duration: number;
  videoWidth: number;
  seekable: { length: number; end(index: number): number };
  error: { code: number } | null;
  play(): Promise<void>;
  pause(): void;
  addEventListener(
    type: string,
    listener: () => void,
    options?: { once: boolean },
  ): void;
}
declare const document: {
  body: BrowserElement;
  documentElement: BrowserElement;
  querySelector(selector: string): BrowserElement | null;
  createElement(tag: "canvas"): Canvas;
};
declare function getComputedStyle(element: unknown): BrowserStyle;
declare class Image {
  src: string;
  width: number;
  height: number;
  decode(): Promise<void>;
}

const OUTPUT = new URL("./output/", import.meta.url);
const VIDEO = new URL("./testdata/video.webm", import.meta.url);
/** Bound on each browser action, well inside the test's own budget. */
const STEP_MS = 10_000;

const missing = chromiumMissing("browser_test.ts");

const NON_ASCII = "Déjà vu Ωμέγα Привет";
const ODD_NAME = "report #1 & co.bin";
const MARKUP_NAME = "<i>not italic.txt";

/** A served temporary folder, the server, its log, and a browser. */
interface Fixture extends AsyncDisposable {
  base: string;
  dir: string;
  /** `"<request line>" <code>` of every logged request. */
  log: string[];
  browser: Browser;
  page: Page;
  bytes: Uint8Array;
}

async function makeFolder(dir: string): Promise<Uint8Array> {
  const bytes = crypto.getRandomValues(new Uint8Array(50_000));
  await Deno.writeFile(`${dir}/${ODD_NAME}`, bytes);
  await Deno.writeTextFile(`${dir}/hello.txt`, "Hello, browser\n");
  await Deno.writeTextFile(`${dir}/${MARKUP_NAME}`, "<b>\n");
  await Deno.mkdir(`${dir}/${NON_ASCII}`);
  await Deno.writeTextFile(
    `${dir}/${NON_ASCII}/inside.txt`,
    "bonjour\n",
  );
  await Deno.mkdir(`${dir}/site`);
  await Deno.writeTextFile(
    `${dir}/site/index.html`,
    `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Served site</title>
<link rel="stylesheet" href="style.css">
<script type="module" src="app.js"></script>
</head>
<body><p id="out">js did not run</p></body>
</html>
`,
  );
  await Deno.writeTextFile(
    `${dir}/site/style.css`,
    "#out { color: rgb(0, 128, 0); font-weight: 700; }\n",
  );
  // A module script runs only when served with a JavaScript MIME type.
  await Deno.writeTextFile(
    `${dir}/site/app.js`,
    'document.getElementById("out").textContent = "js ran: " + ' +
      "document.title;\n",
  );
  await Deno.mkdir(`${dir}/media`);
  await Deno.copyFile(VIDEO, `${dir}/media/video.webm`);
  await Deno.writeTextFile(
    `${dir}/media/player.html`,
    `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Player</title></head>
<body><video id="v" src="video.webm" muted preload="auto"></video></body>
</html>
`,
  );
  return bytes;
}

async function setUp(): Promise<Fixture> {
  // Undone in reverse order when the test ends, or at once on a failure here.
  await using undo = new AsyncDisposableStack();
  const dir = await Deno.makeTempDir({ prefix: "httpserver-browser-" });
  undo.defer(() => Deno.remove(dir, { recursive: true }));
  const bytes = await makeFolder(dir);
  const served = await serveToChromium(undo, dir, {}, [
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
  ]);
  const page = await served.browser.newPage({
    viewport: { width: 800, height: 520 },
  });
  page.setDefaultTimeout(STEP_MS);
  const cleanup = undo.move();
  const dispose = () => cleanup.disposeAsync();
  return { ...served, dir, page, bytes, [Symbol.asyncDispose]: dispose };
}

function browserTest(name: string, fn: (f: Fixture) => Promise<void>): void {
  Deno.test({
    name,
    ignore: missing !== null,
    async fn() {
      await using fixture = await setUp();
      await fn(fixture);
    },
  });
}

browserTest(
  "Chromium opens the served listing and follows a link into a folder with a non-ASCII name",
  async ({ base, page }) => {
    await page.goto(`${base}/`);
    assertEquals(await page.title(), "Directory listing for /");
    const names = await page.locator("li a").allTextContents();
    assertEquals(names, [
      MARKUP_NAME,
      `${NON_ASCII}/`,
      "hello.txt",
      "media/",
      ODD_NAME,
      "site/",
    ]);
    await page.getByRole("link", { name: `${NON_ASCII}/` }).click();
    await page.waitForURL(`${base}/${encodeURIComponent(NON_ASCII)}/`);
    assertEquals(
      await page.locator("h1").textContent(),
      `Directory listing for /${NON_ASCII}/`,
    );
    await page.getByRole("link", { name: "inside.txt" }).click();
    await page.waitForURL(/inside\.txt$/);
    assertEquals(
      (await page.locator("body").innerText()).trimEnd(),
      "bonjour",
    );
  },
);

browserTest(
  "Chromium downloads a served file byte for byte",
  async ({ base, page, bytes }) => {
    await page.goto(`${base}/`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: ODD_NAME }).click(),
    ]);
    assertEquals(download.suggestedFilename(), ODD_NAME);
    assertEquals(await download.failure(), null);
    const got = await Deno.readFile(await download.path());
    assertEquals(got.length, bytes.length);
    assert(got.every((b, i) => b === bytes[i]), "downloaded bytes differ");
  },
);

browserTest(
  "Chromium loads an HTML page with its CSS and JavaScript module from the served folder",
  async ({ base, page, log }) => {
    await page.goto(`${base}/site/`);
    const out = page.locator("#out");
    await out.filter({ hasText: "js ran" }).waitFor();
    assertEquals(await out.textContent(), "js ran: Served site");
    const style = await out.evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.color, s.fontWeight];
    });
    assertEquals(style, ["rgb(0, 128, 0)", "700"]);
    for (const file of ["/site/ ", "/site/style.css ", "/site/app.js "]) {
      assert(
        log.some((l) => l.includes(`GET ${file}`) && l.includes('" 200 ')),
        `${file} served: ${log.join(", ")}`,
      );
    }
  },
);

browserTest(
  "Chromium plays a served video and seeks it with Range requests",
  async ({ base, page, log }) => {
    await page.goto(`${base}/media/player.html`);
    const state = await page.locator("#v").evaluate(async (el) => {
      const v = el as unknown as Video;
      const once = (event: string) =>
        new Promise<void>((resolve, reject) => {
          v.addEventListener(event, () => resolve(), { once: true });
          v.addEventListener("error", () => reject(new Error("media error")), {
            once: true,
          });
        });
      if (v.readyState < 1) await once("loadedmetadata");
      await v.play();
      while (v.currentTime === 0) await new Promise((r) => setTimeout(r, 20));
      v.pause();
      const seeked = once("seeked");
      v.currentTime = 3;
      await seeked;
      return {
        duration: v.duration,
        currentTime: v.currentTime,
        seekableEnd: v.seekable.length ? v.seekable.end(0) : 0,
        width: v.videoWidth,
        error: v.error?.code ?? null,
      };
    });
    assertEquals(state.error, null);
    assertEquals(state.width, 64);
    assert(Math.abs(state.duration - 4) < 0.1, `duration ${state.duration}`);
    assert(Math.abs(state.currentTime - 3) < 0.1, `at ${state.currentTime}`);
    assert(state.seekableEnd > 3.9, `seekable to ${state.seekableEnd}`);
    assert(
      log.some((l) =>
        l.startsWith('"GET /media/video.webm ') && l.includes('" 206 ')
      ),
      `a 206 for the video: ${log.join(", ")}`,
    );
  },
);

browserTest(
  "Chromium shows the listing readably in light and dark color schemes",
  async ({ base, page }) => {
    await Deno.mkdir(OUTPUT, { recursive: true });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${base}/`);
      const colors = await page.evaluate(() => {
        const body = getComputedStyle(document.body);
        const link = getComputedStyle(document.querySelector("a")!);
        return {
          scheme: getComputedStyle(document.documentElement).colorScheme,
          text: body.color,
          link: link.color,
        };
      });
      assertEquals(colors.scheme, "light dark");
      // Text is black on white in light mode and white on dark in dark mode.
      assertEquals(
        colors.text,
        scheme === "light" ? "rgb(0, 0, 0)" : "rgb(255, 255, 255)",
      );
      assert(colors.link !== colors.text, "links stand out");
      const file = new URL(`listing-${scheme}.png`, OUTPUT);
      const png = await page.screenshot({
        path: file.pathname,
        fullPage: true,
      });
      // Decode the screenshot in the page itself and look at its pixels: the
      // background, and how much of the image stands out from it (the text).
      const look = await page.evaluate(async (src) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext("2d")!;
        ctx.drawImage(img, 0, 0);
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        const light = (i: number) =>
          (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
        const background = light(0);
        let contrasting = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (Math.abs(light(i) - background) > 128) contrasting++;
        }
        return { background, contrasting, pixels: data.length / 4 };
      }, `data:image/png;base64,${png.toString("base64")}`);
      if (scheme === "light") {
        assert(look.background > 230, `light ${look.background}`);
      } else assert(look.background < 40, `dark background ${look.background}`);
      const share = look.contrasting / look.pixels;
      assert(share > 0.005 && share < 0.3, `text covers ${share} of the page`);
    }
    await page.goto(`${base}/no-such-file`);
    assertEquals(await page.locator("h1").textContent(), "Error response");
    await page.screenshot({ path: new URL("error-dark.png", OUTPUT).pathname });
  },
);
