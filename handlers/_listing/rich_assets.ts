// Copyright 2026 the httpserver authors. MIT license.
/**
 * The rich listing's inline style (light and dark from
 * `prefers-color-scheme`) and script (filters the shown rows as you type;
 * the page works without it). Inline, so the page needs no second request
 * and reveals no asset path.
 * @module
 */

/** The page's CSS. */
export const RICH_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;
--line:#d1d9e0;--head:#f6f8fa;--link:#0550ae;--hover:#eef4fb}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;
--muted:#9198a1;--line:#3d444d;--head:#151b23;--link:#4493f8;--hover:#1c2633}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem;background:var(--bg);
color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:1.25rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}
.crumbs{color:var(--muted);overflow-wrap:anywhere}.sep{padding:0 .15rem}
.tools{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;
margin-bottom:.75rem}.tools p{margin:0}
input[type=search]{font:inherit;padding:.3rem .5rem;min-width:14rem;
border:1px solid var(--line);border-radius:6px;background:var(--bg);
color:var(--fg)}
button{font:inherit;padding:.3rem .75rem;border:1px solid var(--line);
border-radius:6px;background:var(--head);color:var(--fg);cursor:pointer}
table{width:100%;border-collapse:collapse;border:1px solid var(--line);
border-radius:6px}
th,td{padding:.35rem .6rem;border-bottom:1px solid var(--line);
text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600;white-space:nowrap}
th a{color:var(--fg)}
td.name{overflow-wrap:anywhere;width:100%}
td.size,td.mtime,th.size,th.mtime{white-space:nowrap;color:var(--muted)}
td.size,th.size{text-align:right}
tbody tr:hover{background:var(--hover)}
tr.dir td.name a{font-weight:600}
.count,.empty{color:var(--muted)}
.upload{margin:.75rem 0;padding:.75rem;border:1px dashed var(--line);
border-radius:6px}
.qr svg{width:12rem;height:12rem;margin-top:.5rem;background:#fff}
@media (max-width:36rem){th.mtime,td.mtime{display:none}}
`;

/** The page's script: live filtering of the rows shown. */
export const RICH_SCRIPT = `
(() => {
  const box = document.getElementById("q");
  const rows = [...document.querySelectorAll("tbody tr:not(.up)")];
  if (!box) return;
  const names = rows.map((r) => r.querySelector("td.name").textContent
    .toLowerCase());
  box.addEventListener("input", () => {
    const needle = box.value.trim().toLowerCase();
    rows.forEach((r, i) => {
      r.hidden = needle !== "" && !names[i].includes(needle);
    });
  });
})();
`;
