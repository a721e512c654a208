"""Adjudication in Label Studio: disagreements.json -> review tasks -> decisions.json.

`rukp adjudicate A B --out gold` writes the agreed items (`agreed/`) and `disagreements.json` into
its work folder (default build/adjudication/<A>-<B>/):
{"a": <set path>, "b": <set path>, "items": [{"id", "doc_id", "layer", "kind", "a", "b"}]}, where
`a`/`b` is the item as set A/B has it (or null). Here every document with disagreements becomes
one review task:

- predictions "A: <set a>" and "B: <set b>" show each set's version of the disputed items, and
  the working copy "review: A+B" holds both versions (region ids `<kind>_<item id>-a` / `-b`);
  the agreed items are read-only regions (`<kind>_ctx-<record id>`) in all three;
- the adjudicator deletes the version(s) they reject, edits or redraws where neither is right,
  ticks each item in the checklist (`review_settled`) and may give a reason per region
  (`review_reason`) or per item in the reasons field (`review_reasons`, lines "d0001: ...").

`decisions_from_export` compares the submitted regions with A's and B's items:
`{"decisions": [{"id", "choice": "a"|"b"|"neither"|"edited", "item"?, "reason", "by"}]}`.
An item not ticked, or with both versions (or several regions) left, is an error naming it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rukp.documents import Document
from rukp.errors import Incident, RukpError
from rukp.io import sha256_text, write_json
from rukp.labels import LabelSets, load_labels
from rukp.labelstudio import config as C
from rukp.labelstudio.convert import ID_RE, Where, from_result, to_result
from rukp.labelstudio.importer import parse_export
from rukp.labelstudio.tasks import task_data
from rukp.safeio import read_text, shown

WORKING_VERSION = "review: A+B"
CHOICES = ("a", "b", "neither", "edited")
SIDES = ("a", "b")
CTX = "ctx-"
_REASON_LINE = re.compile(r"^\s*([a-z][a-z0-9_-]*)\s*[:\-–—]\s*(.*)$")
_KIND_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_SPAN_KEY = {"entities": None, "stances": "evidence", "events": "trigger"}


@dataclass(slots=True, frozen=True)
class Disagreement:
    id: str
    doc_id: str
    layer: str  # entities | stances | events
    kind: str
    a: dict[str, Any] | None
    b: dict[str, Any] | None

    def side(self, s: str) -> dict[str, Any] | None:
        return self.a if s == "a" else self.b


@dataclass(slots=True, frozen=True)
class Disagreements:
    a: str
    b: str
    items: tuple[Disagreement, ...]
    file: str | None = None

    def by_doc(self) -> dict[str, list[Disagreement]]:
        out: dict[str, list[Disagreement]] = {}
        for d in self.items:
            out.setdefault(d.doc_id, []).append(d)
        return out


def load_disagreements(path: Path) -> Disagreements:
    """Read and check disagreements.json (the fixed interface of `rukp adjudicate`)."""
    from rukp.labelstudio.data import read_json

    file = str(path)
    data = read_json(Path(path), "adjudication", "disagreements-unreadable")
    incidents: list[Incident] = []

    def bad(loc: str, msg: str) -> None:
        incidents.append(
            Incident(
                id="bad-disagreement",
                message=msg,
                file=file,
                location=loc,
                hint="disagreements.json is written by `rukp adjudicate A B --out GOLD` "
                "(build/adjudication/<A>-<B>/)",
            )
        )

    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise RukpError.single(
            "disagreements-unreadable",
            'expected {"a": <set>, "b": <set>, "items": [...]}',
            file=file,
            location="$",
        )
    for key in ("a", "b"):
        if not isinstance(data.get(key), str) or not data[key]:
            bad(f"$.{key}", f"`{key}` must name set {key.upper()} (a path)")
    items: list[Disagreement] = []
    seen: set[str] = set()
    for i, it in enumerate(data["items"]):
        loc = f"$.items[{i}]"
        if not isinstance(it, dict):
            bad(loc, "an item must be an object")
            continue
        did, doc_id, layer, kind = (it.get(k) for k in ("id", "doc_id", "layer", "kind"))
        if not isinstance(did, str) or not ID_RE.match(did) or did.startswith(CTX):
            bad(f"{loc}.id", f"id {did!r} must look like 'd0001' (lowercase letter first)")
            continue
        if did in seen:
            bad(f"{loc}.id", f"id {did!r} is given twice")
            continue
        seen.add(did)
        if not isinstance(doc_id, str) or not doc_id:
            bad(f"{loc}.doc_id", f"{did}: no doc_id")
            continue
        if layer not in C.LAYERS:
            bad(f"{loc}.layer", f"{did}: layer {layer!r}; allowed: {', '.join(C.LAYERS)}")
            continue
        if not isinstance(kind, str) or not _KIND_RE.match(kind):
            bad(f"{loc}.kind", f"{did}: kind {kind!r} is not a short kebab-case word")
            continue
        sides = {s: it.get(s) for s in SIDES}
        if any(v is not None and not isinstance(v, dict) for v in sides.values()):
            bad(loc, f"{did}: `a` and `b` must be an item object or null")
            continue
        if sides["a"] is None and sides["b"] is None:
            bad(loc, f"{did}: `a` and `b` are both null; nothing to decide")
            continue
        if any(v is not None and not isinstance(v.get("id"), str) for v in sides.values()):
            bad(loc, f"{did}: an item without its record `id`")
            continue
        if sides["a"] is not None and _strip(sides["a"]) == _strip(sides["b"]):
            bad(loc, f"{did}: `a` and `b` are the same item; nothing to decide")
            continue
        wrong = [
            (side, inc)
            for side, rec in sides.items()
            if rec is not None
            for inc in _item_problems(layer, rec)
        ]
        if wrong:
            prefix = len(f"$.{layer}[0]")
            for side, inc in wrong:
                where = f"{loc}.{side}{(inc.location or '')[prefix:]}"
                bad(where, f"{did}: `{side}` is not one of a set's {layer}: {inc.message}")
            continue
        items.append(Disagreement(did, doc_id, layer, kind, sides["a"], sides["b"]))
    if incidents:
        raise RukpError(*incidents)
    return Disagreements(str(data["a"]), str(data["b"]), tuple(items), file)


def _item_problems(layer: str, item: dict[str, Any]) -> list[Incident]:
    """The schema-violation incidents of one item as an item of `layer` of an annotation set
    (schema/annotation.schema.json), located at `$.<layer>[0]…`."""
    from rukp.validate.loaders import schema_incidents

    record = {
        "doc_id": "d",
        "text_sha256": "0" * 64,
        "annotator": "x",
        "guidelines_version": "1.0",
        "entities": [],
        "stances": [],
        "events": [],
    }
    record[layer] = [item]
    return schema_incidents(record, "annotation", "")


def _strip(item: dict[str, Any] | None) -> dict[str, Any] | None:
    """An item without its record id (ids are not part of what annotators decide)."""
    return None if item is None else {k: v for k, v in item.items() if k != "id"}


def _with_layer(layer: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A minimal annotation record holding `items` in one layer (for to_result)."""
    rec: dict[str, Any] = {"entities": [], "stances": [], "events": []}
    rec[layer] = items
    return rec


