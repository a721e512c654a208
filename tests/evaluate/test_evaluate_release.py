"""Gold from a release: ClassLabel names, manifest hash in the signature, end-to-end scores."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from evaluate_fixtures import EVENTS_TEST, NER_TEST, STANCE_TEST

from rukp.errors import RukpError
from rukp.evaluate import evaluate_submission, format_report
from rukp.evaluate.release import load_gold
from rukp.evaluate.synthetic import write_release
from rukp.io import write_json
from rukp.safeio import sha256_file


def test_gold_labels_come_back_as_names(tiny_release: Path) -> None:
    ner = load_gold("ner", tiny_release)
    assert [r["ner_tags"] for r in ner.rows] == [r["ner_tags"] for r in NER_TEST]
    assert ner.rows[0]["tokens"] == ["Kim", "Jong", "met", "Russia"]
    # the stored column really holds integers (ClassLabel), decoded by load_gold
    raw = pq.read_table(tiny_release / "ner/test-00000-of-00001.parquet").column("ner_tags")
    assert raw.to_pylist()[1] == [0, 3, 0]  # O, B-ORG, O in bio_tags() order
    assert [r["label"] for r in load_gold("stance", tiny_release).rows] == [
        r["label"] for r in STANCE_TEST
    ]
    assert [r["types"] for r in load_gold("events", tiny_release).rows] == [
        r["types"] for r in EVENTS_TEST
    ]
    assert [r["id"] for r in load_gold("ner", tiny_release, "train").rows] == ["c/0"]


def test_signature_hashes_the_manifest_entries_of_the_split(tiny_release: Path, tmp_path) -> None:
    rel = "ner/test-00000-of-00001.parquet"
    digest = sha256_file(tiny_release / rel, "release-file")
    expected = hashlib.sha256(f"{rel} {digest}\n".encode()).hexdigest()
    gold = load_gold("ner", tiny_release)
    assert gold.data_sha256 == expected and gold.version == "0.1.0"
    pred = tmp_path / "p.jsonl"
    pred.write_text(
        "".join(json.dumps({"id": r["id"], "tags": r["ner_tags"]}) + "\n" for r in NER_TEST)
    )
    res = evaluate_submission("ner", pred, tiny_release, bootstrap=100, seed=3)
    assert res["signature"] == (
        f"ner|f1:conlleval|split:test|data:0.1.0+sha256:{expected[:12]}|scorer:2.0.0|boot:100+seed:3"
    )
    assert res["predictions_sha256"] == hashlib.sha256(pred.read_bytes()).hexdigest()
    # other gold -> other hash
    changed = [dict(r) for r in NER_TEST]
    changed[2] = {**changed[2], "ner_tags": ["O", "O"]}
    other = write_release(tmp_path / "other", {"ner": {"test": changed}}, version="0.1.0")
    assert load_gold("ner", other).data_sha256 != expected


def test_parquet_without_features_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "rel"
    (root / "stance").mkdir(parents=True)
    path = root / "stance/test-00000-of-00001.parquet"
    table = pa.table({"id": ["a/s1"], "doc_id": ["a"], "language": ["en"], "label": [0]})
    pq.write_table(table, path)
    write_json(
        root / "manifest.json",
        {
            "version": "0.0.1",
            "files": {"stance/test-00000-of-00001.parquet": sha256_file(path, "release-file")},
            "rows": {},
        },
    )
    with pytest.raises(RukpError) as info:
        load_gold("stance", root)
    assert info.value.incidents[0].id == "release-features-missing"


def test_stance_and_events_end_to_end(tiny_release: Path, tmp_path: Path) -> None:
    stance = tmp_path / "s.jsonl"
    labels = ["FAVOR", "AGAINST", "AGAINST", "NEUTRAL"]
    stance.write_text(
        "".join(
            json.dumps({"id": r["id"], "label": x}) + "\n"
            for r, x in zip(STANCE_TEST, labels, strict=True)
        )
    )
    res = evaluate_submission("stance", stance, tiny_release, bootstrap=100)
    # gold F, A, N, A: FAVOR 1, AGAINST tp1 p2 g2 -> 1/2, NEUTRAL 0 -> SemEval 3/4, macro 1/2
    assert res["score"] == 0.75 and res["metrics"]["macro_f1"] == 0.5
    assert res["signature"].startswith("stance|f1:favor-against-macro|split:test|data:0.1.0+")
    assert res["per_language"]["en"]["metrics"]["accuracy"] == 1.0
    assert "stance: f1_favor_against = 75.00" in format_report(res)
    events = tmp_path / "e.jsonl"
    types = [["AID"], ["FIGHT"], ["AID"]]
    events.write_text(
        "".join(
            json.dumps({"id": r["id"], "types": t}) + "\n"
            for r, t in zip(EVENTS_TEST, types, strict=True)
        )
    )
    res = evaluate_submission("events", events, tiny_release, bootstrap=100)
    # AID tp2 p2 g2, FIGHT tp0 p1 g1 -> micro 4/6, macro 1/2
    assert abs(res["score"] - 2 / 3) <= 1e-12 and res["metrics"]["macro_f1"] == 0.5
    assert res["per_type"]["FIGHT"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "support": 1,
        "predicted": 1,
        "tp": 0,
    }
