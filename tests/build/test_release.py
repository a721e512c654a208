"""The release folder: real `load_dataset` offline, typed features, manifest, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rukp.build.release import BuildResult, build, default_inputs
from rukp.build.text import Span, decode_bio
from rukp.safeio import sha256_file
from rukp.labels import load_labels
from rukp.versions import data_version
from tests.build.fixtures import ENTITIES, SEEDS, SYNTHETIC

CONFIGS = ("documents", "entities", "ner", "stance", "events")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def loaded(built: tuple[Path, BuildResult], tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from datasets import load_dataset

    root, _ = built
    cache = tmp_path_factory.mktemp("hf-cache")
    return {cfg: load_dataset(str(root / "release"), cfg, cache_dir=str(cache)) for cfg in CONFIGS}


def test_every_config_loads_with_manifest_row_counts(built, loaded) -> None:  # type: ignore[no-untyped-def]
    root, result = built
    manifest = json.loads((root / "release" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == data_version(root)  # DATA_VERSION, not the package version
    for cfg in CONFIGS:
        got = {split: len(ds) for split, ds in loaded[cfg].items()}
        want = {s: n for s, n in manifest["rows"][cfg].items() if n}
        assert got == want
        assert str(loaded[cfg]["train"].info.version) == data_version(root)
    # 4 seeds + 5 synthetic documents; 003 is test and 004 validation (splits/manifest.csv)
    assert manifest["rows"]["documents"] == {"train": 7, "validation": 1, "test": 1}
    assert loaded["documents"]["test"]["id"] == ["003_522fb53f6a6fd6fe"]
    assert loaded["documents"]["validation"]["id"] == ["004_25ce6273a6f2b184"]
    assert result.rows == manifest["rows"]


LOAD_ALL = """
import json, sys
from datasets import load_dataset
out = {}
for cfg in sys.argv[3:]:
    ds = load_dataset(sys.argv[1], cfg, cache_dir=sys.argv[2])
    out[cfg] = {s: len(d) for s, d in ds.items()}
