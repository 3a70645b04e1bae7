// Copyright 2026 the httpserver authors. MIT license.
/**
 * A minimal Chrome DevTools Protocol client for a Deno server started with
 * `--inspect=127.0.0.1:PORT`: the CPU profiler and the sampling heap
 * profiler, driven while a load runs.
 * @module
 */

/** A node of a V8 CPU profile. */
export interface CpuNode {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
    columnNumber: number;
  };
  hitCount?: number;
  children?: number[];
}

/** A V8 CPU profile (`Profiler.stop`). */
export interface CpuProfile {
  nodes: CpuNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A node of a sampling heap profile (`HeapProfiler.stopSampling`). */
export interface HeapNode {
  callFrame: CpuNode["callFrame"];
  selfSize: number;
  children: HeapNode[];
}

/** One inspector session over a WebSocket. */
export class Inspector {
  #ws: WebSocket;
  #next = 1;
  #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data));
      const p = msg.id === undefined ? undefined : this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      if (msg.error) p.reject(new Error(JSON.stringify(msg.error)));
      else p.resolve(msg.result);
    };
  }

  /** Connects to the first target of the inspector on `port` (within 10 s). */
  static async connect(port: number): Promise<Inspector> {
    const deadline = performance.now() + 10_000;
    let url = "";
    while (!url) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/json/list`);
        const list = await res.json() as { webSocketDebuggerUrl: string }[];
        url = list[0]?.webSocketDebuggerUrl ?? "";
      } catch (error) {
        if (performance.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`Cannot connect to ${url}`));
    });
    return new Inspector(ws);
  }

  /** Sends one command and waits for its result. */
  send<T = unknown>(method: string, params: object = {}): Promise<T> {
    const id = this.#next++;
    const p = new Promise<T>((resolve, reject) =>
      this.#pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
      })
    );
    this.#ws.send(JSON.stringify({ id, method, params }));
    return p;
  }

  /** Closes the session. */
  close(): void {
    this.#ws.close();
  }
}

const REPO = new URL("..", import.meta.url).pathname;

/** A call frame as `name file:line` (paths relative to the repository). */
export function frameName(frame: CpuNode["callFrame"]): string {
  const url = frame.url.startsWith("file://")
    ? frame.url.slice(7).replace(REPO, "")
    : frame.url;
  const name = frame.functionName || "(anonymous)";
  return url ? `${name} ${url}:${frame.lineNumber + 1}` : name;
}

/**
 * The bytes a sampling heap profile saw allocated, by site (`frameName`),
 * largest first, and their total.
 */
export function allocationSites(
  head: HeapNode,
): { total: number; sites: [string, number][] } {
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode) => {
    if (n.selfSize) {
      const k = frameName(n.callFrame);
      bySite.set(k, (bySite.get(k) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c);
  };
  walk(head);
  return { total, sites: [...bySite].sort((a, b) => b[1] - a[1]) };
}