def _renamed(item: dict[str, Any], new_id: str) -> dict[str, Any]:
    return {**item, "id": new_id}


def _readonly(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**it, "readonly": True} for it in items]


def _agreed_result(agreed: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The agreed items as read-only regions, ids prefixed so they never meet an item id."""
    if agreed is None:
        return []
    out: list[dict[str, Any]] = []
    for layer in C.LAYERS:
        recs = [_renamed(r, f"{CTX}{r['id']}") for r in agreed.get(layer, ())]
        out += _readonly(to_result(_with_layer(layer, recs), (layer,), doc=False))
    return out


def _side_result(items: list[Disagreement], side: str, set_path: str) -> list[dict[str, Any]]:
    """One side's version of the items; the region's meta text (shown in the editor's region
    details) says whose version it is."""
    out: list[dict[str, Any]] = []
    for d in items:
        rec = d.side(side)
        if rec is not None:
            renamed = _renamed(rec, f"{d.id}-{side}")
            meta = {"text": [f"{d.id}: {side.upper()}'s version ({set_path})"]}
            for item in to_result(_with_layer(d.layer, [renamed]), (d.layer,), doc=False):
                out.append({**item, "meta": meta})
    return out


def describe(layer: str, item: dict[str, Any] | None, width: int = 60) -> str:
    """One line a reviewer reads: the span text and the fields of an item."""
    if item is None:
        return "(none)"

    def q(span: dict[str, Any]) -> str:
        t = " ".join(str(span.get("text", "")).split())
        return repr(t if len(t) <= width else t[: width - 1] + "…")

    if layer == "entities":
        return f"{q(item)} {item.get('type')} {item.get('canonical_id') or '-'}"
    if layer == "stances":
        return (
            f"{item.get('label')} {item.get('holder') or 'author'}→{item.get('target')}"
            f" ({item.get('attribution')}) {q(item.get('evidence') or {})}"
        )
    src = ",".join(item.get("sources") or []) or "-"
    tgt = ",".join(item.get("targets") or []) or "-"
    return (
        f"{item.get('type')}/{item.get('mode') or '-'} {q(item.get('trigger') or {})}"
        f" {src}→{tgt} {item.get('factuality')}"
    )


def review_items(items: list[Disagreement]) -> list[dict[str, str]]:
    """The checklist of a task (dynamic choices: the line is shown, the alias is stored)."""
    return [
        {
            "value": f"{d.id} · {d.layer} · {d.kind} — A: {describe(d.layer, d.a)}"
            f" | B: {describe(d.layer, d.b)}",
            "alias": d.id,
        }
        for d in items
    ]


def review_tasks(
    dis: Disagreements,
    documents: dict[str, Document],
    agreed: dict[str, dict[str, Any]] | None = None,
    labels: LabelSets | None = None,
    registry: set[str] | None = None,
) -> list[dict[str, Any]]:
    """One review task per document with disagreements (sorted by doc_id); every item is
    checked against the document text and the labels first, as an import would check it."""
    lb = labels or load_labels()
    agreed = agreed or {}
    incidents: list[Incident] = []
    tasks = []
    for doc_id, items in sorted(dis.by_doc().items()):
        doc = documents.get(doc_id)
        if doc is None:
            incidents.append(
                Incident(
                    id="unknown-document",
                    message=f"{', '.join(d.id for d in items)}: no cleaned document {doc_id!r}",
                    file=dis.file,
                    doc_id=doc_id,
                )
            )
            continue
        ctx = agreed.get(doc_id)
        if ctx is not None and ctx.get("text_sha256") != doc.text_sha256:
            incidents.append(
                Incident(
                    id="text-mismatch",
                    message=f"the agreed record of {doc_id} was made on another text",
                    doc_id=doc_id,
                    hint="run `rukp adjudicate` again on sets anchored on the current text",
                )
            )
            continue
        versions = {s: _side_result(items, s, dis.a if s == "a" else dis.b) for s in SIDES}
        agreed_items = _agreed_result(ctx)
        working = agreed_items + versions["a"] + versions["b"]
        where = Where(dis.file, "$", "-", "review", doc_id, what="disagreements")
        parsed, problems = _parse(working, doc.text, lb, where, registry)
        problems += _check_round_trip(items, ctx, parsed, where)
        if problems:
            incidents.extend(problems)
            continue
        data = task_data(doc)
        data["review_items"] = review_items(items)
        data["review_ids"] = [d.id for d in items]
        data["review_sha256"] = items_sha256(items)
        tasks.append(
            {
                "data": data,
                "predictions": [  # the working copy first: the editor pre-fills from it
                    {"model_version": WORKING_VERSION, "result": working},
                    {"model_version": f"A: {dis.a}", "result": agreed_items + versions["a"]},
                    {"model_version": f"B: {dis.b}", "result": agreed_items + versions["b"]},
                ],
            }
        )
    if incidents:
        raise RukpError(*incidents)
    return tasks


def items_sha256(items: list[Disagreement]) -> str:
    """Identity of a task's disagreements: a review task made for other items is outdated."""
    rows = [[d.id, d.doc_id, d.layer, d.kind, d.a, d.b] for d in items]
    return sha256_text(json.dumps(rows, ensure_ascii=False, sort_keys=True))


def outdated_tasks(existing: list[Any], dis: Disagreements) -> list[Incident]:
    """Tasks already in the review project for these documents but other disagreements (a
    new round): pushing would keep the old task, so it is refused."""
    want = {doc_id: items_sha256(items) for doc_id, items in dis.by_doc().items()}
    out = []
    for data in existing:
        doc_id = data.get("doc_id") if isinstance(data, dict) else None
        if doc_id in want and data.get("review_sha256") != want[doc_id]:
            out.append(
                Incident(
                    id="review-outdated",
                    message=f"the review project holds a task of {doc_id} made for other "
                    f"disagreements ({', '.join(data.get('review_ids') or []) or '?'})",
                    file=dis.file,
                    doc_id=doc_id,
                    hint="use a new --project-title for a new review round",
                )
            )
    return out


def _parse(
    result: Any, text: str, lb: LabelSets, where: Where, registry: set[str] | None
) -> tuple[dict[str, dict[str, Any]], list[Incident]]:
    """Regions of a review result -> {record id: (layer, record)} via the importer's checks."""
    region_of: dict[str, str] = {}
    parts, problems = from_result(
        result,
        text,
        lb,
        where,
        registry,
        cross_checks=False,
        need_guidelines=False,
        region_of=region_of,
    )
    out = {}
    for layer in C.LAYERS:
        for rec in parts.get(layer, ()):
            out[rec["id"]] = {"layer": layer, "record": rec, "region": region_of.get(rec["id"])}
    return out, problems


def _check_round_trip(
    items: list[Disagreement],
    agreed: dict[str, Any] | None,
    parsed: dict[str, dict[str, Any]],
    where: Where,
) -> list[Incident]:
    """Each item (and agreed record) must come back from its regions unchanged: a span text
    that is not the document's text, an unknown label or id is caught here, before the push."""
    out = []
    want: dict[str, tuple[str, dict[str, Any]]] = {}
    for d in items:
        for s in SIDES:
            rec = d.side(s)
            if rec is not None:
                want[f"{d.id}-{s}"] = (f"{d.id}.{s}", rec)
    for layer in C.LAYERS:
        for rec in (agreed or {}).get(layer, ()):
            want[f"{CTX}{rec['id']}"] = (f"agreed {layer} {rec['id']}", rec)
    for rid, (name, rec) in want.items():
        got = parsed.get(rid)
        if got is None or _strip(got["record"]) != _strip(rec):
            out.append(
                Incident(
                    id="bad-disagreement",
                    message=f"{name} of {where.doc_id} does not survive the Label Studio round "
                    "trip (span text not the document's, or a field out of place)",
                    file=where.file,
                    doc_id=where.doc_id,
                )
            )
    return out


def _choice_values(result: list[Any], control: str) -> list[str] | None:
    for item in result:
        if isinstance(item, dict) and item.get("from_name") == control:
            value = item.get("value") or {}
            vals = value.get("choices") if control == C.REVIEW_SETTLED else value.get("text")
            if isinstance(vals, str):
                vals = [vals]
            return [v for v in vals if isinstance(v, str)] if isinstance(vals, list) else None
    return None


def _split_review_controls(
    result: list[Any],
) -> tuple[set[str], dict[str, str], dict[str, str], list[Any]]:
    """(ticked item ids, per-item reasons from the reasons field, per-region reasons, rest)."""
    settled = set(_choice_values(result, C.REVIEW_SETTLED) or [])
    reasons: dict[str, str] = {}
    for line in "\n".join(_choice_values(result, C.REVIEW_REASONS) or []).splitlines():
        m = _REASON_LINE.match(line)
        if m and m.group(2).strip():
            reasons[m.group(1)] = m.group(2).strip()
    per_region: dict[str, str] = {}
    rest = []
    for item in result:
        name = item.get("from_name") if isinstance(item, dict) else None
        if name in (C.REVIEW_SETTLED, C.REVIEW_REASONS):
            continue
        if name == C.REVIEW_REASON:
            text = (item.get("value") or {}).get("text")
            if isinstance(text, str):
                text = [text]
            if isinstance(text, list) and isinstance(item.get("id"), str):
                joined = "\n".join(t for t in text if isinstance(t, str)).strip()
                if joined:
                    per_region[item["id"]] = joined
            continue
        rest.append(item)
    return settled, reasons, per_region, rest


def _overlaps(a: dict[str, Any], b: dict[str, Any] | None, layer: str) -> bool:
    if b is None:
        return False
    key = _SPAN_KEY[layer]
    sa = a if key is None else a[key]
    sb = b if key is None else b[key]
    return sa["start"] < sb["end"] and sb["start"] < sa["end"]


def decide(
    d: Disagreement, finals: list[tuple[str | None, dict[str, Any]]]
) -> tuple[str, dict[str, Any] | None] | str:
    """The decision on one item from the regions left for it: (choice, edited item or None),
    or a message saying why it is unresolved. `finals` are (kept side or None, record)."""
    if len(finals) > 1:
        what = ", ".join(f"{s.upper()}'s version" if s else "a new region" for s, _ in finals)
        return f"{len(finals)} regions remain for it ({what}); keep at most one"
    if not finals:
        if d.a is None:
            return ("a", None)
        if d.b is None:
            return ("b", None)
        return ("neither", None)
    side, rec = finals[0]
    body = _strip(rec)
    if body == _strip(d.a):
        return ("a", None)
    if body == _strip(d.b):
        return ("b", None)
    base = d.side(side) if side else (d.a or d.b)
    assert base is not None
    return ("edited", {"id": base["id"], **body})


def decisions_from_export(
    tasks: list[Any],
    dis: Disagreements,
    documents: dict[str, Document],
    *,
    file: str | None = None,
    labels: LabelSets | None = None,
    registry: set[str] | None = None,
    users: dict[int, str] | None = None,
    by: str | None = None,
) -> list[dict[str, Any]]:
    """The adjudicator's submitted review annotations -> decisions, in the order of the
    disagreements file. Raises RukpError with every unresolved item and every problem."""
    lb = labels or load_labels()
    users = users or {}
    wanted = dis.by_doc()
    incidents: list[Incident] = []
    found: dict[str, dict[str, Any]] = {}
    done_docs: dict[str, Any] = {}

    def bad(id_: str, msg: str, loc: str, doc_id: str | None, hint: str | None = None) -> None:
        incidents.append(
            Incident(id=id_, message=msg, file=file, location=loc, doc_id=doc_id, hint=hint)
        )

    for ti, task in enumerate(tasks):
        tloc = f"$[{ti}]"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("doc_id"), str):
            bad("missing-field", f"task #{ti}: no data.doc_id", tloc, None)
            continue
        tid, doc_id = task.get("id", f"#{ti}"), data["doc_id"]
        items = wanted.get(doc_id)
        if items is None:
            continue  # a document without disagreements (e.g. from an older review round)
        if data.get("review_sha256") != items_sha256(items):
            done_docs[doc_id] = tid
            bad(
                "review-outdated",
                f"task {tid}: made for other disagreements of {doc_id} "
                f"({', '.join(data.get('review_ids') or []) or '?'})",
                f"{tloc}.data",
                doc_id,
                "pull the review project made from this disagreements file",
            )
            continue
        doc = documents.get(doc_id)
        if doc is None or data.get("text_sha256") != doc.text_sha256:
            done_docs[doc_id] = tid  # reported here, not again as unresolved
            bad(
                "text-mismatch",
                f"task {tid}: not the current cleaned text of {doc_id}",
                f"{tloc}.data",
                doc_id,
            )
            continue
        anns = [
            (ai, a)
            for ai, a in enumerate(task.get("annotations") or [])
            if isinstance(a, dict) and not a.get("was_cancelled")
        ]
        if not anns:
            continue  # reported below as unresolved
        if len(anns) > 1:
            done_docs[doc_id] = tid
            bad(
                "duplicate-annotation",
                f"task {tid}: {len(anns)} submitted review annotations "
                f"({', '.join(str(a.get('id')) for _, a in anns)}); one adjudication per task",
                f"{tloc}.annotations",
                doc_id,
                "delete all but the adjudicator's final annotation in Label Studio",
            )
            continue
        ai, ann = anns[0]
        aloc = f"{tloc}.annotations[{ai}]"
        done_docs[doc_id] = tid
        who = by or _who(ann.get("completed_by"), users)
        result = ann.get("result")
        if not isinstance(result, list):
            bad("missing-field", f"task {tid}: annotation without a result list", aloc, doc_id)
            continue
        settled, reasons, region_reasons, rest = _split_review_controls(result)
        where = Where(file, f"{aloc}.result", tid, ann.get("id"), doc_id, what="review")
        parsed, problems = _parse(rest, doc.text, lb, where, registry)
        if problems:
            incidents.extend(problems)
            continue
        ids = {d.id for d in items}
        unknown_ticks = settled - ids
        if unknown_ticks:
            bad(
                "unknown-label",
                f"task {tid}: ticked {sorted(unknown_ticks)}, not disagreements of {doc_id}",
                f"{aloc}.result",
                doc_id,
                f"allowed: {', '.join(sorted(ids))}",
            )
        # which regions belong to which item
        owner: dict[str, list[tuple[str | None, dict[str, Any], str | None]]] = {
            d.id: [] for d in items
        }
        by_id = {d.id: d for d in items}
        for rid, got in sorted(parsed.items()):
            rec, layer, region = got["record"], got["layer"], got["region"]
            if rid.startswith(CTX):
                continue  # agreed, read-only: checked below
            m = re.fullmatch(r"(.+)-([ab])", rid)
            if m and m.group(1) in by_id:
                if by_id[m.group(1)].layer != layer:
                    bad(
                        "misplaced-field",
                        f"task {tid}: region {region!r} of {m.group(1)} is now a {layer} region",
                        f"{aloc}.result",
                        doc_id,
                    )
                    continue
                owner[m.group(1)].append((m.group(2), rec, region))
                continue
            # a region the adjudicator drew: its reason may name the item ("d0003: ..."),
            # else it belongs to the one item of its layer whose versions it overlaps
            named = _REASON_LINE.match(region_reasons.get(region or "", ""))
            if named and named.group(1) in by_id:
                cands = [by_id[named.group(1)]]
            else:
                cands = [
                    d
                    for d in items
                    if d.layer == layer
                    and (_overlaps(rec, d.a, layer) or _overlaps(rec, d.b, layer))
                ]
            if len(cands) != 1 or cands[0].layer != layer:
                bad(
                    "unassigned-region",
                    f"task {tid}: the {layer} region {describe(layer, rec)} (region {region!r}) "
                    f"belongs to {'no' if not cands else 'more than one'} disagreement",
                    f"{aloc}.result",
                    doc_id,
                    "start its reason with the item id (e.g. 'd0003: …'), or delete it",
                )
                continue
            owner[cands[0].id].append((None, rec, region))
        changed = _agreed_changed(task, parsed, rest, doc.text, lb, registry)
        if changed:
            bad(
                "context-changed",
                f"task {tid}: agreed item(s) {changed} were changed; agreed items are not "
                "decided in the review",
                f"{aloc}.result",
                doc_id,
                "start again from the working copy, or settle them in the agreed set",
            )
        for d in items:
            if d.id not in settled:
                bad(
                    "unresolved-disagreement",
                    f"{d.id} ({d.layer}, {d.kind}) in task {tid}: not ticked as settled",
                    f"{aloc}.result",
                    doc_id,
                    "tick it in the checklist once the regions left are the final ones",
                )
                continue
            finals = owner[d.id]
            verdict = decide(d, [(s, r) for s, r, _ in finals])
            if isinstance(verdict, str):
                bad(
                    "unresolved-disagreement",
                    f"{d.id} ({d.layer}, {d.kind}) in task {tid}: {verdict}",
                    f"{aloc}.result",
                    doc_id,
                    "delete the version you reject (both versions left = undecided)",
                )
                continue
            choice, item = verdict
            reason = ""
            for _, _, region in finals:
                text = region_reasons.get(region or "", "")
                m = _REASON_LINE.match(text)
                reason = m.group(2).strip() if m and m.group(1) == d.id else text
            reason = reason or reasons.get(d.id, "")
            dec: dict[str, Any] = {"id": d.id, "choice": choice}
            if item is not None:
                dec["item"] = item
            dec["reason"] = reason
            dec["by"] = who
            found[d.id] = dec
    for d in dis.items:
        if d.doc_id not in done_docs and d.id not in found:
            bad(
                "unresolved-disagreement",
                f"{d.id} ({d.layer}, {d.kind}): the review task of {d.doc_id} has no submitted "
                "annotation",
                "$",
                d.doc_id,
                "submit the review task in Label Studio (rukp ls review push made it)",
            )
    if incidents:
        raise RukpError(*incidents)
    return [found[d.id] for d in dis.items]


