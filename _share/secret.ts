// Copyright 2026 the httpserver authors. MIT license.
/**
 * The secret path prefix of `--random-path`: 128 random bits in base64url
 * (22 characters), and the check of a request path against it, in
 * constant time.
 * @module
 */
import { timingSafeEqual } from "node:crypto";

const encoder = new TextEncoder();

/** A new random prefix segment: 22 base64url characters (128 bits). */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-")
    .replace(/\//g, "_").replace(/=+$/, "");
}

/** The path the share is served at: `/secret/`, or `/` without a secret. */
export function secretPath(secret: string | null): string {
  return secret ? `/${secret}/` : "/";
}

/**
 * The request target with `/secret` removed from its front (`/file`, or
 * `""` / `?query` when nothing follows the secret: the caller redirects to
 * the slash form), or null when the target does not start with the secret.
 * The comparison takes the same time wherever the first difference is.
 */
export function stripSecret(target: string, secret: string): string | null {
  const want = encoder.encode(secret);
  const got = encoder.encode(target.slice(1, 1 + secret.length));
  if (target[0] !== "/" || got.length !== want.length) return null;
  if (!timingSafeEqual(got, want)) return null;
  const rest = target.slice(1 + secret.length);
  if (rest !== "" && rest[0] !== "/" && rest[0] !== "?") return null;
  return rest;
}
