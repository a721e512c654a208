"""Baselines on a tiny synthetic release whose right answers are known by construction."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import release_rows, write_release

from rukp.baselines.data import read_rows
from rukp.baselines.models import SYSTEMS, majority_stance_label, majority_type_set
from rukp.baselines.run import load_config, run_baselines, select_params
from rukp.cli import main
from rukp.errors import RukpError
from rukp.paths import schema_dir

ALL = ["ner", "stance", "events"]


def _value(summary: dict, task: str, system: str, metric: str, split: str = "test") -> float:
    (row,) = [
        r
        for r in summary["rows"]
        if (r["task"], r["system"], r["metric"], r["split"]) == (task, system, metric, split)
    ]
    return row["value"]


def _metric(task: str) -> str:
    """The task's main metric (the one tuned on validation), as named by rukp.evaluate."""
    return {"ner": "f1", "stance": "f1_favor_against", "events": "micro_f1"}[task]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["FAVOR", "AGAINST", "AGAINST"], "AGAINST"),
        (["NEUTRAL", "FAVOR", "NEUTRAL"], "NEUTRAL"),
        (["AGAINST", "FAVOR"], "FAVOR"),  # tie: FAVOR comes first in schema/labels.json
    ],
)
def test_majority_stance_by_hand(labels: list[str], expected: str) -> None:
    assert majority_stance_label([{"label": x} for x in labels])[0] == expected


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        ([["AID"], ["AID"], [], ["ASSAULT"]], ("AID",)),
        ([["AID"], []], ()),  # tie: the smaller set wins
        ([["ASSAULT", "AID"], ["AID", "ASSAULT"], []], ("AID", "ASSAULT")),  # a set, any order
        ([], ()),
    ],
)
def test_majority_type_set_by_hand(sets: list[list[str]], expected: tuple[str, ...]) -> None:
    assert majority_type_set([{"types": s} for s in sets]) == expected


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """One run of every baseline on the synthetic release, shared by the read-only tests."""
    root = tmp_path_factory.mktemp("full")
    release = write_release(root / "release", release_rows())
    out = root / "out"
    return release, out, run_baselines(release, out, ALL, load_config())


def test_scores_on_separable_release(full_run: tuple[Path, Path, dict]) -> None:
    _, out, s = full_run
    assert s["dataset_version"] == "0.0.1"
    # Stance: train labels are 7 FAVOR / 5 AGAINST, so majority says FAVOR; test is 2 + 2.
    assert _value(s, "stance", "tfidf-lr", _metric("stance")) == 1.0
    assert _value(s, "stance", "majority", _metric("stance")) == pytest.approx(1 / 3)
    # NER: every name is tagged the same way everywhere; all-O finds no entity.
    assert _value(s, "ner", "crf", _metric("ner")) == 1.0
    assert _value(s, "ner", "majority", _metric("ner")) == 0.0
    # Events: "met" -> CONSULT, "attacked" -> ASSAULT; the majority type set of train is empty.
    assert _value(s, "events", "tfidf-lr", _metric("events")) == 1.0
    assert _value(s, "events", "majority", _metric("events")) == 0.0
    pred = out / "predictions"
    stance_major = [
        json.loads(x) for x in (pred / "majority.stance.test.jsonl").read_text().split()
    ]
    assert {p["label"] for p in stance_major} == {"FAVOR"}
    assert [p["id"] for p in stance_major] == ["d4/s0", "d4/s1", "d4/s2", "d4/s3"]
    events_major = (pred / "majority.events.test.jsonl").read_text().splitlines()
    assert {json.dumps(json.loads(x)["types"]) for x in events_major} == {"[]"}
    # Cross-validation: one fold per document, mean of a perfect system is 1 with std 0.
    (cv,) = [
        c
        for c in s["cv"]
        if (c["task"], c["system"], c["metric"]) == ("ner", "crf", _metric("ner"))
    ]
    assert [f["test"] for f in cv["folds"]] == [["d0"], ["d1"], ["d2"], ["d3"], ["d4"]]
    assert (cv["mean"], cv["std"]) == (1.0, 0.0)
    (maj,) = [
        c
        for c in s["cv"]
        if (c["task"], c["system"], c["metric"]) == ("stance", "majority", _metric("stance"))
    ]
    assert len(maj["folds"]) == 5 and maj["std"] is not None


