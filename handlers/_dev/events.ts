// Copyright 2026 the httpserver authors. MIT license.
/**
 * The live-reload event stream (`text/event-stream`): a long-lived
 * response, never compressed and never given CORS headers, that ends when
 * the client goes away or the server closes the connection.
 * @module
 */
import { HEARTBEAT, HELLO, type LiveHub } from "./live_hub.ts";

/** Milliseconds between keep-alive comments. */
export const HEARTBEAT_MS = 20_000;
/** Milliseconds between looks at `closing()` when no `gone()` tells. */
export const CLOSING_POLL_MS = 1000;

/** Hooks of the server around a live-reload stream. */
export interface StreamHooks {
  /** Called once the stream's head is sent. */
  onStart?: () => void;
  /** Whether the server is shutting down. */
  closing?: () => boolean;
  /**
   * Settles when the client leaves or the server closes the connection;
   * absent where that cannot be watched (then `closing()` is looked at
   * every {@linkcode CLOSING_POLL_MS} and a failed write ends the stream).
   */
  gone?: () => Promise<void>;
}

/** What the stream needs of the handler serving it. */
export interface StreamHost {
  readonly command: string;
  closeConnection: boolean;
  sendResponse(code: number): void;
  sendHeader(name: string, value: string): void;
  endHeaders(): Promise<void>;
  readonly wfile: {
    write(data: Uint8Array): Promise<void>;
    flush(): Promise<void>;
  };
}

/**
 * Sends the stream's head, then (for GET) its events until `gone()`
 * settles, a write fails, or `closing()` turns true (looked at with each
 * heartbeat, or every second without `gone`); the connection is closed
 * after it.
 * `onStart` runs once the head is sent (the server marks the connection as
 * a long-lived stream there); `closing` tells whether the server shuts down.
 */
export async function serveEvents(
  host: StreamHost,
  hub: LiveHub,
  hooks: StreamHooks = {},
): Promise<void> {
  host.closeConnection = true;
  host.sendResponse(200);
  host.sendHeader("Content-Type", "text/event-stream");
  host.sendHeader("Cache-Control", "no-cache, no-transform");
  host.sendHeader("X-Content-Type-Options", "nosniff");
  await host.endHeaders();
  if (host.command === "HEAD") return;
  hooks.onStart?.();
  const queue: Uint8Array[] = [HELLO];
  let wake: (() => void) | null = null;
  const client = (chunk: Uint8Array): void => {
    queue.push(chunk);
    wake?.();
  };
  let ended = false;
  const gone = hooks.gone?.().finally(() => {
    ended = true;
    wake?.();
  });
  // Without `gone`, `closing()` is looked at more often than heartbeats go.
  const tick = gone ? HEARTBEAT_MS : CLOSING_POLL_MS;
  let lastBeat = performance.now();
  let heartbeat: ReturnType<typeof setTimeout> | undefined;
  hub.add(client);
  try {
    while (!ended) {
      while (queue.length) await host.wfile.write(queue.shift()!);
      await host.wfile.flush();
      if (ended) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        heartbeat = setTimeout(() => {
          if (hooks.closing?.()) ended = true;
          else if (performance.now() - lastBeat >= HEARTBEAT_MS - tick / 2) {
            lastBeat = performance.now();
            queue.push(HEARTBEAT);
          }
          resolve();
        }, tick);
      });
      wake = null;
      clearTimeout(heartbeat);
    }
  } catch {
    /* the client went away mid-write */
  } finally {
    clearTimeout(heartbeat);
    await hub.remove(client, hooks.closing?.() ?? false);
  }
  // `gone` settles once the connection closes; it is not awaited here,
  // since the connection closes after this handler returns.
  void gone;
}
