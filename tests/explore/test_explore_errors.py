"""Error categories by hand, and against the scorer on random tags (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rukp.errors import RukpError
from rukp.evaluate import METRIC, score_task
from rukp.evaluate.metrics import NER_MODES
from rukp.explore import errors as E
from rukp.explore.marks import Mark, render_text
from rukp.explore.systems import slug
from rukp.labels import load_labels

LABELS = load_labels()


def _rows(gold: list[list[str]], doc: str = "d", lang: str = "en") -> list[dict]:
    rows = []
    for k, tags in enumerate(gold):
        n = len(tags)
        rows.append(
            {
                "id": f"{doc}/{k}",
                "doc_id": doc,
                "language": lang,
                "tokens": [f"w{i}" for i in range(n)],
                "token_starts": [3 * i for i in range(n)],
                "token_ends": [3 * i + 2 for i in range(n)],
                "ner_tags": tags,
            }
        )
    return rows


def _ner(gold: list[list[str]], pred: list[list[str]], canonical=None, train=frozenset()):
    rows = _rows(gold)
    preds = {r["id"]: p for r, p in zip(rows, pred, strict=True)}
    text = {"d": "x" * 1000}
    return E.analyse_ner(rows, preds, {"d": "en"}, text, canonical or {}, set(train), LABELS)


def _cats(a: E.Analysis, side: str) -> list[str]:
    return [it.category for it in a.items if it.side == side]


@pytest.mark.parametrize(
    ("gold", "pred", "gold_cats", "pred_cats"),
    [
        (["B-PER", "I-PER", "O"], ["B-PER", "I-PER", "O"], [E.CORRECT], [E.CORRECT]),
        (["B-PER", "I-PER", "O"], ["B-ORG", "I-ORG", "O"], [E.WRONG_TYPE], [E.WRONG_TYPE]),
        (["B-PER", "I-PER", "O"], ["B-PER", "O", "O"], [E.WRONG_BOUNDARY], [E.WRONG_BOUNDARY]),
        (["B-PER", "I-PER", "O"], ["O", "B-GPE", "I-GPE"], [E.WRONG_BOTH], [E.WRONG_BOTH]),
        (["B-PER", "O", "O"], ["O", "O", "B-GPE"], [E.MISSED], [E.SPURIOUS]),
        (["B-PER", "O", "O"], ["O", "O", "O"], [E.MISSED], []),
        (["O", "O", "O"], ["B-LOC", "I-LOC", "O"], [], [E.SPURIOUS]),
        # one gold span, two predicted pieces: one of the same type, one of another
        (
            ["B-ORG", "I-ORG", "I-ORG", "O"],
            ["B-ORG", "B-GPE", "I-GPE", "O"],
            [E.WRONG_BOUNDARY],
            [E.WRONG_BOUNDARY, E.WRONG_BOTH],
        ),
        # a prediction with the same span but another type wins over an overlapping one
        (
            ["B-PER", "O", "B-GPE", "I-GPE"],
            ["B-ORG", "O", "B-GPE", "O"],
            [E.WRONG_TYPE, E.WRONG_BOUNDARY],
            [E.WRONG_TYPE, E.WRONG_BOUNDARY],
        ),
    ],
)
def test_ner_categories_by_hand(
    gold: list[str], pred: list[str], gold_cats: list[str], pred_cats: list[str]
) -> None:
    a = _ner([gold], [pred])
    assert _cats(a, "gold") == gold_cats
    assert _cats(a, "pred") == pred_cats
    assert sum(a.totals_gold.values()) == len(gold_cats)
    assert sum(a.totals_pred.values()) == len(pred_cats)


def test_entities_never_cross_sentences() -> None:
    # B-PER at the end of sentence 0 and I-PER at the start of sentence 1: one entity across
    # the sentences? no — in the scorer's headline mode (conlleval) the I- tag opening a
    # sentence starts an entity of its own, which the prediction misses.
    a = _ner([["O", "B-PER"], ["I-PER", "O"]], [["O", "B-PER"], ["O", "O"]])
    assert _cats(a, "gold") == [E.CORRECT, E.MISSED]
    assert [(it.side, it.row_id, it.tok_start, it.tok_end) for it in a.items] == [
        ("gold", "d/0", 1, 2),
        ("pred", "d/0", 1, 2),
        ("gold", "d/1", 0, 1),
    ]


def test_the_explorer_breaks_down_the_scorers_headline() -> None:
    """The scorer's headline NER figure counts entities in the mode the explorer uses."""
    assert METRIC["ner"] == f"f1:{E.NER_MODE}"
    assert E.NER_MODE in NER_MODES


