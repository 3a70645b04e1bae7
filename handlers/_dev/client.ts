// Copyright 2026 the httpserver authors. MIT license.
/**
 * The live-reload client: the script pages load from the reserved path.
 * It is written here as a function, type-checked with the rest of the code,
 * and sent as its source text.
 *
 * One event stream per browser, shared by its tabs: the tab holding a Web
 * Lock opens the `EventSource` and passes every message to the others over a
 * `BroadcastChannel` (over HTTP/1.1 each stream holds one of the six
 * connections a browser allows per host, so a stream per tab would stall
 * the seventh tab). When that tab closes, the lock passes on; a tab that
 * becomes visible takes the lock over, so a frozen background tab cannot
 * swallow events. Without Web Locks or `BroadcastChannel`, each tab opens
 * its own stream.
 *
 * Messages: `hello` carries the server's boot id, and a page served by
 * another boot (the server restarted) reloads once; `change` carries the
 * changed URL paths: stylesheets alone are swapped in place (a clone with a
 * cache-busting query, the old link removed once the new one loads), any
 * other change reloads the page, once no element has the attribute
 * `data-server-reload-hold` (the upload form holds it while it sends).
 * @module
 */
import { CLIENT_NAME, EVENTS_NAME, LIVE_SEGMENT } from "./inject.ts";

// The browser objects the client uses, declared for this module only.
interface Elem {
  readonly dataset: Record<string, string | undefined>;
  readonly href: string;
  readonly src?: string;
  after(node: Elem): void;
  remove(): void;
  cloneNode(): Elem;
  setAttribute(name: string, value: string): void;
  addEventListener(
    type: string,
    fn: () => void,
    options?: { once: boolean },
  ): void;
}
interface LockManager {
  request(
    name: string,
    options: { steal?: boolean; signal?: AbortSignal },
    fn: () => Promise<void>,
  ): Promise<void>;
}
interface Source {
  readyState: number;
  onopen: (() => void) | null;
  onerror: (() => void) | null;
  addEventListener(type: string, fn: (e: { data: string }) => void): void;
  close(): void;
}
interface Channel {
  onmessage: ((e: { data: Message }) => void) | null;
  postMessage(m: Message): void;
  close(): void;
}
type Message =
  | { type: "hello"; boot: string }
  | { type: "change"; paths: string[]; reload?: boolean };
interface ClientGlobals {
  document: {
    currentScript: Elem | null;
    visibilityState: string;
    querySelectorAll(selector: string): Iterable<Elem>;
    querySelector(selector: string): Elem | null;
    addEventListener(type: string, fn: () => void): void;
  };
  location: { reload(): void; href: string; origin: string };
  navigator: { locks?: LockManager };
  crossOriginIsolated?: boolean;
  EventSource: new (url: string) => Source;
  BroadcastChannel?: new (name: string) => Channel;
  AbortController: typeof AbortController;
  addEventListener(
    type: string,
    fn: (e: { persisted?: boolean }) => void,
  ): void;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  console: { info(...args: unknown[]): void };
}

