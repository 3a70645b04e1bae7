// Copyright 2026 the httpserver authors. MIT license.
// CPython's CommandLineTestCase: the CLI's flags parsed in-process, through
// parseCommandLine() (Python mocks test(); this is what it would be called
// with) and main() for help, version and errors.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { runMain as run } from "./_cli_util.ts";
import {
  type CliConfig,
  DEFAULT_PROTOCOL,
  parseCommandLine,
} from "../_cli/args.ts";
import { bannerLine } from "../_cli/banner.ts";
import { readPasswordFile, StartupError } from "../_cli/serve.ts";
import {
  missingPermissionsMessage,
  netRequirement,
  readRequirement,
  runRequirement,
  shellQuote,
} from "../_cli/permissions.ts";

function parse(...args: string[]): CliConfig {
  const r = parseCommandLine(args);
  if (r.kind !== "ok") throw new Error(`Parsing failed: ${r.stderr}`);
  return r.config;
}

/** The exit outcome of parsing `args`; throws when parsing succeeds. */
function failed(
  args: string[],
  width?: number,
): { code: number; stdout: string; stderr: string } {
  const r = parseCommandLine(args, width ? { width } : {});
  if (r.kind === "ok") throw new Error(`Parsing succeeded: ${args.join(" ")}`);
  return r;
}

const DEFAULTS: CliConfig = {
  port: 8000,
  bind: null,
  directory: ".",
  protocol: DEFAULT_PROTOCOL,
  cgi: false,
  tlsCert: null,
  tlsKey: null,
  tlsPasswordFile: null,
  headers: [],
  contentType: null,
  cors: false,
  dotfiles: true,
  followSymlinks: false,
  quiet: false,
  archive: false,
  listing: null,
  qr: false,
  qrHost: null,
  open: false,
  randomPath: false,
  idleTimeout: null,
  stopAfter: null,
  once: false,
  upload: false,
  overwrite: false,
  delete: false,
  maxUploadSize: null,
  auth: [],
  authFile: null,
  publicRead: false,
  engine: "listen",
  workers: null,
};

Deno.test("CLI parses no arguments to the defaults (test_no_arguments)", () => {
  deepStrictEqual(parse(), DEFAULTS);
});

Deno.test("CLI parses the port argument (test_port_flag)", () => {
  for (const port of [8000, 65535, 0, 80]) {
    deepStrictEqual(parse(String(port)), { ...DEFAULTS, port });
  }
  strictEqual(parse("8_080").port, 8080); // Python's int() accepts it
});

Deno.test("CLI parses the directory flag (test_directory_flag)", () => {
  const dirs = [
    "/",
    "/tmp",
    "/tmp/",
    "./a b/c",
    "../x",
    "~",
    "C:\\Users\\someone",
    "C:/Program Files",
    "\\\\server\\share",
    "-",
    "名前",
  ];
  for (const directory of dirs) {
    for (const flag of ["-d", "--directory"]) {
      deepStrictEqual(parse(flag, directory), { ...DEFAULTS, directory });
    }
  }
  strictEqual(parse("--directory=/srv").directory, "/srv");
  strictEqual(parse("-d/srv").directory, "/srv");
  strictEqual(parse("--dir", "/srv").directory, "/srv"); // abbreviation
});

Deno.test("CLI parses the bind flag (test_bind_flag)", () => {
  for (const bind of ["localhost", "127.0.0.1", "::1", "0.0.0.0", "8.8.8.8"]) {
    for (const flag of ["-b", "--bind"]) {
      deepStrictEqual(parse(flag, bind), { ...DEFAULTS, bind });
    }
  }
  strictEqual(parse("-b", "-1").bind, "-1"); // argparse: a negative number is a value
  strictEqual(parse("--bind=").bind, null); // empty: all interfaces
});

Deno.test("CLI parses the protocol flag (test_protocol_flag)", () => {
  for (const protocol of ["HTTP/1.0", "HTTP/1.1", "HTTP/2.0", "HTTP/3.0"]) {
    for (const flag of ["-p", "--protocol"]) {
      deepStrictEqual(parse(flag, protocol), { ...DEFAULTS, protocol });
    }
  }
});

Deno.test("CLI parses the TLS cert and key flags (test_tls_cert_and_key_flags)", () => {
  deepStrictEqual(parse("--tls-cert", "c.pem", "--tls-key", "k.pem"), {
    ...DEFAULTS,
    tlsCert: "c.pem",
    tlsKey: "k.pem",
  });
  deepStrictEqual(parse("--tls-cert", "c.pem"), {
    ...DEFAULTS,
    tlsCert: "c.pem",
  });
});

