// Copyright 2026 the httpserver authors. MIT license.
/** Raw PUT uploads, MKCOL and DELETE over real sockets. */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { call, rawRequest, shareFolder, tree } from "./_share_fixture.ts";
import { isUploadTemporary } from "../handlers/_files/containment.ts";

const put = (body: string, headers: Record<string, string> = {}) => ({
  method: "PUT",
  body,
  headers,
});

Deno.test("SimpleHTTPRequestHandler without upload answers writes with Python's 501", async () => {
  await using share = await shareFolder();
  for (const method of ["PUT", "POST", "DELETE", "MKCOL"]) {
    const res = await rawRequest(
      share.port,
      `${method} /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n`,
      "hi",
    );
    assertEquals(res.status, 501);
    assertEquals(res.reason, `Unsupported method ('${method}')`);
  }
  assertEquals(await tree(share.root), []);
});

Deno.test("SimpleHTTPRequestHandler PUT creates a file, its folders, 201 with Location", async () => {
  await using share = await shareFolder({ upload: true });
  const res = await call(
    `${share.base}/new%20dir/sub/h%C3%A9llo.txt`,
    put("hello\n"),
  );
  assertEquals(res.status, 201);
  assertEquals(res.headers.get("location"), "/new%20dir/sub/h%C3%A9llo.txt");
  assertEquals(res.text, "/new%20dir/sub/h%C3%A9llo.txt\n");
  assertEquals(
    await Deno.readTextFile(`${share.root}/new dir/sub/héllo.txt`),
    "hello\n",
  );
  assertEquals(await tree(share.root), [
    "new dir/",
    "new dir/sub/",
    "new dir/sub/héllo.txt",
  ]);
  assert(
    share.log.includes('"PUT /new%20dir/sub/h%C3%A9llo.txt HTTP/1.1" 201 6'),
  );
  assertEquals(share.uploads.length, 1);
  assertEquals(share.uploads[0]!.size, 6);
  assertEquals(share.uploads[0]!.replaced, false);
  // The file gets the umask's mode, not a temporary file's 0600.
  const mode = (await Deno.stat(`${share.root}/new dir/sub/héllo.txt`)).mode! &
    0o777;
  assertEquals(mode, 0o666 & ~Deno.umask());
});

Deno.test("SimpleHTTPRequestHandler PUT onto an existing file: 409, ?rename, overwrite 204", async () => {
  await using share = await shareFolder({ upload: true });
  await Deno.writeTextFile(`${share.root}/a.txt`, "old");
  const taken = await call(`${share.base}/a.txt`, put("new"));
  assertEquals(taken.status, 409);
  assertEquals(await Deno.readTextFile(`${share.root}/a.txt`), "old");
  const renamed = await call(`${share.base}/a.txt?rename`, put("new"));
  assertEquals(renamed.status, 201);
  assertEquals(renamed.headers.get("location"), "/a%20%281%29.txt");
  assertEquals(await Deno.readTextFile(`${share.root}/a (1).txt`), "new");
  await using over = await shareFolder({
    upload: true,
    overwrite: true,
    root: share.root,
  });
  const replaced = await call(`${over.base}/a.txt`, put("newer"));
  assertEquals(replaced.status, 204);
  assertEquals(await Deno.readTextFile(`${share.root}/a.txt`), "newer");
  assertEquals(over.uploads[0]!.replaced, true);
});

Deno.test("SimpleHTTPRequestHandler PUT honours If-None-Match: * and If-Match", async () => {
  await using share = await shareFolder({ upload: true, overwrite: true });
  await Deno.writeTextFile(`${share.root}/a.txt`, "old");
  const none = await call(
    `${share.base}/a.txt`,
    put("x", { "If-None-Match": "*" }),
  );
  assertEquals(none.status, 412);
  const fresh = await call(
    `${share.base}/b.txt`,
    put("x", { "If-None-Match": "*" }),
  );
  assertEquals(fresh.status, 201);
  const etag = (await call(`${share.base}/a.txt`, { method: "HEAD" })).headers
    .get("etag")!;
  const wrong = await call(
    `${share.base}/a.txt`,
    put("x", { "If-Match": '"nope"' }),
  );
  assertEquals(wrong.status, 412);
  const missing = await call(
    `${share.base}/c.txt`,
    put("x", { "If-Match": "*" }),
  );
  assertEquals(missing.status, 412);
  const right = await call(
    `${share.base}/a.txt`,
    put("guarded", { "If-Match": etag }),
  );
  assertEquals(right.status, 204);
  assertEquals(await Deno.readTextFile(`${share.root}/a.txt`), "guarded");
  assertEquals(await tree(share.root), ["a.txt", "b.txt"]);
});

