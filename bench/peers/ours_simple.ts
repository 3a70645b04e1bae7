// Copyright 2026 the httpserver authors. MIT license.
/**
 * Stand-in for the CLI while `cli.ts` does not exist: `HTTPServer` with
 * `SimpleHTTPRequestHandler` over HTTP/1.1, serving ROOT, no request log
 * (what `cli.ts -q` does).
 *
 * Usage: `deno run --allow-net --allow-read bench/peers/ours_simple.ts PORT ROOT`
 * @module
 */
import { HTTPServer, SimpleHTTPRequestHandler } from "../../mod.ts";

const port = Number(Deno.args[0] ?? 0);
const root = Deno.args[1] ?? ".";

class Handler extends SimpleHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override directory = root;
  override logMessage(): void {}
}

const server = new HTTPServer(["127.0.0.1", port], Handler);
console.log(
  `Serving HTTP on 127.0.0.1 port ${server.serverPort} (http://127.0.0.1:${server.serverPort}/) ...`,
);
await server.serveForever();
