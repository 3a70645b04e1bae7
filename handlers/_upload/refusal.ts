// Copyright 2026 the httpserver authors. MIT license.
/**
 * Why a write was refused: the status to answer with and a sentence for the
 * error page and the log, plus the mapping from file-system errors.
 * @module
 */

/** A refused write: answered with `status`, `message` as the reason. */
export class UploadRefusal extends Error {
  /** The HTTP status to answer with. */
  readonly status: number;
  /** Extra response header fields (`Range`, `Allow`...). */
  readonly headers: [string, string][];
  constructor(
    status: number,
    message: string,
    headers: [string, string][] = [],
  ) {
    super(message);
    this.name = "UploadRefusal";
    this.status = status;
    this.headers = headers;
  }
}

/** The `code` of a Node-style or Deno error, when it has one. */
function errorCode(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? "");
}

/** Whether `error` says the disk (or the user's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOSPC" || code === "EDQUOT" ||
    (error instanceof Error &&
      /No space left|quota exceeded/i.test(error.message));
}

/**
 * The refusal for a file-system error met while writing, or null when the
 * error is not about the request (then it is a server error).
 */
export function refusalFor(error: unknown): UploadRefusal | null {
  if (error instanceof UploadRefusal) return error;
  if (isDiskFull(error)) {
    return new UploadRefusal(507, "Not enough space on the disk");
  }
  if (
    error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotCapable
  ) {
    return new UploadRefusal(403, "The folder is not writable");
  }
  if (error instanceof Deno.errors.NotADirectory) {
    return new UploadRefusal(409, "A file stands where a folder is needed");
  }
  if (errorCode(error) === "ENAMETOOLONG") {
    return new UploadRefusal(400, "Name too long");
  }
  if (errorCode(error) === "EROFS") {
    return new UploadRefusal(403, "The file system is read-only");
  }
  return null;
}
