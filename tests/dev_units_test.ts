// Copyright 2026 the httpserver authors. MIT license.
/**
 * The development features' socket-free parts: `Accept-Encoding`
 * negotiation, the compressible types, the encoders, the injection point,
 * page-navigation detection, the variant cache and the option checks.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
  throws,
} from "node:assert/strict";
import {
  brotliDecompressSync,
  gunzipSync,
  zstdDecompressSync,
} from "node:zlib";
import {
  compressible,
  encode,
  negotiate,
  noTransform,
  parseAcceptEncoding,
} from "../handlers/_dev/encoding.ts";
import {
  inject,
  injectionPoint,
  injectionRefused,
  isNavigation,
  snippet,
} from "../handlers/_dev/inject.ts";
import { VariantCache } from "../handlers/_dev/variant_cache.ts";
import { compileDev } from "../handlers/_dev/config.ts";
import { suffixEtag } from "../handlers/_dev/represent.ts";
import { CLIENT_SOURCE } from "../handlers/_dev/client.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const ALL = ["zstd", "br", "gzip"] as const;

Deno.test("Accept-Encoding: q-values, case, x-gzip and malformed elements", () => {
  assertEquals(
    [...parseAcceptEncoding("GZIP;q=0.5, br ; Q=1.0, x-gzip;q=0.7, zstd;q=2")],
    [["gzip", 0.7], ["br", 1]],
  );
  assertEquals([...parseAcceptEncoding("")], []);
  assertEquals([...parseAcceptEncoding(" , ,identity;q=0")], [["identity", 0]]);
});

Deno.test("Accept-Encoding negotiation follows q-values, ties go zstd > br > gzip", () => {
  assertEquals(negotiate("gzip, deflate, br, zstd", ALL), "zstd");
  assertEquals(negotiate("gzip, deflate, br", ALL), "br");
  assertEquals(negotiate("gzip, deflate", ALL), "gzip");
  assertEquals(negotiate("gzip;q=0, br", ALL), "br");
  assertEquals(negotiate("gzip;q=1, br;q=0.9", ALL), "gzip");
  assertEquals(negotiate("br;q=0.5, gzip;q=0.5", ALL), "br");
  assertEquals(negotiate("*", ALL), "zstd");
  assertEquals(negotiate("*;q=0.1, gzip;q=0", ALL), "zstd");
  assertEquals(negotiate("*;q=0", ALL), null);
  assertEquals(negotiate("identity", ALL), null);
  assertEquals(negotiate("gzip;q=0.5, identity", ALL), null);
  assertEquals(negotiate("gzip, identity;q=0.5", ALL), "gzip");
  assertEquals(negotiate(undefined, ALL), null);
  assertEquals(negotiate("", ALL), null);
  assertEquals(negotiate("deflate, compress", ALL), null);
  assertEquals(negotiate("gzip, br", ["gzip"]), "gzip");
  assertEquals(negotiate("gzip;q=abc, br", ALL), "br");
});

Deno.test("Compressible types: text, scripts, JSON, SVG, wasm; never media or event streams", () => {
  for (
    const t of [
      "text/html",
      "text/css; charset=utf-8",
      "text/javascript",
      "application/javascript",
      "application/json",
      "application/manifest+json",
      "application/xhtml+xml",
      "image/svg+xml",
      "application/wasm",
      "font/ttf",
    ]
  ) assert(compressible(t), t);
  for (
    const t of [
      "text/event-stream",
      "image/png",
      "image/jpeg",
      "video/mp4",
      "audio/mpeg",
      "font/woff2",
      "application/zip",
      "application/gzip",
      "application/octet-stream",
      "application/pdf",
    ]
  ) assert(!compressible(t), t);
});

Deno.test("no-transform is found among Cache-Control directives", () => {
  assert(noTransform("no-transform"));
  assert(noTransform("max-age=0, No-Transform"));
  assert(!noTransform("no-cache"));
  assert(!noTransform(undefined));
  assert(!noTransform("x-no-transform-y"));
});

Deno.test("Encoders produce zstd, brotli and gzip that decode to the input", async () => {
  const data = enc.encode("console.log('hello');\n".repeat(2000));
  const gz = await encode(data, "gzip");
  assertEquals(new Uint8Array(gunzipSync(gz)), data);
  assertEquals([gz[0], gz[1]], [0x1f, 0x8b]);
  const br = await encode(data, "br");
  assertEquals(new Uint8Array(brotliDecompressSync(br)), data);
  const zs = await encode(data, "zstd");
  assertEquals([...zs.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
  assertEquals(new Uint8Array(zstdDecompressSync(zs)), data);
  assert(gz.length < data.length / 10 && br.length < gz.length);
});

function injected(html: string): string {
  return dec.decode(inject(enc.encode(html), enc.encode("<X>")));
}

Deno.test("Injection goes before the last </body>, else </html>, else at the end", () => {
  assertEquals(injected("<p>a</p></body></html>"), "<p>a</p><X></body></html>");
  assertEquals(injected("<p>a</p></BODY></HTML>"), "<p>a</p><X></BODY></HTML>");
  assertEquals(injected("<p>a</p></html>"), "<p>a</p><X></html>");
  assertEquals(injected("<p>a</p>"), "<p>a</p><X>");
  assertEquals(injected(""), "<X>");
  // A "</body>" inside an inline script comes before the real one.
  assertEquals(
    injected('<script>s="</body>"</script></body>'),
    '<script>s="</body>"</script><X></body>',
  );
  // ... and with no real </body>, the last </html> still wins over it.
  assertEquals(
    injected('<script>s="</body>"</script>\n</html>'),
    '<script>s="</body>"</script>\n<X></html>',
  );
  assertEquals(injected("</bodyguard>"), "</bodyguard><X>");
  assertEquals(injected("a</body\n>b"), "a<X></body\n>b");
  assertEquals(injectionPoint(enc.encode("</body>")), 0);
});

Deno.test("Injection is refused for UTF-16 pages and pages that opt out", () => {
  assert(injectionRefused(new Uint8Array([0xff, 0xfe, 0x3c, 0])) !== null);
  assert(injectionRefused(new Uint8Array([0xfe, 0xff, 0, 0x3c])) !== null);
  assert(
    injectionRefused(enc.encode("<body DATA-SERVER-NO-RELOAD></body>")) !==
      null,
  );
  assertEquals(injectionRefused(enc.encode("\ufeff<p>utf-8 BOM</p>")), null);
  assertEquals(injectionRefused(enc.encode("<p>x</p>")), null);
});

Deno.test("The injected tag is an external, deferred script with the boot id", () => {
  assertEquals(
    dec.decode(snippet("abc")),
    '<script src="/%00httpserver/live.js" data-boot="abc" defer></script>',
  );
  assert(!CLIENT_SOURCE.includes(": string"), "types are stripped");
  assert(
    CLIENT_SOURCE.includes("navigator") || CLIENT_SOURCE.includes("locks"),
  );
});

Deno.test("Page navigations: Sec-Fetch-Dest first, else Accept: text/html", () => {
  const nav = (h: Record<string, string>) =>
    isNavigation((n) => Object.entries(h).find(([k]) => k === n)?.[1]);
  assert(nav({ "Sec-Fetch-Dest": "document", Accept: "*/*" }));
  assert(nav({ "Sec-Fetch-Dest": "iframe" }));
  assert(!nav({ "Sec-Fetch-Dest": "empty", Accept: "text/html" }));
  assert(!nav({ "Sec-Fetch-Dest": "script" }));
  assert(nav({ Accept: "text/html,application/xhtml+xml;q=0.9" }));
  assert(!nav({ Accept: "*/*" }));
  assert(!nav({}));
});

