// Copyright 2026 the httpserver authors. MIT license.
// Side by side with CPython: the same folder served by `python -m
// http.server` and by SimpleHTTPRequestHandler, the same raw requests, the
// responses compared byte for byte (Date and Server values aside, and our
// ETag and Accept-Ranges lines dropped). Needs CPython 3.13 or later: set
// HTTPSERVER_PYTHON, or have python3.14 / python3.13 / python3 on PATH.
import { strictEqual } from "node:assert/strict";
import { requestTarget, serveFolder } from "./_simple_fixture.ts";
import { withTimeout } from "./_util.ts";
import { readUntilClose } from "./_raw_client.ts";

/** A CPython interpreter of at least 3.13, and its minor version. */
async function findPython(): Promise<{ exe: string; minor: number } | null> {
  const env = Deno.env.get("HTTPSERVER_PYTHON");
  const candidates = env ? [env] : ["python3.14", "python3.13", "python3"];
  for (const exe of candidates) {
    try {
      const out = await new Deno.Command(exe, {
        args: [
          "-c",
          "import sys; print(sys.version_info[0], sys.version_info[1])",
        ],
        stdout: "piped",
        stderr: "null",
      }).output();
      if (!out.success) continue;
      const [major, minor] = new TextDecoder().decode(out.stdout).trim().split(
        " ",
      )
        .map(Number);
      if (major === 3 && minor! >= 13) return { exe, minor: minor! };
    } catch { /* not installed */ }
  }
  return null;
}

const python = Deno.build.os === "windows" ? null : await findPython();

const STYLE_LISTING =
  '<style type="text/css">\n:root {\ncolor-scheme: light dark;\n}\n</style>\n';
const STYLE_ERROR = '        <style type="text/css">\n            :root {\n' +
  "                color-scheme: light dark;\n            }\n        </style>\n";

/** Head lines with Date/Server blanked; ours also loses ETag, Accept-Ranges and (for 3.13) the 3.14 style block. */
function normalize(text: string, ours: boolean, minor: number): string {
  const end = text.indexOf("\r\n\r\n");
  let body = text.slice(end + 4);
  let lines = text.slice(0, end).split("\r\n");
  if (ours) {
    lines = lines.filter((l) => !/^(ETag|Accept-Ranges):/.test(l));
    if (minor < 14) {
      const stripped = body.replace(STYLE_LISTING, "").replace(STYLE_ERROR, "");
      if (stripped !== body) {
        lines = lines.map((l) =>
          l.startsWith("Content-Length:")
            ? `Content-Length: ${
              Number(l.slice(15)) - (body.length - stripped.length)
            }`
            : l
        );
        body = stripped;
      }
    }
  }
  lines = lines.map((l) => l.replace(/^(Date|Server): .*/, "$1: X"));
  return lines.join("\r\n") + "\r\n\r\n" + body;
}

Deno.test({
  name:
    "SimpleHTTPRequestHandler matches python -m http.server byte for byte (listings, files, errors, redirects)",
  ignore: python === null,
  async fn() {
    const { exe, minor } = python!;
    await using t = await serveFolder();
    const root = t.root;
    const files: [string, string][] = [
      ["a.txt", "aaa"],
      ["b<i>&amp.txt", "x"],
      ["data.json", "{}\n"],
      ["noext", "x"],
      ["page.html", "<p>\n"],
      ["q?#%41.txt", "x"],
      ["\u00e9t\u00e9.txt", "\u00e9"],
      ["Zeta.txt", "z"],
      ["sub/inner.txt", "in"],
      ["Dir B/c.txt", "c"],
    ];
    await Deno.mkdir(`${root}/sub`);
    await Deno.mkdir(`${root}/Dir B`);
    for (const [name, text] of files) {
      await Deno.writeTextFile(`${root}/${name}`, text);
    }
    await Deno.symlink("a.txt", `${root}/link.txt`);
    await Deno.symlink("sub", `${root}/linkdir`);
    const child = new Deno.Command(exe, {
      args: ["-u", "-m", "http.server", "0", "-b", "127.0.0.1", "-d", root],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    try {
      const reader = child.stdout.getReader();
      let banner = "";
      await withTimeout(
        (async () => {
          while (!banner.includes("\n")) {
            const { value, done } = await reader.read();
            if (done) break;
            banner += new TextDecoder().decode(value);
          }
        })(),
        "python's start-up line",
      );
      reader.releaseLock();
      await child.stdout.cancel();
      const pyPort = Number(/ port (\d+)/.exec(banner)?.[1]);
      const targets = [
        "GET /",
        "GET /sub",
        "GET /sub?x=1#f",
        "GET /sub/",
        "GET sub",
        "GET //sub",
        "GET /Dir%20B",
        "GET /Dir%20B/",
        "GET /linkdir/",
        "GET /a.txt",
        "HEAD /a.txt",
        "GET /link.txt",
        "GET /data.json",
        "GET /page.html",
        "GET /noext",
        "GET /q%3F%23%2541.txt",
        "GET /%C3%A9t%C3%A9.txt",
        "GET /nope",
        "GET /a.txt/",
        "GET /../../etc/passwd",
        "GET /%2e%2e/%2e%2e/etc/passwd",
        "POST /",
        "FOO /a.txt",
        "get /",
        "GET /python.org/..%2f..%2f..%2f../sub",
        "GET https://pypi.org//python.org/..%2f..%2f../sub",
        "GET /a.txt\r\nIf-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT",
        "GET /a.txt\r\nIf-Modified-Since: Sat, 01 Jan 2050 00:00:00 GMT",
        "GET /a.txt\r\nIf-Modified-Since: Sat, 01 Jan 2050 00:00:00 +0100",
        'GET /a.txt\r\nRange: bytes=0-0\r\nIf-Range: "x"',
        ...(minor >= 14 ? ["GET /sub%2f", "GET /?x=%bb"] : []),
      ];
      let same = 0;
      for (const target of targets) {
        const [line, ...extra] = target.split("\r\n");
        const request = `${line} HTTP/1.0\r\n${
          extra.map((h) => h + "\r\n").join("")
        }\r\n`;
        const ours = normalize(
          await readUntilClose(t.port, request),
          true,
          minor,
        );
        const theirs = normalize(
          await readUntilClose(pyPort, request),
          false,
          minor,
        );
        strictEqual(ours, theirs, target);
        same++;
      }
      strictEqual(same, targets.length);
      // A sanity check that the comparison sees real content.
      const { res } = await requestTarget(t.port, "/");
      strictEqual(res.status, 200);
    } finally {
      child.kill();
      await child.status;
    }
  },
});
