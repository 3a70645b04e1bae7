// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode DenoServeHTTPServer}: an {@linkcode HTTPServer} whose socket
 * work is done by `Deno.serve` (Deno's native HTTP/1.1 and HTTP/2 stack),
 * running the same handler classes through {@linkcode toFetchHandler}, with
 * the same lifecycle: `serveForever()`, `shutdown()`, `serverClose()` and
 * `await using`.
 * @module
 */
import { HTTPServer, type RequestHandlerClass } from "./server.ts";
import type { ClientAddress, HTTPServerOptions } from "./server_types.ts";
import { loadCertChain, type TLSPassword } from "./https_server.ts";
import { type FetchHandler, toFetchHandler } from "./fetch_handler.ts";
import { serverNameFor } from "./_server_name.ts";
import { reusePortOption } from "./_engine/reuse_port.ts";

/**
 * Options for {@linkcode DenoServeHTTPServer}: those of
 * {@linkcode HTTPServer}, and a certificate to serve HTTPS (HTTP/2 and
 * HTTP/1.1, chosen by ALPN).
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, DenoServeHTTPServer, type DenoServeHTTPServerOptions } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = new URL("./tests/testdata/tls/", import.meta.url).pathname;
 * const options: DenoServeHTTPServerOptions = { certfile: dir + "cert.pem", keyfile: dir + "key.pem" };
 * await using server = new DenoServeHTTPServer(["127.0.0.1", 0], BaseHTTPRequestHandler, options);
 * strictEqual(server.certfile, dir + "cert.pem");
 * ```
 */
export interface DenoServeHTTPServerOptions extends HTTPServerOptions {
  /** PEM file with the certificate chain (and the key, without `keyfile`). */
  certfile?: string | null;
  /** PEM file with the private key. */
  keyfile?: string | null;
  /** Password of an encrypted private key. */
  password?: TLSPassword | null;
}

/**
 * The same handler classes on Deno's native HTTP stack: `Deno.serve` accepts,
 * parses and writes, and each request runs a new handler instance through
 * {@linkcode toFetchHandler}. With a certificate it speaks HTTP/2 to clients
 * that offer it. What differs from {@linkcode HTTPServer} (reason phrases,
 * request header lines, HTTP/0.9, `maxConnections`, head timeouts...) is
 * listed in the README's "Engines" section; `handleRequest()` needs
 * `HTTPServer`.
 *
 * @example Serve a handler over Deno.serve until shut down
 * ```ts
 * import { BaseHTTPRequestHandler, DenoServeHTTPServer } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * class Hello extends BaseHTTPRequestHandler {
 *   async doGET(): Promise<void> {
 *     this.sendResponse(200);
 *     this.sendHeader("Content-Length", "6");
 *     await this.endHeaders();
 *     await this.wfile.write("Hello\n");
 *   }
 *   override logMessage(): void {}
 * }
 * await using server = new DenoServeHTTPServer(["127.0.0.1", 0], Hello);
 * server.serveForever();
 * const res = await fetch(`http://127.0.0.1:${server.serverPort}/`);
 * strictEqual(await res.text(), "Hello\n");
 * ```
 */
export class DenoServeHTTPServer extends HTTPServer {
  /** The certificate chain file, or `null` for plain HTTP. */
  certfile: string | null;
  /** The key file, or `null` when the key is in `certfile`. */
  keyfile: string | null;
  /** The key's password. */
  password: TLSPassword | null;
  #fetch: FetchHandler | null = null;
  #http: Deno.HttpServer<Deno.NetAddr> | null = null;

  /**
   * Unless `bindAndActivate` is false, loads the certificate, binds and
   * listens. Throws on bad certificate data or when the address is taken.
   */
  constructor(
    serverAddress: ClientAddress,
    RequestHandlerClass: RequestHandlerClass,
    options: DenoServeHTTPServerOptions = {},
  ) {
    super(serverAddress, RequestHandlerClass, {
      ...options,
      bindAndActivate: false,
    });
    this.certfile = options.certfile ?? null;
    this.keyfile = options.keyfile ?? null;
    this.password = options.password ?? null;
    if (options.bindAndActivate ?? true) this.bindAndActivate();
  }

  /** Starts `Deno.serve` on `serverAddress`; records the bound address. */
  override serverBind(): void {
    const [host, port] = this.serverAddress;
    const hostname = host === "" ? "0.0.0.0" : host;
    const tls = this.certfile
      ? loadCertChain(this.certfile, this.keyfile, this.password)
      : {};
    const fetch = toFetchHandler(this.RequestHandlerClass, { server: this });
    const http = Deno.serve({
      hostname,
      port,
      ...tls,
      reusePort: reusePortOption(this.allowReusePort),
      // Python never compresses (and Deno 2.9 does not by default).
      automaticCompression: false,
      onListen() {},
      // Only streams the adapter ended on purpose (a client that left, a
      // response cut short) get here; those are logged where they happen.
      onError: () => new Response(null, { status: 500 }),
    }, fetch);
    this.#fetch = fetch;
    this.#http = http;
    this.serverAddress = [http.addr.hostname, http.addr.port];
    this.serverPort = http.addr.port;
    this.serverName = serverNameFor(hostname);
  }

  /** The address `Deno.serve` listens on. */
  override get address(): Deno.Addr | null {
    return this.#http?.addr ?? null;
  }

  /** Resolves once the server has been shut down. */
  override serveForever(): Promise<void> {
    if (!this.#http) {
      return Promise.reject(new Error("Cannot serve: the server is not bound"));
    }
    return this.#http.finished;
  }

  /** Not available on this engine: it needs `HTTPServer`'s accept loop. */
  override handleRequest(): Promise<void> {
    return Promise.reject(
      new Deno.errors.NotSupported(
        "handleRequest() needs HTTPServer: Deno.serve serves every request itself",
      ),
    );
  }

  /**
   * Stops accepting, lets requests in flight finish for up to
   * `shutdownTimeout` ms, then closes what is left (event streams too).
   */
  override async shutdown(): Promise<void> {
    const closing = this.#fetch?.close(true);
    await this.#http?.shutdown();
    await closing;
  }

  /** Closes the listener and every connection now. */
  override serverClose(): void {
    this.#fetch?.close(false).catch(() => {});
    this.#http?.shutdown().catch(() => {});
  }
}
