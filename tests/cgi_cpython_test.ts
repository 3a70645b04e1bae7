// Copyright 2026 the httpserver authors. MIT license.
// CPython's CGIHTTPServerTestCase, ported: the same tree of scripts, run with
// /bin/sh always and with Python and Perl when they are installed. (Its
// test_url_collapse_path is in cgi_internals_test.ts.)
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  type CgiServer,
  EXT,
  type Lang,
  makeTree,
  skipReason,
  startCgi,
} from "./_cgi_fixture.ts";
import { header, type RawResponse, request } from "./_raw_client.ts";

const LANGS: Lang[] = ["sh", "python", "perl"];

interface Ctx {
  srv: CgiServer;
  dir: string;
  ext: string;
  /** CPython's `self.request(uri, method, body, headers)` over http.client. */
  request(
    uri: string,
    method?: string,
    body?: string,
    headers?: [string, string][],
  ): Promise<RawResponse>;
}

function cgiTest(
  lang: Lang,
  name: string,
  fn: (ctx: Ctx) => Promise<void>,
  cgiDirectories: string[] = [],
): void {
  Deno.test({
    name: `CGIHTTPRequestHandler ${name} (${lang})`,
    ignore: skipReason(lang) !== false,
    async fn() {
      const dir = await makeTree(lang);
      try {
        await using srv = startCgi({ dir, cgiDirectories });
        const send: Ctx["request"] = (
          uri,
          method = "GET",
          body = "",
          headers = [],
        ) => {
          const lines = [
            `${method} ${uri} HTTP/1.1`,
            "Host: localhost",
            "Accept-Encoding: identity",
            ...headers.map(([k, v]) => `${k}: ${v}`),
          ];
          if (body) lines.push(`Content-Length: ${body.length}`);
          return request(
            srv.port,
            lines.join("\r\n") + "\r\n\r\n" + body,
          );
        };
        await fn({ srv, dir, ext: EXT[lang], request: send });
        deepStrictEqual(srv.errors, []);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

function helloWorld(res: RawResponse): void {
  deepStrictEqual(
    [res.text, header(res, "Content-type"), res.status],
    ["Hello World\n", "text/html", 200],
  );
}

for (const lang of LANGS) {
  cgiTest(
    lang,
    "runs a script and sends its headers and content (test_headers_and_content)",
    async ({ request, ext }) => {
      helloWorld(await request(`/cgi-bin/file1.${ext}`));
    },
  );

  cgiTest(
    lang,
    "does not run a script outside cgi-bin through '..' (test_issue19435)",
    async ({ request, ext }) => {
      const res = await request(
        `///////////nocgi.${ext}/../cgi-bin/nothere.sh`,
      );
      strictEqual(res.status, 404);
    },
  );

  cgiTest(
    lang,
    "gives a POST body to the script on stdin (test_post)",
    async ({ request, ext }) => {
      const res = await request(
        `/cgi-bin/file2.${ext}`,
        "POST",
        "spam=1&eggs=python&bacon=123456",
        [["Content-type", "application/x-www-form-urlencoded"]],
      );
      strictEqual(res.text, "1, python, 123456\n");
    },
  );

  cgiTest(
    lang,
    "answers 404 for a missing script (test_invaliduri)",
    async ({ request }) => {
      const res = await request("/cgi-bin/invalid");
      strictEqual(res.status, 404);
      strictEqual(
        res.statusLine,
        "HTTP/1.0 404 No such CGI script ('/cgi-bin/invalid')",
      );
    },
  );

  cgiTest(
    lang,
    "runs a script for a request with Basic credentials (test_authorization)",
    async ({ request, ext }) => {
      helloWorld(
        await request(`/cgi-bin/file1.${ext}`, "GET", "", [
          ["Authorization", "Basic " + btoa("username:pass")],
        ]),
      );
    },
  );

  cgiTest(
    lang,
    "runs a script for a path without a leading slash (test_no_leading_slash)",
    async ({ request, ext }) => {
      helloWorld(await request(`cgi-bin/file1.${ext}`));
    },
  );

  cgiTest(
    lang,
    "leaves the server's environment alone (test_os_environ_is_not_altered)",
    async ({ request, ext }) => {
      const signature = "Test CGI Server";
      const before = Deno.env.get("SERVER_SOFTWARE");
      Deno.env.set("SERVER_SOFTWARE", signature);
      try {
        helloWorld(await request(`/cgi-bin/file1.${ext}`));
        strictEqual(Deno.env.get("SERVER_SOFTWARE"), signature);
      } finally {
        if (before === undefined) Deno.env.delete("SERVER_SOFTWARE");
        else Deno.env.set("SERVER_SOFTWARE", before);
      }
    },
  );

  cgiTest(
    lang,
    "decodes %2f before the CGI folder check (test_urlquote_decoding_in_cgi_check)",
    async ({ request, ext }) => {
      helloWorld(await request(`/cgi-bin%2ffile1.${ext}`));
    },
  );

  cgiTest(
    lang,
    "runs a script in a folder below cgi-bin (test_nested_cgi_path_issue21323)",
    async ({ request, ext }) => {
      helloWorld(await request(`/cgi-bin/child-dir/file3.${ext}`));
    },
  );

  cgiTest(
    lang,
    "keeps every '?' after the first in QUERY_STRING (test_query_with_multiple_question_mark)",
    async ({ request, ext }) => {
      const res = await request(`/cgi-bin/file4.${ext}?a=b?c=d`);
      deepStrictEqual(
        [res.text, header(res, "Content-type"), res.status],
        ["a=b?c=d\n", "text/html", 200],
      );
    },
  );

  cgiTest(
    lang,
    "passes QUERY_STRING raw (test_query_with_continuous_slashes)",
    async ({ request, ext }) => {
      const res = await request(
        `/cgi-bin/file4.${ext}?k=aa%2F%2Fbb&//q//p//=//a//b//`,
      );
      deepStrictEqual(
        [res.text, header(res, "Content-type"), res.status],
        ["k=aa%2F%2Fbb&//q//p//=//a//b//\n", "text/html", 200],
      );
    },
  );

  cgiTest(
    lang,
    "runs scripts of a multi-level cgiDirectories entry (test_cgi_path_in_sub_directories)",
    async ({ request, ext }) => {
      helloWorld(await request(`/sub/dir/cgi-bin/file5.${ext}`));
    },
    ["/sub/dir/cgi-bin"],
  );

  cgiTest(
    lang,
    "sets HTTP_ACCEPT from every Accept header (test_accept)",
    async ({ request, ext }) => {
      const browserAccept =
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
      const cases: [[string, string][], string][] = [
        [[["Accept", browserAccept]], browserAccept],
        [[], ""],
        [
          [["Accept", "text/html"], ["ACCEPT", "text/plain"]],
          "text/html,text/plain",
        ],
      ];
      for (const [headers, expected] of cases) {
        const res = await request(`/cgi-bin/file6.${ext}`, "GET", "", headers);
        strictEqual(res.status, 200);
        ok(
          res.text.split("\n").includes(`HTTP_ACCEPT=${expected}`),
          `HTTP_ACCEPT=${expected} in ${res.text}`,
        );
        strictEqual(header(res, "X-ambv"), "was here");
      }
    },
  );
}
