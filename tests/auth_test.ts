// Copyright 2026 the httpserver authors. MIT license.
/** HTTP Basic authentication and the cross-origin write check. */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
  throws,
} from "node:assert/strict";
import { argon2id } from "hash-wasm";
import { call, rawRequest, shareFolder, tree } from "./_share_fixture.ts";
import { CGIHTTPRequestHandler } from "../handlers/cgi.ts";
import {
  AuthGuard,
  FailureThrottle,
  parseBasic,
} from "../handlers/_auth/guard.ts";
import { parseHtpasswd, splitAccount } from "../handlers/_auth/accounts.ts";
import { secretKind } from "../handlers/_auth/passwords.ts";
import { crossOriginReason } from "../handlers/_auth/origin.ts";
import { challenge } from "../handlers/_auth/gate.ts";

/** Written by Apache's `htpasswd -nbB ann 's3cret pw'` (bcrypt, cost 5). */
const HTPASSWD_B =
  "ann:$2y$05$wtyzX275DkLuRAyGWkoOb.O6uPMAvQIoKe3Zy6MLelk0x8/xAh6eK";
const basic = (user: string, password: string) =>
  "Basic " +
  btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)));

Deno.test("SimpleHTTPRequestHandler with auth answers 401 with a UTF-8 Basic challenge", async () => {
  await using share = await shareFolder({
    auth: { accounts: [["ann", "pw"]], realm: 'my "share"' },
  });
  await Deno.writeTextFile(`${share.root}/a.txt`, "a");
  const res = await call(`${share.base}/a.txt`);
  assertEquals(res.status, 401);
  assertEquals(
    res.headers.get("www-authenticate"),
    'Basic realm="my \\"share\\"", charset="UTF-8"',
  );
  const wrong = await call(`${share.base}/a.txt`, {
    headers: { Authorization: basic("ann", "nope") },
  });
  assertEquals(wrong.status, 401);
  const unknown = await call(`${share.base}/a.txt`, {
    headers: { Authorization: basic("bob", "pw") },
  });
  assertEquals(unknown.status, 401);
  const good = await call(`${share.base}/a.txt`, {
    headers: { Authorization: basic("ann", "pw") },
  });
  assertEquals(good.status, 200);
  assertEquals(good.text, "a");
  // Listings and HEAD too; OPTIONS stays anonymous for CORS preflights.
  assertEquals((await call(`${share.base}/`)).status, 401);
  assertEquals(
    (await call(`${share.base}/a.txt`, { method: "HEAD" })).status,
    401,
  );
  assertEquals(
    (await call(`${share.base}/`, { method: "OPTIONS" })).status,
    501,
  );
  assertEquals(share.authFailures.map((f) => [f.user, f.reason]), [[
    "ann",
    "rejected",
  ], ["bob", "rejected"]]);
  assert(!share.log.some((l) => l.includes("nope")), "a password was logged");
});

Deno.test("SimpleHTTPRequestHandler accepts htpasswd -B bcrypt, argon2id and UTF-8 credentials", async () => {
  const argon = await argon2id({
    password: "pässwörd",
    salt: new Uint8Array(16).fill(7),
    parallelism: 1,
    iterations: 2,
    memorySize: 1024,
    hashLength: 32,
    outputType: "encoded",
  });
  await using share = await shareFolder({
    auth: { accounts: [...parseHtpasswd(HTPASSWD_B), ["zoë", argon]] },
  });
  await Deno.writeTextFile(`${share.root}/a.txt`, "a");
  for (
    const [user, password, status] of [
      ["ann", "s3cret pw", 200],
      ["ann", "s3cret", 401],
      ["zoë", "pässwörd", 200],
      ["zoë", "passwort", 401],
    ] as const
  ) {
    const res = await call(`${share.base}/a.txt`, {
      headers: { Authorization: basic(user, password) },
    });
    assertEquals(res.status, status, `${user}:${password}`);
  }
});

