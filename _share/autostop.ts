// Copyright 2026 the httpserver authors. MIT license.
/**
 * Automatic stop: `idleTimeout` (no request started and none in flight for
 * that long; idle keep-alive connections and long-lived streams do not
 * count), `stopAfter` (wall clock), `once` (the first complete download or
 * upload). It only decides when and why; the share drains and stops the
 * server. A timed stop or
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
 * Runs the timers. The share tells it when a request starts and finishes;
 * `busy()` says whether a request is in flight now, with the server's
 * meaning (`ConnState.inFlight`: a long-lived stream such as live reload's
 * is not). `onStop` is called once, with the reason, when a rule fires.
 */
export class AutoStop {
  #options: AutoStopOptions;
  #onStop: (reason: StopReason) => void;
  #busy: () => boolean;
  /** When a request last started or finished, or was seen in flight. */
  #last = performance.now();
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #stopTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  /** Starts the timers. */
  constructor(
    options: AutoStopOptions,
    onStop: (reason: StopReason) => void,
    busy: () => boolean = () => false,
  ) {
    this.#options = options;
    this.#onStop = onStop;
    this.#busy = busy;
    if (options.stopAfter !== null) {
      this.#stopTimer = setTimeout(() =>
        this.#fire({
          kind: "time",
          message: `Stopping: ${
            formatDuration(options.stopAfter!)
          } have passed (--stop-after).`,
        }), options.stopAfter);
    }
    this.#armIdle(options.idleTimeout);
  }

  /** Whether a rule has fired. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** A request line arrived. */
  requestStarted(): void {
    this.#touch();
  }

  /** A request's response was sent (or the connection ended). */
  requestFinished(): void {
    this.#touch();
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

  /** Some activity: the idle time counts from now (one timer, rearmed late). */
  #touch(): void {
    this.#last = performance.now();
    if (this.#idleTimer === undefined) {
      this.#armIdle(this.#options.idleTimeout);
    }
  }

  #armIdle(ms: number | null): void {
    if (ms === null || this.#stopped) return;
    this.#idleTimer = setTimeout(() => this.#idleCheck(), ms);
  }

  /**
   * The idle time may have passed: stop when nothing happened for that long
   * and no request is in flight; else look again when it would pass.
   */
  #idleCheck(): void {
    this.#idleTimer = undefined;
    const ms = this.#options.idleTimeout!;
    const left = this.#last + ms - performance.now();
    if (left > 0) return this.#armIdle(left);
    if (this.#busy()) {
      // Its finish will count as activity; until then, look again.
      this.#last = performance.now();
      return this.#armIdle(ms);
    }
    this.#fire({
      kind: "idle",
      message: `Stopping: no request for ${
        formatDuration(ms)
      } (--idle-timeout).`,
    });
  }

  #fire(reason: StopReason): void {
    if (this.#stopped) return;
    this.dispose();
    this.#onStop(reason);
  }
}
