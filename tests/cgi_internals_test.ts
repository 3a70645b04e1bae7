// Copyright 2026 the httpserver authors. MIT license.
// Unit tests of CGIHTTPRequestHandler's internals: path collapsing, the CGI
// environment, the script's header block, and exit codes.
import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import {
  matchCgiDirectory,
  PathUnderflowError,
  quoteForTranslate,
  urlCollapsePath,
} from "../handlers/_cgi/path.ts";
import { unquote } from "../handlers/_files/url.ts";
import {
  a2bBase64,
  basicUser,
  cgiArguments,
  cgiEnvironment,
  type CgiRequestInfo,
} from "../handlers/_cgi/env.ts";
import { interpretCgiHead, scanCgiHead } from "../handlers/_cgi/output.ts";
import { exitCode, readLines } from "../handlers/_cgi/process.ts";
import { HTTPMessage } from "../message.ts";
import { CGIHTTPRequestHandler } from "../handlers/cgi.ts";
import { HTTPServer } from "../server.ts";
import { MemoryConnection } from "../testing.ts";
import { RESPONSES } from "../handlers/_http1/status.ts";

const encoder = new TextEncoder();

Deno.test("CGIHTTPRequestHandler collapses URL paths as Python's _url_collapse_path (test_url_collapse_path)", () => {
  const vectors: Record<string, string | null> = {
    "": "//",
    "..": null,
    "/.//..": null,
    "/": "//",
    "//": "//",
    "/\\": "//\\",
    "/.//": "//",
    "cgi-bin/file1.py": "/cgi-bin/file1.py",
    "/cgi-bin/file1.py": "/cgi-bin/file1.py",
    "a": "//a",
    "/a": "//a",
    "//a": "//a",
    "./a": "//a",
    "./C:/": "/C:/",
    "/a/b": "/a/b",
    "/a/b/": "/a/b/",
    "/a/b/.": "/a/b/",
    "/a/b/c/..": "/a/b/",
    "/a/b/c/../d": "/a/b/d",
    "/a/b/c/../d/e/../f": "/a/b/d/f",
    "/a/b/c/../d/e/../../f": "/a/b/f",
    "/a/b/c/../d/e/.././././..//f": "/a/b/f",
    "../a/b/c/../d/e/.././././..//f": null,
    "/a/b/c/../d/e/../../../f": "/a/f",
    "/a/b/c/../d/e/../../../../f": "//f",
    "/a/b/c/../d/e/../../../../../f": null,
    "/a/b/c/../d/e/../../../../f/..": "//",
    "/a/b/c/../d/e/../../../../f/../.": "//",
  };
  for (const [path, expected] of Object.entries(vectors)) {
    if (expected === null) {
      throws(() => urlCollapsePath(path), PathUnderflowError, `path ${path}`);
    } else strictEqual(urlCollapsePath(path), expected, `path ${path}`);
  }
});

Deno.test("CGIHTTPRequestHandler path collapse keeps the query raw and decodes the path", () => {
  strictEqual(urlCollapsePath("/cgi-bin%2ffile1.py"), "/cgi-bin/file1.py");
  strictEqual(
    urlCollapsePath("/cgi-bin/file4.py?k=aa%2F%2Fbb&//q//p//=//a//b//"),
    "/cgi-bin/file4.py?k=aa%2F%2Fbb&//q//p//=//a//b//",
  );
  strictEqual(urlCollapsePath("/a/b?"), "/a/b");
  strictEqual(urlCollapsePath("/a/..?x=1"), "//?x=1");
  strictEqual(
    urlCollapsePath("///////////nocgi.py/../cgi-bin/nothere.sh"),
    "/cgi-bin/nothere.sh",
  );
  throws(() => urlCollapsePath("/%2e%2e/x"), PathUnderflowError);
  strictEqual(urlCollapsePath("/a/%2e%2e/x"), "//x");
  throws(() => urlCollapsePath("/%2e%2e/%2e%2e/x"), PathUnderflowError);
  throws(() => urlCollapsePath("/../cgi-bin/env.sh"), PathUnderflowError);
});