function liveClient(g: ClientGlobals, names: [string, string]): void {
  const NAME = "httpserver-live-reload";
  const script = g.document.currentScript;
  const boot = script?.dataset.boot ?? "";
  // The stream is beside the script, and the folder's URL (`basePath`, the
  // secret prefix of a share) above it; changes name paths below it.
  const scriptUrl = new URL(script?.src || names[0], g.location.href);
  const eventsUrl = new URL(names[1], scriptUrl).href;
  const base = new URL("..", scriptUrl).pathname;
  const belowBase = (path: string): string =>
    path.startsWith(base) ? path.slice(base.length - 1) : path;
  let source: Source | null = null;
  let channel: Channel | null = null;
  let release: (() => void) | null = null;
  let queued: AbortController | null = null;
  let retry = 0;
  let said = false;
  let stopped = false;
  let reloading = false;
  let pending: string[] = [];
  let timer = 0;

  // A page that must not be left now (the upload form while it sends)
  // marks an element with the hold attribute: the reload waits for it.
  const held = (): boolean =>
    g.document.querySelector("[data-server-reload-hold]") !== null;
  const reload = (): void => {
    if (reloading) return;
    reloading = true;
    const go = (): void => {
      if (held()) g.setTimeout(go, 250);
      else g.location.reload();
    };
    go();
  };
  const swapStylesheets = (paths: string[]): boolean => {
    const links = [...g.document.querySelectorAll('link[rel~="stylesheet" i]')]
      .filter((l) =>
        new URL(l.href, g.location.href).origin === g.location.origin
      );
    const wanted = new Set(paths);
    let hits = links.filter((l) => {
      const path = belowBase(new URL(l.href, g.location.href).pathname);
      try {
        return wanted.has(decodeURIComponent(path));
      } catch {
        return wanted.has(path);
      }
    });
    // An @import-ed or unknown sheet: refresh every stylesheet.
    if (hits.length === 0) hits = links;
    if (hits.length === 0) return false;
    for (const link of hits) {
      const url = new URL(link.href, g.location.href);
      url.searchParams.set("_lr", String(Date.now()));
      const fresh = link.cloneNode();
      fresh.setAttribute("href", url.href);
      const done = (): void => link.remove();
      fresh.addEventListener("load", done, { once: true });
      fresh.addEventListener("error", done, { once: true });
      link.after(fresh);
    }
    return true;
  };
  const apply = (): void => {
    const paths = pending;
    pending = [];
    const css = paths.length > 0 && paths.every((p) => /\.css$/i.test(p));
    if (!(css && swapStylesheets(paths))) reload();
  };
  const handle = (m: Message): void => {
    if (m.type === "hello") {
      if (m.boot !== boot) reload();
    } else if (m.type === "change") {
      pending.push(...m.paths);
      if (m.reload) pending.push("/");
      g.clearTimeout(timer);
      timer = g.setTimeout(apply, 20);
    }
  };
  const dispatch = (m: Message): void => {
    channel?.postMessage(m);
    handle(m);
  };
  const open = (): void => {
    const s = source = new g.EventSource(eventsUrl);
    s.addEventListener("hello", (e) => {
      retry = 0;
      dispatch({ type: "hello", boot: JSON.parse(e.data).boot });
    });
    s.addEventListener("change", (e) => {
      const { paths, reload } = JSON.parse(e.data);
      dispatch({ type: "change", paths, reload });
    });
    s.onopen = () => {
      if (said) return;
      said = true;
      g.console.info(
        "[httpserver] live reload connected" +
          (g.crossOriginIsolated ? " (cross-origin isolated)" : ""),
      );
    };
    s.onerror = () => {
      // EventSource gives up on an HTTP error (the server came back without
      // live reload, or not yet): try again while the page is visible.
      if (s.readyState !== 2 || stopped || source !== s) return;
      source = null;
      retry = Math.min(retry + 1, 10);
      const again = (): void => {
        if (stopped || source) return;
        if (g.document.visibilityState === "visible") open();
        else g.setTimeout(again, 1000);
      };
      g.setTimeout(again, 500 * retry);
    };
  };
  const closeSource = (): void => {
    source?.close();
    source = null;
  };
  const locks = g.navigator.locks;
  const lead = (steal: boolean): void => {
    if (!locks || stopped) return;
    let signal: AbortSignal | undefined;
    if (!steal) {
      queued = new g.AbortController();
      signal = queued.signal;
    }
    locks.request(
      NAME,
      steal ? { steal } : { signal },
      () =>
        new Promise<void>((resolve) => {
          if (!steal) queued = null;
          release = resolve;
          open();
        }),
    ).catch(() => {
      // Stolen by a tab that became visible, or the queued request was
      // withdrawn: stop streaming, and queue again unless leaving.
      if (release === null) return;
      release = null;
      closeSource();
      lead(false);
    });
  };
  const start = (): void => {
    stopped = false;
    if (locks && g.BroadcastChannel) {
      channel = new g.BroadcastChannel(NAME);
      channel.onmessage = (e) => handle(e.data);
      if (!said) {
        g.console.info("[httpserver] live reload: one stream for all tabs");
      }
      lead(false);
    } else open();
  };
  const stop = (): void => {
    stopped = true;
    closeSource();
    queued?.abort();
    queued = null;
    const r = release;
    release = null;
    r?.();
    channel?.close();
    channel = null;
  };
  g.document.addEventListener("visibilitychange", () => {
    if (
      g.document.visibilityState !== "visible" || stopped || release || !locks
    ) return;
    queued?.abort();
    queued = null;
    lead(true);
  });
  // Leave the back/forward cache usable: no open stream while hidden away.
  g.addEventListener("pagehide", stop);
  g.addEventListener("pageshow", (e) => {
    if (e.persisted) start();
  });
  start();
}

/** The client script's source text. */
export const CLIENT_SOURCE: string =
  `"use strict";\n(${liveClient.toString()})(globalThis, ${
    JSON.stringify(["/" + LIVE_SEGMENT + CLIENT_NAME, EVENTS_NAME])
  });\n`;
