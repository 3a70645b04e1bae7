// Copyright 2026 the httpserver authors. MIT license.
/**
 * `shareDirectory()` over real sockets: archives read back by the system's
 * tools, the JSON and rich listings, the secret path, the automatic stops
 * (idle with a long download in flight, a timed stop's grace period and
 * 503s, `once` counting only complete downloads), and the default
 * listing left byte for byte as Python's.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { shareDirectory, type StopReason } from "../share.ts";
import { withTimeout } from "./_util.ts";
import {
  haveCommand,
  PYTHON,
  pythonList,
  run,
  settledOpenFiles,
  withTree,
} from "./_archive_util.ts";
import { readListing, renderListing } from "../handlers/_files/listing.ts";

const decoder = new TextDecoder();

/** Whether `p` settles within `ms`. */
async function settlesWithin(
  p: Promise<unknown>,
  ms: number,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([
    p.then(() => true, () => true),
    new Promise<boolean>((r) => timer = setTimeout(() => r(false), ms)),
  ]);
  clearTimeout(timer);
  return result;
}

const local = { hostname: "127.0.0.1", port: 0, quiet: true } as const;

Deno.test("shareDirectory serves ?zip, ?tar and ?tar=gz of a folder", async () => {
  await withTree(async (dir, base) => {
    await using share = await shareDirectory({
      ...local,
      directory: dir,
      archive: true,
      dotfiles: false,
    });
    for (
      const [query, type, ext] of [
        ["zip", "application/zip", "zip"],
        ["tar", "application/x-tar", "tar"],
        ["tar=gz", "application/gzip", "tar.gz"],
      ]
    ) {
      const res = await fetch(`${share.url}sub/?${query}`);
      strictEqual(res.status, 200);
      strictEqual(res.headers.get("content-type"), type);
      strictEqual(res.headers.get("cache-control"), "no-store");
      strictEqual(res.headers.get("transfer-encoding"), "chunked");
      strictEqual(
        res.headers.get("content-disposition"),
        `attachment; filename="sub.${ext}"; filename*=UTF-8''sub.${ext}`,
      );
      const path = `${base}/got.${ext}`;
      await Deno.writeFile(path, new Uint8Array(await res.arrayBuffer()));
      if (ext === "zip" && haveCommand("unzip")) {
        const r = await run("unzip", ["-t", path]);
        strictEqual(r.code, 0, r.stdout);
      } else if (haveCommand("tar")) {
        const r = await run("tar", ["-tf", path]);
        strictEqual(r.code, 0, r.stderr);
        ok(r.stdout.startsWith("sub/\n"));
      }
      if (PYTHON) {
        const listing = await pythonList(path, ext === "zip" ? "zip" : "tar");
        ok(listing.names.includes("sub/deeper/b.bin"));
        ok(listing.names.includes("sub/link-in.txt"));
        // sub/loop is the share's root, served: taken once, never again.
        ok(listing.names.includes("sub/loop/a.txt"));
        ok(!listing.names.some((n) => n.includes("loop/sub/loop/")));
      }
    }
    // The whole share, named after the folder, without dotfiles.
    const res = await fetch(`${share.url}?zip`);
    const path = `${base}/all.zip`;
    await Deno.writeFile(path, new Uint8Array(await res.arrayBuffer()));
    if (PYTHON) {
      const z = await pythonList(path, "zip");
      ok(z.names.includes("share/a.txt"));
      ok(z.names.includes("share/empty/"));
      ok(!z.names.some((n) => n.includes(".env") || n.includes(".git")));
      ok(!z.names.includes("share/link-out.txt"));
    }
  });
});

Deno.test("archive requests: HEAD, files, unknown formats, hidden folders", async () => {
  await withTree(async (dir) => {
    await using share = await shareDirectory({
      ...local,
      directory: dir,
      archive: true,
      dotfiles: false,
    });
    const head = await fetch(`${share.url}?zip`, { method: "HEAD" });
    strictEqual(head.status, 200);
    strictEqual(head.headers.get("content-type"), "application/zip");
    strictEqual(await head.text(), "");
    // A file with ?zip is the file.
    const file = await fetch(`${share.url}a.txt?zip`);
    strictEqual(await file.text(), "alpha\n");
    const bad = await fetch(`${share.url}?tar=xz`);
    strictEqual(bad.status, 400);
    await bad.body?.cancel();
    const hidden = await fetch(`${share.url}.git/?zip`);
    strictEqual(hidden.status, 404);
    await hidden.body?.cancel();
    // No trailing slash: the usual redirect, query kept.
    const redirect = await fetch(`${share.url}sub?zip`, { redirect: "manual" });
    strictEqual(redirect.status, 301);
    strictEqual(redirect.headers.get("location"), "/sub/?zip");
  });
});

