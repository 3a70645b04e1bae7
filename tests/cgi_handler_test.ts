// Copyright 2026 the httpserver authors. MIT license.
// CGIHTTPRequestHandler beyond CPython's tests: the script's header block
// (RFC 3875 section 6), response framing and keep-alive, streaming, the
// timeout, exit codes and stderr, the environment, and the privilege drop.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  type CgiServerOptions,
  IS_ROOT,
  makeTree,
  req,
  skipReason,
  startCgi,
  writeScript,
} from "./_cgi_fixture.ts";
import type { CgiServer } from "./_cgi_fixture.ts";
import { header, RawClient, request } from "./_raw_client.ts";
import { latin1Decode } from "../_text.ts";

const SH = skipReason("sh");

/** Shell scripts written into cgi-bin/ for these tests. */
const EXTRA: Record<string, string> = {
  "status.sh":
    `printf 'Status: 404 Not Here\\nContent-Type: text/plain\\n\\ngone\\n'\n`,
  "redirect.sh": `printf 'Location: http://example.com/elsewhere\\n\\n'\n`,
  "moved.sh": `printf 'Status: 301\\nLocation: /new/\\n\\n'\n`,
  "untyped.sh": `printf 'X-Thing: 1\\n\\nbinary?'\n`,
  "headless.sh": `printf 'Hello World\\n'\n`,
  "silent.sh": `exit 0\n`,
  "wc.sh": `printf 'Content-Type: text/plain\\n\\n'\nwc -c | tr -d ' '\n`,
  "cat.sh": `printf 'Content-Type: application/octet-stream\\n\\n'\nexec cat\n`,
  "big.sh":
    `printf 'Content-Type: text/plain\\n\\n'\nhead -c 200000 /dev/zero | tr '\\0' 'x'\n`,
  "forever.sh": `exec sleep 30\n`,
  "slowbig.sh": `printf 'Content-Type: text/plain\\n\\n'
head -c 100000 /dev/zero | tr '\\0' 'y'
exec sleep 30
`,
  "fail.sh": `printf 'Content-Type: text/plain\\n\\npartial\\n'
echo 'first problem' >&2
echo 'second problem' >&2
exit 3
`,
  "args.sh": `printf 'Content-Type: text/plain\\n\\n%s:%s\\n' "$#" "$1"\n`,
  "env.sh": `printf 'Content-Type: text/plain\\n\\n'\nenv\n`,
  "id.sh":
    `printf 'Content-Type: text/plain\\n\\n%s %s\\n' "$(id -u)" "$(id -g)"\n`,
  "endless.sh": `printf 'Content-Type: text/plain\\n\\n'\nexec yes\n`,
  "noexec.sh": `printf 'Content-Type: text/plain\\n\\nran\\n'\n`,
  "garbage.sh": `printf 'Hello\\n\\n'\nexec sleep 30\n`,
  "group.sh": `sleep 30 &\necho "child $!" >&2\nwait\n`,
  "badinterp.sh": "",
  "204.sh": `printf 'Status: 204\\n\\nignored body'\n`,
  "205.sh": `printf 'Status: 205\\n\\n'\n`,
};