Deno.test("Entity-tags get a suffix inside the quotes, weak or strong", () => {
  assertEquals(suffixEtag('"abc"', "gz"), '"abc-gz"');
  assertEquals(suffixEtag('W/"abc"', "br"), 'W/"abc-br"');
});

Deno.test("VariantCache keeps the most recent entries within its byte limit", async () => {
  const cache = new VariantCache({ maxBytes: 10, maxEntryBytes: 6 });
  cache.set("a", new Uint8Array(4));
  cache.set("b", new Uint8Array(4));
  cache.get("a");
  cache.set("c", new Uint8Array(4));
  assertEquals([cache.get("a")?.length, cache.get("b"), cache.size], [
    4,
    undefined,
    2,
  ]);
  cache.set("big", new Uint8Array(7));
  assertEquals(cache.get("big"), undefined);
  assertEquals(cache.bytes, 8);
  // Concurrent misses share one computation.
  let made = 0;
  const make = async () => {
    made++;
    await new Promise((r) => setTimeout(r, 10));
    return new Uint8Array(1);
  };
  await Promise.all([
    cache.getOrMake("x", make),
    cache.getOrMake("x", make),
  ]);
  assertEquals(made, 1);
  await cache.getOrMake("y", make, false);
  assertEquals(cache.get("y"), undefined);
});

