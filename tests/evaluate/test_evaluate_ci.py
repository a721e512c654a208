"""Honest uncertainty: CIs undefined (with the reason) below 2 documents, in the library, the
JSON and the text report; bootstrap options validated; chunked resampling = one draw."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rukp.cli import main
from rukp.errors import RukpError
from rukp.evaluate import format_report, score_task
from rukp.evaluate import metrics as M
from rukp.evaluate.synthetic import random_ner


def _one_doc_stance() -> tuple[list[dict], list[dict]]:
    gold = [
        {"id": "a/s1", "doc_id": "a", "language": "en", "label": "FAVOR"},
        {"id": "a/s2", "doc_id": "a", "language": "en", "label": "AGAINST"},
    ]
    return gold, [{"id": "a/s1", "label": "FAVOR"}, {"id": "a/s2", "label": "FAVOR"}]


def test_one_document_gives_undefined_intervals_with_the_reason() -> None:
    gold, pred = _one_doc_stance()
    res = score_task("stance", gold, pred, bootstrap=1000, seed=0)
    # FAVOR tp1 p2 g1 -> 2/3; AGAINST 0 -> SemEval 1/3: a score, but no interval
    assert abs(res["score"] - 1 / 3) <= 1e-12
    assert res["ci"] == dict.fromkeys(res["metrics"])  # every metric: null, never [x, x]
    reason = "undefined: 1 document scored; resampling documents needs at least 2"
    assert res["ci_undefined"] == reason
    assert res["per_language"]["en"]["ci_undefined"] == reason
    assert res["bootstrap"]["min_units"] == 2
    assert json.loads(json.dumps(res))["ci"]["f1_favor_against"] is None
    text = format_report(res)
    assert text.splitlines()[0] == f"stance: f1_favor_against = 33.33  95% CI {reason}"
    assert "f1_favor_against      33.33  undefined" in text


def test_per_language_reason_when_only_one_language_has_one_document() -> None:
    gold = [
        {"id": "a/s1", "doc_id": "a", "language": "en", "label": "FAVOR"},
        {"id": "b/s1", "doc_id": "b", "language": "en", "label": "AGAINST"},
        {"id": "c/s1", "doc_id": "c", "language": "ko", "label": "AGAINST"},
    ]
    pred = [{"id": g["id"], "label": "FAVOR"} for g in gold]
    res = score_task("stance", gold, pred, bootstrap=200, seed=0)
    assert res["ci_undefined"] is None and res["ci"]["accuracy"] is not None
    assert res["per_language"]["en"]["ci_undefined"] is None
    assert res["per_language"]["ko"]["ci_undefined"].startswith("undefined: 1 document")
    assert "(ko: CI undefined: 1 document scored" in format_report(res)


def test_bootstrap_zero_says_not_computed() -> None:
    gold, pred = _one_doc_stance()
    res = score_task("stance", gold, pred, bootstrap=0)
    assert res["ci_undefined"] == "not computed (bootstrap 0)"


@pytest.mark.parametrize(
    ("bootstrap", "seed", "words"),
    [
        (-5, 0, "--bootstrap -5: allowed are 0 (no confidence intervals) or 100 to 100,000"),
        (99, 0, "--bootstrap 99"),
        (100_001, 0, "--bootstrap 100001"),
        (True, 0, "--bootstrap True"),
        (1000, -1, "--seed -1: allowed are integers from 0 to 2**63 - 1"),
    ],
)
def test_bad_bootstrap_options_are_refused(bootstrap, seed, words: str) -> None:
    gold, pred = _one_doc_stance()
    with pytest.raises(RukpError) as info:
        score_task("stance", gold, pred, bootstrap=bootstrap, seed=seed)
    (inc,) = info.value.incidents
    assert inc.id == "bad-option" and words in inc.message


def test_cli_refuses_negative_bootstrap_and_stores_nothing(tmp_path: Path, capsys) -> None:
    pred = tmp_path / "p.jsonl"
    pred.write_text("")
    code = main(["evaluate", "--task", "ner", "--predictions", str(pred), "--bootstrap", "-5"])
    assert code == 1
    err = capsys.readouterr().err
    assert "ERROR bad-option" in err and "boot:-5" not in err


def test_chunked_resampling_draws_what_one_matrix_draws(monkeypatch) -> None:
    c = np.random.default_rng(1).integers(0, 9, size=(37, 5)).astype(np.float64)
    whole = np.concatenate(list(M.bootstrap_weights(37, 250, seed=4)))
    monkeypatch.setattr(M, "BOOTSTRAP_CELLS", 37 * 7)  # chunks of 7 resamples
    chunks = list(M.bootstrap_weights(37, 250, seed=4))
    assert len(chunks) == 36 and sum(len(w) for w in chunks) == 250
    assert np.array_equal(np.concatenate(chunks), whole)
    assert np.array_equal(whole.sum(axis=1), np.full(250, 37.0))  # 37 draws per resample
    rng = np.random.default_rng(4)  # the documented draw: one integers() call
    idx = rng.integers(0, 37, size=(250, 37))
    counts = np.stack([np.bincount(row, minlength=37) for row in idx]).astype(np.float64)
    assert np.array_equal(counts, whole)
    assert np.array_equal(whole @ c, counts @ c)


def test_many_documents_give_a_real_interval() -> None:
    gold, preds = random_ner(seed=5, n_docs=30)
    res = score_task("ner", gold, preds, bootstrap=300, seed=0)
    lo, hi = res["ci"]["f1"]
    assert lo < res["score"] < hi and res["ci_undefined"] is None
    assert res["ci"]["strict_f1"][0] < res["metrics"]["strict_f1"] < res["ci"]["strict_f1"][1]


def test_max_bytes_must_be_positive(tmp_path: Path) -> None:
    from rukp.evaluate import evaluate_submission

    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", tmp_path / "p.jsonl", tmp_path, max_bytes=0)
    (inc,) = info.value.incidents
    assert inc.id == "bad-option" and "--max-bytes 0: allowed are positive" in inc.message
