// Copyright 2026 the httpserver authors. MIT license.
/**
 * Every example in `examples/`: its handler class served by an `HTTPServer`
 * on 127.0.0.1 port 0, and each script started the way its doc says.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
  ok as assert,
} from "node:assert/strict";
import { type HTTPServer, HTTPSServer } from "../mod.ts";
import { startServer, withTimeout } from "./_util.ts";
import { header, RawClient, readUntilClose, request } from "./_raw_client.ts";
import { GetHandler as EchoHandler } from "../examples/get_echo.ts";
import { PostHandler } from "../examples/post_form.ts";
import { Handler as ThreadingHandler } from "../examples/threading.ts";
import { ErrorHandler } from "../examples/error_404.ts";
import { GetHandler as LastModifiedHandler } from "../examples/last_modified.ts";
import {
  keepRunning,
  QuitHandler,
  runWhileTrue,
} from "../examples/handle_request_loop.ts";
import { type Item, JsonApiHandler } from "../examples/json_api.ts";
import { StreamHandler } from "../examples/stream.ts";
import { HelloHandler } from "../examples/https.ts";
import { Handler as CgiHandler } from "../examples/cgi.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ROOT = new URL("../", import.meta.url);
const TLS = "tests/testdata/tls/";

class QuietEcho extends EchoHandler {
  override logMessage(): void {}
}
class QuietPost extends PostHandler {
  override logMessage(): void {}
}
class QuietThreading extends ThreadingHandler {
  override logMessage(): void {}
}
class QuietError extends ErrorHandler {
  override logMessage(): void {}
}
class QuietLastModified extends LastModifiedHandler {
  override logMessage(): void {}
}
class QuietQuit extends QuitHandler {
  override logMessage(): void {}
}
class QuietStream extends StreamHandler {
  override logMessage(): void {}
}

Deno.test("get_echo example echoes client values, server values and sorted headers", async () => {
  await using s = startServer(QuietEcho);
  using client = await RawClient.connect(s.port);
  const clientPort = (client.conn.localAddr as Deno.NetAddr).port;
  await client.send(
    "GET /a/b?foo=bar HTTP/1.1\r\nUser-Agent: test\r\nHost: example\r\n" +
      "Accept: */*\r\n\r\n",
  );
  const res = await client.read();
  assertEquals(res.statusLine, "HTTP/1.0 200 OK");
  assertEquals(
    decoder.decode(res.body),
    [
      "CLIENT VALUES:",
      `clientAddress=["127.0.0.1",${clientPort}] (127.0.0.1)`,
      "command=GET",
      "path=/a/b?foo=bar",
      "real path=/a/b",
      "query=foo=bar",
      "requestVersion=HTTP/1.1",
      "",
      "SERVER VALUES:",
      "serverVersion=BaseHTTP/0.6",
      `sysVersion=Deno/${Deno.version.deno}`,
      "protocolVersion=HTTP/1.0",
      "",
      "HEADERS RECEIVED:",
      "Accept=*/*",
      "Host=example",
      "User-Agent=test",
      "",
    ].join("\r\n"),
  );
});

Deno.test("post_form example echoes a multipart form with an uploaded file", async () => {
  await using s = startServer(QuietPost);
  const form = new FormData();
  form.append("name", "dhellmann");
  form.append("foo", "bar");
  form.append(
    "datafile",
    new Blob([new Uint8Array(2222)]),
    "BaseHTTPServer_GET.py",
  );
  const res = await fetch(`http://127.0.0.1:${s.port}/`, {
    method: "POST",
    body: form,
    headers: { "User-Agent": "curl/7.88.1" },
  });
  const lines = (await res.text()).split("\n");
  assertEquals(res.status, 200);
  assertMatch(lines[0]!, /^Client: \["127\.0\.0\.1",\d+\]$/);
  assertEquals(lines.slice(1), [
    "User-agent: curl/7.88.1",
    "Path: /",
    "Form data:",
    "\tname=dhellmann",
    "\tfoo=bar",
    '\tUploaded datafile as "BaseHTTPServer_GET.py" (2222 bytes)',
    "",
  ]);
});

