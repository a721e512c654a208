"""Move gold spans onto a changed cleaned text (`rukp reanchor`).

For each gold file whose text_sha256 differs from its document's, every span (entity, stance
evidence, event trigger) is placed on the new text:
1. `diff`: when the old text is known (an older documents.jsonl, or the committed release's
   `documents` config, matched by sha256), difflib maps both ends through an unchanged block and
   the new text at the mapped offsets must equal the span text;
2. `refind`: otherwise the span text is searched in the new text and the occurrence nearest the
   expected position is taken (ties broken by the similarity of the surrounding context). The
   expected position comes from the diff, or without the old text from the shift of the nearest
   preceding span whose text is unique in the new text;
   A span inside a stretch the diff shows deleted (a dropped caption, say) is not searched for:
   another mention of the same words elsewhere is not it;
3. else the span is **unplaced**: the record is taken out of the gold file and kept, whole, in the
   unplaced file for a human, and listed in the report. Nothing is dropped silently.
Every old text found is kept in annotations/texts/<sha256>.txt (rukp.texts), so that raw sets
made on it (A, B, C) stay valid as made.
"""

from __future__ import annotations

import bisect
import copy
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rukp.build.inputs import Gold, load_gold
from rukp.documents import Document
from rukp.errors import RukpError
from rukp.io import write_json, write_jsonl
from rukp.safeio import read_jsonl, read_parquet
from rukp.sets import write_annotation
from rukp.texts import store_text, texts_dir

CONTEXT = 24


@dataclass(slots=True)
class Placement:
    doc_id: str
    kind: str  # entities | stances | events
    record_id: str
    text: str
    old_start: int
    old_end: int
    new_start: int | None
    new_end: int | None
    method: str  # unchanged | diff | refind | unplaced
    candidates: int = 0  # occurrences of the text in the new text (>1: check a `refind` by eye)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(slots=True)
class ReanchorResult:
    documents: list[str] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.placements:
            out[p.method] = out.get(p.method, 0) + 1
        return out


class _Mapper:
    """Old → new offsets through difflib's equal blocks."""

    def __init__(self, old: str, new: str) -> None:
        sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
        self.blocks = [(a, b, n) for a, b, n in sm.get_matching_blocks() if n]
        self.starts = [a for a, _, _ in self.blocks]
        self.deletions = [(i1, i2) for tag, i1, i2, _, _ in sm.get_opcodes() if tag == "delete"]

    def deleted(self, start: int, end: int) -> bool:
        """Whether old [start, end) lies inside a stretch the new text dropped (no counterpart:
        searching the new text for its words would find another mention)."""
        return any(i1 <= start and end <= i2 for i1, i2 in self.deletions)

    def map(self, pos: int) -> int | None:
        k = bisect.bisect_right(self.starts, pos) - 1
        if k < 0:
            return None
        a, b, n = self.blocks[k]
        return b + (pos - a) if a <= pos < a + n else None

    def approx(self, pos: int) -> int:
        """A position in the new text near old `pos`, even inside a changed region."""
        k = max(0, bisect.bisect_right(self.starts, pos) - 1)
        if not self.blocks:
            return pos
        a, b, _ = self.blocks[k]
        return b + (pos - a)


class _AnchorShift:
    """Without the old text: the shift of the nearest preceding span whose text occurs exactly
    once in the new text (an unambiguous anchor) predicts where the other spans moved."""

    def __init__(self, spans: list[tuple[int, str]], new: str) -> None:
        anchors = sorted({(s, new.find(t)) for s, t in spans if t and new.count(t) == 1})
        self.olds = [a for a, _ in anchors]
        self.shift = [b - a for a, b in anchors]

    def approx(self, pos: int) -> int:
        if not self.olds:
            return pos
        k = max(0, bisect.bisect_right(self.olds, pos) - 1)
        return pos + self.shift[k]


def old_texts(sources: list[Path]) -> dict[str, str]:
    """Texts by sha256 from documents.jsonl files and release folders (documents config)."""
    out: dict[str, str] = {}

    def add(row: Any) -> None:
        if isinstance(row, dict):
            text, sha = row.get("text"), row.get("text_sha256")
            if isinstance(text, str) and isinstance(sha, str):
                out[sha] = text

    for src in sources:
        src = Path(src)
        if src.is_dir():
            for p in sorted((src / "documents").glob("*.parquet")):
                table = read_parquet(p, columns=["text", "text_sha256"])
                for row in table.to_pylist():
                    add(row)
        else:  # a documents.jsonl (a missing file or a FIFO is reported by rukp.safeio)
            for _, row in read_jsonl(src, "documents"):
                add(row)
    return out


