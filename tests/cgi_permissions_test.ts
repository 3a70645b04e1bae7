// Copyright 2026 the httpserver authors. MIT license.
// CGIHTTPRequestHandler under narrow permissions, in a subprocess:
// `--allow-run=<one script>` (or the interpreter) is enough, and a script Deno
// may not run gets 403 and a log line naming the flag, never a prompt or a
// PermissionDenied traceback.
import { ok, strictEqual } from "node:assert/strict";
import {
  INTERPRETERS,
  IS_ROOT,
  makeTree,
  req,
  skipReason,
  writeScript,
} from "./_cgi_fixture.ts";
import { header, request } from "./_raw_client.ts";
import { withTimeout } from "./_util.ts";

const ROOT = new URL("../", import.meta.url);
const decoder = new TextDecoder();

/** The server program: CGIHTTPRequestHandler on 127.0.0.1:0. */
function serverProgram(handlerFields: string): string {
  return `
import { HTTPServer } from ${JSON.stringify(new URL("server.ts", ROOT).href)};
import { CGIHTTPRequestHandler } from ${
    JSON.stringify(new URL("handlers/cgi.ts", ROOT).href)
  };
class Handler extends CGIHTTPRequestHandler {
  ${handlerFields}
}
const server = new HTTPServer(["127.0.0.1", 0], Handler);
console.log("PORT " + server.serverPort);
await server.serveForever();
`;
}

interface Served extends AsyncDisposable {
  port: number;
  /** The server's stderr, complete once disposed. */
  stderr: () => string;
}

/** Runs `program` in `cwd` with exactly `flags`. */
async function serve(
  program: string,
  cwd: string,
  flags: string[],
  env: Record<string, string> = {},
): Promise<Served> {
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, program);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${new URL("deno.json", ROOT).pathname}`,
      ...flags,
      file,
    ],
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let err = "";
  const stderrDone = child.stderr.pipeTo(
    new WritableStream({
      write(chunk) {
        err += decoder.decode(chunk, { stream: true });
      },
    }),
  );
  const stdout = child.stdout.getReader();
  let stopping: Promise<void> | null = null;
  const stop = () =>
    stopping ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* exited */ }
      await stdout.cancel();
      await withTimeout(child.status, "the server process exits");
      await stderrDone;
      await Deno.remove(file);
    })();
  let out = "";
  try {
    const port = await withTimeout(
      (async () => {
        while (!/PORT \d+\n/.test(out)) {
          const { value, done } = await stdout.read();
          if (done) throw new Error(`Server exited: ${err}`);
          out += decoder.decode(value);
        }
        return Number(/PORT (\d+)/.exec(out)![1]);
      })(),
      "the server prints its port",
      30_000,
    );
    return { port, stderr: () => err, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

Deno.test({
  name:
    "CGIHTTPRequestHandler runs with only --allow-run=<script> and answers 403 for other scripts",
  ignore: skipReason("sh") !== false,
  async fn() {
    const dir = await makeTree("sh");
    try {
      const allowed = `${dir}/cgi-bin/allowed.sh`;
      const denied = `${dir}/cgi-bin/denied.sh`;
      const body =
        `printf 'Content-Type: text/plain\\n\\n%s %s %s\\n' "$(id -u)" "\${LD_LIBRARY_PATH-unset}" "$SERVER_NAME"\n`;
      await writeScript(allowed, "sh", body);
      await writeScript(denied, "sh", body);
      let log: string;
      {
        // LD_LIBRARY_PATH in the server's environment: Deno passes it only
        // with an unrestricted --allow-run, so the handler leaves it out.
        await using srv = await serve(
          serverProgram(""),
          dir,
          [
            "--allow-net=127.0.0.1",
            `--allow-read=${dir}`,
            `--allow-run=${allowed}`,
          ],
          { LD_LIBRARY_PATH: "/nonexistent-ld-path" },
        );
        const ok1 = await request(srv.port, req("/cgi-bin/allowed.sh"));
        strictEqual(ok1.status, 200);
        strictEqual(
          ok1.text,
          `${IS_ROOT ? 65534 : Deno.uid()} unset localhost\n`,
        );
        const no = await request(srv.port, req("/cgi-bin/denied.sh"));
        strictEqual(
          no.statusLine,
          "HTTP/1.0 403 CGI script is not allowed to run ('/cgi-bin/denied.sh')",
        );
        strictEqual(header(no, "Content-Type"), "text/html;charset=utf-8");
        // The server still serves after the refusal.
        const again = await request(srv.port, req("/cgi-bin/allowed.sh"));
        strictEqual(again.status, 200);
        const file = await request(srv.port, req("/cgi-bin"));
        strictEqual(file.status, 301);
        await srv[Symbol.asyncDispose]();
        log = srv.stderr();
      }
      ok(
        log.includes(
          `CGI script /cgi-bin/denied.sh not run: Deno needs --allow-run=${denied}`,
        ),
        log,
      );
      ok(!/NotCapable|PermissionDenied|Exception occurred/.test(log), log);
      ok(log.includes('"GET /cgi-bin/allowed.sh HTTP/1.0" 200 -'), log);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "CGIHTTPRequestHandler runs a Python script through the interpreter with only --allow-run=<python>",
  ignore: skipReason("python") !== false,
  async fn() {
    const python = INTERPRETERS.python!;
    const dir = await makeTree("python");
    try {
      // Not executable: with haveFork = false it runs as `python -u script`.
      await Deno.chmod(`${dir}/cgi-bin/file1.py`, 0o644);
      await using srv = await serve(
        serverProgram(
          `override haveFork = false;\n  override pythonInterpreter = ${
            JSON.stringify(python)
          };`,
        ),
        dir,
        [
          "--allow-net=127.0.0.1",
          `--allow-read=${dir}`,
          `--allow-run=${python}`,
        ],
      );
      const res = await request(srv.port, req("/cgi-bin/file1.py"));
      strictEqual(res.status, 200);
      strictEqual(res.text, "Hello World\n");
      // A shell script is not covered by --allow-run=<python>.
      await writeScript(`${dir}/cgi-bin/x.sh`, "sh", "echo\n");
      const no = await request(srv.port, req("/cgi-bin/x.sh"));
      strictEqual(no.status, 403);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
