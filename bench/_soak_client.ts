// Copyright 2026 the httpserver authors. MIT license.
/**
 * The soak test's HTTP/1.1 client: one connection, requests written whole,
 * responses parsed with Content-Length, chunked coding or read to EOF.
 * @module
 */

import { BufReader } from "../handlers/_http1/reader.ts";
import { concat } from "../tests/_util.ts";

const encoder = new TextEncoder();
const MAX_LINE = 65536;
const decoder = new TextDecoder();

/** One response as the client parsed it. */
export interface Res {
  status: number;
  headers: Map<string, string>;
  body: Uint8Array;
}

export class Client {
  #conn: Deno.Conn;
  #in: BufReader;
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.#in = new BufReader(conn);
  }
  /** Takes exactly `n` bytes. */
  async #bytes(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    for (let filled = 0; filled < n;) {
      const got = await this.#in.read(out.subarray(filled));
      if (got === null) throw new Error("Connection closed early");
      filled += got;
    }
    return out;
  }
  async #line(): Promise<string> {
    const raw = await this.#in.readLine(MAX_LINE);
    if (raw.length === 0 || raw[raw.length - 1] !== 10) {
      throw new Error("Connection closed early");
    }
    const line = decoder.decode(raw.subarray(0, raw.length - 1));
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  }
  send(text: string): Promise<number> {
    return this.#conn.write(encoder.encode(text));
  }
  async read(head: boolean): Promise<Res> {
    const statusLine = await this.#line();
    const status = Number(statusLine.split(" ")[1]);
    const headers = new Map<string, string>();
    for (let line; (line = await this.#line()) !== "";) {
      const i = line.indexOf(":");
      headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
    }
    let body: Uint8Array = new Uint8Array(0);
    if (head || status === 304 || status === 204 || status < 200) {
      return { status, headers, body };
    }
    const length = headers.get("content-length");
    if (length !== undefined) {
      body = await this.#bytes(Number(length));
    } else if (headers.get("transfer-encoding") === "chunked") {
      const parts: Uint8Array[] = [];
      while (true) {
        const size = parseInt(await this.#line(), 16);
        if (size === 0) {
          while ((await this.#line()) !== "") { /* trailers */ }
          break;
        }
        parts.push(await this.#bytes(size));
        await this.#bytes(2);
      }
      body = concat(parts);
    } else {
      const parts: Uint8Array[] = [];
      const chunk = new Uint8Array(65536);
      for (let n; (n = await this.#in.read(chunk)) !== null;) {
        parts.push(chunk.slice(0, n));
      }
      body = concat(parts);
    }
    return { status, headers, body };
  }
  /** Whether the server closed the connection with nothing more sent. */
  async closed(): Promise<boolean> {
    return await this.#in.read(new Uint8Array(1)) === null;
  }
  close(): void {
    try {
      this.#conn.close();
    } catch { /* closed */ }
  }
}

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
