"""Read the build's inputs: cleaned documents, the gold annotation set and the entity registry.

When `rukp.validate` is importable, its checks are run on the gold first and the build refuses
invalid gold; otherwise the minimal checks the build itself needs are done here (span text
equals the document text, label values from schema/labels.json, registry references).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rukp.documents import Document
from rukp.errors import Incident, RukpError
from rukp.labels import LabelSets
from rukp.safeio import present, read_json, shown


@dataclass(slots=True)
class Gold:
    doc_id: str
    text_sha256: str
    path: Path
    entities: list[dict[str, Any]] = field(default_factory=list)
    stances: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def load_registry(path: Path) -> dict[str, dict[str, Any]]:
    """The canonical entity registry keyed by id; an absent file gives an empty registry."""
    path = Path(path)
    if not path.exists():
        return {}
    data = read_json(path, "registry")
    entities = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(entities, list) or not all(
        isinstance(e, dict) and isinstance(e.get("id"), str) for e in entities
    ):
        raise RukpError.single(
            "registry-unreadable",
            "a registry is {'entities': [{'id': ..., ...}, ...]}",
            file=shown(path),
            hint="check it with `rukp validate` (schema/entities.schema.json)",
        )
    return {e["id"]: e for e in entities}


def registry_path_for(gold_dir: Path) -> Path:
    """A set folder's own entities.json takes precedence over annotations/entities.json."""
    own = Path(gold_dir) / "entities.json"
    return own if present(own) else Path(gold_dir).parent / "entities.json"


def _read_annotation(path: Path) -> tuple[dict[str, Any] | None, list[Incident]]:
    """One annotation file read through rukp.safeio; it must hold a JSON object. (The build runs
    rukp.validate on the gold afterwards; `rukp reanchor` checks the schema itself.)"""
    try:
        data = read_json(path, "annotation")
    except RukpError as exc:
        return None, exc.incidents
    if not isinstance(data, dict):
        return None, [
            Incident(
                "schema-violation",
                f"an annotation file holds a JSON object, not {type(data).__name__}",
                shown(path),
                "$",
                hint="make the file match schema/annotation.schema.json",
            )
        ]
    return data, []


def load_gold(gold_dir: Path) -> dict[str, Gold]:
    """Every `<doc_id>.json` of an annotation set folder (entities.json excluded)."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise RukpError.single(
            "gold-missing",
            f"no gold annotation folder at {gold_dir}",
            file=str(gold_dir),
            hint="the adjudicated gold goes in annotations/gold/<doc_id>.json; pass --gold DIR",
        )
    out: dict[str, Gold] = {}
    problems: list[Incident] = []
    for p in sorted(gold_dir.glob("*.json")):
        if p.name == "entities.json" or p.is_dir():
            continue
        raw, found = _read_annotation(p)
        if raw is None:
            problems.extend(found)
            continue
        doc_id = raw.get("doc_id", p.stem)
        out[doc_id] = Gold(
            doc_id=doc_id,
            text_sha256=raw.get("text_sha256", ""),
            path=p,
            entities=list(raw.get("entities", [])),
            stances=list(raw.get("stances", [])),
            events=list(raw.get("events", [])),
            raw=raw,
        )
    if problems:
        raise RukpError(*problems)
    if not out:
        raise RukpError.single(
            "gold-missing",
            f"the gold folder {gold_dir} holds no <doc_id>.json file",
            file=str(gold_dir),
            hint="annotate and adjudicate first (annotations/gold/)",
        )
    return out


def check_drift(gold: dict[str, Gold], docs: dict[str, Document]) -> None:
    """Refuse gold anchored to another version of a document's cleaned text."""
    problems = []
    for doc_id, g in sorted(gold.items()):
        doc = docs.get(doc_id)
        if doc is None:
            problems.append(
                Incident(
                    "gold-without-document",
                    f"gold for {doc_id!r} but no such cleaned document",
                    file=str(g.path),
                    location="$.doc_id",
                    doc_id=doc_id,
                    hint="ingest the raw article or remove the gold file",
                )
            )
        elif g.text_sha256 != doc.text_sha256:
            problems.append(
                Incident(
                    "gold-text-drift",
                    f"gold text_sha256 {g.text_sha256[:12]}… ≠ cleaned text "
                    f"{doc.text_sha256[:12]}…;"
                    " the cleaned text changed since the gold was made",
                    file=str(g.path),
                    location="$.text_sha256",
                    doc_id=doc_id,
                    hint="run `rukp reanchor` to move the spans onto the new text, review its "
                    "report, then build again",
                )
            )
    if problems:
        raise RukpError(*problems)


