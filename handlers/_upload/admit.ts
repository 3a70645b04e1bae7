// Copyright 2026 the httpserver authors. MIT license.
/**
 * What `SimpleHTTPRequestHandler` calls for its sharing features: the gate
 * (origin check, authentication) once the request head is parsed, before
 * `100 Continue` and before any `doVERB`; the write plan made at the same
 * point, so that a refused upload costs the client no body; and the write
 * methods themselves. Nothing here runs when every feature is off.
 * @module
 */
import { pyRepr } from "../../_text.ts";
import type {
  AuthOptions,
  SimpleHTTPRequestHandlerOptions,
} from "../simple_types.ts";
import { type GateHost, guardFor, passGate } from "../_auth/gate.ts";
import { sendErrorWith, type WriteHost, type WriteSettings } from "./host.ts";
import { sendRefusal } from "./host.ts";
import { UploadRefusal } from "./refusal.ts";
import { planWrite, runWrite, writeEnabled, type WritePlan } from "./verbs.ts";
import { sweepTemporaries } from "./temp.ts";
import { realRoot } from "../_files/containment.ts";

/** The handler members behind the sharing features. */
export interface FeatureHost extends WriteHost, GateHost {
  upload: boolean;
  overwrite: boolean;
  delete: boolean;
  maxUploadSize: number | null;
  auth: AuthOptions | null;
  trustedOrigins: string[];
}

/** Copies the sharing options that are set onto the handler `h`. */
export function takeSharingOptions(
  h: FeatureHost,
  options: SimpleHTTPRequestHandlerOptions,
): void {
  h.upload = options.upload ?? h.upload;
  h.overwrite = options.overwrite ?? h.overwrite;
  h.delete = options.delete ?? h.delete;
  h.maxUploadSize = options.maxUploadSize ?? h.maxUploadSize;
  h.auth = options.auth ?? h.auth;
  h.trustedOrigins = options.trustedOrigins ?? h.trustedOrigins;
}

/** Per-request state: whether the gate ran, the write plan made early. */
export interface Admission {
  gated: boolean;
  plan: WritePlan | null;
}

/** Whether any sharing feature is on (else the handler is Python's). */
export function featuresOn(h: FeatureHost): boolean {
  return h.upload || h.delete || h.auth !== null;
}

/** The write settings of `h`. */
export function writeSettings(h: FeatureHost): WriteSettings {
  return {
    upload: h.upload,
    overwrite: h.overwrite,
    delete: h.delete,
    maxUploadSize: h.maxUploadSize,
    sync: true,
  };
}

const swept = new Set<string>();
/** The `directory` strings already looked at: no real path per request. */
const seen = new Set<string>();

/** Sweeps the served folder's stale upload temporaries once per process. */
export function sweepOnce(directory: string): Promise<string[]> {
  if (seen.has(directory)) return Promise.resolve([]);
  const root = realRoot(directory);
  if (root === null) return Promise.resolve([]);
  seen.add(directory);
  if (swept.has(root)) return Promise.resolve([]);
  swept.add(root);
  return sweepTemporaries(root);
}

/**
 * Runs the gate and, for an enabled write method, its plan; sends the
 * refusal and resolves to false when the request must not go on.
 */
export async function admit(
  h: FeatureHost,
  state: Admission,
  plan: boolean,
): Promise<boolean> {
  if (!state.gated) {
    state.gated = true;
    if (h.upload) sweepOnce(h.directory).catch(() => {});
    const auth = h.auth;
    const refusal = await passGate(h, {
      guard: auth ? guardFor(auth.accounts, auth) : null,
      publicRead: auth?.publicRead ?? false,
      realm: auth?.realm ?? "httpserver",
      checkOrigin: true,
      trustedOrigins: h.trustedOrigins,
    });
    if (refusal) {
      await sendErrorWith(h, refusal.status, refusal.message, refusal.headers);
      return false;
    }
  }
  const settings = writeSettings(h);
  if (
    plan && state.plan === null && writeEnabled(h.command, settings) &&
    !isCgiRequest(h)
  ) {
    const planned = await planWrite(h, settings);
    if (planned instanceof UploadRefusal) {
      await sendRefusal(h, planned);
      return false;
    }
    state.plan = planned;
  }
  return true;
}

/** Whether a CGI handler will run a script for this request (not a write). */
function isCgiRequest(h: FeatureHost): boolean {
  const isCgi = (h as { isCgi?: () => boolean }).isCgi;
  if (typeof isCgi !== "function") return false;
  try {
    return isCgi.call(h);
  } catch {
    return true; // a bad CGI path: the CGI handler answers it
  }
}

/**
 * Serves a write method: Python's 501 when it is switched off, else the
 * write (see `verbs.ts`).
 */
export async function serveWrite(
  h: FeatureHost,
  state: Admission,
): Promise<void> {
  const settings = writeSettings(h);
  if (!writeEnabled(h.command, settings)) {
    await h.sendError(501, `Unsupported method (${pyRepr(h.command)})`);
    return;
  }
  const plan = state.plan;
  state.plan = null;
  await runWrite(h, settings, plan);
}
