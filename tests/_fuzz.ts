// Copyright 2026 the httpserver authors. MIT license.
/**
 * Property-based fuzzing of a live server with fast-check: valid requests,
 * the same with bytes flipped, inserted or deleted, truncated, split at
 * random points across writes, random token soup and random bytes. Used by
 * `tests/fuzz_test.ts` (bounded, in CI) and `tests/fuzz_long.ts`
 * (`deno task fuzz`).
 */
import fc from "fast-check";
import { ok, strictEqual } from "node:assert/strict";
import { ProbeHandler } from "./_hardening.ts";
import {
  type ClientAddress,
  HTTPServer,
  type RequestHandlerClass,
} from "../server.ts";
import type { Connection } from "../connection.ts";
import { SimpleHTTPRequestHandler } from "../handlers/simple.ts";
import { escapeLogText, pyFormat } from "../_text.ts";
import { exchange } from "./_raw_client.ts";
import {
  expectedResponses,
  type FuzzCase,
  fuzzCase,
  split,
} from "./_fuzz_cases.ts";

/** Server timeouts while fuzzing: short, so stalled cases end quickly. */
export const FUZZ_TIMEOUTS = {
  headersTimeout: 500,
  keepAliveTimeout: 500,
  ioTimeout: 500,
  shutdownTimeout: 500,
} as const;

/** The longest any one fuzz exchange may take before it counts as a hang. */
export const EXCHANGE_DEADLINE = 6000;

/**
 * The handler under fuzz: GET echoes the path and headers, POST reads the
 * whole body, PUT leaves its body unread (the server must drop it), PATCH
 * reads the body line by line. Every body ends with LF, so each status line
 * starts a line. Logs are counted, not printed.
 */
export class FuzzHandler extends ProbeHandler {
  static logLines = 0;
  /** The last few log lines, for failure messages. */
  static recent: string[] = [];
  override logMessage(format: string, ...args: unknown[]): void {
    FuzzHandler.logLines++;
    // Formatting must never throw, whatever the request held.
    const line = escapeLogText(pyFormat(format, args));
    FuzzHandler.recent.push(line.slice(0, 100));
    if (FuzzHandler.recent.length > 6) FuzzHandler.recent.shift();
    // deno-lint-ignore no-control-regex
    if (/[\x00-\x1f\x7f-\x9f]/.test(line)) {
      throw new Error(`Unescaped control character in a log line: ${line}`);
    }
  }
  #reply(text: string): Promise<void> {
    return this.reply(text, "text/plain; charset=utf-8");
  }
  override doGET(): Promise<void> {
    return this.#reply(JSON.stringify([this.path, ...this.headers]) + "\n");
  }
  override doHEAD(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Length", "12");
    return this.endHeaders();
  }
  override async doPOST(): Promise<void> {
    const body = await this.rfile.read();
    await this.#reply(`length ${body.length}\n`);
  }
  doPUT(): Promise<void> {
    return this.#reply("unread\n");
  }
  async doPATCH(): Promise<void> {
    let lines = 0;
    while ((await this.rfile.readline(100)).length) lines++;
    await this.#reply(`lines ${lines}\n`);
  }
}

/** The final (non-1xx) responses in `text`: status code and head. */
function finalResponses(text: string): { code: number; head: string }[] {
  const out: { code: number; head: string }[] = [];
  for (const m of text.matchAll(/(?:^|\n)(HTTP\/1\.[01] (\d{3}) )/g)) {
    const code = Number(m[2]);
    if (code < 200) continue;
    const start = m.index! + m[0].length - m[1]!.length;
    const end = text.indexOf("\r\n\r\n", start);
    out.push({ code, head: text.slice(start, end < 0 ? undefined : end + 2) });
  }
  return out;
}

/** Options for {@linkcode runFuzz}. */
export interface FuzzOptions {
  /** Cases per worker. */
  numRuns: number;
  /** Stop generating new cases after this many ms (the cases run so far count). */
  timeLimit?: number;
  /** Independent fast-check runs sharing the server, with seeds `seed + i`. */
  workers?: number;
  seed?: number;
  Handler?: RequestHandlerClass;
  /**
   * Check that intact requests get one 200 each (true for
   * {@linkcode FuzzHandler} only).
   */
  oracle?: boolean;
  /** The path of the well-formed request sent after each case (200 OK). */
  afterTarget?: string;
}

/** What a fuzz run did. */
export interface FuzzReport {
  runs: number;
  bytesSent: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  /** Exchanges the server ended by closing, with no response at all. */
  silentCloses: number;
  /** Intact requests cut short by a head timeout on a stalled machine. */
  lateCloses: number;
  /** The longest the event loop was seen blocked, in ms. */
  maxLoopLag: number;
  seconds: number;
  seeds: number[];
}

