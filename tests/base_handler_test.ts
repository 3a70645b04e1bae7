// Copyright 2026 the httpserver authors. MIT license.
// CPython's BaseHTTPRequestHandlerTestCase: a handler driven over an
// in-memory connection, without a socket.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { HTTPServer } from "../server.ts";
import { MemoryConnection, runHandler } from "../testing.ts";
import { connIO } from "../handlers/_http1/conn_io.ts";

class SocketlessRequestHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  getCalled = false;
  doGET(): Promise<void> {
    this.getCalled = true;
    this.sendResponse(200);
    this.sendHeader("Content-Type", "text/html");
    return this.endHeaders().then(() =>
      this.wfile.write("<html><body>Data</body></html>\r\n")
    );
  }
  override logMessage(): void {}
}

class RejectingSocketlessRequestHandler extends SocketlessRequestHandler {
  override async handleExpect100(): Promise<boolean> {
    await this.sendError(417);
    return false;
  }
}

const server = new HTTPServer(["127.0.0.1", 0], SocketlessRequestHandler, {
  bindAndActivate: false,
});

/** Runs one request through a fresh handler; returns its output lines (Python's readlines()). */
async function sendTypicalRequest(
  message: string | Uint8Array,
  Handler: typeof SocketlessRequestHandler = SocketlessRequestHandler,
): Promise<
  { lines: string[]; handler: SocketlessRequestHandler; conn: MemoryConnection }
> {
  const conn = new MemoryConnection(message);
  const handler = new Handler(conn, ["127.0.0.1", 1337], server);
  await handler.setup();
  await handler.handleOneRequest();
  await handler.finish();
  const text = new TextDecoder("latin1").decode(conn.output());
  const lines = text.split(/(?<=\n)/);
  return { lines, handler, conn };
}

function verifyExpectedHeaders(lines: string[]): void {
  for (const field of ["Server: ", "Date: ", "Content-Type: "]) {
    deepStrictEqual(lines.filter((h) => h.startsWith(field)).length, 1, field);
  }
}

Deno.test("BaseHTTPRequestHandler answers an HTTP/1.1 request (test_http_1_1)", async () => {
  const { lines, handler } = await sendTypicalRequest("GET / HTTP/1.1\r\n\r\n");
  match(lines[0]!, /^HTTP\/1\.[0-9]+ 200 OK/);
  verifyExpectedHeaders(lines.slice(1, -1));
  ok(handler.getCalled);
  deepStrictEqual(lines.at(-1), "<html><body>Data</body></html>\r\n");
  deepStrictEqual(handler.requestline, "GET / HTTP/1.1");
  deepStrictEqual(handler.command, "GET");
  deepStrictEqual(handler.path, "/");
  deepStrictEqual(handler.requestVersion, "HTTP/1.1");
  deepStrictEqual(handler.headers.items(), []);
});

Deno.test("BaseHTTPRequestHandler answers an HTTP/1.0 request (test_http_1_0)", async () => {
  const { lines, handler } = await sendTypicalRequest("GET / HTTP/1.0\r\n\r\n");
  match(lines[0]!, /^HTTP\/1\.[0-9]+ 200 OK/);
  verifyExpectedHeaders(lines.slice(1, -1));
  ok(handler.getCalled);
  deepStrictEqual(lines.at(-1), "<html><body>Data</body></html>\r\n");
  deepStrictEqual(handler.requestline, "GET / HTTP/1.0");
  deepStrictEqual(handler.requestVersion, "HTTP/1.0");
  deepStrictEqual(handler.headers.items(), []);
});

Deno.test("BaseHTTPRequestHandler answers HTTP/0.9 with the body only (test_http_0_9)", async () => {
  const { lines, handler } = await sendTypicalRequest("GET / HTTP/0.9\r\n\r\n");
  deepStrictEqual(lines, ["<html><body>Data</body></html>\r\n"]);
  ok(handler.getCalled);
});

Deno.test("BaseHTTPRequestHandler refuses a request line with extra spaces (test_extra_space)", async () => {
  const { lines, handler } = await sendTypicalRequest(
    "GET /spaced out HTTP/1.1\r\nHost: dummy\r\n\r\n",
  );
  ok(lines[0]!.startsWith("HTTP/1.1 400 "), lines[0]);
  verifyExpectedHeaders(lines.slice(1, lines.indexOf("\r\n")));
  strictEqual(handler.getCalled, false);
});

Deno.test("BaseHTTPRequestHandler ignores Expect: 100-continue from HTTP/1.0 (test_with_continue_1_0)", async () => {
  const { lines, handler } = await sendTypicalRequest(
    "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
  );
  match(lines[0]!, /^HTTP\/1\.[0-9]+ 200 OK/);
  verifyExpectedHeaders(lines.slice(1, -1));
  ok(handler.getCalled);
  deepStrictEqual(handler.requestVersion, "HTTP/1.0");
  deepStrictEqual(handler.headers.items(), [["Expect", "100-continue"]]);
});

