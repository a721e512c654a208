"""Shared fixtures-as-code for the Label Studio tests: documents, a registry, a small set."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from rukp.documents import Document
from rukp.io import sha256_text, write_json
from rukp.labelstudio.data import documents_from_texts

EXPECTED = Path(__file__).resolve().parents[1] / "ingest" / "expected"
REGISTRY = {
    "entities": [
        {"id": "ru", "type": "GPE", "names": {"en": ["Russia"]}},
        {"id": "kp", "type": "GPE", "names": {"en": ["North Korea"]}},
        {"id": "kim_jong_un", "type": "PER", "names": {"en": ["Kim Jong Un"]}},
        {"id": "putin", "type": "PER", "names": {"en": ["Vladimir Putin"]}},
        {"id": "us", "type": "GPE", "names": {"en": ["United States"]}},
    ]
}
REGISTRY_IDS = sorted(e["id"] for e in REGISTRY["entities"])


def seed_texts() -> dict[str, str]:
    """The five seeds' cleaned texts, exactly as tests/ingest/expected holds them."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(EXPECTED.glob("*.txt"))}


SEED_LANGUAGES = {"000": "fr", "001": "it", "002": "it", "003": "fr", "004": "en"}


def seed_documents() -> dict[str, Document]:
    docs = documents_from_texts(seed_texts())
    return {k: replace(d, language=SEED_LANGUAGES.get(k[:3], "en")) for k, d in docs.items()}


NEW_TEXTS = {  # two documents that are not seeds and have no gold (doc_ids no raw page has)
    "900_new_a": "Kim Jong Un in Russia\n\nKim Jong Un met Vladimir Putin. North Korea and "
    "Russia signed a pact on cooperation.",
    "901_new_b": "United States warns\n\nThe United States warned North Korea about the visit.",
}


def new_documents() -> dict[str, Document]:
    return documents_from_texts(NEW_TEXTS)


def document_row(d: Document) -> dict[str, Any]:
    """A full schema/document.schema.json row for a test document."""
    paragraphs, pos = [], 0
    for part in d.text.split("\n\n"):
        paragraphs.append({"start": pos, "end": pos + len(part), "language": d.language})
        pos += len(part) + 2
    return {
        "doc_id": d.doc_id,
        "raw_sha256": sha256_text("raw:" + d.text),
        "text": d.text,
        "text_sha256": d.text_sha256,
        "title": d.title,
        "language": d.language,
        "paragraphs": paragraphs,
        "published": None,
        "url": None,
        "outlet": None,
        "cleaner_version": "test",
        "near_duplicate_cluster": d.doc_id,
    }


