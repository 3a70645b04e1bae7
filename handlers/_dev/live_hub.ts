// Copyright 2026 the httpserver authors. MIT license.
/**
 * The live-reload hub of a served folder: the event streams connected to
 * it and the file watcher that feeds them. The watcher runs while at least
 * one stream is connected (and a short while after the last one leaves, so
 * that a page reloading does not restart it); streams get a `hello` with
 * the process's boot id, `change` events, and a comment line every 20 s so
 * that idle timers on the way do not cut them.
 * @module
 */
import { writeStderr } from "../../_log.ts";
import { TreeWatcher, type WatchFs } from "./watch.ts";

/** Identifies this server process; a page from another boot reloads. */
export const BOOT_ID: string = crypto.randomUUID().slice(0, 8);

const encoder = new TextEncoder();

/** The first event of every stream. */
export const HELLO: Uint8Array = encoder.encode(
  `retry: 1000\nevent: hello\ndata: ${JSON.stringify({ boot: BOOT_ID })}\n\n`,
);
/** The keep-alive comment. */
export const HEARTBEAT: Uint8Array = encoder.encode(":\n\n");

/** A connected stream: called with each event's bytes. */
export type StreamClient = (chunk: Uint8Array) => void;

/** Settings of a {@linkcode LiveHub}. */
export interface LiveHubOptions {
  /** The served folder's canonical path. */
  root: string;
  /** Which paths below the root are not watched. */
  ignored: (rel: string) => boolean;
  /** Milliseconds between scans when polling. */
  pollInterval: number;
  /** Milliseconds the watcher outlives the last stream (2000). */
  linger?: number;
  /** The watching function (`Deno.watchFs`). */
  watchFs?: WatchFs;
  /** Where the hub's lines go (stderr). */
  log?: (line: string) => void;
}

/** The streams and the watcher of one served folder. */
export class LiveHub {
  #o: LiveHubOptions;
  #clients = new Set<StreamClient>();
  #watcher: TreeWatcher | null = null;
  #linger: ReturnType<typeof setTimeout> | undefined;
  #closing: Promise<void> | null = null;
  /** Changes reported so far (for tests and the banner). */
  changes = 0;

  constructor(options: LiveHubOptions) {
    this.#o = options;
  }

  /** Streams connected now. */
  get clients(): number {
    return this.#clients.size;
  }

  /** The watcher's mode: `"watch"`, `"poll"`, or `"idle"` when stopped. */
  get mode(): "watch" | "poll" | "idle" {
    const m = this.#watcher?.mode;
    return m === "watch" || m === "poll" ? m : "idle";
  }

  /** Connects a stream; starts the watcher if it is not running. */
  add(client: StreamClient): void {
    clearTimeout(this.#linger);
    this.#linger = undefined;
    this.#clients.add(client);
    if (this.#watcher) return;
    const log = this.#o.log ?? ((line: string) => writeStderr(line + "\n"));
    this.#watcher = new TreeWatcher({
      root: this.#o.root,
      ignored: this.#o.ignored,
      pollInterval: this.#o.pollInterval,
      watchFs: this.#o.watchFs,
      onLog: log,
      onChange: (paths, incomplete) => this.broadcast(paths, incomplete),
    });
    this.#watcher.start();
  }

  /**
   * Disconnects a stream. The watcher stops when no stream is left: at
   * once when `now` (the server is closing), else after the linger time.
   */
  remove(client: StreamClient, now = false): Promise<void> {
    this.#clients.delete(client);
    if (this.#clients.size > 0) return Promise.resolve();
    clearTimeout(this.#linger);
    this.#linger = undefined;
    if (now) return this.stopWatching();
    this.#linger = setTimeout(() => {
      this.#linger = undefined;
      void this.stopWatching();
    }, this.#o.linger ?? 2000);
    Deno.unrefTimer(this.#linger as unknown as number);
    return Promise.resolve();
  }

  /**
   * Sends a `change` event listing `paths` to every stream; `reload` (the
   * list may be incomplete) makes pages reload whatever changed.
   */
  broadcast(paths: string[], reload = false): void {
    this.changes++;
    const chunk = encoder.encode(
      `event: change\ndata: ${JSON.stringify({ paths, reload })}\n\n`,
    );
    for (const client of this.#clients) client(chunk);
  }

  /** Stops the watcher (streams stay connected). */
  async stopWatching(): Promise<void> {
    clearTimeout(this.#linger);
    this.#linger = undefined;
    const w = this.#watcher;
    this.#watcher = null;
    await w?.close();
  }

  /** Stops the watcher and forgets every stream. */
  close(): Promise<void> {
    this.#clients.clear();
    return this.#closing ??= this.stopWatching();
  }
}

const hubs = new Map<string, LiveHub>();

/** The hub of `key` (folder and watch settings), made on first use. */
export function liveHub(key: string, options: LiveHubOptions): LiveHub {
  let hub = hubs.get(key);
  if (!hub) hubs.set(key, hub = new LiveHub(options));
  return hub;
}

/** Stops every hub's watcher (the CLI on exit, tests after a server). */
export async function closeLiveHubs(): Promise<void> {
  const all = [...hubs.values()];
  hubs.clear();
  await Promise.all(all.map((hub) => hub.close()));
}
