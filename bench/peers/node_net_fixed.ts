// Copyright 2026 the httpserver authors. MIT license.
/**
 * The same bare loop as `deno_listen_fixed.ts`, over `node:net` in Deno
 * (a native TCP wrap since Deno 2.7.13: reads arrive through callbacks, no
 * promise per read or write): finds the end of each request head, looks
 * for `Connection: close`, writes a fixed 1 KiB response. Whether it costs
 * less than the `Deno.listen` loop says whether a `node:net` transport
 * would lower the floor of a server written in JavaScript.
 *
 * Usage: `deno run --allow-net bench/peers/node_net_fixed.ts PORT`
 * @module
 */
import { createServer, type Socket } from "node:net";
import { Buffer } from "node:buffer";
import { CLOSE_HEADER, fixedResponse } from "./_fixed_response.ts";

const port = Number(Deno.args[0] ?? 0);
const KEEP = Buffer.from(fixedResponse(false), "latin1");
const CLOSE = Buffer.from(fixedResponse(true), "latin1");

function serve(socket: Socket): void {
  let text = "";
  socket.on("data", (chunk: Buffer) => {
    // Heads are ASCII: one char per byte.
    text += chunk.toString("latin1");
    let start = 0;
    let end: number;
    while ((end = text.indexOf("\r\n\r\n", start)) >= 0) {
      end += 4;
      const close = CLOSE_HEADER.test(text.slice(start, end));
      if (close) {
        // Write, then close, as the Deno.listen loop does (no shutdown).
        socket.write(CLOSE, () => socket.destroy());
        text = "";
        return;
      }
      socket.write(KEEP);
      start = end;
    }
    text = text.slice(start);
    if (text.length > 65536) socket.destroy();
  });
  socket.on("error", () => socket.destroy());
}

const server = createServer({ noDelay: true }, serve);
server.listen(port, "127.0.0.1", () => {
  const addr = server.address();
  const p = typeof addr === "object" && addr ? addr.port : port;
  console.log(`Listening on http://127.0.0.1:${p}/`);
});
