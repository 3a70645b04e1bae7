// Copyright 2026 the httpserver authors. MIT license.
/**
 * An HTTPS server: `HTTPSServer` takes the same handler classes as
 * `HTTPServer`, plus a PEM certificate chain and key (`password` opens an
 * encrypted key).
 *
 * ```sh
 * openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
 *   -keyout key.pem -out cert.pem -days 30 -subj /CN=localhost \
 *   -addext subjectAltName=DNS:localhost,IP:127.0.0.1
 * deno run --allow-net --allow-read examples/https.ts cert.pem key.pem [port]
 * curl --cacert cert.pem https://localhost:4443/
 * ```
 * @module
 */
import { BaseHTTPRequestHandler, HTTPSServer } from "@x/httpserver";

/** Says hello, and which protocol carried the request. */
export class HelloHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";

  async doGET(): Promise<void> {
    const scheme = this.server instanceof HTTPSServer ? "https" : "http";
    const body = new TextEncoder().encode(
      `Hello over ${scheme} from ${this.path}\n`,
    );
    this.sendResponse(200);
    this.sendHeader("Content-Type", "text/plain; charset=utf-8");
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    await this.wfile.write(body);
  }
}

if (import.meta.main) {
  const [certfile, keyfile, port = "4443"] = Deno.args;
  if (!certfile || !keyfile) {
    console.error("Usage: examples/https.ts CERTFILE KEYFILE [PORT]");
    Deno.exit(2);
  }
  const server = new HTTPSServer(["localhost", Number(port)], HelloHandler, {
    certfile,
    keyfile,
  });
  console.log("Starting server, use <Ctrl-C> to stop");
  console.log(`Serving on https://localhost:${server.serverPort}/`);
  await server.serveForever();
}
