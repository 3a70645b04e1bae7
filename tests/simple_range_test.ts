// Copyright 2026 the httpserver authors. MIT license.
// Conditional and Range requests over real sockets, table-driven: RFC 9110
// order (If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since),
// 206 single and multipart, 416, If-Range, and Go's edge cases.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { requestTarget, serveFolder } from "./_simple_fixture.ts";
import { latin1Decode } from "../_text.ts";
import { formatHttpDate } from "../handlers/_http1/http_date.ts";
import { header, RawClient, type RawResponse, request } from "./_raw_client.ts";
import { SimpleHTTPRequestHandler } from "../handlers/simple.ts";
import { runHandler } from "../testing.ts";

const SMALL = "0123456789".repeat(10); // 100 bytes
const LARGE_SIZE = 300_000; // streamed from disk, not read whole
const MTIME = new Date(1_600_000_000_500); // 2020-09-13T12:26:40.500Z
const LAST_MODIFIED = formatHttpDate(1_600_000_000_000);
const EARLIER = formatHttpDate(1_600_000_000_000 - 1000);
const LATER = formatHttpDate(1_600_000_000_000 + 1000);

function largeBytes(): Uint8Array {
  const out = new Uint8Array(LARGE_SIZE);
  for (let i = 0; i < out.length; i++) out[i] = (i * 7 + (i >> 8)) & 0xff;
  return out;
}

interface Part {
  range: string;
  type: string | undefined;
  body: Uint8Array;
}

/** Splits a multipart/byteranges body by the boundary in its type. */
function parseMultipart(res: RawResponse): Part[] {
  const type = header(res, "Content-type")!;
  const m = /^multipart\/byteranges; boundary=([0-9a-f]+)$/.exec(type);
  ok(m, type);
  // Bytes as code points 0-255 (TextDecoder's "latin1" is windows-1252).
  const latin1 = latin1Decode(res.body);
  const delimiter = `--${m![1]}`;
  ok(latin1.startsWith(delimiter + "\r\n"), "starts with the delimiter");
  ok(latin1.endsWith(`\r\n${delimiter}--\r\n`), "ends with the close");
  const chunks = latin1.slice(0, -(`\r\n${delimiter}--\r\n`).length)
    .split(`\r\n${delimiter}\r\n`);
  chunks[0] = chunks[0]!.slice(delimiter.length + 2);
  return chunks.map((chunk) => {
    const [head, ...rest] = chunk.split("\r\n\r\n");
    const lines = head!.split("\r\n");
    const field = (name: string) =>
      lines.find((l) => l.toLowerCase().startsWith(name + ":"))?.slice(
        name.length + 1,
      ).trim();
    return {
      range: field("content-range")!,
      type: field("content-type"),
      body: Uint8Array.from(rest.join("\r\n\r\n"), (c) => c.charCodeAt(0)),
    };
  });
}

interface Case {
  name: string;
  file?: "small.txt" | "large.bin" | "empty.txt";
  method?: string;
  headers?: Record<string, string>;
  status: number;
  /** Expected byte ranges of the file in the body ([start, end] inclusive). */
  body?: [number, number][] | "empty" | "whole";
  multipart?: boolean;
  contentRange?: string;
}

