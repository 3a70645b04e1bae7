// Copyright 2026 the httpserver authors. MIT license.
/**
 * Ours with uploads on, as `cli.ts -q --upload` runs it: `HTTPServer` with
 * `SimpleHTTPRequestHandler` (HTTP/1.1, `upload: true`), serving ROOT, no
 * request log.
 *
 * Usage: `deno run --allow-net --allow-read --allow-write bench/peers/ours_upload.ts PORT ROOT`
 * @module
 */
import { HTTPServer, SimpleHTTPRequestHandler } from "../../mod.ts";

const port = Number(Deno.args[0] ?? 0);
const root = Deno.args[1] ?? ".";

class Handler extends SimpleHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override directory = root;
  override upload = true;
  override logMessage(): void {}
}

const server = new HTTPServer(["127.0.0.1", port], Handler);
console.log(`Serving HTTP on 127.0.0.1 port ${server.serverPort} ...`);
await server.serveForever();
