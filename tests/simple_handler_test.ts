// Copyright 2026 the httpserver authors. MIT license.
// CPython's SimpleHTTPRequestHandlerTestCase (translate_path), plus the
// handler's socketless pieces: guessType, the listing bytes, the redirect
// target, and one socket write per small response.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { SimpleHTTPRequestHandler } from "../handlers/simple.ts";
import { HTTPServer } from "../server.ts";
import { MemoryConnection, runHandler } from "../testing.ts";
import {
  redirectLocation,
  translateUrlPath,
  unquotePath,
} from "../handlers/_files/url.ts";
import {
  compareCodePoints,
  renderListing,
} from "../handlers/_files/listing.ts";
import type { Connection } from "../connection.ts";
import type { ClientAddress } from "../server.ts";

const server = new HTTPServer(["127.0.0.1", 0], SimpleHTTPRequestHandler, {
  bindAndActivate: false,
});

/** Python's SocketlessRequestHandler: a handler with no live socket. */
function socketless(directory?: string): SimpleHTTPRequestHandler {
  return new SimpleHTTPRequestHandler(
    new MemoryConnection(),
    ["127.0.0.1", 0],
    server,
    directory === undefined ? {} : { directory },
  );
}

const translated1 = Deno.cwd() + "/filename";
const translated2 = "foo/filename";
const translated3 = "bar/filename";

Deno.test("SimpleHTTPRequestHandler translatePath drops query and fragment (test_query_arguments)", () => {
  const handlers = [socketless(), socketless("foo"), socketless("bar")];
  const expected = [translated1, translated2, translated3];
  for (
    const path of [
      "/filename",
      "/filename?foo=bar",
      "/filename?a=b&spam=eggs#zot",
    ]
  ) {
    handlers.forEach((h, i) => strictEqual(h.translatePath(path), expected[i]));
  }
  strictEqual(handlers[0]!.directory, Deno.cwd(), "cwd at construction");
});

Deno.test("SimpleHTTPRequestHandler translatePath treats // like / (test_start_with_double_slash)", () => {
  const handlers = [socketless(), socketless("foo"), socketless("bar")];
  const expected = [translated1, translated2, translated3];
  for (const path of ["//filename", "//filename?foo=bar"]) {
    handlers.forEach((h, i) => strictEqual(h.translatePath(path), expected[i]));
  }
});

Deno.test("SimpleHTTPRequestHandler translatePath drops drive and backslash segments under Windows rules (test_windows_colon)", () => {
  for (
    const path of [
      "c:c:c:foo/filename",
      "\\c:../filename",
      "c:\\c:..\\foo/filename",
      "c:c:foo\\c:c:bar/filename",
    ]
  ) {
    strictEqual(translateUrlPath(path, "C:\\srv", true), "C:\\srv\\filename");
    strictEqual(translateUrlPath(path, "foo", true), "foo\\filename");
  }
  // Beyond Python: streams, trailing dots and spaces, device names.
  const more: [string, string][] = [
    ["/a.txt::$DATA", "C:\\srv"],
    ["/.. /x", "C:\\srv\\x"],
    ["/x./y", "C:\\srv\\y"],
    ["/nul.txt", "C:\\srv"],
    ["/CON", "C:\\srv"],
    ["/ok.txt", "C:\\srv\\ok.txt"],
  ];
  for (const [path, want] of more) {
    strictEqual(translateUrlPath(path, "C:\\srv", true), want, path);
  }
});

Deno.test("SimpleHTTPRequestHandler translatePath follows Python 3.14's rules", () => {
  const h = socketless("/srv");
  const cases: [string, string][] = [
    ["/", "/srv/"],
    ["", "/srv"],
    ["/a%2fb", "/srv/a/b"],
    ["/sub%2f", "/srv/sub/"],
    ["/sub%2F", "/srv/sub/"],
    ["/a#b?c", "/srv/a"],
    ["/a?b#c", "/srv/a"],
    ["/%C3%A9.txt", "/srv/\u00e9.txt"],
    ["/%ff.dir/", "/srv/\ufffd.dir/"],
    ["/%c0%ae%c0%ae/x", "/srv/\ufffd\ufffd\ufffd\ufffd/x"],
    ["/../../etc/passwd", "/srv/etc/passwd"],
    ["/%2e%2e/%2e%2e/etc/passwd", "/srv/etc/passwd"],
    ["../x", "/srv/x"],
    ["/a/./b/../c", "/srv/a/c"],
    ["/a\\..\\b", "/srv/a\\..\\b"],
    ["/%zz%4", "/srv/%zz%4"],
    ["http://h/x", "/srv/http:/h/x"],
    ["/\u00c3\u00a9", "/srv/\u00e9"],
  ];
  for (const [path, want] of cases) {
    strictEqual(h.translatePath(path), want, path);
  } // os.path.join("", word): an empty directory stays relative.
  strictEqual(socketless("").translatePath("/a/b"), "a/b");
  strictEqual(socketless(".").translatePath("/a/b"), "./a/b");
});

