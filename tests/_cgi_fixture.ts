// Copyright 2026 the httpserver authors. MIT license.
/**
 * Fixtures for the CGIHTTPRequestHandler tests: CPython's test tree of
 * scripts (in /bin/sh, Python and Perl), a server on port 0 that records its
 * log lines, and request heads for the raw client (_raw_client.ts).
 */
import { CGIHTTPRequestHandler } from "../handlers/cgi.ts";
import type { TestServer } from "./_util.ts";
import { serveDirectory } from "./_simple_fixture.ts";

/** Whether this process runs as root (scripts then run as `nobody`). */
export const IS_ROOT: boolean = Deno.build.os !== "windows" && Deno.uid() === 0;

/** An interpreter that `nobody` can run too when we are root. */
async function findInterpreter(
  name: string,
  probe: string[],
): Promise<string | null> {
  if (Deno.build.os === "windows") return null;
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d);
  for (const dir of [...dirs, "/usr/bin", "/usr/local/bin"]) {
    const candidate = `${dir}/${name}`;
    try {
      if (!(await Deno.stat(candidate)).isFile) continue;
      const out = await new Deno.Command(candidate, {
        args: probe,
        stdin: "null",
        stdout: "null",
        stderr: "null",
        ...(IS_ROOT ? { uid: 65534, gid: 65534 } : {}),
      }).output();
      if (out.success) return candidate;
    } catch { /* not usable: try the next one */ }
  }
  return null;
}

/** Script languages the tests use. */
export type Lang = "sh" | "python" | "perl";

/** Interpreter paths; null when the language is not available. */
export const INTERPRETERS: Record<Lang, string | null> = {
  sh: Deno.build.os === "windows" ? null : "/bin/sh",
  python: await findInterpreter("python3", ["-c", "import urllib.parse"]),
  perl: await findInterpreter("perl", ["-e", "1"]),
};

/** The file extension of each language's scripts. */
export const EXT: Record<Lang, string> = { sh: "sh", python: "py", perl: "pl" };

/** Why a language's tests are skipped, or false when they run. */
export function skipReason(lang: Lang): false | string {
  return INTERPRETERS[lang] ? false : `no usable ${lang} interpreter`;
}

/** CPython's test scripts (cgi_file1, 2, 4, 6) in each language. */
export const SCRIPTS: Record<
  Lang,
  {
    hello: string;
    post: string;
    printEnv: (name: string) => string;
    envDump: string;
  }
> = {
  sh: {
    hello: `printf 'Content-type: text/html\\n\\nHello World\\n'\n`,
    post: `printf 'Content-type: text/html\\n\\n'
body=$(head -c "$CONTENT_LENGTH")
IFS='&'
for kv in $body; do
  case $kv in
    spam=*) spam=\${kv#spam=} ;;
    eggs=*) eggs=\${kv#eggs=} ;;
    bacon=*) bacon=\${kv#bacon=} ;;
  esac
done
printf '%s, %s, %s\\n' "$spam" "$eggs" "$bacon"
`,
    printEnv: (name) =>
      `printf 'Content-type: text/html\\n\\n'\nprintf '%s\\n' "$${name}"\n`,
    envDump: `printf 'X-ambv: was here\\nContent-type: text/html\\n\\n<pre>\\n'
env
printf '</pre>\\n'
`,
  },
  python: {
    hello: `
print("Content-type: text/html")
print()
print("Hello World")
`,
    post: `import os
import sys
import urllib.parse

print("Content-type: text/html")
print()

content_length = int(os.environ["CONTENT_LENGTH"])
query_string = sys.stdin.buffer.read(content_length)
params = {key.decode("utf-8"): val.decode("utf-8")
            for key, val in urllib.parse.parse_qsl(query_string)}

print("%s, %s, %s" % (params["spam"], params["eggs"], params["bacon"]))
`,
    printEnv: (name) =>
      `import os

print("Content-type: text/html")
print()

print(os.environ["${name}"])
`,
    envDump: `import os

print("X-ambv: was here")
print("Content-type: text/html")
print()
print("<pre>")
for k, v in os.environ.items():
    try:
        k.encode('ascii')
        v.encode('ascii')
    except UnicodeEncodeError:
        continue  # see: BPO-44647
    print(f"{k}={v}")
print("</pre>")
`,
  },
  perl: {
    hello: `print "Content-type: text/html\\n\\nHello World\\n";\n`,
    post: `print "Content-type: text/html\\n\\n";
read(STDIN, my $body, $ENV{CONTENT_LENGTH});
my %p = map { split /=/, $_, 2 } split /&/, $body;
print "$p{spam}, $p{eggs}, $p{bacon}\\n";
`,
    printEnv: (name) =>
      `print "Content-type: text/html\\n\\n";\nprint "$ENV{${name}}\\n";\n`,
    envDump: `print "X-ambv: was here\\nContent-type: text/html\\n\\n<pre>\\n";
print "$_=$ENV{$_}\\n" for sort keys %ENV;
print "</pre>\\n";
`,
  },
};

