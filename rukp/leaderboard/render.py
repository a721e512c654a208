"""Render the leaderboard as Markdown and as one static HTML page (sortable tables, no assets).

One ranking never mixes data: a task's entries are grouped by the `data:` field of their
signature (data version + hash of the scored split), each group ranked in its own table. The
group scored on the current release (release/manifest.json) comes first; entries scored on
earlier data are listed apart, under their data version, until they are re-added on the
current release. Every row shows its data version.

Output depends only on the stored entries and the release manifest (sorted; the only dates are
those stored in entries), so rendering twice gives identical bytes. All entry text is
HTML-escaped; the page's script reads nothing from the entries, only from the table it sorts.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from rukp.evaluate import TASKS
from rukp.io import atomic_open
from rukp.leaderboard.core import Entry, leaderboard_dir, load_entries, ranks

Current = dict[str, set[str]]  # task -> `data:` fields of the current release (one per split)

TASK_TITLE = {
    "ner": "Named entities (span F1 as conlleval counts it; strict IOB2 F1 beside it)",
    "stance": "Stance (SemEval F1 over FAVOR and AGAINST)",
    "events": "PLOVER events (multi-label micro F1)",
}


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.2f}"


def _columns(entries: list[Entry]) -> tuple[str, list[str], list[str]]:
    """Main metric, the other metrics, and the languages seen in these entries."""
    if not entries:
        return "", [], []
    main = entries[0].result["main_metric"]
    others: list[str] = []
    langs: set[str] = set()
    for e in entries:
        others.extend(k for k in e.result["metrics"] if k != main and k not in others)
        langs.update(e.result["per_language"])
    return main, others, sorted(langs)


def _field(e: Entry, name: str) -> str:
    """One `name:` field of an entry's signature ("" when absent)."""
    return next((p for p in e.result["signature"].split("|") if p.startswith(f"{name}:")), "")


def _basis(e: Entry) -> str:
    """What must be equal for two scores to be comparable: the data (release version + hash),
    the split and the scorer's major version (a major version changes headline figures)."""
    scorer = _field(e, "scorer").split(".")[0]
    return f"{_field(e, 'data')}, {_field(e, 'split')}, {scorer}.x"


def _data(e: Entry) -> str:
    return _field(e, "data")


def _split(e: Entry) -> str:
    return _field(e, "split").removeprefix("split:")


def _version(data: str) -> str:
    """`1.0.1` of `data:1.0.1+sha256:ab12…`."""
    return data.removeprefix("data:").split("+", 1)[0]


def _version_key(data: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in _version(data).split("."))
    except ValueError:
        return ()


def current_data(release: Path | None) -> Current:
    """The `data:` fields a score on the release would carry, per task (every split)."""
    from rukp.errors import RukpError
    from rukp.evaluate.release import SPLITS, TASK_CONFIG, data_hash, read_manifest, split_files

    if release is None:
        return {}
    try:
        manifest = read_manifest(Path(release))
    except RukpError:
        return {}
    out: Current = {}
    for task, config in TASK_CONFIG.items():
        for split in SPLITS:
            files = split_files(manifest, config, split)
            if files:
                digest = data_hash(manifest, files)[:12]
                out.setdefault(task, set()).add(f"data:{manifest['version']}+sha256:{digest}")
    return out


def groups(entries: list[Entry], current: set[str]) -> list[tuple[str, list[Entry], bool]]:
    """(data field, its entries best first, scored on the current release?) — current data
    first, then by data version, newest first. Without a current release, the newest data
    version leads."""
    by: dict[str, list[Entry]] = {}
    for e in entries:
        by.setdefault(_data(e), []).append(e)
    order = sorted(by, key=lambda d: (d not in current, [-x for x in _version_key(d)], d))
    return [(d, by[d], d in current) for d in order]


def _group_title(data: str, entries: list[Entry], is_current: bool, has_current: bool) -> str:
    version, _, digest = data.removeprefix("data:").partition("+sha256:")
    where = f"data {version or '?'} ({_split(entries[0]) or '?'} split, sha256 {digest or '?'})"
    if is_current:
        return f"Ranked on {where}: the current release."
    if has_current:
        return (
            f"Scored on earlier or other data, {where}: not ranked with the current release. "
            "Re-add a system with `rukp leaderboard add --replace` to rank it there."
        )
    return f"Ranked on {where}."


