// Copyright 2026 the httpserver authors. MIT license.
/**
 * The upload server a Deno user would write with `Deno.serve`: `PUT` streams
 * `req.body` into the file (`pipeTo(file.writable)`), `POST` reads the form
 * with `req.formData()` and writes each file. A `GET` answers 200 (the
 * harness's probe).
 *
 * Usage: `deno run --allow-net --allow-read --allow-write bench/peers/deno_serve_upload.ts PORT ROOT`
 * @module
 */
import { join, normalize } from "node:path";

const port = Number(Deno.args[0] ?? 0);
const root = Deno.realPathSync(Deno.args[1] ?? ".");

async function handler(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const path = join(root, normalize("/" + decodeURIComponent(url.pathname)));
  if (req.method === "PUT") {
    const file = await Deno.open(path, {
      write: true,
      create: true,
      truncate: true,
    });
    await req.body!.pipeTo(file.writable);
    return new Response(null, { status: 201 });
  }
  if (req.method === "POST") {
    const form = await req.formData();
    for (const [, value] of form) {
      if (typeof value === "string") continue;
      const file = await Deno.open(join(path, value.name), {
        write: true,
        create: true,
        truncate: true,
      });
      await value.stream().pipeTo(file.writable);
    }
    return new Response(null, { status: 201 });
  }
  return new Response("ok\n");
}

Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ hostname, port }) =>
    console.log(`Listening on http://${hostname}:${port}/`),
}, handler);
