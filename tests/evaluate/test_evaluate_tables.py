"""Hand-computed scores for small inputs (expected values worked out in the comments)."""

from __future__ import annotations

import pytest

from rukp.evaluate import score_task

TOL = 1e-12


def ner_rows(gold: list[list[str]], pred: list[list[str]], docs: list[str] | None = None):
    docs = docs or ["d"] * len(gold)
    g = [
        {"id": f"{d}/{k}", "doc_id": d, "language": "en", "tokens": ["t"] * len(s), "ner_tags": s}
        for k, (d, s) in enumerate(zip(docs, gold, strict=True))
    ]
    p = [{"id": r["id"], "tags": s} for r, s in zip(g, pred, strict=True)]
    return g, p


# (gold, pred, conlleval P, R, F1, strict IOB2 P, R, F1). Conlleval starts an entity at every
# B-X and at an I-X that does not continue X; strict IOB2 starts entities at B-X only.
NER_CASES = [
    # identical: gold = pred = {PER[0,2), GPE[3,4)} -> tp 2, pred 2, gold 2 -> all 1 in both modes
    ([["B-PER", "I-PER", "O", "B-GPE"]], [["B-PER", "I-PER", "O", "B-GPE"]], 1, 1, 1, 1, 1, 1),
    # pred PER[0,1) is a boundary error, GPE matches: tp 1 / pred 2 / gold 2 -> 1/2 everywhere
    (
        [["B-PER", "I-PER", "O", "B-GPE"]],
        [["B-PER", "O", "O", "B-GPE"]],
        *(1 / 2, 1 / 2, 1 / 2),
        *(1 / 2, 1 / 2, 1 / 2),
    ),
    # every B- became I-: conlleval reads pred ORG[0,3) = gold -> 1, 1, 1;
    # strict: an I- without B- starts nothing -> tp 0 / pred 0 / gold 1 -> 0, 0, 0
    ([["B-ORG", "I-ORG", "I-ORG"]], [["I-ORG", "I-ORG", "I-ORG"]], 1, 1, 1, 0, 0, 0),
    # I-PER after B-LOC: conlleval pred {LOC[1,2), PER[2,3)} vs gold LOC[1,3) -> tp 0/2/1 -> 0;
    # strict pred {LOC[1,2)} -> tp 0/1/1 -> 0
    ([["O", "B-LOC", "I-LOC", "O"]], [["O", "B-LOC", "I-PER", "O"]], 0, 0, 0, 0, 0, 0),
    # gold PER[0,1), PER[1,2); pred PER[0,2): tp 0 / pred 1 / gold 2 -> 0 in both modes
    ([["B-PER", "B-PER", "O"]], [["B-PER", "I-PER", "O"]], 0, 0, 0, 0, 0, 0),
    # no entity crosses a sentence. Gold I-GPE opens sentence 1: conlleval gold {s0 GPE, s1 GPE},
    # pred the same -> 1, 1, 1; strict gold {s0 GPE} only: tp 1 / pred 2 / gold 1 -> 1/2, 1, 2/3
    ([["B-GPE"], ["I-GPE", "O"]], [["B-GPE"], ["B-GPE", "O"]], 1, 1, 1, 1 / 2, 1, 2 / 3),
    # I-GPE after I-PER: conlleval gold {PER[0,2), GPE[2,3)} = pred {PER[0,2), GPE[2,3)} -> 1;
    # strict gold {PER[0,2)}, pred {PER[0,2), GPE[2,3)} -> tp 1 / 2 / 1 -> 1/2, 1, 2/3
    (
        [["B-PER", "I-PER", "I-GPE"]],
        [["B-PER", "I-PER", "B-GPE"]],
        *(1, 1, 1),
        *(1 / 2, 1, 2 / 3),
    ),
    # 3 gold, 3 pred, ORG[3,5) vs ORG[3,4) wrong: tp 2 -> 2/3 everywhere
    (
        [["B-PER", "I-PER", "O", "B-ORG", "I-ORG", "O", "B-GPE"]],
        [["B-PER", "I-PER", "O", "B-ORG", "O", "O", "B-GPE"]],
        *(2 / 3, 2 / 3, 2 / 3),
        *(2 / 3, 2 / 3, 2 / 3),
    ),
    # type error on the same span: gold NORP[0,1), pred GPE[0,1); WEA[2,4) right -> tp 1 / 2 / 2
    (
        [["B-NORP", "O", "B-WEA", "I-WEA"]],
        [["B-GPE", "O", "B-WEA", "I-WEA"]],
        *(1 / 2, 1 / 2, 1 / 2),
        *(1 / 2, 1 / 2, 1 / 2),
    ),
    # nothing anywhere: 0/0 is 0 (seqeval with zero_division=0)
    ([["O", "O"]], [["O", "O"]], 0, 0, 0, 0, 0, 0),
]


