// Copyright 2026 the httpserver authors. MIT license.
/**
 * The documentation's `run_while_true`: a server that does not run forever
 * but handles one connection at a time with `handleRequest()` for as long as
 * a condition holds. Here the condition is "nobody asked for /quit".
 *
 * ```sh
 * deno run --allow-net examples/handle_request_loop.ts [port]
 * curl http://localhost:8080/       # Hello
 * curl http://localhost:8080/quit   # Bye; the server exits
 * ```
 * @module
 */
import {
  BaseHTTPRequestHandler,
  HTTPServer,
  type RequestHandlerClass,
} from "@x/httpserver";

let quitRequested = false;

/** Tested initially and after each request: false once /quit was asked for. */
export function keepRunning(): boolean {
  return !quitRequested;
}

/** Says hello; a GET of `/quit` says bye and ends the loop. */
export class QuitHandler extends BaseHTTPRequestHandler {
  async doGET(): Promise<void> {
    if (this.path === "/quit") quitRequested = true;
    this.sendResponse(200);
    this.sendHeader("Content-Type", "text/plain; charset=utf-8");
    await this.endHeaders();
    await this.wfile.write(quitRequested ? "Bye\n" : "Hello\n");
  }
}

/**
 * Handles one connection at a time while `running()` is true, then closes
 * the server.
 */
export async function runWhileTrue(
  serverAddress: [string, number],
  handlerClass: RequestHandlerClass,
  running: () => boolean,
  onListening: (httpd: HTTPServer) => void = () => {},
): Promise<void> {
  const httpd = new HTTPServer(serverAddress, handlerClass);
  onListening(httpd);
  try {
    while (running()) await httpd.handleRequest();
  } finally {
    httpd.serverClose();
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 8080);
  await runWhileTrue(["localhost", port], QuitHandler, keepRunning, (httpd) => {
    console.log("Starting server, use <Ctrl-C> to stop");
    console.log(`Serving on http://localhost:${httpd.serverPort}/`);
  });
}