Deno.test("SimpleHTTPRequestHandler refuses an upload before 100 Continue", async () => {
  await using share = await shareFolder({ upload: true, maxUploadSize: 1000 });
  await Deno.writeTextFile(`${share.root}/a.txt`, "old");
  for (
    const [path, length, status] of [
      ["/big.bin", 1001, 413],
      ["/a.txt", 10, 409],
      ["/../x", 10, 400],
    ] as const
  ) {
    const res = await rawRequest(
      share.port,
      `PUT ${path} HTTP/1.1\r\nHost: a\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`,
      "x".repeat(length),
      { waitContinue: true },
    );
    assertEquals(res.status, status);
    assertEquals(
      res.continued,
      false,
      `${path}: no 100 Continue before ${status}`,
    );
  }
  const ok = await rawRequest(
    share.port,
    "PUT /ok.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
    "abc",
    { waitContinue: true },
  );
  assertEquals(ok.continued, true);
  assertEquals(ok.status, 201);
  assertEquals(await tree(share.root), ["a.txt", "ok.txt"]);
});

Deno.test("SimpleHTTPRequestHandler counts a chunked upload against maxUploadSize", async () => {
  await using share = await shareFolder({
    upload: true,
    maxUploadSize: 100_000,
  });
  const chunk = "x".repeat(50_000);
  const body =
    [chunk, chunk, chunk].map((c) => `${c.length.toString(16)}\r\n${c}\r\n`)
      .join("") + "0\r\n\r\n";
  const res = await rawRequest(
    share.port,
    "PUT /big.bin HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
    body,
  );
  assertEquals(res.status, 413);
  assertEquals(await tree(share.root), []);
});

Deno.test("SimpleHTTPRequestHandler keeps nothing of a PUT whose client goes away", async () => {
  await using share = await shareFolder({ upload: true });
  // Declares 1 MB, sends 300 KB into a folder it creates, then closes.
  const res = await rawRequest(
    share.port,
    "PUT /made/for/it/cut.bin HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n",
    new Uint8Array(300_000),
    { closeAfter: true },
  );
  assertEquals(res.status, 400);
  // Chunked, cut before its last chunk.
  await rawRequest(
    share.port,
    "PUT /cut2.bin HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
    "5\r\nhello\r\n",
    { closeAfter: true },
  );
  assertEquals(await tree(share.root), []);
  assert(share.uploads.length === 0);
});

Deno.test("SimpleHTTPRequestHandler PUT on a folder or through a file is refused", async () => {
  await using share = await shareFolder({ upload: true });
  await Deno.mkdir(`${share.root}/dir`);
  await Deno.writeTextFile(`${share.root}/file`, "f");
  assertEquals((await call(`${share.base}/dir`, put("x"))).status, 409);
  assertEquals((await call(`${share.base}/dir/`, put("x"))).status, 405);
  assertEquals((await call(`${share.base}/file/x.txt`, put("x"))).status, 409);
  assertEquals(await tree(share.root), ["dir/", "file"]);
});

Deno.test("SimpleHTTPRequestHandler resumes an upload with Content-Range", async () => {
  await using share = await shareFolder({ upload: true });
  const data = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
  const url = `${share.base}/big.bin`;
  const total = data.length;
  // First chunk: 308 with the offset; nothing visible under the name.
  const first = await fetch(url, {
    method: "PUT",
    body: data.slice(0, 100_000),
    headers: { "Content-Range": `bytes 0-99999/${total}` },
  });
  await first.body?.cancel();
  assertEquals(first.status, 308);
  assertEquals(first.headers.get("range"), "bytes=0-99999");
  assertEquals(first.headers.get("upload-offset"), "100000");
  const names = await tree(share.root);
  assertEquals(names.length, 1);
  assert(isUploadTemporary(names[0]!));
  const listing = await call(`${share.base}/`);
  assert(!listing.text.includes(".resume"));
  assertEquals((await call(`${share.base}/${names[0]}`)).status, 404);
  // A client cut off after 50 KB of the second chunk keeps those bytes.
  await rawRequest(
    share.port,
    `PUT /big.bin HTTP/1.1\r\nHost: a\r\nContent-Length: 200000\r\nContent-Range: bytes 100000-299999/${total}\r\n\r\n`,
    data.slice(100_000, 150_000),
    { closeAfter: true },
  );
  const query = await fetch(url, {
    method: "PUT",
    headers: { "Content-Range": `bytes */${total}` },
  });
  await query.body?.cancel();
  assertEquals(query.status, 308);
  const offset = Number(query.headers.get("upload-offset"));
  assertEquals(offset, 150_000);
  // A chunk at the wrong offset: 409 with the right one.
  const wrong = await call(url, {
    method: "PUT",
    body: data.slice(200_000),
    headers: { "Content-Range": `bytes 200000-299999/${total}` },
  });
  assertEquals(wrong.status, 409);
  assertEquals(wrong.headers.get("upload-offset"), "150000");
  const last = await call(url, {
    method: "PUT",
    body: data.slice(offset),
    headers: { "Content-Range": `bytes ${offset}-${total - 1}/${total}` },
  });
  assertEquals(last.status, 201);
  assertEquals(await Deno.readFile(`${share.root}/big.bin`), data);
  assertEquals(await tree(share.root), ["big.bin"]);
  assertEquals(share.uploads.map((u) => u.size), [total]);
});

