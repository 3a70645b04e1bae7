// Copyright 2026 the httpserver authors. MIT license.
// CPython's BaseHTTPServerTestCase and HTTP09ServerTestCase, over real sockets.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { latin1Encode } from "../_text.ts";
import { startServer } from "./_util.ts";
import { header, RawClient, readUntilClose, request } from "./_raw_client.ts";

class RequestHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override defaultRequestVersion = "HTTP/1.1";
  override logMessage(): void {}

  async doTEST(): Promise<void> {
    this.sendResponse(204);
    this.sendHeader("Content-Type", "text/html");
    this.sendHeader("Connection", "close");
    await this.endHeaders();
  }
  async doKEEP(): Promise<void> {
    this.sendResponse(204);
    this.sendHeader("Content-Type", "text/html");
    this.sendHeader("Connection", "keep-alive");
    await this.endHeaders();
  }
  async doKEYERROR(): Promise<void> {
    await this.sendError(999);
  }
  async doNOTFOUND(): Promise<void> {
    await this.sendError(404);
  }
  async doEXPLAINERROR(): Promise<void> {
    await this.sendError(999, "Short Message", "This is a long \n explanation");
  }
  async doCUSTOM(): Promise<void> {
    this.sendResponse(999);
    this.sendHeader("Content-Type", "text/html");
    this.sendHeader("Connection", "close");
    await this.endHeaders();
  }
  async doLATINONEHEADER(): Promise<void> {
    this.sendResponse(999);
    this.sendHeader("X-Special", "Dängerous Mind");
    this.sendHeader("Connection", "close");
    await this.endHeaders();
    await this.wfile.write(this.headers.get("x-special-incoming") ?? "");
  }
  async doSEND_ERROR(): Promise<void> {
    await this.sendError(Number(this.path.slice(1)));
  }
  async doHEAD(): Promise<void> {
    await this.sendError(Number(this.path.slice(1)));
  }
}

