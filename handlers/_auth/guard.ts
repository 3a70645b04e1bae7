// Copyright 2026 the httpserver authors. MIT license.
/**
 * The authentication gate: HTTP Basic credentials checked against a
 * {@linkcode PasswordBook}, verified results cached (a bcrypt check costs
 * tens of milliseconds and browsers resend the header with every request),
 * failures throttled per client address.
 * @module
 */
import { Buffer } from "node:buffer";
import { digest, PasswordBook } from "./passwords.ts";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** User name and password of a Basic `Authorization` header. */
export interface BasicCredentials {
  user: string;
  password: string;
}

/**
 * Parses `Authorization: Basic <base64>` (RFC 7617, UTF-8). Returns null
 * for another scheme or a malformed value.
 */
export function parseBasic(header: string): BasicCredentials | null {
  const m = /^\s*basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header);
  if (!m || m[1]!.length % 4 !== 0) return null;
  let text: string;
  try {
    text = strictUtf8.decode(Buffer.from(m[1]!, "base64"));
  } catch {
    return null;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Failure throttling: at most `maxFailures` in `windowMs` per client. */
export interface ThrottleOptions {
  /** Failed attempts allowed per client address in the window (10). */
  maxFailures?: number;
  /** The window in milliseconds (60,000). */
  windowMs?: number;
}

/** Most client addresses tracked (the oldest are forgotten past it). */
const MAX_CLIENTS = 10_000;

/**
 * Counts failed attempts per client: IPv4 addresses one by one, IPv6 by
 * their /64 (one host owns a whole /64).
 */
export class FailureThrottle {
  #max: number;
  #window: number;
  #failures = new Map<string, number[]>();

  constructor(options: ThrottleOptions = {}) {
    this.#max = options.maxFailures ?? 10;
    this.#window = options.windowMs ?? 60_000;
  }

  /** The key of `address` (IPv6 cut to its /64). */
  static key(address: string): string {
    if (!address.includes(":")) return address;
    const full = address.replace(/^\[|\]$/g, "").split("%")[0]!;
    if (/^::ffff:\d/i.test(full)) return full.slice(7);
    const [head = "", tail = ""] = full.split("::");
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const groups = full.includes("::")
      ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
      : left;
    return groups.slice(0, 4).map((g) => g.toLowerCase()).join(":") + "::/64";
  }

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const list = this.#recent(FailureThrottle.key(address), now);
    if (!list || list.length < this.#max) return 0;
    return Math.max(1, Math.ceil((list[0]! + this.#window - now) / 1000));
  }

  /** Records a failure of `address`. */
  fail(address: string, now = Date.now()): void {
    const key = FailureThrottle.key(address);
    const list = this.#recent(key, now) ?? [];
    list.push(now);
    this.#failures.delete(key);
    this.#failures.set(key, list);
    if (this.#failures.size > MAX_CLIENTS) {
      this.#failures.delete(this.#failures.keys().next().value!);
    }
  }

  /** Forgets the failures of `address` (after a success). */
  clear(address: string): void {
    this.#failures.delete(FailureThrottle.key(address));
  }

  #recent(key: string, now: number): number[] | null {
    const list = this.#failures.get(key);
    if (!list) return null;
    while (list.length && list[0]! <= now - this.#window) list.shift();
    return list;
  }
}

/** The outcome of checking a request's credentials. */
export type AuthOutcome =
  | { ok: true; user: string }
  | {
    ok: false;
    reason: "missing" | "malformed" | "rejected";
    user: string | null;
  }
  | { ok: false; reason: "throttled"; user: string | null; retryAfter: number };

/** Most verified credentials cached. */
const CACHE_SIZE = 1024;

/** Accounts, a verified-credential cache and a failure throttle. */
export class AuthGuard {
  readonly book: PasswordBook;
  readonly throttle: FailureThrottle;
  /** HMAC of a verified `Authorization` value -> its user. */
  #cache = new Map<string, string>();

  constructor(
    accounts: Iterable<readonly [string, string]>,
    throttle: ThrottleOptions = {},
  ) {
    this.book = new PasswordBook();
    for (const [user, secret] of accounts) this.book.add(user, secret);
    this.throttle = new FailureThrottle(throttle);
  }

  /**
   * Checks the `Authorization` header value of a request from `address`:
   * a cached success costs one HMAC; otherwise a throttled client is
   * refused before any password is verified.
   */
  async check(
    header: string | undefined,
    address: string,
  ): Promise<AuthOutcome> {
    if (!header) return { ok: false, reason: "missing", user: null };
    const key = Buffer.from(digest(header)).toString("base64");
    const cached = this.#cache.get(key);
    if (cached !== undefined) return { ok: true, user: cached };
    const credentials = parseBasic(header);
    const user = credentials?.user ?? null;
    const retryAfter = this.throttle.retryAfter(address);
    if (retryAfter > 0) {
      return { ok: false, reason: "throttled", user, retryAfter };
    }
    if (!credentials) {
      this.throttle.fail(address);
      return { ok: false, reason: "malformed", user };
    }
    if (!await this.book.verify(credentials.user, credentials.password)) {
      this.throttle.fail(address);
      return { ok: false, reason: "rejected", user };
    }
    this.throttle.clear(address);
    this.#cache.set(key, credentials.user);
    if (this.#cache.size > CACHE_SIZE) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    return { ok: true, user: credentials.user };
  }
}
