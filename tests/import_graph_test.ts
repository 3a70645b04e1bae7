// Copyright 2026 the httpserver authors. MIT license.
/**
 * The import graph of the whole tree, from `deno info --json`: no module may
 * import itself back through others, whether by value or by type (a circle
 * makes load order matter and hides which layer depends on which).
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SKIP_DIRS = new Set([".git", "node_modules", "testdata", "results"]);

/** Every TypeScript file of the tree. */
async function sourceFiles(dir: string, out: string[] = []): Promise<string[]> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) {
      if (!SKIP_DIRS.has(entry.name)) await sourceFiles(path, out);
    } else if (entry.isFile && entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

interface InfoDependency {
  code?: { specifier?: string };
  type?: { specifier?: string };
}
interface InfoModule {
  specifier: string;
  dependencies?: InfoDependency[];
}

/** File -> the local files it imports, by value or by type. */
async function importGraph(files: string[]): Promise<Map<string, string[]>> {
  const entry = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    const lines = files.map((f) => `import "${pathToFileURL(f).href}";`);
    await Deno.writeTextFile(entry, lines.join("\n") + "\n");
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "info",
        "--json",
        "--no-npm",
        "--no-remote",
        "--config",
        join(ROOT, "deno.json"),
        entry,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    ok(out.success, new TextDecoder().decode(out.stderr));
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      modules: InfoModule[];
    };
    const graph = new Map<string, string[]>();
    for (const m of info.modules) {
      if (!m.specifier.startsWith("file://")) continue;
      const from = fileURLToPath(m.specifier);
      if (from === entry) continue;
      const to = (m.dependencies ?? [])
        .flatMap((d) => [d.code?.specifier, d.type?.specifier])
        .filter((s): s is string => s?.startsWith("file://") ?? false)
        .map((s) => fileURLToPath(s));
      graph.set(
        relative(ROOT, from),
        [...new Set(to)].map((t) => relative(ROOT, t)),
      );
    }
    return graph;
  } finally {
    await Deno.remove(entry);
  }
}

/** Each circle once, as `a -> b -> a`. */
function circles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === "open") {
        found.push([...stack.slice(stack.indexOf(next)), next].join(" -> "));
      } else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) {
    if (!state.has(node)) visit(node);
  }
  return found;
}

Deno.test("The source tree has no import circle", async () => {
  const files = await sourceFiles(ROOT);
  const graph = await importGraph(files);
  // Every file was read, and the graph has the edges it should.
  deepStrictEqual(
    files.map((f) => relative(ROOT, f)).filter((f) => !graph.has(f)),
    [],
  );
  ok(graph.get("mod.ts")?.includes(join("handlers", "base.ts")));
  deepStrictEqual(circles(graph), []);
});

Deno.test("The import circle finder reports a circle once, by value or by type", () => {
  const graph = new Map([
    ["a.ts", ["b.ts"]],
    ["b.ts", ["c.ts", "d.ts"]],
    ["c.ts", ["a.ts"]],
    ["d.ts", []],
  ]);
  deepStrictEqual(circles(graph), ["a.ts -> b.ts -> c.ts -> a.ts"]);
  graph.set("d.ts", ["d.ts"]);
  deepStrictEqual(circles(graph), [
    "a.ts -> b.ts -> c.ts -> a.ts",
    "d.ts -> d.ts",
  ]);
});
