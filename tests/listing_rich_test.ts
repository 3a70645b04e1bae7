// Copyright 2026 the httpserver authors. MIT license.
/**
 * The rich and JSON listings (`handlers/_listing/`): query parsing,
 * sorting with folders first, filtering, paging, and the HTML and JSON
 * they render. Over HTTP and in Chromium in share_listing_test.ts and
 * browser_share_test.ts.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  PAGE_SIZE,
  parseListingQuery,
  selectPage,
} from "../handlers/_listing/entries.ts";
import { renderJsonListing, wantsJson } from "../handlers/_listing/json.ts";
import { humanSize, renderRichListing } from "../handlers/_listing/rich.ts";
import { readListing } from "../handlers/_files/listing.ts";

const decoder = new TextDecoder();
/** Every entry: dotfiles shown, links followed. */
const ALL = {
  directory: "",
  root: null,
  followSymlinks: true,
  serveDotfiles: true,
};

function makeFolder(): string {
  const dir = Deno.makeTempDirSync();
  Deno.mkdirSync(`${dir}/Zeta`);
  Deno.mkdirSync(`${dir}/alpha`);
  Deno.writeTextFileSync(`${dir}/b.txt`, "x".repeat(300));
  Deno.writeTextFileSync(`${dir}/A.txt`, "x".repeat(10));
  Deno.writeTextFileSync(`${dir}/c <&> "q".txt`, "x".repeat(20));
  // The two folders get the same time, so a sort by time falls back to the
  // name whatever the clock did between the two mkdir calls.
  Deno.utimeSync(`${dir}/Zeta`, 500_000, 500_000);
  Deno.utimeSync(`${dir}/alpha`, 500_000, 500_000);
  Deno.utimeSync(`${dir}/b.txt`, 1_000_000, 1_000_000);
  Deno.utimeSync(`${dir}/A.txt`, 2_000_000, 2_000_000);
  Deno.utimeSync(`${dir}/c <&> "q".txt`, 3_000_000, 3_000_000);
  return dir;
}