def _place(
    span: dict[str, Any],
    old: str | None,
    new: str,
    mapper: _Mapper | None,
    taken: list[tuple[int, int]],
    shift: _AnchorShift | None = None,
) -> tuple[int, int, str] | None:
    """New (start, end, method) of one span, or None; `taken` spans may not be overlapped."""
    s, e, text = span["start"], span["end"], span["text"]
    if mapper is not None:
        ns, ne = mapper.map(s), mapper.map(e - 1)
        if ns is not None and ne is not None and new[ns : ne + 1] == text:
            return ns, ne + 1, "diff"
        if mapper.deleted(s, e):
            return None
    if mapper is not None:
        expected = mapper.approx(s)
    else:
        expected = shift.approx(s) if shift is not None else s
    hits, i = [], new.find(text)
    while i >= 0:
        if not any(i < te and i + len(text) > ts for ts, te in taken):
            hits.append(i)
        i = new.find(text, i + 1)
    if not hits:
        return None

    def context_score(h: int) -> float:
        if old is None:
            return 0.0
        a = old[max(0, s - CONTEXT) : s] + "\x00" + old[e : e + CONTEXT]
        b = new[max(0, h - CONTEXT) : h] + "\x00" + new[h + len(text) : h + len(text) + CONTEXT]
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()

    best = min(hits, key=lambda h: (abs(h - expected), -context_score(h), h))
    return best, best + len(text), "refind"


def _count(text: str, sub: str) -> int:
    return text.count(sub) if sub else 0


def _check_schema(gold: dict[str, Gold]) -> None:
    """Refuse gold files that break the annotation schema (every span must be an object with
    integer offsets and a text before it can be moved)."""
    from rukp.validate.loaders import schema_incidents

    problems = [
        inc
        for doc_id, g in sorted(gold.items())
        for inc in schema_incidents(g.raw, "annotation", str(g.path), doc_id)
    ]
    if problems:
        raise RukpError(*problems)


def reanchor(
    gold_dir: Path,
    docs: dict[str, Document],
    old_sources: list[Path],
    *,
    unplaced_path: Path,
    report_path: Path,
) -> ReanchorResult:
    """Re-anchor every drifted gold file in place; write the report and the unplaced records.

    Gold files that break schema/annotation.schema.json are refused before anything moves."""
    gold = load_gold(gold_dir)
    _check_schema(gold)
    olds = old_texts(old_sources)
    result = ReanchorResult()
    for doc_id, g in sorted(gold.items()):
        doc = docs.get(doc_id)
        if doc is None or g.text_sha256 == doc.text_sha256:
            continue
        result.documents.append(doc_id)
        old = olds.get(g.text_sha256)
        if old is not None:  # raw sets made on the old text keep pointing into it
            store_text(old, texts_dir(Path(gold_dir).parent))
        mapper = _Mapper(old, doc.text) if old is not None else None
        data = dict(g.raw)
        all_spans = [
            (sp["start"], sp["text"])
            for kind, key in (("entities", None), ("stances", "evidence"), ("events", "trigger"))
            for rec in data.get(kind, [])
            for sp in [rec if key is None else rec[key]]
        ]
        shift = _AnchorShift(all_spans, doc.text)
        for kind, key in (("entities", None), ("stances", "evidence"), ("events", "trigger")):
            kept: list[dict[str, Any]] = []
            taken: list[tuple[int, int]] = []
            for rec in data.get(kind, []):
                span = rec if key is None else rec[key]
                placed = _place(span, old, doc.text, mapper, taken if key is None else [], shift)
                p = Placement(
                    doc_id,
                    kind,
                    rec.get("id", "?"),
                    span["text"],
                    span["start"],
                    span["end"],
                    None,
                    None,
                    "unplaced",
                    _count(doc.text, span["text"]),
                )
                if placed is None:
                    result.unplaced.append(
                        {
                            "doc_id": doc_id,
                            "kind": kind,
                            "old_text_sha256": g.text_sha256,
                            "new_text_sha256": doc.text_sha256,
                            "record": rec,
                        }
                    )
                else:
                    p.new_start, p.new_end, p.method = placed
                    if p.new_start == p.old_start and p.method == "diff":
                        p.method = "unchanged"
                    rec = copy.deepcopy(rec)
                    target = rec if key is None else rec[key]
                    target["start"], target["end"] = placed[0], placed[1]
                    taken.append((placed[0], placed[1]))
                    kept.append(rec)
                result.placements.append(p)
            data[kind] = kept
        data["text_sha256"] = doc.text_sha256
        write_annotation(g.path, data)
    write_jsonl(unplaced_path, result.unplaced)
    write_json(
        report_path,
        {
            "documents": result.documents,
            "counts": result.counts(),
            "unplaced_file": str(unplaced_path),
            "placements": [p.to_dict() for p in result.placements],
        },
    )
    return result
