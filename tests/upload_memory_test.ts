// Copyright 2026 the httpserver authors. MIT license.
/**
 * Constant memory: a 2 GiB upload, raw and multipart, keeps the server's
 * peak RSS under 96 MiB. The server runs in its own process (so that its
 * RSS is its own) under the permissions the README recommends; the client
 * streams the body from one reused buffer. `UPLOAD_MEMORY_MIB` sets the
 * size: 256 in the suite, 2048 in `deno task upload-memory`.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { withTimeout } from "./_util.ts";

const MIB = 1024 * 1024;
const SIZE = Number(Deno.env.get("UPLOAD_MEMORY_MIB") ?? 256) * MIB;
const SERVER =
  new URL("../bench/peers/ours_upload.ts", import.meta.url).pathname;
const encoder = new TextEncoder();

async function startServer(root: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-read",
      `--allow-write=${root}`,
      SERVER,
      "0",
      root,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  while (!/port (\d+)/.test(text)) {
    const { value, done } = await withTimeout(
      reader.read(),
      "server start",
      30_000,
    );
    if (done) throw new Error("server exited");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  child.stdout.cancel();
  return { child, port: Number(/port (\d+)/.exec(text)![1]) };
}

function peakRssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/^VmHWM:\s+(\d+)/m.exec(status)![1]) / 1024;
}

async function upload(
  port: number,
  head: string,
  size: number,
  prefix = "",
  suffix = "",
) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(encoder.encode(head));
    if (prefix) await conn.write(encoder.encode(prefix));
    const block = new Uint8Array(MIB).map((_, i) => (i * 131) & 0xff);
    for (let sent = 0; sent < size;) {
      const n = Math.min(block.length, size - sent);
      let at = 0;
      while (at < n) at += await conn.write(block.subarray(at, n));
      sent += n;
    }
    if (suffix) await conn.write(encoder.encode(suffix));
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    return new TextDecoder().decode(buf.subarray(0, n ?? 0));
  } finally {
    conn.close();
  }
}

Deno.test({
  name: `SimpleHTTPRequestHandler keeps RSS under 96 MiB for a ${
    SIZE / MIB
  } MiB upload, raw and multipart`,
  ignore: Deno.build.os !== "linux",
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "upload_memory_" });
    const { child, port } = await startServer(root);
    try {
      const raw = await withTimeout(
        upload(
          port,
          `PUT /raw.bin HTTP/1.1\r\nHost: a\r\nContent-Length: ${SIZE}\r\n\r\n`,
          SIZE,
        ),
        "raw upload",
        300_000,
      );
      assert(raw.startsWith("HTTP/1.1 201 "), raw);
      assertEquals((await Deno.stat(`${root}/raw.bin`)).size, SIZE);
      await Deno.remove(`${root}/raw.bin`);
      const rawPeak = peakRssMiB(child.pid);
      const boundary = "----memoryboundary";
      const prefix =
        `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="form.bin"\r\n\r\n`;
      const suffix = `\r\n--${boundary}--\r\n`;
      const length = encoder.encode(prefix).length + SIZE +
        encoder.encode(suffix).length;
      const form = await withTimeout(
        upload(
          port,
          `POST / HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\n\r\n`,
          SIZE,
          prefix,
          suffix,
        ),
        "multipart upload",
        300_000,
      );
      assert(form.startsWith("HTTP/1.1 201 "), form);
      assertEquals((await Deno.stat(`${root}/form.bin`)).size, SIZE);
      const peak = peakRssMiB(child.pid);
      console.log(
        `peak RSS after raw: ${rawPeak.toFixed(1)} MiB, after multipart: ${
          peak.toFixed(1)
        } MiB`,
      );
      assert(peak < 96, `peak RSS ${peak.toFixed(1)} MiB`);
    } finally {
      child.kill();
      await child.status;
      await Deno.remove(root, { recursive: true });
    }
  },
});
