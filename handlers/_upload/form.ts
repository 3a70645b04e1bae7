// Copyright 2026 the httpserver authors. MIT license.
/**
 * The upload form that listings show when uploads are on: a plain
 * `multipart/form-data` form (files, or a whole folder through
 * `webkitdirectory`) and a new-folder form, which work without JavaScript;
 * with it, files and dropped folders are sent one by one as resumable
 * `PUT`s in chunks (the tree kept, empty folders made with `MKCOL`), each
 * with a progress bar, resumed after a dropped connection.
 * @module
 */

/** Bytes per `PUT` of the script (under common proxy body limits). */
export const CHUNK_BYTES = 16 * 1024 * 1024;

/** What the form offers. */
export interface UploadFormOptions {
  /** Offer the new-folder form (default true). */
  mkdir?: boolean;
}

// The script, kept small and dependency-free; it runs only in browsers.
const SCRIPT = `(() => {
const form = document.getElementById("upload-form");
const list = document.getElementById("upload-list");
const CHUNK = ${CHUNK_BYTES};
const base = location.pathname.endsWith("/") ? location.pathname : location.pathname + "/";
const url = (rel) => base + rel.split("/").map(encodeURIComponent).join("/");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function send(method, target, headers, body, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, target);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    if (onProgress) xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => resolve(xhr);
    xhr.onerror = xhr.onabort = xhr.ontimeout = () => resolve(null);
    xhr.send(body);
  });
}
function row(name, size) {
  const li = document.createElement("li");
  const bar = document.createElement("progress");
  bar.max = size || 1;
  bar.value = 0;
  const text = document.createElement("span");
  li.append(name + " ", bar, " ", text);
  list.append(li);
  return { bar, say: (t) => { text.textContent = t; }, li };
}
async function putFile(file, rel) {
  const r = row(rel, file.size);
  const target = url(rel) + "?rename";
  if (file.size === 0) {
    const xhr = await send("PUT", target, {}, file);
    return finish(r, xhr);
  }
  let offset = 0, failures = 0;
  for (;;) {
    const end = Math.min(offset + CHUNK, file.size);
    const xhr = await send("PUT", target,
      { "Content-Range": "bytes " + offset + "-" + (end - 1) + "/" + file.size },
      file.slice(offset, end), (n) => { r.bar.value = offset + n; });
    if (xhr && xhr.status === 308) {
      offset = Number(xhr.getResponseHeader("Upload-Offset"));
      failures = 0;
      continue;
    }
    if (xhr && xhr.status !== 409) return finish(r, xhr);
    if (xhr && xhr.getResponseHeader("Upload-Offset") === null) return finish(r, xhr);
    if (++failures > 8) return finish(r, xhr);
    r.say("connection lost, resuming...");
    await sleep(Math.min(500 * 2 ** failures, 8000));
    const q = await send("PUT", target, { "Content-Range": "bytes */" + file.size }, null);
    if (q && q.status === 308) offset = Number(q.getResponseHeader("Upload-Offset"));
    else if (q && q.status < 300) return finish(r, q);
  }
}
function finish(r, xhr) {
  const ok = xhr && xhr.status >= 200 && xhr.status < 300;
  r.bar.value = r.bar.max;
  r.say(ok ? "done" : "failed: " + (xhr ? xhr.status + " " + xhr.statusText : "network error"));
  r.li.className = ok ? "done" : "failed";
  return ok;
}
async function mkcol(rel) {
  const xhr = await send("MKCOL", url(rel) + "/", {}, null);
  return xhr && (xhr.status === 201 || xhr.status === 405);
}
async function walk(entry, prefix, out) {
  if (entry.isFile) {
    out.files.push([await new Promise((ok, err) => entry.file(ok, err)), prefix + entry.name]);
    return;
  }
  const reader = entry.createReader();
  const children = [];
  for (;;) {
    const batch = await new Promise((ok, err) => reader.readEntries(ok, err));
    if (!batch.length) break;
    children.push(...batch);
  }
  if (!children.length) out.folders.push(prefix + entry.name);
  for (const child of children) await walk(child, prefix + entry.name + "/", out);
}
async function upload(files, folders) {
  // Live reload, when on, waits while this holds: a file stored must not
  // reload the page under the uploads still running. A failure keeps it, so
  // its message stays until the page is reloaded.
  document.documentElement.setAttribute("data-server-reload-hold", "upload");
  let ok = true;
  for (const f of folders) ok = (await mkcol(f)) && ok;
  for (const [file, rel] of files) ok = (await putFile(file, rel)) && ok;
  if (ok) location.reload();
}
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const files = [];
  for (const input of form.querySelectorAll("input[type=file]")) {
    for (const f of input.files) files.push([f, f.webkitRelativePath || f.name]);
  }
  upload(files, []);
});
document.addEventListener("dragover", (event) => {
  event.preventDefault();
  document.body.classList.add("dragging");
});
document.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
document.addEventListener("drop", async (event) => {
  event.preventDefault();
  document.body.classList.remove("dragging");
  const out = { files: [], folders: [] };
  const entries = [...event.dataTransfer.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry());
  if (entries.every(Boolean)) {
    for (const entry of entries) await walk(entry, "", out);
  } else {
    for (const f of event.dataTransfer.files) out.files.push([f, f.name]);
  }
  upload(out.files, out.folders);
});
})();`;

/**
 * The upload forms and their script, as HTML to place in a listing page
 * after its heading. Both forms post to the page's own folder.
 */
export function uploadFormHtml(options: UploadFormOptions = {}): string {
  const mkdir = options.mkdir ?? true;
  return [
    '<style type="text/css">\n' +
    "#upload-list .done { color: green; }\n" +
    "#upload-list .failed { color: red; }\n" +
    "body.dragging { outline: 3px dashed; }\n" +
    "</style>",
    '<form id="upload-form" method="post" enctype="multipart/form-data">',
    '<label>Files <input type="file" name="file" multiple></label>',
    '<label>Folder <input type="file" name="folder" webkitdirectory multiple></label>',
    '<input type="submit" value="Upload">',
    "</form>",
    mkdir
      ? '<form id="mkdir-form" method="post" enctype="multipart/form-data">\n' +
        '<label>New folder <input type="text" name="mkdir" required></label>\n' +
        '<input type="submit" value="Create">\n</form>'
      : "",
    '<ul id="upload-list"></ul>',
    `<script>\n${SCRIPT}\n</script>`,
  ].filter(Boolean).join("\n");
}
