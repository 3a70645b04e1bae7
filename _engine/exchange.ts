// Copyright 2026 the httpserver authors. MIT license.
/**
 * One `Deno.serve` request and its response, as a handler's connection
 * carries them (see `lane.ts`): reading gives the request as HTTP/1.1 bytes
 * (a made-up request line, then the body from `request.body`, chunked when
 * it has no length), the header fields going to the handler's parser as they
 * are (bytes only for a handler that reads them itself); writing feeds a
 * parser that turns the handler's output back into a `Response`.
 *
 * A response that ends within 64 KiB, before the event loop turns, becomes a
 * byte body that Deno writes in one go; a longer or slower one becomes a
 * stream, pulled as the client reads (each write waits while 512 KiB are
 * queued). Body chunks are copied: the handler's writer reuses its buffers.
 * @module
 */
import { SMALL_RESPONSE } from "../handlers/_http1/writer.ts";
import { concatBytes } from "../_bytes.ts";
import { OutputError, OutputParser, type OutputSink } from "./output_parser.ts";
import { encodeFields, requestParts } from "./request_head.ts";

const encoder = new TextEncoder();
const CRLF = encoder.encode("\r\n");
const LAST_CHUNK = encoder.encode("0\r\n\r\n");
const noop = () => {};
/**
 * Bytes a response stream may hold before writes wait for the client: two
 * of the file body's 256 KiB chunks, as over a socket.
 */
const STREAM_QUEUE = 512 * 1024;
/** Larger writes are fed in pieces of this size, each waiting its turn. */
const WRITE_PIECE = 1024 * 1024;
/** What reads and writes get once the exchange is over (made once: a stack costs). */
/** The error a read or write on a closed lane or exchange fails with. */
export const CLOSED: Error = new Deno.errors.BadResource(
  "The connection is closed",
);

/** Responses not decided yet (bytes or stream), looked at on the next turn. */
const undecided = new Set<Exchange>();
let armed = false;

function decide(): void {
  armed = false;
  const waiting = [...undecided];
  undecided.clear();
  for (const conn of waiting) conn.stream();
}

/** What an exchange tells its owner. */
export interface ExchangeHooks {
  /** A broken handler: output that is not HTTP/1, or a status Deno refuses. */
  onError(error: unknown): void;
  /** A read or write began to wait (the owner starts its timeout sweep). */
  onWait(): void;
  /** The exchange cannot go on (the client left, the output broke). */
  onAbort(reason: Error): void;
}

const enum Out {
  /** No final head yet. */
  Head,
  /** Head seen; body bytes gather until the response ends or grows. */
  Buffer,
  /** The response is a stream. */
  Stream,
  /** The response is complete, or failed. */
  Done,
}

/** One `Deno.serve` request, read by a handler, and its response. */
export class Exchange implements OutputSink {
  /** The `Response` for `Deno.serve`, once the handler has said enough. */
  readonly response: Promise<Response>;
  #resolve!: (response: Response) => void;
  #hooks: ExchangeHooks;

  #in: Uint8Array[];
  /** The header fields, until the handler takes them or reads their bytes. */
  #fields: [string, string][] | null;
  #body: ReadableStreamDefaultReader<Uint8Array> | null;
  #chunked: boolean;
  /** Body bytes not handed out yet, when the length is known. */
  #remaining: number | null;

  #parser: OutputParser;
  #out = Out.Head;
  #status = 0;
  #headers: [string, string][] = [];
  #parts: Uint8Array[] = [];
  /**
   * `#parts` from this index on are views of the bytes being written, valid
   * only until `write()` returns: copied then, unless the response was
   * answered from them at once.
   */
  #borrowed = 0;
  #size = 0;
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  #drained: PromiseWithResolvers<void> | null = null;
  #closed: Error | null = null;
  #timedOut = false;