@pytest.mark.parametrize(("gold", "pred", "p", "r", "f", "sp", "sr", "sf"), NER_CASES)
def test_ner_table(gold, pred, p, r, f, sp, sr, sf) -> None:
    g, s = ner_rows(gold, pred)
    m = score_task("ner", g, s, bootstrap=0)["metrics"]
    assert abs(m["precision"] - p) <= TOL
    assert abs(m["recall"] - r) <= TOL
    assert abs(m["f1"] - f) <= TOL
    assert abs(m["strict_precision"] - sp) <= TOL
    assert abs(m["strict_recall"] - sr) <= TOL
    assert abs(m["strict_f1"] - sf) <= TOL


def test_ner_per_type_and_language() -> None:
    # doc x (en): gold PER[0,2) ORG[3,5) GPE[6,7); pred PER right, ORG[3,4) wrong, GPE right
    # doc y (ko): gold ORG[0,1); pred ORG[0,1) right
    g, s = ner_rows(
        [["B-PER", "I-PER", "O", "B-ORG", "I-ORG", "O", "B-GPE"], ["B-ORG"]],
        [["B-PER", "I-PER", "O", "B-ORG", "O", "O", "B-GPE"], ["B-ORG"]],
        docs=["x", "y"],
    )
    g[1]["language"] = "ko"
    res = score_task("ner", g, s, bootstrap=0)
    # ORG: tp 1 / pred 2 / gold 2 -> 1/2; PER, GPE: 1; micro tp 3 / pred 4 / gold 4 -> 3/4
    assert res["per_type"]["ORG"]["f1"] == 0.5
    assert res["per_type"]["ORG"]["support"] == 2
    assert res["per_type"]["PER"]["f1"] == 1.0
    assert res["per_type"]["LOC"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "support": 0,
        "predicted": 0,
        "tp": 0,
    }
    assert res["metrics"]["f1"] == 0.75
    # en: tp 2 / pred 3 / gold 3 -> 2/3; ko: 1/1 -> 1
    assert abs(res["per_language"]["en"]["metrics"]["f1"] - 2 / 3) <= TOL
    assert res["per_language"]["ko"]["metrics"]["f1"] == 1.0
    assert (res["n_rows"], res["n_docs"]) == (2, 2)


def stance_rows(gold: list[str], pred: list[str], docs: list[str] | None = None):
    docs = docs or ["d"] * len(gold)
    g = [
        {"id": f"{d}/s{k}", "doc_id": d, "language": "en", "label": lab}
        for k, (d, lab) in enumerate(zip(docs, gold, strict=True))
    ]
    return g, [{"id": r["id"], "label": lab} for r, lab in zip(g, pred, strict=True)]


STANCE_CASES = [
    # FAVOR tp1 p1 g1 -> F 1; AGAINST tp1 p2 g2 -> 2/4; NEUTRAL tp0 p1 g1 -> 0
    # SemEval (1 + 1/2)/2 = 3/4; macro (1 + 1/2 + 0)/3 = 1/2; accuracy 2/4
    (
        ["FAVOR", "AGAINST", "NEUTRAL", "AGAINST"],
        ["FAVOR", "AGAINST", "AGAINST", "NEUTRAL"],
        3 / 4,
        1 / 2,
        1 / 2,
    ),
    # FAVOR tp1 p1 g2 -> 2/3; AGAINST tp1 p2 g1 -> 2/3; NEUTRAL absent from both: not averaged
    (["FAVOR", "FAVOR", "AGAINST"], ["AGAINST", "FAVOR", "AGAINST"], 2 / 3, 2 / 3, 2 / 3),
    # FAVOR tp0 p1 g0 -> 0; AGAINST absent -> 0 but always in SemEval; NEUTRAL tp1 p1 g2 -> 2/3
    # SemEval (0 + 0)/2 = 0; macro over FAVOR, NEUTRAL = (0 + 2/3)/2 = 1/3; accuracy 1/2
    (["NEUTRAL", "NEUTRAL"], ["NEUTRAL", "FAVOR"], 0, 1 / 3, 1 / 2),
    # all right with FAVOR and AGAINST present -> 1, 1, 1
    (["AGAINST", "FAVOR"], ["AGAINST", "FAVOR"], 1, 1, 1),
]


