// Copyright 2026 the httpserver authors. MIT license.
/** Test helpers: bounded waits, raw-socket clients, servers on port 0. */
import {
  HTTPServer,
  type HTTPServerOptions,
  type RequestHandlerClass,
} from "../server.ts";
import { concatBytes as concat } from "../_bytes.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Default bound for any single wait in a test. */
export const WAIT_MS = 10_000;

/** Resolves like `promise`, or rejects with `reason` after `ms`. */
export async function withTimeout<T>(
  promise: Promise<T>,
  reason: string,
  ms: number = WAIT_MS,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${ms} ms: ${reason}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A running server on 127.0.0.1 and a random port; dispose to stop it. */
export interface TestServer extends AsyncDisposable {
  server: HTTPServer;
  port: number;
  /** Errors passed to `handleError()`. */
  errors: unknown[];
}

/** Starts `Handler` on `127.0.0.1:0` with `serveForever()` running. */
export function startServer(
  Handler: RequestHandlerClass,
  options: HTTPServerOptions = {},
  ServerClass: typeof HTTPServer = HTTPServer,
): TestServer {
  const errors: unknown[] = [];
  const server = new ServerClass(["127.0.0.1", 0], Handler, options);
  server.handleError = (_req, _addr, error) => {
    errors.push(error);
  };
  const serving = server.serveForever();
  return {
    server,
    port: server.serverPort,
    errors,
    async [Symbol.asyncDispose]() {
      await withTimeout(server.shutdown(), "server shutdown");
      await serving;
      server.serverClose();
    },
  };
}

// Concatenates byte arrays: the source's helper, under the tests' name.
export { concat };

/** Reads from `conn` until EOF. */
export async function readAll(
  conn: Deno.Conn,
  reason = "reading until EOF",
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  await withTimeout(
    (async () => {
      while (true) {
        let n: number | null;
        try {
          n = await conn.read(buf);
        } catch (error) {
          if (error instanceof Deno.errors.ConnectionReset) break;
          throw error;
        }
        if (n === null) break;
        parts.push(buf.slice(0, n));
      }
    })(),
    reason,
  );
  return concat(parts);
}

/**
 * Sends `request` (text as Latin-1-safe UTF-8, or bytes) on a new connection
 * and returns everything the server sends until it closes.
 */
export async function rawExchange(
  port: number,
  request: string | Uint8Array,
): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      typeof request === "string" ? encoder.encode(request) : request,
    );
    return decoder.decode(
      await readAll(
        conn,
        `response to ${JSON.stringify(String(request).slice(0, 40))}`,
      ),
    );
  } finally {
    conn.close();
  }
}

/** One parsed HTTP/1.x response. */
export interface RawResponse {
  statusLine: string;
  status: number;
  version: string;
  reason: string;
  /** Header lines as `[name, value]`, in order, names as sent. */
  headers: [string, string][];
  body: Uint8Array;
  /** The raw head text, CRLFs included. */
  head: string;
}

/** First value of a header, case-insensitively. */
export function header(res: RawResponse, name: string): string | undefined {
  return res.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/**
 * Reads responses from a persistent connection, one at a time; the body is
 * delimited by Content-Length, or read to EOF when there is none
 * (`noBody` for HEAD or 1xx/204/304).
 */
export class ResponseReader {
  #conn: Deno.Conn;
  #buf: Uint8Array = new Uint8Array(0);
  #eof = false;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  async #more(): Promise<boolean> {
    if (this.#eof) return false;
    const chunk = new Uint8Array(65536);
    const n = await this.#conn.read(chunk);
    if (n === null) {
      this.#eof = true;
      return false;
    }
    this.#buf = concat([this.#buf, chunk.subarray(0, n)]);
    return true;
  }

  /** Reads one response; `noBody` skips reading a body. */
  read(noBody = false): Promise<RawResponse> {
    return withTimeout(this.#read(noBody), "reading a response");
  }

  async #read(noBody: boolean): Promise<RawResponse> {
    let end: number;
    while ((end = indexOfCrlfCrlf(this.#buf)) < 0) {
      if (!await this.#more()) {
        throw new Error("Connection closed before a response head");
      }
    }
    const head = new TextDecoder("latin1").decode(
      this.#buf.subarray(0, end + 4),
    );
    this.#buf = this.#buf.subarray(end + 4);
    const lines = head.split("\r\n");
    const statusLine = lines[0]!;
    const [version, code, ...reason] = statusLine.split(" ");
    const headers = lines.slice(1).filter((l) => l).map((l) => {
      const i = l.indexOf(":");
      return [l.slice(0, i), l.slice(i + 1).trim()] as [string, string];
    });
    const res: RawResponse = {
      statusLine,
      status: Number(code),
      version: version!,
      reason: reason.join(" "),
      headers,
      body: new Uint8Array(0),
      head,
    };
    if (
      noBody || res.status < 200 || res.status === 204 || res.status === 304
    ) return res;
    const length = header(res, "content-length");
    if (length !== undefined) {
      const n = Number(length);
      while (this.#buf.length < n) {
        if (!await this.#more()) {
          throw new Error("Connection closed inside a response body");
        }
      }
      res.body = this.#buf.slice(0, n);
      this.#buf = this.#buf.subarray(n);
    } else {
      while (await this.#more()) { /* read to EOF */ }
      res.body = this.#buf.slice();
      this.#buf = new Uint8Array(0);
    }
    return res;
  }

  /** Whether the server closed the connection with nothing more to read. */
  async closed(): Promise<boolean> {
    if (this.#buf.length) return false;
    return !await withTimeout(this.#more(), "waiting for the server to close");
  }
}

function indexOfCrlfCrlf(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

/** Sends `request` and reads one response on a fresh connection, then closes it. */
export async function request(
  port: number,
  req: string | Uint8Array,
  noBody = false,
): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(typeof req === "string" ? encoder.encode(req) : req);
    return await new ResponseReader(conn).read(noBody);
  } finally {
    conn.close();
  }
}