Deno.test("archives are off unless asked for: ?zip gives the listing", async () => {
  await withTree(async (dir) => {
    await using share = await shareDirectory({ ...local, directory: dir });
    const res = await fetch(`${share.url}?zip`);
    strictEqual(res.headers.get("content-type"), "text/html; charset=utf-8");
    await res.body?.cancel();
  });
});

Deno.test("a client that leaves mid-archive leaves no file open", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(64 << 20));
    await using share = await shareDirectory({
      ...local,
      directory: dir,
      archive: true,
    });
    for (const query of ["zip", "tar", "tar=gz"]) {
      const conn = await Deno.connect({
        hostname: "127.0.0.1",
        port: share.port,
      });
      await conn.write(
        new TextEncoder().encode(`GET /?${query} HTTP/1.1\r\nHost: x\r\n\r\n`),
      );
      const buf = new Uint8Array(65536);
      await conn.read(buf);
      conn.close();
    }
    const open = await settledOpenFiles(await Deno.realPath(dir));
    strictEqual(open, 0, "a file of the folder was left open");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listing: JSON on ?json and Accept, with Vary: Accept", async () => {
  await withTree(async (dir) => {
    await using share = await shareDirectory({
      ...local,
      directory: dir,
      listing: "python",
      dotfiles: false,
    });
    const viaQuery = await fetch(`${share.url}sub/?json`);
    strictEqual(viaQuery.headers.get("content-type"), "application/json");
    strictEqual(viaQuery.headers.get("vary"), "Accept");
    const entries = await viaQuery.json();
    deepStrictEqual(entries[0], {
      name: "deeper",
      type: "directory",
      size: null,
      mtime: entries[0].mtime,
      url: "/sub/deeper/",
    });
    ok(entries.some((e: { name: string }) => e.name === "new\nline.txt"));
    const viaAccept = await fetch(`${share.url}`, {
      headers: { Accept: "application/json" },
    });
    const names = (await viaAccept.json()).map((e: { name: string }) => e.name);
    ok(!names.includes(".env"));
    ok(!names.includes("link-out.txt"));
    // HTML otherwise, Python's page, with Vary.
    const html = await fetch(share.url);
    strictEqual(html.headers.get("vary"), "Accept");
    ok((await html.text()).includes("<title>Directory listing for /</title>"));
  });
});

Deno.test("listing: the default page stays Python's, byte for byte", async () => {
  await withTree(async (dir) => {
    await using share = await shareDirectory({ ...local, directory: dir });
    const res = await fetch(`${share.url}sub/?json`, {
      headers: { Accept: "application/json" },
    });
    strictEqual(res.headers.get("vary"), null);
    const body = new Uint8Array(await res.arrayBuffer());
    const expected = renderListing(
      "/sub/",
      readListing(`${dir}/sub`, {
        directory: dir,
        root: await Deno.realPath(dir),
        followSymlinks: false,
        serveDotfiles: true,
      }),
    );
    deepStrictEqual(body, expected);
  });
});

Deno.test("listing: the rich page sorts, filters and offers archives", async () => {
  await withTree(async (dir) => {
    await using share = await shareDirectory({
      ...local,
      directory: dir,
      listing: "rich",
      archive: true,
    });
    const res = await fetch(`${share.url}sub/?sort=size&order=desc&q=txt`);
    strictEqual(res.status, 200);
    const html = await res.text();
    ok(html.includes('<a href="?zip" download>zip</a>'));
    ok(html.includes('aria-sort="descending"'));
    const rows = [...html.matchAll(/<td class="name"><a href="([^"]+)"/g)].map(
      (m) => m[1],
    );
    strictEqual(rows[0], "../");
    ok(rows.every((r) => r === "../" || r!.toLowerCase().includes("txt")));
    ok(!html.includes("b.bin"));
  });
});

