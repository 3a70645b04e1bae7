// Copyright 2026 the httpserver authors. MIT license.
// allowReusePort on every server class, in child processes: without
// --unstable-net it throws NotSupported (Deno would otherwise end the process
// with code 70, which no try can catch); with the flag two servers share a
// port.
import { strictEqual } from "node:assert/strict";
import { withTimeout } from "./_util.ts";

const CHILD = new URL("./_reuse_port_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

async function child(
  kind: string,
  flags: string[],
): Promise<{ code: number; out: string }> {
  const out = await withTimeout(
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--config", CONFIG, ...flags, "-A", CHILD, kind],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output(),
    `the ${kind} child`,
  );
  return {
    code: out.code,
    out: new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr),
  };
}

for (const kind of ["http", "https", "serve"]) {
  Deno.test(`allowReusePort on the ${kind} server throws NotSupported without --unstable-net`, async () => {
    const { code, out } = await child(kind, []);
    strictEqual(code, 0, out);
    strictEqual(
      out,
      "NotSupported: Cannot share the port (allowReusePort): run Deno with " +
        '--unstable-net (or "unstable": ["net"] in deno.json)\n',
    );
  });

  Deno.test(`allowReusePort lets two ${kind} servers share a port with --unstable-net`, async () => {
    const { code, out } = await child(kind, ["--unstable-net"]);
    strictEqual(code, 0, out);
    strictEqual(out, "shared\n");
  });
}
