"""A tiny release and helpers to write submissions for the leaderboard tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rukp.evaluate.synthetic import write_release

NER_GOLD = [
    {"id": "a/0", "doc_id": "a", "language": "en", "ner_tags": ["B-PER", "I-PER", "O", "B-GPE"]},
    {"id": "a/1", "doc_id": "a", "language": "en", "ner_tags": ["O", "B-ORG", "O"]},
    {"id": "b/0", "doc_id": "b", "language": "ko", "ner_tags": ["B-GPE", "O"]},
]
STANCE_GOLD = [
    {"id": "a/s1", "doc_id": "a", "language": "en", "label": "FAVOR"},
    {"id": "b/s1", "doc_id": "b", "language": "ko", "label": "AGAINST"},
]


@pytest.fixture()
def release(tmp_path: Path) -> Path:
    return write_release(
        tmp_path / "release", {"ner": {"test": NER_GOLD}, "stance": {"test": STANCE_GOLD}}, "0.2.0"
    )


def write_preds(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture()
def browser(request: pytest.FixtureRequest) -> str:
    """The project's `chromium_bin` fixture when tests/conftest.py provides it, else `chromium`."""
    try:
        return str(request.getfixturevalue("chromium_bin"))
    except pytest.FixtureLookupError:
        found = shutil.which("chromium")
        if not found:
            pytest.skip("chromium is not installed (scripts/setup.sh --live installs it)")
        return found
