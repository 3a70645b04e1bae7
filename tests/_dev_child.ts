// Copyright 2026 the httpserver authors. MIT license.
/**
 * A live-reload server in its own process, for the restart test: serves
 * `Deno.args[0]` on 127.0.0.1, port `Deno.args[1]` (0 picks one), prints the
 * port on stdout, and serves until killed.
 */
import { HTTPServer, SimpleHTTPRequestHandler } from "../mod.ts";
import type { Connection } from "../connection.ts";
import type { ClientAddress } from "../server.ts";

const [directory, port] = Deno.args;
const options = { directory, liveReload: true };
class Handler extends SimpleHTTPRequestHandler {
  constructor(r: Connection, a: ClientAddress, s: HTTPServer) {
    super(r, a, s, options);
  }
  override logMessage(): void {}
}
const server = new HTTPServer(["127.0.0.1", Number(port)], Handler);
console.log(server.serverPort);
await server.serveForever();
