// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode HTTPSServer}: Python 3.14's `HTTPSServer` over `Deno.listenTls`.
 * @module
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import {
  HTTPServer,
  type HTTPServerOptions,
  type RequestHandlerClass,
} from "./server.ts";
import type { ClientAddress } from "./server.ts";
import { reusePortOption } from "./_engine/reuse_port.ts";

/**
 * A key password: text, bytes, or a function returning either (Python accepts the same).
 *
 * @example A password read when the key is loaded
 * ```ts
 * import { loadCertChain, type TLSPassword } from "@x/httpserver";
 * import { ok } from "node:assert/strict";
 *
 * const dir = new URL("./tests/testdata/tls/", import.meta.url).pathname;
 * const password: TLSPassword = () => "somepass"; // e.g. read from a file
 * const { key } = loadCertChain(dir + "cert.pem", dir + "key_encrypted.pem", password);
 * ok(key.startsWith("-----BEGIN PRIVATE KEY-----"));
 * ```
 */
export type TLSPassword = string | Uint8Array | (() => string | Uint8Array);

/**
 * Options for {@linkcode HTTPSServer}.
 *
 * @example Usage
 * ```ts
 * import { BaseHTTPRequestHandler, HTTPSServer, type HTTPSServerOptions } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = new URL("./tests/testdata/tls/", import.meta.url).pathname;
 * const options: HTTPSServerOptions = {
 *   certfile: dir + "cert.pem",
 *   keyfile: dir + "key_encrypted.pem",
 *   password: "somepass",
 * };
 * const server = new HTTPSServer(["127.0.0.1", 0], BaseHTTPRequestHandler, options);
 * strictEqual(server.keyfile, dir + "key_encrypted.pem");
 * server.serverClose();
 * ```
 */
export interface HTTPSServerOptions extends HTTPServerOptions {
  /** PEM file with the certificate chain, and the key too when `keyfile` is not given. */
  certfile: string;
  /** PEM file with the private key. */
  keyfile?: string | null;
  /** Password of an encrypted private key. */
  password?: TLSPassword | null;
  /**
   * ALPN protocols to offer.
   * @default {["http/1.1"]}
   */
  alpnProtocols?: string[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(text: string): { label: string; pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({
    label: m[1]!,
    pem: m[0],
  }));
}

function readPem(path: string, what: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    throw new Error(
      `Cannot read the TLS ${what} file "${path}": ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Loads and checks a certificate chain and key, decrypting the key when needed.
 *
 * @example Usage
 * ```ts
 * import { loadCertChain } from "@x/httpserver";
 * import { ok, throws } from "node:assert/strict";
 *
 * const dir = new URL("./tests/testdata/tls/", import.meta.url).pathname;
 * const { cert, key } = loadCertChain(dir + "combined.pem");
 * ok(cert.startsWith("-----BEGIN CERTIFICATE-----"));
 * ok(key.includes("PRIVATE KEY"));
 * throws(() => loadCertChain(dir + "cert.pem", dir + "other_key.pem"));
 * ```
 */
export function loadCertChain(
  certfile: string,
  keyfile?: string | null,
  password?: TLSPassword | null,
): { cert: string; key: string } {
  const certText = readPem(certfile, "certificate");
  const certs = pemBlocks(certText).filter((b) => b.label === "CERTIFICATE");
  if (certs.length === 0) {
    throw new Error(
      `Cannot load the TLS certificate: no certificate found in "${certfile}"`,
    );
  }
  const keySource = keyfile ? readPem(keyfile, "key") : certText;
  const keys = pemBlocks(keySource).filter((b) =>
    b.label.endsWith("PRIVATE KEY")
  );
  if (keys.length === 0) {
    throw new Error(
      `Cannot load the TLS key: no private key found in "${
        keyfile ?? certfile
      }"`,
    );
  }
  const pass = typeof password === "function" ? password() : password;
  let key;
  try {
    key = createPrivateKey({
      key: keys[0]!.pem,
      format: "pem",
      ...(pass == null ? {} : {
        passphrase: typeof pass === "string"
          ? pass
          : new TextDecoder().decode(pass),
      }),
    });
  } catch (error) {
    throw new Error(
      `Cannot load the TLS key: ${
        pass == null
          ? "it is encrypted or invalid"
          : "wrong password or invalid key"
      }`,
      { cause: error },
    );
  }
  let leaf;
  try {
    leaf = new X509Certificate(certs[0]!.pem);
  } catch (error) {
    throw new Error(
      `Cannot load the TLS certificate: invalid certificate in "${certfile}"`,
      {
        cause: error,
      },
    );
  }
  if (!leaf.checkPrivateKey(key)) {
    throw new Error(
      "Cannot load the TLS certificate: the key does not match the certificate",
    );
  }
  return {
    cert: certs.map((c) => c.pem).join("\n") + "\n",
    key: key.export({ format: "pem", type: "pkcs8" }).toString(),
  };
}

/**
 * Python 3.14's `HTTPSServer`: an {@linkcode HTTPServer} that speaks TLS.
 * Bad certificate data (missing, malformed, wrong password, key not matching
 * the certificate) throws from the constructor, as Python raises `SSLError`.
 *
 * @example Serve over HTTPS
 * ```ts ignore
 * import { HTTPSServer, SimpleHTTPRequestHandler } from "@x/httpserver";
 *
 * const server = new HTTPSServer(["", 4443], SimpleHTTPRequestHandler, {
 *   certfile: "cert.pem",
 *   keyfile: "key.pem",
 * });
 * await server.serveForever();
 * ```
 */
export class HTTPSServer extends HTTPServer {
  /** The certificate chain file. */
  certfile: string;
  /** The key file, or `null` when the key is in `certfile`. */
  keyfile: string | null;
  /** The key's password. */
  password: TLSPassword | null;
  /** ALPN protocols offered. */
  alpnProtocols: string[];

  /**
   * Loads the certificate chain and key and, unless `bindAndActivate` is
   * false, binds and listens. Throws on bad certificate data.
   */
  constructor(
    serverAddress: ClientAddress,
    RequestHandlerClass: RequestHandlerClass,
    options: HTTPSServerOptions,
  ) {
    super(serverAddress, RequestHandlerClass, {
      ...options,
      bindAndActivate: false,
    });
    this.certfile = options.certfile;
    this.keyfile = options.keyfile ?? null;
    this.password = options.password ?? null;
    this.alpnProtocols = options.alpnProtocols ?? ["http/1.1"];
    if (options.bindAndActivate ?? true) this.bindAndActivate();
  }

  /** Opens a TLS listener with the loaded certificate chain and key. */
  protected override listen(hostname: string, port: number): Deno.Listener {
    const { cert, key } = loadCertChain(
      this.certfile,
      this.keyfile,
      this.password,
    );
    return Deno.listenTls({
      hostname,
      port,
      cert,
      key,
      alpnProtocols: this.alpnProtocols,
      reusePort: reusePortOption(this.allowReusePort),
    });
  }
}
