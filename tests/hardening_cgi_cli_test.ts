// Copyright 2026 the httpserver authors. MIT license.
// Hardening: the security review's corpora for CGIHTTPRequestHandler and the
// CLI. Traversal through CGI paths, script source disclosure, environment
// injection (httpoxy, colliding names), header injection from a script, and
// the CLI's dotfiles, containment and log escaping.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { CGIHTTPRequestHandler } from "../handlers/cgi.ts";
import {
  CONTROL,
  get,
  IS_POSIX,
  makeTree,
  SECRET,
  type Tree,
} from "./_hardening.ts";
import { exchange, headOf, statusOf } from "./_raw_client.ts";
import { latin1Encode } from "../_text.ts";
import { serveDirectory } from "./_simple_fixture.ts";
import { CliProcess } from "./_cli_util.ts";
import type { TestServer } from "./_util.ts";

// -------------------------------------------------------------------- CGI

const RAN = "SCRIPT-RAN-MARKER";
const SOURCE = "SOURCE-ONLY-MARKER";

/** Adds the CGI scripts to `tree` and serves it with CGIHTTPRequestHandler. */
async function serveCgiTree(tree: Tree): Promise<TestServer> {
  const bin = `${tree.root}/cgi-bin`;
  await Deno.mkdir(bin, { mode: 0o755 });
  await Deno.chmod(bin, 0o755);
  // The output marker is split in the source, so served source never
  // passes for a run.
  const script = (marker: string) =>
    `#!/bin/sh\n# ${SOURCE}\nprintf 'Content-Type: text/plain\\n\\n%s%s\\n' '${
      marker.slice(0, 4)
    }' '${marker.slice(4)}'\n`;
  await Deno.writeTextFile(`${bin}/ok.sh`, script(RAN), { mode: 0o755 });
  await Deno.writeTextFile(
    `${bin}/env.sh`,
    "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv\n",
    {
      mode: 0o755,
    },
  );
  await Deno.writeTextFile(`${tree.root}/nocgi.sh`, script("NOCGI-RAN"), {
    mode: 0o755,
  });
  await Deno.writeTextFile(`${tree.parent}/outside.sh`, script("OUTSIDE-RAN"), {
    mode: 0o755,
  });
  for (
    const f of [
      `${bin}/ok.sh`,
      `${bin}/env.sh`,
      `${tree.root}/nocgi.sh`,
      `${tree.parent}/outside.sh`,
    ]
  ) {
    await Deno.chmod(f, 0o755);
  }
  return serveDirectory(tree.root, { Handler: CGIHTTPRequestHandler });
}

