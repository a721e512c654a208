"""Hand-written pages in several languages: exact cleaned text, drop reasons, metadata."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest

from rukp.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from ingest_pages import (
    ONLY_BOILERPLATE,
    ONLY_BOILERPLATE_DROPS,
    PAGES,
    Page,
    page_bytes,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    raw = tmp_path_factory.mktemp("raw")
    for page in PAGES:
        (raw / f"{page.name}.txt").write_bytes(page_bytes(page))
    out = tmp_path_factory.mktemp("out")
    return main(["ingest", "--raw", str(raw), "--out", str(out)]), out


def _docs(out: Path) -> dict[str, dict]:
    rows = map(json.loads, (out / "documents.jsonl").read_text(encoding="utf-8").splitlines())
    return {d["doc_id"]: d for d in rows}


def _drops(out: Path, doc_id: str) -> list[tuple[str, str]]:
    rows = map(json.loads, (out / "dropped.jsonl").read_text(encoding="utf-8").splitlines())
    return [(r["reason"], r["text"]) for r in rows if r["doc_id"] == doc_id]


def test_all_pages_ingested(run: tuple[int, Path]) -> None:
    code, out = run
    assert code == 0
    assert sorted(_docs(out)) == sorted(p.name for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_text(run: tuple[int, Path], page: Page) -> None:
    assert _docs(run[1])[page.name]["text"] == page.text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_drop_reasons(run: tuple[int, Path], page: Page) -> None:
    assert _drops(run[1], page.name) == page.drops


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_metadata(run: tuple[int, Path], page: Page) -> None:
    doc = _docs(run[1])[page.name]
    schema = json.loads((ROOT / "schema" / "document.schema.json").read_text())
    jsonschema.validate(doc, schema)
    assert doc["title"] == page.title
    assert doc["language"] == page.language
    assert (doc["published"], doc["url"], doc["outlet"]) == (page.published, page.url, page.outlet)
    assert len(doc["warnings"]) == len(page.warnings)
    for expected, got in zip(page.warnings, doc["warnings"], strict=True):
        assert expected in got and f"{page.name}.txt" in got
    assert [p["language"] for p in doc["paragraphs"]] == [page.language] * len(doc["paragraphs"])


def test_wire_copies_share_a_cluster(run: tuple[int, Path]) -> None:
    docs = _docs(run[1])
    assert docs["wire_a"]["near_duplicate_cluster"] == "wire_a"
    assert docs["wire_b"]["near_duplicate_cluster"] == "wire_a"
    others = {d["near_duplicate_cluster"] for k, d in docs.items() if not k.startswith("wire")}
    assert others == {k for k in docs if not k.startswith("wire")}
    report = json.loads((run[1] / "report.json").read_text())
    assert report["near_duplicate_clusters"] == {"wire_a": ["wire_a", "wire_b"]}


def test_dropped_line_numbers(run: tuple[int, Path]) -> None:
    rows = map(json.loads, (run[1] / "dropped.jsonl").read_text(encoding="utf-8").splitlines())
    es = {(r["line"], r["reason"]) for r in rows if r["doc_id"] == "es_crlf_comments"}
    assert es == {(1, "share-buttons"), (4, "ads"), (7, "source-line"), (8, "comment-form"),
                  (9, "comment-form"), (10, "newsletter")}  # fmt: skip


def test_only_boilerplate_page_is_reported_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_bytes(page_bytes(PAGES[0]))
    (raw / "junk.txt").write_text(ONLY_BOILERPLATE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no-article-left" in err and "junk.txt" in err and "Traceback" not in err
    assert sorted(_docs(out)) == ["good"]
    assert _drops(out, "junk") == ONLY_BOILERPLATE_DROPS
    report = json.loads((out / "report.json").read_text())
    assert [r["doc_id"] for r in report["no_article"]] == ["junk"]
    assert report["counts"]["no_article"] == 1
