"""The cleaning metrics of rukp.ingest.quality, with values computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rukp.errors import RukpError
from rukp.ingest.quality import (
    Extraction,
    bag_f1,
    line_scores,
    lines_match,
    load_fixtures,
    mean_scores,
    score_page,
    title_key,
    tokens,
)


def test_tokens_split_cjk_characters_and_keep_hangul_words() -> None:
    assert tokens("Kim met Putin.") == ["kim", "met", "putin"]
    assert tokens("朝俄条约") == ["朝", "俄", "条", "约"]
    assert tokens("북한이 러시아에") == ["북한이", "러시아에"]


@pytest.mark.parametrize(
    ("predicted", "expected", "prf"),
    [
        # 3 of 4 predicted tokens are right, 3 of 3 expected found: P 0.75, R 1, F1 6/7
        ("a b c x", "a b c", (0.75, 1.0, 6 / 7)),
        # bags: repeated tokens count as often as they occur (overlap min(2, 1) = 1)
        ("a a", "a b", (0.5, 0.5, 0.5)),
        ("", "a", (0.0, 0.0, 0.0)),
        ("", "", (1.0, 1.0, 1.0)),
    ],
)
def test_bag_f1(predicted: str, expected: str, prf: tuple[float, float, float]) -> None:
    assert bag_f1(predicted, expected) == pytest.approx(prf)


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [
        ("Kim  met Putin.", "Kim met Putin.", True),  # spaces do not count
        # 40 of 45 characters (0.89 ≥ 0.8): a short credit left glued still matches
        (
            "AFP: Kim met Putin in Pyongyang on Wednesday.",
            "Kim met Putin in Pyongyang on Wednesday.",
            True,
        ),
        # 40 of 51 characters (0.78 < 0.8)
        (
            "Photo: AFP Kim met Putin in Pyongyang on Wednesday.",
            "Kim met Putin in Pyongyang on Wednesday.",
            False,
        ),
        ("Photo: AFP / Getty Images Kim met Putin.", "Kim met Putin.", False),  # 14 of 40 < 0.8
        ("Kim met Putin.", "Putin met Kim.", False),
    ],
)
def test_lines_match(a: str, b: str, match: bool) -> None:
    assert lines_match(a, b) is match


def test_line_scores_match_each_expected_line_once() -> None:
    # predicted: 3 lines, 2 of them body (the duplicate is not matched twice)
    assert line_scores(["A b c.", "A b c.", "Menu"], ["A b c.", "D e f."]) == (1 / 3, 1 / 2)
    assert line_scores([], ["A"]) == (0.0, 0.0)
    assert line_scores([], []) == (1.0, 1.0)


def test_title_key_ignores_case_spaces_and_edge_punctuation() -> None:
    assert title_key("  «Kim  meets Putin» ") == title_key("kim meets putin")
    assert title_key(None) is None


EXPECTED = {
    "is_article": True,
    "title": "Kim meets Putin",
    "published": "2024-06-19",
    "source_url": None,
    "body": ["One two three four.", "Five six seven eight."],
}


def test_score_page_by_hand() -> None:
    ex = Extraction(
        is_article=True,
        body=["One two three four.", "Menu"],
        title="Kim meets Putin",
        published="2024-06-20",
        url=None,
    )
    row = score_page(ex, EXPECTED)
    # tokens: predicted 5 (one two three four menu), expected 8, overlap 4: P .8 R .5 F1 8/13
    assert row["body_f1"] == pytest.approx(8 / 13)
    assert (row["line_precision"], row["line_recall"]) == (0.5, 0.5)
    assert (row["title"], row["published"], row["url"], row["is_article"]) == (
        True,
        False,
        True,
        True,
    )


def test_a_non_article_page_is_scored_on_is_article_only() -> None:
    row = score_page(Extraction(is_article=True, body=["x"]), {**EXPECTED, "is_article": False})
    assert row == {"is_article": False}
    means = mean_scores([row, score_page(Extraction(False), {**EXPECTED, "is_article": False})])
    assert means["is_article"] == 0.5 and means["body_f1"] is None


def test_an_article_missed_scores_zero() -> None:
    row = score_page(Extraction(is_article=False), EXPECTED)
    assert (row["body_f1"], row["line_precision"], row["line_recall"]) == (0.0, 0.0, 0.0)
    assert row["is_article"] is False


def _fixture(folder: Path, name: str, answer: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text("Title\nBody line.\n", encoding="utf-8")
    (folder / f"{name}.expected.json").write_text(json.dumps(answer), encoding="utf-8")


def test_load_fixtures_reads_both_parts_and_checks_the_split(tmp_path: Path) -> None:
    answer = {**EXPECTED, "id": "x", "format": "txt", "lang": "en", "site_kind": "t", "notes": ""}
    _fixture(tmp_path / "tune", "t1", answer)
    _fixture(tmp_path / "sealed", "s1", answer)
    (tmp_path / "split.json").write_text(json.dumps({"sealed": ["s1"], "tune": ["t1"]}))
    fx = load_fixtures(tmp_path, tmp_path / "split.json")
    assert [(f.id, f.part) for f in fx] == [("t1", "tune"), ("s1", "sealed")]
    (tmp_path / "split.json").write_text(json.dumps({"sealed": ["t1"], "tune": ["s1"]}))
    with pytest.raises(RukpError) as exc:
        load_fixtures(tmp_path, tmp_path / "split.json")
    assert exc.value.incidents[0].id == "fixture-split-mismatch"


def test_the_dev_and_third_sealed_parts_are_read_from_their_folders(tmp_path: Path) -> None:
    answer = {**EXPECTED, "id": "x", "format": "txt", "lang": "en", "site_kind": "t", "notes": ""}
    _fixture(tmp_path / "tune", "t1", answer)
    _fixture(tmp_path / "sealed", "s1", answer)
    _fixture(tmp_path / "sealed-3", "n1", answer)
    _fixture(tmp_path / "dev", "d1", answer)
    split = {"sealed": ["s1"], "tune": ["t1"], "sealed-3": ["n1"], "dev": ["d1"]}
    (tmp_path / "split.json").write_text(json.dumps(split))
    fx = load_fixtures(tmp_path, tmp_path / "split.json")
    assert [(f.id, f.part) for f in fx] == [
        ("t1", "tune"),
        ("d1", "dev"),
        ("s1", "sealed"),
        ("n1", "sealed-3"),
    ]
    # a page of sealed-3/ that split.json does not list there is in the wrong folder
    (tmp_path / "split.json").write_text(json.dumps({**split, "sealed-3": []}))
    with pytest.raises(RukpError) as exc:
        load_fixtures(tmp_path, tmp_path / "split.json")
    assert exc.value.incidents[0].id == "fixture-split-mismatch"
    assert "n1" in exc.value.incidents[0].message
    (tmp_path / "split.json").write_text(json.dumps({**split, "sealed-3": "n1"}))
    with pytest.raises(RukpError) as exc:
        load_fixtures(tmp_path, tmp_path / "split.json")
    assert (exc.value.incidents[0].id, exc.value.incidents[0].location) == (
        "bad-fixture-split",
        "$.sealed-3",
    )


def test_a_page_without_answer_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lonely.txt").write_text("x", encoding="utf-8")
    with pytest.raises(RukpError) as exc:
        load_fixtures(tmp_path)
    assert exc.value.incidents[0].id == "fixture-answer-missing"


@pytest.mark.parametrize(
    ("answer", "where"),
    [
        ([1], "$"),
        ({**EXPECTED, "is_article": 1}, "$.is_article"),
        ({**EXPECTED, "body": "One two."}, "$.body"),
        ({**EXPECTED, "title": ["Kim"]}, "$.title"),
        # found by fuzzing: a missing key passed the check, then crashed score_page (KeyError)
        ({k: v for k, v in EXPECTED.items() if k != "source_url"}, "$.source_url"),
        ({k: v for k, v in EXPECTED.items() if k != "title"}, "$.title"),
        ({**EXPECTED, "published": None}, None),
    ],
)
def test_answers_score_page_cannot_use_are_refused(
    answer: object, where: str | None, tmp_path: Path
) -> None:
    """A missing key or a wrong type crashed score_page (KeyError, TypeError)."""
    _fixture(tmp_path, "p", answer)  # type: ignore[arg-type]
    if where is None:
        assert [f.id for f in load_fixtures(tmp_path)] == ["p"]
        return
    with pytest.raises(RukpError) as exc:
        load_fixtures(tmp_path)
    assert [(i.id, i.location) for i in exc.value.incidents] == [("bad-fixture-answer", where)]


def test_fixture_files_are_read_through_safeio(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "pipe.expected.json").write_text(json.dumps(EXPECTED), encoding="utf-8")
    _fixture(tmp_path, "latin", EXPECTED)
    (tmp_path / "latin.expected.json").write_bytes(b'{"title": "caf\xe9"}')
    with pytest.raises(RukpError) as exc:
        load_fixtures(tmp_path)
    assert [i.id for i in exc.value.incidents] == ["not-utf8", "not-a-regular-file"]
    (tmp_path / "pipe.txt").unlink()
    (tmp_path / "latin.expected.json").write_text(json.dumps(EXPECTED), encoding="utf-8")
    (tmp_path / "split.json").write_text('{"sealed": "latin"}', encoding="utf-8")
    with pytest.raises(RukpError) as exc:
        load_fixtures(tmp_path, tmp_path / "split.json")
    assert [(i.id, i.location) for i in exc.value.incidents] == [("bad-fixture-split", "$.sealed")]


def test_a_folder_without_fixtures_is_refused(tmp_path: Path) -> None:
    """Found by tests/fuzz: an empty --fixtures folder scored nothing and exited 0 silently."""
    (tmp_path / "README.md").write_text("no pages here", encoding="utf-8")
    with pytest.raises(RukpError) as exc:
        load_fixtures(tmp_path)
    assert [i.id for i in exc.value.incidents] == ["fixtures-missing"]
