"""Adjudication of two annotation sets into gold.

1. `list_disagreements`: for every document in both sets, the items both made identically
   (agreed) and every difference, numbered d0001, d0002, … by document, then layer
   (entities, stances, events), then text order.
2. The adjudicator decides each difference in a decisions file (by hand, or pulled from a Label
   Studio review project): `{"decisions": [{"id", "choice": "a"|"b"|"neither"|"edited",
   "item" (the final item, only when edited), "reason", "by"}]}`.
3. `apply_decisions`: agreed items + decided items = the gold annotation of each document (item
   ids renumbered e1…, s1…, v1… in text order: ids are local to a file and A's and B's collide).
4. `write_gold`: the gold files are checked with rukp.validate's checks in a staging folder and
   renamed into the gold folder; a gold file that exists with other content is replaced only
   with `force` (after a backup copy); `append_log` adds the round to ADJUDICATION.md.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rukp.adjudicate.compare import LAYERS, Comparison, compare_documents, describe, span_of
from rukp.errors import Incident, RukpError
from rukp.io import atomic_open
from rukp.paths import repo_root
from rukp.safeio import present, read_bytes, read_json, read_text, shown
from rukp.sets import REGISTRY_NAME, dumps_annotation
from rukp.validate.loaders import display_path

CHOICES = ("a", "b", "neither", "edited")
ID_PREFIX = {"entities": "e", "stances": "s", "events": "v"}
AGREED = "agreed"


@dataclass(slots=True)
class Listing:
    """What two sets agree and disagree on."""

    set_a: Path
    set_b: Path
    common: list[str]
    only_a: list[str]
    only_b: list[str]
    comparisons: dict[str, Comparison]
    headers: dict[str, dict[str, Any]]  # doc_id -> doc_id, text_sha256, guidelines_version
    items: list[dict[str, Any]] = field(default_factory=list)  # disagreements.json items

    def counts(self) -> dict[str, int]:
        return {
            layer: sum(len(c.agreed[layer]) for c in self.comparisons.values()) for layer in LAYERS
        }


def set_name(path: Path) -> str:
    """A set folder as recorded in the files this module writes: relative to the checkout when
    inside it (the same from any working directory), else absolute."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(repo_root()).as_posix()
    except (ValueError, FileNotFoundError):
        return str(resolved)


def _version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v))


def list_disagreements(
    set_a: Path, set_b: Path, ann_a: dict[str, dict], ann_b: dict[str, dict]
) -> Listing:
    """Compare the documents both sets hold; refuses documents annotated on different texts."""
    common = sorted(set(ann_a) & set(ann_b))
    problems = [
        Incident(
            "text-sha256-differs",
            f"set A annotated text {ann_a[d]['text_sha256'][:12]}…, set B "
            f"{ann_b[d]['text_sha256'][:12]}…: the two cannot be compared",
            file=display_path(Path(set_b) / f"{d}.json"),
            location="$.text_sha256",
            doc_id=d,
            hint="re-anchor the older set (`rukp reanchor --gold SET`) or annotate again",
        )
        for d in common
        if ann_a[d]["text_sha256"] != ann_b[d]["text_sha256"]
    ]
    if problems:
        raise RukpError(*problems)
    listing = Listing(
        Path(set_a),
        Path(set_b),
        common,
        sorted(set(ann_a) - set(ann_b)),
        sorted(set(ann_b) - set(ann_a)),
        {},
        {},
    )
    for d in common:
        a, b = ann_a[d], ann_b[d]
        listing.comparisons[d] = compare_documents(d, a, b)
        versions = {a["guidelines_version"], b["guidelines_version"]}
        listing.headers[d] = {
            "doc_id": d,
            "text_sha256": a["text_sha256"],
            "guidelines_version": max(versions, key=_version_key),
        }
        for diff in listing.comparisons[d].differences:
            listing.items.append(
                {
                    "id": f"d{len(listing.items) + 1:04d}",
                    "doc_id": d,
                    "layer": diff.layer,
                    "kind": diff.kind,
                    "a": diff.a,
                    "b": diff.b,
                }
            )
    return listing


def disagreements_json(listing: Listing) -> dict[str, Any]:
    """The disagreements file (the interface with the Label Studio review)."""
    return {"a": set_name(listing.set_a), "b": set_name(listing.set_b), "items": listing.items}


def decisions_template(listing: Listing) -> dict[str, Any]:
    """A decisions file to fill in by hand: one entry per disagreement, choice left empty."""
    return {
        "decisions": [
            {"id": it["id"], "choice": "", "reason": "", "by": ""} for it in listing.items
        ]
    }