@pytest.mark.parametrize(
    ("tags", "conlleval", "strict"),
    [
        (["B-PER", "I-PER", "O"], [(0, 2, "PER")], [(0, 2, "PER")]),
        # an I- tag after O, first in its sentence or after another type opens an entity in
        # conlleval mode and nothing in strict IOB2
        (["I-PER", "I-PER", "O"], [(0, 2, "PER")], []),
        (["O", "I-GPE", "B-GPE", "I-GPE"], [(1, 2, "GPE"), (2, 4, "GPE")], [(2, 4, "GPE")]),
        (["B-PER", "I-ORG", "I-ORG"], [(0, 1, "PER"), (1, 3, "ORG")], [(0, 1, "PER")]),
        (
            ["B-ORG", "I-ORG", "B-ORG"],
            [(0, 2, "ORG"), (2, 3, "ORG")],
            [(0, 2, "ORG"), (2, 3, "ORG")],
        ),
    ],
)
def test_entity_spans_by_hand(tags: list[str], conlleval: list, strict: list) -> None:
    types = LABELS.entity_types
    assert E.entity_spans([tags], types) == [conlleval]  # the default is the headline mode
    assert E.entity_spans([tags], types, "conlleval") == [conlleval]
    assert E.entity_spans([tags], types, "strict") == [strict]


@pytest.mark.parametrize(
    ("gold", "pred", "gold_cats", "pred_cats"),
    [
        # the same ORG, predicted with an I- opening: correct for the headline (strict: missed)
        (["B-ORG", "I-ORG", "O"], ["I-ORG", "I-ORG", "O"], [E.CORRECT], [E.CORRECT]),
        # a predicted I-ORG after I-PER opens an ORG of its own
        (
            ["B-PER", "I-PER", "O"],
            ["I-PER", "I-ORG", "O"],
            [E.WRONG_BOUNDARY],
            [E.WRONG_BOUNDARY, E.WRONG_BOTH],
        ),
        # an ill-formed gold I-GPE is a gold entity too
        (["O", "I-GPE", "O"], ["O", "O", "O"], [E.MISSED], []),
    ],
)
def test_ner_categories_on_ill_formed_tags(
    gold: list[str], pred: list[str], gold_cats: list[str], pred_cats: list[str]
) -> None:
    a = _ner([gold], [pred])
    assert _cats(a, "gold") == gold_cats
    assert _cats(a, "pred") == pred_cats
    rows = _rows([gold])
    result = score_task("ner", rows, [{"id": "d/0", "tags": pred}], bootstrap=0)
    E.check_against_scorer(a, result, "by hand")


def test_ner_buckets_by_hand() -> None:
    # gold: PER(2 tok, id putin: in train), GPE(1 tok, id seoul: not in train), ORG(1, no id)
    gold = [["B-PER", "I-PER", "O", "B-GPE", "O", "B-ORG"]]
    pred = [["B-PER", "I-PER", "O", "B-LOC", "O", "O"]]
    canonical = {("d", 0, 5): "putin", ("d", 9, 11): "seoul"}
    a = _ner(gold, pred, canonical, {"putin"})
    by_type = {b.name: b for b in a.breakdowns["entity type"]}
    assert (by_type["PER"].gold, by_type["PER"].pred, by_type["PER"].tp) == (1, 1, 1)
    assert (by_type["GPE"].gold, by_type["GPE"].pred, by_type["GPE"].tp) == (1, 0, 0)
    assert (by_type["LOC"].gold, by_type["LOC"].pred, by_type["LOC"].tp) == (0, 1, 0)
    assert by_type["GPE"].gold_categories[E.WRONG_TYPE] == 1
    assert by_type["LOC"].pred_categories[E.WRONG_TYPE] == 1
    assert list(by_type) == ["PER", "ORG", "GPE", "LOC"]  # label-set order, present only
    length = {b.name: b for b in a.breakdowns["entity length (tokens)"]}
    assert (length["1"].gold, length["1"].pred, length["1"].tp) == (2, 1, 0)
    assert (length["2"].gold, length["2"].pred, length["2"].tp) == (1, 1, 1)
    assert length["2"].f1 == 1.0 and length["1"].recall == 0.0
    train = {b.name: b for b in a.breakdowns["canonical id in train"]}
    assert [b for b in train] == ["in train", "not in train", "no canonical id"]
    assert (train["in train"].gold, train["in train"].tp, train["in train"].pred) == (1, 1, None)
    assert train["not in train"].gold_categories[E.WRONG_TYPE] == 1
    assert train["no canonical id"].gold_categories[E.MISSED] == 1
    assert train["in train"].recall == 1.0 and train["not in train"].recall == 0.0


