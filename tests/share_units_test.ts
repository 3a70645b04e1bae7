// Copyright 2026 the httpserver authors. MIT license.
/**
 * The share's building blocks: durations, the secret prefix, URL choice,
 * QR codes (decoded with zbarimg when installed) and the auto-stop rules.
 */
import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { formatDuration, parseDuration } from "../_share/duration.ts";
import { randomSecret, stripSecret } from "../_share/secret.ts";
import {
  defaultRouteInterfaces,
  rankAddresses,
  shareUrls,
} from "../_share/urls.ts";
import { makeQr } from "../_share/qr.ts";
import { qrLines } from "../_cli/banner.ts";
import { AutoStop, type StopReason } from "../_share/autostop.ts";
import { withTimeout } from "./_util.ts";
import { haveCommand, run } from "./_archive_util.ts";

Deno.test("parseDuration reads units and bare seconds", () => {
  strictEqual(parseDuration("90s"), 90_000);
  strictEqual(parseDuration("10m"), 600_000);
  strictEqual(parseDuration("2h"), 7_200_000);
  strictEqual(parseDuration("1h30m"), 5_400_000);
  strictEqual(parseDuration("250ms"), 250);
  strictEqual(parseDuration("1.5s"), 1500);
  strictEqual(parseDuration("45"), 45_000);
  strictEqual(parseDuration(" 2H "), 7_200_000);
  for (
    const bad of ["", "s", "10x", "-5s", "0", "0s", "1h 30m", "1e3s", "30d"]
  ) {
    throws(() => parseDuration(bad), RangeError, bad);
  }
});

Deno.test("formatDuration writes the short form", () => {
  strictEqual(formatDuration(250), "250ms");
  strictEqual(formatDuration(90_000), "1m30s");
  strictEqual(formatDuration(7_200_000), "2h");
  strictEqual(formatDuration(5_400_000), "1h30m");
});

Deno.test("randomSecret has 128 random bits in base64url", () => {
  const a = randomSecret();
  const b = randomSecret();
  ok(/^[A-Za-z0-9_-]{22}$/.test(a), a);
  ok(a !== b);
});

Deno.test("stripSecret accepts only the secret prefix", () => {
  const s = "k3JfQ9xYz0aB1cD2eF3gH4";
  strictEqual(stripSecret(`/${s}/`, s), "/");
  strictEqual(stripSecret(`/${s}/a/b.txt?zip`, s), "/a/b.txt?zip");
  strictEqual(stripSecret(`/${s}`, s), "");
  strictEqual(stripSecret(`/${s}?json`, s), "?json");
  strictEqual(stripSecret(`/${s}x/`, s), null);
  strictEqual(stripSecret(`/${s.slice(0, -1)}/`, s), null);
  strictEqual(stripSecret("/", s), null);
  strictEqual(stripSecret(`//${s}/`, s), null);
  strictEqual(stripSecret(`http://h/${s}/`, s), null);
});

const IFACES: Deno.NetworkInterfaceInfo[] = [
  ["lo", "IPv4", "127.0.0.1"],
  ["docker0", "IPv4", "172.17.0.1"],
  ["wlan0", "IPv6", "fe80::1"],
  ["wlan0", "IPv6", "2001:db8::5"],
  ["tun0", "IPv4", "100.64.0.7"],
  ["wlan0", "IPv4", "192.168.1.20"],
  ["veth12", "IPv4", "10.1.0.1"],
].map(([name, family, address]) => ({
  name: name!,
  family: family as "IPv4" | "IPv6",
  address: address!,
  netmask: "",
  scopeid: null,
  cidr: "",
  mac: "",
}));

const ROUTES = `Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask
tun0\t0000400A\t00000000\t0001\t0\t0\t0\t00FFFFFF
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000
`;

Deno.test("the best URL is the default-route interface's, never a bridge", () => {
  deepStrictEqual(defaultRouteInterfaces(ROUTES), ["wlan0"]);
  deepStrictEqual(rankAddresses(IFACES, ["wlan0"], true), [
    "192.168.1.20",
    "2001:db8::5",
    "100.64.0.7",
  ]);
  // Without the route table: private IPv4 first.
  deepStrictEqual(rankAddresses(IFACES, [], false), [
    "192.168.1.20",
    "100.64.0.7",
  ]);
  const source = { interfaces: () => IFACES, routeTable: () => ROUTES };
  const urls = shareUrls({
    scheme: "http",
    host: "::",
    port: 8000,
    path: "/s3cret/",
    source,
  });
  strictEqual(urls.best, "http://192.168.1.20:8000/s3cret/");
  deepStrictEqual(urls.all, [
    "http://192.168.1.20:8000/s3cret/",
    "http://[2001:db8::5]:8000/s3cret/",
    "http://100.64.0.7:8000/s3cret/",
    "http://localhost:8000/s3cret/",
  ]);
  const chosen = shareUrls({
    scheme: "https",
    host: "0.0.0.0",
    port: 443,
    path: "/",
    qrHost: "100.64.0.7",
    source,
  });
  strictEqual(chosen.best, "https://100.64.0.7:443/");
  const bound = shareUrls({
    scheme: "http",
    host: "127.0.0.1",
    port: 9,
    path: "/",
  });
  // Loopback: no URL for other devices (no QR code of 127.0.0.1).
  deepStrictEqual(bound, { all: ["http://127.0.0.1:9/"], best: null });
  deepStrictEqual(qrLines(bound.best, false, "127.0.0.1"), [
    "  QR code: none, other devices cannot reach 127.0.0.1; listen on all " +
    "interfaces (no -b) or a network address, or give --qr-host ADDR",
  ]);
  deepStrictEqual(
    shareUrls({ scheme: "http", host: "192.168.1.20", port: 9, path: "/" }),
    { all: ["http://192.168.1.20:9/"], best: "http://192.168.1.20:9/" },
  );
  deepStrictEqual(
    shareUrls({
      scheme: "http",
      host: "127.0.0.1",
      port: 9,
      path: "/",
      qrHost: "10.0.0.5",
    }),
    {
      all: ["http://10.0.0.5:9/", "http://127.0.0.1:9/"],
      best: "http://10.0.0.5:9/",
    },
  );
  const blind = shareUrls({
    scheme: "http",
    host: "::",
    port: 1,
    path: "/",
    source: { interfaces: () => null, routeTable: () => null },
  });
  deepStrictEqual(blind, { all: ["http://localhost:1/"], best: null });
});