Deno.test("post_form example parses a urlencoded form", async () => {
  await using s = startServer(QuietPost);
  const res = await fetch(`http://127.0.0.1:${s.port}/submit`, {
    method: "POST",
    body: new URLSearchParams({ a: "1", b: "é & ü" }),
  });
  const text = await res.text();
  assert(text.includes("Path: /submit\nForm data:\n\ta=1\n\tb=é & ü\n"), text);
});

Deno.test("post_form example parses a chunked multipart upload", async () => {
  await using s = startServer(QuietPost);
  const body =
    "--XX\r\nContent-Disposition: form-data; name=f; filename=a.txt\r\n" +
    "\r\nhello\r\n--XX--\r\n";
  const half = Math.floor(body.length / 2);
  const chunked = [body.slice(0, half), body.slice(half)]
    .map((c) => `${c.length.toString(16)}\r\n${c}\r\n`).join("") + "0\r\n\r\n";
  const res = await request(
    s.port,
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" +
      "Content-Type: multipart/form-data; boundary=XX\r\n\r\n" + chunked,
  );
  assertEquals(res.status, 200);
  assert(
    decoder.decode(res.body).endsWith('\tUploaded f as "a.txt" (5 bytes)\n'),
  );
});

Deno.test("post_form example answers 400 to a body that is not the declared form", async () => {
  await using s = startServer(QuietPost);
  const res = await request(
    s.port,
    "POST / HTTP/1.0\r\nContent-Type: multipart/form-data; boundary=XX\r\n" +
      "Content-Length: 7\r\n\r\ngarbage",
  );
  assertEquals(res.statusLine, "HTTP/1.0 400 Cannot parse the form data");
  const none = await request(
    s.port,
    "POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc",
  );
  assertEquals(none.status, 400);
});

