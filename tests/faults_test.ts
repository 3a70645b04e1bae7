// Copyright 2026 the httpserver authors. MIT license.
// Hardening: faults. Clients that reset mid-request or mid-response, never
// read, and a process out of file descriptors: each exchange ends cleanly,
// logs at most one line, and the server keeps serving.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { CGIHTTPRequestHandler } from "../handlers/cgi.ts";
import { latin1Decode } from "../_text.ts";
import { startServer, withTimeout } from "./_util.ts";
import { ProbeHandler, sleep } from "./_hardening.ts";
import { exchange, RawClient, statusOf } from "./_raw_client.ts";
import { serveFolder } from "./_simple_fixture.ts";

class Faulty extends ProbeHandler {
  static override logs: string[] = [];
  override async doGET(): Promise<void> {
    if (this.path !== "/big") return super.doGET();
    const chunk = new Uint8Array(256 * 1024).fill(120);
    this.sendResponse(200);
    this.sendHeader("Content-Length", String(chunk.length * 128));
    await this.endHeaders();
    for (let i = 0; i < 128; i++) await this.wfile.write(chunk);
  }
}

/** A request on a fresh connection is answered: the server goes on. */
async function stillServing(port: number): Promise<void> {
  const res = await exchange(
    port,
    "GET /alive HTTP/1.1\r\nConnection: close\r\n\r\n",
  );
  strictEqual(statusOf(res.text), 200, "the server keeps serving");
}

/**
 * Closes `client` while bytes it received are unread: the kernel then sends
 * a reset (RST) instead of an orderly FIN.
 */
function resetConnection(client: RawClient): void {
  client.close();
}

Deno.test("HTTPServer ends quietly when a client resets in the middle of its request body", async () => {
  Faulty.logs = [];
  await using s = startServer(Faulty);
  const client = await RawClient.connect(s.port);
  await client.send(
    "POST / HTTP/1.1\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n0123456789",
  );
  await sleep(100); // "100 Continue" arrives and is left unread...
  resetConnection(client); // ...so closing sends a reset.
  await sleep(100);
  deepStrictEqual(s.errors, [], "no traceback for a reset");
  // Deno reads a reset as EOF: the body is incomplete, and the one event is
  // logged as Python logs every error, "code ..." and the request line.
  deepStrictEqual(Faulty.logs, [
    "code %d, message %s 400 Incomplete request body",
    '"%s" %s %s POST / HTTP/1.1 400 -',
  ]);
  await stillServing(s.port);
});

Deno.test("HTTPServer ends quietly when a client resets in the middle of a large response", async () => {
  Faulty.logs = [];
  await using s = startServer(Faulty);
  const client = await RawClient.connect(s.port);
  await client.send("GET /big HTTP/1.1\r\n\r\n");
  await client.receive(100_000);
  resetConnection(client); // Unread response bytes: the close is a reset.
  await sleep(200);
  deepStrictEqual(s.errors, [], "no traceback for a reset");
  deepStrictEqual(Faulty.logs, ['"%s" %s %s GET /big HTTP/1.1 200 -']);
  await stillServing(s.port);
});

Deno.test("HTTPServer ends quietly when a client closes before the response is written", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  class Late extends Faulty {
    static override logs: string[] = [];
    override async doGET(): Promise<void> {
      await released;
      await super.doGET();
    }
  }
  await using s = startServer(Late);
  const client = await RawClient.connect(s.port);
  await client.send("GET /big HTTP/1.1\r\n\r\n");
  await sleep(50);
  client.close();
  await sleep(50);
  release();
  await sleep(200);
  deepStrictEqual(s.errors, []);
  ok(Late.logs.length <= 1, Late.logs.join("\n"));
  await stillServing(s.port);
});