def _agreed_changed(
    task: dict[str, Any],
    parsed: dict[str, dict[str, Any]],
    result: list[Any],
    text: str,
    lb: LabelSets,
    registry: set[str] | None,
) -> list[str]:
    """Agreed items are read-only context. Compared with the working copy when the export
    holds full predictions (a snapshot, as `review pull` makes); else a region that lost its
    read-only flag counts as changed."""
    got = {rid: v["record"] for rid, v in parsed.items() if rid.startswith(CTX)}
    for pred in task.get("predictions") or []:
        if isinstance(pred, dict) and pred.get("model_version") == WORKING_VERSION:
            where = Where(None, "$", "-", "-", None)
            want, _ = _parse(pred.get("result"), text, lb, where, registry)
            want_ctx = {rid: v["record"] for rid, v in want.items() if rid.startswith(CTX)}
            return sorted(
                rid[len(CTX) :]
                for rid in set(got) | set(want_ctx)
                if got.get(rid) != want_ctx.get(rid)
            )
    return sorted(
        {
            item["id"].split("_" + CTX, 1)[1]
            for item in result
            if isinstance(item, dict)
            and isinstance(item.get("id"), str)
            and "_" + CTX in item["id"]
            and not item.get("readonly")
        }
    )


def _who(completed_by: Any, users: dict[int, str]) -> str:
    if isinstance(completed_by, dict):
        email, uid = completed_by.get("email"), completed_by.get("id")
    else:
        email, uid = None, completed_by
    return str(email or users.get(uid) or f"user{uid}")


def write_decisions(path: Path, decisions: list[dict[str, Any]]) -> None:
    write_json(Path(path), {"decisions": decisions})


def decisions_from_file(
    export_path: Path,
    dis: Disagreements,
    documents: dict[str, Document],
    **kw: Any,
) -> list[dict[str, Any]]:
    """decisions_from_export on a JSON export file (downloaded by hand or by `review pull`)."""
    raw = read_text(
        export_path,
        "export",
        missing=("export-unreadable", "download the export again (Label Studio: Export -> JSON)"),
    )
    tasks = parse_export(raw, shown(export_path))
    return decisions_from_export(tasks, dis, documents, file=str(export_path), **kw)
