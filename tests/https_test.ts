// Copyright 2026 the httpserver authors. MIT license.
// CPython's BaseHTTPSServerTestCase.
import { ok, strictEqual, throws } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../handlers/base.ts";
import { HTTPSServer, type HTTPSServerOptions } from "../https_server.ts";
import { ThreadingHTTPSServer } from "../threading_https_server.ts";
import { withTimeout } from "./_util.ts";
import { readUntilClose } from "./_raw_client.ts";

const TLS = new URL("./testdata/tls/", import.meta.url).pathname;
const CA = Deno.readTextFileSync(TLS + "ca.pem");

class Handler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doGET(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Length", "6");
    await this.endHeaders();
    await this.wfile.write("secure");
  }
}

function make(options: HTTPSServerOptions): HTTPSServer {
  return new HTTPSServer(["127.0.0.1", 0], Handler, options);
}

Deno.test("HTTPSServer serves a GET over TLS (test_get)", async () => {
  await using server = make({
    certfile: TLS + "cert.pem",
    keyfile: TLS + "key.pem",
  });
  server.serveForever();
  using client = Deno.createHttpClient({ caCerts: [CA] });
  const res = await withTimeout(
    fetch(`https://localhost:${server.serverPort}/`, { client }),
    "HTTPS fetch",
  );
  strictEqual(res.status, 200);
  strictEqual(await res.text(), "secure");
});

Deno.test("HTTPSServer accepts valid certificate data (test_valid_certdata)", () => {
  const valid: HTTPSServerOptions[] = [
    { certfile: TLS + "combined.pem" },
    { certfile: TLS + "combined.pem", keyfile: TLS + "combined.pem" },
    { certfile: TLS + "combined_encrypted.pem", password: "somepass" },
    { certfile: TLS + "combined_encrypted.pem", password: () => "somepass" },
    {
      certfile: TLS + "combined_encrypted.pem",
      password: new TextEncoder().encode("somepass"),
    },
    {
      certfile: TLS + "cert.pem",
      keyfile: TLS + "key_encrypted.pem",
      password: "somepass",
    },
  ];
  for (const options of valid) {
    const server = make(options);
    ok(server.serverPort > 0);
    server.serverClose();
  }
});

Deno.test("HTTPSServer refuses invalid certificate data at construction (test_invalid_certdata)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/bad.pem`,
      "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
    );
    await Deno.writeTextFile(`${dir}/empty.pem`, "");
    const invalid: [HTTPSServerOptions, RegExp][] = [
      [
        { certfile: `${dir}/bad.pem`, keyfile: TLS + "key.pem" },
        /invalid certificate/,
      ],
      [{ certfile: `${dir}/empty.pem` }, /no certificate found/],
      [{ certfile: TLS + "cert.pem" }, /no private key found/],
      [{ certfile: TLS + "key.pem" }, /no certificate found/],
      [
        { certfile: TLS + "key.pem", keyfile: TLS + "cert.pem" },
        /no certificate found/,
      ],
      [
        { certfile: TLS + "combined_encrypted.pem", password: "badpass" },
        /wrong password/,
      ],
      [{ certfile: TLS + "combined_encrypted.pem" }, /encrypted or invalid/],
      [
        { certfile: TLS + "cert.pem", keyfile: TLS + "other_key.pem" },
        /does not match/,
      ],
      [
        { certfile: `${dir}/missing.pem` },
        /Cannot read the TLS certificate file/,
      ],
    ];
    for (const [options, message] of invalid) {
      throws(() => make(options).serverClose(), message);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HTTPSServer closes a plain-HTTP client quietly", async () => {
  await using server = new ThreadingHTTPSServer(["127.0.0.1", 0], Handler, {
    certfile: TLS + "combined.pem",
  });
  const errors: unknown[] = [];
  server.handleError = (_r, _a, e) => void errors.push(e);
  server.serveForever();
  // A TLS alert, then the close.
  await readUntilClose(server.serverPort, "GET / HTTP/1.1\r\n\r\n");
  strictEqual(errors.length, 0);
});