Deno.test("SimpleHTTPRequestHandler with publicRead lets anyone read, not write", async () => {
  await using share = await shareFolder({
    upload: true,
    delete: true,
    auth: { accounts: [["ann", "pw"]], publicRead: true },
  });
  await Deno.writeTextFile(`${share.root}/a.txt`, "a");
  assertEquals((await call(`${share.base}/a.txt`)).status, 200);
  assertEquals((await call(`${share.base}/`)).status, 200);
  assertEquals(
    (await call(`${share.base}/b.txt`, { method: "PUT", body: "b" })).status,
    401,
  );
  assertEquals(
    (await call(`${share.base}/a.txt`, { method: "DELETE" })).status,
    401,
  );
  const form = new FormData();
  form.append("f", new Blob(["c"]), "c.txt");
  assertEquals(
    (await call(`${share.base}/`, { method: "POST", body: form })).status,
    401,
  );
  const put = await call(`${share.base}/b.txt`, {
    method: "PUT",
    body: "b",
    headers: { Authorization: basic("ann", "pw") },
  });
  assertEquals(put.status, 201);
  assertEquals(share.uploads[0]!.user, "ann");
  assertEquals(await tree(share.root), ["a.txt", "b.txt"]);
});

Deno.test("SimpleHTTPRequestHandler refuses an unauthenticated upload before 100 Continue", async () => {
  await using share = await shareFolder({
    upload: true,
    auth: { accounts: [["ann", "pw"]] },
  });
  const res = await rawRequest(
    share.port,
    "PUT /x.bin HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n",
    "x".repeat(100),
    { waitContinue: true },
  );
  assertEquals(res.status, 401);
  assertEquals(res.continued, false);
  assertEquals(await tree(share.root), []);
});

Deno.test("SimpleHTTPRequestHandler throttles failed logins per client with 429", async () => {
  await using share = await shareFolder({
    auth: { accounts: [["ann", "pw"]], maxFailures: 3, windowMs: 60_000 },
  });
  for (let i = 0; i < 3; i++) {
    assertEquals(
      (await call(`${share.base}/`, {
        headers: { Authorization: basic("ann", `x${i}`) },
      })).status,
      401,
    );
  }
  const blocked = await call(`${share.base}/`, {
    headers: { Authorization: basic("ann", "pw") },
  });
  assertEquals(blocked.status, 429);
  const retry = Number(blocked.headers.get("retry-after"));
  assert(retry >= 1 && retry <= 60, String(retry));
  assertEquals(share.authFailures.at(-1)!.reason, "throttled");
});

Deno.test("SimpleHTTPRequestHandler auth covers CGI scripts", async () => {
  await using share = await shareFolder({
    Handler: CGIHTTPRequestHandler,
    auth: { accounts: [["ann", "pw"]] },
  });
  // As root, CGI scripts run as nobody: the folder must let them in.
  await Deno.chmod(share.root, 0o755);
  await Deno.mkdir(`${share.root}/cgi-bin`);
  await Deno.writeTextFile(
    `${share.root}/cgi-bin/x.sh`,
    "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho ran\n",
  );
  await Deno.chmod(`${share.root}/cgi-bin/x.sh`, 0o755);
  assertEquals((await call(`${share.base}/cgi-bin/x.sh`)).status, 401);
  assertEquals(
    (await call(`${share.base}/cgi-bin/x.sh`, { method: "POST", body: "" }))
      .status,
    401,
  );
  const ok = await call(`${share.base}/cgi-bin/x.sh`, {
    headers: { Authorization: basic("ann", "pw") },
  });
  assertEquals(ok.status, 200, share.log.join("\n"));
  assertEquals(ok.text, "ran\n");
});