Deno.test("makeQr draws black on white with a quiet zone", () => {
  const qr = makeQr("http://192.168.1.20:8000/");
  const lines = qr.ansi.split("\n");
  // Every module is set explicitly: no character without a colour.
  for (const line of lines) {
    ok(line.startsWith("\x1b["), "a line starts with a colour");
    ok(line.endsWith("\x1b[0m"), "a line resets its colours");
  }
  // The quiet zone: the first two lines are white on white.
  strictEqual(
    lines[0],
    "\x1b[97;107m" + "\u2580".repeat(lines[0]!.length - 13) + "\x1b[0m",
  );
  ok(qr.svg.startsWith("<svg"));
  ok(qr.svg.includes('fill="white"'));
  strictEqual(qr.text.split("\n").length, lines.length);
});

Deno.test({
  name: "makeQr's SVG decodes to the URL",
  ignore: !haveCommand("zbarimg") || !haveCommand("rsvg-convert"),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const url = "http://192.168.1.20:8000/k3JfQ9xYz0aB1cD2eF3gH4/";
      await Deno.writeTextFile(`${dir}/qr.svg`, makeQr(url).svg);
      const conv = await run("rsvg-convert", [
        "-o",
        `${dir}/qr.png`,
        `${dir}/qr.svg`,
      ]);
      strictEqual(conv.code, 0, conv.stderr);
      const r = await run("zbarimg", ["--raw", "-q", `${dir}/qr.png`]);
      strictEqual(r.stdout.trim(), url);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function autoStop(
  options: Partial<ConstructorParameters<typeof AutoStop>[0]>,
  busy: () => boolean = () => false,
): { stop: AutoStop; reason: Promise<StopReason> } {
  let stop!: AutoStop;
  const reason = new Promise<StopReason>((resolve) => {
    stop = new AutoStop(
      { idleTimeout: null, stopAfter: null, once: false, ...options },
      resolve,
      busy,
    );
  });
  return { stop, reason };
}

Deno.test("AutoStop stops after the idle time, not while a request runs", async () => {
  let busy = false;
  const { stop, reason } = autoStop({ idleTimeout: 80 }, () => busy);
  busy = true;
  stop.requestStarted();
  await new Promise((r) => setTimeout(r, 250));
  ok(!stop.stopped, "a request in flight keeps it running");
  busy = false;
  const finished = performance.now();
  stop.requestFinished();
  const why = await withTimeout(reason, "idle stop");
  ok(performance.now() - finished >= 75, "the idle time counts from the end");
  strictEqual(why.kind, "idle");
  strictEqual(why.message, "Stopping: no request for 80ms (--idle-timeout).");
});

Deno.test("AutoStop counts a started request that is no longer in flight (a stream) as idle", async () => {
  const { stop, reason } = autoStop({ idleTimeout: 80 }, () => false);
  const started = performance.now();
  stop.requestStarted(); // and never finishes, as an open page's stream
  const why = await withTimeout(reason, "idle stop");
  strictEqual(why.kind, "idle");
  ok(performance.now() - started >= 75, "not before the idle time");
});

Deno.test("AutoStop stops at the time given", async () => {
  const { stop, reason } = autoStop({ stopAfter: 50 }, () => true);
  stop.requestStarted();
  const why = await withTimeout(reason, "timed stop");
  strictEqual(why.kind, "time");
});

Deno.test("AutoStop with once stops at the first complete transfer only", async () => {
  const idle = autoStop({});
  idle.stop.downloadComplete("/a.txt");
  ok(!idle.stop.stopped, "without once a download changes nothing");
  idle.stop.dispose();
  const { stop, reason } = autoStop({ once: true });
  stop.uploadComplete("/up/b.txt");
  const why = await withTimeout(reason, "once stop");
  strictEqual(why.kind, "once");
  strictEqual(
    why.message,
    "Stopping: /up/b.txt was uploaded completely (--once).",
  );
});

Deno.test("openerCommand names each system's opener", async () => {
  const { openerCommand } = await import("../_share/open.ts");
  deepStrictEqual(openerCommand("linux"), ["xdg-open", []]);
  deepStrictEqual(openerCommand("darwin"), ["open", []]);
  deepStrictEqual(openerCommand("windows"), ["cmd", ["/c", "start", '""']]);
});
