"""The card: HF YAML, figures read from agreement/baseline files, markers checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from rukp.build import card
from rukp.build.release import build, default_inputs
from rukp.errors import RukpError
from rukp.versions import data_version


def _front_matter(readme: str) -> dict:
    assert readme.startswith("---\n")
    return yaml.safe_load(readme.split("---\n")[1])


def test_yaml_has_configs_versions_and_split_sizes(built) -> None:  # type: ignore[no-untyped-def]
    root, result = built
    meta = _front_matter((root / "release" / "README.md").read_text(encoding="utf-8"))
    assert [c["config_name"] for c in meta["configs"]] == sorted(result.rows)
    assert all(c["version"] == data_version(root) for c in meta["configs"])
    assert meta["language"] == ["ar", "en", "fr", "hi", "it", "ko", "ru", "zh"]
    assert meta["size_categories"] == ["n<1K"]
    stance = next(i for i in meta["dataset_info"] if i["config_name"] == "stance")
    # the fixture has no stance record in its test document: the split is left out
    assert {s["name"]: s["num_examples"] for s in stance["splits"]} == {"train": 2, "validation": 1}
    ner = next(c for c in meta["configs"] if c["config_name"] == "ner")
    assert ner["data_files"][0] == {"split": "train", "path": "ner/train-*"}


def test_baselines_and_agreement_are_read_not_typed(repo: Path) -> None:
    summary = repo / "baselines" / "results" / "summary.json"
    summary.parent.mkdir(parents=True)
    summary.write_text(
        json.dumps(
            {
                "rows": [
                    {
                        "task": "ner",
                        "system": "crf",
                        "metric": "f1",
                        "split": "test",
                        "value": 0.4321,
                        "ci_low": 0.2,
                        "ci_high": 0.61,
                        "signature": "ner|f1:strict-iob2|split:test",
                    }
                ],
                "cv": [
                    {
                        "task": "ner",
                        "system": "crf",
                        "metric": "f1",
                        "mean": 0.5,
                        "std": 0.125,
                        "folds": 9,
                    },
                    {
                        "task": "stance",
                        "system": "majority",
                        "metric": "macro_f1",
                        "mean": 0.25,
                        "std": None,
                        "folds": [{"fold": 0, "value": 0.25}, {"fold": 1, "value": None}],
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    (repo / "annotations" / "AGREEMENT.md").write_text(
        "# Agreement\n\nentities strict F1 0.876\n", encoding="utf-8"
    )
    build(default_inputs(repo), repo / "release")
    readme = (repo / "release" / "README.md").read_text(encoding="utf-8")
    assert (
        "| ner | crf | f1 | test | 0.432 | [0.200, 0.610] | `ner|f1:strict-iob2|split:test` |"
        in readme
    )
    assert "| ner | crf | f1 | 0.500 | 0.125 | 9 |" in readme
    assert "| stance | majority | macro_f1 | 0.250 | – | 1 of 2 |" in readme
    assert "#### Agreement" in readme and "entities strict F1 0.876" in readme
    assert "Not yet computed" not in readme


def test_unknown_marker_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RukpError) as exc:
        card.fill("x <!-- rukp:nonsense --> y", {"version": "1"}, tmp_path / "card.md")
    assert exc.value.incidents[0].id == "unknown-card-marker"


def test_invalid_baseline_summary_is_an_incident(tmp_path: Path) -> None:
    p = tmp_path / "summary.json"
    p.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(RukpError) as exc:
        card.baselines_section(p)
    assert exc.value.incidents[0].id == "invalid-baseline-summary"