const CASES: Case[] = [
  { name: "no Range", status: 200, body: "whole" },
  {
    name: "bytes=0-9",
    headers: { Range: "bytes=0-9" },
    status: 206,
    body: [[0, 9]],
    contentRange: "bytes 0-9/100",
  },
  {
    name: "open end",
    headers: { Range: "bytes=90-" },
    status: 206,
    body: [[90, 99]],
    contentRange: "bytes 90-99/100",
  },
  {
    name: "suffix",
    headers: { Range: "bytes=-10" },
    status: 206,
    body: [[90, 99]],
    contentRange: "bytes 90-99/100",
  },
  {
    name: "suffix longer than the file",
    headers: { Range: "bytes=-500" },
    status: 206,
    body: [[0, 99]],
    contentRange: "bytes 0-99/100",
  },
  {
    name: "end past the size is clamped",
    headers: { Range: "bytes=95-200" },
    status: 206,
    body: [[95, 99]],
  },
  {
    name: "unit case and spaces",
    headers: { Range: "Bytes= 1 - 2 " },
    status: 206,
    body: [[1, 2]],
  },
  {
    name: "two ranges -> multipart",
    headers: { Range: "bytes=0-0,10-19" },
    status: 206,
    body: [[0, 0], [10, 19]],
    multipart: true,
  },
  {
    name: "Go: 0-0,-1",
    headers: { Range: "bytes=0-0,-1" },
    status: 206,
    body: [[0, 0], [99, 99]],
    multipart: true,
  },
  {
    name: "one satisfiable of two",
    headers: { Range: "bytes=0-4,500-600" },
    status: 206,
    body: [[0, 4]],
    contentRange: "bytes 0-4/100",
  },
  {
    name: "start at the size -> 416",
    headers: { Range: "bytes=100-" },
    status: 416,
    contentRange: "bytes */100",
  },
  {
    name: "suffix -0 -> 416",
    headers: { Range: "bytes=-0" },
    status: 416,
    contentRange: "bytes */100",
  },
  {
    name: "all unsatisfiable -> 416",
    headers: { Range: "bytes=200-300,400-" },
    status: 416,
    contentRange: "bytes */100",
  },
  {
    name: "reversed range ignored",
    headers: { Range: "bytes=5-1" },
    status: 200,
    body: "whole",
  },
  {
    name: "garbage ignored",
    headers: { Range: "bytes=a-b" },
    status: 200,
    body: "whole",
  },
  {
    name: "other unit ignored",
    headers: { Range: "items=0-1" },
    status: 200,
    body: "whole",
  },
  {
    name: "overlapping ranges ignored",
    headers: { Range: "bytes=0-,1-" },
    status: 200,
    body: "whole",
  },
  {
    name: "ranges larger than the file ignored",
    headers: { Range: "bytes=0-60,40-99" },
    status: 200,
    body: "whole",
  },
  {
    name: "over 100 ranges ignored",
    headers: {
      Range: "bytes=" +
        Array.from({ length: 101 }, (_, i) => `${i}-${i}`).join(","),
    },
    status: 200,
    body: "whole",
  },
  {
    name: "Range on an empty file -> 200",
    file: "empty.txt",
    headers: { Range: "bytes=0-10" },
    status: 200,
    body: "empty",
  },
  {
    name: "HEAD ignores Range",
    method: "HEAD",
    headers: { Range: "bytes=0-9" },
    status: 200,
  },
  // If-Range
  {
    name: "If-Range with the ETag",
    headers: { Range: "bytes=0-9", "If-Range": "ETAG" },
    status: 206,
    body: [[0, 9]],
  },
  {
    name: "If-Range with another ETag",
    headers: { Range: "bytes=0-9", "If-Range": '"nope"' },
    status: 200,
    body: "whole",
  },
  {
    name: "If-Range with a weak ETag",
    headers: { Range: "bytes=0-9", "If-Range": "W/ETAG" },
    status: 200,
    body: "whole",
  },
  {
    name: "If-Range with the date",
    headers: { Range: "bytes=0-9", "If-Range": LAST_MODIFIED },
    status: 206,
    body: [[0, 9]],
  },
  {
    name: "If-Range with an older date",
    headers: { Range: "bytes=0-9", "If-Range": EARLIER },
    status: 200,
    body: "whole",
  },
  // If-None-Match
  {
    name: "If-None-Match with the ETag -> 304",
    headers: { "If-None-Match": "ETAG" },
    status: 304,
  },
  {
    name: "If-None-Match weak comparison -> 304",
    headers: { "If-None-Match": '"x", W/ETAG' },
    status: 304,
  },
  {
    name: "If-None-Match * -> 304",
    headers: { "If-None-Match": "*" },
    status: 304,
  },
  {
    name: "If-None-Match other -> 200",
    headers: { "If-None-Match": '"x"' },
    status: 200,
    body: "whole",
  },
  {
    name: "If-None-Match wins over Range",
    headers: { "If-None-Match": "ETAG", Range: "bytes=0-1" },
    status: 304,
  },
  {
    name: "If-None-Match other beats a current If-Modified-Since",
    headers: { "If-None-Match": '"x"', "If-Modified-Since": LATER },
    status: 200,
    body: "whole",
  },
  // If-Match and If-Unmodified-Since
  {
    name: "If-Match with the ETag",
    headers: { "If-Match": "ETAG" },
    status: 200,
    body: "whole",
  },
  {
    name: "If-Match * ",
    headers: { "If-Match": "*" },
    status: 200,
    body: "whole",
  },
  {
    name: "If-Match other -> 412",
    headers: { "If-Match": '"x"' },
    status: 412,
  },
  {
    name: "If-Match weak never matches -> 412",
    headers: { "If-Match": "W/ETAG" },
    status: 412,
  },
  {
    name: "If-Match failure beats Range",
    headers: { "If-Match": '"x"', Range: "bytes=0-1" },
    status: 412,
  },
  {
    name: "If-Unmodified-Since earlier -> 412",
    headers: { "If-Unmodified-Since": EARLIER },
    status: 412,
  },
  {
    name: "If-Unmodified-Since equal",
    headers: { "If-Unmodified-Since": LAST_MODIFIED },
    status: 200,
    body: "whole",
  },
  {
    name: "If-Match passes, If-Unmodified-Since not used",
    headers: { "If-Match": "ETAG", "If-Unmodified-Since": EARLIER },
    status: 200,
    body: "whole",
  },
  {
    name: "If-Match passes, If-None-Match matches -> 304",
    headers: { "If-Match": "ETAG", "If-None-Match": "ETAG" },
    status: 304,
  },
  // If-Modified-Since alone: Python's rule
  {
    name: "If-Modified-Since equal -> 304",
    headers: { "If-Modified-Since": LAST_MODIFIED },
    status: 304,
  },
  {
    name: "If-Modified-Since earlier -> 200",
    headers: { "If-Modified-Since": EARLIER },
    status: 200,
    body: "whole",
  },
  {
    name: "If-Modified-Since with +0100 is ignored (Python)",
    headers: { "If-Modified-Since": "Sun, 13 Sep 2020 14:26:40 +0100" },
    status: 200,
    body: "whole",
  },
  {
    name: "If-Modified-Since garbage is ignored",
    headers: { "If-Modified-Since": "yesterday" },
    status: 200,
    body: "whole",
  },
  {
    name: "If-Modified-Since + Range, modified -> 206",
    headers: { "If-Modified-Since": EARLIER, Range: "bytes=3-4" },
    status: 206,
    body: [[3, 4]],
  },
  // The same on a file streamed from disk.
  { name: "large: whole", file: "large.bin", status: 200, body: "whole" },
  {
    name: "large: single range",
    file: "large.bin",
    headers: { Range: "bytes=70000-270000" },
    status: 206,
    body: [[70000, 270000]],
    contentRange: `bytes 70000-270000/${LARGE_SIZE}`,
  },
  {
    name: "large: multipart",
    file: "large.bin",
    headers: { Range: "bytes=-5,0-99999,150000-299990" },
    status: 206,
    body: [[LARGE_SIZE - 5, LARGE_SIZE - 1], [0, 99999], [150000, 299990]],
    multipart: true,
  },
  {
    name: "large: 416",
    file: "large.bin",
    headers: { Range: `bytes=${LARGE_SIZE}-` },
    status: 416,
    contentRange: `bytes */${LARGE_SIZE}`,
  },
  { name: "large: HEAD", file: "large.bin", method: "HEAD", status: 200 },
];

