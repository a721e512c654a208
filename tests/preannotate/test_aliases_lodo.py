"""Registry aliases (origins, CLDR, refresh) and leave-one-document-out without leakage."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from rukp.baselines.run import load_config
from rukp.cli import main
from rukp.preannotate import evaluate
from rukp.preannotate.aliases import aliases_of, cldr_names, refresh_registry
from rukp.preannotate.core import Settings
from rukp.preannotate.run import ReleaseRows, make_preannotator

REPO = Path(__file__).resolve().parents[2]
RELEASE = REPO / "release"
REGISTRY = REPO / "annotations" / "entities.json"


def test_cldr_short_names() -> None:
    got = cldr_names(
        {"territory": "KP", "capital": "Asia/Pyongyang"}, ["ru", "ko", "zh", "ar", "de"]
    )
    assert got == {
        "ru": ["КНДР", "Пхеньян"],
        "ko": ["북한", "평양"],
        "zh": ["朝鲜", "平壤"],
        "ar": ["كوريا الشمالية", "بيونغ يانغ"],
        "de": ["Nordkorea", "Pjöngjang"],
    }
    # a locale without its own exemplar city inherits the root one (CLDR's rule)
    assert cldr_names({"city": "Asia/Seoul"}, ["de"]) == {"de": ["Seoul"]}


ENTRY = {
    "id": "park_jin",
    "type": "PER",
    "names": {"it": ["Parco Chen", "Park Jin"], "en": ["Park Jin"]},
    "aliases": [
        {"name": "박진", "lang": "ko", "from": ["hand"]},
        {"name": "Park Jin", "lang": "en", "from": ["hand"]},
        {"name": "stale", "lang": "en", "from": ["cldr"]},
    ],
}
ROWS = [
    {"id": "A", "language": "it", "entities": [{"text": "Parco Chen", "canonical_id": "park_jin"}]},
    {"id": "B", "language": "en", "entities": [{"text": "Park Jin", "canonical_id": "park_jin"}]},
    {"id": "C", "language": "it", "entities": [{"text": "Park Jin", "canonical_id": "park_jin"}]},
]


def test_refresh_keeps_hand_recomputes_the_rest() -> None:
    fresh = refresh_registry({"entities": [ENTRY]}, ROWS, languages=["en"])
    assert fresh["entities"][0]["aliases"] == [
        {"name": "Park Jin", "lang": "en", "from": ["gold", "hand"], "docs": ["B"]},
        {"name": "Parco Chen", "lang": "it", "from": ["gold"], "docs": ["A"]},
        {"name": "Park Jin", "lang": "it", "from": ["gold"], "docs": ["C"]},
        {"name": "박진", "lang": "ko", "from": ["hand"]},
    ]
    assert ENTRY["aliases"][2]["name"] == "stale"  # the input is not modified


def test_held_out_document_loses_its_own_gold_names() -> None:
    def names(held_out: str | None) -> set[tuple[str, str]]:
        return {(a.lang, a.name) for a in aliases_of([ENTRY], ROWS, held_out=held_out)}

    everything = names(None)
    assert ("it", "Parco Chen") in everything
    # "Parco Chen" is only in A's gold: gone in A's fold
    assert ("it", "Parco Chen") not in names("A")
    # "Park Jin" is in B's gold and also in C's (and hand-written): it stays
    assert {("it", "Park Jin"), ("en", "Park Jin")} <= names("B")
    assert ("ko", "박진") in names("A")


@pytest.fixture(scope="module")
def rows() -> ReleaseRows:
    return ReleaseRows.read(RELEASE)


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return json.loads(REGISTRY.read_text(encoding="utf-8"))["entities"]


def test_no_leak_on_the_release(rows: ReleaseRows, entries: list[dict]) -> None:
    """In each fold, no registry match uses a name that only the held-out document's gold has.

    Hand-written and CLDR aliases are taken out of the registry here, so that every document has
    names of its own (with them, some names of a document are also hand-written and may stay).
    """
    entries = [
        {
            **e,
            "aliases": [a for a in e.get("aliases", []) if set(a["from"]) <= {"gold", "registry"}],
        }
        for e in entries
    ]
    docs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows.entities:
        for e in r["entities"]:
            if e["canonical_id"]:
                docs_of[(e["canonical_id"], e["text"])].add(r["id"])
    config = load_config()
    checked = 0
    for r in rows.documents:
        d = r["id"]
        own = {k for k, v in docs_of.items() if v == {d}}
        assert own, f"{d} has no name of its own: the test would prove nothing"
        pre = make_preannotator(rows, entries, config, Settings(use_crf=False), held_out=d)
        assert pre.matcher is not None
        used = {
            (m.alias.id, m.alias.name) for m in pre.matcher.candidates(r["text"], r["language"])
        }
        assert not (used & own), f"fold {d} leaks {sorted(used & own)}"
        # ... while the full registry does find them: the check can fail
        full = make_preannotator(rows, entries, config, Settings(use_crf=False))
        assert full.matcher is not None
        found = {
            (m.alias.id, m.alias.name) for m in full.matcher.candidates(r["text"], r["language"])
        }
        checked += len(found & own)
    assert checked > 0


def test_lodo_trains_without_the_held_out_document(
    rows: ReleaseRows, entries: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[set[str]] = []
    real = evaluate.train_crf

    def spy(ner_rows, config):  # type: ignore[no-untyped-def]
        seen.append({r["doc_id"] for r in ner_rows})
        return real(ner_rows, config)

    monkeypatch.setattr(evaluate, "train_crf", spy)
    variants = {"crf": evaluate.VARIANTS["crf"], "combined": evaluate.VARIANTS["combined"]}
    report = evaluate.lodo(RELEASE, entries, load_config(), variants)
    docs = [f["doc_id"] for f in report["folds"]]
    assert len(seen) == len(docs) == len(rows.documents)
    for d, trained_on in zip(docs, seen, strict=True):
        assert d not in trained_on and trained_on
    crf, combined = report["variants"]["crf"], report["variants"]["combined"]
    n_gold = sum(len(r["entities"]) for r in rows.entities)
    assert crf["gold"] == combined["gold"] == n_gold
    assert crf["linked_ok"] == 0  # the CRF alone links nothing
    assert combined["tp"] <= combined["pred"] and combined["linked_ok"] <= combined["linkable"]


def test_committed_registry_aliases_are_fresh(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["preannotate", "--check-aliases", "--registry", str(REGISTRY)]
    assert main([*argv, "--release", str(RELEASE)]) == 0, capsys.readouterr().out


def test_stale_registry_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(REGISTRY.read_text(encoding="utf-8"))
    data["entities"][0]["aliases"] = []
    stale = tmp_path / "entities.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    argv = ["preannotate", "--check-aliases", "--registry", str(stale), "--release", str(RELEASE)]
    assert main(argv) == 1
    assert "stale" in capsys.readouterr().out
    assert (
        main(
            [
                "preannotate",
                "--refresh-aliases",
                "--registry",
                str(stale),
                "--release",
                str(RELEASE),
            ]
        )
        == 0
    )
    assert main(argv) == 0
