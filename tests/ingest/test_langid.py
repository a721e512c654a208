"""Language identification: fastText only, nothing downloaded, one call for many texts."""

from __future__ import annotations

import pytest

from rukp.ingest import langid

CASES = [
    ("Le secrétaire d'État américain a rencontré ses homologues à Séoul samedi.", "fr"),
    ("Il ministro degli Esteri russo si recherà a Pyongyang il mese prossimo.", "it"),
    ("북한이 러시아에 대규모 특수부대 병력을 보낸 사실이 확인됐다.", "ko"),
    ("Министр иностранных дел России заявил о сотрудничестве с Пхеньяном.", "ru"),
    ("كوريا الشمالية تؤكد لأول مرة إرسال قوات إلى روسيا للقتال في كورسك", "ar"),
    ("朝俄全面战略伙伴关系条约正式生效，两国关系进入新的阶段。", "zh"),
]


@pytest.mark.parametrize(("text", "lang"), CASES)
def test_detect(text: str, lang: str) -> None:
    assert langid.detect(text) == lang


def test_detect_many_equals_detect_one_by_one() -> None:
    texts = [t for t, _ in CASES] + ["x", "Share", "2024"]
    assert langid.detect_many(texts) == [langid.detect(t) for t in texts]
    assert langid.detect_many([]) == []


def test_page_language_reads_the_longest_lines() -> None:
    lines = [
        "Home",
        "World",
        "Share",
        CASES[0][0],
        CASES[0][0] + " Il a ajouté que la Corée du Sud restait vigilante.",
    ]
    assert langid.page_language(lines) == "fr"
    assert langid.page_languages([lines, [], [CASES[2][0]]]) == ["fr", None, "ko"]


def test_model_ships_in_the_wheel() -> None:
    path = langid.fasttext_model_path()
    assert path.name == "lid.176.ftz" and path.is_file()


def test_sample_is_cut_at_a_space() -> None:
    text = "word " * 100
    sample = langid._sample(text)
    assert len(sample) <= langid.LONG_SAMPLE_CHARS and sample.endswith("word")
