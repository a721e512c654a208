"""Data and helpers of the leaderboard tests."""

from __future__ import annotations

import json
from pathlib import Path

NER_GOLD = [
    {"id": "a/0", "doc_id": "a", "language": "en", "ner_tags": ["B-PER", "I-PER", "O", "B-GPE"]},
    {"id": "a/1", "doc_id": "a", "language": "en", "ner_tags": ["O", "B-ORG", "O"]},
    {"id": "b/0", "doc_id": "b", "language": "ko", "ner_tags": ["B-GPE", "O"]},
]
STANCE_GOLD = [
    {"id": "a/s1", "doc_id": "a", "language": "en", "label": "FAVOR"},
    {"id": "b/s1", "doc_id": "b", "language": "ko", "label": "AGAINST"},
]


def write_preds(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