def agreed_documents(listing: Listing, annotator: str = AGREED) -> dict[str, dict[str, Any]]:
    """What both sets agree on, as an annotation set (items renumbered)."""
    out = {}
    for d, comp in listing.comparisons.items():
        doc = _header(listing, d, annotator, "items both annotators made identically")
        for layer in LAYERS:
            doc[layer] = _renumber(layer, [dict(x) for x in comp.agreed[layer]])
        out[d] = doc
    return out


def _header(listing: Listing, doc_id: str, annotator: str, what: str) -> dict[str, Any]:
    h = listing.headers[doc_id]
    return {
        "doc_id": doc_id,
        "text_sha256": h["text_sha256"],
        "annotator": annotator,
        "guidelines_version": h["guidelines_version"],
        "notes": f"{what}: adjudicated with `rukp adjudicate` from {set_name(listing.set_a)} and "
        f"{set_name(listing.set_b)}; decisions in annotations/ADJUDICATION.md",
    }


def _sort_key(layer: str, item: dict[str, Any]) -> tuple:
    start, end = span_of(layer, item)
    return (start, end, json.dumps(item, sort_keys=True, ensure_ascii=False))


def _without_id(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "id"}


def _renumber(layer: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = sorted(items, key=lambda x: _sort_key(layer, _without_id(x)))
    out = []
    for k, item in enumerate(items, 1):
        rest = {key: v for key, v in item.items() if key != "id"}
        out.append({"id": f"{ID_PREFIX[layer]}{k}", **rest})
    return out


@dataclass(slots=True)
class Decided:
    item: dict[str, Any]  # the disagreement
    choice: str
    final: dict[str, Any] | None
    reason: str
    by: str


def read_decisions(path: Path) -> list[Any]:
    """The `decisions` list of a decisions file (read through rukp.safeio)."""
    data = read_json(
        path,
        "adjudication",
        missing=("decisions-unreadable", "check the path of --decisions"),
    )
    if not isinstance(data, dict) or not isinstance(data.get("decisions"), list):
        raise RukpError.single(
            "decisions-unreadable",
            'expected {"decisions": [{"id", "choice", "reason", "by"}, …]}',
            file=shown(path),
            location="$.decisions",
        )
    return data["decisions"]


def check_decisions(listing: Listing, decisions: list[Any], file: str) -> list[Decided]:
    """Every disagreement decided exactly once, with a known choice, a reason and a name."""
    items = {it["id"]: it for it in listing.items}
    problems: list[Incident] = []
    seen: dict[str, int] = {}
    out: list[Decided] = []

    def bad(id_: str, k: int | None, message: str, hint: str, doc_id: str | None = None) -> None:
        loc = f"$.decisions[{k}]" if k is not None else "$.decisions"
        problems.append(Incident(id_, message, file, loc, doc_id, hint))

    for k, dec in enumerate(decisions):
        if not isinstance(dec, dict) or not isinstance(dec.get("id"), str):
            bad("decision-invalid", k, "a decision is an object with a string id", "see docs")
            continue
        did = dec["id"]
        item = items.get(did)
        if item is None:
            bad(
                "decision-unknown-id",
                k,
                f"no disagreement {did!r} in this listing",
                "decide the ids of disagreements.json; list again if the sets changed",
            )
            continue
        if did in seen:
            bad("decision-duplicate", k, f"{did} decided again (first at [{seen[did]}])",
                "keep one decision per disagreement", item["doc_id"])  # fmt: skip
            continue
        seen[did] = k
        choice = dec.get("choice")
        reason = dec.get("reason")
        by = dec.get("by")
        final: dict[str, Any] | None = None
        ok = True
        if choice not in CHOICES:
            bad("decision-bad-choice", k, f"{did}: choice {choice!r}; allowed: "
                + ", ".join(CHOICES), "a = A's version, b = B's, neither = none, "
                "edited = the item given in `item`", item["doc_id"])  # fmt: skip
            ok = False
        elif choice == "edited":
            if not isinstance(dec.get("item"), dict):
                bad("decision-item-missing", k, f"{did}: choice edited without an `item`",
                    "give the final item as it goes into the gold", item["doc_id"])  # fmt: skip
                ok = False
            else:
                final = dict(dec["item"])
        elif "item" in dec:
            bad("decision-item-unexpected", k, f"{did}: `item` given with choice {choice!r}",
                "give `item` only with choice edited", item["doc_id"])  # fmt: skip
            ok = False
        else:
            final = item["a"] if choice == "a" else item["b"] if choice == "b" else None
        for key, value in (("reason", reason), ("by", by)):
            if not isinstance(value, str) or not value.strip():
                bad(f"decision-{key}-missing", k, f"{did}: no {key}",
                    "every decision says why and who decided", item["doc_id"])  # fmt: skip
                ok = False
        if ok:
            out.append(Decided(item, str(choice), final, str(reason).strip(), str(by).strip()))
    for did, item in items.items():
        if did not in seen:
            problems.append(
                Incident(
                    "decision-missing",
                    f"{did} ({item['layer']}, {item['kind']}) is not decided",
                    file,
                    "$.decisions",
                    item["doc_id"],
                    "decide every disagreement (a, b, neither or edited)",
                )
            )
    if problems:
        raise RukpError(*problems)
    return out


def gold_documents(
    listing: Listing, decided: list[Decided]
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, int], str]]:
    """The gold annotation of every common document, and where each gold item came from:
    (doc_id, layer, index) → "agreed" or a decision id."""
    by_doc: dict[str, list[Decided]] = {}
    for d in decided:
        by_doc.setdefault(d.item["doc_id"], []).append(d)
    docs: dict[str, dict[str, Any]] = {}
    origin: dict[tuple[str, str, int], str] = {}
    for doc_id, comp in listing.comparisons.items():
        doc = _header(listing, doc_id, "gold", "gold")
        for layer in LAYERS:
            tagged = [(dict(x), "agreed") for x in comp.agreed[layer]]
            tagged += [
                (dict(d.final), d.item["id"])
                for d in by_doc.get(doc_id, [])
                if d.item["layer"] == layer and d.final is not None
            ]
            tagged.sort(
                key=lambda t: _sort_key(layer, {k: v for k, v in t[0].items() if k != "id"})
            )
            doc[layer] = _renumber(layer, [t[0] for t in tagged])
            for k, (_, src) in enumerate(tagged):
                origin[(doc_id, layer, k)] = src
        docs[doc_id] = doc
    return docs, origin


