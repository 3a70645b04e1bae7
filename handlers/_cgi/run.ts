// Copyright 2026 the httpserver authors. MIT license.
/**
 * One run of a CGI script: the request body streamed to its stdin, its
 * stderr logged line by line, its header block turned into the response head,
 * and its output framed with `Content-Length` (short output), chunked coding
 * (HTTP/1.1) or the end of the connection; a timeout kills it.
 * @module
 */
import { ProtocolError } from "../../_errors.ts";
import { concatBytes } from "../../_bytes.ts";
import { pyRepr } from "../../_text.ts";
import type { StatusEntry } from "../constants.ts";
import { IS_WINDOWS } from "../_files/url.ts";
import { NO_BODY_STATUS } from "../_http1/response_head.ts";
import {
  type CgiResponseHead,
  interpretCgiHead,
  scanCgiHead,
} from "./output.ts";
import { exitCode, killScript, readLines, spawnScript } from "./process.ts";
import { settle } from "../../_settle.ts";

/** What to run for one request. */
export interface CgiCommand {
  /** The program: the script, or the interpreter of a Python script. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** The CGI meta-variables. */
  env: Record<string, string>;
  /** The script's URL path, for messages. */
  scriptname: string;
}

/**
 * What a script run needs of its handler: the request's method and versions,
 * the response hooks (called on the handler, so that its overrides apply)
 * and the settings. `CGIHTTPRequestHandler` is one.
 */
export interface CgiHost {
  /** The request method. */
  readonly command: string;
  /** The request's HTTP version. */
  readonly requestVersion: string;
  /** The version the server speaks. */
  readonly protocolVersion: string;
  /** Whether the connection ends after this response; the run may set it. */
  closeConnection: boolean;
  /** Milliseconds the script may run. */
  readonly cgiTimeout: number;
  /** Status code -> [reason phrase, explanation]. */
  readonly responses: Readonly<Record<number, StatusEntry>>;
  /** Headers added to 2xx responses. */
  readonly extraResponseHeaders: readonly (readonly [string, string])[];
  /** The `Content-Type` of output whose header block names none. */
  readonly defaultContentType: string;
  /** Logs an error (the script's stderr, its exit code, timeouts). */
  logError(format: string, ...args: unknown[]): void;
  /** Sends a complete error response. */
  sendError(
    code: number,
    message?: string | null,
    explain?: string | null,
  ): Promise<void>;
  /** Buffers the status line, `Server` and `Date`. */
  sendResponse(code: number, message?: string | null): void;
  /** Buffers one header line. */
  sendHeader(keyword: string, value: string): void;
  /** Ends and flushes the head. */
  endHeaders(): Promise<void>;
}

/** The connection side of a script run: the request body and the raw response. */
export interface CgiConn {
  /** Whether part of the request body is still to be read. */
  readonly bodyPending: boolean;
  /** The request body; each `read1()` gives the next bytes (empty at the end). */
  readonly rfile: { read1(): Promise<Uint8Array> };
  /** Writes response bytes as they are, after the head. */
  write(data: Uint8Array): Promise<void>;
}

/** Most bytes in the script's header block. */
export const MAX_CGI_HEAD = 65536;
/** Output up to this size is sent with `Content-Length`. */
export const CGI_BUFFER = 65536;
/** How long stderr, or the body feed, may take to end once the script has exited. */
const GRACE = 200;
const CRLF = new Uint8Array([13, 10]);
const LAST_CHUNK = new TextEncoder().encode("0\r\n\r\n");
const encoder = new TextEncoder();

/**
 * Spawns and serves one script. Resolves to `"not-allowed"` when Deno refuses
 * to run it (the caller answers 403), else once the response is sent and the
 * script has ended.
 */
export async function runScript(
  handler: CgiHost,
  conn: CgiConn,
  cmd: CgiCommand,
): Promise<"done" | "not-allowed"> {
  let child: Deno.ChildProcess;
  try {
    child = spawnScript({
      command: cmd.command,
      args: cmd.args,
      env: cmd.env,
      detached: !IS_WINDOWS,
      onSwitchRefused: (reason) =>
        handler.logError(
          "CGI scripts run as the server's own user: switching to nobody was refused (%s)",
          reason,
        ),
    });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) return "not-allowed";
    // The execute bits were checked before: whatever stops the start now (a
    // missing interpreter, a noexec mount) is a server-side failure.
    const reason = error instanceof Error ? error.message : String(error);
    handler.logError(
      "CGI script %s could not be run: %s",
      cmd.scriptname,
      reason,
    );
    await handler.sendError(
      500,
      `CGI script could not be run (${pyRepr(cmd.scriptname)})`,
    );
    return "done";
  }
  await new ScriptRun(handler, conn, child, cmd).run();
  return "done";
}