Deno.test("SimpleHTTPRequestHandler answers the conditional and Range matrix", async () => {
  await using t = await serveFolder();
  const files: Record<string, Uint8Array> = {
    "small.txt": new TextEncoder().encode(SMALL),
    "large.bin": largeBytes(),
    "empty.txt": new Uint8Array(0),
  };
  const etags: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(files)) {
    await Deno.writeFile(`${t.root}/${name}`, bytes);
    await Deno.utime(`${t.root}/${name}`, MTIME, MTIME);
    const { res } = await requestTarget(t.port, `/${name}`, { method: "HEAD" });
    etags[name] = header(res, "ETag")!;
    ok(/^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/.test(etags[name]!), etags[name]);
    strictEqual(header(res, "Last-Modified"), LAST_MODIFIED);
  }
  for (const c of CASES) {
    const file = c.file ?? "small.txt";
    const etag = etags[file]!;
    const headers = Object.fromEntries(
      Object.entries(c.headers ?? {}).map((
        [k, v],
      ) => [k, v.replace("ETAG", etag)]),
    );
    const method = c.method ?? "GET";
    const { res, rest } = await requestTarget(t.port, `/${file}`, {
      method,
      headers,
    });
    const what = `${c.name} (${JSON.stringify(c.headers ?? {})})`;
    strictEqual(res.status, c.status, what);
    strictEqual(rest.length, 0, `${what}: nothing after the body`);
    const data = files[file]!;
    const size = data.length;
    if (c.status === 200 || c.status === 206) {
      strictEqual(header(res, "Accept-Ranges"), "bytes", what);
      strictEqual(header(res, "ETag"), etag, what);
      strictEqual(header(res, "Last-Modified"), LAST_MODIFIED, what);
    }
    if (c.status === 304) {
      strictEqual(header(res, "ETag"), etag, `${what}: 304 has the ETag`);
      strictEqual(header(res, "Content-Length"), undefined, what);
      strictEqual(res.body.length, 0, what);
    }
    if (c.contentRange) {
      strictEqual(header(res, "Content-Range"), c.contentRange, what);
    }
    if (method === "HEAD") {
      strictEqual(header(res, "Content-Length"), String(size), what);
      strictEqual(res.body.length, 0, what);
      continue;
    }
    if (c.body === "whole") {
      deepStrictEqual(res.body, data, what);
      strictEqual(header(res, "Content-Range"), undefined, what);
    } else if (c.body === "empty") {
      strictEqual(header(res, "Content-Length"), "0", what);
      strictEqual(res.body.length, 0, what);
    } else if (c.body && !c.multipart) {
      const [[start, end]] = c.body as [[number, number]];
      deepStrictEqual(res.body, data.subarray(start, end + 1), what);
      strictEqual(
        header(res, "Content-Range"),
        `bytes ${start}-${end}/${size}`,
        what,
      );
    } else if (c.body && c.multipart) {
      strictEqual(header(res, "Content-Range"), undefined, what);
      const parts = parseMultipart(res);
      strictEqual(parts.length, c.body.length, what);
      c.body.forEach(([start, end], i) => {
        strictEqual(parts[i]!.range, `bytes ${start}-${end}/${size}`, what);
        strictEqual(
          parts[i]!.type,
          file === "small.txt" ? "text/plain" : "application/octet-stream",
        );
        deepStrictEqual(parts[i]!.body, data.subarray(start, end + 1), what);
      });
    }
  }
});

