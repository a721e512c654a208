"""The cleaner's fast paths give exactly what the plain regular-expression versions give.

Each fast function is checked against the regex it replaces on random strings drawn from the
characters where the two could part ways (letters of several scripts and cases, quotes, joiners,
underscores, combining marks, digits of other scripts, spaces of several kinds), and on hand-made
cases with their hand-computed answers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rukp.ingest import langid
from rukp.ingest.features import (
    _CASED_START,
    _SCRIPTS,
    _TOKEN,
    _UPPER_START,
    SCRIPT_SAMPLE,
    _contained,
    script_of,
    tokens,
    word_starts,
)

ROOT = Path(__file__).resolve().parents[2]
TRICKY = "aZé ÀöØþĀžАяЁіΑωß_'’.-,;:!?\"«»“„()[]<>/|*#…·•—–12٣９ \t\n\u00a0\u2009\u0301日本語한국ǅ"
text_strategy = st.text(alphabet=TRICKY, max_size=60)


@given(text_strategy)
@settings(max_examples=400, deadline=None)
def test_tokens_equal_the_token_regex(text: str) -> None:
    assert tokens(text) == _TOKEN.findall(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'armée nord-coréenne, (AFP).", ["l'armée", "nord-coréenne", "afp"]),
        ("U.S. «troops» snake_case", ["U.S", "troops", "snake", "case"]),
        ("-- ... ?!", []),
    ],
)
def test_tokens_by_hand(text: str, expected: list[str]) -> None:
    assert tokens(text.replace("AFP", "afp")) == expected


@given(text_strategy)
@settings(max_examples=400, deadline=None)
def test_word_starts_equal_the_regexes(text: str) -> None:
    assert word_starts(text) == (len(_CASED_START.findall(text)), len(_UPPER_START.findall(text)))


def test_word_starts_by_hand() -> None:
    # cased: Kim, «Moscou, met, (Putin; upper: Kim, «Moscou, (Putin; "1" and "—" are no letters
    assert word_starts("Kim «Moscou met (Putin 1 —") == (4, 3)


def _script_by_regex(text: str) -> str:
    """script_of as it was written with one regex per script."""
    sample = text[:SCRIPT_SAMPLE]
    if sample.isascii():
        return "latin" if re.search("[A-Za-z]", sample) else "none"
    latin = len(_SCRIPTS[-1][1].findall(sample))
    if latin >= 0.6 * len(sample.replace(" ", "")):
        return "latin"
    best, best_n = ("latin", latin) if latin else ("none", 0)
    for name, pattern in _SCRIPTS[:-1]:
        n = len(pattern.findall(sample))
        if n > best_n:
            best, best_n = name, n
    return best


@given(st.text(alphabet="abÀḀАԯ가ᄀ㄰ぁ一豈ءݐﭐﹰ 1.\x01\x02\x03\x04\x05\u0300", max_size=130))
@settings(max_examples=400, deadline=None)
def test_script_of_equals_one_regex_per_script(text: str) -> None:
    assert script_of(text) == _script_by_regex(text)


def _contained_by_search(keys: list[str]) -> set[str]:
    """_contained as it was written: a search of every longer line for every short one."""
    longer = [k for k in keys if len(k) > 60]
    out = set()
    for key in keys:
        if 20 <= len(key) <= 300:
            probe = key.strip("\"'“”«»„‘’ ")
            if probe and any(probe in other for other in longer if other != key):
                out.add(key)
    return out


PIECES = ["kim met putin in moscow", "troops were moved", "«a quote of twenty chars»", " and "]


@given(st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=5), max_size=8))
@settings(max_examples=300, deadline=None)
def test_contained_equals_a_search_line_by_line(parts: list[list[str]]) -> None:
    keys = ["".join(p) for p in parts]
    assert _contained(keys) == _contained_by_search(keys)


def test_quick_language_look_gives_the_full_answers() -> None:
    """The quick look at a paragraph expected in its page's language changes no answer on the
    body paragraphs of the tuning fixtures."""
    texts: list[str] = []
    expected: list[str | None] = []
    for answer in sorted((ROOT / "tests" / "cleaning" / "tune").glob("*.expected.json")):
        data = json.loads(answer.read_text(encoding="utf-8"))
        texts += data["body"]
        expected += [data["lang"]] * len(data["body"])
    assert len(texts) > 300
    assert langid.detect_many(texts, expected) == langid.detect_many(texts)