Deno.test("HTTPServer serves other clients while one never reads, and times it out", async () => {
  Faulty.logs = [];
  await using s = startServer(Faulty, { ioTimeout: 400 });
  using stuck = await RawClient.connect(s.port);
  await stuck.send("GET /big HTTP/1.1\r\n\r\n");
  await sleep(100);
  // Others are served while the send buffers are full.
  for (let i = 0; i < 5; i++) await stillServing(s.port);
  await sleep(1000);
  const lines = Faulty.logs.filter((l) => !l.includes("/alive"));
  deepStrictEqual(lines, [
    '"%s" %s %s GET /big HTTP/1.1 200 -',
    "Request timed out: %s TimeoutError('timed out')",
  ]);
  deepStrictEqual(s.errors, []);
});

Deno.test({
  name:
    "HTTPServer backs off when accept() fails with EMFILE, logs once, and recovers",
  ignore: Deno.build.os === "windows",
  async fn() {
    const child = await Deno.makeTempFile({ suffix: ".ts" });
    const server = new URL("../server.ts", import.meta.url).href;
    const base = new URL("../handlers/base.ts", import.meta.url).href;
    await Deno.writeTextFile(
      child,
      `import { HTTPServer } from ${JSON.stringify(server)};
import { BaseHTTPRequestHandler } from ${JSON.stringify(base)};
class H extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doGET(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Length", "3");
    await this.endHeaders();
    await this.wfile.write("ok\\n");
  }
}
// Set signal handling up before descriptors run out (Deno opens one lazily).
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
const server = new HTTPServer(["127.0.0.1", 0], H, { headersTimeout: 1500 });
console.log(server.serverPort);
await server.serveForever();
`,
    );
    // Room for the runtime's own descriptors and a handful of clients only.
    const proc = new Deno.Command("bash", {
      args: [
        "-c",
        `ulimit -n 48 && exec "${Deno.execPath()}" run --allow-net --no-config --quiet "${child}"`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const collect = async (stream: ReadableStream<Uint8Array>) => {
      let text = "";
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        text += chunk;
      }
      return text;
    };
    const errText = collect(proc.stderr);
    let portLine!: (line: string) => void;
    const portText = new Promise<string>((r) => portLine = r);
    const outText = (async () => {
      let text = "";
      for await (
        const chunk of proc.stdout.pipeThrough(new TextDecoderStream())
      ) {
        text += chunk;
        if (text.includes("\n")) portLine(text);
      }
      portLine(text);
      return text;
    })();
    const clients: RawClient[] = [];
    try {
      const port = Number(
        (await withTimeout(portText, "the child's port")).trim(),
      );
      ok(port > 0, `child port: ${port}`);
      // Hold many idle connections: the child runs out of descriptors.
      for (let i = 0; i < 80; i++) clients.push(await RawClient.connect(port));
      await sleep(500);
      // Free them; the accept loop must pick up the waiting clients and go on.
      for (const c of clients.splice(0)) c.close();
      const res = await exchange(
        port,
        "GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
        { deadline: 10_000 },
      );
      strictEqual(statusOf(res.text), 200, "served after EMFILE");
    } finally {
      for (const c of clients) c.close();
      try {
        proc.kill("SIGTERM");
      } catch { /* it ended already; its stderr says why */ }
      await proc.status;
      await outText;
      await Deno.remove(child);
    }
    const text = await errText;
    const lines = text.split("\n").filter((l) => l.includes("Accept failed"));
    strictEqual(
      lines.length,
      1,
      `one log line for the EMFILE episode:\n${text}`,
    );
    ok(/Too many open files|os error 24/.test(lines[0]!), lines[0]);
  },
});

// ------------------------------------------- files and scripts that fail

const FILE_SIZE = 16 * 1024 * 1024;

Deno.test({
  name:
    "SimpleHTTPRequestHandler cuts the response and logs one line when a file shrinks while sent",
  ignore: Deno.build.os === "windows",
  async fn() {
    const logs: string[] = [];
    await using t = await serveFolder({ protocolVersion: "HTTP/1.1", logs });
    const dir = t.root;
    await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(FILE_SIZE));
    await Deno.writeTextFile(`${dir}/alive`, "yes");
    {
      using client = await RawClient.connect(t.port);
      await client.send("GET /big.bin HTTP/1.1\r\n\r\n");
      await client.receive(300_000);
      await Deno.truncate(`${dir}/big.bin`, 1024 * 1024);
      const got = (await client.readToEnd()).length;
      ok(got < FILE_SIZE, `a short body (${got} bytes), then the close`);
    }
    await stillServing(t.port);
    deepStrictEqual(t.server.errors, []);
    const fault = logs.filter((l) => !l.includes("/alive"));
    strictEqual(fault.length, 2, fault.join("\n"));
    ok(fault[0]!.startsWith('"GET /big.bin HTTP/1.1" 200'), fault[0]);
    ok(fault[1]!.startsWith("Response cut short: "), fault[1]);
  },
});

Deno.test({
  name: "SimpleHTTPRequestHandler finishes sending a file deleted while sent",
  ignore: Deno.build.os === "windows",
  async fn() {
    const logs: string[] = [];
    await using t = await serveFolder({ protocolVersion: "HTTP/1.1", logs });
    const dir = t.root;
    await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(FILE_SIZE));
    {
      using client = await RawClient.connect(t.port);
      await client.send(
        "GET /big.bin HTTP/1.1\r\nConnection: close\r\n\r\n",
      );
      await client.receive(300_000);
      await Deno.remove(`${dir}/big.bin`);
      const got = (await client.readToEnd()).length;
      // The open file keeps its data: the whole body arrives.
      ok(got > FILE_SIZE, `${got} bytes`);
    }
    strictEqual(statusOf(await getText(t.port, "/big.bin")), 404);
    deepStrictEqual(t.server.errors, []);
    ok(
      !logs.some((l) => l.startsWith("Response cut short")),
      logs.join("\n"),
    );
  },
});