Deno.test("BaseHTTPRequestHandler sends 100 Continue to HTTP/1.1 (test_with_continue_1_1)", async () => {
  const { lines, handler } = await sendTypicalRequest(
    "GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
  );
  deepStrictEqual(lines[0], "HTTP/1.1 100 Continue\r\n");
  deepStrictEqual(lines[1], "\r\n");
  deepStrictEqual(lines[2], "HTTP/1.1 200 OK\r\n");
  verifyExpectedHeaders(lines.slice(2, -1));
  ok(handler.getCalled);
  deepStrictEqual(lines.at(-1), "<html><body>Data</body></html>\r\n");
  deepStrictEqual(handler.headers.items(), [["Expect", "100-continue"]]);
});

Deno.test("BaseHTTPRequestHandler writes the 100 Continue before reading on (test_header_unbuffered_when_continue)", async () => {
  const { conn } = await sendTypicalRequest(
    "GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
  );
  // The interim response is its own write, ahead of the final response.
  deepStrictEqual(
    new TextDecoder().decode(conn.writes[0]),
    "HTTP/1.1 100 Continue\r\n\r\n",
  );
  ok(
    new TextDecoder().decode(conn.writes[1]).startsWith("HTTP/1.1 200 OK\r\n"),
  );
});

Deno.test("BaseHTTPRequestHandler lets handleExpect100() refuse (test_with_continue_rejected)", async () => {
  const { lines, handler } = await sendTypicalRequest(
    "GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
    RejectingSocketlessRequestHandler,
  );
  deepStrictEqual(lines[0], "HTTP/1.1 417 Expectation Failed\r\n");
  verifyExpectedHeaders(lines.slice(1, -1));
  strictEqual(handler.getCalled, false);
  deepStrictEqual(
    lines.slice(1, -1).filter((l) => l === "Connection: close\r\n").length,
    1,
  );
});

async function bareHandler(): Promise<
  { handler: SocketlessRequestHandler; conn: MemoryConnection }
> {
  const conn = new MemoryConnection("GET / HTTP/1.1\r\n\r\n");
  const handler = new SocketlessRequestHandler(
    conn,
    ["127.0.0.1", 1337],
    server,
  );
  await handler.setup();
  handler.requestVersion = "HTTP/1.1";
  handler.requestline = "";
  return { handler, conn };
}

Deno.test("BaseHTTPRequestHandler sends sendError() in one write, Python two (test_header_buffering_of_send_error)", async () => {
  const { handler, conn } = await bareHandler();
  await handler.sendError(418);
  await handler.finish();
  deepStrictEqual(conn.writes.length, 1);
  const text = new TextDecoder().decode(conn.writes[0]);
  ok(text.startsWith("HTTP/1.1 418 I'm a Teapot\r\n"));
  ok(text.endsWith("</html>\n"));
});

Deno.test("BaseHTTPRequestHandler buffers sendResponseOnly() until endHeaders (test_header_buffering_of_send_response_only)", async () => {
  const { handler, conn } = await bareHandler();
  handler.sendResponseOnly(418);
  deepStrictEqual(conn.writes.length, 0);
  await handler.endHeaders();
  await connIO(handler).out!.flush();
  deepStrictEqual(conn.writes.length, 1);
});

Deno.test("BaseHTTPRequestHandler buffers sendHeader() and keeps case (test_header_buffering_of_send_header)", async () => {
  const { handler, conn } = await bareHandler();
  handler.sendHeader("Foo", "foo");
  handler.sendHeader("bar", "bar");
  deepStrictEqual(conn.writes.length, 0);
  await handler.endHeaders();
  await connIO(handler).out!.flush();
  deepStrictEqual(
    new TextDecoder().decode(conn.output()),
    "Foo: foo\r\nbar: bar\r\n\r\n",
  );
  deepStrictEqual(conn.writes.length, 1);
});

Deno.test("BaseHTTPRequestHandler answers a huge request line with 414 (test_request_length)", async () => {
  const { lines, handler } = await sendTypicalRequest(
    "GET " + "x".repeat(65537),
  );
  deepStrictEqual(lines[0], "HTTP/1.1 414 URI Too Long\r\n");
  strictEqual(handler.getCalled, false);
  deepStrictEqual(typeof handler.requestline, "string");
});

Deno.test("BaseHTTPRequestHandler answers a huge header line with 431 (test_header_length)", async () => {
  const { lines, handler } = await sendTypicalRequest(
    "GET / HTTP/1.1\r\nX-Foo: bar" + "r".repeat(65537) + "\r\n\r\n",
  );
  deepStrictEqual(lines[0], "HTTP/1.1 431 Line too long\r\n");
  strictEqual(handler.getCalled, false);
  deepStrictEqual(handler.requestline, "GET / HTTP/1.1");
});