Deno.test("CGIHTTPRequestHandler unquote matches urllib.parse.unquote", () => {
  const vectors: [string, string][] = [
    ["%2f", "/"],
    ["%zz", "%zz"],
    ["%e2%82", "\ufffd"],
    ["%e2%82%ac", "\u20ac"],
    ["%C3%A9%", "\u00e9%"],
    ["a%2", "a%2"],
    ["%%41", "%A"],
    ["%ff%fe", "\ufffd\ufffd"],
    ["%c3%28", "\ufffd("],
    ["%F0%90%80", "\ufffd"],
    ["caf\u00e9%20x", "caf\u00e9 x"],
    ["plain", "plain"],
    // UTF-8 keeps a byte order mark (only "utf-8-sig" drops it).
    ["%EF%BB%BFa", "\ufeffa"],
    ["x\u00e9%EF%BB%BFa", "x\u00e9\ufeffa"],
  ];
  for (const [input, expected] of vectors) {
    strictEqual(unquote(input), expected, input);
  }
});

Deno.test("CGIHTTPRequestHandler matches whole leading segments against cgiDirectories", () => {
  const dirs = ["/cgi-bin", "/htbin", "/sub/dir/cgi-bin"];
  deepStrictEqual(matchCgiDirectory("/cgi-bin/file1.py", dirs), [
    "/cgi-bin",
    "file1.py",
  ]);
  deepStrictEqual(matchCgiDirectory("/cgi-bin/", dirs), ["/cgi-bin", ""]);
  strictEqual(matchCgiDirectory("//cgi-bin", dirs), null);
  strictEqual(matchCgiDirectory("/cgi-binx/a", dirs), null);
  deepStrictEqual(
    matchCgiDirectory("/sub/dir/cgi-bin/file5.py?a=b", dirs),
    ["/sub/dir/cgi-bin", "file5.py?a=b"],
  );
  deepStrictEqual(matchCgiDirectory("/htbin/a/b/c", dirs), ["/htbin", "a/b/c"]);
  strictEqual(matchCgiDirectory("/sub/cgi-bin/x", dirs), null);
  strictEqual(quoteForTranslate("/cgi-bin/a%2f?#b"), "/cgi-bin/a%252f%3F%23b");
});

function info(
  headers: [string, string][] = [],
  overrides: Partial<CgiRequestInfo> = {},
): CgiRequestInfo {
  return {
    serverSoftware: "SimpleHTTP/0.6 Deno/2",
    serverName: "localhost",
    serverPort: 8000,
    serverProtocol: "HTTP/1.0",
    method: "GET",
    pathInfo: "/extra",
    pathTranslated: "/srv/extra",
    scriptName: "/cgi-bin/env.sh",
    query: "a=1",
    remoteAddr: "127.0.0.1",
    headers: new HTTPMessage(headers),
    ...overrides,
  };
}

Deno.test("CGIHTTPRequestHandler builds Python's CGI environment", () => {
  deepStrictEqual(cgiEnvironment(info()), {
    SERVER_SOFTWARE: "SimpleHTTP/0.6 Deno/2",
    SERVER_NAME: "localhost",
    GATEWAY_INTERFACE: "CGI/1.1",
    SERVER_PROTOCOL: "HTTP/1.0",
    SERVER_PORT: "8000",
    REQUEST_METHOD: "GET",
    PATH_INFO: "/extra",
    PATH_TRANSLATED: "/srv/extra",
    SCRIPT_NAME: "/cgi-bin/env.sh",
    QUERY_STRING: "a=1",
    REMOTE_ADDR: "127.0.0.1",
    CONTENT_TYPE: "text/plain",
    HTTP_ACCEPT: "",
    REMOTE_HOST: "",
    CONTENT_LENGTH: "",
    HTTP_USER_AGENT: "",
    HTTP_COOKIE: "",
    HTTP_REFERER: "",
  });
  const env = cgiEnvironment(info([
    ["Authorization", "Basic dXNlcm5hbWU6cGFzcw=="],
    ["Content-Type", "application/x-www-form-urlencoded"],
    ["Content-Length", "12"],
    ["Referer", "http://example.com/"],
    ["Accept", "text/html"],
    ["ACCEPT", "text/plain"],
    ["User-Agent", "test/1"],
    ["Cookie", "a=1"],
    ["Cookie", ""],
    ["Cookie", "b=2"],
    ["Proxy", "http://evil.example:8080"],
    ["Host", "localhost"],
  ]));
  strictEqual(env.AUTH_TYPE, "Basic");
  strictEqual(env.REMOTE_USER, "username");
  strictEqual(env.CONTENT_TYPE, "application/x-www-form-urlencoded");
  strictEqual(env.CONTENT_LENGTH, "12");
  strictEqual(env.HTTP_REFERER, "http://example.com/");
  strictEqual(env.HTTP_ACCEPT, "text/html,text/plain");
  strictEqual(env.HTTP_USER_AGENT, "test/1");
  strictEqual(env.HTTP_COOKIE, "a=1, b=2");
  strictEqual(env.HTTP_PROXY, undefined, "httpoxy");
  strictEqual(env.HTTP_HOST, undefined);
});