async function getText(port: number, target: string): Promise<string> {
  return (await exchange(
    port,
    `GET ${target} HTTP/1.1\r\nConnection: close\r\n\r\n`,
  )).text;
}

Deno.test({
  name:
    "CGIHTTPRequestHandler ends the response cleanly when its script is killed mid-output",
  ignore: Deno.build.os === "windows",
  async fn() {
    const logs: string[] = [];
    await using t = await serveFolder({
      Handler: CGIHTTPRequestHandler,
      protocolVersion: "HTTP/1.1",
      logs,
    });
    const dir = t.root;
    await Deno.mkdir(`${dir}/cgi-bin`);
    await Deno.writeTextFile(`${dir}/alive`, "yes");
    // Over 64 KiB of output (streamed, not buffered), then it hangs.
    await Deno.writeTextFile(
      `${dir}/cgi-bin/hang.sh`,
      "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\n" +
        "printf 'PID=%s;\\n' $$\n" +
        "head -c 200000 /dev/zero | tr '\\0' x\nexec sleep 30\n",
    );
    for (const p of [dir, `${dir}/cgi-bin`, `${dir}/cgi-bin/hang.sh`]) {
      await Deno.chmod(p, 0o755);
    }
    for (const version of ["HTTP/1.1", "HTTP/1.0"]) {
      logs.length = 0;
      {
        using client = await RawClient.connect(t.port);
        await client.send(`GET /cgi-bin/hang.sh ${version}\r\n\r\n`);
        // Read until the script's pid and all of its output arrived.
        await client.readUntil((text) =>
          /PID=\d+;/.test(text) && text.length >= 200_000
        );
        const pid = Number(
          /PID=(\d+);/.exec(latin1Decode(client.buffered))![1],
        );
        Deno.kill(pid, "SIGKILL");
        // The server ends the response by closing, never with a last
        // chunk that would make the cut output look complete.
        const text = latin1Decode(await client.readToEnd());
        ok(text.startsWith("HTTP/1.1 200"), text.slice(0, 40));
        ok(!text.endsWith("\r\n0\r\n\r\n"), `${version}: no last chunk`);
        if (version === "HTTP/1.1") {
          ok(/\r\nTransfer-Encoding: chunked\r\n/.test(text.slice(0, 300)));
        }
      }
      await sleep(100);
      deepStrictEqual(t.server.errors, [], version);
      const fault = logs.filter((l) => !l.startsWith('"GET /cgi-bin'));
      deepStrictEqual(fault, ["CGI script exit code -9"], version);
    }
    await stillServing(t.port);
  },
});
