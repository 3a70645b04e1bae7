// Copyright 2026 the httpserver authors. MIT license.
// Hardening: request smuggling and message framing (RFC 9112). Each
// ambiguous or malformed request is refused with 400 (501 for an unknown
// transfer coding), the response says `Connection: close`, the server closes,
// and a request pipelined behind the bad one is never served.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { startServer } from "./_util.ts";
import { ProbeHandler } from "./_hardening.ts";
import { countResponses, exchange, headOf, statusOf } from "./_raw_client.ts";
import { latin1Encode } from "../_text.ts";

/** Appended to every bad request: must never get an answer. */
const SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

async function expectRefused(
  port: number,
  what: string,
  req: string,
  code: number,
  reason?: string,
): Promise<void> {
  // Every request byte is one character (Latin-1), as on the wire.
  const res = await exchange(port, latin1Encode(req + SMUGGLED), {
    deadline: 5000,
  });
  strictEqual(statusOf(res.text), code, `${what}: ${res.text.slice(0, 80)}`);
  if (reason !== undefined) {
    ok(
      res.text.startsWith(`HTTP/1.1 ${code} ${reason}\r\n`),
      `${what}: ${res.text.slice(0, 80)}`,
    );
  }
  ok(
    headOf(res.text).includes("\r\nConnection: close\r\n"),
    `${what}: the refusal says Connection: close`,
  );
  strictEqual(countResponses(res.text), 1, `${what}: one response only`);
  ok(!res.text.includes("/smuggled"), `${what}: nothing smuggled through`);
  ok(res.closed && !res.timedOut, `${what}: the server closed`);
}

async function expectServed(
  port: number,
  what: string,
  req: string,
  body: string,
): Promise<void> {
  const res = await exchange(port, latin1Encode(req), {
    deadline: 5000,
    until: (text) => text.endsWith(body),
  });
  strictEqual(statusOf(res.text), 200, `${what}: ${res.text.slice(0, 80)}`);
  ok(
    res.text.endsWith(body),
    `${what}: ${JSON.stringify(res.text.slice(-80))}`,
  );
}