Deno.test("CLI reads the TLS password file (test_tls_cert_and_key_and_password_flags)", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/pw`, "  some password \n");
    const config = parse(
      "--tls-cert",
      "c.pem",
      "--tls-key",
      "k.pem",
      "--tls-password-file",
      `${dir}/pw`,
    );
    strictEqual(config.tlsPasswordFile, `${dir}/pw`);
    strictEqual(readPasswordFile(config.tlsPasswordFile!), "some password");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("CLI refuses TLS key and password files without a cert (test_missing_tls_cert_flag)", async () => {
  const cases: [string[], string][] = [
    [["--tls-key", "k.pem"], "--tls-key requires --tls-cert to be set"],
    [
      ["--tls-password-file", "pw"],
      "--tls-password-file requires --tls-cert to be set",
    ],
  ];
  for (const [args, message] of cases) {
    const r = await run(...args);
    strictEqual(r.code, 2);
    strictEqual(r.stdout, "");
    ok(r.stderr.startsWith("usage: cli.ts [-h]"), r.stderr);
    ok(r.stderr.endsWith(`\ncli.ts: error: ${message}\n`), r.stderr);
  }
});

Deno.test("CLI reports an unreadable TLS password file (test_invalid_password_file)", async () => {
  const r = await run(
    "--tls-cert",
    "c.pem",
    "--tls-password-file",
    "nonexistent_password_file",
  );
  strictEqual(r.code, 2);
  strictEqual(r.stdout, "");
  ok(r.stderr.startsWith("usage: cli.ts"), r.stderr);
  ok(
    r.stderr.endsWith(
      "cli.ts: error: Failed to read TLS password file: [Errno 2] No such " +
        "file or directory: 'nonexistent_password_file'\n",
    ),
    r.stderr,
  );
  throwsStartup(() => readPasswordFile("."), "[Errno 21] Is a directory: '.'");
});

function throwsStartup(fn: () => unknown, text: string): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    ok(error.message.includes(text), error.message);
    return;
  }
  throw new Error("Expected a StartupError");
}

Deno.test("CLI reports unknown flags on stderr with exit code 2 (test_unknown_flag)", async () => {
  const r = await run("--unknown-flag");
  strictEqual(r.code, 2);
  strictEqual(r.stdout, "");
  ok(r.stderr.includes("error"));
  strictEqual(
    r.stderr.split("\n").at(-2),
    "cli.ts: error: unrecognized arguments: --unknown-flag",
  );
});

Deno.test("CLI reports argparse's errors word for word", () => {
  // Each message as CPython 3.13's argparse prints it for the same arguments.
  const cases: [string[], string][] = [
    [["abc"], "argument port: invalid int value: 'abc'"],
    [["-b"], "argument -b/--bind: expected one argument"],
    [["-b", "--"], "argument -b/--bind: expected one argument"],
    [["-qd"], "argument -d/--directory: expected one argument"],
    [
      ["--tls"],
      "ambiguous option: --tls could match --tls-cert, --tls-key, --tls-password-file",
    ],
    [
      ["--tls=3"],
      "ambiguous option: --tls=3 could match --tls-cert, --tls-key, --tls-password-file",
    ],
    [["--h"], "ambiguous option: --h could match --help, --header"],
    [["--cgi=1"], "argument --cgi: ignored explicit argument '1'"],
    [["-q=1"], "argument -q/--quiet: ignored explicit argument '1'"],
    [["--version=1"], "argument --version: ignored explicit argument '1'"],
    [["-qz"], "unrecognized arguments: -z"],
    [["8000", "-b", "x", "9000"], "unrecognized arguments: 9000"],
    [
      ["--bogus", "--other", "8", "9"],
      "unrecognized arguments: --bogus --other 9",
    ],
    [["--", "-b"], "argument port: invalid int value: '-b'"],
    [["-x y"], "argument port: invalid int value: '-x y'"],
    [["abc", "-h"], "argument port: invalid int value: 'abc'"],
  ];
  for (const [args, message] of cases) {
    const r = failed(args);
    strictEqual(r.code, 2);
    strictEqual(r.stderr.split("\n").at(-2), `cli.ts: error: ${message}`);
  }
});

Deno.test("CLI parses clustered short flags and attached values as argparse", () => {
  deepStrictEqual(parse("-qbx"), { ...DEFAULTS, quiet: true, bind: "x" });
  deepStrictEqual(parse("-qb=x"), { ...DEFAULTS, quiet: true, bind: "x" });
  deepStrictEqual(parse("-bfoo"), { ...DEFAULTS, bind: "foo" });
  deepStrictEqual(parse("-d=foo"), { ...DEFAULTS, directory: "foo" });
  deepStrictEqual(parse("-b", "x", "--", "80"), {
    ...DEFAULTS,
    bind: "x",
    port: 80,
  });
});

Deno.test("CLI parses repeated header flags (test_extra_header_flag)", () => {
  deepStrictEqual(parse("--header", "h1: v1", "-H", "h2: v2").headers, [
    ["h1", "v1"],
    ["h2", "v2"],
  ]);
});

Deno.test("CLI needs a value for the header flag (test_extra_header_flag_too_few_args)", () => {
  const r = failed(["--header"]);
  strictEqual(r.code, 2);
  ok(r.stderr.endsWith("argument -H/--header: expected one argument\n"));
});

Deno.test("CLI takes one value per header flag (test_extra_header_flag_too_many_args)", () => {
  const r = failed(["--header", "h1:", "v1", "h2:", "v2"]);
  strictEqual(r.code, 2);
  ok(r.stderr.endsWith("argument port: invalid int value: 'v1'\n"), r.stderr);
});

Deno.test("CLI refuses malformed headers (test_extra_header_flag_invalid_header)", () => {
  const cases: [string, string][] = [
    ["h1", "Header 'h1' must be of the form Header: value"],
    [":v1", "Header ':v1' must have a non-empty name"],
    [" : v1", "Header ' : v1' must have a non-empty name"],
    ["a b: v", "Header 'a b: v' has an invalid name 'a b'"],
    ["X: a\rb", "Header 'X: a\\rb' has a control character in its value"],
  ];
  for (const [header, message] of cases) {
    const r = failed(["-H", header]);
    strictEqual(r.code, 2);
    strictEqual(r.stderr.split("\n").at(-2), `cli.ts: error: ${message}`);
  }
});

Deno.test("CLI splits headers at the first colon (test_extra_response_headers_arg)", () => {
  deepStrictEqual(
    parse("-H", "Set-Cookie: k=v", "-H", "Set-Cookie:k2=v2:v3 v4").headers,
    [["Set-Cookie", "k=v"], ["Set-Cookie", "k2=v2:v3 v4"]],
  );
});

Deno.test("CLI parses the flags beyond Python", () => {
  deepStrictEqual(
    parse(
      "--cors",
      "--no-dotfiles",
      "--follow-symlinks",
      "-q",
      "--cgi",
      "--content-type",
      "text/plain",
    ),
    {
      ...DEFAULTS,
      cors: true,
      dotfiles: false,
      followSymlinks: true,
      quiet: true,
      cgi: true,
      contentType: "text/plain",
    },
  );
  strictEqual(parse("--quiet").quiet, true);
});

Deno.test("CLI refuses ports out of range and malformed protocol versions", () => {
  const cases: [string[], string][] = [
    [
      ["65536"],
      "argument port: invalid port value: '65536' (not between 0 and 65535)",
    ],
    [
      ["-1"],
      "argument port: invalid port value: '-1' (not between 0 and 65535)",
    ],
    [
      ["-p", "2"],
      "argument -p/--protocol: invalid version value: '2' (expected HTTP/<major>.<minor>)",
    ],
    [
      ["-p", "HTTP/1.1\r\nX: y"],
      "argument -p/--protocol: invalid version value: 'HTTP/1.1\\r\\nX: y' (expected HTTP/<major>.<minor>)",
    ],
  ];
  for (const [args, message] of cases) {
    const r = failed(args);
    strictEqual(r.code, 2);
    strictEqual(r.stderr.split("\n").at(-2), `cli.ts: error: ${message}`);
  }
});

Deno.test("CLI prints its version from deno.json", async () => {
  const { default: config } = await import("../deno.json", {
    with: { type: "json" },
  });
  const r = await run("--version");
  strictEqual(r.code, 0);
  strictEqual(r.stderr, "");
  strictEqual(
    r.stdout,
    `@x/httpserver ${config.version} (deno ${Deno.version.deno})\n`,
  );
});

Deno.test("CLI banner matches Python's first line", () => {
  strictEqual(
    bannerLine(false, "0.0.0.0", 8000),
    "Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...",
  );
  strictEqual(
    bannerLine(false, "::", 8000),
    "Serving HTTP on :: port 8000 (http://[::]:8000/) ...",
  );
  strictEqual(
    bannerLine(true, "::1", 4443),
    "Serving HTTPS on ::1 port 4443 (https://[::1]:4443/) ...",
  );
});

Deno.test("CLI names the exact flags to add for missing permissions", () => {
  const needs = [
    netRequirement(null, 8000, ["::", "0.0.0.0"]),
    readRequirement("site", "to serve site"),
    readRequirement("my key.pem", "to read my key.pem"),
    runRequirement(),
  ];
  const granted = (d: Deno.PermissionDescriptor) => d.name === "run";
  strictEqual(
    missingPermissionsMessage(needs, granted),
    "missing permissions: run again with --allow-net " +
      "'--allow-read=site,my key.pem' (to listen on all interfaces port " +
      "8000; to serve site; to read my key.pem)",
  );
  strictEqual(
    missingPermissionsMessage([netRequirement("::1", 0, ["::1"])], () => false),
    "missing permission: run again with '--allow-net=[::1]:0' " +
      "(to listen on ::1 port 0)",
  );
  strictEqual(missingPermissionsMessage(needs, () => true), null);
  strictEqual(shellQuote("--allow-read=site"), "--allow-read=site");
  strictEqual(shellQuote("--allow-read=it's"), `'--allow-read=it'\\''s'`);
});