def _data_note(entries: list[Entry]) -> tuple[str, set[str]]:
    """When entries were scored on other data, split or scorer major version: a warning and the
    names of the odd ones. The reference is the most frequent basis (ties: the greatest)."""
    counts: dict[str, int] = {}
    for e in entries:
        counts[_basis(e)] = counts.get(_basis(e), 0) + 1
    if len(counts) <= 1:
        return "", set()
    ref = max(counts, key=lambda d: (counts[d], d))
    odd = {e.name for e in entries if _basis(e) != ref}
    return (
        f"Not comparable: {len(odd)} entr{'y was' if len(odd) == 1 else 'ies were'} scored on "
        f"other data, split or scorer than {ref} (marked *).",
        odd,
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _scored_on(entries: list[Entry]) -> str:
    """The documents and rows each table was scored on, and why CIs are missing if they are."""
    seen: list[str] = []
    for e in entries:
        r = e.result
        split = _field(e, "split").removeprefix("split:") or "?"
        docs = r.get("n_docs")
        what = (
            f"{split} split: {_plural(docs, 'document')}, {_plural(r.get('n_rows', 0), 'row')}"
            if isinstance(docs, int)
            else f"{split} split: number of documents not recorded (scored by an older scorer)"
        )
        reason = r.get("ci_undefined")
        if reason:
            what += f"; 95% CI {reason}"
        if what not in seen:
            seen.append(what)
    return "Scored on the " + " / ".join(seen) + "."


def _lang_score(e: Entry, lang: str, main: str) -> float | None:
    v = e.result["per_language"].get(lang)
    return None if v is None else float(v["metrics"][main])


def _ci(e: Entry, main: str) -> str:
    ci = e.result["ci"].get(main)
    if ci:
        return f"{_pct(ci[0])}–{_pct(ci[1])}"
    return "undefined" if e.result.get("ci_undefined") else "–"


def _md(text: str) -> str:
    text = html.escape(" ".join(str(text).split()), quote=False)
    return text.replace("\\", "\\\\").replace("|", "\\|")


def render_markdown(entries: dict[str, list[Entry]], current: Current | None = None) -> str:
    current = current or {}
    out = [
        "# rukp leaderboard",
        "",
        "Scores in percent on the split named in each signature, with 95% bootstrap",
        "confidence intervals (documents resampled; undefined when fewer than 2 documents are",
        "scored). Equal scores share a rank. Every score carries the signature of the data and",
        "scorer that produced it. A ranking holds only entries scored on the same data; entries",
        "scored on earlier data versions are listed apart.",
        "Rendered by `rukp leaderboard render` from `leaderboard/submissions/`.",
        "",
    ]
    for task in TASKS:
        rows = entries.get(task, [])
        out += [f"## {task}: {TASK_TITLE[task]}", ""]
        if not rows:
            out += ["No submissions yet.", ""]
            continue
        main, others, langs = _columns(rows)
        cur = current.get(task, set())
        has_current = any(_data(e) in cur for e in rows)
        for data, members, is_current in groups(rows, cur):
            out += [_md(_group_title(data, members, is_current, has_current)), ""]
            out += [_md(_scored_on(members)), ""]
            note, odd = _data_note(members)
            if note:
                out += [f"**{_md(note)}**", ""]
            head = ["#", "system", "data", main, "95% CI", *others, *langs]
            head += ["description", "signature"]
            out.append("| " + " | ".join(_md(h) for h in head) + " |")
            out.append(
                "|"
                + "|".join(
                    "---:" if i not in (1, 2) and i < len(head) - 2 else "---"
                    for i in range(len(head))
                )
                + "|"
            )
            for rank, e in zip(ranks(members), members, strict=True):
                cells = [
                    str(rank),
                    _md(e.name) + (" \\*" if e.name in odd else ""),
                    _md(_version(data)),
                    _pct(e.score),
                    _ci(e, main),
                    *(_pct(e.result["metrics"].get(k)) for k in others),
                    *(_pct(_lang_score(e, lang, main)) for lang in langs),
                    _md(e.description),
                    f"`{_md(e.result['signature'])}`",
                ]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 2.5rem; font-size: 0.92rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.55rem; vertical-align: top; }
