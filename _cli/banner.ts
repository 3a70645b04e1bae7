// Copyright 2026 the httpserver authors. MIT license.
/**
 * The CLI's start-up lines: Python's banner, the LAN addresses, and with
 * `--qr` the QR code of the URL for other devices.
 * @module
 */
import {
  isLinkLocal,
  isLoopback,
  systemAddresses,
  urlHost,
} from "../_share/urls.ts";
import { makeQr } from "../_share/qr.ts";

/**
 * Python's first line:
 * `Serving HTTP on :: port 8000 (http://[::]:8000/) ...`; `path` is the
 * URL path served (`/`, or the secret prefix of `--random-path`).
 */
export function bannerLine(
  tls: boolean,
  host: string,
  port: number,
  path = "/",
): string {
  const scheme = tls ? "HTTPS" : "HTTP";
  const url = `${tls ? "https" : "http"}://${urlHost(host)}:${port}${path}`;
  return `Serving ${scheme} on ${host} port ${port} (${url}) ...`;
}

/** The banner and the LAN lines, each ending in a newline. */
export function bannerText(tls: boolean, host: string, port: number): string {
  return [bannerLine(tls, host, port), ...lanLines(tls, host, port)]
    .map((line) => line + "\n").join("");
}

const WILDCARDS = new Set(["0.0.0.0", "::"]);

/**
 * For a server on a wildcard address, the URLs to open from this machine
 * and from other devices, one indented line each, in the order the system
 * lists its interfaces; empty when the `sys` `networkInterfaces`
 * permission is not granted (never prompts).
 */
export function lanLines(
  tls: boolean,
  host: string,
  port: number,
  path = "/",
): string[] {
  if (!WILDCARDS.has(host)) return [];
  const interfaces = systemAddresses.interfaces();
  if (interfaces === null) return [];
  const scheme = tls ? "https" : "http";
  const seen = new Set<string>();
  const network: string[] = [];
  for (const info of interfaces) {
    if (info.family === "IPv6" && host !== "::") continue;
    if (isLoopback(info.address) || isLinkLocal(info.address)) continue;
    if (seen.has(info.address)) continue;
    seen.add(info.address);
    network.push(
      `  Network: ${scheme}://${urlHost(info.address)}:${port}${path}`,
    );
  }
  return [`  Local:   ${scheme}://localhost:${port}${path}`, ...network];
}

/**
 * `--qr`: the QR code of `url` (black on white with ANSI colours when
 * `ansi`, else plain blocks) and the URL under it, or one line saying why
 * there is none (`host`: the bound address).
 */
export function qrLines(
  url: string | null,
  ansi: boolean,
  host = "",
): string[] {
  if (url === null) {
    return [
      isLoopback(host)
        ? `  QR code: none, other devices cannot reach ${host}; listen on ` +
          "all interfaces (no -b) or a network address, or give --qr-host ADDR"
        : "  QR code: no address for other devices was found; give --qr-host ADDR",
    ];
  }
  const qr = makeQr(url);
  return [...(ansi ? qr.ansi : qr.text).split("\n"), `  Scan: ${url}`];
}
