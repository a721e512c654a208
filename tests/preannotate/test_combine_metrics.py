"""How CRF spans and registry matches combine; the region-edit metric and strict scores."""

from __future__ import annotations

from collections import Counter

import pytest

from rukp.preannotate.aliases import Alias
from rukp.preannotate.core import LastWordIndex, Region, Settings, combine, spans_from_tags
from rukp.preannotate.match import Match
from rukp.preannotate.metrics import edits, pair_regions, score_document


def M(start: int, end: int, cid: str, typ: str, exact: bool = True) -> Match:
    return Match(start, end, Alias("x", "en", cid, typ, frozenset({"hand"})), exact)


def regions(rs: list[Region]) -> list[tuple[int, int, str, str | None, str]]:
    return [(r.start, r.end, r.type, r.canonical_id, r.source) for r in rs]


# text offsets:     0         1         2         3
#                   0123456789012345678901234567890123456
TEXT = "Sergej Lavrov met Kim Yo Jong in Lavrova"


def test_crf_confirms_registry_span() -> None:
    out = combine([M(7, 13, "sergey_lavrov", "PER")], [(7, 13, "PER", 0.6)], Settings(), text=TEXT)
    assert regions(out) == [(7, 13, "PER", "sergey_lavrov", "both")]
    assert out[0].score == 0.95


LONGER = Settings(crf_longer_names=True)


def test_longer_crf_name_keeps_surname_id() -> None:
    out = combine([M(7, 13, "sergey_lavrov", "PER")], [(0, 13, "PER", 0.8)], LONGER, text=TEXT)
    assert regions(out) == [(0, 13, "PER", "sergey_lavrov", "both")]


def test_longer_crf_name_drops_first_name_id() -> None:
    # "Kim" is a known alias of kim_jong_un, but "Kim Yo Jong" is somebody else
    out = combine([M(18, 21, "kim_jong_un", "PER")], [(18, 29, "PER", 0.8)], LONGER, text=TEXT)
    assert regions(out) == [(18, 29, "PER", None, "both")]


def test_longer_names_off_by_default() -> None:
    s = Settings()
    out = combine([M(18, 21, "kim_jong_un", "PER")], [(18, 29, "PER", 0.8)], s, text=TEXT)
    assert regions(out) == [(18, 21, "PER", "kim_jong_un", "registry")]


def test_registry_cut_inside_a_glued_word_wins() -> None:
    text = "Kim Jong UnI due"
    out = combine([M(0, 11, "kim_jong_un", "PER", False)], [(0, 12, "PER", 0.9)], LONGER, text=text)
    assert regions(out) == [(0, 11, "PER", "kim_jong_un", "registry")]


def test_crf_only_span_threshold_and_linking() -> None:
    linker = LastWordIndex([Alias("Sergey Lavrov", "en", "sergey_lavrov", "PER", frozenset())])
    crf = [(33, 40, "GPE", 0.65), (0, 13, "PER", 0.75)]
    out = combine([], crf, Settings(crf_min_score=0.7), linker, text=TEXT)
    # the GPE span is under the threshold; the PER span links through its last word
    assert regions(out) == [(0, 13, "PER", "sergey_lavrov", "crf")]
    out = combine([], crf, Settings(crf_min_score=0.0, link_crf=False), linker, text=TEXT)
    assert regions(out) == [(0, 13, "PER", None, "crf"), (33, 40, "GPE", None, "crf")]


def test_partial_overlap_registry_wins_and_no_overlaps_out() -> None:
    out = combine(
        [M(7, 13, "sergey_lavrov", "PER"), M(18, 21, "kim_jong_un", "PER")],
        [(10, 20, "ORG", 0.99), (14, 17, "LOC", 0.99)],
        Settings(),
        text=TEXT,
    )
    assert regions(out) == [
        (7, 13, "PER", "sergey_lavrov", "registry"),
        (14, 17, "LOC", None, "crf"),
        (18, 21, "PER", "kim_jong_un", "registry"),
    ]


def test_spans_from_tags() -> None:
    starts, ends = [0, 5, 10, 13], [3, 9, 12, 15]
    got = spans_from_tags(["I-ORG", "I-ORG", "O", "B-GPE"], starts, ends)
    assert [(m.start, m.end, m.type) for m in got] == [(0, 9, "ORG"), (13, 15, "GPE")]


# ---------------------------------------------------------------- edits

G = [(0, 5, "PER", "a"), (10, 15, "GPE", "b"), (20, 25, "WEA", None), (30, 35, "ORG", "c")]


@pytest.mark.parametrize(
    ("pred", "expected"),
    [
        (G, {}),  # perfect: nothing to do
        ([], {"add": 4, "id": 3}),  # four regions to draw, three ids to type (WEA has none)
        (
            [(0, 5, "PER", None), (10, 15, "LOC", "b"), (20, 25, "WEA", "x"), (30, 35, "ORG", "c")],
            {"id": 2, "type": 1},  # missing id, wrong type, superfluous id
        ),
        (
            [(0, 4, "PER", "a"), (10, 15, "GPE", "b"), (20, 25, "WEA", None), (30, 35, "ORG", "c")],
            {"boundary": 1},
        ),
        (
            [*G, (40, 45, "GPE", "d")],
            {"delete": 1},
        ),
        (
            # the second prediction overlaps a gold region already paired exactly and a free
            # one: it pairs with the free one and only its boundary needs fixing
            [(0, 5, "PER", "a"), (3, 15, "GPE", "b"), (20, 25, "WEA", None), (30, 35, "ORG", "c")],
            {"boundary": 1},
        ),
        (
            # one prediction over two gold regions, equal overlaps: it pairs with the leftmost
            # (boundary, type, id to fix); the other gold region is added and its id typed
            [(0, 15, "GPE", "b"), (20, 25, "WEA", None), (30, 35, "ORG", "c")],
            {"boundary": 1, "type": 1, "id": 2, "add": 1},
        ),
    ],
)
def test_edits(pred: list, expected: dict[str, int]) -> None:
    assert edits(G, pred) == Counter(expected)


def test_pairing_prefers_exact_span_then_overlap() -> None:
    gold = [(0, 10, "ORG", "a")]
    pred = [(0, 4, "ORG", "a"), (0, 10, "GPE", "a")]
    assert pair_regions(gold, pred) == ([(0, 1)], [], [0])


def test_score_document_counts() -> None:
    pred = [(0, 5, "PER", "a"), (10, 15, "GPE", "x"), (20, 25, "WEA", None), (40, 45, "GPE", None)]
    t = score_document(G, pred, tokens=50)
    assert (t.tp, t.gold, t.pred) == (3, 4, 4)
    assert t.precision == 0.75 and t.recall == 0.75 and t.f1 == 0.75
    # linkable matched: a (right), b (wrong); the WEA has no gold id
    assert (t.linked_ok, t.linkable) == (1, 2)
    # edits: id of b, delete (40,45), add (30,35) + its id -> 4 edits on 50 tokens
    assert t.edits_total == 4 and t.edits_per_100 == 8.0
    # only ids the registry knows count for link accuracy
    t = score_document(G, pred, tokens=50, linkable={"a"})
    assert (t.linked_ok, t.linkable) == (1, 1)
