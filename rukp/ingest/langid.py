"""Language identification with lingua (models ship inside the wheel; nothing is downloaded).

Detection is restricted to LANGUAGES (the languages of the coverage plus neighbours that are
easily confused with them, and Latin so that placeholder text is not called Italian): fewer
candidate models make lingua faster and more accurate. Long paragraphs use lingua's
low-accuracy mode (trigrams only, reliable from ~120 characters); short lines use the
high-accuracy mode, which is what the foreign-UI-string check needs.
"""

from __future__ import annotations

from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

LANGUAGES: tuple[str, ...] = (
    "en", "fr", "it", "de", "es", "pt", "ru", "uk", "ko", "ja", "zh", "pl", "nl", "vi", "tr",
    "ar", "cs", "la",
)  # fmt: skip
LONG_CHARS = 120


@lru_cache(maxsize=2)
def _detector(low_accuracy: bool) -> LanguageDetector:
    codes = [getattr(IsoCode639_1, c.upper()) for c in LANGUAGES]
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def _code(language: object) -> str:
    return language.iso_code_639_1.name.lower()  # type: ignore[attr-defined]


def detect(text: str) -> str | None:
    """ISO 639-1 code of `text`, or None when lingua cannot decide."""
    language = _detector(len(text) >= LONG_CHARS).detect_language_of(text)
    return None if language is None else _code(language)


def confidences(text: str) -> dict[str, float]:
    """Confidence per language (high-accuracy mode), for short lines."""
    values = _detector(False).compute_language_confidence_values(text)
    return {_code(v.language): v.value for v in values}
