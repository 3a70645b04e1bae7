// Copyright 2026 the httpserver authors. MIT license.
/** The CLI's start-up lines: Python's banner, then the LAN addresses. @module */
import { isGranted } from "../_permissions.ts";

/** `host` as it appears in a URL: IPv6 in brackets. */
export function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Python's first line:
 * `Serving HTTP on :: port 8000 (http://[::]:8000/) ...`.
 */
export function bannerLine(tls: boolean, host: string, port: number): string {
  const scheme = tls ? "HTTPS" : "HTTP";
  const url = `${tls ? "https" : "http"}://${urlHost(host)}:${port}/`;
  return `Serving ${scheme} on ${host} port ${port} (${url}) ...`;
}

const WILDCARDS = new Set(["0.0.0.0", "::"]);

/**
 * For a server on a wildcard address, the URLs to open from this machine
 * and from other devices, one indented line each; empty when the
 * `sys` `networkInterfaces` permission is not granted (never prompts).
 */
export function lanLines(tls: boolean, host: string, port: number): string[] {
  if (!WILDCARDS.has(host)) return [];
  if (!isGranted({ name: "sys", kind: "networkInterfaces" })) return [];
  let interfaces: Deno.NetworkInterfaceInfo[];
  try {
    interfaces = Deno.networkInterfaces();
  } catch {
    return [];
  }
  const scheme = tls ? "https" : "http";
  const seen = new Set<string>();
  const network: string[] = [];
  for (const info of interfaces) {
    if (info.family === "IPv6" && host !== "::") continue;
    if (isLoopback(info.address) || isLinkLocal(info.address)) continue;
    if (seen.has(info.address)) continue;
    seen.add(info.address);
    network.push(`  Network: ${scheme}://${urlHost(info.address)}:${port}/`);
  }
  return [`  Local:   ${scheme}://localhost:${port}/`, ...network];
}

function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1";
}

function isLinkLocal(address: string): boolean {
  // IPv6 link-local addresses need a zone id to be usable in a URL.
  return /^fe[89ab]/i.test(address) || address.startsWith("169.254.");
}
