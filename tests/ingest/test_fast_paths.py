"""The cleaner's fast paths give exactly what the plain regular-expression versions give.

Each fast function is checked against the regex it replaces on random strings drawn from the
characters where the two could part ways (letters of several scripts and cases, quotes, joiners,
underscores, combining marks, digits of other scripts, spaces of several kinds), and on hand-made
cases with their hand-computed answers.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rukp.ingest import dedup, features, langid, model, templates
from rukp.ingest.clean import split_lines
from rukp.ingest.features import (
    _CASED_START,
    _SCRIPTS,
    _TOKEN,
    _UPPER_START,
    SCRIPT_SAMPLE,
    LineInfo,
    _contained,
    script_of,
    tokens,
    word_starts,
)
from rukp.ingest.page import HEADING_TAGS, Line, Page, read_page

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


# ------------------------------------------------------------- whole pages (issue 11, speed 2)
# The fast paths below are checked against the plain versions they replaced (kept here), on
# random pages and on every page of the tuning fixtures, the seeds and the hand-written pages.


@functools.lru_cache(maxsize=1)
def fixture_pages() -> tuple[tuple[Page, str | None], ...]:
    """Every tuning fixture page, seed page and hand-written test page, split as the cleaner
    splits it, with its language."""
    sys.path.insert(0, str(Path(__file__).parent))
    from ingest_pages import PAGES

    named = [
        (p.name, p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "tests" / "cleaning" / "tune").iterdir())
        if p.suffix in (".txt", ".html")
    ]
    named += [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "raw").glob("*.txt"))]
    named += [(f"{page.name}.txt", page.raw) for page in PAGES]
    out = []
    for name, text in named:
        page = split_lines(read_page(name, text))
        out.append((page, langid.page_language([line.text for line in page.lines])))
    assert len(out) > 55
    return tuple(out)


def _page_features_plain(
    page: Page, lang: str | None, templates: frozenset[str] = frozenset()
) -> tuple[np.ndarray, list[LineInfo]]:
    """features.page_features as it was written (cleaner 2.1.0): every line's features in one
    flat list, nothing cached."""
    names = features.local_names()
    stop = features.stoplist(lang)
    longest = sorted(page.lines, key=lambda x: -len(x.text))[:3]
    page_script = script_of(" ".join(x.text[:200] for x in longest))
    keys = [features.line_key(x.text) for x in page.lines]
    counts = Counter(keys)
    contained = _contained(keys)
    n = len(page.lines)
    html = page.format == "html"
    no_html = [0.0] * (15 + len(features.CLASS_GROUPS))
    flat: list[float] = []
    infos: list[LineInfo] = []
    for i, (line, key) in enumerate(zip(page.lines, keys, strict=True)):
        head, tail, info = features._intrinsic(line.text, key, lang, page_script, stop)
        flat += head
        flat += (
            float(counts[key] > 1), float(key in templates), i / max(n - 1, 1), float(i < 8),
            float(i >= n - 8), tail[0], float(key in contained),
        )  # fmt: skip
        flat += tail[1:]
        if html:
            marks, words_cls = line.landmarks, line.class_words
            flat += [
                1.0, float(line.tag in HEADING_TAGS), float(line.tag == "h1"),
                float(line.tag == "p"), float(line.tag == "li"),
                float(line.tag == "figcaption" or "figure" in marks),
                float("nav" in marks), float("header" in marks), float("footer" in marks),
                float("aside" in marks), float("article" in marks), float("main" in marks),
                float("form" in marks), line.link_share, float(line.in_extract),
            ]  # fmt: skip
            flat += [
                float(bool(words_cls & features.CLASS_GROUPS[g])) for g in features.CLASS_GROUPS
            ]
        else:
            flat += no_html
        infos.append(LineInfo(key, *info))
    return np.array(flat, dtype=float).reshape(n, len(names)), infos


def _same_features(page: Page, lang: str | None, templates: frozenset[str] = frozenset()) -> None:
    rows, infos = features.page_features(page, lang, templates)
    plain_rows, plain_infos = _page_features_plain(page, lang, templates)
    assert rows.shape == plain_rows.shape
    assert rows.tobytes() == plain_rows.tobytes()  # the same bits, not merely close
    assert infos == plain_infos


def test_page_features_equal_the_plain_version_on_the_fixture_pages() -> None:
    for page, lang in fixture_pages():
        templates = frozenset(" ".join(x.text.casefold().split()) for x in page.lines[::3])
        for repeat in range(2):  # the second time from the cache
            _same_features(page, lang, templates if repeat else frozenset())


LINE_PIECES = [
    "Kim Jong Un met Vladimir Putin in Vostochny on 13 September 2023.",
    "Share",
    "Photo: AFP",
    "Lire aussi",
    "12:30",
    "© 2024 Agence",
    "«Citation»",
    "https://example.org/a",
    "조선중앙통신",
    "金正恩与普京会面。",
    "Войска КНДР были замечены в Курской области.",
    "",
    " ",
    "by Jane Doe",
]


@given(
    st.lists(
        st.tuples(
            st.lists(
                st.one_of(st.sampled_from(LINE_PIECES), text_strategy), min_size=1, max_size=4
            ),
            st.sampled_from([None, "p", "h1", "li", "figcaption"]),
            st.sampled_from([frozenset(), frozenset({"nav"}), frozenset({"figure", "footer"})]),
            st.sampled_from([frozenset(), frozenset({"share", "content"})]),
        ),
        max_size=20,
    ),
    st.sampled_from(["en", "fr", "ru", "ko", "zh", None]),
    st.booleans(),
)
@settings(max_examples=150, deadline=None)
def test_page_features_equal_the_plain_version_on_random_pages(
    lines: list[tuple[list[str], str | None, frozenset[str], frozenset[str]]],
    lang: str | None,
    html: bool,
) -> None:
    made = [
        Line(k + 1, " ".join(" ".join(parts).split()), tag if html else None, marks if html else
             frozenset(), words if html else frozenset(), 0.25 if html and k % 2 else 0.0, html)
        for k, (parts, tag, marks, words) in enumerate(lines)
    ]  # fmt: skip
    page = Page([line for line in made if line.text], "html" if html else "txt")
    _same_features(page, lang, frozenset(line.text.casefold() for line in page.lines[::2]))


def _block_plain(p1: np.ndarray, infos: list[LineInfo]) -> tuple[int, int]:
    """model.block as it was written: numpy scalars line by line."""
    best, best_span = 0.0, (-1, -1)
    run, start = 0.0, 0
    for i, (p, info) in enumerate(zip(p1, infos, strict=True)):
        gain = (p - model.BLOCK_CENTRE) * (1 + min(info.words, 40) / 10)
        if run <= 0:
            run, start = gain, i
        else:
            run += gain
        if run > best:
            best, best_span = run, (start, i)
    return best_span


def _context_plain(p1: np.ndarray, infos: list[LineInfo]) -> np.ndarray:
    """model.context_features as it was written (cleaner 2.1.0): float(bool) per value, the
    prose block from numpy scalars."""
    n = len(infos)
    if n == 0:
        return np.zeros((0, len(model.CONTEXT_NAMES)))
    b0, b1 = _block_plain(p1, infos)
    p = [0.0, 0.0, *p1.tolist(), 0.0, 0.0]
    cue = [0.0, 0.0, *(float(bool(x.concepts)) for x in infos), 0.0, 0.0]
    rows: list[float] = []
    for i, info in enumerate(infos):
        j = i + 2
        prev, prev2, nxt, nxt2 = p[j - 1], p[j - 2], p[j + 1], p[j + 2]
        window = sum(p[max(0, j - 3) : j + 4]) / 7
        inside = b0 >= 0 and b0 <= i <= b1
        before = b0 >= 0 and i < b0
        after = b0 >= 0 and i > b1
        dist = (b0 - i) if before else (i - b1) if after else 0
        sandwich = min(prev, nxt)
        rows.extend(
            (
                prev, nxt, max(prev, prev2), max(nxt, nxt2), window, float(inside), float(before),
                float(after), min(dist, 10) / 10, sandwich, sandwich * float(info.words <= 12),
                float(before and b0 - i <= 6), cue[j - 1], cue[j + 1],
                (cue[j - 2] + cue[j - 1] + cue[j + 1] + cue[j + 2]) / 4,
            )
        )  # fmt: skip
    return np.array(rows, dtype=float).reshape(n, len(model.CONTEXT_NAMES))


def _info(words: float, cued: bool) -> LineInfo:
    concepts = frozenset({"share"}) if cued else frozenset()
    return LineInfo("x", words, concepts, frozenset(), frozenset(), [], True, 0.0, False, False, 1)


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0.0, max_value=1.0),
            st.sampled_from([0.0, 1.0, 2.0, 5.0, 12.0, 13.0, 39.5, 40.0, 41.0, 300.0]),
            st.booleans(),
        ),
        max_size=40,
    )
)
@settings(max_examples=400, deadline=None)
def test_context_features_equal_the_plain_loop(lines: list[tuple[float, float, bool]]) -> None:
    p1 = np.array([p for p, _, _ in lines], dtype=float)
    infos = [_info(words, cued) for _, words, cued in lines]
    assert model.block(p1, infos) == _block_plain(p1, infos)
    fast, plain = model.context_features(p1, infos), _context_plain(p1, infos)
    assert fast.shape == plain.shape and fast.tobytes() == plain.tobytes()


def test_context_features_equal_the_plain_loop_on_the_fixture_pages() -> None:
    lm = model.load_model()
    for page, lang in fixture_pages():
        rows, infos = features.page_features(page, lang)
        p1 = lm.pass1(rows)
        assert model.block(p1, infos) == _block_plain(p1, infos)
        assert model.context_features(p1, infos).tobytes() == _context_plain(p1, infos).tobytes()


def _title_rows_plain(
    page: Page,
    rows: np.ndarray,
    infos: list[LineInfo],
    p2: np.ndarray,
    body: list[int],
    names: tuple[str, ...],
) -> tuple[list[int], np.ndarray]:
    """model.title_rows as it was written (cleaner 2.1.0, with the features of 2.5.0):
    model.title_like called for each use, the body lines' units as one union of sets, the
    page's other lines searched one by one."""
    col = model._columns(names)
    first = body[0] if body else len(infos)
    cands = [i for i in range(max(0, first - model.TITLE_WINDOW), min(first + 1, len(infos)))]
    if page.format == "html":
        cands += [i for i, line in enumerate(page.lines) if line.tag == "h1" and i not in cands]
    in_body = set(body)
    cands = [
        i
        for i in sorted(set(cands))
        if (i not in in_body or i == first)
        and (model.title_like(infos[i], rows[i], col, True) or page.lines[i].tag == "h1")
        and not model.label_list(page.lines[i].text)
    ]
    meta = model.normalise_key(page.meta_title or "")
    meta_units = model._units(meta)
    body_units: set[str] = set()
    for i in body[: model.TITLE_BODY_LINES] if cands else ():
        body_units |= model._units(infos[i].key[:600])
    rank: dict[int, int] = {}
    for i in sorted((i for i in cands if i < first), reverse=True):
        if model.title_like(infos[i], rows[i], col, True):
            rank[i] = len(rank)

    def long_like(j: int) -> bool:
        return (
            0 <= j < len(infos)
            and infos[j].words >= 6
            and model.title_like(infos[j], rows[j], col, True)
            and not model.label_list(page.lines[j].text)
        )

    def meta_follows(i: int) -> bool:
        for j in range(i + 1, min(i + 4, len(infos))):
            if infos[j].dates or infos[j].concepts & model.META_CONCEPTS:
                return True
            if long_like(j):
                return False
        return False

    out = []
    for i in cands:
        r, info = rows[i], infos[i]
        w = info.words
        units = model._units(info.key)
        overlap = len(units & meta_units) / len(units | meta_units) if meta_units and units else 0.0
        in_text = len(units & body_units) / len(units) if units else 0.0
        dist = first - i if i <= first else i - first
        text = page.lines[i].text.rstrip("\"'”’»)]）」")
        out.append(
            [
                1.0,
                r[col["log_chars"]],
                float(w <= 2),
                float(2 < w <= 5),
                float(5 < w <= 10),
                float(10 < w <= 20),
                float(20 < w <= 30),
                float(w > 30),
                float(text.endswith(".")),
                float(text.endswith(("?", "!", "…", "？", "！"))),
                r[col["fw_density"]],
                r[col["upper_init"]],
                r[col["all_caps"]],
                r[col["digit_share"]],
                r[col["separators"]],
                float(bool(info.concepts)),
                r[col["date_short"]],
                r[col["repeated"]],
                1 / (1 + dist),
                float(dist <= 3),
                float(rank.get(i) == 0),
                float(rank.get(i) == 1),
                float(i > first),
                r[col["h_h1"]],
                r[col["h_heading"]],
                float(bool(meta) and info.key == meta),
                overlap,
                float(p2[i]),
                float(info.key[:1] in "[【(「"),
                in_text,
                float(model.title_like(info, r, col)),
                float(meta_follows(i)),
                float(i < 3),
                r[col["time_short"]],
                float(
                    any(info.key in infos[j].key for j in range(len(infos)) if j != i and info.key)
                ),
                float(long_like(i - 1)),
                float(long_like(i + 1)),
                float(bool(info.start)),
            ]
        )
    return cands, np.array(out).reshape(len(out), len(model.TITLE_NAMES))


