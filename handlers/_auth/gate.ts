// Copyright 2026 the httpserver authors. MIT license.
/**
 * The gate every request passes before it is dispatched to a `doVERB`
 * method: the cross-origin check for state-changing requests, then
 * authentication (anonymous reads with `publicRead`, `OPTIONS` always
 * anonymous so CORS preflights pass). It decides only; the handler sends
 * the refusal.
 * @module
 */
import type { HTTPMessage } from "../../message.ts";
import type { ClientAddress } from "../../server.ts";
import { AuthGuard, type ThrottleOptions } from "./guard.ts";
import { crossOriginReason, isStateChanging } from "./origin.ts";

/** Why authentication failed, as the `authFailure()` hook gets it. */
export interface AuthFailureInfo {
  /** The client's address. */
  address: string;
  /** The user name sent, or null when none could be read. */
  user: string | null;
  /** `rejected` (wrong user or password), `malformed`, or `throttled`. */
  reason: "rejected" | "malformed" | "throttled";
}

/** The gate's settings, resolved once per handler configuration. */
export interface GateSettings {
  /** The accounts, or null when authentication is off. */
  guard: AuthGuard | null;
  /** Let anyone GET and HEAD (read and list) without credentials. */
  publicRead: boolean;
  /** The realm of `WWW-Authenticate`. */
  realm: string;
  /** Refuse state-changing requests from other origins. */
  checkOrigin: boolean;
  /** Origins allowed to write besides the server's own. */
  trustedOrigins: readonly string[];
}

/** The handler members the gate uses. */
export interface GateHost {
  command: string;
  headers: HTTPMessage;
  readonly clientAddress: ClientAddress;
  /** Set to the authenticated user. */
  user: string | null;
  authFailure(info: AuthFailureInfo): void;
}

/** A refusal from the gate: status, reason, extra header fields. */
export interface GateRefusal {
  status: number;
  message: string;
  headers: [string, string][];
}

/** The `WWW-Authenticate` value for `realm` (RFC 7617, UTF-8). */
export function challenge(realm: string): string {
  const quoted = realm.replace(/[\\"]/g, (c) => "\\" + c);
  return `Basic realm="${quoted}", charset="UTF-8"`;
}

const guards = new Map<string, AuthGuard>();

/**
 * The guard for an accounts list, made once per distinct list and
 * throttle setting, so that its cache and throttle are shared by every
 * connection (handlers are made per connection, often with a fresh copy of
 * their options).
 */
export function guardFor(
  accounts: readonly (readonly [string, string])[],
  throttle: ThrottleOptions = {},
): AuthGuard {
  const key = JSON.stringify([
    accounts,
    throttle.maxFailures ?? null,
    throttle.windowMs ?? null,
  ]);
  let guard = guards.get(key);
  if (!guard) {
    guard = new AuthGuard(accounts, throttle);
    guards.set(key, guard);
  }
  return guard;
}

/**
 * Checks a parsed request; resolves to null when it may be dispatched
 * (`host.user` set when credentials were verified), else to the refusal.
 */
export async function passGate(
  host: GateHost,
  settings: GateSettings,
): Promise<GateRefusal | null> {
  host.user = null;
  const stateChanging = isStateChanging(host.command);
  if (settings.checkOrigin && stateChanging) {
    const reason = crossOriginReason(
      (name) => host.headers.get(name),
      settings.trustedOrigins,
    );
    if (reason) {
      return {
        status: 403,
        message: `Cross-origin write refused (${reason})`,
        headers: [],
      };
    }
  }
  const guard = settings.guard;
  if (!guard) return null;
  const header = host.headers.get("Authorization");
  if (
    host.command === "OPTIONS" ||
    (settings.publicRead && !stateChanging && header === undefined)
  ) return null;
  const address = host.clientAddress[0];
  const outcome = await guard.check(header, address);
  if (outcome.ok) {
    host.user = outcome.user;
    return null;
  }
  if (outcome.reason !== "missing") {
    host.authFailure({ address, user: outcome.user, reason: outcome.reason });
  }
  if (outcome.reason === "throttled") {
    return {
      status: 429,
      message: "Too many failed logins",
      headers: [["Retry-After", String(outcome.retryAfter)]],
    };
  }
  return {
    status: 401,
    message: outcome.reason === "missing"
      ? "Authentication required"
      : "Wrong user name or password",
    headers: [["WWW-Authenticate", challenge(settings.realm)]],
  };
}