@dataclass(slots=True)
class GoldWrite:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    backup: str | None = None


_LOC = re.compile(r"^\$\.(entities|stances|events)\[(\d+)\]")


def write_gold(
    docs: dict[str, dict[str, Any]],
    out: Path,
    documents_path: Path,
    *,
    force: bool = False,
    origin: dict[tuple[str, str, int], str] | None = None,
    now: datetime | None = None,
) -> GoldWrite:
    """Validate the gold files with rukp.validate in a staging folder beside `out`, then rename
    them into `out`. Nothing is written when a check fails or when an existing gold file would
    change without `force`."""
    from rukp.validate import validate_paths

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.adjudicate-", dir=out.parent))
    result = GoldWrite()
    try:
        if present(out / REGISTRY_NAME):  # the gold's own registry governs the check too
            data = read_bytes(out / REGISTRY_NAME, "registry")
            (stage / REGISTRY_NAME).write_bytes(data)
        texts = {d: dumps_annotation(doc) for d, doc in sorted(docs.items())}
        for d, text in texts.items():
            (stage / f"{d}.json").write_text(text, encoding="utf-8")
        errors = [
            i for i in validate_paths([stage], documents_path) if i.level == "error"
        ]  # fmt: skip
        if errors:
            raise RukpError(*(_relocate(i, stage, out, origin or {}) for i in errors))
        changed = []
        for d, text in texts.items():
            target = out / f"{d}.json"
            if present(target) and read_bytes(target, "annotation") == text.encode("utf-8"):
                result.unchanged.append(str(target))
            else:
                changed.append(d)
        existing = [d for d in changed if (out / f"{d}.json").exists()]
        if existing and not force:
            raise RukpError(
                *(
                    Incident(
                        "gold-exists",
                        "a gold file with other content exists; it is never overwritten silently",
                        display_path(out / f"{d}.json"),
                        doc_id=d,
                        hint="adjudicate into another folder and compare (`rukp diff`), or pass "
                        "--force to replace it (a backup copy of the gold folder is kept)",
                    )
                    for d in existing
                )
            )
        if existing:
            stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
            backup = out.parent / ".backup" / f"{out.name}-{stamp}"
            shutil.copytree(out, backup)
            result.backup = str(backup)
        out.mkdir(parents=True, exist_ok=True)
        for d in changed:
            os.replace(stage / f"{d}.json", out / f"{d}.json")
            result.written.append(str(out / f"{d}.json"))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return result


