// Copyright 2026 the httpserver authors. MIT license.
/**
 * Form uploads: `POST /folder/` with `multipart/form-data` (HTML forms
 * with or without JavaScript, `curl -F`, phones), each file part stored
 * through the one writer under its (folder-relative) file name, renamed
 * `name (1).ext` when taken unless overwriting is on; and `mkdir=NAME`
 * (either form type) to create a folder. The answer is 201 with the
 * `Location` of the first file and a report: HTML for browsers, one URL
 * per line for scripts.
 * @module
 */
import { htmlEscape } from "../../_text.ts";
import {
  boundaryOf,
  type FormEvent,
  partBytes,
  readField,
  readMultipart,
} from "./multipart.ts";
import { sendSmall, type WriteHost, type WriteSettings } from "./host.ts";
import { UploadRefusal } from "./refusal.ts";
import {
  createFolders,
  fileNameSegments,
  join,
  pathSegments,
  removeCreated,
  resolveFolder,
  type WriteRoot,
} from "./target.ts";
import { commit, receive } from "./writer.ts";
import {
  checkAllowed,
  checkSize,
  declaredLength,
  urlOf,
  writeRoot,
} from "./requests.ts";

/** A form upload, checked and ready to read its body. */
export interface PostPlan {
  where: WriteRoot;
  folder: string[];
  /** The multipart boundary, or null for an urlencoded form. */
  boundary: string | null;
}

/** Most non-file fields in one form. */
const MAX_FIELDS = 100;

const URLENCODED = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;

/** Checks a form `POST` before its body is read. */
export async function planPost(
  host: WriteHost,
  settings: WriteSettings,
): Promise<PostPlan> {
  const where = writeRoot(host);
  const folder = pathSegments(host.path, where).filter((n) => n !== "");
  const resolved = await resolveFolder(folder, where);
  if (resolved.missing.length) throw new UploadRefusal(404, "No such folder");
  const contentType = host.headers.get("Content-Type") ?? "";
  const boundary = boundaryOf(contentType);
  if (boundary === null && !URLENCODED.test(contentType)) {
    throw new UploadRefusal(
      415,
      /^\s*multipart\/form-data/i.test(contentType)
        ? "The multipart body has no boundary"
        : "POST a multipart/form-data form",
    );
  }
  checkSize(declaredLength(host), settings);
  return { where, folder, boundary };
}

/** One stored entry of the report. */
interface Stored {
  url: string;
  name: string;
  size: number | null;
  replaced: boolean;
}

/** Counts body bytes, refusing (413) past `max`. */
function limited(host: WriteHost, max: number | null) {
  let total = 0;
  return {
    async readinto(buffer: Uint8Array): Promise<number> {
      const n = await host.rfile.readinto(buffer);
      total += n;
      if (max !== null && total > max) {
        throw new UploadRefusal(413, "The upload is larger than allowed");
      }
      return n;
    },
  };
}

/** Reads the form of a planned `POST`, stores its files, and answers. */
export async function runPost(
  host: WriteHost,
  settings: WriteSettings,
  plan: PostPlan,
): Promise<void> {
  const stored: Stored[] = [];
  const mkdirs: string[] = [];
  const source = limited(host, settings.maxUploadSize);
  if (plan.boundary === null) {
    const body = await readSmallBody(source);
    mkdirs.push(...new URLSearchParams(body).getAll("mkdir").filter(Boolean));
  } else {
    const events = readMultipart(source, plan.boundary);
    let fields = 0;
    for (;;) {
      const r = await events.next();
      if (r.done) break;
      if (r.value.type !== "part") continue;
      const { name, filename } = r.value.head;
      if (filename === null) {
        if (++fields > MAX_FIELDS) {
          throw new UploadRefusal(413, "The form has too many fields");
        }
        const value = await readField(events);
        if (name === "mkdir" && value !== "") mkdirs.push(value);
      } else if (filename === "") {
        // A file input left empty: browsers send an empty nameless part.
        for await (const _ of partBytes(events)) { /* drain */ }
      } else {
        stored.push(await storePart(host, settings, plan, filename, events));
      }
    }
  }
  for (const value of mkdirs) stored.push(await makeFolder(host, plan, value));
  if (!stored.length) throw new UploadRefusal(400, "The form holds no file");
  const total = stored.reduce((n, s) => n + (s.size ?? 0), 0);
  const code = stored.every((s) => s.replaced) ? 200 : 201;
  const html = /text\/html/i.test(host.headers.get("Accept") ?? "");
  const headers: [string, string][] = [["Location", stored[0]!.url]];
  headers.push([
    "Content-Type",
    html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8",
  ]);
  const body = html
    ? reportPage(stored, urlOf(plan.folder) + (plan.folder.length ? "/" : ""))
    : stored.map((s) => s.url + "\n").join("");
  await sendSmall(host, code, total, headers, body);
}

