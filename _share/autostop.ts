// Copyright 2026 the httpserver authors. MIT license.
/**
 * Automatic stop: `idleTimeout` (no request started and none in flight for
 * that long; idle keep-alive connections do not count), `stopAfter` (wall
 * clock), `once` (the first complete download or upload). It only decides
 * when and why; the share drains and stops the server. A timed stop or
 * `once` first enters draining: new requests get 503 while transfers in
 * flight finish, for at most `grace` ms.
 * @module
 */
import { formatDuration } from "./duration.ts";

/** Why a share stopped. */
export interface StopReason {
  /**
   * `idle`, `time` (`stopAfter`), `once`, `signal` (the caller's
   * AbortSignal or Ctrl-C), `stop` (`stop()` was called), or `error`.
   */
  kind: "idle" | "time" | "once" | "signal" | "stop" | "error";
  /** One sentence for people, without a trailing newline. */
  message: string;
}

/** When to stop by itself. */
export interface AutoStopOptions {
  /** Milliseconds without requests, or null. */
  idleTimeout: number | null;
  /** Milliseconds after the start, or null. */
  stopAfter: number | null;
  /** Stop after the first complete download or upload. */
  once: boolean;
}

/**
 * Counts requests in flight and runs the timers. `onStop` is called once,
 * with the reason, when a rule fires; `inFlight` then tells the share how
 * many requests it should let finish.
 */
export class AutoStop {
  #options: AutoStopOptions;
  #onStop: (reason: StopReason) => void;
  #inFlight = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #stopTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  /** Starts the timers. */
  constructor(options: AutoStopOptions, onStop: (reason: StopReason) => void) {
    this.#options = options;
    this.#onStop = onStop;
    if (options.stopAfter !== null) {
      this.#stopTimer = setTimeout(() =>
        this.#fire({
          kind: "time",
          message: `Stopping: ${
            formatDuration(options.stopAfter!)
          } have passed (--stop-after).`,
        }), options.stopAfter);
    }
    this.#armIdle();
  }

  /** Whether a rule has fired. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Requests started and not finished. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** A request line arrived. */
  requestStarted(): void {
    this.#inFlight++;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  /** A request's response was sent (or the connection ended). */
  requestFinished(): void {
    if (this.#inFlight > 0) this.#inFlight--;
    if (this.#inFlight === 0) this.#armIdle();
  }

  /** The last byte of a full download (`what`: its URL path) was sent. */
  downloadComplete(what: string): void {
    if (!this.#options.once) return;
    this.#fire({
      kind: "once",
      message: `Stopping: ${what} was downloaded completely (--once).`,
    });
  }

  /** An upload (`what`: its URL path) was stored completely. */
  uploadComplete(what: string): void {
    if (!this.#options.once) return;
    this.#fire({
      kind: "once",
      message: `Stopping: ${what} was uploaded completely (--once).`,
    });
  }

  /** Clears the timers (the share stopped for another reason). */
  dispose(): void {
    this.#stopped = true;
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#stopTimer);
  }

  #armIdle(): void {
    const ms = this.#options.idleTimeout;
    if (ms === null || this.#stopped) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() =>
      this.#fire({
        kind: "idle",
        message: `Stopping: no request for ${
          formatDuration(ms)
        } (--idle-timeout).`,
      }), ms);
  }

  #fire(reason: StopReason): void {
    if (this.#stopped) return;
    this.dispose();
    this.#onStop(reason);
  }
}
