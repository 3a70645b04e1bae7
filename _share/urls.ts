// Copyright 2026 the httpserver authors. MIT license.
/**
 * The URLs of a share: every usable address of the machine when the server
 * listens on all interfaces, and the one URL for other devices (the QR
 * code's): the address of the interface that holds the default route (from
 * `/proc/net/route` when it may be read), never loopback, link-local or a
 * container or VM bridge. Reading interfaces needs `--allow-sys=
 * networkInterfaces`; without it only the bound address is known. Nothing
 * here prompts or sends a packet.
 * @module
 */
import { isGranted } from "../_permissions.ts";

/** Where a share can be reached. */
export interface ShareUrls {
  /** Every URL, the best one for other devices first, then this machine's. */
  all: string[];
  /** The URL for other devices (the QR code's), or null when none is known. */
  best: string | null;
}

const WILDCARDS: ReadonlySet<string> = new Set(["0.0.0.0", "::", ""]);
/** Interfaces of containers, VMs and bridges, which phones cannot reach. */
const VIRTUAL =
  /^(docker|br-|veth|virbr|vnet|lxc|lxd|cni|flannel|cali|podman|vmnet|vboxnet|kube|weave|zt|utun|awdl|llw|anpi|bridge)/i;

/** `host` as it appears in a URL: IPv6 in brackets. */
export function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** Whether `address` is a loopback address (or `localhost`). */
export function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1" ||
    address === "localhost" || /^::ffff:127\./i.test(address);
}

/** Whether `address` is link-local (needs a zone id in a URL, or is APIPA). */
export function isLinkLocal(address: string): boolean {
  return /^fe[89ab]/i.test(address) || address.startsWith("169.254.");
}

function isPrivateV4(address: string): boolean {
  return /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(address);
}

/**
 * The interface names that hold a default route, from `/proc/net/route`
 * text (Linux); empty when unknown.
 */
export function defaultRouteInterfaces(routeTable: string | null): string[] {
  if (!routeTable) return [];
  const names: string[] = [];
  for (const line of routeTable.split("\n").slice(1)) {
    const [iface, destination, , flags, , , , mask] = line.trim().split(/\s+/);
    if (!iface || destination !== "00000000" || mask !== "00000000") continue;
    if ((Number.parseInt(flags ?? "0", 16) & 1) === 0) continue; // not up
    names.push(iface);
  }
  return names;
}

/**
 * Orders the machine's addresses for other devices: default-route
 * interface first, then private IPv4, other IPv4, global IPv6; loopback,
 * link-local and virtual interfaces are left out.
 */
export function rankAddresses(
  interfaces: readonly Deno.NetworkInterfaceInfo[],
  defaultRoute: readonly string[],
  ipv6: boolean,
): string[] {
  const scored: [number, number, string][] = [];
  const seen = new Set<string>();
  for (const [i, info] of interfaces.entries()) {
    const a = info.address;
    if (seen.has(a) || isLoopback(a) || isLinkLocal(a)) continue;
    if (info.family === "IPv6" && !ipv6) continue;
    if (VIRTUAL.test(info.name)) continue;
    seen.add(a);
    let score = 0;
    if (defaultRoute.includes(info.name)) score += 8;
    if (info.family === "IPv4") score += 4;
    if (isPrivateV4(a)) score += 2;
    scored.push([score, i, a]);
  }
  scored.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  return scored.map(([, , a]) => a);
}

/** Where the machine's interfaces come from (replaced by tests). */
export interface AddressSource {
  /** The interfaces, or null when they may not be read. */
  interfaces(): Deno.NetworkInterfaceInfo[] | null;
  /** `/proc/net/route`, or null when it may not be read. */
  routeTable(): string | null;
}

/** Reads interfaces and routes only when permitted, never prompting. */
export const systemAddresses: AddressSource = {
  interfaces() {
    if (!isGranted({ name: "sys", kind: "networkInterfaces" })) return null;
    try {
      return Deno.networkInterfaces();
    } catch {
      return null;
    }
  },
  routeTable() {
    const path = "/proc/net/route";
    if (Deno.build.os !== "linux" || !isGranted({ name: "read", path })) {
      return null;
    }
    try {
      return Deno.readTextFileSync(path);
    } catch {
      return null;
    }
  },
};

/** What {@linkcode shareUrls} needs. */
export interface UrlOptions {
  /** `http` or `https`. */
  scheme: string;
  /** The bound address (`::`, `0.0.0.0`, or one address). */
  host: string;
  /** The bound port. */
  port: number;
  /** The path every URL ends with (`/`, or `/<secret>/`). */
  path: string;
  /** The address to put in the QR code instead of the best one. */
  qrHost?: string | null;
  /** Where interfaces come from (default: the system, when permitted). */
  source?: AddressSource;
}

/** The share's URLs and its best URL for other devices. */
export function shareUrls(o: UrlOptions): ShareUrls {
  const url = (host: string) =>
    `${o.scheme}://${urlHost(host)}:${o.port}${o.path}`;
  const qr = o.qrHost ? url(o.qrHost) : null;
  if (!WILDCARDS.has(o.host)) {
    const own = url(o.host);
    // Other devices cannot reach a loopback address.
    const best = qr ?? (isLoopback(o.host) ? null : own);
    return { all: qr && qr !== own ? [qr, own] : [own], best };
  }
  const source = o.source ?? systemAddresses;
  const interfaces = source.interfaces();
  const ranked = interfaces
    ? rankAddresses(
      interfaces,
      defaultRouteInterfaces(source.routeTable()),
      o.host === "::",
    )
    : [];
  const all = ranked.map(url);
  const local = url("localhost");
  if (qr && !all.includes(qr)) all.unshift(qr);
  all.push(local);
  return { all, best: qr ?? all.find((u) => u !== local) ?? null };
}