Deno.test("SimpleHTTPRequestHandler refuses bad Content-Range uploads", async () => {
  await using share = await shareFolder({ upload: true, maxUploadSize: 1000 });
  const cases: [string, string, number][] = [
    ["bytes 0-9/5", "x".repeat(10), 400],
    ["bytes 5-2/10", "", 400],
    ["bytes 0-9/2000", "x".repeat(10), 413],
    ["bytes 0-9/10", "x".repeat(5), 400],
    ["items 0-9/10", "x".repeat(10), 400],
  ];
  for (const [range, body, status] of cases) {
    const res = await call(
      `${share.base}/r.bin`,
      put(body, { "Content-Range": range }),
    );
    assertEquals(res.status, status, range);
  }
  assertEquals(await tree(share.root), []);
});

Deno.test("SimpleHTTPRequestHandler MKCOL creates one folder", async () => {
  await using share = await shareFolder({ upload: true });
  const made = await call(`${share.base}/new/`, { method: "MKCOL" });
  assertEquals(made.status, 201);
  assertEquals(made.headers.get("location"), "/new/");
  assertEquals(
    (await call(`${share.base}/new/`, { method: "MKCOL" })).status,
    405,
  );
  assertEquals(
    (await call(`${share.base}/a/b/`, { method: "MKCOL" })).status,
    409,
  );
  assertEquals(await tree(share.root), ["new/"]);
});

Deno.test("SimpleHTTPRequestHandler DELETE removes files and empty folders only", async () => {
  await using share = await shareFolder({ upload: true, delete: true });
  await Deno.mkdir(`${share.root}/full`);
  await Deno.writeTextFile(`${share.root}/full/x`, "x");
  await Deno.mkdir(`${share.root}/empty`);
  await Deno.writeTextFile(`${share.root}/a.txt`, "a");
  assertEquals(
    (await call(`${share.base}/a.txt`, { method: "DELETE" })).status,
    204,
  );
  assertEquals(
    (await call(`${share.base}/a.txt`, { method: "DELETE" })).status,
    404,
  );
  assertEquals(
    (await call(`${share.base}/full/`, { method: "DELETE" })).status,
    409,
  );
  assertEquals(
    (await call(`${share.base}/empty/`, { method: "DELETE" })).status,
    204,
  );
  assertEquals(
    (await call(`${share.base}/`, { method: "DELETE" })).status,
    403,
  );
  assertEquals(await tree(share.root), ["full/", "full/x"]);
  assert(share.log.includes('"DELETE /a.txt HTTP/1.1" 204 1'));
  await using readOnly = await shareFolder({ upload: true, root: share.root });
  assertEquals(
    (await call(`${readOnly.base}/full/x`, { method: "DELETE" })).status,
    501,
  );
});

Deno.test("SimpleHTTPRequestHandler asks mayWrite() before each write", async () => {
  const asked: string[] = [];
  await using share = await shareFolder({
    upload: true,
    delete: true,
    mayWrite: (action, path) => {
      asked.push(`${action} ${path.slice(path.lastIndexOf("/") + 1)}`);
      return !path.endsWith(".exe");
    },
  });
  assertEquals((await call(`${share.base}/ok.txt`, put("x"))).status, 201);
  const refused = await call(`${share.base}/bad.exe`, put("x"));
  assertEquals(refused.status, 403);
  assertEquals(
    (await call(`${share.base}/ok.txt`, { method: "DELETE" })).status,
    204,
  );
  assertEquals(asked, ["upload ok.txt", "upload bad.exe", "delete ok.txt"]);
  assertEquals(await tree(share.root), []);
});

Deno.test("SimpleHTTPRequestHandler with upload hides temporaries from GET and listings", async () => {
  await using share = await shareFolder({ upload: true });
  const temp = ".x.txt.0123456789abcdef.part";
  await Deno.writeTextFile(`${share.root}/${temp}`, "partial");
  await Deno.writeTextFile(`${share.root}/x.txt`, "x");
  assertEquals((await call(`${share.base}/${temp}`)).status, 404);
  const listing = await call(`${share.base}/`);
  assert(!listing.text.includes(temp));
  assert(listing.text.includes('<a href="x.txt">x.txt</a>'));
  assert(
    listing.text.includes(
      '<form id="upload-form" method="post" enctype="multipart/form-data">',
    ),
  );
  assertEquals((await call(`${share.base}/${temp}`, put("y"))).status, 403);
});

Deno.test("SimpleHTTPRequestHandler with every sharing option off lists a folder byte for byte as before", async () => {
  await using plain = await shareFolder();
  await Deno.writeTextFile(`${plain.root}/a.txt`, "a");
  await Deno.writeTextFile(`${plain.root}/.x.txt.0123456789abcdef.part`, "p");
  await using off = await shareFolder({
    root: plain.root,
    upload: false,
    delete: false,
    auth: null,
    maxUploadSize: null,
  });
  const a = await rawRequest(plain.port, "GET / HTTP/1.0\r\n\r\n");
  const b = await rawRequest(off.port, "GET / HTTP/1.0\r\n\r\n");
  assertEquals(b.body, a.body);
  assert(!a.body.includes("<form"));
  // Without uploads, a temporary's name is an ordinary dotfile, as in Python.
  assert(a.body.includes(".x.txt.0123456789abcdef.part"));
});