print(json.dumps(out))
"""


def test_fresh_offline_process_loads_every_config(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = built
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", LOAD_ALL, str(root / "release"), str(tmp_path / "cache"), *CONFIGS],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((root / "release" / "manifest.json").read_text(encoding="utf-8"))
    want = {c: {s: n for s, n in manifest["rows"][c].items() if n} for c in CONFIGS}
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == want


def test_features_carry_label_names(loaded) -> None:  # type: ignore[no-untyped-def]
    labels = load_labels()
    f = loaded["ner"]["train"].features
    assert f["ner_tags"].feature.names == list(labels.bio_tags())
    assert loaded["entities"]["train"].features["entities"].feature["type"].names == list(
        labels.entity_types
    )
    sf = loaded["stance"]["train"].features
    assert sf["label"].names == list(labels.stance_labels)
    assert sf["attribution"].names == list(labels.stance_attributions)
    ef = loaded["events"]["train"].features
    assert ef["types"].feature.names == list(labels.event_types)
    assert ef["mentions"].feature["factuality"].names == list(labels.factuality)


def test_ner_rows_decode_back_to_gold_spans(loaded) -> None:  # type: ignore[no-untyped-def]
    names = loaded["ner"]["train"].features["ner_tags"].feature.names
    docs = {r["id"]: r for split in loaded["documents"].values() for r in split}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for split in loaded["ner"].values():
        for row in split:
            toks = [Span(s, e) for s, e in zip(row["token_starts"], row["token_ends"], strict=True)]
            text = docs[row["doc_id"]]["text"]
            assert row["tokens"] == [text[t.start : t.end] for t in toks]
            assert row["id"] == f"{row['doc_id']}/{row['sentence_index']}"
            tags = [names[t] for t in row["ner_tags"]]
            spans.setdefault(row["doc_id"], []).extend(decode_bio(toks, tags))
    for doc_id, ents in {**ENTITIES, **{k: v[2] for k, v in SYNTHETIC.items()}}.items():
        text = docs[doc_id]["text"]
        surfaces = sorted((text[s:e], t) for s, e, t in spans[doc_id])
        assert surfaces == sorted((surf, typ) for surf, _, typ, *_ in ents)


def test_events_and_ner_share_sentences(loaded) -> None:  # type: ignore[no-untyped-def]
    for split in loaded["ner"]:
        assert loaded["ner"][split]["id"] == loaded["events"][split]["id"]
    names = loaded["events"]["train"].features["types"].feature.names
    row = next(r for r in loaded["events"]["train"] if r["mentions"])
    assert row["types"] and all(0 <= t < len(names) for t in row["types"])
    m = row["mentions"][0]
    assert row["start"] <= m["start"] < m["end"] <= row["end"]


def test_stance_row_has_holder_name_and_context(loaded) -> None:  # type: ignore[no-untyped-def]
    rows = {r["id"]: r for split in loaded["stance"].values() for r in split}
    r = rows["000_0c8f196507d21063/s0"]
    assert r["holder"] == "antony_blinken" and r["holder_name"] == "Antony Blinken"
    assert r["evidence"] == "“grave préoccupation”"
    assert r["context_start"] <= r["evidence_start"] < r["evidence_end"] <= r["context_end"]
    assert r["context"].startswith("Le secrétaire d’État américain")
    author = rows["001_f1f761c062743d2a/s0"]
    assert author["holder"] is None and author["holder_name"] is None


def test_manifest_sha256_covers_every_file(built) -> None:  # type: ignore[no-untyped-def]
    root, _ = built
    rel = root / "release"
    manifest = json.loads((rel / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {
        p.relative_to(rel).as_posix()
        for p in rel.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert set(manifest["files"]) == on_disk
    for name, sha in manifest["files"].items():
        assert sha256_file(rel / name, "release-file") == sha
    assert {
        "stats/documents_per_language.png",
        "folds/loo.json",
        "README.md",
        "LICENSE.md",
    } <= on_disk


def test_folds_leave_one_document_out(built) -> None:  # type: ignore[no-untyped-def]
    root, _ = built
    folds = json.loads((root / "release" / "folds" / "loo.json").read_text(encoding="utf-8"))
    docs = sorted([*SEEDS, *SYNTHETIC])
    assert [f["test"] for f in folds["folds"]] == [[d] for d in docs]
    assert all(sorted(f["train"] + f["test"]) == docs for f in folds["folds"])


def test_card_is_generated_from_data(built) -> None:  # type: ignore[no-untyped-def]
    root, _ = built
    readme = (root / "release" / "README.md").read_text(encoding="utf-8")
    assert "<!-- rukp:" not in readme
    assert "9 documents in 8 languages" in readme
    assert "Not yet computed (baselines/results/summary.json is absent)." in readme
    assert "Not yet computed (annotations/AGREEMENT.md is absent)." in readme
    assert "| 003_522fb53f6a6fd6fe | test | 2024-10-troop-deployment |" in readme
    assert "thanhnien.vn" in readme  # per-article licensing from raw/sources.csv
    assert "![Documents per language](stats/documents_per_language.png)" in readme


def test_two_builds_are_byte_identical_across_processes(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = built
    env = {**os.environ, "RUKP_ROOT": str(root), "PYTHONHASHSEED": "12345"}
    out = tmp_path / "second"
    proc = subprocess.run(
        [sys.executable, "-m", "rukp", "build", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    first, second = _files(root / "release"), _files(out)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert any(k.endswith(".png") for k in first)


def test_check_passes_on_fresh_build_and_fails_when_stale(repo: Path) -> None:
    from rukp.build.release import check

    inp = default_inputs(repo)
    build(inp, repo / "release")
    assert check(inp, repo / "release") == []
    (repo / "release" / "stats" / "event_types.png").write_bytes(b"tampered")
    (repo / "release" / "extra.txt").write_text("x", encoding="utf-8")
    incidents = check(inp, repo / "release")
    assert {(i.id, i.file) for i in incidents} == {
        ("release-stale", "release/stats/event_types.png"),
        ("release-stale", "release/extra.txt"),
    }


def test_failed_build_leaves_the_old_release_untouched(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rukp.build import release as release_mod

    inp = default_inputs(repo)
    build(inp, repo / "release")
    before = _files(repo / "release")

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(release_mod.stats, "write_all", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        build(inp, repo / "release")
    assert _files(repo / "release") == before
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".release")) == []