Deno.test("Development options: none on means no configuration", () => {
  assertEquals(compileDev({}), null);
  assertEquals(
    compileDev({ liveReload: false, cache: null, immutable: [] }),
    null,
  );
});

Deno.test("Development options: caching, immutable globs, and -H winning", () => {
  const dev = compileDev({ cache: 60, immutable: ["assets/**", "*.woff2"] })!;
  assertEquals(dev.cacheControlFor("/app.js", false), "public, max-age=60");
  assertEquals(
    dev.cacheControlFor("/assets/app-1.js?v=2", false),
    "public, max-age=31536000, immutable",
  );
  assertEquals(
    dev.cacheControlFor("/fonts/x.woff2", false),
    "public, max-age=31536000, immutable",
  );
  assertEquals(
    dev.cacheControlFor("/assets/page.html", true),
    "public, max-age=60",
  );
  assertEquals(
    compileDev({ cache: 0 })!.cacheControlFor("/", false),
    "no-cache",
  );
  assertEquals(
    compileDev({ cache: "no-store" })!.cacheControlFor("/", false),
    "no-store",
  );
  const overridden = compileDev({ cache: "no-cache", isolate: true }, [[
    "cache-control",
    "max-age=5",
  ], ["Cross-Origin-Embedder-Policy", "credentialless"]])!;
  assertEquals(overridden.cacheControlFor("/", false), null);
  assertEquals(overridden.always.map(([n]) => n), [
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
  ]);
});

Deno.test("Development options: isolation and Vary go on every response", () => {
  assertEquals(
    compileDev({ isolate: "credentialless", compress: ["gzip"] })!.always,
    [
      ["Cross-Origin-Opener-Policy", "same-origin"],
      ["Cross-Origin-Embedder-Policy", "credentialless"],
      ["Cross-Origin-Resource-Policy", "same-site"],
      ["Vary", "Accept-Encoding"],
    ],
  );
  assertEquals(compileDev({ compress: ["gzip", "zstd"] })!.compress, [
    "zstd",
    "gzip",
  ]);
});

Deno.test("Development options: bad values are refused with a TypeError", () => {
  throws(() => compileDev({ cache: -1 }), TypeError);
  throws(() => compileDev({ cache: 1.5 }), TypeError);
  throws(() => compileDev({ compress: ["deflate" as "gzip"] }), TypeError);
  throws(() => compileDev({ isolate: "yes" as "require-corp" }), TypeError);
  throws(() => compileDev({ spa: "../outside.html" }), TypeError);
  throws(() => compileDev({ liveReload: { pollInterval: 0 } }), TypeError);
  assertEquals(compileDev({ spa: true })!.spa, "index.html");
  assertEquals(compileDev({ spa: "/app/shell.html" })!.spa, "app/shell.html");
  throws(() => compileDev({ spa: true, basePath: "app/" }), TypeError);
  throws(() => compileDev({ spa: true, basePath: "/a?b" }), TypeError);
  assertEquals(compileDev({ spa: true })!.base, "/");
  assertEquals(compileDev({ spa: true, basePath: "/app" })!.base, "/app/");
});
