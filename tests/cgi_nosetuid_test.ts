// Copyright 2026 the httpserver authors. MIT license.
// CGI where root cannot switch users (containers without CAP_SETUID,
// rootless user namespaces): the sandboxes themselves, checked to refuse a
// switch to nobody that works outside them.
import { strictEqual } from "node:assert/strict";
import { noSetuidSandboxes, sandboxed } from "./_nocaps.ts";

const PROBE = `try {
  new Deno.Command("true", { uid: 65534, gid: 65534 }).outputSync();
  console.log("switched");
} catch (e) {
  console.log("refused " + e.code);
}`;

async function trySwitch(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

for (const probe of noSetuidSandboxes()) {
  Deno.test({
    name: `CGI test sandbox (${probe.name}) refuses a switch to nobody${
      probe.skip ? ` (skipped: ${probe.skip})` : ""
    }`,
    ignore: probe.sandbox === null,
    async fn() {
      const sandbox = probe.sandbox!;
      const evalArgs = ["eval", "--quiet", PROBE];
      // As root outside the sandbox, the same switch works: the sandbox is
      // what refuses it.
      if (Deno.uid() === 0) {
        strictEqual(await trySwitch(Deno.execPath(), evalArgs), "switched");
      }
      const { cmd, args } = sandboxed(sandbox, Deno.execPath(), evalArgs);
      strictEqual(await trySwitch(cmd, args), `refused ${sandbox.errno}`);
    },
  });
}