/** Reads a small urlencoded body (at most 64 KiB) as text. */
async function readSmallBody(
  source: { readinto(b: Uint8Array): Promise<number> },
): Promise<string> {
  const buffer = new Uint8Array(65_536);
  let filled = 0;
  for (;;) {
    if (filled === buffer.length) {
      throw new UploadRefusal(413, "The form is too large");
    }
    const n = await source.readinto(buffer.subarray(filled));
    if (n === 0) break;
    filled += n;
  }
  return new TextDecoder().decode(buffer.subarray(0, filled));
}

/** Stores one file part under its (folder-relative) name. */
async function storePart(
  host: WriteHost,
  settings: WriteSettings,
  plan: PostPlan,
  filename: string,
  events: AsyncIterator<FormEvent>,
): Promise<Stored> {
  const rel = fileNameSegments(filename, plan.where);
  const name = rel.pop()!;
  const names = [...plan.folder, ...rel];
  const folder = await resolveFolder(names, plan.where);
  await checkAllowed(
    host,
    "upload",
    join(join(folder.real, folder.missing.join("/")), name),
  );
  const created: string[] = [];
  try {
    const dir = await createFolders(folder, plan.where, created);
    const { temp, size } = await receive(dir, name, partBytes(events), {
      maxBytes: settings.maxUploadSize,
      expected: null,
    }, { sync: settings.sync });
    const c = await commit(
      temp,
      dir,
      name,
      size,
      settings.overwrite ? "overwrite" : "rename",
    );
    const url = urlOf([...names, c.name]);
    host.uploadComplete({
      path: c.path,
      url,
      size,
      replaced: c.replaced,
      user: host.user,
    });
    return {
      url,
      name: [...rel, c.name].join("/"),
      size,
      replaced: c.replaced,
    };
  } catch (error) {
    await removeCreated(created);
    throw error;
  }
}

/** Creates the folder `value` (a relative path) below the form's folder. */
async function makeFolder(
  host: WriteHost,
  plan: PostPlan,
  value: string,
): Promise<Stored> {
  const rel = fileNameSegments(value, plan.where);
  const names = [...plan.folder, ...rel];
  const folder = await resolveFolder(names, plan.where);
  if (!folder.missing.length) {
    throw new UploadRefusal(409, `'${value}' already exists`);
  }
  await checkAllowed(
    host,
    "mkdir",
    join(folder.real, folder.missing.join("/")),
  );
  await createFolders(folder, plan.where, []);
  return {
    url: urlOf(names) + "/",
    name: rel.join("/") + "/",
    size: null,
    replaced: false,
  };
}

/** The report page for a browser that posted the form without script. */
function reportPage(stored: readonly Stored[], back: string): string {
  // The listing's page, with the stored files for entries.
  const lines = [
    '<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
    '<style type="text/css">\n:root {\ncolor-scheme: light dark;\n}\n</style>',
    "<title>Upload complete</title>\n</head>",
    "<body>\n<h1>Upload complete</h1>\n<hr>\n<ul>",
  ];
  for (const s of stored) {
    const size = s.size === null ? "" : ` (${s.size} bytes)`;
    lines.push(
      `<li><a href="${htmlEscape(s.url)}">${htmlEscape(s.name)}</a>${size}${
        s.replaced ? " replaced" : ""
      }</li>`,
    );
  }
  lines.push(
    `</ul>\n<hr>\n<p><a href="${htmlEscape(back)}">Back to the folder</a></p>`,
    "</body>\n</html>\n",
  );
  return lines.join("\n");
}