def check_gold(
    gold: dict[str, Gold],
    docs: dict[str, Document],
    registry: dict[str, dict[str, Any]],
    labels: LabelSets,
) -> None:
    """The checks the build needs: spans match the text, labels known, references resolve."""
    problems: list[Incident] = []

    def bad(id_: str, msg: str, g: Gold, loc: str, hint: str | None = None) -> None:
        problems.append(
            Incident(id_, msg, file=str(g.path), location=loc, doc_id=g.doc_id, hint=hint)
        )

    def span(obj: dict[str, Any], g: Gold, loc: str, text: str) -> None:
        s, e = obj.get("start"), obj.get("end")
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            bad("span-out-of-range", f"span ({s}, {e}) outside 0..{len(text)}", g, loc)
        elif text[s:e] != obj.get("text"):
            bad(
                "span-text-mismatch",
                f"text {obj.get('text')!r} ≠ document text {text[s:e]!r}",
                g,
                loc,
                "the span offsets must index the cleaned text exactly",
            )

    def label(value: Any, allowed: tuple[str, ...], g: Gold, loc: str) -> None:
        if value not in allowed:
            bad("unknown-label", f"unknown label {value!r}; allowed: {', '.join(allowed)}", g, loc)

    def ref(value: Any, g: Gold, loc: str) -> None:
        if registry and value is not None and value not in registry:
            bad("unknown-canonical-id", f"{value!r} is not in the entity registry", g, loc)

    for g in gold.values():
        doc = docs.get(g.doc_id)
        if doc is None:
            continue
        ents = sorted(g.entities, key=lambda e: (e.get("start", 0), e.get("end", 0)))
        for i, e in enumerate(g.entities):
            loc = f"$.entities[{i}]"
            span(e, g, loc, doc.text)
            label(e.get("type"), labels.entity_types, g, loc + ".type")
            ref(e.get("canonical_id"), g, loc + ".canonical_id")
        for a, b in itertools.pairwise(ents):
            if b.get("start", 0) < a.get("end", 0):
                bad(
                    "overlapping-entities", f"{a.get('id')} overlaps {b.get('id')}", g, "$.entities"
                )
        for i, s in enumerate(g.stances):
            loc = f"$.stances[{i}]"
            span(s.get("evidence") or {}, g, loc + ".evidence", doc.text)
            label(s.get("label"), labels.stance_labels, g, loc + ".label")
            label(s.get("target"), labels.stance_targets, g, loc + ".target")
            label(s.get("attribution"), labels.stance_attributions, g, loc + ".attribution")
            ref(s.get("holder"), g, loc + ".holder")
        for i, ev in enumerate(g.events):
            loc = f"$.events[{i}]"
            span(ev.get("trigger") or {}, g, loc + ".trigger", doc.text)
            label(ev.get("type"), labels.event_types, g, loc + ".type")
            label(ev.get("factuality"), labels.factuality, g, loc + ".factuality")
            for k, r in enumerate([*ev.get("sources", []), *ev.get("targets", [])]):
                ref(r, g, f"{loc}.actors[{k}]")
    if problems:
        raise RukpError(*problems)
