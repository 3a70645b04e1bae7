// Copyright 2026 the httpserver authors. MIT license.
/** The server name handlers see (CGI's `SERVER_NAME`). @module */
import { isGranted } from "./_permissions.ts";

/** `localhost` for loopback, the host name for a wildcard address, else the address. */
export function serverNameFor(host: string): string {
  if (host === "127.0.0.1" || host === "::1" || host === "localhost") {
    return "localhost";
  }
  if (
    (host === "0.0.0.0" || host === "::") &&
    isGranted({ name: "sys", kind: "hostname" })
  ) {
    try {
      return Deno.hostname();
    } catch { /* not available here */ }
  }
  return host;
}