Deno.test("BaseHTTPRequestHandler answers 101 headers with 431 (test_too_many_headers)", async () => {
  const { lines, handler } = await sendTypicalRequest(
    "GET / HTTP/1.1\r\n" + "X-Foo: bar\r\n".repeat(101) + "\r\n",
  );
  deepStrictEqual(lines[0], "HTTP/1.1 431 Too many headers\r\n");
  strictEqual(handler.getCalled, false);
  deepStrictEqual(handler.requestline, "GET / HTTP/1.1");
});

Deno.test("BaseHTTPRequestHandler accepts 99 headers and refuses 100", async () => {
  const ok = await sendTypicalRequest(
    "GET / HTTP/1.1\r\n" + "X-Foo: bar\r\n".repeat(99) + "\r\n",
  );
  deepStrictEqual(ok.lines[0], "HTTP/1.1 200 OK\r\n");
  const bad = await sendTypicalRequest(
    "GET / HTTP/1.1\r\n" + "X-Foo: bar\r\n".repeat(100) + "\r\n",
  );
  deepStrictEqual(bad.lines[0], "HTTP/1.1 431 Too many headers\r\n");
});

Deno.test("BaseHTTPRequestHandler escapes HTML in error pages (test_html_escape_on_error)", async () => {
  const { lines } = await sendTypicalRequest(
    '<script>alert("hello")</script> / HTTP/1.1',
  );
  const text = lines.join("");
  ok(text.includes('&lt;script&gt;alert("hello")&lt;/script&gt;'));
  strictEqual(
    text.includes("<p>Message: Unsupported method ('<script>"),
    false,
  );
});

Deno.test("BaseHTTPRequestHandler.handle() loops until closeConnection (test_close_connection)", async () => {
  for (const values of [[true], [false, false, true]]) {
    const { handler } = await bareHandler();
    const queue = [...values];
    handler.handleOneRequest = () => {
      handler.closeConnection = queue.shift()!;
      return Promise.resolve();
    };
    await handler.handle();
    deepStrictEqual(queue.length, 0);
  }
});

Deno.test("BaseHTTPRequestHandler.dateTimeString() formats IMF-fixdate (test_date_time_string)", async () => {
  const { handler } = await bareHandler();
  const now = Date.now();
  const d = new Date(now);
  const days = "Sun Mon Tue Wed Thu Fri Sat".split(" ");
  const months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
  const p = (n: number) => String(n).padStart(2, "0");
  const expected = `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${
    months[d.getUTCMonth()]
  } ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${
    p(d.getUTCSeconds())
  } GMT`;
  deepStrictEqual(handler.dateTimeString(now), expected);
  deepStrictEqual(handler.dateTimeString(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  match(
    handler.dateTimeString(),
    /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/,
  );
});

Deno.test("BaseHTTPRequestHandler closes a persistent response that has no length", async () => {
  const conn = await runHandler(
    SocketlessRequestHandler,
    "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
  );
  const text = conn.text();
  // Without Content-Length the client can only read to EOF: say so and close.
  strictEqual(text.match(/HTTP\/1\.1 200 OK/g)?.length, 1);
  ok(text.includes("\r\nConnection: close\r\n"));
});

class StatusOnlyHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  async doGET(): Promise<void> {
    this.sendResponse(Number(this.path.slice(1)));
    await this.endHeaders();
  }
  override logMessage(): void {}
}

Deno.test("BaseHTTPRequestHandler keeps 204 and 304 alive without a length but closes a 205", async () => {
  // 204 and 304 end at their head (RFC 9112 section 6.3); a 205 without
  // Content-Length is read to EOF, so the server must close after it.
  for (const [code, alive] of [[204, true], [304, true], [205, false]]) {
    const conn = await runHandler(
      StatusOnlyHandler,
      `GET /${code} HTTP/1.1\r\n\r\nGET /204 HTTP/1.1\r\n\r\n`,
    );
    const text = conn.text();
    strictEqual(text.match(/^HTTP\/1\.1 /gm)?.length, alive ? 2 : 1, text);
    strictEqual(text.includes("\r\nConnection: close\r\n"), !alive, text);
  }
});

class LengthHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  async doGET(): Promise<void> {
    const body = `path=${this.path}\n`;
    this.sendResponse(200);
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    await this.wfile.write(body);
  }
  override logMessage(): void {}
}

Deno.test("BaseHTTPRequestHandler keeps a connection alive across requests in memory", async () => {
  const conn = await runHandler(
    LengthHandler,
    "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n",
  );
  const text = conn.text();
  strictEqual(text.match(/HTTP\/1\.1 200 OK/g)?.length, 2);
  ok(text.includes("path=/a\n") && text.endsWith("path=/b\n"));
  strictEqual(text.match(/Connection: close/g)?.length, 1);
  // One write per response: head and body together.
  strictEqual(conn.writes.length, 2);
});
