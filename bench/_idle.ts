// Copyright 2026 the httpserver authors. MIT license.
/**
 * The idle-connection load: how much memory a server holds for each open
 * keep-alive connection that has been answered once and waits for its next
 * request, and whether it gives that memory back once they close.
 *
 * On a fresh server process: 200 keep-alive requests on one connection (so
 * that the code is compiled and caches are warm), 1 s of quiet, the RSS
 * ("start"); then `count` connections each send one request and read the
 * whole response; after 2 s of quiet, the RSS ("idle") and the number of
 * connections the kernel shows established on the server's port; all of
 * them close; after 5 s, the RSS ("after close"). RSS is `VmRSS` of the
 * server and its children (nginx's worker).
 * @module
 */
import { run } from "./_setup.ts";
import { rssKiB, type Running } from "./_servers.ts";

/** What one idle-connection run measured. */
export interface IdleResult {
  /** Connections the server still held open while idle. */
  held: number;
  /** RSS before the connections, KiB. */
  startKiB: number;
  /** RSS with the connections open and idle, KiB. */
  idleKiB: number;
  /** RSS 5 s after they closed, KiB. */
  afterKiB: number;
  /** (idle - start) / held, KiB. */
  perConnKiB: number;
}

const encoder = new TextEncoder();

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function headEnd(buf: Uint8Array, len: number): number {
  for (let i = 3; i < len; i++) {
    if (
      buf[i] === 10 && buf[i - 1] === 13 && buf[i - 2] === 10 &&
      buf[i - 3] === 13
    ) return i + 1;
  }
  return -1;
}

/**
 * Sends one GET of `path` on `conn` and reads the whole response (a
 * `Content-Length` body); throws on anything else or after `timeoutMs`.
 */
async function exchange(
  conn: Deno.Conn,
  port: number,
  path: string,
  timeoutMs: number,
): Promise<void> {
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* closed */ }
  }, timeoutMs);
  try {
    await conn.write(
      encoder.encode(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`),
    );
    const buf = new Uint8Array(65536);
    let got = 0;
    let need = -1;
    while (need < 0 || got < need) {
      const n = await conn.read(buf.subarray(got));
      if (n === null) throw new Error("Closed before the response ended");
      got += n;
      if (need < 0) {
        const end = headEnd(buf, got);
        if (end < 0) continue;
        const head = new TextDecoder().decode(buf.subarray(0, end));
        if (!/^HTTP\/1\.[01] 200 /.test(head)) {
          throw new Error(`Got ${head.split("\r\n")[0]}`);
        }
        const length = /^content-length:\s*(\d+)/im.exec(head);
        if (!length) throw new Error("No Content-Length");
        need = end + Number(length[1]);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Connections the kernel shows established on the server's port. */
export async function established(port: number): Promise<number> {
  const r = await run(
    "ss",
    ["-Htn", "state", "established", `( sport = :${port} )`],
    10_000,
  );
  return r.stdout.split("\n").filter((l) => l.trim()).length;
}

/** 200 keep-alive requests on one connection: code compiled, caches warm. */
export async function warmUp(port: number, path: string): Promise<void> {
  const warm = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    for (let i = 0; i < 200; i++) await exchange(warm, port, path, 10_000);
  } finally {
    warm.close();
  }
}

/**
 * Opens `count` connections, a few at a time (Python's listen queue holds
 * 5), each answered once; the caller closes them.
 */
export async function openIdle(
  port: number,
  path: string,
  count: number,
): Promise<Deno.Conn[]> {
  const conns: Deno.Conn[] = [];
  let next = 0;
  const opener = async () => {
    while (next < count) {
      next++;
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conns.push(conn);
      await exchange(conn, port, path, 10_000);
    }
  };
  try {
    await Promise.all(Array.from({ length: 4 }, opener));
  } catch (error) {
    closeAll(conns);
    throw error;
  }
  return conns;
}

/** Closes every connection of `conns` and empties it. */
export function closeAll(conns: Deno.Conn[]): void {
  for (const c of conns.splice(0)) {
    try {
      c.close();
    } catch { /* closed */ }
  }
}

/** Runs the idle-connection load on `server` with `count` connections. */
export async function idleLoad(
  server: Running,
  path: string,
  count = 1000,
): Promise<IdleResult> {
  await warmUp(server.port, path);
  await sleep(1000);
  const startKiB = rssKiB(server.pid);
  const conns = await openIdle(server.port, path, count);
  try {
    await sleep(2000);
    const idleKiB = rssKiB(server.pid);
    const held = await established(server.port);
    closeAll(conns);
    await sleep(5000);
    const afterKiB = rssKiB(server.pid);
    return {
      held,
      startKiB,
      idleKiB,
      afterKiB,
      perConnKiB: held ? (idleKiB - startKiB) / held : NaN,
    };
  } finally {
    closeAll(conns);
  }
}