/** Checks one exchange's outcome against the case that produced it. */
async function checkCase(
  port: number,
  c: FuzzCase,
  report: FuzzReport,
  failures: { errors: unknown[]; served: unknown },
  oracle: boolean,
  afterTarget: string,
): Promise<void> {
  const res = await exchange(port, split(c.data, c.splits), {
    gap: c.gap,
    closeWrite: c.closeWrite,
    deadline: EXCHANGE_DEADLINE,
  });
  report.runs++;
  report.bytesSent += c.data.length;
  report.byKind[c.kind] = (report.byKind[c.kind] ?? 0) + 1;
  if (res.text === "") report.silentCloses++;
  ok(
    !res.timedOut,
    `the server ended the exchange within ${EXCHANGE_DEADLINE} ms`,
  );
  const responses = finalResponses(res.text);
  const codes = responses.map((r) => r.code);
  for (const code of codes) {
    report.byStatus[code] = (report.byStatus[code] ?? 0) + 1;
  }
  // Every error response closes the connection and is the last one.
  const errorAt = codes.findIndex((code) => code >= 400);
  if (errorAt >= 0) {
    strictEqual(
      errorAt,
      codes.length - 1,
      `nothing follows an error: ${codes}`,
    );
    const head = responses[errorAt]!.head;
    ok(
      head.includes("\r\nConnection: close\r\n"),
      `an error response says Connection: close: ${JSON.stringify(head)}`,
    );
  }
  if (oracle && c.kind === "valid" && c.closeWrite) {
    const want = expectedResponses(c.requests);
    if (
      codes.length < want && res.elapsed >= FUZZ_TIMEOUTS.headersTimeout / 2
    ) {
      // The machine stalled long enough for a head timeout to end the
      // exchange early: allowed, the answers given must still be right.
      report.lateCloses++;
    } else {
      strictEqual(
        codes.length,
        want,
        `responses to intact requests: ${codes} (${
          res.elapsed.toFixed(0)
        } ms, reset ${res.reset}, ${res.data.length} bytes)`,
      );
    }
    for (const [i, code] of codes.entries()) {
      strictEqual(code, c.requests[i]!.method === "BREW" ? 501 : 200);
    }
  }
  strictEqual(
    failures.errors.length,
    0,
    `handleError() was called: ${failures.errors[0]}`,
  );
  strictEqual(failures.served, null, "serveForever() did not fail");
  // A well-formed request on a new connection is still answered.
  const after = await exchange(
    port,
    `GET ${afterTarget} HTTP/1.1\r\nConnection: close\r\n\r\n`,
    {
      deadline: EXCHANGE_DEADLINE,
    },
  );
  ok(
    after.text.startsWith("HTTP/1.1 200 OK\r\n"),
    `the next client is served: ${
      after.elapsed.toFixed(0)
    } ms, timed out ${after.timedOut}, ${
      JSON.stringify(after.text.slice(0, 120))
    } (event loop lag so far: ${report.maxLoopLag} ms; last log lines: ${
      JSON.stringify(FuzzHandler.recent)
    })`,
  );
}

/**
 * Starts a server, throws fuzz cases at it until `numRuns` or `timeLimit`,
 * and checks after each: the server ended the exchange within the deadline,
 * every error response says `Connection: close` and is the last on its
 * connection, intact requests all got their answers, `handleError()` was
 * never called, `serveForever()` did not fail, and a fresh well-formed
 * request is still answered. Shuts the server down at the end, so the test
 * sanitizers see anything left behind.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const failures = { errors: [] as unknown[], served: null as unknown };
  const server = new HTTPServer(
    ["127.0.0.1", 0],
    options.Handler ?? FuzzHandler,
    FUZZ_TIMEOUTS,
  );
  server.handleError = (_r, _a, error) => failures.errors.push(error);
  const serving = server.serveForever().catch((e) =>
    failures.served = e ?? "rejected"
  );
  const port = server.serverPort;
  const base = options.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const workers = options.workers ?? 1;
  const report: FuzzReport = {
    runs: 0,
    bytesSent: 0,
    byKind: {},
    byStatus: {},
    silentCloses: 0,
    lateCloses: 0,
    maxLoopLag: 0,
    seconds: 0,
    seeds: Array.from({ length: workers }, (_, i) => base + i),
  };
  const started = performance.now();
  let tick = performance.now();
  const lagMeter = setInterval(() => {
    const now = performance.now();
    report.maxLoopLag = Math.max(
      report.maxLoopLag,
      Math.round(now - tick - 50),
    );
    tick = now;
  }, 50);
  try {
    const outcomes = await Promise.allSettled(
      report.seeds.map((seed) =>
        fc.assert(
          fc.asyncProperty(
            fuzzCase,
            (c) =>
              checkCase(
                port,
                c,
                report,
                failures,
                options.oracle ?? true,
                options.afterTarget ?? "/after",
              ),
          ),
          {
            numRuns: options.numRuns,
            seed,
            interruptAfterTimeLimit: options.timeLimit,
            markInterruptAsFailure: false,
            endOnFailure: true,
          },
        )
      ),
    );
    for (const o of outcomes) if (o.status === "rejected") throw o.reason;
  } finally {
    clearInterval(lagMeter);
    await server.shutdown();
    await serving;
    server.serverClose();
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** A served folder for fuzzing `SimpleHTTPRequestHandler`. */
export interface FuzzFolder extends AsyncDisposable {
  /** A handler class serving the folder over HTTP/1.1, logs counted. */
  Handler: RequestHandlerClass;
}

/**
 * A temporary folder with a file, an index-less subfolder, a large file and
 * a folder with an index page, and a handler class serving it.
 */
export async function simpleFuzzFolder(): Promise<FuzzFolder> {
  const dir = await Deno.makeTempDir({ prefix: "fuzz_simple_" });
  await Deno.mkdir(`${dir}/sub`);
  await Deno.mkdir(`${dir}/site`);
  await Deno.writeTextFile(`${dir}/index.txt`, "small file\n");
  await Deno.writeTextFile(`${dir}/site/index.html`, "<p>index</p>\n");
  await Deno.writeTextFile(`${dir}/sub/a`, "a\n");
  await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(300_000).fill(98));
  class Handler extends SimpleHTTPRequestHandler {
    override protocolVersion = "HTTP/1.1";
    constructor(r: Connection, c: ClientAddress, s: HTTPServer) {
      super(r, c, s, { directory: dir });
    }
    override logMessage(format: string, ...args: unknown[]): void {
      FuzzHandler.prototype.logMessage.call(this, format, ...args);
    }
  }
  return {
    Handler,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}
