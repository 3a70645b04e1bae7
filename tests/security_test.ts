// Copyright 2026 the httpserver authors. MIT license.
// Hardening: the security review's corpora for the core and
// SimpleHTTPRequestHandler. Traversal in every encoding (files and listings),
// symlink escapes, open redirects, markup in listings and error pages,
// control characters in logs, header injection through echoed values, and
// quadratic-time parsing. CGI and CLI: tests/hardening_cgi_cli_test.ts.
import { ok, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { startServer, withTimeout } from "./_util.ts";
import {
  C0_OR_DEL,
  CONTROL,
  get,
  IS_POSIX,
  makeTree,
  SECRET,
} from "./_hardening.ts";
import { exchange, header, headOf, statusOf } from "./_raw_client.ts";
import { latin1Encode } from "../_text.ts";
import { serveDirectory } from "./_simple_fixture.ts";

// ------------------------------------------------------------------- core

Deno.test("BaseHTTPRequestHandler escapes request data in error pages and keeps controls out of the status line", async () => {
  class Handler extends BaseHTTPRequestHandler {
    override defaultRequestVersion = "HTTP/1.1";
    override logMessage(): void {}
  }
  await using s = startServer(Handler);
  const corpus = [
    "<script>alert(1)</script> / HTTP/1.1",
    "GET / <img/src=x/onerror=alert(1)>",
    'X"><svg/onload=alert(1)> / HTTP/1.1',
    "GET / x HTTP/1.1<b>",
    "\x1b[31mRED\x07 / HTTP/1.1",
    "A\x7f\x9b6n / HTTP/1.1",
    "M&amp;<!-- / HTTP/1.1",
  ];
  for (const line of corpus) {
    const res = await exchange(s.port, latin1Encode(`${line}\r\n\r\n`), {
      deadline: 5000,
    });
    ok(
      statusOf(res.text) >= 400,
      `${JSON.stringify(line)}: ${res.text.slice(0, 60)}`,
    );
    const statusLine = res.text.slice(0, res.text.indexOf("\r\n"));
    ok(
      !C0_OR_DEL.test(statusLine),
      `no control in ${JSON.stringify(statusLine)}`,
    );
    const body = res.text.slice(res.text.indexOf("\r\n\r\n") + 4);
    for (
      const bad of ["<script", "<img", "<svg", "<b>", "<!--", "\x1b", "\x07"]
    ) {
      ok(
        !body.includes(bad),
        `${JSON.stringify(line)}: ${JSON.stringify(bad)} escaped`,
      );
    }
  }
});

Deno.test("BaseHTTPRequestHandler escapes every control character in its log lines", async () => {
  const written: Uint8Array[] = [];
  const original = Deno.stderr.writeSync;
  Deno.stderr.writeSync = (p: Uint8Array): number => {
    written.push(p.slice());
    return p.length;
  };
  try {
    class Handler extends BaseHTTPRequestHandler {
      override protocolVersion = "HTTP/1.1";
      async doGET(): Promise<void> {
        this.sendResponse(204);
        await this.endHeaders();
      }
    }
    await using s = startServer(Handler);
    // Every C0 and C1 control a request line can carry (Latin-1), and DEL.
    const controls: number[] = [];
    for (let c = 0; c < 0xa0; c++) {
      if (c < 0x20 || c >= 0x7f) controls.push(c);
    }
    const words = controls.filter((c) =>
      // Python's split() separators cannot be inside a word.
      ![9, 10, 11, 12, 13, 0x1c, 0x1d, 0x1e, 0x1f, 0x85].includes(c)
    );
    const path = "/" + String.fromCharCode(...words) + "\\end";
    await exchange(s.port, [
      latin1Encode(`GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`),
    ]);
    await exchange(s.port, [
      latin1Encode(`\x1b]0;title\x07 / HTTP/1.1\r\n\r\n`),
    ]);
  } finally {
    Deno.stderr.writeSync = original;
  }
  const text = new TextDecoder().decode(
    Uint8Array.from(written.flatMap((w) => [...w])),
  );
  const lines = text.split("\n").filter((l) => l);
  ok(lines.length >= 3, text);
  for (const line of lines) {
    ok(
      !CONTROL.test(line),
      `raw control in ${JSON.stringify(line)}`,
    );
  }
  ok(
    text.includes("\\x1b") && text.includes("\\x00") && text.includes("\\x9f"),
    text,
  );
  ok(text.includes("\\\\end"), "a backslash is doubled");
});

Deno.test("BaseHTTPRequestHandler.sendHeader() refuses CR, LF and NUL, so echoed values cannot inject headers", async () => {
  class Echo extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    async doGET(): Promise<void> {
      // A handler that echoes request data, decoded, into a header.
      const value = decodeURIComponent(this.path.slice(1));
      this.sendResponse(200);
      this.sendHeader("X-Echo", value);
      this.sendHeader("Content-Length", "0");
      await this.endHeaders();
    }
    async doPOST(): Promise<void> {
      await this.sendError(400, decodeURIComponent(this.path.slice(1)));
    }
  }
  await using s = startServer(Echo);
  s.server.handleError = () => {};
  for (
    const payload of [
      "a%0D%0ASet-Cookie:%20evil=1",
      "a%0ASet-Cookie:%20evil=1",
      "a%0DSet-Cookie:%20evil=1",
      "a%00b",
      "%0D%0A%0D%0A<html>",
      "%E2%80%A8x", // U+2028 is not Latin-1: refused too
    ]
  ) {
    for (const method of ["GET", "POST"]) {
      const res = await exchange(
        s.port,
        `${method} /${payload} HTTP/1.1\r\nConnection: close\r\n\r\n`,
      );
      strictEqual(statusOf(res.text), 500, `${method} ${payload}`);
      const head = headOf(res.text);
      ok(
        !/\r\nSet-Cookie:/i.test(head),
        `${method} ${payload}: no injected header`,
      );
      ok(
        !head.includes("X-Echo"),
        `${method} ${payload}: the echo was refused`,
      );
      ok(
        !res.text.includes("<html>"),
        `${method} ${payload}: no injected body`,
      );
    }
  }
  // Plain values still go through.
  const fine = await exchange(
    s.port,
    "GET /plain%20value HTTP/1.1\r\nConnection: close\r\n\r\n",
  );
  strictEqual(header(fine.text, "X-Echo"), "plain value");
});

