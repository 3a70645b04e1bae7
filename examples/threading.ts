// Copyright 2026 the httpserver authors. MIT license.
/**
 * The tutorial's threading example. Python needs `ThreadingMixIn` to serve
 * clients at once; every server here serves its connections concurrently,
 * and `ThreadingHTTPServer` is kept as a name. Each connection gets its own
 * handler instance, which answers with a connection number where Python
 * printed the thread name.
 *
 * ```sh
 * deno run --allow-net examples/threading.ts [port]
 * curl http://localhost:8080/    # Connection-1
 * curl http://localhost:8080/    # Connection-2
 * ```
 * @module
 */
import { BaseHTTPRequestHandler, ThreadingHTTPServer } from "@x/httpserver";

let connections = 0;

/** Answers with the name of the connection that carries the request. */
export class Handler extends BaseHTTPRequestHandler {
  /** Set once per connection, as Python's thread name is once per thread. */
  readonly connectionName: string = `Connection-${++connections}`;

  async doGET(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Type", "text/plain; charset=utf-8");
    await this.endHeaders();
    await this.wfile.write(this.connectionName + "\n");
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 8080);
  const server = new ThreadingHTTPServer(["localhost", port], Handler);
  console.log("Starting server, use <Ctrl-C> to stop");
  console.log(`Serving on http://localhost:${server.serverPort}/`);
  await server.serveForever();
}