TAG = st.sampled_from(["O", "O", "O", "B-PER", "I-PER", "B-GPE", "I-GPE", "B-ORG", "I-ORG"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.integers(min_value=0, max_value=9).flatmap(
            lambda n: st.tuples(
                st.lists(TAG, min_size=n, max_size=n), st.lists(TAG, min_size=n, max_size=n)
            )
        ),
        min_size=1,
        max_size=6,
    )
)
def test_ner_counts_equal_the_scorers(sentences: list[tuple[list[str], list[str]]]) -> None:
    """Every per-type (support, predicted, tp) equals the scorer's headline table (conlleval
    mode, `per_type`), ill-formed I- tags too; the spans of strict mode equal its
    `per_type_strict`."""
    gold = [g for g, _ in sentences]
    pred = [p for _, p in sentences]
    a = _ner(gold, pred)
    rows = _rows(gold)
    result = score_task(
        "ner",
        rows,
        [{"id": r["id"], "tags": p} for r, p in zip(rows, pred, strict=True)],
        bootstrap=0,
    )
    assert result["metric"] == "f1:conlleval"
    E.check_against_scorer(a, result, "random")  # raises on any difference
    per_type = result["per_type"]
    assert sum(a.totals_gold.values()) == sum(v["support"] for v in per_type.values())
    assert sum(a.totals_pred.values()) == sum(v["predicted"] for v in per_type.values())
    assert a.totals_gold[E.CORRECT] == a.totals_pred[E.CORRECT]
    assert a.totals_gold[E.CORRECT] == sum(v["tp"] for v in per_type.values())
    types = LABELS.entity_types
    g_strict = E.entity_spans(gold, types, "strict")
    p_strict = E.entity_spans(pred, types, "strict")
    for t, v in result["per_type_strict"].items():
        support = sum(s[2] == t for row in g_strict for s in row)
        predicted = sum(s[2] == t for row in p_strict for s in row)
        pairs = zip(g_strict, p_strict, strict=True)
        tp = sum(s[2] == t and s in p for g, p in pairs for s in g)
        assert (support, predicted, tp) == (v["support"], v["predicted"], v["tp"]), t


def test_a_count_differing_from_the_scorer_is_an_error() -> None:
    a = _ner([["B-PER", "O"]], [["B-PER", "O"]])
    rows = _rows([["B-PER", "O"]])
    result = score_task("ner", rows, [{"id": "d/0", "tags": ["B-PER", "O"]}], bootstrap=0)
    result["per_type"]["PER"]["tp"] = 0  # as if the scorer matched differently
    with pytest.raises(RukpError) as info:
        E.check_against_scorer(a, result, "doctored")
    assert info.value.incidents[0].id == "explorer-count-mismatch"
    assert "PER: explorer (1, 1, 1), scorer (1, 1, 0)" in info.value.incidents[0].message