Deno.test("BaseHTTPRequestHandler collapses a leading // in the path (open redirect, gh-87389)", async () => {
  class Where extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    async doGET(): Promise<void> {
      const body = new TextEncoder().encode(this.path);
      this.sendResponse(200);
      this.sendHeader("Content-Length", String(body.length));
      await this.endHeaders();
      await this.wfile.write(body);
    }
  }
  await using s = startServer(Where);
  for (
    const [target, path] of [["//evil.com/x", "/evil.com/x"], [
      "////evil.com",
      "/evil.com",
    ]]
  ) {
    const text = await get(s.port, target!);
    ok(text.endsWith("\r\n\r\n" + path), `${target} -> ${text.slice(-40)}`);
  }
});

Deno.test("BaseHTTPRequestHandler trims long runs of whitespace in linear time (no ReDoS)", async () => {
  class Quiet extends BaseHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    override logMessage(): void {}
    async doGET(): Promise<void> {
      this.sendResponse(204);
      await this.endHeaders();
    }
  }
  await using s = startServer(Quiet);
  // A regular expression like /[ \t]+$/ needs seconds for each of these
  // lines (quadratic in the run); the whole exchange must not.
  const spaces = " ".repeat(60_000);
  const crs = "\r".repeat(60_000);
  const heads = [
    `GET / HTTP/1.1\r\n${`X-Pad: a${spaces}b\r\n`.repeat(15)}\r\n`,
    `GET /${crs}x HTTP/1.1\r\n\r\n`,
    `POST / HTTP/1.1\r\nContent-Length: 0,${spaces}0\r\n\r\n`,
    `POST / HTTP/1.1\r\nTransfer-Encoding: x${spaces}y, chunked\r\n\r\n0\r\n\r\n`,
  ];
  for (const head of heads) {
    const res = await exchange(s.port, head, {
      deadline: 10_000,
      until: (text) => text.includes("\r\n\r\n"),
    });
    ok(
      statusOf(res.text) > 0 && !res.timedOut,
      `answered: ${res.text.slice(0, 40)}`,
    );
  }
});

Deno.test("SimpleHTTPRequestHandler trims long runs of whitespace in Range and conditionals in linear time", async () => {
  await using tree = await makeTree();
  await using s = serveDirectory(tree.root);
  const spaces = " ".repeat(60_000);
  const headers = [
    `Range: bytes=0-1${spaces}x`,
    `Range: bytes=0-1,${spaces}x-`,
    `If-Modified-Since: Mon${spaces}x`,
    `If-None-Match: "a"${spaces}x`,
    `If-Match: "a"${spaces}x`,
    `If-Unmodified-Since: Mon${spaces}x`,
  ];
  // Each line costs a quadratic regular expression seconds; all six together
  // must stay well under that.
  await withTimeout(
    (async () => {
      for (const h of headers) {
        const res = await exchange(
          s.port,
          `GET /hello.txt HTTP/1.1\r\n${h}\r\nConnection: close\r\n\r\n`,
          { deadline: 10_000 },
        );
        ok(
          statusOf(res.text) > 0,
          `${h.slice(0, 20)}: ${res.text.slice(0, 40)}`,
        );
      }
    })(),
    "six requests with long whitespace runs",
    8000,
  );
});