class ScriptRun {
  #h: CgiHost;
  #conn: CgiConn;
  #child: Deno.ChildProcess;
  #cmd: CgiCommand;
  #stdout: ReadableStreamDefaultReader<Uint8Array>;
  #stdin: WritableStreamDefaultWriter<Uint8Array>;
  #eof = false;
  #exited = false;
  #timedOut = false;
  #headSent = false;
  #stopPump = false;
  #pumpSettled = false;
  #bodyError: ProtocolError | null = null;
  /** Set when the script's response will not be relayed (an error answer). */
  #abandoned = false;
  #stderr: ReturnType<typeof readLines>;

  constructor(
    h: CgiHost,
    conn: CgiConn,
    child: Deno.ChildProcess,
    cmd: CgiCommand,
  ) {
    this.#h = h;
    this.#conn = conn;
    this.#child = child;
    this.#cmd = cmd;
    this.#stdout = child.stdout.getReader();
    this.#stdin = child.stdin.getWriter();
    this.#stderr = readLines(child.stderr, (line) => h.logError("%s", line));
  }

  async run(): Promise<void> {
    const h = this.#h;
    const status = this.#child.status.then((s) => {
      this.#exited = true;
      return s;
    });
    const ms = h.cgiTimeout;
    const timer = Number.isFinite(ms) && ms > 0
      ? setTimeout(() => this.#onTimeout(), ms)
      : undefined;
    const pump = this.#pump();
    let failed = true;
    try {
      await this.#respond();
      failed = false;
    } finally {
      if ((failed || this.#abandoned) && !this.#exited) {
        killScript(this.#child, !IS_WINDOWS);
      }
      if (!this.#eof) await this.#cancelStdout();
      const code = exitCode(await status); // the timer bounds this wait
      clearTimeout(timer);
      if (!this.#timedOut) await settle(this.#stderr.done, GRACE);
      await this.#stderr.cancel();
      // A write to the ended script's stdin fails at once; a body still on
      // its way from the client may take long.
      if (!this.#pumpSettled) await settle(pump, GRACE);
      if (!this.#pumpSettled) {
        // The client is still sending a body nobody reads: stop feeding the
        // script and close the connection after this response.
        this.#stopPump = true;
        h.closeConnection = true;
        await this.#stdin.abort().catch(() => {});
      }
      pump.catch(() => {});
      if (code !== 0) h.logError("CGI script exit code %d", code);
    }
  }

  #onTimeout(): void {
    this.#timedOut = true;
    this.#h.logError(
      "CGI script %s timed out after %d ms",
      this.#cmd.scriptname,
      this.#h.cgiTimeout,
    );
    // After the script has exited, a process it started may still hold its
    // output open: end the group then too (when Deno allows it).
    killScript(this.#child, !IS_WINDOWS, this.#exited);
    this.#cancelStdout();
    this.#stderr.cancel();
  }

  async #cancelStdout(): Promise<void> {
    this.#eof = true;
    try {
      await this.#stdout.cancel();
    } catch { /* already closed */ }
  }

  /** The next chunk of output; null at EOF (or once cancelled). */
  async #read(): Promise<Uint8Array | null> {
    if (this.#eof) return null;
    try {
      const r = await this.#stdout.read();
      if (!r.done) return r.value;
    } catch { /* cancelled or broken */ }
    this.#eof = true;
    return null;
  }

  /** Streams the request body into the script's stdin, then closes it. */
  async #pump(): Promise<void> {
    const conn = this.#conn;
    const writer = this.#stdin;
    try {
      if (conn.bodyPending) {
        const rfile = conn.rfile;
        while (!this.#stopPump) {
          const chunk = await rfile.read1();
          if (chunk.length === 0 || this.#stopPump) break;
          await writer.write(chunk);
        }
      }
    } catch (error) {
      // A script that stops reading (its stdin closes) just stops the feed.
      if (error instanceof ProtocolError) this.#bodyError = error;
    } finally {
      this.#pumpSettled = true;
      await writer.close().catch(() => {});
    }
  }

  async #respond(): Promise<void> {
    const h = this.#h;
    let buf: Uint8Array = new Uint8Array(0);
    let scan;
    while (true) {
      const chunk = await this.#read();
      if (this.#timedOut) return await this.#timeout();
      if (chunk) buf = buf.length ? concatBytes([buf, chunk]) : chunk;
      else if (buf.length === 0) return await this.#badGateway("no output");
      scan = scanCgiHead(buf, chunk === null, MAX_CGI_HEAD);
      if (scan.kind === "more") continue;
      if (scan.kind === "error") return await this.#badGateway(scan.message);
      break;
    }
    const head = interpretCgiHead(scan.fields, h.responses);
    if (typeof head === "string") return await this.#badGateway(head);
    const parts = [buf.subarray(scan.bodyStart)];
    let size = parts[0]!.length;
    if (h.command === "HEAD" || NO_BODY_STATUS.has(head.status)) {
      // Run to the end; the head tells the size a GET would get.
      for (let c; (c = await this.#read());) size += c.length;
      if (this.#timedOut) return await this.#timeout();
      return await this.#sendHead(head, size, "length");
    }
    while (size <= CGI_BUFFER) {
      const chunk = await this.#read();
      if (this.#timedOut) return await this.#timeout();
      if (!chunk) {
        await this.#sendHead(head, size, "length");
        if (!this.#headSent) return;
        for (const p of parts) await this.#conn.write(p);
        return;
      }
      parts.push(chunk);
      size += chunk.length;
    }
    const chunked = !h.closeConnection && !head.close &&
      h.protocolVersion >= "HTTP/1.1" && h.requestVersion >= "HTTP/1.1";
    await this.#sendHead(head, size, chunked ? "chunked" : "close");
    if (!this.#headSent) return;
    const out = this.#conn;
    const write = async (data: Uint8Array) => {
      if (data.length === 0) return;
      if (!chunked) return await out.write(data);
      await out.write(encoder.encode(data.length.toString(16) + "\r\n"));
      await out.write(data);
      await out.write(CRLF);
    };
    for (const p of parts) await write(p);
    for (let c; (c = await this.#read());) await write(c);
    if (this.#timedOut || (chunked && await this.#killed())) {
      h.closeConnection = true; // cut: no last chunk, the connection ends
      return;
    }
    if (chunked) await out.write(LAST_CHUNK);
  }

  /**
   * Whether the script was killed by a signal (waiting briefly for it to
   * exit): its output may be cut, so the response must not look complete.
   */
  async #killed(): Promise<boolean> {
    let signal: Deno.Signal | null = null;
    await settle(this.#child.status.then((s) => signal = s.signal), GRACE);
    return signal !== null;
  }

  async #sendHead(
    head: CgiResponseHead,
    size: number,
    framing: "length" | "chunked" | "close",
  ): Promise<void> {
    const h = this.#h;
    if (await this.#answeredBodyError()) return;
    // (A body still arriving is the base class's business: it closes the
    // connection when too much is left, and run() when the feed never ends.)
    if (head.close || framing === "close") h.closeConnection = true;
    h.sendResponse(head.status, head.reason);
    for (const [name, value] of head.headers) h.sendHeader(name, value);
    const noBody = NO_BODY_STATUS.has(head.status);
    if (head.status >= 200 && head.status < 300) {
      for (const [name, value] of h.extraResponseHeaders) {
        h.sendHeader(name, value);
      }
    }
    if (!head.hasContentType && size > 0 && !noBody) {
      h.sendHeader("Content-Type", h.defaultContentType);
    }
    if (framing === "chunked") h.sendHeader("Transfer-Encoding", "chunked");
    else if (framing === "length" && !noBody) {
      h.sendHeader("Content-Length", String(size));
    }
    await h.endHeaders();
    this.#headSent = true;
  }

  /** Answers a malformed request body (found while feeding the script). */
  async #answeredBodyError(): Promise<boolean> {
    const error = this.#bodyError;
    if (!error) return false;
    this.#abandoned = true;
    if (!this.#exited) killScript(this.#child, !IS_WINDOWS);
    await this.#h.sendError(error.code, error.message, error.explain);
    return true;
  }

  async #badGateway(problem: string): Promise<void> {
    this.#abandoned = true;
    if (await this.#answeredBodyError()) return;
    this.#h.logError(
      "CGI script %s sent a bad response: %s",
      this.#cmd.scriptname,
      problem,
    );
    await this.#h.sendError(
      502,
      problem === "no output"
        ? "CGI script sent no output"
        : "Bad header from CGI script",
    );
  }

  async #timeout(): Promise<void> {
    await this.#h.sendError(504);
  }
}
