"""The five raw seeds must give exactly the hand-checked texts annotators are working on.

tests/ingest/expected/ holds cleaner 2.0's texts; against cleaner 1.x they differ in one line
only: 001's closing agency credit line ("Con informazioni di Europa Press e EFE") is furniture.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from rukp.cli import main
from rukp.ingest.pipeline import CLEANER_VERSION

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).parent / "expected"
SEEDS = sorted(p.stem for p in EXPECTED.glob("*.txt"))


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    out = tmp_path_factory.mktemp("seeds")
    code = main(["ingest", "--raw", str(ROOT / "raw"), "--out", str(out)])
    return code, out


def _documents(out: Path) -> dict[str, dict]:
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return {d["doc_id"]: d for d in map(json.loads, lines)}


def test_seed_run_exits_zero(seed_run: tuple[int, Path]) -> None:
    code, out = seed_run
    assert code == 0
    assert sorted(_documents(out)) == SEEDS


@pytest.mark.parametrize("doc_id", SEEDS)
def test_seed_text_equals_expected(seed_run: tuple[int, Path], doc_id: str) -> None:
    doc = _documents(seed_run[1])[doc_id]
    assert doc["text"] == (EXPECTED / f"{doc_id}.txt").read_text(encoding="utf-8")


def test_seed_records_match_schema_and_offsets(seed_run: tuple[int, Path]) -> None:
    schema = json.loads((ROOT / "schema" / "document.schema.json").read_text())
    for doc in _documents(seed_run[1]).values():
        jsonschema.validate(doc, schema)
        paragraphs = doc["text"].split("\n\n")
        assert [doc["text"][p["start"] : p["end"]] for p in doc["paragraphs"]] == paragraphs
        assert doc["cleaner_version"] == CLEANER_VERSION


# Metadata read from the pages (see raw/sources.csv, filled in by hand).
SEED_META = {
    "000_0c8f196507d21063": ("fr", True, None, None, None),
    "001_f1f761c062743d2a": ("it", False, None, None, None),
    "002_fcbf21f80f75232e": ("it", True, None, None, None),
    "003_522fb53f6a6fd6fe": (
        "fr", False, None,
        "https://thanhnien.vn/nga-noi-gi-truoc-thong-tin-binh-si-trieu-tien-se-tham-chien-o-ukraine-185241021162851749.htm",
        "thanhnien.vn",
    ),
    "004_25ce6273a6f2b184": ("en", False, "2024-06-24", None, None),
}  # fmt: skip


@pytest.mark.parametrize("doc_id", SEEDS)
def test_seed_metadata(seed_run: tuple[int, Path], doc_id: str) -> None:
    doc = _documents(seed_run[1])[doc_id]
    language, has_title, published, url, outlet = SEED_META[doc_id]
    assert doc["language"] == language
    expected_title = doc["text"].split("\n\n")[0] if has_title else None
    assert doc["title"] == expected_title
    assert (doc["published"], doc["url"], doc["outlet"]) == (published, url, outlet)
    assert doc["near_duplicate_cluster"] == doc_id


def test_seed_drop_reasons(seed_run: tuple[int, Path]) -> None:
    """Reasons checked by hand on the seed pages' furniture lines."""
    rows = [json.loads(x) for x in (seed_run[1] / "dropped.jsonl").read_text().splitlines()]
    got = {(r["doc_id"][:3], r["line"]): r["reason"] for r in rows}
    assert got[("000", 3)] == "repeated-title"
    assert got[("000", 9)] == "share-buttons"  # Facebook
    assert got[("000", 14)] == "comments"  # Laisser un commentaire
    assert got[("000", 20)] == "ads"  # Your Ads Here (365 x 270 area)
    assert got[("000", 24)] == "newsletter"  # Subscribe our newsletter
    assert got[("001", 14)] == "source-line"  # Con informazioni di Europa Press e EFE
    assert got[("003", 13)] == "source-line"  # Source : https://thanhnien.vn/…
    assert got[("003", 20)] == "comments"  # Comment (0)
    assert got[("004", 1)] == "date-line"  # the "date 2024-06-24" field cut from line 1
    assert got[("004", 15)] == "related-list"  # More on the topic
    assert got[("004", 19)] == "no-text"  # "-"
    report = json.loads((seed_run[1] / "report.json").read_text())
    assert report["drops_per_reason"]["share-buttons"] == 5
    assert report["counts"] == {
        "files": 5,
        "documents": 5,
        "rejected": 0,
        "no_article": 0,
        "lines_dropped": len(rows),
        "template_lines": 0,
    }
    assert report["formats"] == {"txt": 5}
