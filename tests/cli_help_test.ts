// Copyright 2026 the httpserver authors. MIT license.
// CPython's CommandLineTestCase.test_help_flag and argparse's help layout:
// the CLI's usage, help and wrapping, compared with what CPython 3.13's
// argparse prints for the same argument definitions.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { runMain as run } from "./_cli_util.ts";
import { parseCommandLine } from "../_cli/args.ts";
import { wrapText } from "../_cli/help.ts";

// `python3.13 -m argparse`-formatted help for the same argument list, at 80
// columns (produced with CPython 3.13's argparse and COLUMNS=80; the sharing,
// automatic stop, uploads, authentication, engine and development server
// groups with add_argument_group(title, description)).
const PYTHON_HELP_80 = `\
usage: cli.ts [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION]
              [--tls-cert PATH] [--tls-key PATH] [--tls-password-file PATH]
              [-H HEADER] [--content-type TYPE] [--cors] [--no-dotfiles]
              [--follow-symlinks] [-q] [--version] [--archive]
              [--listing {python,rich}] [--qr] [--qr-host ADDR] [--open]
              [--random-path] [--idle-timeout DURATION]
              [--stop-after DURATION] [--once] [--upload] [--overwrite]
              [--delete] [--max-upload-size SIZE] [--auth USER:PASSWORD]
              [--auth-file FILE] [--public-read] [--engine {listen,serve}]
              [--workers N] [--dev] [--live-reload] [--watch-ignore GLOB]
              [--spa [FILE]] [--404 FILE] [--cache no-cache|no-store|SECONDS]
              [--immutable GLOB] [--isolate [MODE]] [--compress]
              [--precompressed]
              [port]

positional arguments:
  port                  bind to this port (default: 8000)

options:
  -h, --help            show this help message and exit
  --cgi                 run as CGI server
  -b, --bind ADDRESS    bind to this address (default: all interfaces)
  -d, --directory DIRECTORY
                        serve this directory (default: current directory)
  -p, --protocol VERSION
                        conform to this HTTP version (default: HTTP/1.1)
  --tls-cert PATH       path to the TLS certificate chain file
  --tls-key PATH        path to the TLS key file
  --tls-password-file PATH
                        path to the password file for the TLS key
  -H, --header HEADER   add a response header, given as 'Name: value', to
                        successful responses (can be repeated)
  --content-type TYPE   Content-Type for files of unknown type (default:
                        application/octet-stream)
  --cors                send Access-Control-Allow-Origin: * and answer CORS
                        preflight requests
  --no-dotfiles         refuse and hide files and folders whose name starts
                        with a dot
  --follow-symlinks     follow symbolic links that lead out of the served
                        directory
  -q, --quiet           do not log requests
  --version             show program's version number and exit

sharing:
  --archive             let folders be downloaded whole: FOLDER/?zip (stored
                        zip, ZIP64 past 4 GiB), ?tar, ?tar=gz; the listing
                        links them
  --listing {python,rich}
                        python: Python's listing page; rich: sortable columns,
                        a filter, breadcrumbs, light and dark. Both also
                        answer ?json and Accept: application/json with a JSON
                        list (default: Python's page only)
  --qr                  print a QR code of the URL for other devices after the
                        banner (needs --allow-sys=networkInterfaces unless
                        --bind or --qr-host names the address)
  --qr-host ADDR        the address or host name to put in the QR code
  --open                open the URL in the default browser (needs --allow-
                        run=xdg-open, open on macOS, cmd on Windows)
  --random-path         serve under a secret random path (128 bits) printed in
                        the banner; every other path is 404

automatic stop:
  Each prints why it stopped and exits with status 0.

  --idle-timeout DURATION
                        stop when no request has started and none has been in
                        flight for DURATION (90s, 10m, 2h)
  --stop-after DURATION
                        stop DURATION after the start; transfers in flight may
                        finish (up to a minute) while new requests get 503
  --once                stop after the first complete download (the last byte
                        of a whole file or archive, by anyone) or the first
                        complete upload

uploads:
  Receive files into the served folder (needs --allow-write=DIR).

  --upload              accept files: PUT /path/name (curl -T; resumable with
                        Content-Range), form POST to a folder (curl -F,
                        browsers, with an upload form in listings), and new
                        folders
  --overwrite           let uploads replace existing files (default: a PUT
                        onto an existing file gets 409, a form upload is
                        stored as 'name (1).ext')
  --delete              accept DELETE of files and empty folders
  --max-upload-size SIZE
                        refuse uploads larger than SIZE (500M, 10G...) with
                        413

authentication:
  HTTP Basic authentication for every request.

  --auth USER:PASSWORD  accept this user (can be repeated); PASSWORD may be a
                        bcrypt hash ($2y$..., as htpasswd -B writes) or an
                        argon2id PHC string
  --auth-file FILE      accept the users of this htpasswd file (bcrypt,
                        argon2id or plain text; outside the served folder)
  --public-read         with --auth: anyone may read and list, only writes
                        need a login

engine and cores:
  --engine {listen,serve}
                        run the handlers on our HTTP/1.1 over Deno.listen
                        (listen, the default: Python's bytes on the wire) or
                        on Deno.serve (serve: HTTP/2 with --tls-cert, Deno's
                        native HTTP stack)
  --workers N           serve from N worker threads sharing the port (auto:
                        one per CPU core); needs Deno's --unstable-net flag;
                        the kernel spreads connections on Linux only

development server:
  --dev                 preset: --live-reload and --cache no-cache; bind to
                        127.0.0.1 unless -b or --qr is given; if no port is
                        given and 8000 is busy, take the next free one
  --live-reload         reload pages when a file changes (stylesheets are
                        swapped in place); .git, node_modules and editor
                        temporaries are not watched
  --watch-ignore GLOB   do not watch paths matching GLOB (can be repeated)
  --spa [FILE]          serve FILE (default: index.html) with 200 to page
                        navigations that match nothing and have no extension;
                        FILE should load its assets by absolute URLs
  --404 FILE            send FILE with status 404 to page navigations that
                        match nothing
  --cache no-cache|no-store|SECONDS
                        Cache-Control of file responses (-c-1 means no-store);
                        -H wins
  --immutable GLOB      serve files matching GLOB as immutable for a year (can
                        be repeated; never HTML pages)
  --isolate [MODE]      cross-origin isolation (SharedArrayBuffer, wasm
                        threads): COOP same-origin, COEP MODE (require-corp,
                        the default, or credentialless), CORP same-site on
                        every response
  --compress            compress text, scripts and other compressible files
                        from 1 KiB with zstd, br or gzip, as the client
                        prefers
  --precompressed       serve NAME.zst, NAME.br or NAME.gz beside NAME to
                        clients that accept it, unless older than NAME
`;

