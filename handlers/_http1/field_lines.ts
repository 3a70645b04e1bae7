// Copyright 2026 the httpserver authors. MIT license.
/**
 * The field lines of a header block (RFC 9112 section 5), one line at a
 * time: a name that is a token, a value stripped of optional whitespace and
 * checked against the caller's rule, and obsolete line folding joined to the
 * previous value with one space. Request heads (`request_head.ts`) and CGI
 * script output (`../_cgi/output.ts`) both read their blocks with it; each
 * finds the lines and the block's end itself, and words its own error.
 * @module
 */
import { pyRepr, trimOws } from "../../_text.ts";

/** RFC 9110 `token` characters, the only ones allowed in a field name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Reads the field lines of one header block and passes each complete field
 * to `onField`, in order: a field is complete when the next field starts or
 * when {@linkcode FieldLines.end} is called.
 */
export class FieldLines {
  #badValue: RegExp;
  #onField: (name: string, value: string) => void;
  #name: string | null = null;
  #value = "";

  /**
   * `badValue` matches the characters a value may not contain (the
   * caller's rule); `onField` receives each field.
   */
  constructor(
    badValue: RegExp,
    onField: (name: string, value: string) => void,
  ) {
    this.#badValue = badValue;
    this.#onField = onField;
  }

  /**
   * Takes one line of the block without its line ending (never the blank
   * line that ends the block). Returns false for a bad line: a continuation
   * with no field to continue, a name that is not a token, or a value with a
   * character `badValue` matches.
   */
  add(line: string): boolean {
    if (line[0] === " " || line[0] === "\t") {
      // obs-fold: a continuation of the previous field's value.
      if (this.#name === null) return false;
      const more = line.trim();
      if (this.#badValue.test(more)) return false;
      if (more) this.#value = this.#value ? `${this.#value} ${more}` : more;
      return true;
    }
    this.end();
    const colon = line.indexOf(":");
    return this.#open(colon > 0 ? line.slice(0, colon) : "", line, colon + 1);
  }

  /**
   * Takes one field already split into its name and value (as a runtime
   * that parsed the head gives them), with the rules of
   * {@linkcode FieldLines.add}. Returns false for a bad field.
   */
  field(name: string, value: string): boolean {
    this.end();
    return this.#open(name, value, 0);
  }

  #open(name: string, rest: string, from: number): boolean {
    if (!TOKEN.test(name)) return false;
    const value = trimOws(from ? rest.slice(from) : rest);
    if (this.#badValue.test(value)) return false;
    this.#name = name;
    this.#value = value;
    return true;
  }

  /** Passes on the field still open, at the end of the block. */
  end(): void {
    if (this.#name !== null) this.#onField(this.#name, this.#value);
    this.#name = null;
  }
}

/** A bad line as error messages show it: Python's `repr()`, cut at 80 characters. */
export function shownLine(line: string): string {
  return pyRepr(line.length > 80 ? line.slice(0, 80) + "..." : line);
}
