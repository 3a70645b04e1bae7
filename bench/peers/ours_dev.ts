// Copyright 2026 the httpserver authors. MIT license.
/**
 * Ours with development options, for `bench/dev.ts`: `HTTPServer` with
 * `SimpleHTTPRequestHandler` over HTTP/1.1, serving ROOT, no request log.
 * Flags after ROOT: `--compress`, `--live-reload`.
 *
 * Usage: `deno run --allow-net --allow-read bench/peers/ours_dev.ts PORT ROOT [FLAGS]`
 * @module
 */
import {
  HTTPServer,
  SimpleHTTPRequestHandler,
  type SimpleHTTPRequestHandlerOptions,
} from "../../mod.ts";
import type { Connection } from "../../connection.ts";
import type { ClientAddress } from "../../server.ts";

const port = Number(Deno.args[0] ?? 0);
const flags = Deno.args.slice(2);
const options: SimpleHTTPRequestHandlerOptions = {
  directory: Deno.args[1] ?? ".",
  compress: flags.includes("--compress"),
  liveReload: flags.includes("--live-reload"),
};

class Handler extends SimpleHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  constructor(r: Connection, a: ClientAddress, s: HTTPServer) {
    super(r, a, s, options);
  }
  override logMessage(): void {}
}

const server = new HTTPServer(["127.0.0.1", port], Handler);
console.log(`Serving HTTP on 127.0.0.1 port ${server.serverPort} ...`);
await server.serveForever();