async function withFolder(
  fn: (dir: string) => Promise<void> | void,
): Promise<void> {
  const dir = makeFolder();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function names(dir: string, query: string): string[] {
  const entries = readListing(dir, ALL);
  return selectPage(dir, entries, parseListingQuery(query)).entries.map((e) =>
    e.name
  );
}

Deno.test("parseListingQuery reads sort, order, filter, page and json", () => {
  deepStrictEqual(parseListingQuery(null), {
    sort: "name",
    descending: false,
    filter: "",
    page: 1,
    json: false,
  });
  deepStrictEqual(
    parseListingQuery("sort=size&order=desc&q=%20ab%20&page=3&json"),
    {
      sort: "size",
      descending: true,
      filter: "ab",
      page: 3,
      json: true,
    },
  );
  // Bad values fall back to the defaults.
  deepStrictEqual(parseListingQuery("sort=evil&order=up&page=-2&page=x"), {
    sort: "name",
    descending: false,
    filter: "",
    page: 1,
    json: false,
  });
});

Deno.test("selectPage sorts folders first by name, size or time", async () => {
  await withFolder((dir) => {
    deepStrictEqual(names(dir, ""), [
      "alpha",
      "Zeta",
      "A.txt",
      "b.txt",
      'c <&> "q".txt',
    ]);
    deepStrictEqual(names(dir, "order=desc"), [
      "Zeta",
      "alpha",
      'c <&> "q".txt',
      "b.txt",
      "A.txt",
    ]);
    deepStrictEqual(names(dir, "sort=size"), [
      "alpha",
      "Zeta",
      "A.txt",
      'c <&> "q".txt',
      "b.txt",
    ]);
    deepStrictEqual(names(dir, "sort=size&order=desc"), [
      "alpha",
      "Zeta",
      "b.txt",
      'c <&> "q".txt',
      "A.txt",
    ]);
    deepStrictEqual(names(dir, "sort=mtime"), [
      "alpha",
      "Zeta",
      "b.txt",
      "A.txt",
      'c <&> "q".txt',
    ]);
    deepStrictEqual(names(dir, "q=A"), ["alpha", "Zeta", "A.txt"]);
    deepStrictEqual(names(dir, "q=.TXT&sort=mtime&order=desc"), [
      'c <&> "q".txt',
      "A.txt",
      "b.txt",
    ]);
  });
});

Deno.test("selectPage pages a big folder and stats only the page", () => {
  const entries = Array.from({ length: 2500 }, (_, i) => ({
    name: `f${String(i).padStart(5, "0")}`,
    isDirectory: false,
    isSymlink: false,
  }));
  // The folder does not exist: entries off the page are never stat-ed, and
  // those on it come back without details instead of failing.
  const first = selectPage("/nonexistent", entries, parseListingQuery(""));
  strictEqual(first.entries.length, PAGE_SIZE);
  strictEqual(first.pages, 3);
  strictEqual(first.entries[0]!.name, "f00000");
  strictEqual(first.entries[0]!.size, null);
  const last = selectPage("/nonexistent", entries, parseListingQuery("page=9"));
  strictEqual(last.page, 3);
  strictEqual(last.entries.length, 500);
  strictEqual(last.entries.at(-1)!.name, "f02499");
});

Deno.test("renderJsonListing gives name, type, size, mtime and url", async () => {
  await withFolder((dir) => {
    const entries = readListing(dir, ALL);
    const page = selectPage(dir, entries, parseListingQuery(""), Infinity);
    const json = JSON.parse(
      decoder.decode(renderJsonListing("/f%20x/", page.entries)),
    );
    deepStrictEqual(json[0], {
      name: "alpha",
      type: "directory",
      size: null,
      mtime: json[0].mtime,
      url: "/f%20x/alpha/",
    });
    deepStrictEqual(json[4], {
      name: 'c <&> "q".txt',
      type: "file",
      size: 20,
      mtime: "1970-02-04T17:20:00.000Z",
      url: "/f%20x/c%20%3C%26%3E%20%22q%22.txt",
    });
  });
});

Deno.test("wantsJson follows ?json and the Accept header", () => {
  strictEqual(wantsJson(undefined, true), true);
  strictEqual(wantsJson(undefined, false), false);
  strictEqual(wantsJson("application/json", false), true);
  strictEqual(
    wantsJson("text/html,application/xhtml+xml,*/*;q=0.8", false),
    false,
  );
  strictEqual(wantsJson("application/json;q=0.5, text/html", false), false);
  strictEqual(wantsJson("text/html;q=0.1, application/json", false), true);
  strictEqual(wantsJson("application/json;q=0", false), false);
  strictEqual(wantsJson("*/*", false), false);
});

Deno.test("renderRichListing escapes names and links sort, filter and pages", async () => {
  await withFolder((dir) => {
    const entries = readListing(dir, ALL);
    const query = parseListingQuery("sort=size&q=t");
    const html = decoder.decode(renderRichListing({
      displayPath: "/s3cret/photos & <b>/",
      basePath: "/s3cret/",
      query,
      page: selectPage(dir, entries, query),
      archive: true,
      uploadForm: '<form id="up"></form>',
      qrSvg: "<svg></svg>",
    }));
    ok(html.startsWith("<!DOCTYPE html>"));
    ok(
      html.includes(
        "<title>Directory listing for /s3cret/photos &amp; &lt;b&gt;/</title>",
      ),
    );
    ok(html.includes('<a href="/s3cret/">Home</a>'));
    ok(
      html.includes('<span aria-current="page">photos &amp; &lt;b&gt;</span>'),
    );
    ok(
      html.includes(
        'href="c%20%3C%26%3E%20%22q%22.txt">c &lt;&amp;&gt; "q".txt</a>',
      ),
    );
    // The current column toggles its order; the others sort ascending.
    ok(
      html.includes(
        '<th scope="col" class="size" aria-sort="ascending"><a href="?sort=size&amp;order=desc&amp;q=t">Size ▲</a></th>',
      ),
    );
    ok(html.includes('<a href="?q=t">Name</a>'));
    ok(html.includes('<input type="hidden" name="sort" value="size">'));
    ok(html.includes('value="t"'));
    ok(html.includes('<a href="?zip" download>zip</a>'));
    ok(html.includes('<a href="?tar=gz" download>tar.gz</a>'));
    ok(html.includes('<form id="up"></form>'));
    ok(html.includes("<svg></svg>"));
    ok(html.includes('<a href="../">../</a>'));
    ok(html.includes('<span title="300 bytes">300 B</span>'));
    ok(html.includes("prefers-color-scheme:dark"));
    ok(!html.includes("<script src"), "no external script");
  });
});

Deno.test("renderRichListing without the options has no archive, upload or QR", () => {
  const query = parseListingQuery("");
  const html = decoder.decode(renderRichListing({
    displayPath: "/",
    basePath: "/",
    query,
    page: { entries: [], total: 0, page: 1, pages: 1 },
    archive: false,
    uploadForm: null,
    qrSvg: null,
  }));
  ok(!html.includes("?zip"));
  ok(!html.includes('class="upload"'));
  ok(!html.includes('class="qr"'));
  ok(!html.includes('href="../"'));
  ok(html.includes("This folder is empty."));
});

Deno.test("humanSize uses binary units", () => {
  strictEqual(humanSize(0), "0 B");
  strictEqual(humanSize(1023), "1023 B");
  strictEqual(humanSize(1536), "1.5 KiB");
  strictEqual(humanSize(5 * 2 ** 30), "5.0 GiB");
  strictEqual(humanSize(123 * 2 ** 20), "123 MiB");
});
