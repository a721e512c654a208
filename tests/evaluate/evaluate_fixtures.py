"""Data of the tiny release used by the scorer tests (hand-made; scores computed by hand)."""

from __future__ import annotations

from pathlib import Path

CASES = Path(__file__).parent / "cases"

# doc a is English, doc b French. Hand-made so that expected scores can be computed by hand.
NER_TEST = [
    {
        "id": "a/0",
        "doc_id": "a",
        "language": "en",
        "tokens": ["Kim", "Jong", "met", "Russia"],
        "ner_tags": ["B-PER", "I-PER", "O", "B-GPE"],
    },
    {
        "id": "a/1",
        "doc_id": "a",
        "language": "en",
        "tokens": ["The", "KPA", "said"],
        "ner_tags": ["O", "B-ORG", "O"],
    },
    {
        "id": "b/0",
        "doc_id": "b",
        "language": "fr",
        "tokens": ["Pyongyang", "dit"],
        "ner_tags": ["B-GPE", "O"],
    },
]
NER_TRAIN = [
    {"id": "c/0", "doc_id": "c", "language": "en", "tokens": ["Moscow"], "ner_tags": ["B-GPE"]},
]
STANCE_TEST = [
    {"id": "a/s1", "doc_id": "a", "language": "en", "label": "FAVOR"},
    {"id": "a/s2", "doc_id": "a", "language": "en", "label": "AGAINST"},
    {"id": "b/s1", "doc_id": "b", "language": "fr", "label": "NEUTRAL"},
    {"id": "b/s2", "doc_id": "b", "language": "fr", "label": "AGAINST"},
]
EVENTS_TEST = [
    {"id": "a/0", "doc_id": "a", "language": "en", "types": ["AID"]},
    {"id": "a/1", "doc_id": "a", "language": "en", "types": []},
    {"id": "b/0", "doc_id": "b", "language": "fr", "types": ["AID", "FIGHT"]},
]
