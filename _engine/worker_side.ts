// Copyright 2026 the httpserver authors. MIT license.
/**
 * The worker's half of the `WorkerPool` protocol: start the server
 * from the pool's data, send log lines and "listening" to the main thread,
 * stop when told, and say so when the worker exits.
 * @module
 */
import { setStderrSink } from "../_log.ts";
import type {
  FromWorker,
  StartWorkerServer,
  ToWorker,
  WorkerServer,
} from "./workers.ts";

/** The parts of a worker's global scope used here. */
interface WorkerScope {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  addEventListener(type: "unload", listener: () => void): void;
}

/**
 * Runs this worker for a `WorkerPool`: `start` builds and starts
 * the server from the data the pool sends.
 */
export function serveInWorker(start: StartWorkerServer): void {
  const scope = globalThis as unknown as WorkerScope;
  const post = (message: FromWorker) => scope.postMessage(message);
  let server: WorkerServer | null = null;
  let stopping = false;
  // Deno.exit() in a worker ends only the worker, quietly: tell the pool.
  scope.addEventListener("unload", () => {
    if (!stopping) post({ type: "exit" });
  });
  scope.onmessage = async ({ data: message }) => {
    if (message.type === "start") {
      setStderrSink((text) => post({ type: "log", text }));
      try {
        server = await start(message.data, message.port);
        const { hostname, port } = server.addr;
        post({ type: "listening", hostname, port });
      } catch (error) {
        post({
          type: "failed",
          message: error instanceof Error ? error.message : String(error),
        });
      }
    } else if (message.type === "stop") {
      stopping = true;
      try {
        await server?.stop(message.graceful);
      } finally {
        post({ type: "stopped" });
      }
    }
  };
}
