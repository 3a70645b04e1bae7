// Copyright 2026 the httpserver authors. MIT license.
/**
 * The idiomatic `Deno.serve` static file server, shaped like Deno std's
 * `serveDir`/`serveFile`: `Deno.stat`, `Deno.open`, `file.readable` as the
 * response body, `Content-Length` and `Last-Modified`; a folder without a
 * trailing slash is redirected, and a folder is listed by `Deno.readDir` with
 * a `Deno.stat` per entry, as std's listing does.
 *
 * Usage: `deno run --allow-net --allow-read bench/peers/deno_serve_static.ts PORT ROOT [CERT KEY]`
 * (with a certificate and key, HTTPS: HTTP/2 or HTTP/1.1 by ALPN)
 * @module
 */
import { extname, join, normalize } from "node:path";

const port = Number(Deno.args[0] ?? 0);
const root = Deno.realPathSync(Deno.args[1] ?? ".");
const [certFile, keyFile] = Deno.args.slice(2);
const tls = certFile && keyFile
  ? {
    cert: Deno.readTextFileSync(certFile),
    key: Deno.readTextFileSync(keyFile),
  }
  : {};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => `&#${c.charCodeAt(0)};`,
  );
}

async function listing(dir: string, urlPath: string): Promise<Response> {
  const pending: Promise<{ name: string; size: number; isDir: boolean }>[] = [];
  for await (const entry of Deno.readDir(dir)) {
    pending.push((async () => {
      const info = await Deno.stat(join(dir, entry.name));
      return { name: entry.name, size: info.size, isDir: info.isDirectory };
    })());
  }
  const entries = await Promise.all(pending);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const rows = entries.map((e) => {
    const name = e.isDir ? e.name + "/" : e.name;
    return `<tr><td>${e.isDir ? "-" : e.size}</td><td><a href="${
      escapeHtml(encodeURIComponent(e.name) + (e.isDir ? "/" : ""))
    }">${escapeHtml(name)}</a></td></tr>`;
  });
  const html = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${
    escapeHtml(urlPath)
  }</title></head><body><h1>${escapeHtml(urlPath)}</h1><table>${
    rows.join("\n")
  }</table></body></html>\n`;
  return new Response(html, {
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

async function handler(req: Request): Promise<Response> {
  const url = new URL(req.url);
  let urlPath: string;
  try {
    urlPath = decodeURIComponent(url.pathname);
  } catch {
    return new Response("Bad Request", { status: 400 });
  }
  const path = join(root, normalize("/" + urlPath));
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    return new Response("Not Found", { status: 404 });
  }
  if (info.isDirectory) {
    if (!url.pathname.endsWith("/")) {
      return new Response(null, {
        status: 301,
        headers: { location: url.pathname + "/" },
      });
    }
    return await listing(path, urlPath);
  }
  const file = await Deno.open(path, { read: true });
  const headers = new Headers({
    "content-type": TYPES[extname(path)] ?? "application/octet-stream",
    "content-length": String(info.size),
  });
  if (info.mtime) headers.set("last-modified", info.mtime.toUTCString());
  return new Response(file.readable, { headers });
}

Deno.serve({
  hostname: "127.0.0.1",
  port,
  ...tls,
  onListen: ({ hostname, port }) =>
    console.log(`Listening on http://${hostname}:${port}/`),
}, handler);