def test_summary_shape(release: Path, tmp_path: Path) -> None:
    s = run_baselines(release, tmp_path / "out", ["stance"], load_config())
    on_disk = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert on_disk == s
    assert list(s) == ["dataset_version", "rows", "cv"]
    row_keys = ["task", "system", "metric", "split", "value", "ci_low", "ci_high"]
    row_keys += ["ci_undefined", "signature"]
    assert all(list(r) == row_keys for r in s["rows"])
    assert {r["split"] for r in s["rows"]} == {"validation", "test"}
    assert all(r["signature"] for r in s["rows"])
    cv_keys = ["task", "system", "metric", "mean", "std", "folds", "notes"]
    assert all(list(c) == cv_keys for c in s["cv"])
    assert "| stance | tfidf-lr |" in (tmp_path / "out" / "summary.md").read_text()


def test_two_runs_identical(full_run: tuple[Path, Path, dict], tmp_path: Path) -> None:
    release, a, _ = full_run
    b = tmp_path / "b"
    run_baselines(release, b, ALL, load_config())
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    assert len(files_a) == 3 + 2 * 3 * 2  # summary.json/md, params.json + 12 prediction files
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_predictions_validate_against_schema(full_run: tuple[Path, Path, dict]) -> None:
    _, out, _ = full_run
    seen = 0
    for task in ALL:
        schema = json.loads((schema_dir() / f"predictions.{task}.schema.json").read_text())
        for system in SYSTEMS[task]:
            for split in ("validation", "test"):
                lines = (out / "predictions" / f"{system}.{task}.{split}.jsonl").read_text()
                for line in lines.splitlines():
                    jsonschema.validate(json.loads(line), schema)
                    seen += 1
    # 2 systems x 2 splits x (6 ner sentences + 6 events sentences + 4 stance rows)
    assert seen == 2 * 2 * (6 + 6 + 4)


def test_one_class_fold_falls_back_and_says_so(tmp_path: Path) -> None:
    labels = {"d0": ["AGAINST", "AGAINST"], "d1": ["FAVOR"], "d2": ["FAVOR", "FAVOR"]}
    labels |= {"d3": ["FAVOR", "FAVOR"], "d4": ["FAVOR"]}
    release = write_release(tmp_path / "release", release_rows(stance_labels=labels))
    s = run_baselines(release, tmp_path / "out", ["stance"], load_config())
    (cv,) = [
        c
        for c in s["cv"]
        if (c["task"], c["system"], c["metric"]) == ("stance", "tfidf-lr", _metric("stance"))
    ]
    # Holding out d0 leaves only FAVOR in training: LR cannot be fit, majority (FAVOR) is used.
    by_fold = {f["fold"]: f for f in cv["folds"]}
    assert by_fold[0]["fallback"] is True
    assert all(by_fold[k]["fallback"] is False for k in (1, 2, 3, 4))
    assert any(n.startswith("fold 0 (d0): fallback to majority") for n in cv["notes"])
    assert "fold 0 (d0): fallback to majority" in (tmp_path / "out" / "summary.md").read_text()
    # All-AGAINST gold scored against all-FAVOR predictions: F1 of FAVOR and AGAINST both 0.
    assert by_fold[0]["value"] == 0.0
    assert len(cv["folds"]) == 5


def test_events_without_positive_example_fall_back() -> None:
    train = [{"id": "a/0", "text": "calm day", "types": []}]
    fitted = SYSTEMS["events"]["tfidf-lr"](train, {"C": 1.0, "threshold": 0.5}, 0)
    assert fitted.fallback and "no event type" in fitted.notes[0]
    assert fitted.predict([{"id": "b/0", "text": "x"}]) == [{"id": "b/0", "types": []}]


def test_cli_runs_and_refuses_bad_input(release: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cli"
    assert (
        main(["baselines", "--release", str(release), "--out", str(out), "--tasks", "stance"]) == 0
    )
    assert (out / "predictions" / "tfidf-lr.stance.test.jsonl").is_file()
    assert not (out / "predictions" / "crf.ner.test.jsonl").exists()
    assert main(["baselines", "--release", str(tmp_path / "nope"), "--out", str(out)]) == 1
    assert "release-file-missing" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["baselines", "--tasks", "pos"])
    assert exc.value.code == 2


