// Copyright 2026 the httpserver authors. MIT license.
/** Form uploads (multipart POST) over real sockets. */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import {
  call,
  multipart,
  rawRequest,
  shareFolder,
  tree,
} from "./_share_fixture.ts";

const encoder = new TextEncoder();

Deno.test("SimpleHTTPRequestHandler stores the files of a form, renaming taken names", async () => {
  await using share = await shareFolder({ upload: true });
  await Deno.mkdir(`${share.root}/in`);
  await Deno.writeTextFile(`${share.root}/in/a.txt`, "old");
  const form = new FormData();
  form.append("file", new Blob(["new a"]), "a.txt");
  form.append("file", new Blob(["ünï"]), "Grüße.txt");
  form.append("file", new Blob([]), "");
  const res = await call(`${share.base}/in/`, { method: "POST", body: form });
  assertEquals(res.status, 201);
  assertEquals(res.headers.get("location"), "/in/a%20%281%29.txt");
  assertEquals(res.text, "/in/a%20%281%29.txt\n/in/Gr%C3%BC%C3%9Fe.txt\n");
  assertEquals(await Deno.readTextFile(`${share.root}/in/a.txt`), "old");
  assertEquals(await Deno.readTextFile(`${share.root}/in/a (1).txt`), "new a");
  assertEquals(await Deno.readTextFile(`${share.root}/in/Grüße.txt`), "ünï");
  assert(
    share.log.includes('"POST /in/ HTTP/1.1" 201 10'),
    share.log.join("\n"),
  );
  assertEquals(share.uploads.map((u) => u.url), [
    "/in/a%20%281%29.txt",
    "/in/Gr%C3%BC%C3%9Fe.txt",
  ]);
});

Deno.test("SimpleHTTPRequestHandler keeps the tree of a folder sent as a form", async () => {
  await using share = await shareFolder({ upload: true });
  // What browsers send for <input type=file webkitdirectory>.
  const { body, type } = multipart([
    { name: "folder", filename: "photos/2024/a.jpg", data: "A" },
    { name: "folder", filename: "photos/b.jpg", data: "B" },
  ]);
  const res = await call(`${share.base}/`, {
    method: "POST",
    body,
    headers: { "Content-Type": type, Accept: "text/html" },
  });
  assertEquals(res.status, 201);
  assert(res.headers.get("content-type")!.startsWith("text/html"));
  assert(
    res.text.includes(
      '<a href="/photos/2024/a.jpg">photos/2024/a.jpg</a> (1 bytes)',
    ),
  );
  assert(res.text.includes('<a href="/">Back to the folder</a>'));
  assertEquals(await tree(share.root), [
    "photos/",
    "photos/2024/",
    "photos/2024/a.jpg",
    "photos/b.jpg",
  ]);
});

Deno.test("SimpleHTTPRequestHandler overwrites form uploads with overwrite", async () => {
  await using share = await shareFolder({ upload: true, overwrite: true });
  await Deno.writeTextFile(`${share.root}/a.txt`, "old");
  const { body, type } = multipart([{
    name: "f",
    filename: "a.txt",
    data: "new",
  }]);
  const res = await call(`${share.base}/`, {
    method: "POST",
    body,
    headers: { "Content-Type": type },
  });
  assertEquals(res.status, 200);
  assertEquals(await Deno.readTextFile(`${share.root}/a.txt`), "new");
});

Deno.test("SimpleHTTPRequestHandler creates a folder from a form's mkdir field", async () => {
  await using share = await shareFolder({ upload: true });
  const made = await call(`${share.base}/`, {
    method: "POST",
    body: new URLSearchParams({ mkdir: "new folder" }),
  });
  assertEquals(made.status, 201);
  assertEquals(made.headers.get("location"), "/new%20folder/");
  const again = await call(`${share.base}/`, {
    method: "POST",
    body: new URLSearchParams({ mkdir: "new folder" }),
  });
  assertEquals(again.status, 409);
  assertEquals(await tree(share.root), ["new folder/"]);
});