async function withServer(
  options: Omit<CgiServerOptions, "dir">,
  fn: (srv: CgiServer, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await makeTree("sh");
  try {
    await Deno.writeTextFile(
      `${dir}/cgi-bin/badinterp.sh`,
      "#!/nonexistent/interpreter\n",
      { mode: 0o755 },
    );
    for (const [name, body] of Object.entries(EXTRA)) {
      if (!body) continue;
      await writeScript(
        `${dir}/cgi-bin/${name}`,
        "sh",
        body,
        name === "noexec.sh" ? 0o644 : 0o755,
      );
    }
    await using srv = startCgi({ dir, ...options });
    await fn(srv, dir);
    deepStrictEqual(srv.errors, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function cgiTest(
  name: string,
  fn: (srv: CgiServer, dir: string) => Promise<void>,
  options: Omit<CgiServerOptions, "dir"> = {},
  ignore: boolean | string = SH,
): void {
  Deno.test({
    name: `CGIHTTPRequestHandler ${name}`,
    ignore: ignore !== false,
    fn: () => withServer(options, fn),
  });
}

/** Waits until `cond()` holds (bounded). */
async function eventually(cond: () => boolean, reason: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out: ${reason}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function envOf(body: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of body.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) env.set(line.slice(0, i), line.slice(i + 1));
  }
  return env;
}

cgiTest("sets the status line from the script's Status header", async (srv) => {
  const res = await request(srv.port, req("/cgi-bin/status.sh"));
  strictEqual(res.statusLine, "HTTP/1.0 404 Not Here");
  strictEqual(header(res, "Status"), undefined);
  strictEqual(header(res, "Content-Type"), "text/plain");
  strictEqual(header(res, "Content-Length"), "5");
  strictEqual(res.text, "gone\n");
});

cgiTest(
  "redirects with 302 when the script sends Location without Status",
  async (srv) => {
    const res = await request(srv.port, req("/cgi-bin/redirect.sh"));
    strictEqual(res.statusLine, "HTTP/1.0 302 Found");
    strictEqual(header(res, "Location"), "http://example.com/elsewhere");
    strictEqual(header(res, "Content-Length"), "0");
    const moved = await request(srv.port, req("/cgi-bin/moved.sh"));
    strictEqual(moved.statusLine, "HTTP/1.0 301 Moved Permanently");
    strictEqual(header(moved, "Location"), "/new/");
  },
);

cgiTest(
  "labels output without Content-Type with defaultContentType",
  async (srv) => {
    const res = await request(srv.port, req("/cgi-bin/untyped.sh"));
    strictEqual(res.status, 200);
    strictEqual(header(res, "Content-Type"), "application/octet-stream");
    strictEqual(header(res, "X-Thing"), "1");
    strictEqual(res.text, "binary?");
  },
);

cgiTest(
  "answers 502 for output without a header block, or no output",
  async (srv) => {
    const bad = await request(srv.port, req("/cgi-bin/headless.sh"));
    strictEqual(bad.statusLine, "HTTP/1.0 502 Bad header from CGI script");
    const none = await request(srv.port, req("/cgi-bin/silent.sh"));
    strictEqual(none.statusLine, "HTTP/1.0 502 CGI script sent no output");
    ok(srv.logs.some((l) => l.includes("bad header line 'Hello World'")));
  },
);

cgiTest("sends no body for a 204 from the script", async (srv) => {
  using client = await RawClient.connect(srv.port);
  await client.send(req("/cgi-bin/204.sh", { version: "HTTP/1.1" }));
  const res = await client.read();
  strictEqual(res.statusLine, "HTTP/1.1 204 No Content");
  strictEqual(header(res, "Content-Length"), undefined);
  // The next response starts right after the head: no stray body bytes.
  await client.send(req("/cgi-bin/file1.sh", { version: "HTTP/1.1" }));
  strictEqual((await client.read()).text, "Hello World\n");
}, { protocol: "HTTP/1.1" });

cgiTest("frames a 205 from the script with Content-Length: 0", async (srv) => {
  // Unlike 204 and 304, a 205 response is framed (RFC 9112 section 6.3).
  using client = await RawClient.connect(srv.port);
  await client.send(req("/cgi-bin/205.sh", { version: "HTTP/1.1" }));
  const res = await client.read();
  strictEqual(res.statusLine, "HTTP/1.1 205 Reset Content");
  strictEqual(header(res, "Content-Length"), "0");
  await client.send(req("/cgi-bin/file1.sh", { version: "HTTP/1.1" }));
  strictEqual((await client.read()).text, "Hello World\n");
}, { protocol: "HTTP/1.1" });

cgiTest("streams a 5 MB POST body through a script", async (srv) => {
  const body = new Uint8Array(5 * 1024 * 1024).map((_, i) => i % 251);
  const count = await fetch(`http://127.0.0.1:${srv.port}/cgi-bin/wc.sh`, {
    method: "POST",
    body,
  });
  strictEqual(await count.text(), `${body.length}\n`);
  // And back out again, chunked to an HTTP/1.1 client.
  using client = await RawClient.connect(srv.port);
  await client.send(
    req("/cgi-bin/cat.sh", {
      method: "POST",
      version: "HTTP/1.1",
      headers: [`Content-Length: ${body.length}`],
    }),
  );
  const sending = client.send(body);
  const res = await client.read();
  await sending;
  strictEqual(res.framing, "chunked");
  ok(res.complete);
  strictEqual(res.body.length, body.length);
  deepStrictEqual(res.body, body);
}, { protocol: "HTTP/1.1" });

cgiTest("feeds a chunked request body to the script", async (srv) => {
  const res = await request(
    srv.port,
    req("/cgi-bin/cat.sh", {
      method: "POST",
      version: "HTTP/1.1",
      headers: ["Transfer-Encoding: chunked", "Connection: close"],
    }) + "5\r\nHello\r\n7\r\n, World\r\n0\r\n\r\n",
  );
  strictEqual(res.status, 200);
  strictEqual(res.text, "Hello, World");
});

cgiTest(
  "kills a script that runs past cgiTimeout and answers 504",
  async (srv) => {
    const started = Date.now();
    const res = await request(srv.port, req("/cgi-bin/forever.sh"));
    strictEqual(res.statusLine, "HTTP/1.0 504 Gateway Timeout");
    ok(Date.now() - started < 5000, "answered soon after the timeout");
    await eventually(
      () => srv.logs.includes("CGI script exit code -9"),
      "the exit code is logged",
    );
    ok(
      srv.logs.includes(
        "CGI script /cgi-bin/forever.sh timed out after 300 ms",
      ),
    );
  },
  { cgiTimeout: 300 },
);

cgiTest("ends a script at once when its output is unusable", async (srv) => {
  const started = Date.now();
  const res = await request(srv.port, req("/cgi-bin/garbage.sh"));
  strictEqual(res.status, 502);
  await eventually(
    () => srv.logs.includes("CGI script exit code -9"),
    "the script is killed",
  );
  ok(Date.now() - started < 5000, "well before the 30 s timeout");
});

cgiTest(
  "ends the script's whole process group at the timeout",
  async (srv) => {
    const res = await request(srv.port, req("/cgi-bin/group.sh"));
    strictEqual(res.status, 504);
    const line = srv.logs.find((l) => l.startsWith("child ")) ?? "";
    const pid = Number(line.slice(6));
    ok(pid > 0, "the script logged its child's pid");
    await eventually(() => {
      try {
        // Gone, or a zombie waiting for init to reap it.
        const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
        return stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z";
      } catch {
        return true;
      }
    }, `process ${pid} ends`);
  },
  { cgiTimeout: 500 },
  SH || (Deno.build.os !== "linux" && "needs /proc"),
);

cgiTest(
  "cuts a response whose script times out after its output started",
  async (srv) => {
    using client = await RawClient.connect(srv.port);
    await client.send(req("/cgi-bin/slowbig.sh", { version: "HTTP/1.1" }));
    const res = await client.read({ partial: true });
    strictEqual(res.status, 200);
    strictEqual(res.framing, "chunked");
    strictEqual(res.complete, false, "no last chunk");
    strictEqual(res.body.length, 100000);
    ok(await client.closed());
  },
  { protocol: "HTTP/1.1", cgiTimeout: 1000 },
);

cgiTest("logs stderr lines and a non-zero exit code", async (srv) => {
  const res = await request(srv.port, req("/cgi-bin/fail.sh"));
  strictEqual(res.status, 200);
  strictEqual(res.text, "partial\n");
  await eventually(
    () => srv.logs.includes("CGI script exit code 3"),
    "the exit code is logged",
  );
  ok(srv.logs.includes("first problem"));
  ok(srv.logs.includes("second problem"));
});

cgiTest(
  "keeps an HTTP/1.1 connection alive across CGI requests",
  async (srv) => {
    using client = await RawClient.connect(srv.port);
    const get = (path: string) =>
      client.send(req(path, { version: "HTTP/1.1", headers: ["Host: x"] }));
    await get("/cgi-bin/file1.sh");
    const small = await client.read();
    strictEqual(small.statusLine, "HTTP/1.1 200 Script output follows");
    strictEqual(small.framing, "length");
    strictEqual(small.text, "Hello World\n");
    await get("/cgi-bin/big.sh");
    const big = await client.read();
    strictEqual(big.framing, "chunked");
    ok(big.complete);
    strictEqual(big.text, "x".repeat(200000));
    await client.send(
      req("/cgi-bin/file2.sh", {
        method: "POST",
        version: "HTTP/1.1",
        headers: ["Content-Length: 31"],
      }) + "spam=1&eggs=python&bacon=123456",
    );
    strictEqual((await client.read()).text, "1, python, 123456\n");
    await client.send(
      req("/cgi-bin/file1.sh", { method: "HEAD", version: "HTTP/1.1" }),
    );
    const head = await client.read({ head: true });
    strictEqual(header(head, "Content-Length"), "12");
    await get("/cgi-bin/file1.sh");
    strictEqual((await client.read()).text, "Hello World\n");
    strictEqual(header(small, "Connection"), undefined);
  },
  { protocol: "HTTP/1.1" },
);

cgiTest(
  "keeps the connection when a script leaves a short body unread",
  async (srv) => {
    using client = await RawClient.connect(srv.port);
    const body = "x".repeat(10_000);
    await client.send(
      req("/cgi-bin/file1.sh", {
        method: "POST",
        version: "HTTP/1.1",
        headers: [`Content-Length: ${body.length}`],
      }) + body,
    );
    const first = await client.read();
    strictEqual(first.text, "Hello World\n");
    await client.send(req("/cgi-bin/file1.sh", { version: "HTTP/1.1" }));
    const second = await client.read();
    strictEqual(second.status, 200);
    strictEqual(second.text, "Hello World\n");
  },
  { protocol: "HTTP/1.1" },
);

cgiTest(
  "ends a long response with the connection for HTTP/1.0 clients",
  async (srv) => {
    const res = await request(srv.port, req("/cgi-bin/big.sh"));
    strictEqual(res.framing, "close");
    strictEqual(header(res, "Connection"), "close");
    strictEqual(res.body.length, 200000);
  },
  { protocol: "HTTP/1.1" },
);

cgiTest(
  "answers HEAD by running the script and sending no body",
  async (srv) => {
    const res = await request(
      srv.port,
      req("/cgi-bin/big.sh", { method: "HEAD" }),
      { head: true },
    );
    strictEqual(res.status, 200);
    strictEqual(header(res, "Content-Length"), "200000");
    using client = await RawClient.connect(srv.port);
    await client.send(req("/cgi-bin/file1.sh", { method: "HEAD" }));
    await client.read({ head: true });
    ok(await client.closed(), "nothing after the head");
  },
);

cgiTest("passes a query without '=' as the script's argument", async (srv) => {
  const arg = async (query: string) =>
    (await request(srv.port, req(`/cgi-bin/args.sh${query}`))).text;
  strictEqual(await arg("?hello+world"), "1:hello world\n");
  strictEqual(await arg("?a=b"), "0:\n");
  strictEqual(await arg(""), "1:\n");
});

cgiTest(
  "gives the script Python's CGI environment, and no HTTP_PROXY",
  async (srv, dir) => {
    const res = await request(
      srv.port,
      req("/cgi-bin/env.sh/a%2520b/c?x=1", {
        headers: [
          "Proxy: http://evil.example:3128",
          "Host: example.com",
          "Authorization: Basic " + btoa("alice:secret"),
          "Cookie: a=1",
          "Cookie: b=2",
          "User-Agent: agent/1",
        ],
      }),
    );
    const env = envOf(res.text);
    const expect: Record<string, string> = {
      GATEWAY_INTERFACE: "CGI/1.1",
      SERVER_SOFTWARE: `SimpleHTTP/0.6 Deno/${Deno.version.deno}`,
      SERVER_NAME: "localhost",
      SERVER_PROTOCOL: "HTTP/1.0",
      SERVER_PORT: String(srv.port),
      REQUEST_METHOD: "GET",
      PATH_INFO: "/a%20b/c",
      PATH_TRANSLATED: `${dir}/a%20b/c`,
      SCRIPT_NAME: "/cgi-bin/env.sh",
      QUERY_STRING: "x=1",
      REMOTE_ADDR: "127.0.0.1",
      AUTH_TYPE: "Basic",
      REMOTE_USER: "alice",
      CONTENT_TYPE: "text/plain",
      CONTENT_LENGTH: "",
      HTTP_ACCEPT: "",
      HTTP_COOKIE: "a=1, b=2",
      HTTP_USER_AGENT: "agent/1",
      HTTP_REFERER: "",
      REMOTE_HOST: "",
    };
    for (const [k, v] of Object.entries(expect)) strictEqual(env.get(k), v, k);
    strictEqual(env.get("HTTP_HOST"), undefined);
    if (!Deno.env.has("HTTP_PROXY")) {
      strictEqual(
        env.get("HTTP_PROXY"),
        undefined,
      );
    }
    ok(env.has("PATH"), "the server's environment is passed on");
  },
);

cgiTest(
  "runs scripts as nobody when the server runs as root",
  async (srv) => {
    const res = await request(srv.port, req("/cgi-bin/id.sh"));
    strictEqual(res.text, "65534 65534\n");
  },
  {},
  SH || (!IS_ROOT && "the server does not run as root"),
);

cgiTest("refuses scripts that are not executable or not files", async (srv) => {
  const noexec = await request(srv.port, req("/cgi-bin/noexec.sh"));
  strictEqual(
    noexec.statusLine,
    "HTTP/1.0 403 CGI script is not executable ('/cgi-bin/noexec.sh')",
  );
  const folder = await request(srv.port, req("/cgi-bin/"));
  strictEqual(
    folder.statusLine,
    "HTTP/1.0 403 CGI script is not a plain file ('/cgi-bin/')",
  );
  const child = await request(srv.port, req("/cgi-bin/child-dir"));
  strictEqual(
    child.statusLine,
    "HTTP/1.0 403 CGI script is not a plain file ('/cgi-bin/child-dir')",
  );
  const redirect = await request(srv.port, req("/cgi-bin"));
  strictEqual(redirect.status, 301);
  strictEqual(header(redirect, "Location"), "/cgi-bin/");
});

cgiTest("answers 500 when the script cannot be started", async (srv) => {
  const res = await request(srv.port, req("/cgi-bin/badinterp.sh"));
  strictEqual(
    res.statusLine,
    "HTTP/1.0 500 CGI script could not be run ('/cgi-bin/badinterp.sh')",
  );
  ok(
    srv.logs.some((l) =>
      l.startsWith("CGI script /cgi-bin/badinterp.sh could not be run: ")
    ),
  );
});

cgiTest(
  "answers 400 for a malformed chunked body fed to a script",
  async (srv) => {
    const res = await request(
      srv.port,
      req("/cgi-bin/cat.sh", {
        method: "POST",
        version: "HTTP/1.1",
        headers: ["Transfer-Encoding: chunked"],
      }) + "5\r\nHello\r\nzz\r\n",
    );
    strictEqual(res.statusLine, "HTTP/1.1 400 Bad chunked encoding");
  },
  { protocol: "HTTP/1.1" },
);

cgiTest("answers 501 to a POST outside the CGI folders", async (srv) => {
  const res = await request(srv.port, req("/nocgi.sh", { method: "POST" }));
  strictEqual(res.statusLine, "HTTP/1.0 501 Can only POST to CGI scripts");
});

cgiTest(
  "answers an HTTP/0.9 request with the script's body only",
  async (srv) => {
    using client = await RawClient.connect(srv.port);
    await client.send("GET /cgi-bin/file1.sh\r\n");
    strictEqual(latin1Decode(await client.readToEnd()), "Hello World\n");
  },
);

cgiTest(
  "adds extraResponseHeaders to successful script responses",
  async (srv) => {
    const res = await request(srv.port, req("/cgi-bin/file1.sh"));
    strictEqual(header(res, "Access-Control-Allow-Origin"), "*");
    const gone = await request(srv.port, req("/cgi-bin/status.sh"));
    strictEqual(header(gone, "Access-Control-Allow-Origin"), undefined);
  },
  { fields: { extraResponseHeaders: [["Access-Control-Allow-Origin", "*"]] } },
);

cgiTest(
  "kills the script when the client goes away mid-response",
  async (srv) => {
    {
      using client = await RawClient.connect(srv.port);
      await client.send(req("/cgi-bin/endless.sh"));
      ok(await client.receive(1) > 0, "the response has started");
    }
    await eventually(
      () => srv.logs.some((l) => /^CGI script exit code -(9|13)$/.test(l)),
      "the script is killed",
    );
  },
);

cgiTest(
  "never lets a path escape cgi-bin or reveal a script's source",
  async (srv, dir) => {
    await Deno.symlink(`${dir}/cgi-bin`, `${dir}/alias`);
    const outside = await Deno.makeTempDir();
    try {
      await writeScript(`${outside}/evil.sh`, "sh", EXTRA["args.sh"]!);
      await Deno.chmod(outside, 0o755);
      await Deno.symlink(`${outside}/evil.sh`, `${dir}/cgi-bin/evil.sh`);
      const cases: [string, number, string?][] = [
        ["/cgi-bin/../cgi-bin/file1.sh", 200, "Hello World\n"],
        ["/htbin/../cgi-bin/file1.sh", 200, "Hello World\n"],
        ["/cgi-bin/%2e%2e/cgi-bin/file1.sh", 200, "Hello World\n"],
        // Python decodes twice and would run /nocgi.sh here.
        ["/cgi-bin/..%252fnocgi.sh", 404],
        ["/cgi-bin/..%252f..%252fnocgi.sh", 404],
        ["/../cgi-bin/file1.sh", 400],
        ["/cgi-bin/../../cgi-bin/file1.sh", 400],
        ["/cgi-bin%2f..%2f..%2fetc%2fpasswd", 400],
        ["///////////nocgi.sh/../cgi-bin/nothere.sh", 404],
        ["/cgi-bin/file1.sh%00", 404],
        ["/cgi-bin/file1.sh/%00", 400],
        ["/cgi-bin/evil.sh", 404],
        ["/alias/file1.sh", 404],
        ["/alias/", 404],
        ["/CGI-BIN/file1.sh", 404],
      ];
      for (const [path, status, body] of cases) {
        const res = await request(srv.port, req(path));
        strictEqual(res.status, status, `${path}: ${res.statusLine}`);
        if (body !== undefined) strictEqual(res.text, body, path);
        ok(!res.text.includes("#!/bin/sh"), `${path} shows no source`);
      }
    } finally {
      await Deno.remove(outside, { recursive: true });
    }
  },
);

cgiTest(
  "hides dot-named scripts when serveDotfiles is false",
  async (srv, dir) => {
    await writeScript(`${dir}/cgi-bin/.hidden.sh`, "sh", EXTRA["args.sh"]!);
    const res = await request(srv.port, req("/cgi-bin/.hidden.sh"));
    strictEqual(res.status, 404);
  },
  { fields: { serveDotfiles: false } },
);

Deno.test({
  name: "CGIHTTPRequestHandler reports each log line with the script's name",
  ignore: SH !== false,
  fn: () =>
    withServer({}, async (srv) => {
      await request(srv.port, req("/cgi-bin/headless.sh"));
      match(
        srv.logs.find((l) => l.startsWith("CGI script /cgi-bin/headless.sh"))!,
        /sent a bad response: bad header line/,
      );
    }),
});
