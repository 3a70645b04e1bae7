// Copyright 2026 the httpserver authors. MIT license.
/**
 * Account secrets and their verification: plain text (compared as HMAC
 * digests in constant time), bcrypt (`$2a$`, `$2b$`, `$2y$`, what
 * `htpasswd -B` writes) and argon2id PHC strings, verified with hash-wasm.
 * An unknown user costs the same as a known one: a dummy secret of the same
 * kind is verified instead.
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

let hashWasm: Promise<typeof import("hash-wasm")> | null = null;

/**
 * hash-wasm, loaded when a hash is first verified: its compiled WebAssembly
 * adds about 11 MiB to the process, which servers without bcrypt or
 * argon2id accounts (the default) need not pay.
 */
function hashes(): Promise<typeof import("hash-wasm")> {
  return hashWasm ??= import("hash-wasm");
}

/** How a secret is stored. */
export type SecretKind = "plain" | "bcrypt" | "argon2id";

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
const ARGON2ID =
  /^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
/** Prefixes of hash formats other servers write that we do not verify. */
const UNSUPPORTED =
  /^(\$apr1\$|\$1\$|\$5\$|\$6\$|\$argon2i\$|\$argon2d\$|\{SHA\}|\{SSHA\}|\$2[aby]?\$)/;

/** A secret in a form {@linkcode PasswordBook} verifies. */
export interface Secret {
  kind: SecretKind;
  /** The hash, or for plain text the HMAC digest of the password. */
  value: string | Uint8Array;
}

/** Per-process key of the plain-text digests and the credential cache. */
const KEY = randomBytes(32);

/** HMAC-SHA256 of `text` under the per-process key. */
export function digest(text: string): Uint8Array {
  return createHmac("sha256", KEY).update(text, "utf8").digest();
}

/**
 * The kind of `secret`: a bcrypt or argon2id hash by its prefix, else plain
 * text. Throws a `TypeError` for a hash format we cannot verify (so that a
 * `$apr1$` line of an htpasswd file is not taken as a plain password).
 */
export function secretKind(secret: string): SecretKind {
  if (BCRYPT.test(secret)) return "bcrypt";
  if (ARGON2ID.test(secret)) return "argon2id";
  if (UNSUPPORTED.test(secret)) {
    throw new TypeError(
      `Unsupported password hash '${secret.slice(0, 8)}...': use bcrypt ` +
        "(htpasswd -B) or an argon2id PHC string",
    );
  }
  return "plain";
}

/** The secret for a password or hash as given on the command line or in a file. */
export function parseSecret(secret: string): Secret {
  const kind = secretKind(secret);
  return { kind, value: kind === "plain" ? digest(secret) : secret };
}

/** Whether `password` matches `secret`. */
export async function verifySecret(
  secret: Secret,
  password: string,
): Promise<boolean> {
  switch (secret.kind) {
    case "plain":
      return timingSafeEqual(digest(password), secret.value as Uint8Array);
    case "bcrypt": {
      const { bcryptVerify } = await hashes();
      return await bcryptVerify({ password, hash: secret.value as string });
    }
    case "argon2id": {
      const { argon2Verify } = await hashes();
      return await argon2Verify({ password, hash: secret.value as string });
    }
  }
}

/** The accounts a server accepts, verified in constant time per kind. */
export class PasswordBook {
  #accounts = new Map<string, Secret>();
  #dummy: Promise<Secret> | null = null;

  /** Adds (or replaces) an account; throws a `TypeError` for a bad hash. */
  add(user: string, secret: string): void {
    this.#accounts.set(user, parseSecret(secret));
    this.#dummy = null;
  }

  /** The number of accounts. */
  get size(): number {
    return this.#accounts.size;
  }

  /**
   * Whether `user` exists and `password` matches. An unknown user is
   * checked against a dummy secret of the slowest kind the book holds, so
   * the time taken does not tell which user names exist.
   */
  async verify(user: string, password: string): Promise<boolean> {
    const secret = this.#accounts.get(user);
    if (secret) return await verifySecret(secret, password);
    await verifySecret(await this.#dummySecret(), password);
    return false;
  }

  #dummySecret(): Promise<Secret> {
    return this.#dummy ??= (async (): Promise<Secret> => {
      const secrets = [...this.#accounts.values()];
      const hashed = secrets.find((s) => s.kind === "argon2id") ??
        secrets.find((s) => s.kind === "bcrypt");
      if (!hashed) return { kind: "plain", value: digest(crypto.randomUUID()) };
      if (hashed.kind === "argon2id") {
        // Same parameters as the stored hash, another password.
        return hashed;
      }
      const cost = Number((hashed.value as string).slice(4, 6));
      const { bcrypt } = await hashes();
      const hash = await bcrypt({
        password: crypto.randomUUID(),
        salt: crypto.getRandomValues(new Uint8Array(16)),
        costFactor: cost,
        outputType: "encoded",
      });
      return { kind: "bcrypt", value: hash };
    })();
  }
}
