// Copyright 2026 the httpserver authors. MIT license.
/**
 * `deno bench bench/simple_bench.ts`: `SimpleHTTPRequestHandler` serving
 * keep-alive requests over an in-memory connection, options off: a small
 * cached file, its 304, a 404 and a listing. What the hot path costs with
 * every optional feature off (compare with and without a change).
 * @module
 */
import { HTTPServer, SimpleHTTPRequestHandler } from "../mod.ts";
import { MemoryConnection, runHandler } from "../testing.ts";

const REQUESTS = 100;
const dir = await Deno.makeTempDir({ prefix: "httpserver-simple-bench-" });
await Deno.writeTextFile(`${dir}/1k.txt`, "x".repeat(1024));
await Deno.mkdir(`${dir}/sub`);
for (let i = 0; i < 20; i++) await Deno.writeTextFile(`${dir}/sub/f${i}`, "");
// Old enough for the small-file cache to keep it.
const old = new Date(Date.now() - 60_000);
await Deno.utime(`${dir}/1k.txt`, old, old);

class Quiet extends SimpleHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override directory = dir;
  override logMessage(): void {}
}
const server = new HTTPServer(["127.0.0.1", 0], Quiet, {
  bindAndActivate: false,
});
const encoder = new TextEncoder();

function requests(head: string): Uint8Array {
  return encoder.encode(head.repeat(REQUESTS));
}
const probe = await runHandler(
  Quiet,
  "GET /1k.txt HTTP/1.1\r\nHost: b\r\n\r\n",
  { server },
);
const etag = /ETag: (.*)\r\n/.exec(probe.text())![1];

const loads: [string, Uint8Array][] = [
  ["a cached 1 KiB file", requests("GET /1k.txt HTTP/1.1\r\nHost: b\r\n\r\n")],
  [
    "its 304 (If-None-Match)",
    requests(
      `GET /1k.txt HTTP/1.1\r\nHost: b\r\nIf-None-Match: ${etag}\r\n\r\n`,
    ),
  ],
  // Python closes the connection after an error: one request.
  ["a 404", encoder.encode("GET /missing.txt HTTP/1.1\r\nHost: b\r\n\r\n")],
  ["a listing of 20 files", requests("GET /sub/ HTTP/1.1\r\nHost: b\r\n\r\n")],
];
for (const [name, input] of loads) {
  Deno.bench({
    name: name === "a 404"
      ? "one GET: a 404"
      : `${REQUESTS} keep-alive GETs: ${name}`,
    group: name,
    async fn() {
      await runHandler(Quiet, new MemoryConnection(input), { server });
    },
  });
}

globalThis.addEventListener("unload", () => {
  Deno.removeSync(dir, { recursive: true });
});