@given(
    st.lists(st.one_of(st.sampled_from(LINE_PIECES), text_strategy), max_size=6),
    st.lists(st.one_of(st.sampled_from(LINE_PIECES), text_strategy), max_size=8),
)
@settings(max_examples=400, deadline=None)
def test_shared_units_equal_the_union_of_sets(body_texts: list[str], candidates: list[str]) -> None:
    infos = [_info(1.0, False) for _ in body_texts]
    infos = [
        LineInfo(" ".join(t.casefold().split()), *(getattr(i, s) for s in i.__slots__[1:]))
        for t, i in zip(body_texts, infos, strict=True)
    ]
    body = list(range(len(infos)))
    union: set[str] = set()
    for i in body[: model.TITLE_BODY_LINES]:
        union |= model._units(infos[i].key[:600])
    words, pairs = model._body_units(infos, body)
    for text in [*candidates, *body_texts]:
        units = model._units(" ".join(text.casefold().split()))
        assert model._shared(units, words, pairs) == len(units & union)


def test_title_rows_equal_the_plain_version_on_the_fixture_pages() -> None:
    lm = model.load_model()
    for page, lang in fixture_pages():
        rows, infos = features.page_features(page, lang)
        p1 = lm.pass1(rows)
        p2 = lm.pass2(rows, model.context_features(p1, infos))
        found = [i for i in range(len(infos)) if p2[i] >= lm.threshold]
        # the model's body, no body, and bodies starting further down the page
        for body in (found, [], found[2:], list(range(len(infos) // 2, len(infos)))):
            fast = model.title_rows(page, rows, infos, p2, body, lm.local_names)
            plain = _title_rows_plain(page, rows, infos, p2, body, lm.local_names)
            assert fast[0] == plain[0]
            assert fast[1].shape == plain[1].shape and fast[1].tobytes() == plain[1].tobytes()


@given(st.text(alphabet=TRICKY + "\u303f\u3040\u3041\uffff\U00010000\U0010ffff\u2026", max_size=80))
@settings(max_examples=400, deadline=None)
def test_may_have_cjk_equals_max(text: str) -> None:
    assert features._may_have_cjk(text) == (not text.isascii() and max(text) >= "\u3040")


def test_may_have_cjk_equals_max_on_the_fixture_lines() -> None:
    for page, _ in fixture_pages():
        for line in page.lines:
            text = line.text
            assert features._may_have_cjk(text) == (not text.isascii() and max(text) >= "\u3040")


def _signature_plain(text: str) -> np.ndarray:
    """dedup.signature_values as it was written: one shingle per row."""
    mixed = dedup._fmix(dedup.shingle_hashes(text, distinct=False))
    return (mixed[:, None] * dedup._A + dedup._B).min(axis=0)


WORDS = ["kim", "putin", "met", "in", "moscow", "troops", "Ядерный", "북한", "l'armée", "\x00", "."]


@given(st.one_of(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join), text_strategy))
@settings(max_examples=300, deadline=None)
def test_signature_values_equal_the_plain_expression(text: str) -> None:
    fast, plain = dedup.signature_values(text), _signature_plain(text)
    assert fast.dtype == plain.dtype and fast.tobytes() == plain.tobytes()


def test_signature_values_equal_the_plain_expression_on_the_fixture_pages() -> None:
    for page, _ in fixture_pages():
        text = "\n".join(line.text for line in page.lines)
        assert dedup.signature_values(text).tobytes() == _signature_plain(text).tobytes()


@given(st.text(alphabet=TRICKY + features._SEPARATOR_CHARS + "\\]^-", max_size=60))
@settings(max_examples=400, deadline=None)
def test_separator_search_equals_a_test_per_character(text: str) -> None:
    plain = any(ch in text for ch in features._SEPARATOR_CHARS)
    assert (features._SEPARATOR_ANY.search(text) is not None) == plain


@given(st.lists(st.tuples(st.sampled_from(["", "example.org", "Агентство"]), text_strategy)))
@settings(max_examples=200, deadline=None)
def test_remembered_line_hashes_equal_the_digest(pairs: list[tuple[str, str]]) -> None:
    old = templates.HASH_CACHE
    templates.HASH_CACHE = 3  # the cache is emptied and refilled within one example
    templates._HASHES.clear()
    try:
        for group, key in [*pairs, *pairs]:
            assert templates.line_hash(group, key) == templates.plain_line_hash(group, key)
            digest = hashlib.blake2b(f"{group}\x00{key}".encode(), digest_size=8).digest()
            assert templates.plain_line_hash(group, key) == int.from_bytes(digest, "little")
        assert len(templates._HASHES) <= 3
    finally:
        templates.HASH_CACHE = old
