// Copyright 2026 the httpserver authors. MIT license.
// Table tests of the Deno.serve engine's two translations, without sockets:
// a Request written back as the HTTP/1.1 head a handler parses
// (_engine/request_head.ts), and a handler's output parsed back into a
// status, header pairs and body bytes (_engine/output_parser.ts), fed whole
// and split at every byte.
import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  OutputError,
  OutputParser,
  type OutputSink,
} from "../_engine/output_parser.ts";
import { HTTPMessage } from "../message.ts";
import { ProtocolError } from "../_errors.ts";
import { MemoryConnection } from "../testing.ts";
import { BufReader } from "../handlers/_http1/reader.ts";
import {
  addHeaderFields,
  readHeaders,
} from "../handlers/_http1/request_head.ts";
import {
  encodeFields,
  requestParts,
  requestTarget,
} from "../_engine/request_head.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Parsed {
  status: number;
  headers: [string, string][];
  bodyless: boolean;
  body: string;
  ended: boolean;
}

/** Feeds `output` in pieces of `step` bytes (0: whole); `close` ends the output. */
function parse(output: string, step = 0, head = false, close = false): Parsed {
  const out: Parsed = {
    status: 0,
    headers: [],
    bodyless: false,
    body: "",
    ended: false,
  };
  const sink: OutputSink = {
    head(status, headers, bodyless) {
      Object.assign(out, { status, headers, bodyless });
    },
    data(chunk) {
      out.body += decoder.decode(chunk);
    },
    end() {
      out.ended = true;
    },
  };
  const parser = new OutputParser(sink, head);
  const bytes = encoder.encode(output);
  const size = step || bytes.length || 1;
  for (let at = 0; at < bytes.length; at += size) {
    parser.feed(bytes.subarray(at, at + size));
  }
  if (close) parser.finish();
  return out;
}

const OK = "HTTP/1.1 200 OK\r\n";

// deno-fmt-ignore
const CASES: [name: string, output: string, head: boolean, close: boolean, want: Partial<Parsed>][] = [
  ["length", `${OK}Server: x\r\nContent-Length: 5\r\n\r\nhello`, false, false,
    { status: 200, headers: [["Server", "x"], ["Content-Length", "5"]], body: "hello", ended: true }],
  ["bytes after the length are dropped", `${OK}Content-Length: 2\r\n\r\nhiEXTRA`, false, false,
    { body: "hi", ended: true }],
  ["zero length ends at the head", `${OK}Content-Length: 0\r\n\r\n`, false, false,
    { body: "", ended: true }],
  ["chunked, extensions and trailers", `${OK}Transfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n1\r\n!\r\n0\r\nT: 1\r\n\r\n`, false, false,
    { headers: [], body: "hello!", ended: true }],
  ["hop-by-hop fields dropped", `${OK}Connection: close\r\nKeep-Alive: 5\r\nX: 1\r\nContent-Length: 0\r\n\r\n`, false, false,
    { headers: [["X", "1"], ["Content-Length", "0"]], ended: true }],
  ["close-delimited ends at the close", `HTTP/1.0 200 OK\r\nX: 1\r\n\r\nto the end`, false, true,
    { body: "to the end", ended: true }],
  ["close-delimited waits for the close", `HTTP/1.0 200 OK\r\n\r\npartial`, false, false,
    { body: "partial", ended: false }],
  ["interim heads dropped", `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n${OK}Content-Length: 1\r\n\r\n!`, false, false,
    { status: 200, headers: [["Content-Length", "1"]], body: "!", ended: true }],
  ["HEAD has no body", `${OK}Content-Length: 99\r\n\r\n`, true, false,
    { bodyless: true, headers: [["Content-Length", "99"]], ended: true }],
  ["304 has no body", `HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n`, false, false,
    { status: 304, bodyless: true, ended: true }],
  ["bare LF line ends", `HTTP/1.0 404 Nope\nX: 1\n\nbody`, false, true,
    { status: 404, headers: [["X", "1"]], body: "body", ended: true }],
  ["folded header line joined", `${OK}X: a\r\n b\r\nContent-Length: 0\r\n\r\n`, false, false,
    { headers: [["X", "a b"], ["Content-Length", "0"]] }],
];

for (const [name, output, head, close, want] of CASES) {
  Deno.test(`The engine's output parser: ${name}, whole and split at every byte`, () => {
    for (const step of [0, 1, 2, 3, 7]) {
      const got = parse(output, step, head, close);
      for (const [key, value] of Object.entries(want)) {
        deepStrictEqual(
          got[key as keyof Parsed],
          value,
          `${key} (step ${step})`,
        );
      }
    }
  });
}

// deno-fmt-ignore
const BROKEN: [name: string, output: string, message: RegExp][] = [
  ["no status line", "hello\r\n\r\n", /does not start with an HTTP\/1 status line/],
  ["garbage, at once", "hello world", /does not start with an HTTP\/1 status line/],
  ["bad header line", `${OK}no colon here\r\n\r\n`, /bad header line/],
  ["bad chunk size", `${OK}Transfer-Encoding: chunked\r\n\r\nzz\r\n`, /bad chunk size line/],
  ["chunk overrun", `${OK}Transfer-Encoding: chunked\r\n\r\n1\r\nab\r\n`, /overruns a chunk/],
];

