// Copyright 2026 the httpserver authors. MIT license.
/**
 * Cross-site request forgery: a web page on another site can make a
 * visitor's browser send a form `POST` (or, with CORS, a `PUT` or
 * `DELETE`) to a LAN share, with the visitor's cached Basic credentials.
 * Browsers say where such a request comes from (`Origin`,
 * `Sec-Fetch-Site`); a state-changing request from another origin is
 * refused. Clients that send neither (curl, scripts) are not browsers
 * acting for a page and pass.
 * @module
 */

/** Methods that do not change state (RFC 9110 "safe"). */
const SAFE = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** Whether `method` may change state on the server. */
export function isStateChanging(method: string): boolean {
  return !SAFE.has(method);
}

/** `host[:port]` lower-cased, with the scheme's default port left out. */
function authority(host: string, scheme: "http" | "https"): string {
  const lower = host.trim().toLowerCase();
  const port = scheme === "https" ? ":443" : ":80";
  return lower.endsWith(port) ? lower.slice(0, -port.length) : lower;
}

/**
 * Why a state-changing request is cross-origin, or null when it is not:
 * its `Origin` is `null` or names another host and port than its `Host`,
 * or, without `Origin`, `Sec-Fetch-Site` is `cross-site` or `same-site`.
 * `trusted` lists extra origins (`https://app.example`) allowed to write.
 */
export function crossOriginReason(
  get: (name: string) => string | undefined,
  trusted: readonly string[] = [],
): string | null {
  const origin = get("Origin");
  if (origin !== undefined) {
    const value = origin.trim();
    if (trusted.includes(value)) return null;
    if (value === "null") return "Origin null (a sandboxed or local page)";
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return "malformed Origin";
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return `Origin ${value}`;
    }
    const scheme = url.protocol === "https:" ? "https" : "http";
    const host = get("Host");
    if (
      host === undefined ||
      authority(url.host, scheme) !== authority(host, scheme)
    ) {
      return `Origin ${value}`;
    }
    return null;
  }
  const site = get("Sec-Fetch-Site")?.trim().toLowerCase();
  if (site === "cross-site" || site === "same-site") {
    return `Sec-Fetch-Site ${site}`;
  }
  return null;
}
