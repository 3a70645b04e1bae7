// Copyright 2026 the httpserver authors. MIT license.
/**
 * Form bodies (`multipart/form-data`, `application/x-www-form-urlencoded`)
 * read as a stream with `@fastify/busboy` through `node:stream`: never
 * buffered whole, with limits on part headers, part count and field size.
 * Each file part is handed over as it arrives and is complete only when
 * its closing boundary was seen; a body that ends early or breaks makes
 * the current part's stream fail.
 * @module
 */
// @ts-types="./busboy.d.ts"
import { Busboy } from "@fastify/busboy";
import { Buffer } from "node:buffer";
import type { Readable } from "node:stream";
import { UploadRefusal } from "./refusal.ts";

/** Limits on a form body. */
export interface FormLimits {
  /** Most file parts (10,000). */
  files?: number;
  /** Most non-file fields (100). */
  fields?: number;
  /** Most bytes in one field's value (64 KiB). */
  fieldSize?: number;
  /** Most header lines in one part (20). */
  headerPairs?: number;
  /** Most bytes of one part's header block (16 KiB). */
  headerSize?: number;
}

/** A file part: its field, the file name as sent, and its bytes. */
export interface FilePart {
  /** The form field's name. */
  field: string;
  /** The file name, as sent (may carry a folder-relative path). */
  filename: string;
  /** The part's `Content-Type`. */
  mimeType: string;
  /** The part's bytes; iterating fails if the part does not end cleanly. */
  chunks: AsyncIterable<Uint8Array>;
}

/** What to do with the parts of a form. */
export interface FormVisitor {
  /** Called for each file part, in order; must consume `chunks` or throw. */
  file(part: FilePart): Promise<void>;
  /** Called for each non-file field. */
  field?(name: string, value: string): void;
}

/** Whether `contentType` names a form body this module reads. */
export function isFormType(contentType: string): boolean {
  return /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\s*(;|$)/i
    .test(contentType);
}

/**
 * Reads the form in `body` (typed by `contentType`), calling `visitor` for
 * each part. Resolves once every part is handled; rejects with an
 * {@linkcode UploadRefusal} (400 malformed, 413 too many parts, 415 no
 * boundary) or with the error of the body or of a visitor.
 */
export async function readForm(
  contentType: string,
  body: AsyncIterable<Uint8Array>,
  visitor: FormVisitor,
  limits: FormLimits = {},
): Promise<void> {
  const files = limits.files ?? 10_000;
  const fields = limits.fields ?? 100;
  let parser: InstanceType<typeof Busboy>;
  try {
    parser = new Busboy({
      headers: { "content-type": contentType },
      preservePath: true,
      limits: {
        files,
        fields,
        parts: files + fields,
        fieldSize: limits.fieldSize ?? 65_536,
        fieldNameSize: 200,
        headerPairs: limits.headerPairs ?? 20,
        headerSize: limits.headerSize ?? 16_384,
      } as Record<string, number>,
    });
  } catch (error) {
    throw new UploadRefusal(
      415,
      /Boundary/.test((error as Error).message)
        ? "The multipart body has no boundary"
        : "Unsupported form type",
    );
  }
  let failure: unknown = null;
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = (error) => {
      failure ??= error;
      reject(failure);
    };
  });
  failed.catch(() => {});
  let current: Readable | null = null;
  let work: Promise<void> = Promise.resolve();
  const finished = new Promise<void>((resolve) => parser.on("finish", resolve));

  parser.on(
    "file",
    (
      field: string,
      stream: Readable,
      filename: string,
      _e: string,
      mimeType: string,
    ) => {
      current = stream;
      let broken: unknown = null;
      stream.on("error", (error: unknown) => broken ??= error);
      stream.on(
        "limit",
        () =>
          broken ??= new UploadRefusal(413, "A file is larger than allowed"),
      );
      const chunks = (async function* () {
        for await (const chunk of stream) {
          yield chunk as Uint8Array;
        }
        if (broken) throw broken;
      })();
      work = work.then(async () => {
        if (failure) throw failure;
        try {
          await visitor.file({ field, filename, mimeType, chunks });
        } finally {
          if (!stream.readableEnded) stream.destroy();
        }
      }).catch((error) => {
        fail(error);
        throw error;
      });
      work.catch(() => {});
    },
  );
  parser.on(
    "field",
    (name: string, value: string) => visitor.field?.(name, value),
  );
  const tooMany = () =>
    fail(new UploadRefusal(413, "The form has too many parts"));
  parser.on("partsLimit", tooMany);
  parser.on("filesLimit", tooMany);
  parser.on("fieldsLimit", tooMany);
  parser.on("error", (error: unknown) => {
    (current as Readable | null)?.destroy(error as Error);
    fail(new UploadRefusal(400, "Malformed form body"));
  });

  try {
    for await (const chunk of body) {
      if (failure) break;
      const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      if (!parser.write(buffer)) {
        await Promise.race([
          new Promise((resolve) => parser.once("drain", resolve)),
          failed,
        ]);
      }
    }
    if (!failure) {
      parser.end();
      await Promise.race([finished, failed]);
    }
  } catch (error) {
    (current as Readable | null)?.destroy(error as Error);
    fail(error);
  }
  // Every file handler settles (and removes its temporary) before returning.
  await work.catch(() => {});
  if (failure) throw failure;
}