for (const [name, output, message] of BROKEN) {
  Deno.test(`The engine's output parser refuses ${name}`, () => {
    throws(
      () => parse(output),
      (e: unknown) => e instanceof OutputError && message.test(e.message),
    );
  });
}

Deno.test("The engine's output parser refuses a head longer than 1 MiB", () => {
  const sink: OutputSink = { head() {}, data() {}, end() {} };
  const parser = new OutputParser(sink, false);
  parser.feed(encoder.encode(OK));
  throws(() => {
    for (let i = 0; i < 1100; i++) {
      parser.feed(encoder.encode(`X-${i}: ${"v".repeat(1000)}\r\n`));
    }
  }, OutputError);
});

// deno-fmt-ignore
const TARGETS: [url: string, host: string | null, target: string][] = [
  ["http://h:1/a/../b?x=%2e%2e", "h:1", "/a/../b?x=%2e%2e"],
  ["http://h:1//etc/passwd", "h:1", "//etc/passwd"],
  ["http://evil/x?y#z/p/../q", "evil/x?y#z", "/p/../q"],
  ["http://localhost:8000/p", "", "/p"],
  ["https://h2.example/p/../q", null, "/p/../q"],
  ["http://h/", "h", "/"],
  ["http://h", "h", "/"],
];

for (const [url, host, target] of TARGETS) {
  Deno.test(`The engine recovers the request target ${JSON.stringify(target)} from ${JSON.stringify(url)}`, () => {
    strictEqual(requestTarget(url, host), target);
  });
}

Deno.test("The engine writes a request head with the body framed as the handler will read it", () => {
  const head = (req: Request) => {
    const { line, fields } = requestParts(req);
    return decoder.decode(line) + decoder.decode(encodeFields(fields));
  };
  strictEqual(
    head(
      new Request("http://h:1/x", {
        headers: { "X-B": "2", "Expect": "100-continue" },
      }),
    ),
    "GET /x HTTP/1.1\r\nhost: h:1\r\nx-b: 2\r\n\r\n",
  );
  const streamedRequest = new Request("http://h/up", {
    method: "POST",
    body: new ReadableStream(),
  });
  strictEqual(requestParts(streamedRequest).chunked, true);
  strictEqual(
    head(streamedRequest),
    "POST /up HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n\r\n",
  );
  const sizedRequest = new Request("http://h/up", {
    method: "PUT",
    body: "abc",
    headers: { "content-length": "3", host: "h" },
  });
  const sized = requestParts(sizedRequest);
  strictEqual(sized.chunked, false);
  strictEqual(sized.length, 3);
  deepStrictEqual(sized.fields, [
    ["content-length", "3"],
    ["content-type", "text/plain;charset=UTF-8"],
    ["host", "h"],
  ]);
  strictEqual(
    head(sizedRequest),
    "PUT /up HTTP/1.1\r\ncontent-length: 3\r\ncontent-type: text/plain;charset=UTF-8\r\nhost: h\r\n\r\n",
  );
});

/** What a header block gave: the fields, or the error answered. */
function outcome(run: (headers: HTTPMessage) => void | Promise<void>) {
  return async () => {
    const headers = new HTTPMessage();
    try {
      await run(headers);
      return { fields: headers.items() };
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return {
        code: error.code,
        message: error.message,
        explain: error.explain,
      };
    }
  };
}

const LIMITS = { maxLineLength: 40, maxHeaders: 4, maxHeaderBytes: 120 };
// deno-fmt-ignore
const FIELD_CASES: [name: string, fields: [string, string][], used: number][] = [
  ["fields within every limit", [["host", "h"], ["x-a", "1, 3"]], 20],
  ["a value with inner spaces", [["x-a", "a  b"]], 20],
  ["a line one byte within the line limit", [["x-long", "v".repeat(30)]], 20],
  ["a line one byte over the line limit", [["x-long", "v".repeat(31)]], 20],
  ["one field more than the count allows", [["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"], ["e", "5"]], 20],
  ["the blank line over the count", [["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]], 20],
  ["the blank line at the count", [["a", "1"], ["b", "2"], ["c", "3"]], 20],
  ["a head over the byte limit", [["x-a", "v".repeat(30)], ["x-b", "v".repeat(30)], ["x-c", "v".repeat(30)]], 20],
  ["a request line that leaves no room", [["host", "h"]], 117],
  ["a name that is not a token", [["bad name", "x"]], 20],
  ["a value with a NUL", [["x", "a\0b"]], 20],
  ["an empty name", [["", "x"]], 20],
];

for (const [name, fields, used] of FIELD_CASES) {
  Deno.test(`The engine's parsed header fields meet the limits and rules of a header block: ${name}`, async () => {
    const bytes = encodeFields(fields);
    const read = await outcome((headers) =>
      readHeaders(
        new BufReader(new MemoryConnection(bytes)),
        headers,
        LIMITS,
        used,
      )
    )();
    const added = await outcome((headers) =>
      addHeaderFields(fields, headers, LIMITS, used)
    )();
    deepStrictEqual(added, read);
  });
}
