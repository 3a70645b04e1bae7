// Copyright 2026 the httpserver authors. MIT license.
/** The streaming multipart reader, fed in pieces of every size. */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import {
  boundaryOf,
  type FormEvent,
  parseDisposition,
  readMultipart,
} from "../handlers/_upload/multipart.ts";
import { UploadRefusal } from "../handlers/_upload/refusal.ts";
import { multipart } from "./_share_fixture.ts";

/** A source that hands out `body` in pieces of the sizes `sizes` cycles through. */
function source(body: Uint8Array, sizes: number[]) {
  let at = 0;
  let k = 0;
  return {
    readinto(buffer: Uint8Array): Promise<number> {
      const n = Math.min(
        buffer.length,
        body.length - at,
        sizes[k++ % sizes.length]!,
      );
      buffer.set(body.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
  };
}

async function collect(
  body: Uint8Array,
  boundary: string,
  sizes: number[],
): Promise<[string, string | null, Uint8Array][]> {
  const out: [string, string | null, Uint8Array][] = [];
  let current: Uint8Array[] = [];
  let head: FormEvent & { type: "part" } | null = null;
  for await (const ev of readMultipart(source(body, sizes), boundary)) {
    if (ev.type === "part") {
      head = ev;
      current = [];
    } else if (ev.type === "data") current.push(ev.bytes.slice());
    else {
      const all = new Uint8Array(current.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of current) {
        all.set(c, at);
        at += c.length;
      }
      out.push([head!.head.name, head!.head.filename, all]);
    }
  }
  return out;
}

/** Bytes full of CR, LF, dashes and near-boundaries. */
function nasty(n: number, boundary: string, seed: number): Uint8Array {
  const pieces = [
    "\r\n",
    "\r",
    "\n",
    "--",
    `\r\n--${boundary.slice(0, -1)}`,
    `--${boundary}`,
    "x",
    "\r\n-",
  ];
  let s = seed;
  let text = "";
  while (text.length < n) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    text += pieces[s % pieces.length];
  }
  return new TextEncoder().encode(text.slice(0, n));
}

Deno.test("multipart reader gives back every part byte for byte, whatever the read sizes", async () => {
  const boundary = "----WebKitFormBoundaryABC123";
  for (let seed = 1; seed <= 6; seed++) {
    const files = [
      nasty(seed * 997, boundary, seed),
      nasty(3, boundary, seed + 1),
      new Uint8Array(0),
      nasty(70_000, boundary, seed + 2),
    ];
    const { body } = multipart([
      { name: "note", data: "héllo" },
      ...files.map((data, i) => ({ name: "f", filename: `d/f${i}.bin`, data })),
    ], boundary);
    for (
      const sizes of [[1], [7, 3, 1], [100], [65_536], [2_000_000], [
        5,
        4096,
        17,
      ]]
    ) {
      const parts = await collect(body, boundary, sizes);
      assertEquals(parts.length, 5, `seed ${seed} sizes ${sizes}`);
      assertEquals(new TextDecoder().decode(parts[0]![2]), "héllo");
      for (let i = 0; i < files.length; i++) {
        assertEquals(parts[i + 1]![1], `d/f${i}.bin`);
        assertEquals(
          parts[i + 1]![2],
          files[i],
          `seed ${seed} file ${i} sizes ${sizes}`,
        );
      }
    }
  }
});

Deno.test("multipart reader skips a preamble and refuses bodies cut short", async () => {
  const boundary = "xyz";
  const enc = new TextEncoder();
  const ok = enc.encode(
    `preamble\r\n--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\nepilogue`,
  );
  assertEquals((await collect(ok, boundary, [3])).map((p) => p[0]), ["a"]);
  for (
    const cut of [
      '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xy',
      "--xyz\r\nContent-Dispo",
      "no delimiter at all",
      "--xyz\r\n\r\nvalue\r\n--xyz--",
    ]
  ) {
    try {
      await collect(enc.encode(cut), boundary, [4]);
      assert(false, cut);
    } catch (error) {
      assert(
        error instanceof UploadRefusal && error.status === 400,
        `${cut}: ${error}`,
      );
    }
  }
});

Deno.test("multipart headers: boundaries and Content-Disposition", () => {
  assertEquals(boundaryOf("multipart/form-data; boundary=abc"), "abc");
  assertEquals(
    boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="a b;c"'),
    "a b;c",
  );
  assertEquals(boundaryOf("multipart/form-data"), null);
  assertEquals(boundaryOf("multipart/mixed; boundary=abc"), null);
  assertEquals(
    boundaryOf(`multipart/form-data; boundary=${"x".repeat(71)}`),
    null,
  );
  assertEquals(
    parseDisposition(' form-data; name="f"; filename="a \\"b\\".txt"'),
    { name: "f", filename: 'a "b".txt' },
  );
  assertEquals(
    parseDisposition(
      "form-data; name=f; filename*=UTF-8''%C3%A9t%C3%A9.txt; filename=\"x\"",
    ),
    { name: "f", filename: "été.txt" },
  );
  assertEquals(parseDisposition('form-data; filename="x"'), null);
  assertEquals(parseDisposition('attachment; name="x"'), null);
  assertEquals(parseDisposition('form-data; name="x"'), {
    name: "x",
    filename: null,
  });
});

Deno.test("multipart reader: any parts, any bytes, any read sizes (fast-check)", async () => {
  const { default: fc } = await import("fast-check");
  const boundary = "--x-b0undary";
  const bytes = fc.uint8Array({ maxLength: 300 }).map((b) =>
    // Salt the bytes with what a delimiter is made of.
    b.map((v) => [13, 10, 45, 120, v][v % 5]!)
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(bytes, { minLength: 1, maxLength: 5 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }),
      async (files, sizes) => {
        const { body } = multipart(
          files.map((data, i) => ({ name: "f", filename: `n${i}`, data })),
          boundary,
        );
        const parts = await collect(body, boundary, sizes);
        assertEquals(parts.map((p) => p[2]), files);
      },
    ),
    { numRuns: 300 },
  );
});
