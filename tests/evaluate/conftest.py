"""A tiny release (ner, stance, events; test and train splits) written in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from evaluate_fixtures import EVENTS_TEST, NER_TEST, NER_TRAIN, STANCE_TEST

from rukp.evaluate.synthetic import write_release


@pytest.fixture()
def tiny_release(tmp_path: Path) -> Path:
    return write_release(
        tmp_path / "release",
        {
            "ner": {"test": NER_TEST, "train": NER_TRAIN},
            "stance": {"test": STANCE_TEST},
            "events": {"test": EVENTS_TEST},
        },
        version="0.1.0",
    )