Deno.test("randomPath serves only under the secret and never logs it whole", async () => {
  await withTree(async (dir) => {
    await using share = await shareDirectory({
      ...local,
      directory: dir,
      randomPath: true,
    });
    const logged: string[] = [];
    share.addEventListener(
      "request",
      (e) => logged.push((e as CustomEvent).detail.path),
    );
    const secret = share.secret!;
    ok(/^[A-Za-z0-9_-]{22}$/.test(secret));
    strictEqual(share.url, `http://127.0.0.1:${share.port}/${secret}/`);
    const ok1 = await fetch(`${share.url}a.txt`);
    strictEqual(await ok1.text(), "alpha\n");
    for (
      const path of [
        "/a.txt",
        "/",
        `/${secret.slice(0, -1)}/a.txt`,
        "/x/../a.txt",
      ]
    ) {
      const res = await fetch(`http://127.0.0.1:${share.port}${path}`);
      strictEqual(res.status, 404, path);
      ok(!(await res.text()).includes(secret));
    }
    const bare = await fetch(`http://127.0.0.1:${share.port}/${secret}`, {
      redirect: "manual",
    });
    strictEqual(bare.status, 301);
    strictEqual(bare.headers.get("location"), `/${secret}/`);
    // Folder redirects keep the prefix.
    const sub = await fetch(`${share.url}sub`, { redirect: "manual" });
    strictEqual(sub.headers.get("location"), `/${secret}/sub/`);
    ok(logged.includes(`/${secret.slice(0, 4)}…/a.txt`), logged.join());
    ok(!logged.some((p) => p.includes(secret)));
  });
});

