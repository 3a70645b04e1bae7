// Copyright 2026 the httpserver authors. MIT license.
/**
 * The rich listing page (`--listing rich`): name, size and modification
 * time in a table whose column headers sort it (`?sort=name|size|mtime&
 * order=asc|desc`, folders first), a filter box (a plain GET form, so it
 * works without JavaScript; a small script also filters the rows as you
 * type), breadcrumbs, pages of {@linkcode PAGE_SIZE} entries, light and dark
 * colours from the system setting, and, when those features are on, the
 * archive links, the upload form and the page's QR code. Server-rendered
 * HTML that text browsers show as a table.
 * @module
 */
import { htmlEscape, htmlEscapeQuote } from "../../_text.ts";
import { quoteName } from "../_files/url.ts";
import type { ListingPage, ListingQuery, SortKey } from "./entries.ts";
import { RICH_SCRIPT, RICH_STYLE } from "./rich_assets.ts";

/** What the rich page shows besides the entries. */
export interface RichPageOptions {
  /** The decoded URL path of the folder (ends in `/`). */
  displayPath: string;
  /** The decoded URL path the breadcrumbs start at (`/`, or the secret prefix). */
  basePath: string;
  /** The query the page answers. */
  query: ListingQuery;
  /** The page of entries. */
  page: ListingPage;
  /** Offer `?zip`, `?tar` and `?tar=gz` links. */
  archive: boolean;
  /** HTML of the upload form, or null when uploads are off. */
  uploadForm: string | null;
  /** An SVG QR code of this page's URL for other devices, or null. */
  qrSvg: string | null;
}

const encoder = new TextEncoder();
const COLUMNS: [SortKey, string][] = [
  ["name", "Name"],
  ["size", "Size"],
  ["mtime", "Modified (UTC)"],
];

/** Renders the rich listing page as UTF-8 bytes. */
export function renderRichListing(o: RichPageOptions): Uint8Array {
  const title = "Directory listing for " + htmlEscape(o.displayPath);
  const parts: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${title}</title>`,
    `<style>${RICH_STYLE}</style>`,
    "</head>",
    "<body>",
    `<nav class="crumbs" aria-label="Breadcrumbs">${
      breadcrumbs(o.displayPath, o.basePath)
    }</nav>`,
    `<h1>${title}</h1>`,
    tools(o),
  ];
  if (o.uploadForm) {
    parts.push(`<section class="upload">${o.uploadForm}</section>`);
  }
  parts.push(table(o), pager(o));
  if (o.qrSvg) {
    parts.push(
      '<details class="qr"><summary>QR code of this page</summary>' +
        `${o.qrSvg}</details>`,
    );
  }
  parts.push(`<script>${RICH_SCRIPT}</script>`, "</body>", "</html>", "");
  return encoder.encode(parts.join("\n"));
}

function breadcrumbs(displayPath: string, basePath: string): string {
  const base = basePath.endsWith("/") ? basePath : basePath + "/";
  const rest = displayPath.startsWith(base)
    ? displayPath.slice(base.length)
    : displayPath.replace(/^\/+/, "");
  const segments = rest.split("/").filter(Boolean);
  const links = [`<a href="${htmlEscapeQuote(quoteName(base))}">Home</a>`];
  let href = base;
  for (const [i, segment] of segments.entries()) {
    href += quoteName(segment) + "/";
    links.push(
      i === segments.length - 1
        ? `<span aria-current="page">${htmlEscape(segment)}</span>`
        : `<a href="${htmlEscapeQuote(href)}">${htmlEscape(segment)}</a>`,
    );
  }
  return links.join(' <span class="sep">/</span> ');
}

/** `?…` with the given parameters, dropping defaults. */
function queryString(q: {
  sort: SortKey;
  descending: boolean;
  filter: string;
  page?: number;
}): string {
  const params = new URLSearchParams();
  if (q.sort !== "name") params.set("sort", q.sort);
  if (q.descending) params.set("order", "desc");
  if (q.filter) params.set("q", q.filter);
  if (q.page && q.page > 1) params.set("page", String(q.page));
  const s = params.toString();
  return s ? "?" + s : "?";
}

function tools(o: RichPageOptions): string {
  const q = o.query;
  const hidden = [
    q.sort !== "name" ? ["sort", q.sort] : null,
    q.descending ? ["order", "desc"] : null,
  ].filter((p): p is string[] => p !== null).map(([n, v]) =>
    `<input type="hidden" name="${n}" value="${v}">`
  ).join("");
  let html = '<div class="tools">' +
    '<form class="filter" method="get" role="search">' +
    '<label for="q">Filter</label> ' +
    `<input id="q" name="q" type="search" value="${
      htmlEscapeQuote(q.filter)
    }" placeholder="part of a name" autocomplete="off">` +
    `${hidden} <button type="submit">Apply</button></form>`;
  if (o.archive) {
    html += '<p class="archive">Download this folder: ' +
      '<a href="?zip" download>zip</a> · <a href="?tar" download>tar</a> · ' +
      '<a href="?tar=gz" download>tar.gz</a></p>';
  }
  return html + "</div>";
}

