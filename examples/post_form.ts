// Copyright 2026 the httpserver authors. MIT license.
/**
 * The tutorial's POST handler: parses a submitted form, `multipart/form-data`
 * (with file uploads) or `application/x-www-form-urlencoded`, with the Web
 * `Request` parser over the request body (`rfile`), up to `maxFormBytes`.
 *
 * ```sh
 * deno run --allow-net examples/post_form.ts [port]
 * curl http://localhost:8080/ -F name=dhellmann -F foo=bar -F datafile=@examples/get_echo.ts
 * ```
 * @module
 */
import { BaseHTTPRequestHandler, HTTPServer } from "@x/httpserver";

/** Echoes the fields of a posted form; uploaded files by name and size. */
export class PostHandler extends BaseHTTPRequestHandler {
  /** Largest form accepted, in bytes; a bigger one gets 413. */
  maxFormBytes = 16 * 1024 * 1024;

  async doPOST(): Promise<void> {
    // Parse the form data posted (read up to the limit, then parse).
    const body = await this.rfile.read(this.maxFormBytes + 1);
    if (body.length > this.maxFormBytes) {
      await this.sendError(413);
      return;
    }
    let form: FormData;
    try {
      form = await new Request("http://localhost/", {
        method: "POST",
        headers: { "Content-Type": this.headers.get("Content-Type", "") },
        body,
      }).formData();
    } catch {
      await this.sendError(400, "Cannot parse the form data");
      return;
    }

    // Begin the response.
    this.sendResponse(200);
    this.sendHeader("Content-Type", "text/plain; charset=utf-8");
    await this.endHeaders();
    await this.wfile.write(`Client: ${JSON.stringify(this.clientAddress)}\n`);
    await this.wfile.write(`User-agent: ${this.headers.get("User-Agent")}\n`);
    await this.wfile.write(`Path: ${this.path}\n`);
    await this.wfile.write("Form data:\n");

    // Echo back information about what was posted in the form.
    for (const [field, value] of form) {
      if (value instanceof File) {
        // The field contains an uploaded file.
        await this.wfile.write(
          `\tUploaded ${field} as "${value.name}" (${value.size} bytes)\n`,
        );
      } else {
        // Regular form value.
        await this.wfile.write(`\t${field}=${value}\n`);
      }
    }
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 8080);
  const server = new HTTPServer(["localhost", port], PostHandler);
  console.log("Starting server, use <Ctrl-C> to stop");
  console.log(`Serving on http://localhost:${server.serverPort}/`);
  await server.serveForever();
}
