"""Live: `rukp preannotate` output pushed to a real Label Studio keeps its model version and
scores (task-level and per region). The session's server (conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from rukp.cli import main
from rukp.labelstudio.client import find_project
from rukp.labelstudio.tasks import prediction_meta

from .live import Live

pytestmark = pytest.mark.live
TITLE = "rukp live preannotate"


def test_pushed_preannotations_keep_model_version_and_scores(live: Live, sdk: Any) -> None:
    out = live.work / "preannotated"
    seeds = ["--documents", str(live.documents), "--include-gold"]  # the seeds have gold
    assert main(["preannotate", *seeds, "--out", str(out)]) == 0
    meta = prediction_meta(out)
    argv = ["ls", "push", "--url", live.url, "--token", live.token, "--project-title", TITLE]
    assert main([*argv, *seeds, "--predictions", str(out)]) == 0
    project = find_project(sdk, TITLE)
    assert project is not None
    tasks = list(sdk.tasks.list(project=project.id, fields="all"))
    assert sorted(t.data["doc_id"] for t in tasks) == sorted(meta)
    for t in tasks:
        m = meta[t.data["doc_id"]]
        (pred,) = list(sdk.predictions.list(task=t.id))
        assert pred.model_version == m["model_version"]
        assert pred.score == pytest.approx(m["score"])
        regions = {r["id"]: r.get("score") for r in pred.result if r.get("type") == "labels"}
        assert regions and regions == {k: v for k, v in m["regions"].items() if k in regions}
        assert set(regions) == set(m["regions"])  # every entity and trigger region, scored