  constructor(request: Request, hooks: ExchangeHooks) {
    this.#hooks = hooks;
    const { line, fields, chunked, length } = requestParts(request);
    this.#in = [line];
    this.#fields = fields;
    this.#body = length === 0 ? null : request.body?.getReader() ?? null;
    this.#chunked = chunked;
    this.#remaining = length;
    this.#parser = new OutputParser(this, request.method === "HEAD");
    this.response = new Promise((resolve) => this.#resolve = resolve);
  }

  // ---- The request, as the handler reads it.

  /** Whether the handler has been given the whole request. */
  get requestDone(): boolean {
    return this.#in.length === 0 && this.#fields === null &&
      this.#body === null;
  }

  /**
   * The header fields, once the request line is read (see `FieldSource` in
   * `handlers/_http1/conn_io.ts`): the handler's parser takes them as they
   * are, and no head is written and read back.
   */
  takeFields(): [string, string][] | null {
    if (this.#in.length) return null;
    const fields = this.#fields;
    this.#fields = null;
    return fields;
  }

  /** Whether the response is complete (the handler may read the next request). */
  get complete(): boolean {
    return this.#parser.done;
  }

  /** Gives the request line, the header block, then the body; `null` after its end. */
  read(p: Uint8Array): Promise<number | null> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (this.#in.length === 0 && this.#fields !== null) {
      // The handler reads the header block itself: as bytes, then.
      this.#in.push(encodeFields(this.#fields));
      this.#fields = null;
    }
    if (this.#in.length) return Promise.resolve(this.#take(p));
    if (this.#body === null) return Promise.resolve(null);
    return this.#readBody(p);
  }

  #take(p: Uint8Array): number {
    const first = this.#in[0]!;
    const n = Math.min(p.length, first.length);
    p.set(first.subarray(0, n));
    if (n === first.length) this.#in.shift();
    else this.#in[0] = first.subarray(n);
    return n;
  }

  async #readBody(p: Uint8Array): Promise<number | null> {
    const body = this.#body!;
    let chunk: Uint8Array | undefined;
    while (!chunk?.length) {
      let result: ReadableStreamReadResult<Uint8Array>;
      this.#hooks.onWait();
      try {
        result = await body.read();
      } catch (error) {
        throw this.#closed ?? new Deno.errors.ConnectionReset(
          "The client closed the connection during the request body",
          { cause: error },
        );
      }
      if (this.#closed) throw this.#closed;
      if (result.done) {
        this.#body = null;
        if (!this.#chunked) return null;
        this.#in.push(LAST_CHUNK);
        return this.#take(p);
      }
      chunk = result.value;
    }
    if (this.#remaining !== null) {
      this.#remaining -= chunk.length;
      // The last byte: no need to wait for the stream to say so.
      if (this.#remaining <= 0) this.#body = null;
    }
    if (this.#chunked) {
      this.#in.push(
        encoder.encode(chunk.length.toString(16) + "\r\n"),
        chunk,
        CRLF,
      );
    } else this.#in.push(chunk);
    return this.#take(p);
  }

  #dropBody(): void {
    if (this.#body === null) return;
    this.#body.cancel().catch(noop);
    this.#body = null;
  }

  // ---- The response, as the handler writes it.

  /** Parses the handler's bytes; waits while the client is behind. */
  write(p: Uint8Array): Promise<number> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (p.length > WRITE_PIECE && this.#out !== Out.Done) {
      return this.#writeLarge(p);
    }
    if (!this.#feed(p)) return Promise.reject(this.#closed);
    return this.#behind()
      ? this.#wait().then(() => p.length)
      : Promise.resolve(p.length);
  }

  async #writeLarge(p: Uint8Array): Promise<number> {
    for (let at = 0; at < p.length; at += WRITE_PIECE) {
      if (this.#closed) throw this.#closed;
      if (!this.#feed(p.subarray(at, at + WRITE_PIECE))) throw this.#closed;
      if (this.#behind()) await this.#wait();
    }
    return p.length;
  }

  /** Feeds the parser; false when the output is broken (reported, closed). */
  #feed(p: Uint8Array): boolean {
    if (this.#parser.done) return true; // Bytes after the response: dropped.
    try {
      this.#parser.feed(p);
    } catch (error) {
      if (!(error instanceof OutputError)) throw error;
      this.#fail(error);
      return false;
    }
    this.#keepParts();
    // A head without the end of its body yet: decided on the next turn.
    if (this.#out === Out.Buffer && !undecided.has(this)) {
      undecided.add(this);
      if (!armed) {
        armed = true;
        setTimeout(decide, 0);
      }
    }
    return true;
  }

  #behind(): boolean {
    const c = this.#controller;
    return this.#out === Out.Stream && c !== null && (c.desiredSize ?? 1) <= 0;
  }

  #wait(): Promise<void> {
    this.#hooks.onWait();
    this.#drained ??= Promise.withResolvers<void>();
    return this.#drained.promise;
  }

  /** @internal The final head (OutputSink). */
  head(status: number, headers: [string, string][], bodyless: boolean): void {
    this.#status = status;
    this.#headers = headers;
    if (bodyless) return; // end() follows at once.
    this.#out = Out.Buffer;
  }

  /** @internal Body bytes (OutputSink). */
  data(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.#out === Out.Stream) this.#controller!.enqueue(chunk.slice());
    else if (this.#out === Out.Buffer) {
      // Copied when the write returns, if the response is not answered by then.
      this.#parts.push(chunk);
      this.#size += chunk.length;
      if (this.#size > SMALL_RESPONSE) this.stream();
    }
  }

  /** Copies the parts that are still views of the caller's bytes. */
  #keepParts(): void {
    const parts = this.#parts;
    for (let i = this.#borrowed; i < parts.length; i++) {
      parts[i] = parts[i]!.slice();
    }
    this.#borrowed = parts.length;
  }

  /** @internal The body is complete (OutputSink). */
  end(): void {
    undecided.delete(this);
    const out = this.#out;
    this.#out = Out.Done;
    if (out === Out.Stream) this.#controller!.close();
    else if (out !== Out.Done) this.#respond(this.#bytes());
  }

  /**
   * The body gathered, for a byte body: the `Response` constructor copies
   * it, so a single part may still be a view of the bytes being written.
   */
  #bytes(): Uint8Array | null {
    const parts = this.#parts;
    if (parts.length === 0) return null;
    this.#parts = [];
    this.#borrowed = 0;
    return concatBytes(parts, this.#size);
  }

  /** Answers with a stream of the body so far and what follows. */
  stream(): void {
    undecided.delete(this);
    if (this.#out !== Out.Buffer) return;
    this.#out = Out.Stream;
    this.#keepParts();
    const parts = this.#parts;
    this.#parts = [];
    this.#borrowed = 0;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        for (const part of parts) controller.enqueue(part);
      },
      pull: () => this.#wake(),
      cancel: () => {
        // The client went away: the handler's next read or write fails.
        this.#out = Out.Done;
        this.#hooks.onAbort(
          new Deno.errors.BrokenPipe("The client closed the connection"),
        );
      },
    }, { highWaterMark: STREAM_QUEUE, size: (chunk) => chunk.byteLength });
    this.#respond(body);
  }

  #wake(): void {
    const drained = this.#drained;
    this.#drained = null;
    drained?.resolve();
  }

  #respond(body: Uint8Array | ReadableStream<Uint8Array> | null): void {
    let response: Response;
    try {
      // A byte body is copied here (Fetch: "extract a body").
      response = new Response(body as BodyInit | null, {
        status: this.#status,
        headers: this.#headers,
      });
    } catch (error) {
      // A status outside 200-599, or a header Deno refuses.
      this.#fail(error);
      return;
    }
    this.#resolve(response);
  }

  /** Reports a broken response, answers 500 if nothing was sent, and closes. */
  #fail(error: unknown): void {
    const out = this.#out;
    this.#out = Out.Done;
    undecided.delete(this);
    this.#hooks.onError(error);
    if (out === Out.Stream) this.#controller!.error(error);
    else this.#resolve(new Response(null, { status: 500 }));
    this.#hooks.onAbort(
      new Deno.errors.BrokenPipe("The response could not be sent"),
    );
  }

  // ---- The end.

  /** A body read or response write waited too long: an unanswered request gets 408. */
  timedOut(): void {
    this.#timedOut = true;
  }

  /**
   * Ends the exchange: the handler moved on or finished, the client left,
   * or a timeout struck. A response cut short stays short: Deno closes the
   * connection after what was sent. The rest of the body is dropped.
   */
  close(reason?: Error): void {
    if (this.#closed) return;
    this.#closed = reason ?? CLOSED;
    this.#dropBody();
    const drained = this.#drained;
    this.#drained = null;
    drained?.reject(this.#closed);
    drained?.promise.catch(noop);
    if (this.#out === Out.Done) return;
    undecided.delete(this);
    if (this.#parser.finish()) return; // end() ran.
    if (this.#out === Out.Head) {
      // The handler sent no response at all.
      this.#out = Out.Done;
      this.#resolve(new Response(null, { status: this.#timedOut ? 408 : 500 }));
      return;
    }
    if (this.#out === Out.Buffer) this.stream();
    this.#out = Out.Done;
    const controller = this.#controller!;
    try {
      // A short Content-Length body closes the connection by itself; a
      // chunked one must not get its last chunk from Deno.
      if (this.#parser.framing === "chunked") controller.error(this.#closed);
      else controller.close();
    } catch { /* the client cancelled it */ }
  }
}
