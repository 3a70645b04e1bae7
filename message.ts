// Copyright 2026 the httpserver authors. MIT license.
/**
 * {@linkcode HTTPMessage}: the request headers as Python's
 * `http.client.HTTPMessage` keeps them.
 * @module
 */
import { lowerName } from "./_text.ts";

/**
 * Request header fields in the order they arrived, names with their original
 * case, repeated fields kept apart: what Python's `http.client.HTTPMessage`
 * gives a handler as `self.headers`. Look-ups ignore case. Iterating yields
 * `[name, value]` pairs, as a Web `Headers` object does.
 *
 * @example Usage
 * ```ts
 * import { HTTPMessage } from "@x/httpserver";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const headers = new HTTPMessage();
 * headers.add("Accept", "text/html");
 * headers.add("accept", "text/plain");
 * deepStrictEqual(headers.get("ACCEPT"), "text/html");
 * deepStrictEqual(headers.getAll("Accept"), ["text/html", "text/plain"]);
 * deepStrictEqual(headers.get("Cookie", "none"), "none");
 * ```
 */
export class HTTPMessage implements Iterable<[string, string]> {
  #names: string[] = [];
  #keys: string[] = [];
  #values: string[] = [];

  /** Creates a message, optionally from `[name, value]` pairs. */
  constructor(init?: Iterable<readonly [string, string]>) {
    if (init) { for (const [name, value] of init) this.add(name, value); }
  }

  /** Appends a field (Python's `msg[name] = value`, which also appends). */
  add(name: string, value: string): void {
    this.#names.push(name);
    this.#keys.push(lowerName(name));
    this.#values.push(value);
  }

  /** The first value of `name`, or `failobj` (`undefined` by default). */
  get(name: string): string | undefined;
  /** The first value of `name`, or `failobj`. */
  get(name: string, failobj: string): string;
  get(name: string, failobj?: string): string | undefined {
    const key = lowerName(name);
    const i = this.#keys.indexOf(key);
    return i < 0 ? failobj : this.#values[i];
  }

  /** Every value of `name`, in order (Python's `get_all`, as a list). */
  getAll(name: string): string[] {
    const key = lowerName(name);
    const out: string[] = [];
    for (let i = 0; i < this.#keys.length; i++) {
      if (this.#keys[i] === key) out.push(this.#values[i]!);
    }
    return out;
  }

  /** Whether a field `name` is present (Python's `name in msg`). */
  has(name: string): boolean {
    return this.#keys.includes(lowerName(name));
  }

  /** Removes every field `name` (Python's `del msg[name]`). */
  delete(name: string): void {
    const key = lowerName(name);
    for (let i = this.#keys.length - 1; i >= 0; i--) {
      if (this.#keys[i] === key) {
        this.#names.splice(i, 1);
        this.#keys.splice(i, 1);
        this.#values.splice(i, 1);
      }
    }
  }

  /** The number of fields, repeats counted. */
  get size(): number {
    return this.#names.length;
  }

  /** Field names in order, as sent (Python's `keys()`). */
  keys(): string[] {
    return [...this.#names];
  }

  /** Field values in order (Python's `values()`). */
  values(): string[] {
    return [...this.#values];
  }

  /** `[name, value]` pairs in order (Python's `items()`). */
  items(): [string, string][] {
    return this.#names.map((n, i) => [n, this.#values[i]!]);
  }

  /** Iterates `[name, value]` pairs in order. */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (let i = 0; i < this.#names.length; i++) {
      yield [this.#names[i]!, this.#values[i]!];
    }
  }

  /** The fields as a Web `Headers` object (repeated fields joined by `, `). */
  toHeaders(): Headers {
    const h = new Headers();
    for (let i = 0; i < this.#names.length; i++) {
      try {
        h.append(this.#names[i]!, this.#values[i]!);
      } catch {
        // A value Headers refuses (for example a non-ASCII name) is left out.
      }
    }
    return h;
  }

  /** The header block as text, as Python's `str(msg)` shows it. */
  toString(): string {
    let out = "";
    for (let i = 0; i < this.#names.length; i++) {
      out += `${this.#names[i]}: ${this.#values[i]}\n`;
    }
    return out + "\n";
  }
}