/** Writes an executable (by default) script with `lang`'s shebang. */
export async function writeScript(
  path: string,
  lang: Lang,
  body: string,
  mode = 0o755,
): Promise<void> {
  await Deno.writeTextFile(path, `#!${INTERPRETERS[lang]}\n${body}`);
  await Deno.chmod(path, mode);
}

/**
 * CPython's test tree: `cgi-bin/`, `cgi-bin/child-dir/`, `sub/dir/cgi-bin/`,
 * `nocgi.EXT` at the root, and file1..file6 in `lang`. Folders are
 * world-readable so that `nobody` can run the scripts.
 */
export async function makeTree(lang: Lang): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "cgi_test_" });
  const ext = EXT[lang];
  const s = SCRIPTS[lang];
  for (const d of ["cgi-bin/child-dir", "sub/dir/cgi-bin", "htbin"]) {
    await Deno.mkdir(`${dir}/${d}`, { recursive: true });
  }
  for (
    const d of [
      "",
      "/cgi-bin",
      "/cgi-bin/child-dir",
      "/sub",
      "/sub/dir",
      "/sub/dir/cgi-bin",
      "/htbin",
    ]
  ) await Deno.chmod(dir + d, 0o755);
  await writeScript(`${dir}/nocgi.${ext}`, lang, s.hello, 0o777);
  await writeScript(`${dir}/cgi-bin/file1.${ext}`, lang, s.hello);
  await writeScript(`${dir}/cgi-bin/file2.${ext}`, lang, s.post);
  await writeScript(`${dir}/cgi-bin/child-dir/file3.${ext}`, lang, s.hello);
  await writeScript(
    `${dir}/cgi-bin/file4.${ext}`,
    lang,
    s.printEnv("QUERY_STRING"),
  );
  await writeScript(`${dir}/sub/dir/cgi-bin/file5.${ext}`, lang, s.hello);
  await writeScript(`${dir}/cgi-bin/file6.${ext}`, lang, s.envDump);
  return dir;
}

/** Options for {@linkcode startCgi}. */
export interface CgiServerOptions {
  /** The served folder. */
  dir: string;
  /** The handler's `protocolVersion`. */
  protocol?: string;
  /** Extra `cgiDirectories`. */
  cgiDirectories?: string[];
  /** The handler's `cgiTimeout`. */
  cgiTimeout?: number;
  /** Further handler fields. */
  fields?: Partial<
    Pick<
      CGIHTTPRequestHandler,
      "followSymlinks" | "serveDotfiles" | "extraResponseHeaders"
    >
  >;
}

/** A CGI server on 127.0.0.1:0; dispose to stop it. */
export interface CgiServer extends TestServer {
  /** The handlers' log messages (without address and time). */
  logs: string[];
}

/** Starts a {@linkcode CGIHTTPRequestHandler} server serving `options.dir`. */
export function startCgi(options: CgiServerOptions): CgiServer {
  const logs: string[] = [];
  const server = serveDirectory(options.dir, {
    Handler: CGIHTTPRequestHandler,
    protocolVersion: options.protocol,
    cgiDirectories: ["/cgi-bin", "/htbin", ...(options.cgiDirectories ?? [])],
    ...(options.cgiTimeout ? { cgiTimeout: options.cgiTimeout } : {}),
    ...options.fields,
    logs,
  });
  return Object.assign(server, { logs });
}

/** A GET (or other) request head for `path`, HTTP/1.0 unless told. */
export function req(
  path: string,
  { method = "GET", version = "HTTP/1.0", headers = [] as string[] } = {},
): string {
  return `${method} ${path} ${version}\r\n${
    headers.map((h) => h + "\r\n").join("")
  }\r\n`;
}