Deno.test({
  name:
    "CGIHTTPRequestHandler never runs a script outside its folders nor shows a script's source",
  ignore: !IS_POSIX,
  async fn() {
    await using tree = await makeTree();
    await using s = await serveCgiTree(tree);
    const outside = [
      "/cgi-bin/../nocgi.sh",
      "/cgi-bin/%2e%2e/nocgi.sh",
      "/cgi-bin/..%2fnocgi.sh",
      "/cgi-bin/%2e%2e%2fnocgi.sh",
      "///////////nocgi.sh/../cgi-bin/nothere.sh",
      "/cgi-bin/../../outside.sh",
      "/cgi-bin/%2e%2e/%2e%2e/outside.sh",
      "/cgi-bin/..%2f..%2foutside.sh",
      "/cgi-bin/ok.sh/../../../outside.sh",
      "/cgi-bin/../../../../../../bin/sh",
      "/cgi-bin/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fbin%2fsh",
      "/cgi-bin/..%5c..%5coutside.sh",
      "/cgi-bin/%252e%252e/outside.sh",
      "/cgi-bin/%c0%ae%c0%ae/outside.sh",
      `/cgi-bin/${tree.parent}/outside.sh`,
    ];
    for (const target of outside) {
      for (const method of ["GET", "POST"]) {
        const res = await exchange(
          s.port,
          `${method} ${target} HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
          { deadline: 8000 },
        );
        ok(
          !res.text.includes("OUTSIDE-RAN"),
          `${method} ${target} ran a script outside the root`,
        );
        ok(
          !res.text.includes("NOCGI-RAN"),
          `${method} ${target} ran a script outside cgi-bin`,
        );
        ok(!res.text.includes(SECRET), `${method} ${target} leaked the secret`);
        ok(res.closed && !res.timedOut, `${method} ${target}`);
      }
    }
    const spellings = [
      "/cgi-bin/ok.sh",
      "//cgi-bin/ok.sh",
      "/cgi-bin//ok.sh",
      "/./cgi-bin/ok.sh",
      "/cgi-bin/./ok.sh",
      "/sub/../cgi-bin/ok.sh",
      "/sub/..%2fcgi-bin/ok.sh",
      "/cgi-bin%2fok.sh",
      "/%63gi-bin/ok.sh",
      "/CGI-BIN/ok.sh",
      "/cgi-bin/ok.sh%00",
      "/cgi-bin/ok.sh/",
      "/cgi-bin/ok%2esh",
      "/cgi-bin/",
      "/cgi-bin",
      "/htbin/../cgi-bin/ok.sh",
      "http://127.0.0.1/cgi-bin/ok.sh",
    ];
    let ran = 0;
    for (const target of spellings) {
      const text = await get(s.port, target);
      ok(!text.includes(SOURCE), `${target} showed the script's source`);
      if (text.includes(RAN)) ran++;
    }
    ok(ran >= 5, `the script ran for ${ran} spellings`);
  },
});

Deno.test({
  name:
    "CGIHTTPRequestHandler passes no request header as HTTP_PROXY and no colliding names (httpoxy)",
  ignore: !IS_POSIX,
  async fn() {
    await using tree = await makeTree();
    await using s = await serveCgiTree(tree);
    const res = await exchange(
      s.port,
      "GET /cgi-bin/env.sh?q=1 HTTP/1.1\r\n" +
        "Proxy: http://evil.example:1/\r\n" +
        "HTTP_PROXY: http://evil.example:2/\r\n" +
        "Http-Proxy: http://evil.example:3/\r\n" +
        "Remote-User: evil-user\r\n" +
        "REMOTE_USER: evil-user\r\n" +
        "Auth-Type: evil-auth\r\n" +
        "Content_Type: evil/type\r\n" +
        "Content_Length: 999\r\n" +
        "Query-String: evil=1\r\n" +
        "Path-Info: /evil\r\n" +
        "Script-Name: /evil\r\n" +
        "LD_PRELOAD: /tmp/evil.so\r\n" +
        "Ld-Preload: /tmp/evil.so\r\n" +
        "Connection: close\r\n\r\n",
      { deadline: 8000 },
    );
    strictEqual(statusOf(res.text), 200, res.text.slice(0, 80));
    const env = new Map(
      res.text.slice(res.text.indexOf("\r\n\r\n") + 4).split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    ok(
      !res.text.includes("evil.example"),
      "no proxy variable from a request header",
    );
    ok(
      !res.text.includes("evil-user") && !res.text.includes("evil-auth"),
      "no user from a header",
    );
    ok(!res.text.includes("/tmp/evil.so"), "no loader variable from a header");
    strictEqual(env.get("CONTENT_TYPE"), "text/plain");
    strictEqual(env.get("CONTENT_LENGTH"), "");
    strictEqual(env.get("QUERY_STRING"), "q=1");
    strictEqual(env.get("PATH_INFO"), "");
    strictEqual(env.get("SCRIPT_NAME"), "/cgi-bin/env.sh");
    deepStrictEqual(
      [...env.keys()].filter((k) => k.startsWith("HTTP_")).sort(),
      ["HTTP_ACCEPT", "HTTP_COOKIE", "HTTP_REFERER", "HTTP_USER_AGENT"]
        .filter((k) => env.has(k)),
      "only Python's four HTTP_ variables",
    );
  },
});

Deno.test({
  name:
    "CGIHTTPRequestHandler refuses a script header with a bare CR (header injection)",
  ignore: !IS_POSIX,
  async fn() {
    await using tree = await makeTree();
    await using s = await serveCgiTree(tree);
    await Deno.writeTextFile(
      `${tree.root}/cgi-bin/cr.sh`,
      "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\nX-A: a\\rSet-Cookie: evil=1\\r\\n\\r\\nbody\\n'\n",
      { mode: 0o755 },
    );
    await Deno.chmod(`${tree.root}/cgi-bin/cr.sh`, 0o755);
    const text = await get(s.port, "/cgi-bin/cr.sh");
    strictEqual(statusOf(text), 502, text.slice(0, 80));
    ok(!/Set-Cookie/i.test(headOf(text)), "no injected header");
    deepStrictEqual(s.errors, []);
  },
});

// -------------------------------------------------------------------- CLI

Deno.test("CLI keeps a served folder's secrets, the files around it and its logs safe", async () => {
  await using tree = await makeTree();
  await Deno.writeTextFile(`${tree.root}/.env`, SECRET);
  await Deno.mkdir(`${tree.root}/.git`);
  await Deno.writeTextFile(`${tree.root}/.git/config`, SECRET);
  if (IS_POSIX) {
    await Deno.symlink(`${tree.parent}/secret.txt`, `${tree.root}/escape.txt`);
  }
  await using cli = new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${tree.root}`],
    ["--no-dotfiles", "-b", "127.0.0.1", "-d", tree.root, "0"],
  );
  const port = await cli.port();
  for (
    const target of [
      "/.env",
      "/.git/config",
      "/%2eenv",
      "/sub/..%2f.env",
      "/escape.txt",
      "/../secret.txt",
      "/..%2fsecret.txt",
      "/%2e%2e%2fsecretdir%2finner.txt",
    ]
  ) {
    const text = await get(port, target);
    strictEqual(statusOf(text), 404, `${target}: ${text.slice(0, 60)}`);
    ok(!text.includes(SECRET), target);
  }
  const listing = await get(port, "/");
  ok(!listing.includes(".env") && !listing.includes(".git"), "dotfiles hidden");
  // Terminal escapes in a request never reach the terminal raw.
  await exchange(port, [
    latin1Encode("GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.0\r\n\r\n"),
  ]);
  await cli.stderrIncludes("pwned");
  const line = cli.stderr.split("\n").find((l) => l.includes("pwned"))!;
  ok(!CONTROL.test(line), JSON.stringify(line));
  ok(line.includes("\\x1b[2J\\x1b]0;pwned\\x07"), line);
});
