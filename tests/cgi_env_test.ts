// Copyright 2026 the httpserver authors. MIT license.
// The CGI environment against variables inherited from the server's own.
import { strictEqual } from "node:assert/strict";
import { withTimeout } from "./_util.ts";

Deno.test({
  name:
    "CGIHTTPRequestHandler does not pass CGI variables from the server's environment",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      // As root the script runs as nobody, who must be able to reach it.
      await Deno.chmod(dir, 0o755);
      await Deno.mkdir(`${dir}/cgi-bin`);
      await Deno.writeTextFile(
        `${dir}/cgi-bin/env.sh`,
        '#!/bin/sh\nprintf "Content-Type: text/plain\\n\\n"\necho "REMOTE_USER=[$REMOTE_USER] AUTH_TYPE=[$AUTH_TYPE] HTTP_X=[$HTTP_X] KEEP=[$KEEP]"\n',
      );
      await Deno.chmod(`${dir}/cgi-bin/env.sh`, 0o755);
      const server = `
        import { CGIHTTPRequestHandler, HTTPServer } from "${new URL(
        "../mod.ts",
        import.meta.url,
      )}";
        class H extends CGIHTTPRequestHandler {
          override directory = ${JSON.stringify(dir)};
          override logMessage(): void {}
        }
        const s = new HTTPServer(["127.0.0.1", 0], H);
        console.log(s.serverPort);
        await s.serveForever();`;
      const child = new Deno.Command(Deno.execPath(), {
        args: ["eval", server],
        env: {
          REMOTE_USER: "leaked",
          AUTH_TYPE: "leaked",
          HTTP_X: "leaked",
          KEEP: "kept",
        },
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      try {
        const reader = child.stdout.pipeThrough(new TextDecoderStream())
          .getReader();
        const first = await withTimeout(
          reader.read(),
          "the server's port line",
        );
        const port = Number(first.value?.trim());
        reader.releaseLock();
        const res = await withTimeout(
          fetch(`http://127.0.0.1:${port}/cgi-bin/env.sh`),
          "CGI request",
        );
        strictEqual(
          await res.text(),
          "REMOTE_USER=[] AUTH_TYPE=[] HTTP_X=[] KEEP=[kept]\n",
        );
      } finally {
        child.kill();
        await child.status;
        await child.stdout.cancel().catch(() => {});
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
