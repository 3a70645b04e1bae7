// Copyright 2026 the httpserver authors. MIT license.
/**
 * The soak test's HTTP/1.1 client: one connection, requests written whole,
 * responses parsed with Content-Length, chunked coding or read to EOF.
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One response as the client parsed it. */
export interface Res {
  status: number;
  headers: Map<string, string>;
  body: Uint8Array;
}

export class Client {
  #conn: Deno.Conn;
  #buf = new Uint8Array(65536);
  #start = 0;
  #end = 0;
  #eof = false;
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }
  /** Reads more into the buffer (compacting or growing it); false at EOF. */
  async #more(): Promise<boolean> {
    if (this.#eof) return false;
    if (this.#end === this.#buf.length) {
      if (this.#start > 0) {
        this.#buf.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#start = 0;
      } else {
        const bigger = new Uint8Array(this.#buf.length * 2);
        bigger.set(this.#buf);
        this.#buf = bigger;
      }
    }
    const n = await this.#conn.read(this.#buf.subarray(this.#end));
    if (n === null) {
      this.#eof = true;
      return false;
    }
    this.#end += n;
    return true;
  }
  /** Takes exactly `n` bytes, reading straight into the result. */
  async #bytes(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    const have = Math.min(n, this.#end - this.#start);
    out.set(this.#buf.subarray(this.#start, this.#start + have));
    this.#start += have;
    let filled = have;
    while (filled < n) {
      const got = await this.#conn.read(out.subarray(filled));
      if (got === null) throw new Error("Connection closed early");
      filled += got;
    }
    return out;
  }
  async #line(): Promise<string> {
    let scanned = this.#start;
    while (true) {
      const i = this.#buf.subarray(scanned, this.#end).indexOf(10);
      if (i >= 0) {
        const end = scanned + i;
        const line = decoder.decode(this.#buf.subarray(this.#start, end));
        this.#start = end + 1;
        return line.endsWith("\r") ? line.slice(0, -1) : line;
      }
      scanned = this.#end;
      const offset = this.#start;
      if (!await this.#more()) throw new Error("Connection closed early");
      scanned -= offset - this.#start; // the buffer may have been compacted
    }
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
      while (await this.#more()) { /* to EOF */ }
      body = this.#buf.slice(this.#start, this.#end);
      this.#start = this.#end;
    }
    return { status, headers, body };
  }
  async closed(): Promise<boolean> {
    if (this.#end > this.#start) return false;
    return !await this.#more();
  }
  close(): void {
    try {
      this.#conn.close();
    } catch { /* closed */ }
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