Deno.test("SimpleHTTPRequestHandler refuses malformed forms with a clear status", async () => {
  await using share = await shareFolder({
    upload: true,
    maxUploadSize: 10_000,
  });
  const post = (type: string, body: string | Uint8Array) =>
    rawRequest(
      share.port,
      `POST / HTTP/1.1\r\nHost: a\r\nContent-Type: ${type}\r\nContent-Length: ${
        typeof body === "string" ? encoder.encode(body).length : body.length
      }\r\n\r\n`,
      body,
    );
  assertEquals((await post("multipart/form-data", "x")).status, 415);
  assertEquals((await post("text/plain", "x")).status, 415);
  const { body: empty, type } = multipart([{ name: "note", data: "hi" }]);
  assertEquals((await post(type, empty)).status, 400);
  assertEquals((await post(type, "--x\r\ngarbage")).status, 400);
  const { body: big } = multipart([{
    name: "f",
    filename: "big",
    data: "x".repeat(20_000),
  }]);
  assertEquals((await post(type, big)).status, 413);
  const headerBomb = multipart([{
    name: "f",
    filename: "h".repeat(20_000),
    data: "x",
  }]);
  assertEquals((await post(type, headerBomb.body)).status, 413);
  assertEquals(
    (await call(`${share.base}/missing/`, {
      method: "POST",
      body: new URLSearchParams({ mkdir: "x" }),
    })).status,
    404,
  );
  assertEquals(await tree(share.root), []);
});

Deno.test("SimpleHTTPRequestHandler limits the parts and part headers of a form", async () => {
  await using share = await shareFolder({ upload: true });
  const many = multipart(
    Array.from({ length: 150 }, (_, i) => ({ name: `f${i}`, data: "v" })),
  );
  const res = await call(`${share.base}/`, {
    method: "POST",
    body: many.body,
    headers: { "Content-Type": many.type },
  });
  assertEquals(res.status, 413);
  // Part headers past the limits (16 KiB, 20 lines) are refused.
  const boundary = "b0undary";
  for (const [count, size] of [[4, 5000], [40, 10]]) {
    const headers = Array.from(
      { length: count },
      (_, i) => `X-H${i}: ${"v".repeat(size)}\r\n`,
    ).join("");
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n${headers}\r\nx\r\n--${boundary}--\r\n`;
    const bomb = await call(`${share.base}/`, {
      method: "POST",
      body,
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    });
    assertEquals(bomb.status, 400, `${count} header lines of ${size}`);
  }
  assertEquals(await tree(share.root), []);
});

Deno.test("SimpleHTTPRequestHandler commits no part of a form cut short", async () => {
  await using share = await shareFolder({ upload: true });
  const data = new Uint8Array(2_000_000).fill(97);
  const { body, type } = multipart([
    { name: "f", filename: "first.txt", data: "complete" },
    { name: "f", filename: "big.bin", data },
  ]);
  // The client sends 1 MB of 2 MB, then closes (uploadserver committed
  // such a file as complete, with 204).
  await rawRequest(
    share.port,
    `POST / HTTP/1.1\r\nHost: a\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`,
    body.slice(0, 1_000_000),
    { closeAfter: true },
  );
  // A body whose length is honest but whose form has no closing boundary.
  const unterminated = body.slice(0, body.length - 500_000);
  const res = await rawRequest(
    share.port,
    `POST / HTTP/1.1\r\nHost: a\r\nContent-Type: ${type}\r\nContent-Length: ${unterminated.length}\r\n\r\n`,
    unterminated,
  );
  assertEquals(res.status, 400);
  // The first part ended at its boundary: it is kept, twice (renamed).
  assertEquals(await tree(share.root), ["first (1).txt", "first.txt"]);
});

Deno.test("SimpleHTTPRequestHandler form uploads refuse names that escape", async () => {
  await using share = await shareFolder({ upload: true });
  for (
    const filename of [
      "../evil.txt",
      "/etc/evil.txt",
      "a\\\\..\\\\evil.txt",
      "sub/../../evil.txt",
      "./x",
      "a//b",
    ]
  ) {
    const { body, type } = multipart([{ name: "f", filename, data: "x" }]);
    const res = await call(`${share.base}/`, {
      method: "POST",
      body,
      headers: { "Content-Type": type },
    });
    assertEquals(res.status, 400, filename);
  }
  assertEquals(await tree(share.root), []);
});
