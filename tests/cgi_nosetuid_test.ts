// Copyright 2026 the httpserver authors. MIT license.
// CGI where root cannot switch users (containers without CAP_SETUID,
// rootless user namespaces): the sandboxes themselves, checked to refuse a
// switch to nobody that works outside them; then the CLI in them, which runs
// scripts as its own user (as CPython does), says so once, and answers a
// script that cannot start with 500, never "not executable".
import { ok, strictEqual } from "node:assert/strict";
import { noSetuidSandboxes, sandboxed } from "./_nocaps.ts";
import { CliProcess } from "./_cli_util.ts";
import { request } from "./_raw_client.ts";

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

/** A CGI tree: a script that reports its uid, one that echoes its body, one that cannot start. */
async function cgiTree(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "httpserver_nosetuid_" });
  await Deno.mkdir(`${dir}/cgi-bin`);
  const scripts: Record<string, string> = {
    "id.sh":
      "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nid -u\necho \"$QUERY_STRING\"\n",
    "post.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\ncat\n",
    "badinterp.sh": "#!/nonexistent/interpreter\n",
  };
  for (const [name, text] of Object.entries(scripts)) {
    await Deno.writeTextFile(`${dir}/cgi-bin/${name}`, text);
    await Deno.chmod(`${dir}/cgi-bin/${name}`, 0o755);
  }
  for (const p of [dir, `${dir}/cgi-bin`]) await Deno.chmod(p, 0o755);
  return dir;
}

/** The README's permissions for `--cgi`, and the same with the uid known. */
const PERMISSION_SETS: [string, (dir: string) => string[]][] = [
  ["the README's permissions", (dir) => [
    "--allow-net",
    `--allow-read=${dir}`,
    "--allow-run",
  ]],
  ["-A (the server knows it is root)", () => ["-A"]],
];

for (const probe of noSetuidSandboxes()) {
  for (const [permName, permissions] of PERMISSION_SETS) {
    Deno.test({
      name:
        `CLI --cgi in a sandbox where root cannot switch users (${probe.name}, ${permName}) runs scripts as its own user${
          probe.skip ? ` (skipped: ${probe.skip})` : ""
        }`,
      ignore: probe.sandbox === null,
      async fn() {
        const sandbox = probe.sandbox!;
        const dir = await cgiTree();
        try {
          await using cli = new CliProcess(
            permissions(dir),
            ["--cgi", "-b", "127.0.0.1", "-d", dir, "0"],
            { wrap: (cmd, args) => sandboxed(sandbox, cmd, args) },
          );
          const port = await cli.port();
          const uid = String(Deno.uid());
          for (const query of ["first", "second"]) {
            const res = await request(
              port,
              `GET /cgi-bin/id.sh?${query} HTTP/1.0\r\n\r\n`,
            );
            strictEqual(res.status, 200, res.head);
            // Inside a user namespace our user is mapped to 0.
            const want = sandbox.errno === "EINVAL" ? "0" : uid;
            strictEqual(res.text, `${want}\n${query}\n`);
          }
          const posted = await request(
            port,
            "POST /cgi-bin/post.sh HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello",
          );
          strictEqual(posted.status, 200, posted.head);
          strictEqual(posted.text, "hello");
          const bad = await request(
            port,
            "GET /cgi-bin/badinterp.sh HTTP/1.0\r\n\r\n",
          );
          strictEqual(
            bad.statusLine,
            "HTTP/1.1 500 CGI script could not be run ('/cgi-bin/badinterp.sh')",
          );
          const { stderr } = await cli.exit("SIGTERM");
          const said = stderr.split("\n").filter((l) =>
            l.includes("CGI scripts run as the server's own user")
          );
          strictEqual(said.length, 1, stderr);
          ok(
            said[0]!.includes(
              sandbox.errno === "EPERM"
                ? "Operation not permitted"
                : "Invalid argument",
            ),
            said[0],
          );
          ok(!stderr.includes("not executable"), stderr);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      },
    });
  }
}
