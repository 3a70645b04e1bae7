// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CGI/1.1 meta-variables Python's `CGIHTTPRequestHandler.run_cgi` gives a
 * script, and its command-line argument.
 * @module
 */
import type { HTTPMessage } from "../../message.ts";
import { pySplit } from "../../_text.ts";

/** What {@linkcode cgiEnvironment} needs to know of one request. */
export interface CgiRequestInfo {
  /** The `Server` header value (`versionString()`). */
  serverSoftware: string;
  /** `server.serverName`. */
  serverName: string;
  /** `server.serverPort`. */
  serverPort: number;
  /** The handler's `protocolVersion` (not the request's). */
  serverProtocol: string;
  /** The request method. */
  method: string;
  /** The decoded extra path after the script name. */
  pathInfo: string;
  /** `translatePath()` of `pathInfo`. */
  pathTranslated: string;
  /** The script's URL path. */
  scriptName: string;
  /** The raw query, without `?`. */
  query: string;
  /** The client's address. */
  remoteAddr: string;
  /** The request header fields. */
  headers: HTTPMessage;
}

/**
 * The variables Python sets, in Python's order: every one of
 * `SERVER_SOFTWARE` ... `REMOTE_ADDR`, `AUTH_TYPE` and `REMOTE_USER` from a
 * two-token `Authorization`, `CONTENT_TYPE` (`text/plain` when absent),
 * `CONTENT_LENGTH`, `HTTP_REFERER`, `HTTP_ACCEPT` (all values joined with
 * `,`), `HTTP_USER_AGENT`, `HTTP_COOKIE` (non-empty values joined with
 * `, `), with `QUERY_STRING`, `REMOTE_HOST`, `CONTENT_LENGTH`,
 * `HTTP_USER_AGENT`, `HTTP_COOKIE` and `HTTP_REFERER` at least empty. No other
 * request header becomes a variable (so no `HTTP_PROXY`: httpoxy).
 */
export function cgiEnvironment(info: CgiRequestInfo): Record<string, string> {
  const h = info.headers;
  const env: Record<string, string> = {
    SERVER_SOFTWARE: info.serverSoftware,
    SERVER_NAME: info.serverName,
    GATEWAY_INTERFACE: "CGI/1.1",
    SERVER_PROTOCOL: info.serverProtocol,
    SERVER_PORT: String(info.serverPort),
    REQUEST_METHOD: info.method,
    PATH_INFO: info.pathInfo,
    PATH_TRANSLATED: info.pathTranslated,
    SCRIPT_NAME: info.scriptName,
    QUERY_STRING: info.query,
    REMOTE_ADDR: info.remoteAddr,
  };
  const authorization = h.get("Authorization");
  if (authorization) {
    const words = pySplit(authorization);
    if (words.length === 2) {
      env.AUTH_TYPE = words[0]!;
      if (words[0]!.toLowerCase() === "basic") {
        const user = basicUser(words[1]!);
        if (user !== null) env.REMOTE_USER = user;
      }
    }
  }
  env.CONTENT_TYPE = h.get("Content-Type") ?? "text/plain";
  const length = h.get("Content-Length");
  if (length) env.CONTENT_LENGTH = length;
  const referer = h.get("Referer");
  if (referer) env.HTTP_REFERER = referer;
  env.HTTP_ACCEPT = h.getAll("Accept").join(",");
  const ua = h.get("User-Agent");
  if (ua) env.HTTP_USER_AGENT = ua;
  const cookie = h.getAll("Cookie").filter((c) => c).join(", ");
  if (cookie) env.HTTP_COOKIE = cookie;
  for (
    const k of [
      "QUERY_STRING",
      "REMOTE_HOST",
      "CONTENT_LENGTH",
      "HTTP_USER_AGENT",
      "HTTP_COOKIE",
      "HTTP_REFERER",
    ]
  ) env[k] ??= "";
  return env;
}

/**
 * The user of Basic credentials, as Python finds it: the token decodes
 * (leniently, as `base64.decodebytes`) to ASCII with exactly one `:`.
 */
export function basicUser(token: string): string | null {
  const bytes = a2bBase64(token);
  if (bytes === null || bytes.some((b) => b > 0x7f)) return null;
  const parts = String.fromCharCode(...bytes).split(":");
  return parts.length === 2 ? parts[0]! : null;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * `binascii.a2b_base64` in its default (non-strict) mode: characters outside
 * the alphabet are skipped, decoding stops at a complete padding, and a
 * partial last quantum is an error (`null`). Non-ASCII input is an error too.
 */
export function a2bBase64(s: string): Uint8Array | null {
  const out: number[] = [];
  let quad = 0;
  let pads = 0;
  let left = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch.charCodeAt(0) > 0x7f) return null;
    if (ch === "=") {
      if (quad >= 2 && quad + ++pads >= 4) return Uint8Array.from(out);
      continue;
    }
    const v = B64.indexOf(ch);
    if (v < 0) continue;
    pads = 0;
    switch (quad) {
      case 0:
        left = v;
        quad = 1;
        break;
      case 1:
        out.push(((left << 2) | (v >> 4)) & 0xff);
        left = v & 0x0f;
        quad = 2;
        break;
      case 2:
        out.push(((left << 4) | (v >> 2)) & 0xff);
        left = v & 0x03;
        quad = 3;
        break;
      default:
        out.push(((left << 6) | v) & 0xff);
        left = 0;
        quad = 0;
    }
  }
  return quad === 0 ? Uint8Array.from(out) : null;
}

/**
 * The script's command-line arguments: Python's `+` -> space decoding of the
 * query, passed as one argument when it has no `=` (an empty query gives one
 * empty argument, as in Python), else none.
 */
export function cgiArguments(query: string): string[] {
  const decoded = query.replaceAll("+", " ");
  return decoded.includes("=") ? [] : [decoded];
}