// CPython 3.13's argparse usage lines for the same arguments at other widths.
const PYTHON_USAGE: Record<number, string> = {
  40: `usage: cli.ts [-h] [--cgi]
              [-b ADDRESS]
              [-d DIRECTORY]
              [-p VERSION]
              [--tls-cert PATH]
              [--tls-key PATH]
              [--tls-password-file PATH]
              [-H HEADER]
              [--content-type TYPE]
              [--cors] [--no-dotfiles]
              [--follow-symlinks] [-q]
              [--version] [--archive]
              [--listing {python,rich}]
              [--qr] [--qr-host ADDR]
              [--open] [--random-path]
              [--idle-timeout DURATION]
              [--stop-after DURATION]
              [--once] [--upload]
              [--overwrite] [--delete]
              [--max-upload-size SIZE]
              [--auth USER:PASSWORD]
              [--auth-file FILE]
              [--public-read]
              [--engine {listen,serve}]
              [--workers N] [--dev]
              [--live-reload]
              [--watch-ignore GLOB]
              [--spa [FILE]]
              [--404 FILE]
              [--cache no-cache|no-store|SECONDS]
              [--immutable GLOB]
              [--isolate [MODE]]
              [--compress]
              [--precompressed]
              [port]
`,
  100:
    `usage: cli.ts [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [--tls-cert PATH]
              [--tls-key PATH] [--tls-password-file PATH] [-H HEADER] [--content-type TYPE]
              [--cors] [--no-dotfiles] [--follow-symlinks] [-q] [--version] [--archive]
              [--listing {python,rich}] [--qr] [--qr-host ADDR] [--open] [--random-path]
              [--idle-timeout DURATION] [--stop-after DURATION] [--once] [--upload] [--overwrite]
              [--delete] [--max-upload-size SIZE] [--auth USER:PASSWORD] [--auth-file FILE]
              [--public-read] [--engine {listen,serve}] [--workers N] [--dev] [--live-reload]
              [--watch-ignore GLOB] [--spa [FILE]] [--404 FILE]
              [--cache no-cache|no-store|SECONDS] [--immutable GLOB] [--isolate [MODE]]
              [--compress] [--precompressed]
              [port]
`,
};

Deno.test("CLI prints argparse's help on stdout (test_help_flag)", async () => {
  for (const flag of ["-h", "--help"]) {
    const r = await run(flag);
    strictEqual(r.code, 0);
    strictEqual(r.stderr, "");
    ok(r.stdout.startsWith(PYTHON_HELP_80 + "\n"), r.stdout);
    // The least-privilege command lines follow, as the epilog.
    ok(
      r.stdout.includes("deno run --allow-net --allow-read=DIR"),
      r.stdout,
    );
    ok(r.stdout.includes("--allow-run"), r.stdout);
  }
  // -h wins over unknown flags, as in argparse.
  strictEqual((await run("--bogus", "-h")).code, 0);
});

Deno.test("CLI wraps its usage line as argparse does at any width", () => {
  for (const [columns, usage] of Object.entries(PYTHON_USAGE)) {
    const r = parseCommandLine(["--bogus"], { width: Number(columns) - 2 });
    if (r.kind === "ok") throw new Error("--bogus was accepted");
    strictEqual(
      r.stderr,
      usage + "cli.ts: error: unrecognized arguments: --bogus\n",
    );
  }
});

Deno.test("CLI help text wraps as Python's textwrap, hyphens included", () => {
  // Each expectation is CPython 3.13's textwrap.wrap() for the same input.
  const text = "Content-Type for files of unknown type";
  const cases: [string, number, string[]][] = [
    [text, 12, ["Content-Type", "for files of", "unknown type"]],
    [text, 10, ["Content-", "Type for", "files of", "unknown", "type"]],
    [text, 7, ["Content", "-Type", "for", "files", "of", "unknown", "type"]],
    ["send Access-Control-Allow-Origin: * and answer", 20, [
      "send Access-Control-",
      "Allow-Origin: * and",
      "answer",
    ]],
    ["a--allow-net=x --allow-read-all", 12, [
      "a--allow-",
      "net=x",
      "--allow-",
      "read-all",
    ]],
    ["a  b\n c", 10, ["a b c"]],
  ];
  for (const [input, width, lines] of cases) {
    deepStrictEqual(wrapText(input, width), lines);
  }
});
