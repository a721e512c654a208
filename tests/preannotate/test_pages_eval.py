"""`rukp preannotate --eval --pages`: per page, per script and overall, on a hand-made page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rukp.cli import main
from rukp.preannotate.evaluate import evaluate_pages, render_pages

REPO = Path(__file__).resolve().parents[2]
TEXT = "북한은 러시아와 쇼이구"
PAGE = {
    "id": "ner_ko_t1",
    "lang": "ko",
    "text": TEXT,
    "entities": [
        {"start": 0, "end": 2, "text": "북한", "type": "GPE", "canonical_id": "north_korea"},
        {"start": 4, "end": 7, "text": "러시아", "type": "GPE", "canonical_id": "russia"},
        {"start": 9, "end": 12, "text": "쇼이구", "type": "PER", "canonical_id": "sergei_shoigu"},
    ],
    "new_referents": [{"id": "sergei_shoigu", "type": "PER"}],
    "notes": "",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "ner_ko_t1.json").write_text(json.dumps(PAGE, ensure_ascii=False), "utf-8")
    (tmp_path / "README.md").write_text("not a page", "utf-8")
    return tmp_path


def test_page_scores(folder: Path) -> None:
    from rukp.baselines.run import load_config

    entries = json.loads((REPO / "annotations" / "entities.json").read_text("utf-8"))["entities"]
    rep = evaluate_pages(folder, REPO / "release", entries, load_config())
    c = rep["overall"]["combined"]
    # 북한 and 러시아 found and linked (particles outside); the new referent is missed
    assert (c["tp"], c["gold"], c["pred"]) == (2, 3, 2)
    assert c["f1"] == 0.8
    # link accuracy only over gold ids the registry knows: 2 of 2
    assert (c["linked_ok"], c["linkable"]) == (2, 2)
    # one region to add, and its id to type
    assert c["edits"] == {"delete": 0, "add": 1, "boundary": 0, "type": 0, "id": 1}
    assert rep["scripts"]["Hangul"]["combined"] == c
    assert rep["pages"][0]["new_referents"] == 1
    assert "| Hangul |" in render_pages(rep)


def test_cli_with_pages(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.json"
    assert main(["preannotate", "--eval", "--pages", str(folder), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Leave-one-document-out" in out and "| all pages |" in out
    data = json.loads(report.read_text("utf-8"))
    assert set(data) == {"lodo", "pages"}
    assert data["lodo"]["signature"].startswith("preannotate|lodo|")


def test_bad_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.json").write_text('{"id": "x"}', "utf-8")
    assert main(["preannotate", "--eval", "--pages", str(tmp_path)]) == 1
    assert "bad-page" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("page", "where"),
    [
        (["id", "lang", "text", "entities"], "$"),  # once passed the key check (`in` a list)
        ({**PAGE, "text": None}, "$.text"),
        ({**PAGE, "entities": [{**PAGE["entities"][0], "end": 13}]}, "$.entities[0]"),
        ({**PAGE, "entities": [{**PAGE["entities"][0], "start": "0"}]}, "$.entities[0]"),
        ({**PAGE, "entities": [{**PAGE["entities"][0], "canonical_id": 7}]}, "$.entities[0]"),
        ({**PAGE, "new_referents": {}}, "$.new_referents"),
        # found by fuzzing: an entity without canonical_id passed, then crashed (KeyError)
        (
            {
                **PAGE,
                "entities": [{k: v for k, v in PAGE["entities"][0].items() if k != "canonical_id"}],
            },
            "$.entities[0]",
        ),
    ],
)
def test_pages_the_evaluation_cannot_use_are_bad_pages(
    page: object, where: str, tmp_path: Path
) -> None:
    from rukp.errors import RukpError
    from rukp.preannotate.evaluate import read_pages

    (tmp_path / "p.json").write_text(json.dumps(page), "utf-8")
    with pytest.raises(RukpError) as exc:
        read_pages(tmp_path)
    assert [(i.id, i.location) for i in exc.value.incidents] == [("bad-page", where)]


def test_pages_are_read_through_safeio(tmp_path: Path) -> None:
    import os

    from rukp.errors import RukpError
    from rukp.preannotate.evaluate import read_pages

    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "latin1.json").write_bytes(b'{"id": "\xe9"}')
    with pytest.raises(RukpError) as exc:
        read_pages(tmp_path)
    assert [i.id for i in exc.value.incidents] == ["not-a-regular-file", "not-utf8"]
    with pytest.raises(RukpError) as exc:
        read_pages(tmp_path / "fifo.json")
    assert [i.id for i in exc.value.incidents] == ["bad-page"]