Deno.test("idleTimeout: a long download in flight does not stop the share", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(48 << 20));
    const share = await shareDirectory({
      ...local,
      directory: dir,
      idleTimeout: 300,
    });
    const events: string[] = [];
    share.addEventListener("idle", () => events.push("idle"));
    share.addEventListener(
      "stop",
      (e) => events.push(`stop:${(e as CustomEvent).detail.kind}`),
    );
    const res = await fetch(`${share.url}big.bin`);
    const reader = res.body!.getReader();
    let got = 0;
    const started = performance.now();
    // Read slowly for well over the idle time.
    while (performance.now() - started < 1200) {
      const { value, done } = await reader.read();
      if (done) break;
      got += value.length;
      await new Promise((r) => setTimeout(r, 50));
    }
    ok(!await settlesWithin(share.finished, 0), "stopped during a download");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      got += value.length;
    }
    strictEqual(got, 48 << 20);
    const reason = await withTimeout(share.finished, "idle stop");
    strictEqual(reason.kind, "idle");
    deepStrictEqual(events, ["idle", "stop:idle"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stopAfter: new requests get 503 while a transfer finishes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(48 << 20));
    await Deno.writeTextFile(`${dir}/small.txt`, "small");
    const share = await shareDirectory({
      ...local,
      directory: dir,
      stopAfter: 200,
    });
    const stops: StopReason[] = [];
    share.addEventListener(
      "stop",
      (e) => stops.push((e as CustomEvent).detail),
    );
    const res = await fetch(`${share.url}big.bin`);
    const reader = res.body!.getReader();
    let got = 0;
    const { value } = await reader.read();
    got += value!.length;
    await new Promise((r) => setTimeout(r, 400));
    const late = await fetch(`${share.url}small.txt`);
    strictEqual(late.status, 503);
    strictEqual(late.headers.get("connection"), "close");
    await late.body?.cancel();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      got += value.length;
    }
    strictEqual(got, 48 << 20);
    const reason = await withTimeout(share.finished, "timed stop");
    strictEqual(reason.kind, "time");
    deepStrictEqual(stops, [reason]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("once: HEAD, 304, ranges and listings do not count; a full GET does", async () => {
  await withTree(async (dir) => {
    const share = await shareDirectory({
      ...local,
      directory: dir,
      once: true,
    });
    const file = `${share.url}sub/deeper/b.bin`;
    const head = await fetch(file, { method: "HEAD" });
    await head.body?.cancel();
    const modified = head.headers.get("last-modified")!;
    const cached = await fetch(file, {
      headers: { "If-Modified-Since": modified },
    });
    strictEqual(cached.status, 304);
    await cached.body?.cancel();
    const range = await fetch(file, { headers: { Range: "bytes=0-99" } });
    strictEqual(range.status, 206);
    await range.body?.cancel();
    const listing = await fetch(share.url);
    await listing.body?.cancel();
    ok(!await settlesWithin(share.finished, 200), "stopped too early");
    const full = await fetch(file);
    strictEqual((await full.arrayBuffer()).byteLength, 70_000);
    const reason = await withTimeout(share.finished, "once stop");
    strictEqual(reason.kind, "once");
    strictEqual(
      reason.message,
      "Stopping: /sub/deeper/b.bin was downloaded completely (--once).",
    );
  });
});

Deno.test("shareDirectory says which permission is missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/narrow.ts`;
    await Deno.writeTextFile(
      script,
      `import { shareDirectory } from "${new URL(
        "../share.ts",
        import.meta.url,
      )}";
      try {
        await shareDirectory({ directory: ".", hostname: "127.0.0.1", port: 0 });
      } catch (e) { console.log(e.name + ": " + e.message); }`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-read",
        "--config",
        new URL("../deno.json", import.meta.url).pathname,
        script,
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    strictEqual(
      decoder.decode(out.stdout).trim(),
      "NotCapable: missing permission: run again with " +
        "--allow-net=127.0.0.1:0 (to listen on 127.0.0.1 port 0)",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("examples/share_once.ts shares until the first download, then returns", async () => {
  const { shareOnce } = await import("../examples/share_once.ts");
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/photo.jpg`, "jpeg bytes");
    const printed: string[] = [];
    let announced!: () => void;
    const ready = new Promise<void>((r) => announced = r);
    const done = shareOnce(dir, 0, (line) => {
      printed.push(line);
      announced();
    });
    await withTimeout(ready, "the share's first line");
    const port = printed[0]!.match(/:(\d+)\//)![1];
    const res = await fetch(`http://127.0.0.1:${port}/photo.jpg`);
    strictEqual(await res.text(), "jpeg bytes");
    const reason = await withTimeout(done, "the share to stop");
    strictEqual(reason.kind, "once");
    ok(printed.includes("Downloaded /photo.jpg (file)"), printed.join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the CLI's handler is the plain one unless a sharing flag needs more", async () => {
  const { startShare } = await import("../_share/run.ts");
  const { parseCommandLine } = await import("../_cli/args.ts");
  const dir = await Deno.makeTempDir();
  try {
    for (
      const [flags, name] of [
        [[], "CLIRequestHandler"],
        [["--cors"], "CORSRequestHandler"],
        [["--archive"], "ShareRequestHandler"],
        [["--once"], "ShareRequestHandler"],
        [["--listing", "python"], "ShareRequestHandler"],
      ] as const
    ) {
      const parsed = parseCommandLine([
        "0",
        "-b",
        "127.0.0.1",
        "-d",
        dir,
        ...flags,
      ]);
      if (parsed.kind !== "ok") throw new Error(parsed.stderr);
      await using share = startShare(parsed.config, {
        secret: null,
        tlsPassword: null,
        events: false,
      });
      strictEqual(share.server.RequestHandlerClass.name, name, flags.join(" "));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("archives over HTTP/1.0 end with the connection, and are whole", async () => {
  await withTree(async (dir, base) => {
    await using share = await shareDirectory({
      ...local,
      directory: dir,
      archive: true,
    });
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: share.port,
    });
    await conn.write(
      new TextEncoder().encode("GET /sub/?zip HTTP/1.0\r\n\r\n"),
    );
    const parts: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    for (
      let n;
      (n = await withTimeout(conn.read(buf), "the archive")) !== null;
    ) {
      parts.push(buf.slice(0, n));
    }
    conn.close();
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    const text = new TextDecoder("latin1").decode(all.subarray(0, 400));
    const headEnd = text.indexOf("\r\n\r\n");
    const head = text.slice(0, headEnd);
    ok(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
    ok(!/transfer-encoding/i.test(head), head);
    ok(/\r\nConnection: close/i.test(head), head);
    await Deno.writeFile(`${base}/h10.zip`, all.subarray(headEnd + 4));
    if (PYTHON) {
      const z = await pythonList(`${base}/h10.zip`, "zip");
      strictEqual(z.bad, null);
      ok(z.names.includes("sub/deeper/b.bin"));
    }
  });
});