def _relocate(
    inc: Incident, stage: Path, out: Path, origin: dict[tuple[str, str, int], str]
) -> Incident:
    """An incident of the staged file, told about the gold file (and the decision behind it)."""
    file = inc.file
    if file:
        name = Path(file).name
        if Path(file).parent.resolve() == stage.resolve():
            file = display_path(out / name)
    message = inc.message
    m = _LOC.match(inc.location or "")
    if m and inc.doc_id:
        src = origin.get((inc.doc_id, m[1], int(m[2])))
        if src:
            message += (
                f" (item from {'the agreed items' if src == 'agreed' else 'decision ' + src})"
            )
    return dataclasses.replace(inc, file=file, message=message)


def next_round(log_text: str) -> int:
    """The number of the next round: one more than the last `## Round N` heading (the log's
    first, unnumbered part is round 1)."""
    numbers = [int(n) for n in re.findall(r"^## Round (\d+)", log_text, re.M)]
    if numbers:
        return max(numbers) + 1
    return 2 if log_text.strip() else 1


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def round_section(
    listing: Listing,
    decided: list[Decided],
    out: Path,
    number: int,
    date: str,
    gold: dict[str, dict[str, Any]],
) -> str:
    """The Markdown section one adjudication round appends to ADJUDICATION.md."""
    agreed = listing.counts()
    who: dict[str, int] = {}
    for d in decided:
        who[d.by] = who.get(d.by, 0) + 1
    totals = {layer: sum(len(g[layer]) for g in gold.values()) for layer in LAYERS}
    lines = [
        f"## Round {number} ({date}, `rukp adjudicate`): {set_name(listing.set_a)} vs "
        f"{set_name(listing.set_b)} → {set_name(out)}",
        "",
        "Written by `rukp adjudicate`; decisions as given in the decisions file.",
        f"Documents: {', '.join(listing.common) or 'none'}"
        + (f"; only in A (not adjudicated): {', '.join(listing.only_a)}" if listing.only_a else "")
        + (f"; only in B (not adjudicated): {', '.join(listing.only_b)}" if listing.only_b else "")
        + ".",
        "Accepted as both made them: "
        + ", ".join(f"{agreed[layer]} {layer}" for layer in LAYERS)
        + f". Disagreements decided: {len(decided)}"
        + (
            " (" + ", ".join(f"{n} by {name}" for name, n in sorted(who.items())) + ")"
            if who
            else ""
        )
        + ".",
        "Gold of these documents after the round: "
        + ", ".join(f"{totals[layer]} {layer}" for layer in LAYERS)
        + ".",
        "",
    ]
    if decided:
        lines += [
            "| id | doc | layer | kind | A | B | decision | gold | reason | by |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for d in decided:
            it = d.item
            lines.append(
                "| "
                + " | ".join(
                    _cell(x)
                    for x in (
                        it["id"],
                        it["doc_id"],
                        it["layer"],
                        it["kind"],
                        describe(it["layer"], it["a"]),
                        describe(it["layer"], it["b"]),
                        d.choice,
                        describe(it["layer"], d.final),
                        d.reason,
                        d.by,
                    )
                )
                + " |"
            )
        lines.append("")
    return "\n".join(lines)


def read_log(log: Path) -> str:
    """The adjudication log's text ("" when there is none yet), read through rukp.safeio."""
    return read_text(log, "adjudication") if present(log) else ""


def append_log(log: Path, section: str, old: str | None = None) -> None:
    """Append a round section to the adjudication log (atomically); `old` is the log's text
    as read before the gold was written (read now when not given)."""
    old = read_log(log) if old is None else old
    if old and not old.endswith("\n"):
        old += "\n"
    with atomic_open(Path(log)) as f:
        f.write(old + ("\n" if old else "") + section)


def load_stored(path: Path) -> dict[str, Any]:
    """The listing stored by the run without --decisions (read through rukp.safeio)."""
    data = read_json(
        path,
        "adjudication",
        missing=(
            "disagreements-missing",
            "run `rukp adjudicate A B --out GOLD` without --decisions first (it lists them)",
        ),
    )
    return data if isinstance(data, dict) else {}


def check_unchanged(listing: Listing, stored: dict[str, Any], file: str) -> None:
    """The decisions were made on the listing stored in disagreements.json: refuse when the
    sets changed since (the ids would name other items)."""
    listed = stored.get("items")
    if listed != json.loads(json.dumps(listing.items)):
        count = len(listed) if isinstance(listed, list) else "none"
        raise RukpError.single(
            "disagreements-changed",
            f"the sets no longer give the disagreements listed in this file ({len(listing.items)} "
            f"now, {count} listed)",
            file=file,
            hint="one of the sets changed after the listing: list again (run without "
            "--decisions) and decide the new list",
        )