Deno.test("SimpleHTTPRequestHandler decodes percent-escapes as Python's unquote does", () => {
  strictEqual(unquotePath("/a%20b"), "/a b");
  strictEqual(unquotePath("%e2%82%ac"), "\u20ac");
  strictEqual(unquotePath("%ff%41"), "\ufffdA");
  strictEqual(unquotePath("x%"), "x%");
  strictEqual(unquotePath("%ed%a0%80"), "\ufffd\ufffd\ufffd");
  strictEqual(unquotePath("\u00e9%ff"), "\u00e9\ufffd", "Latin-1 text is kept");
});

Deno.test("SimpleHTTPRequestHandler redirect targets keep query and fragment and stay on this host", () => {
  const cases: [string, string][] = [
    ["/sub", "/sub/"],
    ["/sub?x=1#f", "/sub/?x=1#f"],
    ["sub", "sub/"],
    ["/Dir%20B", "/Dir%20B/"],
    ["/sub?", "/sub/"],
    ["/\\evil.com/%2e%2e%2fsub", "/evil.com/%2e%2e%2fsub/"],
    ["\\\\evil.com/..%2fsub", "/evil.com/..%2fsub/"],
    ["/\\/evil.com/x", "/evil.com/x/"],
    ["http:\\\\evil.com/..%2fsub", "./http:\\\\evil.com/..%2fsub/"],
    ["https://pypi.org//x", "https://pypi.org//x/"],
    ["http://host", "http://host/"],
    ["/a\x01b", "/a%01b/"],
  ];
  for (const [target, want] of cases) {
    strictEqual(redirectLocation(target), want, target);
  }
});

Deno.test("SimpleHTTPRequestHandler guessType follows Python's table, then mime-db", () => {
  const h = socketless();
  const cases: [string, string][] = [
    ["a.html", "text/html"],
    ["a.htm", "text/html"],
    ["a.txt", "text/plain"],
    ["a.css", "text/css"],
    ["a.js", "text/javascript"],
    ["a.mjs", "text/javascript"],
    ["X.JS", "text/javascript"],
    ["a.json", "application/json"],
    ["a.svg", "image/svg+xml"],
    ["a.png", "image/png"],
    ["a.jpg", "image/jpeg"],
    ["a.webp", "image/webp"],
    ["a.ico", "image/vnd.microsoft.icon"],
    ["a.wasm", "application/wasm"],
    ["a.pdf", "application/pdf"],
    ["a.zip", "application/zip"],
    ["a.gz", "application/gzip"],
    ["a.tar.gz", "application/gzip"],
    ["x.GZ", "application/gzip"],
    ["a.tgz", "application/x-tar"],
    ["a.bz2", "application/x-bzip2"],
    ["a.xz", "application/x-xz"],
    ["a.Z", "application/octet-stream"],
    ["a.md", "text/markdown"],
    ["a.csv", "text/csv"],
    ["a.mp4", "video/mp4"],
    ["a.mp3", "audio/mpeg"],
    ["a.webm", "video/webm"],
    ["a.py", "text/x-python"],
    ["a.woff2", "font/woff2"],
    ["noext", "application/octet-stream"],
    [".bashrc", "application/octet-stream"],
    ["dir.d/noext", "application/octet-stream"],
  ];
  for (const [path, want] of cases) strictEqual(h.guessType(path), want, path);
  h.extensionsMap[".txt"] = "text/x-mine";
  strictEqual(h.guessType("a.TXT"), "text/x-mine", "lower-case map lookup");
  h.defaultContentType = "text/plain";
  strictEqual(h.guessType("noext"), "text/plain", "gh-113471");
});

