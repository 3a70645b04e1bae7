// Copyright 2026 the httpserver authors. MIT license.
/**
 * A byte-bounded LRU of derived representations (compressed files,
 * live-reload pages), so that `Content-Length` is exact and a repeated
 * request costs no encoding. Concurrent requests for one key share one
 * computation.
 * @module
 */

/** Limits of a {@linkcode VariantCache}. */
export interface VariantCacheOptions {
  /** Most bytes held (32 MiB). */
  maxBytes?: number;
  /** Largest entry held (8 MiB). */
  maxEntryBytes?: number;
}

/** A least-recently-used map of keys to bytes, bounded by total size. */
export class VariantCache {
  #map = new Map<string, Uint8Array>();
  #pending = new Map<string, Promise<Uint8Array>>();
  #bytes = 0;
  readonly maxBytes: number;
  readonly maxEntryBytes: number;

  constructor(options: VariantCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.maxEntryBytes = options.maxEntryBytes ?? 8 * 1024 * 1024;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries held. */
  get size(): number {
    return this.#map.size;
  }

  /** The bytes under `key`, now the most recently used, or undefined. */
  get(key: string): Uint8Array | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /** Holds `value` under `key` unless it is larger than an entry may be. */
  set(key: string, value: Uint8Array): void {
    this.delete(key);
    if (value.length > this.maxEntryBytes) return;
    this.#map.set(key, value);
    this.#bytes += value.length;
    for (const [oldKey, old] of this.#map) {
      if (this.#bytes <= this.maxBytes) break;
      this.#map.delete(oldKey);
      this.#bytes -= old.length;
    }
  }

  /** Forgets `key`. */
  delete(key: string): void {
    const old = this.#map.get(key);
    if (old === undefined) return;
    this.#map.delete(key);
    this.#bytes -= old.length;
  }

  /**
   * The bytes under `key`, made by `make` on a miss; requests for the same
   * key while `make` runs wait for its result. `keep` false leaves the
   * result out of the cache (a file too young to trust its validators).
   */
  async getOrMake(
    key: string,
    make: () => Promise<Uint8Array>,
    keep = true,
  ): Promise<Uint8Array> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    if (!keep) return await make();
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = make();
      this.#pending.set(key, pending);
      try {
        this.set(key, await pending);
      } finally {
        this.#pending.delete(key);
      }
    }
    return await pending;
  }
}