function table(o: RichPageOptions): string {
  const q = o.query;
  const head = COLUMNS.map(([key, label]) => {
    const current = q.sort === key;
    const descending = current ? !q.descending : false;
    const href = queryString({ sort: key, descending, filter: q.filter });
    const sort = current
      ? ` aria-sort="${q.descending ? "descending" : "ascending"}"`
      : "";
    const mark = current ? (q.descending ? " ▼" : " ▲") : "";
    return `<th scope="col" class="${key}"${sort}><a href="${
      htmlEscapeQuote(href)
    }">${label}${mark}</a></th>`;
  }).join("");
  const rows: string[] = [];
  if (o.displayPath !== o.basePath && o.displayPath !== "/") {
    rows.push(
      '<tr class="up"><td class="name"><a href="../">../</a></td>' +
        "<td></td><td></td></tr>",
    );
  }
  for (const e of o.page.entries) {
    const link = quoteName(e.name) + (e.isDirectory ? "/" : "");
    const text = e.name + (e.isDirectory ? "/" : "") +
      (e.isSymlink ? "@" : "");
    const kind = e.isDirectory ? "dir" : "file";
    const size = e.isDirectory || e.size === null
      ? "—"
      : `<span title="${e.size} bytes">${humanSize(e.size)}</span>`;
    const time = e.mtime === null
      ? "—"
      : `<time datetime="${new Date(e.mtime).toISOString()}">${
        shortTime(e.mtime)
      }</time>`;
    rows.push(
      `<tr class="${kind}"><td class="name"><a href="${
        htmlEscapeQuote(link)
      }">${htmlEscape(text)}</a></td><td class="size">${size}</td>` +
        `<td class="mtime">${time}</td></tr>`,
    );
  }
  const empty = o.page.total === 0
    ? `<p class="empty">${
      q.filter ? "No name matches the filter." : "This folder is empty."
    }</p>`
    : "";
  return `<table><thead><tr>${head}</tr></thead>\n<tbody>\n${
    rows.join("\n")
  }\n</tbody></table>${empty}`;
}

function pager(o: RichPageOptions): string {
  const { page, pages, total } = o.page;
  const noun = total === 1 ? "entry" : "entries";
  let html = `<p class="count">${total} ${noun}`;
  if (pages > 1) {
    const q = o.query;
    const at = (n: number) => htmlEscapeQuote(queryString({ ...q, page: n }));
    html += ` · page ${page} of ${pages}`;
    if (page > 1) {
      html += ` · <a rel="prev" href="${at(page - 1)}">previous</a>`;
    }
    if (page < pages) {
      html += ` · <a rel="next" href="${at(page + 1)}">next</a>`;
    }
  }
  return html + "</p>";
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** `1.5 MiB`: binary units, one decimal below 10. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = value < 10 ? value.toFixed(1) : Math.round(value).toString();
  return `${text} ${UNITS[unit]}`;
}

function shortTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}