// ----------------------------------------------------------------- Simple

Deno.test("SimpleHTTPRequestHandler keeps every traversal encoding inside the folder, files and listings", async () => {
  await using tree = await makeTree();
  await using s = serveDirectory(tree.root);
  const files = [
    "/../secret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/.%2e/secret.txt",
    "/%2e./secret.txt",
    "/sub/../../secret.txt",
    "/sub/..%2f..%2fsecret.txt",
    "/sub/%2e%2e/%2e%2e/secret.txt",
    "/./.././secret.txt",
    "//../secret.txt",
    "/%2f..%2fsecret.txt",
    "/%2f%2e%2e%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/..%252fsecret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/%c0%ae%c0%ae%c0%afsecret.txt",
    "/%e0%80%ae%e0%80%ae/secret.txt",
    "/..;/secret.txt",
    "/....//secret.txt",
    "/...//secret.txt",
    "/%u002e%u002e/secret.txt",
    "/..%00/secret.txt",
    "/secret.txt%00",
    "/../secretdir/inner.txt",
    "/%2e%2e%2fsecretdir%2finner.txt",
    "/../../../../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    `/${tree.parent}/secret.txt`,
    `/${encodeURIComponent(tree.parent + "/secret.txt")}`,
    "http://127.0.0.1/../secret.txt",
    "http://127.0.0.1/%2e%2e%2fsecret.txt",
    "../secret.txt",
    "..%2fsecret.txt",
    "*",
  ];
  for (const target of files) {
    const text = await get(s.port, target);
    const code = statusOf(text);
    ok([301, 400, 404].includes(code), `${target}: ${text.slice(0, 60)}`);
    ok(!text.includes(SECRET), `${target} leaked the secret`);
    ok(!text.includes("root:x:0:0"), `${target} leaked /etc/passwd`);
  }
  // Listings reached through traversal show the root, never the parent.
  const listings = [
    "/../",
    "/..%2f",
    "/%2e%2e/",
    "/%2e%2e%2f",
    "/sub/..%2f..%2f",
    "/sub/../../",
    "/..%5c/",
  ];
  for (const target of listings) {
    const text = await get(s.port, target);
    ok(
      !text.includes("secret.txt") && !text.includes("secretdir"),
      `${target} listed the parent`,
    );
    ok(!text.includes(tree.parent), `${target} showed the server path`);
  }
});

Deno.test({
  name:
    "SimpleHTTPRequestHandler refuses symlinks that escape the folder, in files and in listings",
  ignore: !IS_POSIX,
  async fn() {
    await using tree = await makeTree();
    await Deno.symlink(`${tree.parent}/secret.txt`, `${tree.root}/escape.txt`);
    await Deno.symlink(tree.parent, `${tree.root}/escdir`);
    await Deno.symlink("../../secretdir", `${tree.root}/sub/relative`);
    await Deno.symlink("/etc", `${tree.root}/etc`);
    await Deno.symlink("hello.txt", `${tree.root}/inside.txt`);
    await using s = serveDirectory(tree.root);
    for (
      const target of [
        "/escape.txt",
        "/escdir/secret.txt",
        "/escdir/",
        "/escdir",
        "/sub/relative/inner.txt",
        "/sub/relative/",
        "/etc/passwd",
        "/etc/",
        "/escape%2etxt",
        "/sub/..%2fescape.txt",
      ]
    ) {
      const text = await get(s.port, target);
      strictEqual(statusOf(text), 404, `${target}: ${text.slice(0, 60)}`);
      ok(!text.includes(SECRET) && !text.includes("root:x:0:0"), target);
    }
    const listing = await get(s.port, "/");
    for (const name of ["escape.txt", "escdir", "etc/"]) {
      ok(!listing.includes(`>${name}`), `the listing hides ${name}`);
    }
    ok(
      !(await get(s.port, "/sub/")).includes("relative"),
      "sub/ hides relative",
    );
    // A link that stays inside is served.
    const inside = await get(s.port, "/inside.txt");
    strictEqual(statusOf(inside), 200);
    ok(inside.endsWith("hello"));
  },
});

