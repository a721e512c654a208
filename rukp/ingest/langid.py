"""Language identification with lingua (models ship inside the wheel; nothing is downloaded).

Detection is restricted to LANGUAGES (the languages of the coverage, and Latin so that
placeholder text is not called Italian): lingua's cost per call grows with the number of
candidate languages of the text's script (18 languages: ~0.6 ms per paragraph in low-accuracy
mode, 1.7 ms in high-accuracy mode; 11: 0.36 / 0.55 ms, measured on the seed paragraphs).
Long paragraphs use lingua's low-accuracy mode (trigrams only, reliable from ~120
characters); short lines use the high-accuracy mode, which the foreign-UI-string check needs.
"""

from __future__ import annotations

from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

LANGUAGES: tuple[str, ...] = (
    "en", "fr", "it", "de", "es", "pt", "ru", "uk", "ko", "ja", "zh", "pl", "la",
)  # fmt: skip
LONG_CHARS = 120
SHORT_CACHE = 65536  # results cached for short lines only (long paragraphs are unique)


@lru_cache(maxsize=2)
def _detector(low_accuracy: bool) -> LanguageDetector:
    codes = [getattr(IsoCode639_1, c.upper()) for c in LANGUAGES]
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)  # models load when first needed
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def _code(language: object) -> str:
    return language.iso_code_639_1.name.lower()  # type: ignore[attr-defined]


def detect(text: str) -> str | None:
    """ISO 639-1 code of `text`, or None when lingua cannot decide."""
    if len(text) < LONG_CHARS:
        return _detect_short(text)
    language = _detector(True).detect_language_of(text)
    return None if language is None else _code(language)


@lru_cache(maxsize=SHORT_CACHE)
def _detect_short(text: str) -> str | None:
    language = _detector(False).detect_language_of(text)
    return None if language is None else _code(language)


@lru_cache(maxsize=SHORT_CACHE)
def confidences(text: str) -> dict[str, float]:
    """Confidence per language (high-accuracy mode), for short lines. Cached: a site repeats
    the same UI strings on every page. Treat the returned dict as read-only."""
    values = _detector(False).compute_language_confidence_values(text)
    return {_code(v.language): v.value for v in values}
