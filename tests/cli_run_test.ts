// Copyright 2026 the httpserver authors. MIT license.
// CPython's CommandLineRunTimeTestCase and the CLI's run-time behaviour:
// spawned `deno run cli.ts` processes with the narrowest permissions.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  CliProcess,
  hasIPv6,
  hasOpenssl,
  makeCertificate,
} from "./_cli_util.ts";
import { withTimeout } from "./_util.ts";
import { header, RawClient, request } from "./_raw_client.ts";
import { main } from "../cli.ts";

const BANNER =
  /^Serving (HTTP|HTTPS) on (.+) port (\d+) \((https?):\/\/(.+):(\d+)\/\) \.\.\.$/;

/** A temp folder with `site/` (served) and `tls/` (outside it). */
async function fixture(): Promise<
  & { root: string; site: string; tls: string; data: Uint8Array }
  & AsyncDisposable
> {
  const root = await Deno.makeTempDir({ prefix: "httpserver_cli_" });
  const site = `${root}/site`;
  const tls = `${root}/tls`;
  await Deno.mkdir(site);
  await Deno.mkdir(tls);
  const data = new Uint8Array(200_000);
  for (let i = 0; i < data.length; i += 65536) {
    crypto.getRandomValues(data.subarray(i, i + 65536));
  }
  await Deno.writeFile(`${site}/data.bin`, data);
  await Deno.writeTextFile(`${site}/index.txt`, "Hello\n");
  await Deno.writeTextFile(`${site}/notes.unknownext`, "x");
  return {
    root,
    site,
    tls,
    data,
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

async function fetchBytes(
  url: string,
  init?: RequestInit & { client?: Deno.HttpClient },
): Promise<{ res: Response; body: Uint8Array }> {
  const res = await withTimeout(fetch(url, init), `fetch ${url}`);
  const body = new Uint8Array(
    await withTimeout(res.arrayBuffer(), `body of ${url}`),
  );
  return { res, body };
}

Deno.test("CLI serves a file byte-exact over HTTP with --allow-net and --allow-read only (test_http_client)", async () => {
  await using fx = await fixture();
  await using cli = new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${fx.site}`],
    ["0", "-b", "127.0.0.1", "-d", fx.site],
  );
  const banner = await cli.line(0);
  const m = banner.match(BANNER)!;
  ok(m, banner);
  deepStrictEqual(m.slice(1, 6), [
    "HTTP",
    "127.0.0.1",
    m[3],
    "http",
    "127.0.0.1",
  ]);
  strictEqual(m[3], m[6]);
  const port = Number(m[3]);
  ok(port > 0, "the real port is printed when 0 is given");
  const { res, body } = await fetchBytes(`http://127.0.0.1:${port}/data.bin`);
  strictEqual(res.status, 200);
  deepStrictEqual(body, fx.data);
  // Request log lines go to stderr, never stdout.
  await cli.stderrIncludes('"GET /data.bin HTTP/1.1" 200 -');
  match(
    cli.stderr,
    /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/data\.bin HTTP\/1\.1" 200 -\n$/,
  );
  strictEqual(cli.stdout, banner + "\n");
});

Deno.test("CLI prints Python's message and exits 0 on Ctrl-C (SIGINT)", {
  ignore: Deno.build.os === "windows",
}, async () => {
  await using fx = await fixture();
  await using cli = new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${fx.site}`],
    ["0", "-b", "127.0.0.1", "-d", fx.site],
  );
  const banner = await cli.line(0);
  const result = await cli.exit("SIGINT");
  strictEqual(result.code, 0);
  strictEqual(result.signal, null);
  strictEqual(
    result.stdout,
    `${banner}\n\nKeyboard interrupt received, exiting.\n`,
  );
  strictEqual(result.stderr, "");
});

Deno.test(
  "CLI serves HTTPS with a self-signed certificate (test_https_client)",
  {
    ignore: !hasOpenssl(),
  },
  async (t) => {
    await using fx = await fixture();
    await makeCertificate(fx.tls, "correct horse");
    await Deno.writeTextFile(`${fx.tls}/password.txt`, " correct horse \n");
    const ca = await Deno.readTextFile(`${fx.tls}/cert.pem`);
    using client = Deno.createHttpClient({ caCerts: [ca] });
    const variants: [string, string[]][] = [
      ["a plain key", ["--tls-key", `${fx.tls}/key.pem`]],
      ["an encrypted key and --tls-password-file", [
        "--tls-key",
        `${fx.tls}/key_encrypted.pem`,
        "--tls-password-file",
        `${fx.tls}/password.txt`,
      ]],
    ];
    for (const [name, flags] of variants) {
      await t.step(name, async () => {
        await using cli = new CliProcess(
          ["--allow-net=127.0.0.1", `--allow-read=${fx.site},${fx.tls}`],
          [
            "0",
            "-b",
            "127.0.0.1",
            "-d",
            fx.site,
            "--tls-cert",
            `${fx.tls}/cert.pem`,
            ...flags,
          ],
        );
        const banner = await cli.line(0);
        const port = await cli.port();
        strictEqual(
          banner,
          `Serving HTTPS on 127.0.0.1 port ${port} (https://127.0.0.1:${port}/) ...`,
        );
        const { res, body } = await fetchBytes(
          `https://127.0.0.1:${port}/data.bin`,
          { client },
        );
        strictEqual(res.status, 200);
        deepStrictEqual(body, fx.data);
      });
    }
  },
);

