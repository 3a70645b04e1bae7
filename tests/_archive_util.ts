// Copyright 2026 the httpserver authors. MIT license.
/**
 * Archive test helpers: the system's readers (Info-ZIP `unzip -t`, GNU
 * `tar -t`, Python's `zipfile` and `tarfile`), a folder with odd names,
 * symlinks and dotfiles, and in-memory sinks.
 */

const decoder = new TextDecoder();

/** Whether a command can be run (for skip messages). */
export function haveCommand(name: string): boolean {
  try {
    const out = new Deno.Command("sh", {
      args: ["-c", `command -v ${name}`],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return out.success;
  } catch {
    return false;
  }
}

/** Python 3 for the `zipfile`/`tarfile` checks, or null. */
export const PYTHON: string | null = ["python3", "python3.13", "python"].find(
  haveCommand,
) ?? null;

/** Runs `cmd` and returns its exit status and output. */
export async function run(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

const PY_LIST = `
import json, sys, tarfile, zipfile
path, kind = sys.argv[1], sys.argv[2]
if kind == "zip":
    z = zipfile.ZipFile(path)
    bad = z.testzip()
    print(json.dumps({"bad": bad, "names": [i.filename for i in z.infolist()],
        "sizes": {i.filename: i.file_size for i in z.infolist()},
        "utf8": all(i.flag_bits & 0x800 for i in z.infolist()),
        "unix": all(i.create_system == 3 for i in z.infolist())}))
else:
    t = tarfile.open(path, "r:*")
    members = t.getmembers()
    for m in members:
        if m.isfile():
            f = t.extractfile(m)
            while f.read(1 << 20):
                pass
    print(json.dumps({"bad": None, "names": [m.name + ("/" if m.isdir() else "") for m in members],
        "sizes": {m.name: m.size for m in members if m.isfile()}}))
`;

/** What Python's `zipfile` / `tarfile` read from an archive. */
export interface PyListing {
  /** The first bad member (`testzip()`), or null. */
  bad: string | null;
  /** Member names, folders ending in `/`. */
  names: string[];
  /** File sizes by name. */
  sizes: Record<string, number>;
  /** Zip only: every member has the UTF-8 flag. */
  utf8?: boolean;
  /** Zip only: every member is "made by" Unix. */
  unix?: boolean;
}

/** Reads `path` with Python (every byte of every member). */
export async function pythonList(
  path: string,
  kind: "zip" | "tar",
): Promise<PyListing> {
  const r = await run(PYTHON!, ["-c", PY_LIST, path, kind]);
  if (r.code !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PyListing;
}

/** Names that are awkward in URLs, shells, HTML, zip and tar headers. */
export const ODD_NAMES: string[] = [
  "space name.txt",
  "quote\"double'single.txt",
  "amp&lt;tag>.txt",
  "percent%20sign#hash?query.txt",
  "back\\slash.txt",
  "tab\tname.txt",
  "new\nline.txt",
  "ünïcødé ✓ 日本語.txt",
  "emoji 😀.txt",
  "-leading-dash.txt",
  "x".repeat(120) + ".txt",
  "colon:semi;comma,.txt",
];

/**
 * Makes a folder holding: files with every odd name, a dotfile and a
 * dot-folder, an empty folder, nested folders, a symlink to a file inside,
 * a symlink out of the folder, a symlink loop, a dangling symlink and a
 * FIFO. Returns its path (inside `base`) and the outside file's path.
 */
export function makeTree(base: string): { dir: string; outside: string } {
  const dir = `${base}/share`;
  const outside = `${base}/outside.txt`;
  Deno.writeTextFileSync(outside, "secret outside\n");
  Deno.mkdirSync(`${dir}/sub/deeper`, { recursive: true });
  Deno.mkdirSync(`${dir}/empty`);
  Deno.mkdirSync(`${dir}/.git`);
  Deno.writeTextFileSync(`${dir}/.git/config`, "[core]\n");
  Deno.writeTextFileSync(`${dir}/.env`, "TOKEN=1\n");
  Deno.writeTextFileSync(`${dir}/a.txt`, "alpha\n");
  Deno.writeTextFileSync(`${dir}/sub/deeper/b.bin`, "b".repeat(70_000));
  for (const name of ODD_NAMES) {
    Deno.writeTextFileSync(`${dir}/sub/${name}`, `content of ${name}\n`);
  }
  Deno.symlinkSync("../a.txt", `${dir}/sub/link-in.txt`);
  Deno.symlinkSync(outside, `${dir}/link-out.txt`);
  Deno.symlinkSync("..", `${dir}/sub/loop`);
  Deno.symlinkSync(`${dir}/missing`, `${dir}/dangling`);
  new Deno.Command("mkfifo", { args: [`${dir}/fifo`] }).outputSync();
  return { dir, outside };
}

/** A sink that keeps every byte written. */
export function memorySink(): {
  stream: WritableStream<Uint8Array>;
  bytes(): Uint8Array;
} {
  const parts: Uint8Array[] = [];
  return {
    stream: new WritableStream({
      write(chunk) {
        parts.push(chunk.slice());
      },
    }),
    bytes() {
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
  };
}

/**
 * Open file descriptors of this process (Linux) on files below `dir`, or
 * -1 elsewhere. Counting only those keeps the count true while other test
 * files run in the same process (`deno test --parallel`).
 */
export function openFiles(dir: string): number {
  let fds: Deno.DirEntry[];
  try {
    fds = [...Deno.readDirSync("/proc/self/fd")];
  } catch {
    return -1;
  }
  let count = 0;
  for (const fd of fds) {
    try {
      if (Deno.readLinkSync(`/proc/self/fd/${fd.name}`).startsWith(dir)) {
        count++;
      }
    } catch { /* closed meanwhile */ }
  }
  return count;
}

/**
 * Waits (at most 3 s) until no file below `dir` is open: a read in
 * progress holds its descriptor until it returns. Resolves to the count
 * last seen.
 */
export async function settledOpenFiles(dir: string): Promise<number> {
  let open = openFiles(dir);
  for (let i = 0; i < 150 && open > 0; i++) {
    await new Promise((r) => setTimeout(r, 20));
    open = openFiles(dir);
  }
  return open;
}

/** Runs `fn` on a fresh {@linkcode makeTree} folder, removed afterwards. */
export async function withTree(
  fn: (dir: string, base: string) => Promise<void> | void,
): Promise<void> {
  const base = await Deno.makeTempDir();
  try {
    const { dir } = makeTree(base);
    await fn(dir, base);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}