Deno.test("SimpleHTTPRequestHandler redirects never name another host (//, /\\, absolute-form)", async () => {
  await using tree = await makeTree();
  await using s = serveDirectory(tree.root);
  const here = `127.0.0.1:${s.port}`;
  const cases: [target: string, allowedHost?: string][] = [
    ["//evil.com/..%2f..%2fsub"],
    ["///evil.com/..%2fsub"],
    ["/\\evil.com/..%2f..%2fsub"],
    ["/\\\\evil.com/%2e%2e%2fsub"],
    ["/\\/evil.com/..%2fsub"],
    ["\\\\evil.com/..%2fsub"],
    ["/%5Cevil.com/..%2fsub"],
    ["/%2f%2fevil.com/..%2f..%2fsub"],
    ["//evil.com%2f..%2fsub"],
    ["/sub?next=//evil.com"],
    ["http:\\\\evil.com/..%2fsub"],
    ["http:evil.com/..%2fsub"],
    [`http://${here}//evil.com/..%2f..%2fsub`, here],
    [`http://${here}/\\evil.com/..%2f..%2fsub`, here],
    // An absolute-form target names its own host: Python keeps it in the
    // redirect (CPython's test_get_dir_redirect_location_domain_injection_bug
    // requires it), and only a client that sent that host can get it back.
    ["http://evil.com/..%2f..%2fsub", "evil.com"],
  ];
  let redirects = 0;
  for (const [target, allowed] of cases) {
    const text = await get(s.port, target);
    const location = header(text, "Location");
    if (location === undefined) {
      ok(
        [400, 404].includes(statusOf(text)),
        `${target}: ${text.slice(0, 60)}`,
      );
      continue;
    }
    redirects++;
    strictEqual(statusOf(text), 301, target);
    const url = new URL(location, `http://${here}/some/page`);
    ok(
      url.host === here || url.host === allowed,
      `${target}: Location ${location} goes to ${url.host}`,
    );
  }
  ok(redirects >= 8, `${redirects} redirects checked`);
});

Deno.test({
  name:
    "SimpleHTTPRequestHandler escapes markup in listed names and the listing title",
  ignore: !IS_POSIX,
  async fn() {
    await using tree = await makeTree();
    const names = [
      "<script>alert(1)<\\script>.txt",
      '"><img src=x onerror=alert(1)>.txt',
      'a\'b&c="d".txt',
      "<b>dir<i>",
      "javascript:alert(1)",
      "\u202etxt.exe",
    ];
    for (const name of names.slice(0, 3)) {
      await Deno.writeTextFile(`${tree.root}/${name}`, "x");
    }
    await Deno.mkdir(`${tree.root}/${names[3]}`, { mode: 0o755 });
    await Deno.writeTextFile(`${tree.root}/${names[4]}`, "x");
    await Deno.writeTextFile(`${tree.root}/${names[5]}`, "x");
    await using s = serveDirectory(tree.root);
    for (const target of ["/", `/${encodeURIComponent(names[3]!)}/`]) {
      const text = await get(s.port, target);
      strictEqual(statusOf(text), 200, target);
      const body = text.slice(text.indexOf("\r\n\r\n") + 4);
      for (const bad of ["<script", "<img", "<b>", "<i>"]) {
        ok(!body.includes(bad), `${target}: ${bad} escaped`);
      }
      for (const m of body.matchAll(/<a href="([^"]*)"/g)) {
        ok(!/[<>"' ]|^javascript:/i.test(m[1]!), `unsafe href ${m[1]}`);
      }
      const title = /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? "";
      ok(title.startsWith("Directory listing for "), title);
    }
    const sub = await get(s.port, `/${encodeURIComponent(names[3]!)}/`);
    ok(
      sub.includes("Directory listing for /&lt;b&gt;dir&lt;i&gt;/"),
      sub.slice(-600),
    );
    // The 404 for a name with markup echoes nothing of it.
    const missing = await get(s.port, "/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    strictEqual(statusOf(missing), 404);
    ok(!missing.includes("<script"));
  },
});

Deno.test({
  name:
    "SimpleHTTPRequestHandler keeps CR and LF of a name percent-encoded in Location",
  ignore: !IS_POSIX,
  async fn() {
    await using tree = await makeTree();
    await Deno.mkdir(`${tree.root}/a\r\nSet-Cookie: evil=1`, { mode: 0o755 });
    await using s = serveDirectory(tree.root);
    const text = await get(s.port, "/a%0D%0ASet-Cookie:%20evil=1");
    strictEqual(statusOf(text), 301);
    strictEqual(header(text, "Location"), "/a%0D%0ASet-Cookie:%20evil=1/");
    ok(!/\r\nSet-Cookie/i.test(headOf(text)), "no injected header");
  },
});
