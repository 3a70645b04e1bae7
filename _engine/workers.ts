// Copyright 2026 the httpserver authors. MIT license.
/**
 * Many cores: a pool of Web Workers, each running its own server on the same
 * port (`reusePort`: the kernel spreads new connections, on Linux), started,
 * watched and stopped from the main thread. Only plain data crosses to a
 * worker; each one rebuilds its handler class from it. The workers' log
 * lines come back to the main thread, which writes each message whole, so
 * lines never interleave. A worker that dies is logged and started again.
 * @module
 */
import { writeStderr } from "../_log.ts";
import { settle } from "../_settle.ts";

/** A server a worker runs: where it listens, and how to stop it. */
export interface WorkerServer {
  /** The address it listens on. */
  addr: Deno.NetAddr;
  /** Stops it: in-flight requests may finish first when `graceful`. */
  stop(graceful: boolean): Promise<void>;
}

/** Starts a worker's server from the pool's data, on `port` (0: any). */
export type StartWorkerServer = (
  data: unknown,
  port: number,
) => Promise<WorkerServer>;

/** Messages from the main thread to a worker. */
export type ToWorker =
  | { type: "start"; data: unknown; port: number }
  | { type: "stop"; graceful: boolean };

/** Messages from a worker to the main thread. */
export type FromWorker =
  | { type: "listening"; hostname: string; port: number }
  | { type: "failed"; message: string }
  | { type: "log"; text: string }
  | { type: "stopped" }
  | { type: "exit" };

/** The pool could not start (a worker failed before listening). */
export class WorkerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerStartError";
  }
}

/** Options for {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /** How many workers. */
  count: number;
  /** The worker module: it calls `serveInWorker()` (see `worker_side.ts`). */
  workerUrl: URL;
  /** Plain (structured-cloneable) data each worker builds its server from. */
  data: unknown;
  /** The port to listen on (0: the first worker picks one for all). */
  port: number;
  /** Where log text goes (default: stderr). */
  log?: (text: string) => void;
  /** Longest wait for the workers to stop, in ms. */
  stopTimeout?: number;
}

interface Slot {
  id: number;
  worker: Worker | null;
  /** Settles when the worker listens, or fails to. */
  listening: PromiseWithResolvers<Deno.NetAddr>;
  stopped: PromiseWithResolvers<void>;
  /** Recent deaths, for the restart back-off. */
  deaths: number[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Back-off after a worker died `n` times within a minute (ms). */
function backoff(n: number): number {
  return n <= 1 ? 0 : Math.min(100 * 2 ** (n - 2), 10_000);
}

/** N workers serving one port. */
export class WorkerPool {
  #options: WorkerPoolOptions;
  #slots: Slot[] = [];
  #port: number;
  #started = false;
  #stopping = false;
  #log: (text: string) => void;
  /** How many times a worker was started again after it died. */
  restarts = 0;

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
    this.#port = options.port;
    this.#log = options.log ?? writeStderr;
  }

  /**
   * Starts every worker (the first one alone when the port is 0, to learn
   * it) and resolves to the address they listen on. If one fails, all are
   * stopped and the promise rejects with a {@linkcode WorkerStartError}.
   */
  async start(): Promise<Deno.NetAddr> {
    const count = Math.max(1, this.#options.count);
    for (let id = 1; id <= count; id++) {
      this.#slots.push({
        id,
        worker: null,
        listening: Promise.withResolvers(),
        stopped: Promise.withResolvers(),
        deaths: [],
        timer: undefined,
      });
    }
    try {
      const first = await this.#spawn(this.#slots[0]!);
      this.#port = first.port;
      await Promise.all(this.#slots.slice(1).map((s) => this.#spawn(s)));
      this.#started = true;
      return first;
    } catch (error) {
      await this.stop(false);
      throw error;
    }
  }

  #spawn(slot: Slot): Promise<Deno.NetAddr> {
    const worker = new Worker(this.#options.workerUrl, {
      type: "module",
      name: `httpserver worker ${slot.id}`,
    });
    slot.worker = worker;
    slot.listening = Promise.withResolvers();
    slot.listening.promise.catch(() => {});
    slot.stopped = Promise.withResolvers();
    worker.onmessage = (event: MessageEvent<FromWorker>) =>
      this.#onMessage(slot, worker, event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#died(slot, worker, `crashed (${event.message})`);
    };
    worker.onmessageerror = () => {
      this.#died(slot, worker, "sent a message that could not be read");
    };
    const start: ToWorker = {
      type: "start",
      data: this.#options.data,
      port: this.#port,
    };
    worker.postMessage(start);
    return slot.listening.promise;
  }

  #onMessage(slot: Slot, worker: Worker, message: FromWorker): void {
    if (slot.worker !== worker) return; // A worker already replaced.
    switch (message.type) {
      case "log":
        this.#log(message.text);
        break;
      case "listening":
        slot.listening.resolve({
          transport: "tcp",
          hostname: message.hostname,
          port: message.port,
        });
        break;
      case "failed":
        if (!this.#started) {
          slot.listening.reject(new WorkerStartError(message.message));
          this.#retire(slot);
        } else this.#died(slot, worker, `could not start (${message.message})`);
        break;
      case "stopped":
        this.#retire(slot);
        break;
      case "exit":
        this.#died(slot, worker, "exited");
        break;
    }
  }

  /** Terminates a slot's worker and marks it stopped. */
  #retire(slot: Slot): void {
    slot.worker?.terminate();
    slot.worker = null;
    clearTimeout(slot.timer);
    slot.stopped.resolve();
  }

  #died(slot: Slot, worker: Worker, how: string): void {
    if (slot.worker !== worker) return;
    this.#retire(slot);
    if (this.#stopping) return;
    if (!this.#started) {
      slot.listening.reject(
        new WorkerStartError(`a worker ${how} before it listened`),
      );
      return;
    }
    const now = performance.now();
    slot.deaths = slot.deaths.filter((t) => now - t < 60_000);
    slot.deaths.push(now);
    const delay = backoff(slot.deaths.length);
    this.#log(
      `Worker ${slot.id} ${how}; starting it again${
        delay ? ` in ${delay} ms` : ""
      }\n`,
    );
    slot.timer = setTimeout(() => {
      if (this.#stopping) return;
      this.restarts++;
      this.#spawn(slot).then(
        () => this.#log(`Worker ${slot.id} is serving again\n`),
        () => {/* logged by the next death */},
      );
    }, delay);
  }

  /** Stops every worker: in-flight requests may finish first when `graceful`. */
  async stop(graceful = true): Promise<void> {
    this.#stopping = true;
    const stop: ToWorker = { type: "stop", graceful };
    for (const slot of this.#slots) {
      clearTimeout(slot.timer);
      if (slot.worker) slot.worker.postMessage(stop);
      else slot.stopped.resolve();
    }
    await settle(
      Promise.all(this.#slots.map((s) => s.stopped.promise)),
      this.#options.stopTimeout ?? 7000,
    );
    for (const slot of this.#slots) this.#retire(slot);
  }
}