Deno.test("CGIHTTPRequestHandler reads Authorization as Python does", () => {
  const auth = (value: string) =>
    cgiEnvironment(info([["Authorization", value]]));
  strictEqual(auth("Bearer abc").AUTH_TYPE, "Bearer");
  strictEqual(auth("Bearer abc").REMOTE_USER, undefined);
  strictEqual(auth("Basic").AUTH_TYPE, undefined);
  strictEqual(auth("Basic a b").AUTH_TYPE, undefined);
  // "a:b:c" has two colons; "YQ" has bad padding.
  strictEqual(auth("Basic " + btoa("a:b:c")).REMOTE_USER, undefined);
  strictEqual(auth("Basic YQ").REMOTE_USER, undefined);
  strictEqual(auth("basic " + btoa("u:p")).REMOTE_USER, "u");
  strictEqual(basicUser(btoa("\u00e9:p")), null, "non-ASCII user");
  // binascii.a2b_base64's lenient rules.
  const text = (s: string) => {
    const b = a2bBase64(s);
    return b === null ? null : new TextDecoder().decode(b);
  };
  strictEqual(text("dXNl cm5h bWU6cGFzcw=="), "username:pass");
  strictEqual(text("dXNlcm5hbWU6cGFzcw==YQ=="), "username:pass");
  strictEqual(text("!!dXNlcm5hbWU6cGFzcw=="), "username:pass");
  strictEqual(text("YW=Jj"), "abc");
  strictEqual(text("dXNlcm5hbWU6cGFzcw"), null);
  strictEqual(text("Y"), null);
});

Deno.test("CGIHTTPRequestHandler passes a query without '=' as one argument", () => {
  deepStrictEqual(cgiArguments("hello+world"), ["hello world"]);
  deepStrictEqual(cgiArguments(""), [""]);
  deepStrictEqual(cgiArguments("a=b"), []);
  deepStrictEqual(cgiArguments("x%20y"), ["x%20y"]);
});

Deno.test("CGIHTTPRequestHandler finds the end of a script's header block", () => {
  const scan = (s: string, eof = false, limit = 1024) =>
    scanCgiHead(encoder.encode(s), eof, limit);
  deepStrictEqual(scan("Content-Type: text/plain\n\nbody"), {
    kind: "head",
    fields: [["Content-Type", "text/plain"]],
    bodyStart: 26,
  });
  deepStrictEqual(scan("A: 1\r\nB:2 \r\n\r\nx"), {
    kind: "head",
    fields: [["A", "1"], ["B", "2"]],
    bodyStart: 14,
  });
  deepStrictEqual(scan("A: 1\n  more\n\n"), {
    kind: "head",
    fields: [["A", "1 more"]],
    bodyStart: 13,
  });
  deepStrictEqual(scan("A: 1\nB: 2"), { kind: "more" });
  deepStrictEqual(scan("A: 1\nB: 2", true), {
    kind: "head",
    fields: [["A", "1"], ["B", "2"]],
    bodyStart: 9,
  });
  deepStrictEqual(scan("\nbody"), { kind: "head", fields: [], bodyStart: 1 });
  strictEqual(scan("Hello World\n\n").kind, "error");
  strictEqual(scan("Bad Name: x\n\n").kind, "error");
  strictEqual(scan("A: x\x01y\n\n").kind, "error");
  strictEqual(scan(" leading: fold\n\n").kind, "error");
  strictEqual(scan("A: " + "x".repeat(2000), false).kind, "error");
  strictEqual(scan("A: " + "x".repeat(1000) + "\n\n", false).kind, "head");
});

