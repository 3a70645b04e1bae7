// Copyright 2026 the httpserver authors. MIT license.
/**
 * The native ceiling: `Deno.serve` answering every request with the same
 * 1 KiB body, no file calls at all.
 *
 * Usage: `deno run --allow-net bench/peers/deno_serve_fixed.ts PORT`
 * @module
 */

const port = Number(Deno.args[0] ?? 0);
const BODY = "x".repeat(1023) + "\n";

Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ hostname, port }) =>
    console.log(`Listening on http://${hostname}:${port}/`),
}, () =>
  new Response(BODY, {
    headers: { "content-type": "application/octet-stream" },
  }));