Deno.test("SimpleHTTPRequestHandler serves ranges on a keep-alive connection, like a seeking video player", async () => {
  await using t = await serveFolder({ protocolVersion: "HTTP/1.1" });
  const data = largeBytes();
  await Deno.writeFile(`${t.root}/video.webm`, data);
  {
    using client = await RawClient.connect(t.port);
    const seeks: [number, number | ""][] = [[0, ""], [250000, 260000], [
      299999,
      "",
    ], [12345, 12345]];
    for (const [start, end] of seeks) {
      await client.send(
        `GET /video.webm HTTP/1.1\r\nHost: x\r\nRange: bytes=${start}-${end}\r\n\r\n`,
      );
      const res = await client.read();
      strictEqual(res.status, 206);
      strictEqual(
        res.headers.find(([n]) => n === "Content-type")?.[1],
        "video/webm",
      );
      const last = end === "" ? LARGE_SIZE - 1 : end;
      deepStrictEqual(res.body, data.subarray(start, last + 1));
    }
    await client.send(
      "GET /video.webm HTTP/1.1\r\nHost: x\r\nRange: bytes=400000-\r\n\r\n",
    );
    const res = await client.read();
    strictEqual(res.status, 416);
  }
  // The server is still serving.
  const again = await request(
    t.port,
    "GET /video.webm HTTP/1.0\r\nRange: bytes=0-1\r\n\r\n",
  );
  strictEqual(again.status, 206);
});

Deno.test("SimpleHTTPRequestHandler sends a 416 head with Content-Range after Date, also through an overridden sendError()", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/ten.txt`, "0123456789");
    class Handler extends SimpleHTTPRequestHandler {
      override directory = dir;
      override protocolVersion = "HTTP/1.1";
      override logMessage(): void {}
    }
    class Wrapped extends Handler {
      override async sendError(code: number): Promise<void> {
        await super.sendError(code);
      }
    }
    class OwnPage extends Handler {
      override async sendError(code: number): Promise<void> {
        this.sendResponse(code);
        this.sendHeader("Content-Length", "0");
        await this.endHeaders();
      }
    }
    const request = "GET /ten.txt HTTP/1.1\r\nRange: bytes=10-\r\n\r\n";
    const headOf = (text: string) =>
      text.split("\r\n\r\n")[0]!.split("\r\n")
        .map((line) => line.startsWith("Date: ") ? "Date: -" : line);
    const first = [
      "HTTP/1.1 416 Range Not Satisfiable",
      `Server: SimpleHTTP/0.6 Deno/${Deno.version.deno}`,
      "Date: -",
      "Content-Range: bytes */10",
    ];
    for (const Class of [Handler, Wrapped]) {
      const text = (await runHandler(Class, request)).text();
      deepStrictEqual(headOf(text), [
        ...first,
        "Connection: close",
        "Content-Type: text/html;charset=utf-8",
        `Content-Length: ${text.split("\r\n\r\n")[1]!.length}`,
      ]);
    }
    // A page of its own keeps the connection: the next response is plain.
    const text =
      (await runHandler(OwnPage, request + request.replace("10-", "0-0")))
        .text();
    const [one, two] = text.split("\r\n\r\n");
    deepStrictEqual(headOf(one!), [...first, "Content-Length: 0"]);
    deepStrictEqual(headOf(two!).slice(0, 4), [
      "HTTP/1.1 206 Partial Content",
      first[1],
      "Date: -",
      "Content-type: text/plain",
    ]);
    strictEqual(text.split("Content-Range: ").length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
