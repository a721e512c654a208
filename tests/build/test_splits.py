"""Fixed split: story clusters, the never-move rule, hash placement, and the leakage check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rukp.build.release import check, default_inputs
from rukp.build.splits import (
    SplitRow,
    assign,
    clusters,
    hash_split,
    leakage_incidents,
    read_manifest,
    read_stories,
)
from rukp.cli import main
from rukp.documents import Document
from rukp.io import sha256_text, write_jsonl
from rukp.safeio import read_jsonl
from rukp.paths import repo_root
from tests.build.fixtures import EXPECTED, document, gold_for

ROOT = repo_root()


def doc(doc_id: str, text: str, nd: str | None = None) -> Document:
    return Document(doc_id, text, sha256_text(text), None, "en", None, None, None, nd or doc_id)


def test_committed_seed_split_follows_the_stories() -> None:
    stories = read_stories(ROOT / "splits" / "stories.csv")
    manifest = read_manifest(ROOT / "splits" / "manifest.csv")
    assert {
        stories[d] for d in ("000_0c8f196507d21063", "001_f1f761c062743d2a", "002_fcbf21f80f75232e")
    } == {"2023-09-putin-kim-summit"}
    assert {d: r.split for d, r in manifest.items()} == {
        "000_0c8f196507d21063": "train",
        "001_f1f761c062743d2a": "train",
        "002_fcbf21f80f75232e": "train",
        "003_522fb53f6a6fd6fe": "test",
        "004_25ce6273a6f2b184": "validation",
    }
    for d, row in manifest.items():  # the committed sha256 is the one of the expected cleaned text
        assert row.text_sha256 == sha256_text((EXPECTED / f"{d}.txt").read_text(encoding="utf-8"))


def test_clusters_join_stories_and_near_duplicates() -> None:
    docs = {
        "a": doc("a", "x"),
        "b": doc("b", "y", nd="c"),  # near-duplicate of c
        "c": doc("c", "z", nd="c"),
        "d": doc("d", "w"),
    }
    cl = clusters(docs, {"a": "story1", "c": "story1"})
    assert cl == {"a": "story1", "b": "story1", "c": "story1", "d": "d"}


def test_hash_split_is_fixed_by_hand_computed_values() -> None:
    # last 8 hex digits of sha256(name) as an integer, mod 10:
    # "d" 34f4f8e4 → 2 train; "c13" 5e5e3e1c = 1583234588 → 8 validation;
    # "c8" 66111f6d = 1712398189 → 9 test
    assert hash_split("d") == "train"
    assert hash_split("c13") == "validation"
    assert hash_split("c8") == "test"
    counts = {s: 0 for s in ("train", "validation", "test")}
    for k in range(2000):
        counts[hash_split(f"cluster-{k}")] += 1
    assert 1500 < counts["train"] < 1700 and 150 < counts["test"] < 250


def test_existing_rows_never_move_and_new_document_joins_its_cluster() -> None:
    docs = {"a": doc("a", "old text a"), "n": doc("n", "new text n", nd="a")}
    manifest = {"a": SplitRow("a", sha256_text("old text a"), "test", "a")}
    rows, notes = assign(docs, {}, manifest)
    assert rows["a"].split == "test" and rows["n"].split == "test"
    assert notes == []
    # the text of `a` changed: its split stays, a warning says so
    docs["a"] = doc("a", "changed text a")
    rows, notes = assign(docs, {}, manifest)
    assert rows["a"].split == "test" and [n.id for n in notes] == ["manifest-text-changed"]


def test_new_singleton_cluster_is_placed_by_hash() -> None:
    rows, _ = assign({"zz": doc("zz", "t")}, {}, {})
    assert rows["zz"].split == hash_split("zz")


def test_leakage_cluster_crossing_splits() -> None:
    docs = {"a": doc("a", "alpha text one"), "b": doc("b", "beta text two")}
    rows = {"a": SplitRow("a", "", "train", "s"), "b": SplitRow("b", "", "test", "s")}
    ids = [i.id for i in leakage_incidents(docs, rows, {"a": "s", "b": "s"})]
    assert ids == ["cluster-crosses-splits"]


def test_leakage_exact_near_duplicate_and_shared_sentence() -> None:
    base = (
        "North Korea sent artillery shells to Russia according to officials in Seoul. "
        "The Kremlin declined to comment on the reports on Monday evening."
    )
    docs = {
        "t": doc("t", base),
        "copy": doc("copy", base),
        "near": doc("near", base.replace("Monday", "Tuesday")),
        "shares": doc(
            "shares",
            "A different article entirely, about fisheries and weather in the north. "
            "The Kremlin declined to comment on the reports on Monday evening.",
        ),
        "clean": doc("clean", "Nothing in common with the training text at all, really."),
    }
    rows = {d: SplitRow(d, "", "test", d) for d in docs}
    rows["t"] = SplitRow("t", "", "train", "t")
    found = {(i.id, i.doc_id) for i in leakage_incidents(docs, rows, {})}
    assert ("heldout-text-in-train", "copy") in found
    assert ("heldout-near-duplicate-in-train", "near") in found
    assert ("heldout-sentence-in-train", "shares") in found
    assert not any(d == "clean" for _, d in found)


def test_build_check_cli_fails_on_crafted_leak(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new document copying the test article's text but in another story lands in train."""
    docs_path = repo / "build" / "ingest" / "documents.jsonl"
    rows = [r for _, r in read_jsonl(docs_path, "documents")]
    test_text = (EXPECTED / "003_522fb53f6a6fd6fe.txt").read_text(encoding="utf-8")
    # "leak_b" hashes to train (checked below), its text is the test document's with a new title
    leak_text = "A reposted copy\n\n" + test_text.split("\n\n", 1)[1]
    assert hash_split("leak_b") == "train"
    rows.append(document("leak_b", "fr", leak_text))
    write_jsonl(docs_path, rows)
    g = gold_for("leak_b", leak_text, [("Kremlin", 0, "ORG", "kremlin")])
    (repo / "annotations" / "gold" / "leak_b.json").write_text(json.dumps(g), encoding="utf-8")
    incidents = check(default_inputs(repo), repo / "release")
    ids = {i.id for i in incidents}
    assert {"heldout-near-duplicate-in-train", "heldout-sentence-in-train"} <= ids
    assert all(i.doc_id == "003_522fb53f6a6fd6fe" for i in incidents if i.id.startswith("heldout"))
    code = main(
        [
            "build",
            "--check",
            "--documents",
            str(docs_path),
            "--gold",
            str(repo / "annotations" / "gold"),
            "--splits",
            str(repo / "splits"),
            "--out",
            str(repo / "release"),
        ]
    )
    assert code == 1
    assert "heldout-sentence-in-train" in capsys.readouterr().err


def test_committed_seed_split_has_no_leakage_and_is_stable() -> None:
    docs = {}
    for p in sorted(EXPECTED.glob("*.txt")):
        docs[p.stem] = doc(p.stem, p.read_text(encoding="utf-8"))
    stories = read_stories(ROOT / "splits" / "stories.csv")
    manifest = read_manifest(ROOT / "splits" / "manifest.csv")
    rows, notes = assign(docs, stories, manifest)
    assert notes == []
    assert {d: (r.split, r.cluster) for d, r in rows.items()} == {
        d: (r.split, r.cluster) for d, r in manifest.items()
    }
    assert leakage_incidents(docs, rows, stories) == []
