// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode CGIHTTPRequestHandler}: Python's CGI handler (CPython 3.14 and
 * earlier) over `Deno.Command`, with the script's header block read as
 * RFC 3875 section 6 says, a timeout, and scoped `--allow-run` permission.
 * @module
 */
import { resolve } from "node:path";
import type { Connection } from "../connection.ts";
import type { ClientAddress, HTTPServer } from "../server.ts";
import { pyRepr } from "../_text.ts";
import {
  SimpleHTTPRequestHandler,
  type SimpleHTTPRequestHandlerOptions,
} from "./simple.ts";
import type { SimpleBody } from "./simple_types.ts";
import { endsWithSlash, IS_WINDOWS } from "./_files/url.ts";
import {
  comparablePath,
  isInside,
  servedFolder,
  statServed,
} from "./_files/containment.ts";
import {
  matchCgiDirectory,
  PathUnderflowError,
  quoteForTranslate,
  urlCollapsePath,
} from "./_cgi/path.ts";
import { cgiArguments, cgiEnvironment } from "./_cgi/env.ts";
import { mayRun } from "./_cgi/process.ts";
import { connIO } from "./_http1/conn_io.ts";
import { type CgiCommand, runScript } from "./_cgi/run.ts";

/**
 * Options for {@linkcode CGIHTTPRequestHandler}.
 *
 * @example Scripts in /scripts only
 * ```ts
 * import {
 *   CGIHTTPRequestHandler,
 *   type CGIHTTPRequestHandlerOptions,
 *   type ClientAddress,
 *   type Connection,
 *   type HTTPServer,
 * } from "@x/httpserver";
 * import { runHandler } from "@x/httpserver/testing";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const options: CGIHTTPRequestHandlerOptions = {
 *   directory: dir,
 *   cgiDirectories: ["/scripts"],
 *   cgiTimeout: 5_000,
 * };
 * class Scripts extends CGIHTTPRequestHandler {
 *   constructor(request: Connection, address: ClientAddress, server: HTTPServer) {
 *     super(request, address, server, options);
 *   }
 *   override logMessage(): void {}
 * }
 * const post = async (path: string) =>
 *   (await runHandler(Scripts, `POST ${path} HTTP/1.0\r\n\r\n`)).text()
 *     .split("\r\n")[0];
 * strictEqual(await post("/cgi-bin/x.sh"), "HTTP/1.0 501 Can only POST to CGI scripts");
 * strictEqual((await post("/scripts/x.sh")).split(" ")[1], "404");
 * await Deno.remove(dir);
 * ```
 */
export interface CGIHTTPRequestHandlerOptions
  extends SimpleHTTPRequestHandlerOptions {
  /**
   * URL folders whose files are run as scripts; each is a whole path prefix
   * such as `/cgi-bin` or `/sub/dir/cgi-bin`.
   * @default {["/cgi-bin", "/htbin"]}
   */
  cgiDirectories?: string[];
  /**
   * Milliseconds a script may run; then it is killed and the client gets
   * 504 (or a cut response when its output had started).
   * @default {30000}
   */
  cgiTimeout?: number;
}