Deno.test("post_form example answers 413 to a form over maxFormBytes", async () => {
  class Small extends QuietPost {
    override maxFormBytes = 1000;
  }
  await using s = startServer(Small);
  const res = await fetch(`http://127.0.0.1:${s.port}/`, {
    method: "POST",
    body: new URLSearchParams({ big: "x".repeat(5000) }),
  });
  assertEquals(res.status, 413);
  await res.body?.cancel();
  const ok = await fetch(`http://127.0.0.1:${s.port}/`, {
    method: "POST",
    body: new URLSearchParams({ small: "x".repeat(900) }),
  });
  assertEquals(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("threading example answers a second client while the first is mid-request", async () => {
  await using s = startServer(QuietThreading);
  using first = await RawClient.connect(s.port);
  await first.send("GET / HTTP/1.0\r\n");
  // The first connection's head is unfinished; another client is served.
  const second = await request(s.port, "GET / HTTP/1.0\r\n\r\n");
  const secondName = second.text;
  assertMatch(secondName, /^Connection-\d+\n$/);
  await first.send("\r\n");
  const firstName = (await first.read()).text;
  assertMatch(firstName, /^Connection-\d+\n$/);
  assert(
    parseInt(firstName.slice(11)) < parseInt(secondName.slice(11)),
    `${firstName} was accepted before ${secondName}`,
  );
});

Deno.test("error_404 example answers every GET with Python's 404 page", async () => {
  await using s = startServer(QuietError);
  const res = await request(s.port, "GET /anything HTTP/1.0\r\n\r\n");
  assertEquals(res.statusLine, "HTTP/1.0 404 Not Found");
  assertEquals(res.headers.map(([n]) => n), [
    "Server",
    "Date",
    "Connection",
    "Content-Type",
    "Content-Length",
  ]);
  assertEquals(header(res, "Connection"), "close");
  assertEquals(header(res, "Content-Type"), "text/html;charset=utf-8");
  const body = decoder.decode(res.body);
  assert(body.includes("<p>Error code: 404</p>"), body);
  assert(body.includes("<p>Message: Not Found.</p>"), body);
  assert(body.includes("404 - Nothing matches the given URI."), body);
});

Deno.test("last_modified example sends Last-Modified with the current time", async () => {
  await using s = startServer(QuietLastModified);
  const before = Math.floor(Date.now() / 1000) * 1000;
  const res = await request(s.port, "GET / HTTP/1.0\r\n\r\n");
  const after = Date.now();
  assertEquals(res.statusLine, "HTTP/1.0 200 OK");
  const lastModified = header(res, "Last-Modified")!;
  assertMatch(
    lastModified,
    /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/,
  );
  const when = Date.parse(lastModified);
  assert(when >= before && when <= after, `${lastModified} is now`);
  assertEquals(decoder.decode(res.body), "Response body\n");
});

Deno.test("handle_request_loop example serves one connection at a time until /quit", async () => {
  let server: HTTPServer | undefined;
  const loop = runWhileTrue(
    ["127.0.0.1", 0],
    QuietQuit,
    keepRunning,
    (httpd) => {
      server = httpd;
    },
  );
  const port = server!.serverPort;
  const hello = await request(port, "GET / HTTP/1.0\r\n\r\n");
  assertEquals(decoder.decode(hello.body), "Hello\n");
  assert(keepRunning());
  const bye = await request(port, "GET /quit HTTP/1.0\r\n\r\n");
  assertEquals(decoder.decode(bye.body), "Bye\n");
  await withTimeout(loop, "the loop to end after /quit");
  assertEquals(keepRunning(), false);
  assertEquals(server!.socket !== null, true);
  // The listener is closed: a new client is refused.
  await Deno.connect({ hostname: "127.0.0.1", port }).then(
    (c) => {
      c.close();
      throw new Error("the listener still accepts");
    },
    (error) => assert(error instanceof Deno.errors.ConnectionRefused),
  );
});

Deno.test("json_api example creates, lists, reads and deletes items on one keep-alive connection", async () => {
  const store = new Map<number, Item>();
  class Api extends JsonApiHandler {
    override store = store;
    override logMessage(): void {}
  }
  await using s = startServer(Api);
  using client = await RawClient.connect(s.port);
  const send = async (head: string, body = "") => {
    await client.send(
      `${head} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${encoder.encode(body).length}\r\n\r\n${body}`,
    );
    const res = await client.read({ head: head.startsWith("HEAD") });
    return { res, json: res.text ? JSON.parse(res.text) : undefined };
  };
  const created = await send("POST /items", '{"title":"Milk"}');
  assertEquals(created.res.statusLine, "HTTP/1.1 201 Created");
  assertEquals(header(created.res, "Location"), "/items/1");
  assertEquals(header(created.res, "Content-Type"), "application/json");
  assertEquals(created.json, { id: 1, title: "Milk" });
  await send("POST /items/", '{"title":"Eggs"}');
  assertEquals((await send("GET /items")).json, [
    { id: 1, title: "Milk" },
    { id: 2, title: "Eggs" },
  ]);
  assertEquals((await send("GET /items/2")).json, { id: 2, title: "Eggs" });
  const deleted = await send("DELETE /items/1");
  assertEquals(deleted.res.status, 204);
  assertEquals((await send("GET /items/1")).res.status, 404);
  assertEquals((await send("DELETE /items/1")).json, { error: "Not found" });
  assertEquals((await send("GET /nothing")).res.status, 404);
  assertEquals((await send("POST /items", "{bad")).res.status, 400);
  assertEquals((await send("POST /items", '{"title":""}')).res.status, 422);
  assertEquals((await send("POST /items", "null")).res.status, 422);
  assertEquals((await send("POST /other", "{}")).res.status, 404);
  assertEquals([...store.values()], [{ id: 2, title: "Eggs" }]);
  // Every answer so far came over the same connection.
  assertEquals(
    header((await send("GET /items")).res, "Connection"),
    undefined,
  );
});

Deno.test("json_api example refuses other content types with 415 and big bodies with 413", async () => {
  class Api extends JsonApiHandler {
    override store = new Map<number, Item>();
    override maxBodyBytes = 100;
    override logMessage(): void {}
  }
  await using s = startServer(Api);
  const url = `http://127.0.0.1:${s.port}/items`;
  const form = await fetch(url, { method: "POST", body: "title=x" });
  assertEquals(form.status, 415);
  assertEquals(await form.json(), { error: "Send application/json" });
  const big = await request(
    s.port,
    "POST /items HTTP/1.1\r\nContent-Type: application/json\r\n" +
      `Content-Length: 200\r\n\r\n${
        JSON.stringify({ title: "x".repeat(180) })
      }`,
  );
  assertEquals(big.statusLine, "HTTP/1.1 413 Content Too Large");
  assertEquals(header(big, "Connection"), "close");
});

Deno.test("stream example sends 8 MiB with Content-Length, byte for byte", async () => {
  await using s = startServer(QuietStream);
  const res = await fetch(`http://127.0.0.1:${s.port}/bytes?mib=8`);
  assertEquals(res.headers.get("Content-Length"), String(8 * 1024 * 1024));
  let offset = 0;
  for await (const chunk of res.body!) {
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== (offset + i) % 256) {
        throw new Error(`Byte ${offset + i} is ${chunk[i]}`);
      }
    }
    offset += chunk.length;
  }
  assertEquals(offset, 8 * 1024 * 1024);
});

Deno.test("stream example sends chunked lines to HTTP/1.1 clients and reads-to-close to HTTP/1.0", async () => {
  await using s = startServer(QuietStream);
  const res = await fetch(`http://127.0.0.1:${s.port}/lines?count=50000`);
  const lines = (await res.text()).split("\n");
  assertEquals(lines.length, 50001);
  assertEquals(lines[0], "line 1");
  assertEquals(lines[49999], "line 50000");
  const raw = await readUntilClose(
    s.port,
    "GET /lines?count=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  );
  assert(raw.includes("Transfer-Encoding: chunked\r\n"), raw);
  assert(
    raw.endsWith("\r\n\r\n15\r\nline 1\nline 2\nline 3\n\r\n0\r\n\r\n"),
    raw,
  );
  const old = await readUntilClose(
    s.port,
    "GET /lines?count=3 HTTP/1.0\r\n\r\n",
  );
  assert(!old.includes("Transfer-Encoding"), old);
  assert(old.endsWith("\r\n\r\nline 1\nline 2\nline 3\n"), old);
  const missing = await request(s.port, "GET /nothing HTTP/1.0\r\n\r\n");
  assertEquals(missing.status, 404);
});

Deno.test("stream example keeps serving after a client hangs up mid-stream", async () => {
  await using s = startServer(QuietStream);
  {
    using client = await RawClient.connect(s.port);
    await client.send("GET /bytes?mib=256 HTTP/1.1\r\nHost: x\r\n\r\n");
    await client.receive(1024 * 1024);
  }
  const next = await fetch(`http://127.0.0.1:${s.port}/lines?count=2`);
  assertEquals(await next.text(), "line 1\nline 2\n");
  assertEquals(s.errors, [], "a hang-up is not a handler error");
});

Deno.test("https example answers over TLS with a certificate the client trusts", async () => {
  class Quiet extends HelloHandler {
    override logMessage(): void {}
  }
  const tls = new URL(TLS, ROOT).pathname;
  const server = new HTTPSServer(["127.0.0.1", 0], Quiet, {
    certfile: tls + "cert.pem",
    keyfile: tls + "key.pem",
  });
  const serving = server.serveForever();
  const client = Deno.createHttpClient({
    caCerts: [await Deno.readTextFile(tls + "ca.pem")],
  });
  try {
    const res = await fetch(`https://localhost:${server.serverPort}/a`, {
      client,
    });
    assertEquals(await res.text(), "Hello over https from /a\n");
    const again = await fetch(`https://localhost:${server.serverPort}/b`, {
      client,
    });
    assertEquals(await again.text(), "Hello over https from /b\n");
  } finally {
    client.close();
    await withTimeout(server.shutdown(), "HTTPS server shutdown");
    await serving;
    server.serverClose();
  }
});

Deno.test("cgi example runs cgi-bin/hello.sh with the request in its environment and body on stdin", async () => {
  class Quiet extends CgiHandler {
    override logMessage(): void {}
  }
  await using s = startServer(Quiet);
  const get = await request(
    s.port,
    "GET /cgi-bin/hello.sh/extra/path?name=value HTTP/1.0\r\n\r\n",
  );
  assertEquals(get.statusLine, "HTTP/1.0 200 Script output follows");
  assertEquals(header(get, "Content-Type"), "text/plain; charset=utf-8");
  assertEquals(
    decoder.decode(get.body),
    "Hello from CGI\nREQUEST_METHOD=GET\nSCRIPT_NAME=/cgi-bin/hello.sh\n" +
      "PATH_INFO=/extra/path\nQUERY_STRING=name=value\n",
  );
  const post = await fetch(`http://127.0.0.1:${s.port}/cgi-bin/hello.sh`, {
    method: "POST",
    body: "posted=data",
  });
  assert((await post.text()).endsWith("QUERY_STRING=\nBODY=posted=data\n"));
  // Outside cgi-bin the folder is served as files.
  const file = await fetch(`http://127.0.0.1:${s.port}/cgi.ts`);
  assert(
    (await file.text()).includes("class Handler extends CGIHTTPRequestHandler"),
  );
  const listing = await fetch(`http://127.0.0.1:${s.port}/cgi-bin/`);
  assertEquals(listing.status, 403);
  await listing.body?.cancel();
});

// Each script, started as its doc says, prints the tutorial's banner and serves.
interface Script {
  file: string;
  path: string;
  expect: string;
  args?: string[];
  post?: boolean;
}
const scripts: Script[] = [
  { file: "get_echo.ts", path: "/?foo=bar", expect: "query=foo=bar" },
  { file: "post_form.ts", path: "/", expect: "\tk=v\n", post: true },
  { file: "threading.ts", path: "/", expect: "Connection-1\n" },
  { file: "error_404.ts", path: "/", expect: "Error code: 404" },
  { file: "last_modified.ts", path: "/", expect: "Response body\n" },
  { file: "handle_request_loop.ts", path: "/quit", expect: "Bye\n" },
  { file: "json_api.ts", path: "/items", expect: "[]\n" },
  { file: "stream.ts", path: "/lines?count=1", expect: "line 1\n" },
  {
    file: "https.ts",
    path: "/secure",
    expect: "Hello over https from /secure\n",
    args: [
      "--allow-read",
      `examples/https.ts`,
      TLS + "cert.pem",
      TLS + "key.pem",
    ],
  },
  {
    file: "cgi.ts",
    path: "/cgi-bin/hello.sh?x=1",
    expect: "Hello from CGI\nREQUEST_METHOD=GET\n",
    args: [
      "--allow-read=examples",
      "--allow-run=examples/cgi-bin/hello.sh",
      "examples/cgi.ts",
    ],
  },
];
for (const { file, path, expect, args, post } of scripts) {
  Deno.test(`examples/${file} runs as documented and prints the tutorial banner`, async () => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net", ...(args ?? [`examples/${file}`]), "0"],
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const client = Deno.createHttpClient({
      caCerts: [await Deno.readTextFile(new URL(TLS + "ca.pem", ROOT))],
    });
    let out = "";
    try {
      while (!/Serving on (\S+)\n/.test(out)) {
        const { value, done } = await withTimeout(
          lines.read(),
          `${file} to print its address`,
        );
        if (done) throw new Error(`${file} exited early: ${await stderr}`);
        out += value;
      }
      assert(out.startsWith("Starting server, use <Ctrl-C> to stop\n"), out);
      const url = new URL(out.match(/Serving on (\S+)\n/)![1]!);
      const res = await withTimeout(
        fetch(new URL(path, url), {
          client,
          method: post ? "POST" : "GET",
          body: post ? new URLSearchParams({ k: "v" }) : undefined,
        }),
        `${file} to answer`,
      );
      const text = await res.text();
      assert(text.includes(expect), text);
      if (file === "handle_request_loop.ts") {
        const status = await withTimeout(
          child.status,
          "the loop to exit after /quit",
        );
        assertEquals(status.code, 0);
      }
    } finally {
      client.close();
      try {
        child.kill("SIGTERM");
      } catch { /* already exited */ }
      await lines.cancel();
      await child.status;
      await stderr;
    }
    assertMatch(
      await stderr,
      /^127\.0\.0\.1 - - \[[^\]]+\] "(GET|POST) \S+ HTTP\/1\.1" \d{3} -$/m,
    );
  });
}
