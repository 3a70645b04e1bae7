// Copyright 2026 the httpserver authors. MIT license.
/**
 * `wfile`: the response as a Web stream, with a `write()` shortcut that takes
 * bytes or a string.
 * @module
 */
import type { ConnWriter } from "./_http1/writer.ts";

const encoder = new TextEncoder();

/**
 * The response as a `WritableStream<Uint8Array>`. `write()` is the short form:
 * it takes bytes or a string (sent as UTF-8). Small writes are gathered and
 * sent together; `flush()` sends what is gathered now. Closing the stream
 * (for example at the end of `pipeTo()`) ends this response's writing, not
 * the connection.
 *
 * @example Write text and bytes, or pipe a stream
 * ```ts
 * import { BaseHTTPRequestHandler } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { ok } from "node:assert/strict";
 *
 * class Writer extends BaseHTTPRequestHandler {
 *   async doGET(): Promise<void> {
 *     this.sendResponse(200);
 *     await this.endHeaders();
 *     await this.wfile.write("text, ");
 *     await this.wfile.write(new Uint8Array([98, 121, 116, 101, 115, 44, 32]));
 *     await ReadableStream.from(["a ", "stream"])
 *       .pipeThrough(new TextEncoderStream())
 *       .pipeTo(this.wfile);
 *   }
 *   override logMessage(): void {}
 * }
 * const conn = await runHandler(Writer, "GET / HTTP/1.0\r\n\r\n");
 * ok(conn.text().endsWith("\r\n\r\ntext, bytes, a stream"));
 * ```
 */
export class WFile extends WritableStream<Uint8Array> {
  #out: ConnWriter;

  /** Made by the handler for each connection (`wfile`). */
  constructor(out: ConnWriter, onClose: () => void) {
    super({
      write(chunk) {
        return out.write(chunk);
      },
      close() {
        onClose();
        return out.flush();
      },
    });
    this.#out = out;
  }

  /**
   * Writes `data` (a string is encoded as UTF-8). Resolves when the bytes are
   * buffered or sent; awaiting it gives backpressure.
   */
  write(data: Uint8Array | string): Promise<void> {
    return this.#out.write(
      typeof data === "string" ? encoder.encode(data) : data,
    );
  }

  /** Sends whatever is buffered now. */
  flush(): Promise<void> {
    return this.#out.flush();
  }
}
