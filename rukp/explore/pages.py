"""The explorer's HTML pages. Every value from the data goes through `esc` (text and attributes);
links are built from slugs, and an article URL becomes a link only when it is http(s).

Pages: index.html (release overview, documents with filters), doc/<doc_id>.html, entity/
(index + one page per canonical id), system/ (index + one breakdown page per leaderboard entry).
Relative links only, so the site works from file:// and from any static host.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rukp.explore import errors as E
from rukp.explore.data import Doc, Release
from rukp.explore.marks import Mark, esc, render_text
from rukp.explore.systems import System, slug
from rukp.labels import LabelSets

SPLITS = ("train", "validation", "test")
TASK_TITLE = {
    "ner": "Named entities",
    "stance": "Stance",
    "events": "PLOVER events",
}
PALETTE = (
    "#f4a261",
    "#8ecae6",
    "#90be6d",
    "#e9c46a",
    "#cdb4db",
    "#f28482",
    "#84a59d",
    "#ffafcc",
    "#bde0fe",
    "#d4a373",
)


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.2f}"


def type_css(labels: LabelSets) -> str:
    """Colour rules per entity type (from schema/labels.json, not literals)."""
    rules = []
    for k, t in enumerate(labels.entity_types):
        c = PALETTE[k % len(PALETTE)]
        rules.append(f".t-{t} {{ --tc: {c}; }}")
    return "\n".join(rules) + "\n"


# --------------------------------------------------------------------------- site model


@dataclass(slots=True)
class Site:
    release: Release
    registry: dict[str, dict[str, Any]]
    labels: LabelSets
    systems: list[System]
    licence: dict[str, str]
    release_plots: list[str] = field(default_factory=list)  # file names under img/
    system_plots: dict[str, str] = field(default_factory=dict)  # system key or task -> file
    mentions: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    stances: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: dict[str, list[tuple[str, dict[str, Any], str]]] = field(default_factory=dict)
    sentences: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # row id

    def __post_init__(self) -> None:
        rel = self.release
        for d in rel.docs:
            for e in rel.entities.get(d, []):
                if e.get("canonical_id"):
                    self.mentions.setdefault(e["canonical_id"], []).append((d, e))
            for s in rel.stance.get(d, []):
                if s.get("holder"):
                    self.stances.setdefault(s["holder"], []).append(s)
            for row in rel.events.get(d, []):
                self.sentences.setdefault(d, {})[row["id"]] = row
                for m in row["mentions"] or []:
                    for role in ("sources", "targets"):
                        for cid in m.get(role) or []:
                            self.events.setdefault(cid, []).append((d, m, role[:-1]))

    def entity_ids(self) -> list[str]:
        return sorted(set(self.mentions) | set(self.stances) | set(self.events))

    def name(self, cid: str, lang: str = "en") -> str:
        names = (self.registry.get(cid) or {}).get("names") or {}
        for code in (lang, "en", *sorted(names)):
            if names.get(code):
                return str(names[code][0])
        if cid in self.mentions:
            return str(self.mentions[cid][0][1]["text"])
        return cid

    def entity_link(self, cid: str | None, root: str, lang: str = "en") -> str:
        if not cid:
            return "–"
        return (
            f'<a class="cid" href="{root}entity/{esc(slug(cid))}.html" title="{esc(cid)}">'
            f"{esc(self.name(cid, lang))}</a>"
        )

    def sentence_of(self, doc_id: str, start: int) -> dict[str, Any] | None:
        for row in self.sentences.get(doc_id, {}).values():
            if row["start"] <= start < row["end"]:
                return row
        return None

    def in_context(self, doc_id: str, start: int, end: int, cls: str = "hl") -> str:
        """The sentence holding [start, end) with that span marked."""
        row = self.sentence_of(doc_id, start)
        if row is None:
            text = self.release.docs[doc_id].text
            return f'<mark class="{cls}">{esc(text[start:end])}</mark>'
        s = int(row["start"])
        mark = Mark(start - s, min(end, int(row["end"])) - s, tag="mark", cls=cls)
        return render_text(str(row["text"]), [mark])

    def shown(self, task: str | None = None) -> list[System]:
        return [s for s in self.systems if s.shown and (task is None or s.task == task)]


def display_title(d: Doc) -> str:
    """The release title; without one, the text's first line (the title line of a cleaned
    document), else the id."""
    return d.title or d.text.split("\n", 1)[0].strip() or d.id


def doc_url(root: str, doc_id: str, system: str | None = None, anchor: str = "") -> str:
    q = f"?system={system}" if system else ""
    return f"{root}doc/{slug(doc_id)}.html{q}{anchor}"


# --------------------------------------------------------------------------- layout


def layout(site: Site, title: str, body: str, root: str, kind: str) -> str:
    rel = site.release
    digest = str(rel.manifest.get("data_sha256") or "")[:12]
    here = ' class="here"'
    nav = "".join(
        f'<a href="{root}{href}"{here if kind == k else ""}>{label}</a>'
        for k, href, label in (
            ("documents", "index.html", "Documents"),
            ("entities", "entity/index.html", "Entities"),
            ("systems", "system/index.html", "Systems"),
        )
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="rukp explore">',
            f"<title>{esc(title)} · rukp explorer</title>",
            f'<link rel="stylesheet" href="{root}assets/explorer.css">',
            "</head>",
            f'<body data-page="{esc(kind)}">',
            f'<header class="top"><a class="brand" href="{root}index.html">rukp explorer</a>'
            f"<nav>{nav}</nav>"
            f'<span class="ver">data {esc(rel.version)}'
            + (f" · sha256 {esc(digest)}" if digest else "")
            + "</span></header>",
            "<main>",
            body,
            "</main>",
            "<footer>Generated by <code>rukp explore</code> from the release, the canonical "
            "registry, the leaderboard and the prediction files its entries name. Static "
            "files only: no server, no network.</footer>",
            f'<script src="{root}assets/explorer.js"></script>',
            "</body>",
            "</html>",
            "",
        ]
    )


def table(
    head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "", attrs: str = ""
) -> str:
    """A table; `head` is escaped here, cells are HTML already."""
    c = f' class="{cls}"' if cls else ""
    out = [f"<table{c}{attrs}><thead><tr>"]
    out += [f'<th scope="col">{esc(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for r in rows:
        out.append(
            "<tr>"
            + "".join(cell if cell.startswith("<td") else f"<td>{cell}</td>" for cell in r)
            + "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def num(n: int | float | None, key: str = "") -> str:
    k = f' data-n="{esc(key)}"' if key else ""
    return f'<td class="num"{k}>{"–" if n is None else esc(n)}</td>'


def chip(category: str) -> str:
    """An error category as a coloured label."""
    return f'<span class="cat c-{esc(E.css_name(category))}">{esc(category)}</span>'


def spans_cell(items: Sequence[Any]) -> str:
    """Entity texts with their types, one per line ('–' for none)."""
    return "<br>".join(f"{esc(x.text)} <span class=sub>{esc(x.type)}</span>" for x in items) or "–"


def record_id(row_id: str) -> str:
    """`s3` of the stance row id `doc/s3`."""
    return str(row_id).rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- index


def _counts(site: Site, doc_id: str) -> tuple[int, int, int, int]:
    rel = site.release
    n_ev = sum(len(r["mentions"] or []) for r in rel.events.get(doc_id, []))
    return (
        len(rel.ner.get(doc_id, [])),
        len(rel.entities.get(doc_id, [])),
        len(rel.stance.get(doc_id, [])),
        n_ev,
    )


def _filter(name: str, values: Counter[str]) -> str:
    opts = [f'<option value="">all ({sum(values.values())})</option>']
    opts += [f'<option value="{esc(v)}">{esc(v)} ({n})</option>' for v, n in sorted(values.items())]
    return (
        f'<label>{esc(name)} <select class="filter" data-filter="{esc(name)}">'
        + "".join(opts)
        + "</select></label>"
    )


def index_page(site: Site) -> str:
    rel = site.release
    docs = list(rel.docs.values())
    per_split = []
    for split in SPLITS:
        ids = [d.id for d in docs if d.split == split]
        c = [_counts(site, d) for d in ids]
        per_split.append(
            [esc(split), num(len(ids)), *(num(sum(x[k] for x in c)) for k in range(4))]
        )
    c_all = [_counts(site, d.id) for d in docs]
    per_split.append(
        ["<b>total</b>", num(len(docs)), *(num(sum(x[k] for x in c_all)) for k in range(4))]
    )
    overview = table(
        ["split", "documents", "sentences", "entity mentions", "stance records", "event mentions"],
        per_split,
        "counts",
    )
    plots = "".join(
        f'<figure><img src="img/{esc(p)}" alt="{esc(p)}"></figure>' for p in site.release_plots
    )
    filters = "".join(
        _filter(name, Counter(getattr(d, attr) or "none" for d in docs))
        for name, attr in (("language", "language"), ("split", "split"), ("story", "cluster"))
    )
    rows = []
    for d in docs:
        n_sent, n_ent, n_st, n_ev = _counts(site, d.id)
        rows.append(
            f'<tr data-language="{esc(d.language)}" data-split="{esc(d.split)}" '
            f'data-story="{esc(d.cluster or "none")}" data-doc="{esc(d.id)}">'
            f'<td><a href="{doc_url("", d.id)}">{esc(d.id)}</a></td>'
            f'<td lang="{esc(d.language)}" dir="auto">{esc(display_title(d))}</td>'
            f"<td>{esc(d.language)}</td><td>{esc(d.split)}</td><td>{esc(d.cluster or '–')}</td>"
            f"<td>{esc(d.outlet or 'unknown')}</td><td>{esc(d.published or 'not stated')}</td>"
            f"{num(n_sent)}{num(n_ent)}{num(n_st)}{num(n_ev)}</tr>"
        )
    head = [
        "document",
        "title",
        "language",
        "split",
        "story",
        "outlet",
        "published",
        "sentences",
        "entities",
        "stances",
        "events",
    ]
    body = (
        f"<h1>rukp release {esc(rel.version)}</h1>"
        "<p>Every document of the release with its entity mentions, stance records and "
        "events, and every leaderboard system's predictions with its errors "
        f'(<a href="system/index.html">systems</a>). Canonical entities: '
        f'<a href="entity/index.html">entities</a>.</p>'
        f"{overview}{plots}"
        '<h2 id="documents">Documents</h2>'
        f'<form class="filters" onsubmit="return false">{filters}</form>'
        f'<p class="shown"><span id="shown-count">{len(docs)}</span> of {len(docs)} documents '
        "shown</p>"
        '<table id="doc-index" class="docs"><thead><tr>'
        + "".join(f'<th scope="col">{h}</th>' for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    return layout(site, f"release {rel.version}", body, "", "documents")


# --------------------------------------------------------------------------- documents


def _meta(site: Site, d: Doc) -> str:
    url = d.url or ""
    if url.startswith(("https://", "http://")):
        url_html = f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(url)}</a>'
    else:
        url_html = esc(url or "not stated")
    rows = [
        ("document", f"<code>{esc(d.id)}</code>"),
        ("language", esc(d.language)),
        ("split", esc(d.split)),
        ("story", esc(d.cluster or "–")),
        ("outlet", esc(d.outlet or "unknown")),
        ("published", esc(d.published or "not stated")),
        ("source URL", url_html),
        (
            "licence note",
            esc(site.licence.get(d.id) or "see the release's LICENSE.md"),
        ),
    ]
    return (
        '<table class="meta">'
        + "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
        + "</table>"
    )


def gold_marks(site: Site, doc_id: str, root: str) -> list[Mark]:
    rel = site.release
    lang = rel.docs[doc_id].language
    marks: list[Mark] = []
    for st in rel.stance.get(doc_id, []):
        sid = str(st["id"]).rsplit("/", 1)[-1]
        marks.append(
            Mark(
                int(st["evidence_start"]),
                int(st["evidence_end"]),
                cls="evid",
                attrs={"data-st": sid, "title": f"evidence of stance {sid}"},
                rank=0,
            )
        )
    for e in rel.entities.get(doc_id, []):
        cid = e.get("canonical_id")
        attrs = {
            "id": f"ent-{e['id']}",
            "data-ent": str(e["id"]),
            "data-type": str(e["type"]),
            "title": f"{e['type']} · {cid or 'no canonical id'}",
        }
        if cid:
            attrs = {"href": f"{root}entity/{slug(cid)}.html", **attrs, "data-cid": cid}
        marks.append(
            Mark(
                int(e["start"]),
                int(e["end"]),
                tag="a" if cid else "span",
                cls=f"ent t-{e['type']}",
                attrs=attrs,
                rank=1,
            )
        )
    for row in rel.events.get(doc_id, []):
        for m in row["mentions"] or []:
            who = "; ".join(
                f"{role}: " + (", ".join(site.name(c, lang) for c in (m.get(role) or [])) or "–")
                for role in ("sources", "targets")
            )
            mode = f" ({m['mode']})" if m.get("mode") else ""
            marks.append(
                Mark(
                    int(m["start"]),
                    int(m["end"]),
                    cls="trig",
                    attrs={
                        "id": f"ev-{m['id']}",
                        "data-trig": str(m["id"]),
                        "data-label": f"{m['type']} · {m['factuality']}",
                        "title": f"{m['type']}{mode}, {m['factuality']}; {who}",
                    },
                    rank=2,
                )
            )
    return marks


def _stance_list(site: Site, doc_id: str, root: str) -> str:
    rel = site.release
    lang = rel.docs[doc_id].language
    groups: dict[str, list[dict[str, Any]]] = {}
    for st in rel.stance.get(doc_id, []):
        groups.setdefault(st.get("holder") or "", []).append(st)
    if not groups:
        return "<p>No stance records.</p>"
    out = []
    for holder in sorted(groups, key=lambda h: (h == "", h)):
        if holder:
            who = site.entity_link(holder, root, lang)
            name = groups[holder][0].get("holder_name")
            extra = f' <span class="sub">({esc(name)})</span>' if name else ""
            out.append(f'<h3 class="holder">{who}{extra}</h3>')
        else:
            out.append('<h3 class="holder">The outlet (author)</h3>')
        out.append('<ul class="stances">')
        for st in groups[holder]:
            sid = str(st["id"]).rsplit("/", 1)[-1]
            ctx = int(st["context_start"])
            ev = Mark(int(st["evidence_start"]) - ctx, int(st["evidence_end"]) - ctx, "mark", "hl")
            out.append(
                f'<li class="stance" tabindex="0" data-st="{esc(sid)}" '
                f'data-label="{esc(st["label"])}">'
                f'<span class="lab l-{esc(st["label"])}">{esc(st["label"])}</span> '
                f'<span class="sub">{esc(st["attribution"])} · {esc(st["target"])} · '
                f"{esc(sid)}</span><br>"
                f'<span class="ctx" dir="auto">{render_text(str(st["context"] or ""), [ev])}</span>'
                "</li>"
            )
        out.append("</ul>")
    return "".join(out)


def _event_table(site: Site, doc_id: str, root: str) -> str:
    rel = site.release
    lang = rel.docs[doc_id].language
    rows = []
    for row in rel.events.get(doc_id, []):
        for m in row["mentions"] or []:
            rows.append(
                [
                    f'<a href="#ev-{esc(m["id"])}">{esc(m["trigger"])}</a>',
                    esc(m["type"]),
                    esc(m.get("mode") or "–"),
                    esc(m["factuality"]),
                    ", ".join(site.entity_link(c, root, lang) for c in m.get("sources") or [])
                    or "–",
                    ", ".join(site.entity_link(c, root, lang) for c in m.get("targets") or [])
                    or "–",
                    esc(row["sentence_index"]),
                ]
            )
    if not rows:
        return "<p>No event mentions.</p>"
    return table(
        ["trigger", "type", "mode", "factuality", "sources", "targets", "sentence"], rows, "events"
    )


def _counts_table(site: Site, gold: dict[str, int], pred: dict[str, int], cats_g, cats_p) -> str:
    cats = list(dict.fromkeys([*cats_g, *cats_p]))
    rows = []
    for c in cats:
        rows.append(
            f'<td data-cat="{esc(E.css_name(c))}"><span class="cat c-{esc(E.css_name(c))}">'
            f"{esc(c)}</span></td>"
            + (num(gold.get(c, 0), "gold") if c in cats_g else num(None))
            + ((num(pred.get(c, 0), "pred") if c in cats_p else num(None)) if cats_p else "")
        )
    rows_html = "".join(
        f'<tr data-cat="{esc(E.css_name(c))}">{r}</tr>' for c, r in zip(cats, rows, strict=True)
    )
    total = (
        f'<tr class="total" data-cat="total"><td>total</td>{num(sum(gold.values()), "gold")}'
        + (num(sum(pred.values()), "pred") if cats_p else "")
        + "</tr>"
    )
    head = "<th>gold</th><th>predicted</th>" if cats_p else "<th>records</th>"
    return (
        f'<table class="counts cats"><thead><tr><th>category</th>{head}</tr></thead>'
        f"<tbody>{rows_html}{total}</tbody></table>"
    )


def _ner_system_panel(site: Site, s: System, doc_id: str, root: str) -> str:
    assert s.analysis is not None
    items = s.analysis.doc_items(doc_id)
    by_key = {it.key: it for it in items}
    gold = Counter(it.category for it in items if it.side == "gold")
    pred = Counter(it.category for it in items if it.side == "pred")
    text = site.release.docs[doc_id].text
    marks = []
    for it in items:
        who = "gold" if it.side == "gold" else "predicted"
        marks.append(
            Mark(
                it.start,
                it.end,
                cls=f"{it.side[0]} t-{it.type} c-{E.css_name(it.category)}",
                attrs={
                    "data-item": it.key,
                    "data-side": it.side,
                    "data-cat": E.css_name(it.category),
                    "title": f"{who} {it.type}: {it.category}",
                },
                rank=0 if it.side == "gold" else 1,
            )
        )
    rows = []
    for it in items:
        if it.category == E.CORRECT or (it.side == "pred" and it.category != E.SPURIOUS):
            continue
        partners = [by_key[k] for k in it.partners if k in by_key]
        g = [it] if it.side == "gold" else []
        p = partners if it.side == "gold" else [it]
        sent = site.sentences.get(doc_id, {}).get(it.row_id)
        ctx = "–"
        if sent is not None:
            s0 = int(sent["start"])
            ms = [
                Mark(
                    x.start - s0,
                    x.end - s0,
                    cls=f"{x.side[0]} c-{E.css_name(it.category)}",
                    rank=0 if x.side == "gold" else 1,
                )
                for x in (*g, *p)
            ]
            ctx = f'<span dir="auto">{render_text(str(sent["text"]), ms)}</span>'
        rows.append(
            f'<tr data-cat="{esc(E.css_name(it.category))}" data-item="{esc(it.key)}">'
            f"<td>{chip(it.category)}</td><td>{spans_cell(g)}</td><td>{spans_cell(p)}</td>"
            f"<td>{ctx}</td></tr>"
        )
    errors = (
        '<table class="errors"><thead><tr><th>error</th><th>gold</th><th>predicted</th>'
        "<th>sentence</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        if rows
        else "<p>No errors on this document.</p>"
    )
    return (
        _counts_table(site, dict(gold), dict(pred), E.NER_GOLD_CATEGORIES, E.NER_PRED_CATEGORIES)
        + '<p class="legend">Gold spans are underlined, predicted spans boxed; the colour is '
        "the error category.</p>"
        + f'<div class="doctext systext" lang="{esc(site.release.docs[doc_id].language)}" '
        f'dir="auto">{render_text(text, marks)}</div>' + "<h3>Errors</h3>" + errors
    )


def _stance_system_panel(site: Site, s: System, doc_id: str, root: str) -> str:
    assert s.analysis is not None
    items = s.analysis.doc_items(doc_id)
    lang = site.release.docs[doc_id].language
    gold = Counter(it.category for it in items)
    rows = [
        f'<td data-cat="{esc(E.css_name(it.category))}">{chip(it.category)}</td>'
        f"<td>{esc(record_id(it.row_id))}</td>"
        f"<td>{site.entity_link(it.holder, root, lang) if it.holder else 'the outlet'}</td>"
        f"<td>{esc(it.attribution)}</td><td>{esc(it.gold)}</td><td>{esc(it.pred)}</td>"
        for it in items
    ]
    body = "".join(
        f'<tr data-cat="{esc(E.css_name(it.category))}" data-st="{esc(record_id(it.row_id))}">'
        f"{r}</tr>"
        for it, r in zip(items, rows, strict=True)
    )
    return (
        _counts_table(site, dict(gold), {}, E.STANCE_CATEGORIES, ())
        + '<table class="errors"><thead><tr><th>category</th><th>record</th><th>holder</th>'
        "<th>attribution</th><th>gold</th><th>predicted</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _events_system_panel(site: Site, s: System, doc_id: str, root: str) -> str:
    assert s.analysis is not None
    items = s.analysis.doc_items(doc_id)
    gold = Counter(it.category for it in items if it.side == "gold")
    pred = Counter(it.category for it in items if it.side == "pred")
    per_row: dict[str, list[Any]] = {}
    for it in items:
        per_row.setdefault(it.row_id, []).append(it)
    rows = []
    for row_id, its in per_row.items():
        sent = site.sentences.get(doc_id, {}).get(row_id) or {}

        def chips(cat: str, side: str, its=its) -> str:
            return (
                " ".join(
                    f'<span class="cat c-{esc(E.css_name(cat))}" data-item="{esc(i.key)}" '
                    f'data-cat="{esc(E.css_name(cat))}">{esc(i.type)}'
                    + (f" · {esc(i.factuality)}" if i.factuality else "")
                    + "</span>"
                    for i in its
                    if i.side == side and i.category == cat
                )
                or "–"
            )

        rows.append(
            [
                esc(sent.get("sentence_index", row_id)),
                f'<span dir="auto">{esc(sent.get("text", ""))}</span>',
                chips(E.CORRECT, "gold"),
                chips(E.MISSED_TYPE, "gold"),
                chips(E.EXTRA_TYPE, "pred"),
            ]
        )
    tbl = (
        table(["sentence", "text", "correct", "missed type", "extra type"], rows, "errors")
        if rows
        else "<p>Neither gold nor the system has an event type on this document.</p>"
    )
    return (
        _counts_table(
            site, dict(gold), dict(pred), ("correct", E.MISSED_TYPE), ("correct", E.EXTRA_TYPE)
        )
        + tbl
    )


PANELS = {"ner": _ner_system_panel, "stance": _stance_system_panel, "events": _events_system_panel}


def _system_select(site: Site, d: Doc) -> str:
    opts = ['<option value="">gold only</option>']
    for task in ("ner", "stance", "events"):
        systems = site.shown(task)
        if not systems:
            continue
        opts.append(f'<optgroup label="{esc(task)}">')
        for s in systems:
            if s.split == d.split:
                score = pct(s.result["score"]) if s.result else "–"
                opts.append(f'<option value="{esc(s.key)}">{esc(s.name)} ({score})</option>')
            else:
                opts.append(
                    f'<option value="{esc(s.key)}" disabled>{esc(s.name)} (scored on the '
                    f"{esc(s.split)} split)</option>"
                )
        opts.append("</optgroup>")
    return (
        '<label class="syssel">Show a system\'s predictions and errors: '
        f'<select id="system-select">{"".join(opts)}</select></label>'
    )


def doc_page(site: Site, d: Doc) -> str:
    root = "../"
    rel = site.release
    n_ent = len(rel.entities.get(d.id, []))
    n_ev = sum(len(r["mentions"] or []) for r in rel.events.get(d.id, []))
    n_st = len(rel.stance.get(d.id, []))
    legend = " ".join(
        f'<span class="ent t-{esc(t)}">{esc(t)}</span>' for t in site.labels.entity_types
    )
    panels = []
    for s in site.shown():
        if s.split != d.split or s.analysis is None:
            continue
        stored = s.entry.result
        panels.append(
            f'<section class="sysview" data-system="{esc(s.key)}" data-task="{esc(s.task)}" hidden>'
            f'<h2>{esc(TASK_TITLE[s.task])}: <span class="sysname">{esc(s.name)}</span> on '
            "this document</h2>"
            f'<p class="sub">{esc(s.description)} · {esc(stored.get("main_metric", ""))} on the '
            f"{esc(s.split)} split: {pct(stored.get('score'))} · "
            f'<a href="{root}system/{esc(s.page)}">breakdown of all its errors</a></p>'
            + PANELS[s.task](site, s, d.id, root)
            + "</section>"
        )
    body = (
        f'<h1 lang="{esc(d.language)}" dir="auto">{esc(display_title(d))}</h1>'
        + _meta(site, d)
        + _system_select(site, d)
        + "".join(panels)
        + '<section class="gold">'
        + f'<h2>Gold annotations <span class="sub">{n_ent} entity mentions, {n_ev} event '
        f"mentions, {n_st} stance records</span></h2>"
        + '<p class="legend"><label><input type="checkbox" class="toggle" data-hide="ents" '
        'checked> entities</label> <label><input type="checkbox" class="toggle" '
        'data-hide="trigs" checked> event triggers</label> <label><input type="checkbox" '
        'class="toggle" data-hide="evid"> all stance evidence</label> · '
        f"{legend} · hover a span for its type and canonical id, click it for the entity</p>"
        + f'<div class="doctext goldtext" id="text" lang="{esc(d.language)}" dir="auto">'
        + render_text(d.text, gold_marks(site, d.id, root))
        + "</div>"
        + "<h2>Stance records by holder</h2>"
        + '<p class="legend">Point at a record to highlight its evidence in the text.</p>'
        + _stance_list(site, d.id, root)
        + "<h2>Events</h2>"
        + _event_table(site, d.id, root)
        + "</section>"
    )
    return layout(site, display_title(d), body, root, "document")


# --------------------------------------------------------------------------- entities


def entity_index(site: Site) -> str:
    root = "../"
    rows = []
    for cid in site.entity_ids():
        reg = site.registry.get(cid) or {}
        docs = {d for d, _ in site.mentions.get(cid, [])}
        etype = reg.get("type") or (
            site.mentions[cid][0][1]["type"] if cid in site.mentions else "–"
        )
        rows.append(
            f'<tr data-type="{esc(etype)}">'
            f'<td><a href="{esc(slug(cid))}.html"><code>{esc(cid)}</code></a></td>'
            f"<td>{esc(site.name(cid))}</td><td>{esc(etype)}</td>"
            f"{num(len(site.mentions.get(cid, [])))}{num(len(docs))}"
            f"{num(len(site.stances.get(cid, [])))}{num(len(site.events.get(cid, [])))}</tr>"
        )
    body = (
        "<h1>Canonical entities</h1>"
        "<p>Every canonical id that occurs in the release (as a mention, a stance holder or an "
        "event participant), with its names from the registry.</p>"
        + '<table class="entities"><thead><tr><th>canonical id</th><th>name</th><th>type</th>'
        "<th>mentions</th><th>documents</th><th>stances held</th><th>event roles</th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    return layout(site, "entities", body, root, "entities")


def entity_page(site: Site, cid: str) -> str:
    root = "../"
    rel = site.release
    reg = site.registry.get(cid) or {}
    names = reg.get("names") or {}
    aliases: dict[str, list[str]] = {}
    for a in reg.get("aliases") or []:
        if isinstance(a, dict) and a.get("name"):
            aliases.setdefault(str(a.get("lang") or "?"), []).append(str(a["name"]))
    langs = sorted(set(names) | set(aliases))
    name_rows = [
        [
            esc(lang),
            esc(", ".join(str(n) for n in names.get(lang) or [])) or "–",
            esc(", ".join(x for x in aliases.get(lang, []) if x not in (names.get(lang) or [])))
            or "–",
        ]
        for lang in langs
    ]
    names_html = (
        table(["language", "registry names", "other aliases"], name_rows, "names")
        if name_rows
        else "<p>Not in the registry: no names recorded.</p>"
    )
    info = []
    if reg.get("type"):
        info.append(f"type {esc(reg['type'])}")
    if reg.get("wikidata"):
        info.append(f"Wikidata {esc(reg['wikidata'])}")
    if reg.get("description"):
        info.append(esc(reg["description"]))
    m_rows = []
    for d, e in site.mentions.get(cid, []):
        doc = rel.docs[d]
        m_rows.append(
            [
                f'<a href="{doc_url(root, d, anchor="#ent-" + esc(e["id"]))}">{esc(d)}</a>',
                esc(doc.language),
                esc(doc.split),
                esc(e["type"]),
                f'<span dir="auto">{site.in_context(d, int(e["start"]), int(e["end"]))}</span>',
            ]
        )
    s_rows = []
    for st in site.stances.get(cid, []):
        d = st["doc_id"]
        s_rows.append(
            [
                f'<a href="{doc_url(root, d)}">{esc(d)}</a>',
                f'<span class="lab l-{esc(st["label"])}">{esc(st["label"])}</span>',
                esc(st["attribution"]),
                esc(st["target"]),
                f'<span dir="auto">{esc(st["evidence"])}</span>',
            ]
        )
    e_rows = []
    for d, m, role in site.events.get(cid, []):
        lang = rel.docs[d].language
        others = "; ".join(
            f"{r}: " + (", ".join(site.entity_link(c, root, lang) for c in m.get(r) or []) or "–")
            for r in ("sources", "targets")
        )
        e_rows.append(
            [
                f'<a href="{doc_url(root, d, anchor="#ev-" + esc(m["id"]))}">{esc(d)}</a>',
                esc(role),
                esc(m["type"]),
                esc(m["trigger"]),
                esc(m["factuality"]),
                others,
            ]
        )
    body = (
        f"<h1>{esc(site.name(cid))} <code>{esc(cid)}</code></h1>"
        + (f"<p>{' · '.join(info)}</p>" if info else "")
        + "<h2>Names</h2>"
        + names_html
        + f"<h2>Mentions ({len(m_rows)})</h2>"
        + (
            table(["document", "language", "split", "type", "in context"], m_rows, "mentions")
            if m_rows
            else "<p>No mentions.</p>"
        )
        + f"<h2>Stances held ({len(s_rows)})</h2>"
        + (
            table(["document", "label", "attribution", "target", "evidence"], s_rows, "stances")
            if s_rows
            else "<p>None.</p>"
        )
        + f"<h2>Events as source or target ({len(e_rows)})</h2>"
        + (
            table(["document", "role", "type", "trigger", "factuality", "participants"], e_rows)
            if e_rows
            else "<p>None.</p>"
        )
    )
    return layout(site, site.name(cid), body, root, "entities")


# --------------------------------------------------------------------------- systems


def _status(s: System) -> str:
    if s.shown:
        return "shown on the documents"
    return f"not shown: {esc(s.note)}"


def systems_index(site: Site) -> str:
    root = "../"
    parts = [
        "<h1>Systems</h1>",
        "<p>Every leaderboard entry. A system whose predictions file is found (unchanged since "
        "it was scored) and that was scored on the current release is re-scored here with the "
        "scorer and its errors are shown on the document pages; its breakdown page counts "
        "every bucket.</p>",
    ]
    for task in ("ner", "stance", "events"):
        systems = [s for s in site.systems if s.task == task]
        parts.append(f'<h2 id="{task}">{esc(TASK_TITLE[task])} ({esc(task)})</h2>')
        if not systems:
            parts.append("<p>No entries.</p>")
            continue
        rows = []
        for s in systems:
            a = s.analysis
            counts = (
                f"{sum(a.totals_gold.values())} gold, "
                + (f"{sum(a.totals_pred.values())} predicted, " if a.totals_pred else "")
                + f"{a.totals_gold.get(E.CORRECT, 0)} correct"
                if a
                else "–"
            )
            rows.append(
                f'<tr data-system="{esc(s.key)}" data-status="{esc(s.status)}">'
                f'<td><a href="{esc(s.page)}">{esc(s.name)}</a></td>'
                f"<td>{esc(s.entry.result.get('main_metric', ''))} "
                f"{pct(s.entry.result.get('score'))}</td>"
                f"<td>{esc(s.split)}</td><td>{esc(counts)}</td><td>{_status(s)}</td>"
                f'<td class="desc">{esc(s.description)}</td></tr>'
            )
        parts.append(
            '<table class="systems"><thead><tr><th>system</th><th>stored score</th>'
            "<th>split</th><th>decisions</th><th>status</th><th>description</th></tr></thead>"
            "<tbody>" + "".join(rows) + "</tbody></table>"
        )
        plot = site.system_plots.get(task)
        if plot:
            parts.append(
                f'<figure><img src="{root}img/{esc(plot)}" alt="F1 per type or label of every '
                f'{esc(task)} system"></figure>'
            )
    return layout(site, "systems", "".join(parts), root, "systems")


def _bucket_table(name: str, buckets: list[E.Bucket], a: E.Analysis, stance: bool) -> str:
    if not buckets:
        return "<p>No decisions.</p>"
    gold_only = buckets[0].pred is None
    err_g = [c for c in a.categories_gold if c != E.CORRECT]
    err_p = [c for c in a.categories_pred if c != E.CORRECT and c not in err_g]
    if stance:
        head = [name, "records", "correct", "accuracy", *err_g]
    elif gold_only:
        head = [name, "gold", "correct", "recall", *err_g]
    else:
        head = [name, "gold", "predicted", "correct", "precision", "recall", "F1", *err_g, *err_p]
    rows = []
    for b in buckets:
        cells = [f'<td class="bucket">{esc(b.name)}</td>', num(b.gold, "gold")]
        if not gold_only:
            cells.append(num(b.pred, "pred"))
        cells.append(num(b.tp, "tp"))
        if gold_only:
            cells.append(f'<td class="num">{pct(b.recall)}</td>')
        else:
            cells += [f'<td class="num">{pct(x)}</td>' for x in (b.precision, b.recall, b.f1)]
        cells += [num(b.gold_categories.get(c, 0), E.css_name(c)) for c in err_g]
        if not gold_only:
            cells += [num(b.pred_categories.get(c, 0), E.css_name(c)) for c in err_p]
        rows.append(cells)
    attrs = f' data-breakdown="{esc(name)}"'
    return table(head, rows, "breakdown", attrs)


def _scorer_table(s: System) -> str:
    r = s.result or {}
    key = "per_type" if "per_type" in r else "per_label"
    rows = [
        [
            esc(k),
            num(v["support"]),
            num(v["predicted"]),
            num(v["tp"]),
            *(f'<td class="num">{pct(v[m])}</td>' for m in ("precision", "recall", "f1")),
        ]
        for k, v in (r.get(key) or {}).items()
        if v["support"] or v["predicted"]
    ]
    metrics = " · ".join(f"{esc(k)} {pct(v)}" for k, v in (r.get("metrics") or {}).items())
    return f"<p>The scorer on the current release: {metrics}.</p>" + table(
        [key.replace("_", " "), "support", "predicted", "tp", "P", "R", "F1"], rows, "scorer"
    )


def _error_list(site: Site, s: System) -> str:
    a = s.analysis
    assert a is not None
    root = "../"
    rows = []
    if s.task == "ner":
        by_key = {it.key: it for it in a.items}
        for it in a.items:
            if it.category == E.CORRECT or (it.side == "pred" and it.category != E.SPURIOUS):
                continue
            p = [by_key[k] for k in it.partners] if it.side == "gold" else [it]
            g = [it] if it.side == "gold" else []
            rows.append(
                [
                    f'<a href="{doc_url(root, it.doc_id, s.key)}">{esc(it.row_id)}</a>',
                    f'<span class="cat c-{esc(E.css_name(it.category))}">{esc(it.category)}</span>',
                    "<br>".join(f"{esc(x.text)} <span class=sub>{esc(x.type)}</span>" for x in g)
                    or "–",
                    "<br>".join(f"{esc(x.text)} <span class=sub>{esc(x.type)}</span>" for x in p)
                    or "–",
                    esc(it.in_train or "–"),
                ]
            )
        head = ["sentence", "error", "gold", "predicted", "canonical id in train"]
    elif s.task == "stance":
        for it in a.items:
            if it.category == E.CORRECT:
                continue
            lang = site.release.docs[it.doc_id].language
            rows.append(
                [
                    f'<a href="{doc_url(root, it.doc_id, s.key)}">{esc(it.row_id)}</a>',
                    site.entity_link(it.holder, root, lang) if it.holder else "the outlet",
                    esc(it.attribution),
                    esc(it.gold),
                    esc(it.pred),
                ]
            )
        head = ["record", "holder", "attribution", "gold", "predicted"]
    else:
        for it in a.items:
            if it.category == E.CORRECT:
                continue
            rows.append(
                [
                    f'<a href="{doc_url(root, it.doc_id, s.key)}">{esc(it.row_id)}</a>',
                    f'<span class="cat c-{esc(E.css_name(it.category))}">{esc(it.category)}</span>',
                    esc(it.type),
                    esc(it.factuality or "–"),
                ]
            )
        head = ["sentence", "error", "type", "gold factuality"]
    if not rows:
        return "<p>No errors.</p>"
    return table(head, rows, "errors")


def system_page(site: Site, s: System) -> str:
    root = "../"
    r = s.entry.result
    ci = (r.get("ci") or {}).get(r.get("main_metric", ""))
    reason = r.get("ci_undefined")  # scorer 2.0.0: why there is no interval (e.g. one document)
    if ci:
        ci_txt = f" (95% CI {pct(ci[0])}–{pct(ci[1])})"
    else:
        ci_txt = f" · 95% CI {esc(reason)}" if isinstance(reason, str) and reason else ""
    head = (
        f'<h1>{esc(TASK_TITLE[s.task])}: <span class="sysname">{esc(s.name)}</span></h1>'
        f'<p class="desc">{esc(s.description)}</p>'
        '<table class="meta">'
        f'<tr><th scope="row">leaderboard score</th><td>{esc(r.get("main_metric", ""))} '
        f"{pct(r.get('score'))}{ci_txt}</td></tr>"
        f'<tr><th scope="row">signature</th><td><code>{esc(r.get("signature", ""))}</code>'
        "</td></tr>"
        f'<tr><th scope="row">added</th><td>{esc(s.entry.added)}</td></tr>'
        f'<tr><th scope="row">predictions</th><td><code>{esc(s.entry.predictions_file)}</code>'
        f" sha256 {esc(str(r.get('predictions_sha256', ''))[:12])}</td></tr>"
        f'<tr><th scope="row">status</th><td>{_status(s)}</td></tr>'
        "</table>"
    )
    if not s.shown or s.analysis is None:
        return layout(site, s.name, head, root, "systems")
    a = s.analysis
    fresh = s.result["score"] if s.result else None
    agree = ""
    if fresh is not None and r.get("score") is not None and abs(fresh - float(r["score"])) > 1e-12:
        agree = (
            '<p class="warn">The scorer now gives '
            f"{pct(fresh)} on these predictions, not the stored {pct(r.get('score'))}: the "
            "entry was scored by another scorer version; re-add it to update it.</p>"
        )
    plot = site.system_plots.get(s.key)
    parts = [
        head,
        agree,
        '<h2 id="categories">Errors by category</h2>',
        _counts_table(site, a.totals_gold, a.totals_pred, a.categories_gold, a.categories_pred),
        _scorer_table(s),
    ]
    if a.confusion:
        labs = list(a.confusion)
        parts.append("<h3>Confusion (rows gold, columns predicted)</h3>")
        parts.append(
            table(
                ["gold \\ predicted", *labs],
                [[esc(g), *(num(a.confusion[g][p]) for p in labs)] for g in labs],
                "confusion",
            )
        )
    parts.append('<h2 id="breakdowns">Breakdowns</h2>')
    parts.append(
        "<p>Every bucket with its count: a score on a handful of items says little. "
        + (
            "Predicted spans have no canonical id, so that breakdown counts gold spans only "
            "(recall). "
            if s.task == "ner"
            else ""
        )
        + (
            "Factuality belongs to gold mentions, so that breakdown counts gold types only "
            "(recall); a type with mentions of several factualities in one sentence is "
            "&quot;mixed&quot;. "
            if s.task == "events"
            else ""
        )
        + "</p>"
    )
    if plot:
        parts.append(f'<figure><img src="{root}img/{esc(plot)}" alt="breakdowns"></figure>')
    for name, buckets in a.breakdowns.items():
        parts.append(f"<h3>By {esc(name)}</h3>")
        parts.append(_bucket_table(name, buckets, a, s.task == "stance"))
    parts.append('<h2 id="errors">Every error</h2>')
    parts.append(_error_list(site, s))
    return layout(site, s.name, "".join(parts), root, "systems")
