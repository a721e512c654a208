"""Fixtures for the validator tests: cleaned documents made from the hand-checked seed texts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rukp.io import sha256_text, write_jsonl

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
EXPECTED = ROOT / "tests" / "ingest" / "expected"


def seed_documents() -> list[dict]:
    """Document records (schema/document.schema.json) whose text is each expected seed text."""
    with open(ROOT / "raw" / "sources.csv", encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    docs = []
    for path in sorted(EXPECTED.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        row = rows[path.stem]
        paragraphs, pos = [], 0
        for para in text.split("\n\n"):
            paragraphs.append({"start": pos, "end": pos + len(para), "language": row["language"]})
            pos += len(para) + 2
        docs.append(
            {
                "doc_id": path.stem,
                "raw_sha256": row["sha256"],
                "text": text,
                "text_sha256": sha256_text(text),
                "title": text.split("\n", 1)[0],
                "language": row["language"],
                "paragraphs": paragraphs,
                "published": row["published"] or None,
                "url": row["url"] or None,
                "outlet": row["outlet"] or None,
                "cleaner_version": "test",
                "near_duplicate_cluster": path.stem,
            }
        )
    return docs


@pytest.fixture
def documents_path(tmp_path: Path) -> Path:
    path = tmp_path / "documents.jsonl"
    write_jsonl(path, seed_documents())
    return path