th { background: #f0f0f0; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " \\25B2"; }
th[aria-sort="descending"]::after { content: " \\25BC"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.sig { font-family: monospace; font-size: 0.78rem; color: #555; }
td.desc { max-width: 28rem; }
p.warn { color: #a00; }
"""

# Sorting: click a header (again to reverse). On load, `?sort=<key>&dir=asc|desc` sorts every
# table having that column; the page then marks <body data-ready="1" data-sorted="<key>:<dir>">.
_JS = """
(function () {
  function cellValue(row, idx, type) {
    var v = row.cells[idx].getAttribute('data-v');
    if (type === 'num') { return v === '' ? -Infinity : parseFloat(v); }
    return v;
  }
  function sortTable(table, key, dir) {
    var ths = table.tHead.rows[0].cells, idx = -1, type = 'text';
    for (var i = 0; i < ths.length; i++) {
      ths[i].removeAttribute('aria-sort');
      if (ths[i].getAttribute('data-key') === key) {
        idx = i;
        type = ths[i].getAttribute('data-type');
      }
    }
    if (idx < 0) { return false; }
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var sign = dir === 'asc' ? 1 : -1;
    rows.sort(function (a, b) {
      var x = cellValue(a, idx, type), y = cellValue(b, idx, type);
      if (x < y) { return -sign; }
      if (x > y) { return sign; }
      return parseInt(a.getAttribute('data-pos'), 10) - parseInt(b.getAttribute('data-pos'), 10);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    ths[idx].setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
    return true;
  }
  var tables = document.querySelectorAll('table.lb');
  Array.prototype.forEach.call(tables, function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        sortTable(table, th.getAttribute('data-key'), asc ? 'asc' : 'desc');
      });
    });
    var n = table.tBodies[0].rows.length;
    var cap = table.querySelector('.count');
    if (cap) { cap.textContent = n + (n === 1 ? ' system' : ' systems'); }
  });
  var params = new URLSearchParams(window.location.search);
  var key = params.get('sort'), dir = params.get('dir') === 'asc' ? 'asc' : 'desc';
  if (key) {
    Array.prototype.forEach.call(tables, function (t) { sortTable(t, key, dir); });
    document.body.setAttribute('data-sorted', key + ':' + dir);
  }
  document.body.setAttribute('data-ready', '1');
})();
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _num_td(x: float | None, cls: str = "num") -> str:
    v = "" if x is None else repr(float(x))
    return f'<td class="{cls}" data-v="{v}">{_pct(x)}</td>'


def render_html(entries: dict[str, list[Entry]], current: Current | None = None) -> str:
    current = current or {}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>rukp leaderboard</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<h1>rukp leaderboard</h1>",
        "<p>Scores in percent on the split named in each signature, with 95% bootstrap "
        "confidence intervals (documents resampled; undefined when fewer than 2 documents are "
        "scored). Equal scores share a rank. A ranking holds only entries scored on the same "
        "data; entries scored on earlier data versions are listed apart. Click a column header "
        "to sort.</p>",
    ]
    for task in TASKS:
        rows = entries.get(task, [])
        parts.append(f'<h2 id="{_e(task)}">{_e(task)}: {_e(TASK_TITLE[task])}</h2>')
        if not rows:
            parts.append("<p>No submissions yet.</p>")
            continue
        main, others, langs = _columns(rows)
        cur = current.get(task, set())
        has_current = any(_data(e) in cur for e in rows)
        heads = [
            ("rank", "#", "num"),
            ("name", "system", "text"),
            ("data", "data", "text"),
            ("score", main, "num"),
            ("ci", "95% CI", "text"),
        ]
        heads += [(f"m-{k}", k, "num") for k in others]
        heads += [(f"lang-{lang}", lang, "num") for lang in langs]
        heads += [
            ("added", "added", "text"),
            ("description", "description", "text"),
            ("signature", "signature", "text"),
        ]
        for g, (data, members, is_current) in enumerate(groups(rows, cur)):
            title = _group_title(data, members, is_current, has_current)
            warn = ' class="warn"' if has_current and not is_current else ""
            parts.append(f"<p{warn}>{_e(title)}</p>")
            parts.append(f'<p class="scored">{_e(_scored_on(members))}</p>')
            note, odd = _data_note(members)
            if note:
                parts.append(f'<p class="warn"><strong>{_e(note)}</strong></p>')
            table_id = f"table-{task}" + (f"-{g}" if g else "")
            parts.append(
                f'<table class="lb" id="{_e(table_id)}" data-task="{_e(task)}" '
                f'data-data="{_e(data)}">'
            )
            parts.append('<caption><span class="count"></span></caption>')  # filled by script
            parts.append(
                "<thead><tr>"
                + "".join(
                    f'<th data-key="{_e(k)}" data-type="{t}" scope="col">{_e(label)}</th>'
                    for k, label, t in heads
                )
                + "</tr></thead>"
            )
            parts.append("<tbody>")
            for pos, (rank, e) in enumerate(zip(ranks(members), members, strict=True), 1):
                cells = [
                    f'<td class="num" data-v="{rank}">{rank}</td>',
                    f'<td class="name" data-v="{_e(e.name)}">{_e(e.name)}'
                    + (" *" if e.name in odd else "")
                    + "</td>",
                    f'<td data-v="{_e(_version(data))}">{_e(_version(data))}</td>',
                    _num_td(e.score),
                    f'<td class="num" data-v="{_e(_ci(e, main))}">{_e(_ci(e, main))}</td>',
                    *(_num_td(e.result["metrics"].get(k)) for k in others),
                    *(_num_td(_lang_score(e, lang, main)) for lang in langs),
                    f'<td data-v="{_e(e.added)}">{_e(e.added[:10])}</td>',
                    f'<td class="desc" data-v="{_e(e.description)}">{_e(e.description)}</td>',
                    f'<td class="sig" data-v="{_e(e.result["signature"])}">'
                    f"{_e(e.result['signature'])}</td>",
                ]
                parts.append(
                    f'<tr data-rank="{rank}" data-pos="{pos}" data-name="{_e(e.name)}">'
                    + "".join(cells)
                    + "</tr>"
                )
            parts.append("</tbody></table>")
    parts += [f"<script>{_JS}</script>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def render(root: Path | None = None, release: Path | None = None) -> tuple[Path, Path]:
    """Write leaderboard.md and index.html under `root` (atomically); returns their paths.
    `release` is the current release (its manifest says which data is current)."""
    root = Path(root) if root else leaderboard_dir()
    entries = load_entries(root)
    current = current_data(release)
    md_path, html_path = root / "leaderboard.md", root / "index.html"
    with atomic_open(md_path) as f:
        f.write(render_markdown(entries, current))
    with atomic_open(html_path) as f:
        f.write(render_html(entries, current))
    return md_path, html_path