Deno.test("CGIHTTPRequestHandler applies Status, Location and Content-Type from the script", () => {
  const head = (fields: [string, string][]) =>
    interpretCgiHead(fields, RESPONSES);
  const valid = (fields: [string, string][]) => {
    const h = head(fields);
    if (typeof h === "string") throw new Error(h);
    return h;
  };
  deepStrictEqual(head([["Content-type", "text/html"]]), {
    status: 200,
    reason: "Script output follows",
    headers: [["Content-type", "text/html"]],
    hasContentType: true,
    close: false,
  });
  deepStrictEqual(head([["Status", "404 Nope"], ["X-A", "1"]]), {
    status: 404,
    reason: "Nope",
    headers: [["X-A", "1"]],
    hasContentType: false,
    close: false,
  });
  const status = (v: string) => {
    const h = head([["Status", v]]);
    return typeof h === "string" ? h : `${h.status} ${h.reason}`;
  };
  strictEqual(status("201"), "201 Created");
  strictEqual(status("299 Custom"), "299 Custom");
  ok(status("100 Continue").startsWith("bad Status"));
  ok(status("abc").startsWith("bad Status"));
  ok(status("20").startsWith("bad Status"));
  ok(status("600 Big").startsWith("bad Status"));
  strictEqual(
    head([["Status", "200"], ["Status", "200"]]),
    "more than one Status header",
  );
  const redirect = valid([["Location", "http://example.com/"]]);
  strictEqual(redirect.status, 302);
  strictEqual(redirect.reason, "Found");
  deepStrictEqual(redirect.headers, [["Location", "http://example.com/"]]);
  const moved = valid([["Status", "301"], ["Location", "/x"]]);
  strictEqual(moved.status, 301);
  const framed = valid([
    ["Content-Length", "5"],
    ["Transfer-Encoding", "chunked"],
    ["Connection", "keep-alive, close"],
    ["Server", "evil"],
    ["Date", "yesterday"],
    ["Set-Cookie", "a=1"],
    ["Set-Cookie", "b=2"],
  ]);
  strictEqual(framed.close, true);
  deepStrictEqual(framed.headers, [["Set-Cookie", "a=1"], [
    "Set-Cookie",
    "b=2",
  ]]);
});

Deno.test("CGIHTTPRequestHandler reports a signal as a negative exit code", () => {
  strictEqual(exitCode({ success: false, code: 3, signal: null }), 3);
  strictEqual(exitCode({ success: false, code: 137, signal: "SIGKILL" }), -9);
  strictEqual(exitCode({ success: true, code: 0, signal: null }), 0);
});

Deno.test("CGIHTTPRequestHandler logs stderr line by line", async () => {
  const lines: string[] = [];
  const stream = ReadableStream.from([
    encoder.encode("one\r\ntw"),
    encoder.encode("o\n\nthree"),
  ]);
  const { done } = readLines(stream, (l) => lines.push(l));
  await done;
  deepStrictEqual(lines, ["one", "two", "", "three"]);
});

Deno.test("CGIHTTPRequestHandler isCgi, isPython and isExecutable follow Python", async () => {
  const server = new HTTPServer(["127.0.0.1", 0], CGIHTTPRequestHandler, {
    bindAndActivate: false,
  });
  const dir = await Deno.makeTempDir();
  try {
    const h = new CGIHTTPRequestHandler(
      new MemoryConnection(),
      ["127.0.0.1", 1],
      server,
      { directory: dir, cgiDirectories: ["/cgi-bin", "/a/b"] },
    );
    const cgi = (path: string) => {
      h.path = path;
      h.cgiInfo = null;
      return h.isCgi() ? h.cgiInfo : null;
    };
    deepStrictEqual(cgi("/cgi-bin/x.sh/extra?q=1"), [
      "/cgi-bin",
      "x.sh/extra?q=1",
    ]);
    deepStrictEqual(cgi("/a/b/c.py"), ["/a/b", "c.py"]);
    strictEqual(cgi("/a/c.py"), null);
    strictEqual(cgi("/cgi-bin"), null);
    throws(() => cgi("/../cgi-bin/x"), RangeError);
    for (const name of ["x.py", "X.PY", "a/b.pyw", ".x.py", "c:\\d\\e.py"]) {
      ok(h.isPython(name), name);
    }
    for (const name of [".py", "..py", "x.pyc", "py", "x.py/y"]) {
      ok(!h.isPython(name), name);
    }
    await Deno.writeTextFile(`${dir}/x`, "", { mode: 0o644 });
    await Deno.chmod(`${dir}/x`, 0o644);
    strictEqual(h.isExecutable(`${dir}/x`), Deno.build.os === "windows");
    await Deno.chmod(`${dir}/x`, 0o744);
    ok(h.isExecutable(`${dir}/x`));
    ok(!h.isExecutable(`${dir}/missing`));
    deepStrictEqual(h.cgiDirectories, ["/cgi-bin", "/a/b"]);
    strictEqual(h.cgiTimeout, 30_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
