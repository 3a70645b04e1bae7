// Copyright 2026 the httpserver authors. MIT license.
/** The connection state machine and the sweeper that reads it. */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { ConnState } from "../_conn_state.ts";
import { TimeoutSweeper } from "../_sweeper.ts";
import { MemoryConnection } from "../testing.ts";

function snapshot(s: ConnState) {
  return {
    idle: s.idle,
    readingHead: s.readingHead,
    requests: s.requests,
    closing: s.closing,
    timedOut: s.timedOut,
    stalled: s.stalled,
  };
}

Deno.test("ConnState moves a connection through head, body and end of request", () => {
  const conn = new MemoryConnection();
  strictEqual(ConnState.of(conn), undefined);
  const state = ConnState.open(conn, false);
  strictEqual(ConnState.of(conn), state);
  const fresh = {
    idle: true,
    readingHead: true,
    requests: 0,
    closing: false,
    timedOut: false,
    stalled: false,
  };
  deepStrictEqual(snapshot(state), fresh);
  state.beginHead(false);
  deepStrictEqual(snapshot(state), fresh);
  state.headArrived();
  deepStrictEqual(snapshot(state), { ...fresh, idle: false });
  state.beginBody();
  deepStrictEqual(snapshot(state), {
    ...fresh,
    idle: false,
    readingHead: false,
  });
  state.endRequest();
  deepStrictEqual(snapshot(state), {
    ...fresh,
    idle: false,
    readingHead: false,
    requests: 1,
  });
  // A pipelined request already in the buffer: not idle while it is read.
  const before = state.since;
  state.beginHead(true);
  deepStrictEqual(snapshot(state), { ...fresh, idle: false, requests: 1 });
  strictEqual(state.since >= before, true);
});

Deno.test("ConnState counts a long-lived stream as no request in flight", () => {
  const state = ConnState.open(new MemoryConnection(), false);
  const flight = () => [state.inFlight, state.streaming, state.idle];
  deepStrictEqual(flight(), [false, false, true]);
  state.beginHead(false);
  deepStrictEqual(flight(), [false, false, true]);
  state.headArrived();
  deepStrictEqual(flight(), [true, false, false]);
  state.beginBody();
  deepStrictEqual(flight(), [true, false, false]);
  state.beginStream();
  deepStrictEqual(flight(), [false, true, false]);
  state.endRequest();
  deepStrictEqual(flight(), [false, true, false]);
  // The next request head ends the stream's mark.
  state.beginHead(true);
  deepStrictEqual(flight(), [true, false, false]);
  state.beginHead(false);
  deepStrictEqual(flight(), [false, false, true]);
});

Deno.test("ConnState records why a connection closes", () => {
  const table: [ConnState, (s: ConnState) => void, boolean, boolean][] = [
    [new ConnState(), (s) => s.close("shutdown"), false, false],
    [new ConnState(), (s) => s.close("head-timeout"), true, false],
    [new ConnState(), (s) => s.close("io-stalled"), true, true],
    // A shutdown after a timeout does not hide the timeout.
    [
      new ConnState(),
      (s) => {
        s.close("io-stalled");
        s.close("shutdown");
      },
      true,
      true,
    ],
  ];
  for (const [state, act, timedOut, stalled] of table) {
    act(state);
    deepStrictEqual(
      [state.closing, state.timedOut, state.stalled],
      [true, timedOut, stalled],
    );
  }
  const late = ConnState.open(new MemoryConnection(), true);
  deepStrictEqual([late.closing, late.timedOut], [true, false]);
});

Deno.test("TimeoutSweeper closes an overdue head and a stalled write, each with its reason", () => {
  const limits = { headersTimeout: 100, keepAliveTimeout: 50, ioTimeout: 30 };
  const conns = [0, 1, 2, 3].map(() => new MemoryConnection());
  const [head, keepAlive, stalled, busy] = conns.map((c) =>
    ConnState.open(c, false)
  ) as [ConnState, ConnState, ConnState, ConnState];
  const t0 = head.since;
  keepAlive.endRequest();
  keepAlive.beginHead(false);
  stalled.beginBody();
  stalled.writeSince = t0;
  busy.beginBody();
  busy.readSince = t0 + 1000;
  const closed: MemoryConnection[] = [];
  const sweeper = new TimeoutSweeper(limits, () => conns, (c) => {
    closed.push(c as MemoryConnection);
  });
  sweeper.sweep(t0 + 40);
  deepStrictEqual(closed, [conns[2]]);
  deepStrictEqual([stalled.closing, stalled.timedOut, stalled.stalled], [
    true,
    true,
    true,
  ]);
  // The keep-alive head gets keepAliveTimeout, the first head headersTimeout.
  sweeper.sweep(keepAlive.since + 60);
  deepStrictEqual(closed.slice(1, 2), [conns[1]]);
  deepStrictEqual([keepAlive.timedOut, keepAlive.stalled], [true, false]);
  sweeper.sweep(t0 + 1000);
  deepStrictEqual(closed.includes(conns[0]!), true);
  strictEqual(closed.includes(conns[3]!), false);
});