function req(method: string, path = "/", extra = ""): string {
  return `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;
}

Deno.test("BaseHTTPRequestHandler answers a missing doGET with 501 (test_command)", async () => {
  await using s = startServer(RequestHandler);
  strictEqual((await request(s.port, req("GET"))).status, 501);
});

Deno.test("BaseHTTPRequestHandler trims the request line's extra LF (test_request_line_trimming)", async () => {
  await using s = startServer(RequestHandler);
  strictEqual((await request(s.port, "XYZBOGUS / HTTP/1.1\n\r\n")).status, 501);
});

for (
  const [name, version, code] of [
    ["test_version_bogus", "FUBAR", 400],
    ["test_version_digits", "HTTP/9.9.9", 400],
    ["test_version_signs_and_underscores", "HTTP/-9_9_9.+9_9_9", 400],
    ["test_major_version_number_too_long", "HTTP/909876543210.0", 400],
    ["test_minor_version_number_too_long", "HTTP/1.909876543210", 400],
    ["test_version_invalid", "HTTP/9.9", 505],
  ] as const
) {
  Deno.test(`BaseHTTPRequestHandler answers version ${version} with ${code} (${name})`, async () => {
    await using s = startServer(RequestHandler);
    const res = await request(s.port, `GET / ${version}\r\n\r\n`);
    strictEqual(res.status, code);
    strictEqual(header(res, "Connection"), "close");
  });
}

Deno.test("BaseHTTPRequestHandler accepts a two-word GET as HTTP/0.9 (test_version_none_get)", async () => {
  await using s = startServer(RequestHandler);
  strictEqual((await request(s.port, "GET /\r\n")).status, 501);
});

Deno.test("BaseHTTPRequestHandler refuses a two-word non-GET (test_version_none)", async () => {
  await using s = startServer(RequestHandler);
  strictEqual((await request(s.port, "CUSTOM /\r\n")).status, 400);
});

Deno.test("BaseHTTPRequestHandler refuses a blank method and version (test_send_blank)", async () => {
  await using s = startServer(RequestHandler);
  strictEqual((await request(s.port, " / \r\n\r\n")).status, 400);
});

Deno.test("BaseHTTPRequestHandler honours Connection: close (test_header_close)", async () => {
  await using s = startServer(RequestHandler);
  strictEqual(
    (await request(s.port, req("GET", "/", "Connection: close\r\n"))).status,
    501,
  );
});

Deno.test("BaseHTTPRequestHandler honours Connection: keep-alive (test_header_keep_alive)", async () => {
  await using s = startServer(RequestHandler);
  strictEqual(
    (await request(s.port, req("GET", "/", "Connection: keep-alive\r\n")))
      .status,
    501,
  );
});

Deno.test("BaseHTTPRequestHandler dispatches a custom method (test_handler)", async () => {
  await using s = startServer(RequestHandler);
  strictEqual((await request(s.port, req("TEST"))).status, 204);
});

Deno.test("BaseHTTPRequestHandler keeps the connection for KEEP (test_return_header_keep_alive)", async () => {
  await using s = startServer(RequestHandler);
  using client = await RawClient.connect(s.port);
  await client.send(req("KEEP"));
  const first = await client.read();
  strictEqual(first.status, 204);
  strictEqual(header(first, "Connection"), "keep-alive");
  await client.send(req("TEST"));
  strictEqual((await client.read()).status, 204);
});

Deno.test("BaseHTTPRequestHandler sends an unknown error code (test_internal_key_error)", async () => {
  await using s = startServer(RequestHandler);
  const res = await request(s.port, req("KEYERROR"));
  strictEqual(res.status, 999);
  strictEqual(res.statusLine, "HTTP/1.1 999 ???");
});

Deno.test("BaseHTTPRequestHandler sends a custom status (test_return_custom_status)", async () => {
  await using s = startServer(RequestHandler);
  const res = await request(s.port, req("CUSTOM"));
  strictEqual(res.status, 999);
  strictEqual(res.statusLine, "HTTP/1.1 999 ");
});

Deno.test("BaseHTTPRequestHandler sends an explained error (test_return_explain_error)", async () => {
  await using s = startServer(RequestHandler);
  const res = await request(s.port, req("EXPLAINERROR"));
  strictEqual(res.status, 999);
  ok(Number(header(res, "Content-Length")) > 0);
  ok(
    new TextDecoder().decode(res.body).includes(
      "999 - This is a long \n explanation.",
    ),
  );
});

Deno.test("BaseHTTPRequestHandler round-trips Latin-1 headers (test_latin1_header)", async () => {
  await using s = startServer(RequestHandler);
  // The request header is Latin-1 on the wire; the handler echoes it as UTF-8.
  const res = await request(
    s.port,
    latin1Encode(
      "LATINONEHEADER / HTTP/1.1\r\nX-Special-Incoming: Ärger mit Unicode\r\n\r\n",
    ),
  );
  strictEqual(header(res, "X-Special"), "Dängerous Mind");
  strictEqual(res.text, "Ärger mit Unicode");
});

Deno.test("BaseHTTPRequestHandler sends an accurate error Content-Length (test_error_content_length)", async () => {
  await using s = startServer(RequestHandler);
  const res = await request(s.port, req("NOTFOUND"));
  strictEqual(res.status, 404);
  strictEqual(Number(header(res, "Content-Length")), res.body.length);
  // 460 bytes for Simple's "File not found"; "Not Found" is five characters shorter.
  strictEqual(res.body.length, 455);
});

Deno.test("BaseHTTPRequestHandler sends no body for 1xx, 204, 205 and 304 errors (test_send_error)", async () => {
  await using s = startServer(RequestHandler);
  for (const code of [204, 304, 102, 205, 101]) {
    const text = await readUntilClose(s.port, req("SEND_ERROR", `/${code}`));
    const [head, body] = text.split("\r\n\r\n");
    ok(head!.startsWith(`HTTP/1.1 ${code} `), head);
    ok(!/content-length|content-type/i.test(head!), head);
    strictEqual(body, "");
  }
});

Deno.test("BaseHTTPRequestHandler sends HEAD error headers without a body (test_head_via_send_error)", async () => {
  await using s = startServer(RequestHandler);
  const text = await readUntilClose(s.port, req("HEAD", "/200"));
  const [head, body] = text.split("\r\n\r\n");
  ok(Number(/Content-Length: (\d+)/.exec(head!)?.[1]) > 0);
  ok(head!.includes("Content-Type: text/html;charset=utf-8"));
  strictEqual(body, "");
  for (const code of [204, 304, 205, 101]) {
    const text = await readUntilClose(s.port, req("HEAD", `/${code}`));
    const [head, body] = text.split("\r\n\r\n");
    ok(!/content-length|content-type/i.test(head!), head);
    strictEqual(body, "");
  }
});

Deno.test("BaseHTTPRequestHandler sends the error page as Python 3.14 does", async () => {
  await using s = startServer(RequestHandler);
  const text = await readUntilClose(s.port, req("NOTFOUND"));
  const [head, body] = text.split("\r\n\r\n");
  const lines = head!.split("\r\n");
  strictEqual(lines[0], "HTTP/1.1 404 Not Found");
  deepStrictEqual(lines.slice(1).map((l) => l.split(":")[0]), [
    "Server",
    "Date",
    "Connection",
    "Content-Type",
    "Content-Length",
  ]);
  match(lines[1]!, /^Server: BaseHTTP\/0\.6 Deno\/\d+\.\d+\.\d+$/);
  strictEqual(
    body,
    '<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n' +
      '        <style type="text/css">\n            :root {\n                color-scheme: light dark;\n' +
      "            }\n        </style>\n        <title>Error response</title>\n    </head>\n" +
      "    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n" +
      "        <p>Message: Not Found.</p>\n" +
      "        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n" +
      "    </body>\n</html>\n",
  );
});

class DefaultHandler extends BaseHTTPRequestHandler {
  override logMessage(): void {}
}

Deno.test("BaseHTTPRequestHandler sends only the error body before the version is known", async () => {
  await using s = startServer(DefaultHandler);
  // With defaultRequestVersion HTTP/0.9, Python sends early errors without a head.
  for (
    const line of [
      "GET / HTTP/1.x",
      "GET / HTTP/1.1.1",
      "GET / HTTP/2.0",
      "GET / http/1.0",
      "GET",
      "POST /x",
    ]
  ) {
    const text = await readUntilClose(s.port, line + "\r\n\r\n");
    ok(text.startsWith("<!DOCTYPE HTML>"), `${line}: ${text.slice(0, 40)}`);
  }
  const text = await readUntilClose(s.port, "GET / x HTTP/1.0\r\n\r\n");
  ok(
    text.startsWith("HTTP/1.0 400 Bad request syntax ('GET / x HTTP/1.0')\r\n"),
    text,
  );
});

class HTTP09Handler extends BaseHTTPRequestHandler {
  doGET(): Promise<void> {
    return this.wfile.write("<html><body>Data</body></html>\r\n");
  }
  override logMessage(): void {}
}

Deno.test("BaseHTTPRequestHandler answers an HTTP/0.9 GET at once (test_simple_get)", async () => {
  await using s = startServer(HTTP09Handler);
  // No blank line after the request line: HTTP/0.9 has no header block.
  strictEqual(
    await readUntilClose(s.port, "GET /index.html\r\n"),
    "<html><body>Data</body></html>\r\n",
  );
});

Deno.test("BaseHTTPRequestHandler refuses an HTTP/0.9 POST (test_invalid_request)", async () => {
  await using s = startServer(HTTP09Handler);
  const text = await readUntilClose(s.port, "POST /index.html\r\n");
  ok(text.includes("Bad HTTP/0.9 request type ('POST')"));
});

Deno.test("BaseHTTPRequestHandler closes after one HTTP/0.9 request (test_single_request)", async () => {
  await using s = startServer(HTTP09Handler);
  const text = await readUntilClose(
    s.port,
    "GET /index.html\r\nGET /index.html\r\n",
  );
  strictEqual(text, "<html><body>Data</body></html>\r\n");
});
