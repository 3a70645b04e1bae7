// Copyright 2026 the httpserver authors. MIT license.
/**
 * The floor of any server written over `Deno.listen`: a bare loop that reads
 * a request head and writes the same 1 KiB response, with no parsing beyond
 * finding the end of the head and a `Connection: close`, no timers, no
 * handler objects, no file calls. Whatever ours spends above this is ours;
 * what this spends above `Deno.serve` is the runtime's `Deno.listen` path.
 *
 * Usage: `deno run --allow-net bench/peers/deno_listen_fixed.ts PORT`
 * @module
 */

import { CLOSE_HEADER, fixedResponse } from "./_fixed_response.ts";

const port = Number(Deno.args[0] ?? 0);
const enc = new TextEncoder();
const KEEP = enc.encode(fixedResponse(false));
const CLOSE = enc.encode(fixedResponse(true));

async function serve(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(16384);
  let text = "";
  try {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) return;
      // Heads are ASCII: one char per byte.
      text += String.fromCharCode(...buf.subarray(0, n));
      // indexOf, not a shared /g regex: its lastIndex would be reset by
      // other connections while this one awaits its write, and the same
      // head answered twice (an earlier version did that).
      let start = 0;
      let end: number;
      while ((end = text.indexOf("\r\n\r\n", start)) >= 0) {
        end += 4;
        const close = CLOSE_HEADER.test(text.slice(start, end));
        await conn.write(close ? CLOSE : KEEP);
        if (close) return;
        start = end;
      }
      text = text.slice(start);
      if (text.length > 65536) return;
    }
  } catch {
    // The client went away.
  } finally {
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

const listener = Deno.listen({ hostname: "127.0.0.1", port });
console.log(`Listening on http://127.0.0.1:${listener.addr.port}/`);
for await (const conn of listener) serve(conn);
