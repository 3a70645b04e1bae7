// Copyright 2026 the httpserver authors. MIT license.
/**
 * Permission queries that never prompt. Deno prompts on first use of an
 * API it was not given; code that may run under narrow permissions asks
 * first, and takes "prompt", "denied" and a missing API as "no".
 * @module
 */

/** Whether `descriptor` is granted now, without ever prompting. */
export function isGranted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}