def test_stance_and_events_by_hand() -> None:
    rows = [
        {"id": "d/s1", "doc_id": "d", "label": "FAVOR", "attribution": "reported", "holder": "x"},
        {"id": "d/s2", "doc_id": "d", "label": "AGAINST", "attribution": "author", "holder": None},
        {"id": "d/s3", "doc_id": "d", "label": "AGAINST", "attribution": "reported", "holder": "y"},
    ]
    preds = {"d/s1": "FAVOR", "d/s2": "FAVOR", "d/s3": "AGAINST"}
    a = E.analyse_stance(rows, preds, {"d": "en"}, LABELS)
    assert a.totals_gold == {E.CORRECT: 2, E.WRONG_LABEL: 1}
    att = {b.name: (b.gold, b.tp) for b in a.breakdowns["attribution"]}
    assert att == {"reported": (2, 2), "author": (1, 0)}
    assert a.confusion["AGAINST"]["FAVOR"] == 1 and a.confusion["FAVOR"]["FAVOR"] == 1
    gold_rows = [{**r, "language": "en"} for r in rows]
    result = score_task(
        "stance", gold_rows, [{"id": k, "label": v} for k, v in preds.items()], bootstrap=0
    )
    E.check_against_scorer(a, result, "stance")

    mention = lambda t, f: {"id": "v", "type": t, "factuality": f}  # noqa: E731
    ev_rows = [
        {
            "id": "d/0",
            "doc_id": "d",
            "types": ["AID", "FIGHT"],
            "mentions": [
                mention("AID", "asserted"),
                mention("FIGHT", "possible"),
                mention("FIGHT", "asserted"),
            ],
        },
        {"id": "d/1", "doc_id": "d", "types": [], "mentions": []},
    ]
    ev_preds = {"d/0": ["AID", "AGREE"], "d/1": ["FIGHT"]}
    a = E.analyse_events(ev_rows, ev_preds, {"d": "en"}, LABELS)
    assert a.totals_gold == {E.CORRECT: 1, E.MISSED_TYPE: 1}
    assert a.totals_pred == {E.CORRECT: 1, E.EXTRA_TYPE: 2}
    fact = {b.name: (b.gold, b.tp) for b in a.breakdowns["factuality"]}
    assert fact == {"asserted": (1, 1), "mixed": (1, 0)}
    result = score_task(
        "events",
        [{**r, "language": "en"} for r in ev_rows],
        [{"id": k, "types": v} for k, v in ev_preds.items()],
        bootstrap=0,
    )
    E.check_against_scorer(a, result, "events")


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ([], "a&lt;b&gt;cdef"),
        ([Mark(0, 3, cls="x")], '<span class="x">a&lt;b</span>&gt;cdef'),
        # crossing: the second mark is split, its second piece marked `cont`, id kept once
        (
            [Mark(0, 4, cls="x", attrs={"id": "m1"}), Mark(2, 7, cls="y", attrs={"id": "m2"})],
            '<span class="x" id="m1">a&lt;<span class="y" id="m2">b&gt;</span></span>'
            '<span class="y cont">cde</span>f',
        ),
        # nested, same start: the longer one outside; equal extent: lower rank outside
        (
            [Mark(0, 2, cls="in"), Mark(0, 7, cls="out")],
            '<span class="out"><span class="in">a&lt;</span>b&gt;cde</span>f',
        ),
        (
            [Mark(1, 2, cls="b", rank=1), Mark(1, 2, cls="a", rank=0)],
            'a<span class="a"><span class="b">&lt;</span></span>b&gt;cdef',
        ),
        ([Mark(3, 3, cls="empty"), Mark(5, 99, cls="out-of-range")], "a&lt;b&gt;cdef"),
        (
            [Mark(0, 1, attrs={"title": '"><script>'})],
            '<span title="&quot;&gt;&lt;script&gt;">a</span>&lt;b&gt;cdef',
        ),
    ],
)
def test_marks_by_hand(marks: list[Mark], expected: str) -> None:
    assert render_text("a<b>cdef", marks) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("crf", "crf"),
        ("tfidf-lr", "tfidf-lr"),
        ("v1.2", "v1.2"),
        ("CRF", "crf-"),
        ("<script>alert('x')", "script-alert-x-"),
        ("Système 1", "syst-me-1-"),
    ],
)
def test_slugs_are_safe_and_distinct(name: str, expected: str) -> None:
    s = slug(name)
    assert s.startswith(expected)
    assert all(c.isalnum() or c in "-_." for c in s) and s == s.lower()
    if s != name:
        assert len(s) == len(expected) + 8  # hash suffix keeps CRF and crf apart
