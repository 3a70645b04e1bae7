// Copyright 2026 the httpserver authors. MIT license.
/**
 * Child of reuse_port_test.ts: binds two servers of the class named by the
 * first argument on one port with `allowReusePort`, and prints `shared` or
 * the error's name and message. Without `--unstable-net` Deno would end this
 * process with code 70 if the guard let the request through.
 */
import {
  BaseHTTPRequestHandler,
  DenoServeHTTPServer,
  HTTPServer,
  HTTPSServer,
} from "../mod.ts";

const TLS = new URL("./testdata/tls/", import.meta.url).pathname;
const tls = { certfile: TLS + "cert.pem", keyfile: TLS + "key.pem" };
function make(port: number): HTTPServer {
  const options = { bindAndActivate: false };
  const server = Deno.args[0] === "https"
    ? new HTTPSServer(["127.0.0.1", port], BaseHTTPRequestHandler, {
      ...options,
      ...tls,
    })
    : Deno.args[0] === "serve"
    ? new DenoServeHTTPServer(
      ["127.0.0.1", port],
      BaseHTTPRequestHandler,
      options,
    )
    : new HTTPServer(["127.0.0.1", port], BaseHTTPRequestHandler, options);
  server.allowReusePort = true;
  server.bindAndActivate();
  return server;
}
try {
  const first = make(0);
  const second = make(first.serverPort);
  console.log(second.serverPort === first.serverPort ? "shared" : "not shared");
  await second.shutdown();
  await first.shutdown();
  first.serverClose();
  second.serverClose();
} catch (error) {
  console.log(`${(error as Error).name}: ${(error as Error).message}`);
}