Deno.test("SimpleHTTPRequestHandler renders CPython 3.14's listing byte for byte", () => {
  const html = new TextDecoder().decode(renderListing("/a&b <c>/", [
    { name: "Dir B", isDirectory: true, isSymlink: false },
    { name: "link", isDirectory: true, isSymlink: true },
    { name: "q?#%41.txt", isDirectory: false, isSymlink: false },
    { name: "b<i>&amp.txt", isDirectory: false, isSymlink: true },
  ]));
  strictEqual(
    html,
    '<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
      '<style type="text/css">\n:root {\ncolor-scheme: light dark;\n}\n</style>\n' +
      "<title>Directory listing for /a&amp;b &lt;c&gt;/</title>\n</head>\n" +
      "<body>\n<h1>Directory listing for /a&amp;b &lt;c&gt;/</h1>\n<hr>\n<ul>\n" +
      '<li><a href="Dir%20B/">Dir B/</a></li>\n' +
      '<li><a href="link/">link@</a></li>\n' +
      '<li><a href="q%3F%23%2541.txt">q?#%41.txt</a></li>\n' +
      '<li><a href="b%3Ci%3E%26amp.txt">b&lt;i&gt;&amp;amp.txt@</a></li>\n' +
      "</ul>\n<hr>\n</body>\n</html>\n",
  );
});

Deno.test("SimpleHTTPRequestHandler sorts a listing as Python sorts str.lower()", () => {
  const names = ["b", "B2", "a", "\u{1F600}", "\uFB01", "Zeta", "\u00e9", "_"];
  const sorted = [...names].sort((a, b) =>
    compareCodePoints(a.toLowerCase(), b.toLowerCase())
  );
  // Python: sorted(names, key=str.lower)
  deepStrictEqual(sorted, [
    "_",
    "a",
    "b",
    "B2",
    "Zeta",
    "\u00e9",
    "\uFB01",
    "\u{1F600}",
  ]);
});

Deno.test("SimpleHTTPRequestHandler sends a small file's head and body in one write", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/small.bin`, new Uint8Array(1024).fill(7));
    class Handler extends SimpleHTTPRequestHandler {
      constructor(r: Connection, c: ClientAddress, s: HTTPServer) {
        super(r, c, s, { directory: dir });
      }
      override logMessage(): void {}
    }
    const conn = await runHandler(
      Handler,
      "GET /small.bin HTTP/1.0\r\n\r\n",
    );
    strictEqual(conn.writes.length, 1);
    const text = new TextDecoder().decode(conn.writes[0]);
    ok(text.startsWith("HTTP/1.0 200 OK\r\n"), text);
    ok(text.includes("\r\nContent-Length: 1024\r\n"));
    strictEqual(conn.writes[0]!.length, text.indexOf("\r\n\r\n") + 4 + 1024);
    // The listing too, and the HTTP/0.9 form (body only).
    strictEqual(
      (await runHandler(Handler, "GET / HTTP/1.0\r\n\r\n")).writes.length,
      1,
    );
    const v09 = await runHandler(Handler, "GET /small.bin\r\n");
    deepStrictEqual(v09.output(), new Uint8Array(1024).fill(7));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SimpleHTTPRequestHandler takes options and keeps Python's defaults", () => {
  const h = socketless();
  strictEqual(h.serverVersion, "SimpleHTTP/0.6");
  deepStrictEqual(h.indexPages, ["index.html", "index.htm"]);
  deepStrictEqual(h.extensionsMap, {
    ".gz": "application/gzip",
    ".Z": "application/octet-stream",
    ".bz2": "application/x-bzip2",
    ".xz": "application/x-xz",
  });
  strictEqual(h.defaultContentType, "application/octet-stream");
  deepStrictEqual(h.extraResponseHeaders, []);
  strictEqual(h.followSymlinks, false);
  strictEqual(h.serveDotfiles, true);
  const o = new SimpleHTTPRequestHandler(
    new MemoryConnection(),
    ["", 0],
    server,
    {
      directory: "/x",
      extraResponseHeaders: [["A", "b"]],
      defaultContentType: "text/plain",
      followSymlinks: true,
      serveDotfiles: false,
    },
  );
  strictEqual(o.directory, "/x");
  deepStrictEqual(o.extraResponseHeaders, [["A", "b"]]);
  strictEqual(o.defaultContentType, "text/plain");
  strictEqual(o.followSymlinks, true);
  strictEqual(o.serveDotfiles, false);
});