Deno.test("CLI binds IPv6 ::1 and brackets it in the banner", {
  ignore: !hasIPv6(),
}, async () => {
  await using fx = await fixture();
  await using cli = new CliProcess(
    ["--allow-net=[::1]", `--allow-read=${fx.site}`],
    ["0", "--bind", "::1", "-d", fx.site],
  );
  const port = await cli.port();
  strictEqual(
    await cli.line(0),
    `Serving HTTP on ::1 port ${port} (http://[::1]:${port}/) ...`,
  );
  const { res, body } = await fetchBytes(`http://[::1]:${port}/index.txt`);
  strictEqual(res.status, 200);
  strictEqual(new TextDecoder().decode(body), "Hello\n");
});

function dualStackDefault(): boolean {
  if (Deno.build.os === "windows" || !hasIPv6()) return false;
  try {
    return Deno.readTextFileSync("/proc/sys/net/ipv6/bindv6only").trim() ===
      "0";
  } catch {
    return Deno.build.os !== "linux";
  }
}

Deno.test("CLI listens dual-stack on :: by default", {
  ignore: !dualStackDefault(),
}, async () => {
  await using fx = await fixture();
  await using cli = new CliProcess(
    ["--allow-net", `--allow-read=${fx.site}`],
    ["0", "-d", fx.site],
  );
  const port = await cli.port();
  strictEqual(
    await cli.line(0),
    `Serving HTTP on :: port ${port} (http://[::]:${port}/) ...`,
  );
  for (const host of ["127.0.0.1", "[::1]"]) {
    const { res } = await fetchBytes(`http://${host}:${port}/index.txt`);
    strictEqual(res.status, 200, host);
  }
  // IPv4 clients appear as IPv4-mapped addresses, as in Python's CLI.
  await cli.stderrIncludes("::ffff:127.0.0.1 - - [");
});

Deno.test("CLI lists LAN URLs only when the networkInterfaces permission is granted", async () => {
  await using fx = await fixture();
  const result = async (sys: string[]) => {
    await using cli = new CliProcess(
      ["--allow-net", `--allow-read=${fx.site}`, ...sys],
      ["0", "-b", "0.0.0.0", "-d", fx.site, "-q"],
    );
    const port = await cli.port();
    if (sys.length) await cli.line(1, "the Local line");
    return {
      port,
      ...(await cli.exit(Deno.build.os === "windows" ? "SIGKILL" : "SIGINT")),
    };
  };
  const without = await result([]);
  ok(!without.stdout.includes("Local:"), without.stdout);
  const granted = await result(["--allow-sys=networkInterfaces"]);
  const lines = granted.stdout.split("\n");
  match(lines[0]!, BANNER);
  strictEqual(lines[1], `  Local:   http://localhost:${granted.port}/`);
  for (const line of lines.slice(2).filter((l) => l.startsWith("  Network"))) {
    match(line, new RegExp(`^  Network: http://[0-9.]+:${granted.port}/$`));
  }
});