def test_empty_splits_and_folds_are_reported_not_fatal(tmp_path: Path) -> None:
    # d3 (validation) has no stance record: the build omits that Parquet file.
    labels = {"d0": ["FAVOR", "AGAINST"], "d1": ["AGAINST", "FAVOR"], "d2": ["FAVOR"]}
    labels |= {"d4": ["AGAINST", "FAVOR"]}
    release = write_release(tmp_path / "release", release_rows(stance_labels=labels))
    assert not (release / "stance" / "validation-00000-of-00001.parquet").exists()
    out = tmp_path / "out"
    s = run_baselines(release, out, ["stance"], load_config())
    assert {r["split"] for r in s["rows"]} == {"test"}
    assert not (out / "predictions" / "tfidf-lr.stance.validation.jsonl").exists()
    params = json.loads((out / "params.json").read_text())["tasks"]["stance"]["tfidf-lr"]
    assert params["selected"] == {"C": load_config()["stance"]["C_grid"][0]}
    assert "no validation rows: the first grid entry is used without tuning" in params["notes"]
    assert (
        "the validation split has no stance rows: nothing to predict or score" in (params["notes"])
    )
    (cv,) = [c for c in s["cv"] if (c["system"], c["metric"]) == ("tfidf-lr", "accuracy")]
    assert [f["fold"] for f in cv["folds"]] == [0, 1, 2, 4]
    assert "fold 3 (d3): the held-out document has no stance rows; fold not scored" in cv["notes"]


def test_missing_split_file_counted_in_manifest_is_an_error(release: Path) -> None:
    (release / "ner" / "test-00000-of-00001.parquet").unlink()
    with pytest.raises(RukpError) as exc:
        read_rows(release, "ner", "test")
    assert exc.value.incidents[0].id == "release-file-missing"
    assert len(read_rows(release, "ner", "train")) == 18  # 3 documents x 6 sentences


def test_stance_lr_three_classes() -> None:
    words = {"FAVOR": "welcomes", "AGAINST": "condemns", "NEUTRAL": "calls for calm on"}
    train = [
        {
            "id": f"t/{i}",
            "holder_name": n,
            "target": "RU-KP-MILCOOP",
            "label": lab,
            "evidence": f"{n} {w} the deal",
            "context": f"{n} {w} the deal.",
        }
        for i, (n, (lab, w)) in enumerate(
            (n, item) for n in ("Kim", "Lavrov", "Shoigu") for item in words.items()
        )
    ]
    params = {**load_config()["stance"], "C": 10.0}
    fitted = SYSTEMS["stance"]["tfidf-lr"](train, params, 0)
    test = [{**r, "id": f"x/{k}", "holder_name": "Putin"} for k, r in enumerate(train[:3])]
    assert not fitted.fallback
    assert [p["label"] for p in fitted.predict(test)] == ["FAVOR", "AGAINST", "NEUTRAL"]


def test_task_without_any_row_is_reported(tmp_path: Path) -> None:
    release = write_release(tmp_path / "release", release_rows(stance_labels={"d9": ["FAVOR"]}))
    assert not (release / "stance").exists()
    s = run_baselines(release, tmp_path / "out", ["stance"], load_config())
    assert s["rows"] == []
    assert [(c["system"], c["metric"], c["mean"], c["folds"]) for c in s["cv"]] == [
        ("majority", "-", None, []),
        ("tfidf-lr", "-", None, []),
    ]
    assert all(
        "no fold could be scored: no document has stance rows" in c["notes"] for c in s["cv"]
    )


def test_read_rows_without_feature_metadata_uses_labels_json(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "rel" / "stance" / "train-00000-of-00001.parquet"
    path.parent.mkdir(parents=True)
    # Plain integers, no `huggingface` metadata: indexes into schema/labels.json stance_labels.
    pq.write_table(pa.table({"id": ["a/s0", "a/s1"], "label": [1, 0], "target": [0, 0]}), path)
    rows = read_rows(tmp_path / "rel", "stance", "train")
    assert [(r["id"], r["label"], r["target"]) for r in rows] == [
        ("a/s0", "AGAINST", "RU-KP-MILCOOP"),
        ("a/s1", "FAVOR", "RU-KP-MILCOOP"),
    ]


def test_tuning_that_cannot_discriminate_says_so() -> None:
    rows = release_rows()["stance"]
    train = [r for r in rows["train"] if r["label"] == "FAVOR"]  # one class: LR falls back
    params, trace, notes = select_params(
        "stance", "tfidf-lr", train, rows["validation"], load_config()
    )
    grid = load_config()["stance"]["C_grid"]
    assert [t["params"]["C"] for t in trace] == grid
    assert params["C"] == grid[0]
    # Validation d3 is FAVOR, AGAINST, AGAINST, FAVOR; all-FAVOR gives F1 (2/3 + 0) / 2 = 1/3.
    assert notes == [
        f"every grid entry scores the same on validation ({1 / 3}): "
        "the first entry is used, so nothing was really tuned"
    ]
