// Copyright 2026 the httpserver authors. MIT license.
/**
 * The entry points the handler calls: plan a write request (all checks
 * that need no body), then run it; every refusal becomes its HTTP answer
 * here, a broken body or a gone client goes back to the handler's
 * dispatcher.
 * @module
 */
import {
  planPut,
  type PutPlan,
  runDelete,
  runMkcol,
  runPut,
} from "./requests.ts";
import { planPost, type PostPlan, runPost } from "./form_post.ts";
import { sendRefusal, type WriteHost, type WriteSettings } from "./host.ts";
import { refusalFor, UploadRefusal } from "./refusal.ts";

/** The write methods and what each needs switched on. */
export const WRITE_METHODS: Readonly<Record<string, "upload" | "delete">> = {
  PUT: "upload",
  POST: "upload",
  MKCOL: "upload",
  DELETE: "delete",
};

/** A planned write request. */
export type WritePlan =
  | { method: "PUT"; put: PutPlan }
  | { method: "POST"; post: PostPlan }
  | { method: "other" };

/** Whether `method` is a write method switched on in `settings`. */
export function writeEnabled(method: string, settings: WriteSettings): boolean {
  const need = WRITE_METHODS[method];
  return need === "upload"
    ? settings.upload
    : need === "delete" && settings.delete;
}

/**
 * Plans the write request of `host` (see `requests.ts`); resolves to the
 * plan, or to the refusal to send.
 */
export async function planWrite(
  host: WriteHost,
  settings: WriteSettings,
): Promise<WritePlan | UploadRefusal> {
  try {
    if (host.command === "PUT") {
      return { method: "PUT", put: await planPut(host, settings) };
    }
    if (host.command === "POST") {
      return { method: "POST", post: await planPost(host, settings) };
    }
    return { method: "other" };
  } catch (error) {
    const refusal = refusalFor(error);
    if (refusal) return refusal;
    throw error;
  }
}

/**
 * Runs the write request of `host`, planning it first unless `planned` is
 * given, and sends the answer or the refusal.
 */
export async function runWrite(
  host: WriteHost,
  settings: WriteSettings,
  planned: WritePlan | null = null,
): Promise<void> {
  try {
    const plan = planned ?? await planWrite(host, settings);
    if (plan instanceof UploadRefusal) throw plan;
    if (plan.method === "PUT") await runPut(host, settings, plan.put);
    else if (plan.method === "POST") await runPost(host, settings, plan.post);
    else if (host.command === "MKCOL") await runMkcol(host);
    else if (host.command === "DELETE") await runDelete(host);
  } catch (error) {
    const refusal = refusalFor(error);
    if (!refusal) throw error;
    await sendRefusal(host, refusal);
  }
}