/**
 * Python's `CGIHTTPRequestHandler`: serves files as
 * {@linkcode SimpleHTTPRequestHandler} does, and runs the files of
 * `cgiDirectories` as CGI/1.1 scripts for GET, HEAD and POST. Scripts run
 * with `Deno.Command` (never a shell), as `nobody` when the server runs as
 * root, with the request body on stdin; each needs `--allow-run=<its path>`.
 * Their header block is read (`Status:`, `Location:`) and their output is
 * framed so that keep-alive clients never hang.
 *
 * @example Run a shell script
 * ```ts
 * import { CGIHTTPRequestHandler, HTTPServer } from "@x/httpserver";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/cgi-bin`);
 * await Deno.writeTextFile(
 *   `${dir}/cgi-bin/hello.sh`,
 *   "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nHello %s\\n' \"$1\"\n",
 *   { mode: 0o755 },
 * );
 * await Deno.chmod(dir, 0o755); // run as root, scripts run as nobody
 * class Handler extends CGIHTTPRequestHandler {
 *   override directory = dir;
 *   override logMessage(): void {}
 * }
 * {
 *   await using server = new HTTPServer(["127.0.0.1", 0], Handler);
 *   server.serveForever();
 *   const url = `http://127.0.0.1:${server.serverPort}/cgi-bin/hello.sh?world`;
 *   const res = await fetch(url);
 *   strictEqual(await res.text(), "Hello world\n");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class CGIHTTPRequestHandler extends SimpleHTTPRequestHandler {
  /** URL folders whose files are scripts (whole leading path segments). */
  cgiDirectories: string[] = ["/cgi-bin", "/htbin"];
  /** `[dir, rest]` of the last path `isCgi()` accepted, else null. */
  cgiInfo: [dir: string, rest: string] | null = null;
  /** Milliseconds a script may run before it is killed. */
  cgiTimeout = 30_000;
  /**
   * Python's `have_fork`: true on Unix, where a script must be executable;
   * false on Windows, where Python scripts run through `pythonInterpreter`.
   */
  haveFork: boolean = !IS_WINDOWS;
  /** The interpreter of Python scripts when `haveFork` is false. */
  pythonInterpreter: string = IS_WINDOWS ? "python" : "python3";

  /** Called by the server for each connection, as in Python. */
  constructor(
    request: Connection,
    clientAddress: ClientAddress,
    server: HTTPServer,
    options: CGIHTTPRequestHandlerOptions = {},
  ) {
    super(request, clientAddress, server, options);
    if (options.cgiDirectories) {
      this.cgiDirectories = [...options.cgiDirectories];
    }
    if (options.cgiTimeout !== undefined) this.cgiTimeout = options.cgiTimeout;
  }

  /**
   * Runs a CGI script; other paths are form uploads with `upload`, else get
   * `501 Can only POST to CGI scripts`.
   */
  override async doPOST(): Promise<void> {
    const cgi = await this.#checkCgi();
    if (cgi === null) return;
    if (cgi) await this.runCgi();
    else if (this.upload) await super.doPOST();
    else await this.sendError(501, "Can only POST to CGI scripts");
  }

  /**
   * Runs the script for a CGI path; else serves the file as
   * `SimpleHTTPRequestHandler` does, except that a path reaching into a CGI
   * folder another way gets 404 (a script's source is never sent).
   *
   * @returns Null for a script (the response is complete), else what
   * `SimpleHTTPRequestHandler.sendHead()` returns.
   */
  override async sendHead(): Promise<SimpleBody | null> {
    const cgi = await this.#checkCgi();
    if (cgi === null) return null;
    if (cgi) {
      await this.runCgi();
      return null;
    }
    if (this.#insideCgiDirectory()) {
      // A path that reaches a script without naming a CGI folder (a case or
      // drive-letter variant, a symlink): never serve a script's source.
      await this.sendError(404, "File not found");
      return null;
    }
    return await super.sendHead();
  }

  /**
   * Whether the request path `this.path` names a CGI script: the collapsed
   * path (Python's `_url_collapse_path`) starts with one of `cgiDirectories`
   * followed by `/`. Sets `cgiInfo` to `[dir, rest]` when it does.
   *
   * @returns Whether the request runs a script.
   * @throws {RangeError} When the path has more `..` segments than folders
   * (Python: `IndexError`); the handler answers 400.
   */
  isCgi(): boolean {
    const match = matchCgiDirectory(
      urlCollapsePath(this.path),
      this.cgiDirectories,
    );
    if (match) this.cgiInfo = match;
    return match !== null;
  }

  /**
   * Whether `path` is executable: any execute bit (always true on Windows).
   *
   * @param path The script's file-system path.
   * @returns Whether an execute bit is set; false when it cannot be
   * stat'ed.
   */
  isExecutable(path: string): boolean {
    try {
      const mode = Deno.statSync(path).mode;
      return mode === null || (mode & 0o111) !== 0;
    } catch {
      return false;
    }
  }

  /**
   * Whether `path` is a Python script: its extension, as `os.path.splitext`
   * finds it (leading dots do not start one), is `.py` or `.pyw`, any case.
   *
   * @param path The script's URL path (`/cgi-bin/x.py`) or file path.
   * @returns Whether it is run through `pythonInterpreter` when `haveFork`
   * is false.
   */
  isPython(path: string): boolean {
    const name = path.slice(
      Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1,
    );
    return /\.pyw?$/i.test(name.replace(/^\.+/, ""));
  }

  /**
   * Runs the script `cgiInfo` names (set by `isCgi()`) and sends its
   * response. A script that is missing, cannot or may not be run, sends a
   * bad header block or runs too long gets an error response instead (404,
   * 403, 400, 500, 502 or 504).
   *
   * @returns Resolves once the response is sent and the script has ended.
   */
  async runCgi(): Promise<void> {
    let [dir, rest] = this.cgiInfo ?? ["", ""];
    // The raw query, as _url_collapse_path appended it to the path.
    const q = this.path.indexOf("?");
    const query = q >= 0 ? this.path.slice(q + 1) : "";
    if (query && rest.endsWith("?" + query)) {
      rest = rest.slice(0, -query.length - 1);
    }
    // Walk down nested folders of the CGI folder.
    const path = dir + "/" + rest;
    let i = path.indexOf("/", dir.length + 1);
    while (i >= 0) {
      const info = this.#stat(this.#translate(path.slice(0, i)));
      if (!info?.isDirectory) break;
      dir = path.slice(0, i);
      rest = path.slice(i + 1);
      i = path.indexOf("/", dir.length + 1);
    }
    const slash = rest.indexOf("/");
    const script = slash >= 0 ? rest.slice(0, slash) : rest;
    const pathInfo = slash >= 0 ? rest.slice(slash) : "";
    const scriptname = dir + "/" + script;
    const scriptfile = this.#translate(scriptname);
    const info = this.#stat(scriptfile);
    if (!info) {
      await this.sendError(404, `No such CGI script (${pyRepr(scriptname)})`);
      return;
    }
    if (!info.isFile) {
      await this.sendError(
        403,
        `CGI script is not a plain file (${pyRepr(scriptname)})`,
      );
      return;
    }
    const ispy = this.isPython(scriptname);
    if ((this.haveFork || !ispy) && !this.isExecutable(scriptfile)) {
      await this.sendError(
        403,
        `CGI script is not executable (${pyRepr(scriptname)})`,
      );
      return;
    }
    const env = cgiEnvironment({
      serverSoftware: this.versionString(),
      serverName: this.server.serverName,
      serverPort: this.server.serverPort,
      serverProtocol: this.protocolVersion,
      method: this.command,
      pathInfo,
      pathTranslated: this.#translate(pathInfo),
      scriptName: scriptname,
      query,
      remoteAddr: this.clientAddress[0],
      headers: this.headers,
    });
    const file = resolve(scriptfile);
    const argv = !this.haveFork && ispy
      ? [this.pythonInterpreter, "-u", file]
      : [file];
    argv.push(...cgiArguments(query));
    if ([...argv, ...Object.values(env)].some((v) => v.includes("\0"))) {
      await this.sendError(400, `Bad request path (${pyRepr(this.path)})`);
      return;
    }
    const command: CgiCommand = {
      command: argv[0]!,
      args: argv.slice(1),
      env,
      scriptname,
    };
    if (!mayRun(command.command)) {
      await this.#notAllowed(command);
      return;
    }
    if (await runScript(this, connIO(this), command) === "not-allowed") {
      await this.#notAllowed(command);
    }
  }

  /** Sends 403 for a script Deno may not run, naming the missing flag. */
  async #notAllowed(command: CgiCommand): Promise<void> {
    this.logError(
      "CGI script %s not run: Deno needs --allow-run=%s",
      command.scriptname,
      command.command,
    );
    await this.sendError(
      403,
      `CGI script is not allowed to run (${pyRepr(command.scriptname)})`,
    );
  }

  /** `isCgi()`, with a path that climbs above the root answered by 400. */
  async #checkCgi(): Promise<boolean | null> {
    try {
      return this.isCgi();
    } catch (error) {
      if (!(error instanceof PathUnderflowError)) throw error;
      await this.sendError(400, `Bad request path (${pyRepr(this.path)})`);
      return null;
    }
  }

  /** `translatePath()` of an already decoded URL path. */
  #translate(urlPath: string): string {
    return this.translatePath(quoteForTranslate(urlPath));
  }

  /**
   * Stats `path`, following symlinks, with `SimpleHTTPRequestHandler`'s
   * containment rules (`serveDotfiles`, `followSymlinks`). Null when refused
   * or missing.
   */
  #stat(path: string): Deno.FileInfo | null {
    return statServed(path, servedFolder(this))?.info ?? null;
  }

  /**
   * Whether the request path (not a CGI path) maps into a CGI folder, or
   * onto one to be listed: only `/cgi-bin` itself (redirected to `/cgi-bin/`)
   * may reach one.
   */
  #insideCgiDirectory(): boolean {
    const target = comparablePath(this.translatePath(this.path));
    if (target === null) return false;
    const listing = endsWithSlash(this.path);
    return this.cgiDirectories.some((dir) => {
      const d = comparablePath(this.#translate(dir));
      return d !== null && isInside(d, target) && (d !== target || listing);
    });
  }
}