Deno.test("SimpleHTTPRequestHandler refuses cross-origin writes", async () => {
  await using share = await shareFolder({ upload: true, delete: true });
  const host = `127.0.0.1:${share.port}`;
  const cases: [Record<string, string>, number][] = [
    [{ Origin: "http://evil.example" }, 403],
    [{ Origin: "null" }, 403],
    [{ Origin: `http://${host}` }, 201],
    [{ "Sec-Fetch-Site": "cross-site" }, 403],
    [{ "Sec-Fetch-Site": "same-origin" }, 201],
    [{}, 201],
  ];
  let i = 0;
  for (const [headers, status] of cases) {
    const res = await call(`${share.base}/f${i++}.txt`, {
      method: "PUT",
      body: "x",
      headers,
    });
    assertEquals(res.status, status, JSON.stringify(headers));
  }
  await Deno.writeTextFile(`${share.root}/keep.txt`, "k");
  const del = await call(`${share.base}/keep.txt`, {
    method: "DELETE",
    headers: { Origin: "http://evil.example" },
  });
  assertEquals(del.status, 403);
  const form = new FormData();
  form.append("f", new Blob(["x"]), "csrf.txt");
  const post = await call(`${share.base}/`, {
    method: "POST",
    body: form,
    headers: { Origin: "http://evil.example" },
  });
  assertEquals(post.status, 403);
  // Reads from anywhere are still fine.
  assertEquals(
    (await call(`${share.base}/keep.txt`, {
      headers: { Origin: "http://evil.example" },
    })).status,
    200,
  );
  assertEquals(await tree(share.root), [
    "f2.txt",
    "f4.txt",
    "f5.txt",
    "keep.txt",
  ]);
});

Deno.test("auth: Basic parsing, htpasswd files and hash kinds", () => {
  assertEquals(parseBasic(basic("ann", "a:b")), {
    user: "ann",
    password: "a:b",
  });
  assertEquals(parseBasic("basic " + btoa("x:y")), {
    user: "x",
    password: "y",
  });
  assertEquals(parseBasic("Bearer abc"), null);
  assertEquals(parseBasic("Basic !!!"), null);
  assertEquals(parseBasic("Basic " + btoa("nocolon")), null);
  assertEquals(parseBasic("Basic " + btoa("\xff:x")), null);
  assertEquals(splitAccount("ann:p:w"), ["ann", "p:w"]);
  assertEquals(parseHtpasswd(`# comment\n\n${HTPASSWD_B}\nbob:plain\n`), [
    ["ann", HTPASSWD_B.slice(4)],
    ["bob", "plain"],
  ]);
  assertEquals(secretKind(HTPASSWD_B.slice(4)), "bcrypt");
  for (
    const bad of [
      "bob:$apr1$XgN1g1z6$bleFGEO5ZgBjJYWed0vTX.",
      "x:{SHA}abc",
      "y:$6$salt$hash",
      "nocolon",
    ]
  ) {
    try {
      parseHtpasswd(`ok:pw\n${bad}`);
      assert(false, bad);
    } catch (error) {
      assert(
        (error as Error).message.startsWith("line 2: "),
        (error as Error).message,
      );
    }
  }
  assertEquals(challenge("r"), 'Basic realm="r", charset="UTF-8"');
});

Deno.test("auth: the guard caches verified credentials and throttles by /64", async () => {
  const guard = new AuthGuard([[
    "ann",
    "$2y$05$wtyzX275DkLuRAyGWkoOb.O6uPMAvQIoKe3Zy6MLelk0x8/xAh6eK",
  ]]);
  let verified = 0;
  const verify = guard.book.verify.bind(guard.book);
  guard.book.verify = (u, p) => {
    verified++;
    return verify(u, p);
  };
  for (let i = 0; i < 3; i++) {
    assertEquals(await guard.check(basic("ann", "s3cret pw"), "10.0.0.1"), {
      ok: true,
      user: "ann",
    });
  }
  assertEquals(verified, 1);
  assertEquals(
    FailureThrottle.key("2001:db8:1:2:3:4:5:6"),
    "2001:db8:1:2::/64",
  );
  assertEquals(FailureThrottle.key("2001:db8::1"), "2001:db8:0:0::/64");
  assertEquals(FailureThrottle.key("::ffff:10.1.2.3"), "10.1.2.3");
  const throttle = new FailureThrottle({ maxFailures: 2, windowMs: 1000 });
  throttle.fail("2001:db8::1", 0);
  throttle.fail("2001:db8::2", 10);
  assertEquals(throttle.retryAfter("2001:db8::3", 20), 1);
  assertEquals(throttle.retryAfter("2001:db9::3", 20), 0);
  assertEquals(throttle.retryAfter("2001:db8::3", 1001), 0);
});