Deno.test("BaseHTTPRequestHandler refuses Content-Length together with Transfer-Encoding", async () => {
  await using s = startServer(ProbeHandler);
  for (
    const [what, head] of [
      ["CL then TE", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"],
      ["TE then CL", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"],
      ["CL 0 with TE", "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n"],
      [
        "TE identity with CL",
        "Transfer-Encoding: identity\r\nContent-Length: 5\r\n",
      ],
    ]
  ) {
    await expectRefused(
      s.port,
      what!,
      `POST / HTTP/1.1\r\n${head}\r\n0\r\n\r\n`,
      400,
      "Content-Length with Transfer-Encoding",
    );
  }
});

Deno.test("BaseHTTPRequestHandler refuses differing or malformed Content-Length values", async () => {
  await using s = startServer(ProbeHandler);
  const bad = [
    ["two different headers", "Content-Length: 5\r\nContent-Length: 6\r\n"],
    ["a list of different values", "Content-Length: 5, 6\r\n"],
    ["negative", "Content-Length: -1\r\n"],
    ["signed", "Content-Length: +5\r\n"],
    ["hexadecimal", "Content-Length: 0x5\r\n"],
    ["decimal point", "Content-Length: 5.0\r\n"],
    ["exponent", "Content-Length: 5e0\r\n"],
    ["inner space", "Content-Length: 5 5\r\n"],
    ["empty", "Content-Length: \r\n"],
    ["empty list item", "Content-Length: 5,\r\n"],
    ["vertical tab before", "Content-Length: \x0b5\r\n"],
    ["form feed after", "Content-Length: 5\x0c\r\n"],
    ["no-break space", "Content-Length: 5\xa0\r\n"],
    ["too many digits", "Content-Length: 1234567890123456\r\n"],
    ["not a number", "Content-Length: five\r\n"],
  ];
  for (const [what, head] of bad) {
    await expectRefused(
      s.port,
      what!,
      `POST / HTTP/1.1\r\n${head}\r\nhello`,
      400,
      "Bad Content-Length",
    );
  }
  // Repeats of one value are one length (RFC 9112 section 6.3).
  await expectServed(
    s.port,
    "repeated equal values",
    "POST / HTTP/1.1\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\nhello",
    "length 5\n",
  );
  await expectServed(
    s.port,
    "optional whitespace",
    "POST / HTTP/1.1\r\nContent-Length: \t5 \r\n\r\nhello",
    "length 5\n",
  );
});

Deno.test("BaseHTTPRequestHandler accepts only a single, final chunked transfer coding", async () => {
  await using s = startServer(ProbeHandler);
  const body = "5\r\nhello\r\n0\r\n\r\n";
  for (
    const [what, te, code] of [
      ["chunked not final", "chunked, gzip", 400],
      ["identity", "identity", 400],
      ["gzip alone", "gzip", 400],
      ["chunked twice", "chunked, chunked", 400],
      [
        "chunked twice in two fields",
        "chunked\r\nTransfer-Encoding: chunked",
        400,
      ],
      ["vertical tab", "\x0bchunked", 400],
      ["no-break space", "chunked\xa0", 400],
      ["misspelt", "chunke", 400],
      ["empty", "", 400],
      ["gzip then chunked", "gzip, chunked", 501],
      ["unknown then chunked", "x-smuggle, chunked", 501],
    ] as const
  ) {
    await expectRefused(
      s.port,
      what,
      `POST / HTTP/1.1\r\nTransfer-Encoding: ${te}\r\n\r\n${body}`,
      code,
    );
  }
  await expectServed(
    s.port,
    "chunked, any case",
    `POST / HTTP/1.1\r\nTransfer-Encoding: ChUnKeD\r\n\r\n${body}`,
    "length 5\n",
  );
  await expectServed(
    s.port,
    "split across two fields, chunked last",
    `POST / HTTP/1.1\r\nTransfer-Encoding: \r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
    "length 5\n",
  );
});

Deno.test("BaseHTTPRequestHandler closes after an HTTP/1.0 request with Transfer-Encoding", async () => {
  await using s = startServer(ProbeHandler);
  const res = await exchange(
    s.port,
    "POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "5\r\nhello\r\n0\r\n\r\n" + SMUGGLED,
    { deadline: 5000 },
  );
  strictEqual(statusOf(res.text), 200);
  ok(res.text.endsWith("length 5\n"));
  ok(headOf(res.text).includes("\r\nConnection: close\r\n"));
  strictEqual(countResponses(res.text), 1, "the pipelined request is not read");
  ok(res.closed && !res.timedOut);
});

Deno.test("BaseHTTPRequestHandler refuses malformed chunk sizes and overlong extensions", async () => {
  await using s = startServer(ProbeHandler);
  const bad: [string, string][] = [
    ["not hex", "x\r\nhello\r\n0\r\n\r\n"],
    ["negative", "-5\r\nhello\r\n0\r\n\r\n"],
    ["0x prefix", "0x5\r\nhello\r\n0\r\n\r\n"],
    ["leading space", " 5\r\nhello\r\n0\r\n\r\n"],
    ["two numbers", "5 5\r\nhello\r\n0\r\n\r\n"],
    ["empty size", "\r\nhello\r\n0\r\n\r\n"],
    ["13 hex digits", "1000000000000\r\nhello\r\n0\r\n\r\n"],
    ["extension over 4 KiB", `5;${"e".repeat(5000)}\r\nhello\r\n0\r\n\r\n`],
    ["size line without LF", `5${"0".repeat(5000)}`],
    ["data longer than the size", "5\r\nhelloXX\r\n0\r\n\r\n"],
    ["no CRLF after data", "5\r\nhello0\r\n\r\n"],
    ["101 trailers", `5\r\nhello\r\n0\r\n${"T: x\r\n".repeat(101)}\r\n`],
  ];
  for (const [what, body] of bad) {
    await expectRefused(
      s.port,
      what,
      `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
      400,
      "Bad chunked encoding",
    );
  }
  // Extensions and trailers within bounds are read past.
  await expectServed(
    s.port,
    "extensions and trailers",
    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
      '5;name=value;q="x y"\r\nhello\r\n6 ; ext\r\n world\r\n0\r\nT: x\r\n\r\n',
    "length 11\n",
  );
});

Deno.test("BaseHTTPRequestHandler answers a truncated body with 400 and closes", async () => {
  await using s = startServer(ProbeHandler);
  for (
    const [what, req] of [
      ["Content-Length", "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nhello"],
      [
        "chunked",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
      ],
    ]
  ) {
    const res = await exchange(s.port, req!, {
      closeWrite: true,
      deadline: 5000,
    });
    strictEqual(statusOf(res.text), 400, `${what}: ${res.text.slice(0, 60)}`);
    ok(headOf(res.text).includes("\r\nConnection: close\r\n"));
    ok(res.closed && !res.timedOut);
  }
});

Deno.test("BaseHTTPRequestHandler refuses whitespace between a header name and its colon", async () => {
  await using s = startServer(ProbeHandler);
  for (
    const [what, line] of [
      ["space", "Content-Length : 5"],
      ["tab", "Content-Length\t: 5"],
      ["space in the name", "Content Length: 5"],
      ["leading space on the first line", " Content-Length: 5"],
      ["empty name", ": 5"],
      ["no colon", "Content-Length 5"],
    ]
  ) {
    await expectRefused(
      s.port,
      what!,
      `POST / HTTP/1.1\r\n${line}\r\n\r\nhello`,
      400,
    );
  }
});

Deno.test("BaseHTTPRequestHandler refuses CR, LF and NUL inside header names and values", async () => {
  await using s = startServer(ProbeHandler);
  for (
    const [what, line] of [
      ["CR in a value", "X-A: one\rTransfer-Encoding: chunked"],
      ["NUL in a value", "X-A: one\0two"],
      ["NUL in a name", "X-\0A: one"],
      ["CR in a name", "X-\rA: one"],
      ["CR at the end of a name", "X-A\r: one"],
      ["bare CR line ending", "X-A: one\r\rX-B: two"],
      ["CR in a folded line", "X-A: one\r\n two\rthree"],
      ["NUL in a folded line", "X-A: one\r\n two\0"],
      ["non-token name", "X<A>: one"],
      ["DEL in a name", "X-\x7fA: one"],
      ["Latin-1 in a name", "X-\xe9: one"],
    ]
  ) {
    await expectRefused(
      s.port,
      what!,
      `GET / HTTP/1.1\r\n${line}\r\n\r\n`,
      400,
    );
  }
});

Deno.test("BaseHTTPRequestHandler replaces obsolete line folding with one space", async () => {
  await using s = startServer(ProbeHandler);
  const res = await exchange(
    s.port,
    "GET / HTTP/1.1\r\nX-Fold: one\r\n two\r\n\t three \r\nConnection: close\r\n\r\n",
    { deadline: 5000 },
  );
  strictEqual(statusOf(res.text), 200);
  const seen = JSON.parse(res.text.slice(res.text.indexOf("\r\n\r\n") + 4));
  deepStrictEqual(seen.headers, [
    ["X-Fold", "one two three"],
    ["Connection", "close"],
  ]);
  for (const [, value] of seen.headers as [string, string][]) {
    ok(
      !/[\r\n\t]/.test(value),
      `no CR, LF or TAB reaches the handler: ${value}`,
    );
  }
});

Deno.test("BaseHTTPRequestHandler never turns a folded line into a framing header", async () => {
  await using s = startServer(ProbeHandler);
  // The fold belongs to X-A: the body is framed by Content-Length alone.
  const res = await exchange(
    s.port,
    "POST / HTTP/1.1\r\nContent-Length: 5\r\nX-A: one\r\n Transfer-Encoding: chunked\r\n" +
      "Connection: close\r\n\r\nhello",
    { deadline: 5000 },
  );
  strictEqual(statusOf(res.text), 200);
  ok(res.text.endsWith("length 5\n"));
  // A fold on the first header line has nothing to continue.
  await expectRefused(
    s.port,
    "fold first",
    "POST / HTTP/1.1\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    400,
  );
});

Deno.test("BaseHTTPRequestHandler closes after every refusal, whatever the client asked", async () => {
  class Versioned extends ProbeHandler {
    // As CPython's tests do: early errors get a status line too.
    override defaultRequestVersion = "HTTP/1.1";
  }
  await using s = startServer(Versioned);
  const refusals = [
    "POST / HTTP/1.1\r\nConnection: keep-alive\r\nContent-Length: x\r\n\r\n",
    "GET / HTTP/1.1\r\nConnection: keep-alive\r\nBad Header: x\r\n\r\n",
    "BREW / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n",
    "GET / HTTP/1.1 extra\r\nConnection: keep-alive\r\n\r\n",
    "GET / HTTP/9.9\r\nConnection: keep-alive\r\n\r\n",
  ];
  for (const req of refusals) {
    const res = await exchange(s.port, req + SMUGGLED, { deadline: 5000 });
    ok(statusOf(res.text) >= 400, res.text.slice(0, 60));
    ok(headOf(res.text).includes("\r\nConnection: close\r\n"), req);
    strictEqual(countResponses(res.text), 1, req);
    ok(res.closed && !res.timedOut, req);
  }
});