def write_documents(path: Path, docs: dict[str, Document]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [document_row(d) for d in docs.values()]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def write_registry(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(REGISTRY, indent=2) + "\n", "utf-8")
    return path


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def small_annotation(doc: Document, annotator: str = "fixture") -> dict[str, Any]:
    """A hand-made annotation of a seed document: two entities, one stance, one event."""
    text = doc.text
    first_line = text.split("\n", 1)[0]
    words = first_line.split()
    w0 = words[0]
    s0, e0 = span(text, w0)
    w1 = words[-1]
    s1, e1 = span(text, w1, nth=0)
    if s1 < e0:  # same word twice: take the last occurrence in the title
        s1 = first_line.rindex(w1)
        e1 = s1 + len(w1)
    return {
        "doc_id": doc.doc_id,
        "text_sha256": sha256_text(text),
        "annotator": annotator,
        "guidelines_version": "1.0",
        "entities": [
            {
                "id": "e1",
                "start": s0,
                "end": e0,
                "text": text[s0:e0],
                "type": "GPE",
                "canonical_id": "ru",
            },
            {
                "id": "e2",
                "start": s1,
                "end": e1,
                "text": text[s1:e1],
                "type": "WEA",
                "canonical_id": None,
            },
        ],
        "stances": [
            {
                "id": "s1",
                "holder": "kp",
                "target": "RU-KP-MILCOOP",
                "label": "FAVOR",
                "attribution": "reported",
                "evidence": {"start": 0, "end": len(first_line), "text": first_line},
            },
        ],
        "events": [
            {
                "id": "v1",
                "trigger": {"start": s1, "end": e1, "text": text[s1:e1]},
                "type": "AID",
                "mode": "military",
                "sources": ["kp"],
                "targets": ["ru"],
                "factuality": "asserted",
            },
        ],
    }


def export_of(
    docs: dict[str, Document], results: dict[str, list[dict[str, Any]]], user: int = 7
) -> list[dict[str, Any]]:
    """A minimal Label Studio JSON export: one task per document, one annotation each."""
    out = []
    for i, (doc_id, result) in enumerate(sorted(results.items()), 1):
        d = docs[doc_id]
        out.append(
            {
                "id": i,
                "data": {
                    "doc_id": doc_id,
                    "text": d.text,
                    "text_sha256": d.text_sha256,
                    "language": d.language,
                    "title": d.title,
                },
                "annotations": [
                    {"id": 100 + i, "completed_by": user, "result": result, "was_cancelled": False}
                ],
                "predictions": [],
            }
        )
    return out


SURFACES = [  # registry id, type, surface forms in the seeds (fr, it, en)
    ("kim_jong_un", "PER", ["Kim Jong Un"]),
    ("putin", "PER", ["Vladimir Poutine", "Vladimir Putin", "Poutine", "Putin"]),
    ("kp", "GPE", ["Corée du Nord", "Corea del Nord", "North Korea"]),
    ("ru", "GPE", ["Russie", "Russia"]),
    ("us", "GPE", ["États-Unis", "Stati Uniti", "United States"]),
]
TRIGGERS = ["coopération", "cooperazione", "cooperation", "visite", "visita", "visit"]


def fixture_annotation(doc: Document, annotator: str = "fixture") -> dict[str, Any]:
    """A small, plausible annotation of a seed document built from known surface forms."""
    text = doc.text
    entities: list[dict[str, Any]] = []
    for cid, typ, forms in SURFACES:
        for form in forms:
            i = text.find(form)
            if i < 0:
                continue
            if any(i < e["end"] and e["start"] < i + len(form) for e in entities):
                continue
            entities.append(
                {
                    "id": "",
                    "start": i,
                    "end": i + len(form),
                    "text": form,
                    "type": typ,
                    "canonical_id": cid,
                }
            )
            break
    entities.sort(key=lambda e: e["start"])
    for n, e in enumerate(entities, 1):
        e["id"] = f"e{n}"
    sentence_end = text.find(".", text.find("\n\n") + 2)
    body = text.find("\n\n") + 2
    stances = [
        {
            "id": "s1",
            "holder": None,
            "target": "RU-KP-MILCOOP",
            "label": "NEUTRAL",
            "attribution": "author",
            "evidence": {
                "start": body,
                "end": sentence_end + 1,
                "text": text[body : sentence_end + 1],
            },
        }
    ]
    events = []
    for word in TRIGGERS:
        i = text.find(word)
        if i >= 0:
            events.append(
                {
                    "id": "v1",
                    "trigger": {"start": i, "end": i + len(word), "text": word},
                    "type": "COOPERATE" if "oop" in word else "CONSULT",
                    "mode": None if "oop" in word else "visit",
                    "sources": ["ru"],
                    "targets": ["kp"],
                    "factuality": "asserted",
                }
            )
            break
    return {
        "doc_id": doc.doc_id,
        "text_sha256": doc.text_sha256,
        "annotator": annotator,
        "guidelines_version": "1.0",
        "entities": entities,
        "stances": stances,
        "events": events,
    }


def validator_errors(paths: list[Path], documents: Path) -> list[str]:
    """Error-level incidents of `rukp validate` (rukp.validate) for the given set folders."""
    import pytest

    checks = pytest.importorskip("rukp.validate.checks")
    return [i.format() for i in checks.validate_paths(paths, documents) if i.level == "error"]


PACT = "Kim Jong Un met Putin.\n\nRussia 😀 and North Korea\nsigned a pact."
PACT_SHA = "f4810ad0abc5ba300a921c129c987fe30ec96b4f375a0bd5bda4752e555b63d6"


def pact_annotation(annotator: str = "A") -> dict[str, Any]:
    """A hand-made record of fixtures/documents.jsonl's d1 (offsets counted by hand: the emoji
    is one code point; 'Russia' 24..30, 'North Korea' 37..48, 'signed' 49..55)."""
    return {
        "doc_id": "d1",
        "text_sha256": PACT_SHA,
        "annotator": annotator,
        "guidelines_version": "1.0",
        "entities": [
            {"id": "e1", "start": 0, "end": 11, "text": "Kim Jong Un", "type": "PER",
             "canonical_id": "kim_jong_un"},
            {"id": "e2", "start": 16, "end": 21, "text": "Putin", "type": "PER",
             "canonical_id": "putin"},
            {"id": "e3", "start": 24, "end": 30, "text": "Russia", "type": "GPE",
             "canonical_id": "ru"},
            {"id": "e4", "start": 37, "end": 48, "text": "North Korea", "type": "GPE",
             "canonical_id": "kp"},
        ],
        "stances": [
            {"id": "s1", "holder": "kp", "target": "RU-KP-MILCOOP", "label": "FAVOR",
             "attribution": "reported",
             "evidence": {"start": 24, "end": 63,
                          "text": "Russia 😀 and North Korea\nsigned a pact."}},
        ],
        "events": [
            {"id": "v1", "trigger": {"start": 49, "end": 55, "text": "signed"}, "type": "AGREE",
             "mode": None, "sources": ["ru", "kp"], "targets": [], "factuality": "asserted"},
        ],
    }  # fmt: skip


def pact_documents() -> dict[str, Document]:
    from rukp.documents import load_documents

    return load_documents(Path(__file__).parent / "fixtures" / "documents.jsonl")


def fixture_set(folder: Path, docs: dict[str, Document], ids: list[str]) -> Path:
    """An annotation set folder (named like its annotator) of `fixture_annotation`s of the
    documents `ids`, with the fixture registry as its entities.json."""
    for d in ids:
        write_json(folder / f"{d}.json", fixture_annotation(docs[d], folder.name))
    write_registry(folder / "entities.json")
    return folder