Deno.test("auth: cross-origin rules", () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name];
  assertEquals(
    crossOriginReason(headers({ Origin: "http://a:80", Host: "a" })),
    null,
  );
  assertEquals(
    crossOriginReason(headers({ Origin: "https://a", Host: "a:443" })),
    null,
  );
  assertEquals(
    crossOriginReason(
      headers({ Origin: "http://[::1]:8000", Host: "[::1]:8000" }),
    ),
    null,
  );
  assert(
    crossOriginReason(headers({ Origin: "http://a:8001", Host: "a:8000" })),
  );
  assert(crossOriginReason(headers({ Origin: "http://a" })));
  assert(crossOriginReason(headers({ Origin: "garbage", Host: "a" })));
  assertEquals(
    crossOriginReason(headers({ Origin: "https://app", Host: "a" }), [
      "https://app",
    ]),
    null,
  );
  assert(crossOriginReason(headers({ "Sec-Fetch-Site": "same-site" })));
  assertEquals(crossOriginReason(headers({ "Sec-Fetch-Site": "none" })), null);
});

Deno.test("auth: a hash format that cannot be verified is refused up front", () => {
  throws(
    () => new AuthGuard([["x", "$apr1$XgN1g1z6$bleFGEO5ZgBjJYWed0vTX."]]),
    TypeError,
  );
});

Deno.test("CGIHTTPRequestHandler with upload runs scripts and takes forms elsewhere", async () => {
  await using share = await shareFolder({
    Handler: CGIHTTPRequestHandler,
    upload: true,
  });
  await Deno.chmod(share.root, 0o755);
  await Deno.mkdir(`${share.root}/cgi-bin`);
  await Deno.writeTextFile(
    `${share.root}/cgi-bin/x.sh`,
    "#!/bin/sh\necho 'Content-Type: text/plain'\necho\ncat\n",
  );
  await Deno.chmod(`${share.root}/cgi-bin/x.sh`, 0o755);
  const script = await call(`${share.base}/cgi-bin/x.sh`, {
    method: "POST",
    body: "to the script",
  });
  assertEquals(script.status, 200);
  assertEquals(script.text, "to the script");
  const form = new FormData();
  form.append("f", new Blob(["x"]), "up.txt");
  assertEquals(
    (await call(`${share.base}/`, { method: "POST", body: form })).status,
    201,
  );
  assertEquals(await Deno.readTextFile(`${share.root}/up.txt`), "x");
});

Deno.test("auth: an unknown user costs a password check, as a known one does", async () => {
  const { bcrypt } = await import("hash-wasm");
  const hash = await bcrypt({
    password: "right",
    salt: new Uint8Array(16).fill(1),
    costFactor: 8,
    outputType: "encoded",
  });
  const book = new AuthGuard([["ann", hash]]).book;
  const time = async (user: string) => {
    const t0 = performance.now();
    assertEquals(await book.verify(user, "wrong"), false);
    return performance.now() - t0;
  };
  await time("nobody"); // the dummy hash is made on first use
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 3; i++) {
    known.push(await time("ann"));
    unknown.push(await time("nobody"));
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[1]!;
  // A skipped check would take microseconds against milliseconds.
  assert(median(unknown) > median(known) / 3, `${unknown} vs ${known}`);
});
