// Copyright 2026 the httpserver authors. MIT license.
/**
 * The part of `@fastify/busboy`'s API that `multipart.ts` uses. Its own
 * declarations reference `@types/node`, which Deno does not resolve from an
 * npm package's types; these stand in for them.
 * @module
 */
import type { Readable, Writable } from "node:stream";

/** Busboy's options, as far as they are used. */
export interface BusboyConfig {
  headers: { "content-type": string };
  preservePath?: boolean;
  limits?: Record<string, number>;
}

/** A streaming `multipart/form-data` and urlencoded parser. */
export class Busboy extends Writable {
  constructor(config: BusboyConfig);
  on(
    event: "file",
    listener: (
      field: string,
      stream: Readable,
      filename: string,
      encoding: string,
      mimeType: string,
    ) => void,
  ): this;
  on(event: "field", listener: (name: string, value: string) => void): this;
  on(event: string, listener: (...args: never[]) => void): this;
}