@pytest.mark.parametrize(("gold", "pred", "fa", "macro", "acc"), STANCE_CASES)
def test_stance_table(gold, pred, fa, macro, acc) -> None:
    g, s = stance_rows(gold, pred)
    res = score_task("stance", g, s, bootstrap=0)
    m = res["metrics"]
    assert abs(m["f1_favor_against"] - fa) <= TOL
    assert abs(m["macro_f1"] - macro) <= TOL
    assert abs(m["accuracy"] - acc) <= TOL
    assert res["score"] == m["f1_favor_against"]


def test_stance_per_language() -> None:
    # en doc a: gold F, A, pred F, A -> SemEval 1, accuracy 1
    # fr doc b: gold N, A, pred A, N -> FAVOR absent (0), AGAINST tp0 p1 g1 (0) -> 0; accuracy 0
    g, s = stance_rows(
        ["FAVOR", "AGAINST", "NEUTRAL", "AGAINST"],
        ["FAVOR", "AGAINST", "AGAINST", "NEUTRAL"],
        docs=["a", "a", "b", "b"],
    )
    for r in g[2:]:
        r["language"] = "fr"
    res = score_task("stance", g, s, bootstrap=0)
    assert res["per_language"]["en"]["metrics"] == {
        "f1_favor_against": 1.0,
        "macro_f1": 1.0,
        "accuracy": 1.0,
    }
    assert res["per_language"]["fr"]["metrics"] == {
        "f1_favor_against": 0.0,
        "macro_f1": 0.0,
        "accuracy": 0.0,
    }
    assert res["per_label"]["AGAINST"]["support"] == 2


def events_rows(gold: list[list[str]], pred: list[list[str]]):
    g = [{"id": f"d/{k}", "doc_id": "d", "language": "en", "types": t} for k, t in enumerate(gold)]
    return g, [{"id": r["id"], "types": t} for r, t in zip(g, pred, strict=True)]


EVENT_CASES = [
    # AID tp2 p2 g2 -> 1; FIGHT tp0 p1 g1 -> 0; micro tp2 p3 g3 -> 4/6; macro (1 + 0)/2
    ([["AID"], [], ["AID", "FIGHT"]], [["AID"], ["FIGHT"], ["AID"]], 2 / 3, 1 / 2, 2 / 3, 2 / 3),
    # nothing in gold or preds: micro 0/0 -> 0, macro over no type -> 0
    ([[], []], [[], []], 0, 0, 0, 0),
    # SUPPORT 1, AGREE 1, CONSULT tp0 p1 g0 -> 0; micro tp2 p3 g2 -> 4/5; macro 2/3
    ([["SUPPORT", "AGREE"]], [["SUPPORT", "CONSULT", "AGREE"]], 4 / 5, 2 / 3, 2 / 3, 1),
    # everything missed: micro tp0 p0 g2 -> 0; macro over SANCTION, THREATEN -> 0
    ([["SANCTION"], ["THREATEN"]], [[], []], 0, 0, 0, 0),
]


@pytest.mark.parametrize(("gold", "pred", "micro", "macro", "p", "r"), EVENT_CASES)
def test_events_table(gold, pred, micro, macro, p, r) -> None:
    g, s = events_rows(gold, pred)
    res = score_task("events", g, s, bootstrap=0)
    m = res["metrics"]
    assert abs(m["micro_f1"] - micro) <= TOL
    assert abs(m["macro_f1"] - macro) <= TOL
    assert abs(m["micro_precision"] - p) <= TOL
    assert abs(m["micro_recall"] - r) <= TOL
    assert res["score"] == m["micro_f1"]