Deno.test("CLI --cors answers preflight requests with 204 and adds Access-Control-Allow-Origin", async () => {
  await using fx = await fixture();
  await using cli = new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${fx.site}`],
    ["0", "-b", "127.0.0.1", "-d", fx.site, "--cors", "--quiet"],
  );
  const port = await cli.port();
  const pre = await request(
    port,
    "OPTIONS /index.txt HTTP/1.1\r\nHost: x\r\nOrigin: http://example.com\r\n" +
      "Access-Control-Request-Method: GET\r\n" +
      "Access-Control-Request-Headers: range, x-custom\r\nConnection: close\r\n\r\n",
  );
  strictEqual(pre.statusLine, "HTTP/1.1 204 No Content");
  strictEqual(header(pre, "Access-Control-Allow-Origin"), "*");
  strictEqual(
    header(pre, "Access-Control-Allow-Methods"),
    "GET, HEAD, OPTIONS",
  );
  strictEqual(header(pre, "Access-Control-Allow-Headers"), "range, x-custom");
  strictEqual(header(pre, "Content-Length"), undefined);
  const get = await fetchBytes(`http://127.0.0.1:${port}/index.txt`, {
    headers: { Origin: "http://example.com" },
  });
  strictEqual(get.res.headers.get("access-control-allow-origin"), "*");
  strictEqual(
    get.res.headers.get("access-control-expose-headers"),
    "Accept-Ranges, Content-Range, Content-Disposition, ETag, Date, Location, Server",
  );
  const missing = await fetchBytes(`http://127.0.0.1:${port}/nothing`);
  strictEqual(missing.res.status, 404);
  strictEqual(missing.res.headers.get("access-control-allow-origin"), "*");
  // --quiet: no request log lines.
  const done = await cli.exit(
    Deno.build.os === "windows" ? "SIGKILL" : "SIGINT",
  );
  strictEqual(done.stderr, "");
});

Deno.test("CLI passes -p, -H and --content-type to every response", async () => {
  await using fx = await fixture();
  await using cli = new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${fx.site}`],
    [
      "0",
      "-b",
      "127.0.0.1",
      "-d",
      fx.site,
      "-p",
      "HTTP/1.0",
      "-H",
      "Cache-Control: no-store",
      "-H",
      "X-Two:a:b",
      "--content-type",
      "text/plain; charset=utf-8",
    ],
  );
  const port = await cli.port();
  const res = await request(
    port,
    "GET /notes.unknownext HTTP/1.1\r\nHost: x\r\n\r\n",
  );
  strictEqual(res.statusLine, "HTTP/1.0 200 OK");
  strictEqual(header(res, "Content-type"), "text/plain; charset=utf-8");
  deepStrictEqual(res.headers.slice(-2), [
    ["Cache-Control", "no-store"],
    ["X-Two", "a:b"],
  ]);
  const missing = await request(
    port,
    "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n",
  );
  strictEqual(missing.status, 404);
  strictEqual(header(missing, "Cache-Control"), undefined);
});

Deno.test("CLI speaks HTTP/1.1 with keep-alive by default", async () => {
  await using fx = await fixture();
  await using cli = new CliProcess(
    ["--allow-net=127.0.0.1", `--allow-read=${fx.site}`],
    ["0", "-b", "127.0.0.1", "-d", fx.site, "-q"],
  );
  const port = await cli.port();
  using client = await RawClient.connect(port);
  for (let i = 0; i < 2; i++) {
    await client.send("GET /index.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    const res = await client.read();
    strictEqual(res.statusLine, "HTTP/1.1 200 OK");
    strictEqual(res.text, "Hello\n");
  }
});

Deno.test("CLI main() serves in-process until its AbortSignal fires", async () => {
  await using fx = await fixture();
  const controller = new AbortController();
  let stdout = "";
  let announced!: () => void;
  const banner = new Promise<void>((r) => announced = r);
  const running = main(
    ["0", "-b", "127.0.0.1", "-d", fx.site, "-q"],
    {
      stdout: (t) => {
        stdout += t;
        announced();
      },
      signal: controller.signal,
      revokePermissions: false,
    },
  );
  try {
    await withTimeout(banner, "the in-process banner");
    const port = Number(stdout.match(/ port (\d+) /)![1]);
    const { res, body } = await fetchBytes(
      `http://127.0.0.1:${port}/index.txt`,
    );
    strictEqual(res.status, 200);
    strictEqual(new TextDecoder().decode(body), "Hello\n");
  } finally {
    controller.abort();
  }
  strictEqual(await withTimeout(running, "main() to return"), 0);
  match(
    stdout,
    /^Serving HTTP on 127\.0\.0\.1 port \d+ \(http:\/\/127\.0\.0\.1:\d+\/\) \.\.\.\n$/,
  );
});
