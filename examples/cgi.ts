// Copyright 2026 the httpserver authors. MIT license.
/**
 * A CGI server, as `python -m http.server --cgi`: serves this folder and runs
 * the files of `cgi-bin/` as CGI scripts (here `cgi-bin/hello.sh`). Deno
 * runs a script only with `--allow-run` naming it.
 *
 * ```sh
 * deno run --allow-net --allow-read=examples \
 *   --allow-run=examples/cgi-bin/hello.sh examples/cgi.ts [port]
 * curl 'http://localhost:8080/cgi-bin/hello.sh/extra/path?name=value'
 * curl -d 'posted=data' http://localhost:8080/cgi-bin/hello.sh
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import { CGIHTTPRequestHandler, HTTPServer } from "@x/httpserver";

/** Serves the `examples/` folder and runs the scripts in its `cgi-bin/`. */
export class Handler extends CGIHTTPRequestHandler {
  override directory: string = fileURLToPath(new URL(".", import.meta.url));
  override cgiDirectories: string[] = ["/cgi-bin"];
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 8080);
  const server = new HTTPServer(["localhost", port], Handler);
  console.log("Starting server, use <Ctrl-C> to stop");
  console.log(
    `Serving on http://localhost:${server.serverPort}/cgi-bin/hello.sh`,
  );
  await server.serveForever();
}
