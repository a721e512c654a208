"""A tiny release with hostile text, a leaderboard over it, and the explorer written from them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from explore_fixtures import (
    EVENT_PREDS,
    NASTY_DESC,
    NASTY_NAME,
    STANCE_PREDS,
    nasty_ner_predictions,
    oracle,
    write_inputs,
    write_preds,
)

from rukp.evaluate.synthetic import write_release
from rukp.explore import explore
from rukp.leaderboard import add_submission


@dataclass
class World:
    root: Path
    release: Path
    registry: Path
    sources: Path
    leaderboard: Path
    predictions: Path

    def explore(self, out: Path | None = None):  # type: ignore[no-untyped-def]
        return explore(
            self.release,
            out or self.root / "explorer",
            leaderboard=self.leaderboard,
            prediction_dirs=[self.predictions],
            registry=self.registry,
            sources=self.sources,
        )


def make_world(root: Path) -> World:
    paths = write_inputs(root)
    release = paths["release"]
    lb = root / "leaderboard"
    preds = root / "predictions"
    entries = [
        (NASTY_NAME, NASTY_DESC, "ner", "nasty.ner.test.jsonl", nasty_ner_predictions(release)),
        ("oracle", "the gold tags", "ner", "oracle.ner.test.jsonl", oracle(release, "ner")),
        ("stancer", "s2 wrong", "stance", "stancer.stance.test.jsonl", STANCE_PREDS),
        ("eventer", "COOPERATE missed, AID extra", "events", "ev.events.test.jsonl", EVENT_PREDS),
        ("lost", "predictions file gone", "ner", "lost.ner.test.jsonl", oracle(release, "ner")),
        ("changed", "file changed", "ner", "changed.ner.test.jsonl", oracle(release, "ner")),
    ]
    for name, desc, task, fname, rows in entries:
        path = write_preds(preds / fname, rows)
        add_submission(name, desc, task, path, release, root=lb, bootstrap=0)
    (preds / "lost.ner.test.jsonl").unlink()
    write_preds(preds / "changed.ner.test.jsonl", nasty_ner_predictions(release))
    # an entry scored on other data (another release of the stance config)
    old = write_release(
        root / "old-release",
        {"stance": {"test": [{"id": "d2/s1", "doc_id": "d2", "language": "fr", "label": "FAVOR"}]}},
        "0.1.0",
    )
    path = write_preds(root / "old" / "old.stance.test.jsonl", [{"id": "d2/s1", "label": "FAVOR"}])
    add_submission("old-run", "scored on 0.1.0", "stance", path, old, root=lb, bootstrap=0)
    return World(root, release, paths["registry"], paths["sources"], lb, preds)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path_factory.mktemp("explore"))


@pytest.fixture(scope="module")
def site(world: World) -> Path:
    result = world.explore()
    return result.out
