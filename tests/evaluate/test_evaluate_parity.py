"""Parity with seqeval (strict IOB2) and scikit-learn on thousands of seeded random cases."""

from __future__ import annotations

import random
import warnings

import pytest
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from rukp.evaluate import score_task
from rukp.evaluate.synthetic import perturb_tags, random_tags
from rukp.labels import load_labels

N_NER = 3000  # seqeval is fast enough for more cases
N_SKLEARN = 1000  # each scikit-learn call costs ~3 ms of input checking
LAB = load_labels()


def _same(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-12


def _ill_formed(tags: list[str]) -> list[str]:
    """Every B- turned into I- (a tagger that never opens entities properly)."""
    return [f"I-{t[2:]}" if t.startswith("B-") else t for t in tags]


# mode of rukp -> (prefix of rukp's metric names, seqeval classification_report arguments)
MODES = {
    "conlleval": ("", {}),
    "strict": ("strict_", {"mode": "strict", "scheme": IOB2}),
}


def test_ner_matches_seqeval_default_and_strict() -> None:
    """3,000 random cases (18,056 gold and predicted tag sequences, 10,585 of them ill-formed:
    I-X after O, after another type, first in a sentence; all B- turned into I- in 15% of the
    predictions; empty sentences too). rukp's headline figures equal seqeval's default mode
    (conlleval) and its strict_* figures seqeval strict IOB2, micro and per type, to the last
    bit (the issue asks for 1e-9)."""
    rng = random.Random(20261123)
    types = LAB.entity_types[: rng.randint(2, len(LAB.entity_types))]
    exact = {mode: 0 for mode in MODES}
    n_sequences = ill_formed = 0
    for case in range(N_NER):
        n_sent = rng.randint(1, 5)
        gold, pred, g_rows, p_rows = [], [], [], []
        for s in range(n_sent):
            n = rng.randint(0, 12)
            g = random_tags(rng, n, types, p_o=rng.choice((0.3, 0.6, 0.9)))
            p = perturb_tags(rng, g, types, rng.choice((0.0, 0.2, 0.6, 1.0)))
            if rng.random() < 0.15:
                p = _ill_formed(p)
            gold.append(g)
            pred.append(p)
            n_sequences += 2
            ill_formed += _has_stray_i(g) + _has_stray_i(p)
            doc = f"d{s % 2}"
            g_rows.append(
                {
                    "id": f"{doc}/{s}",
                    "doc_id": doc,
                    "language": "en",
                    "tokens": ["t"] * n,
                    "ner_tags": g,
                }
            )
            p_rows.append({"id": f"{doc}/{s}", "tags": p})
        res = score_task("ner", g_rows, p_rows, bootstrap=0)
        for mode, (prefix, kwargs) in MODES.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = classification_report(gold, pred, output_dict=True, zero_division=0, **kwargs)
            micro = ref.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
            m = res["metrics"]
            assert abs(m[f"{prefix}precision"] - micro["precision"]) <= 1e-9, (case, mode)
            assert abs(m[f"{prefix}recall"] - micro["recall"]) <= 1e-9, (case, mode)
            assert abs(m[f"{prefix}f1"] - micro["f1-score"]) <= 1e-9, (case, mode)
            exact[mode] += m[f"{prefix}f1"] == micro["f1-score"]
            table = res["per_type" if mode == "conlleval" else "per_type_strict"]
            for t, v in ref.items():
                if t.endswith(" avg"):
                    continue
                mine = table[t]
                assert abs(mine["f1"] - v["f1-score"]) <= 1e-9, (case, mode, t)
                assert abs(mine["precision"] - v["precision"]) <= 1e-9, (case, mode, t)
                assert mine["support"] == v["support"], (case, mode, t)
            shown = {t for t in ref if not t.endswith(" avg")}
            present = {t for t, v in table.items() if v["support"] or v["predicted"]}
            assert present == shown, (case, mode)
    assert (n_sequences, ill_formed) == (18_056, 10_585)  # seeded: the figures in the docstring
    assert exact == {mode: N_NER for mode in MODES}  # equal to the last bit, not only 1e-9


def _has_stray_i(tags: list[str]) -> bool:
    """True when an I-X does not continue a B-X/I-X (the two modes read such a tag apart)."""
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            return True
        prev = t
    return False


def test_modes_differ_on_ill_formed_predictions() -> None:
    """The headline and strict figures part exactly where conlleval and strict IOB2 do."""
    gold = [{"id": "d/0", "doc_id": "d", "language": "en", "tokens": ["t"] * 3}]
    gold[0]["ner_tags"] = ["B-ORG", "I-ORG", "O"]
    res = score_task("ner", gold, [{"id": "d/0", "tags": ["I-ORG", "I-ORG", "O"]}], bootstrap=0)
    assert res["metrics"]["f1"] == 1.0 and res["metrics"]["strict_f1"] == 0.0
    assert res["metric"] == "f1:conlleval" and res["main_metric"] == "f1"


def test_stance_matches_sklearn() -> None:
    rng = random.Random(7)
    labels = list(LAB.stance_labels)
    for case in range(N_SKLEARN):
        n = rng.randint(1, 30)
        pool = rng.sample(labels, rng.randint(1, len(labels)))
        gold = [rng.choice(pool) for _ in range(n)]
        pred = [rng.choice(labels) if rng.random() < 0.5 else g for g in gold]
        g_rows = [
            {"id": f"d{k % 3}/s{k}", "doc_id": f"d{k % 3}", "language": "en", "label": x}
            for k, x in enumerate(gold)
        ]
        p_rows = [{"id": r["id"], "label": x} for r, x in zip(g_rows, pred, strict=True)]
        m = score_task("stance", g_rows, p_rows, bootstrap=0)["metrics"]
        fa = f1_score(gold, pred, labels=["FAVOR", "AGAINST"], average="macro", zero_division=0)
        assert m["f1_favor_against"] == fa, case
        assert _same(m["macro_f1"], f1_score(gold, pred, average="macro", zero_division=0)), case
        assert m["accuracy"] == accuracy_score(gold, pred), case


def test_events_match_sklearn_multilabel() -> None:
    rng = random.Random(11)
    types = list(LAB.event_types)
    for case in range(N_SKLEARN):
        n = rng.randint(1, 12)
        pool = rng.sample(types, rng.randint(1, 6))
        gold = [rng.sample(pool, rng.randint(0, min(3, len(pool)))) for _ in range(n)]
        pred = [
            rng.sample(pool, rng.randint(0, min(3, len(pool)))) if rng.random() < 0.5 else list(g)
            for g in gold
        ]
        g_rows = [
            {"id": f"d{k % 2}/{k}", "doc_id": f"d{k % 2}", "language": "en", "types": t}
            for k, t in enumerate(gold)
        ]
        p_rows = [{"id": r["id"], "types": t} for r, t in zip(g_rows, pred, strict=True)]
        res = score_task("events", g_rows, p_rows, bootstrap=0)
        m = res["metrics"]
        # All 19 columns (a single column would make sklearn see a binary task); macro over the
        # columns present in gold or predictions, the documented convention.
        mlb = MultiLabelBinarizer(classes=types).fit([types])
        yt, yp = mlb.transform(gold), mlb.transform(pred)
        present = [k for k, t in enumerate(types) if yt[:, k].any() or yp[:, k].any()]
        p, r, f, _ = precision_recall_fscore_support(yt, yp, average="micro", zero_division=0)
        assert (m["micro_precision"], m["micro_recall"], m["micro_f1"]) == (p, r, f), case
        if present:
            ref = f1_score(yt, yp, labels=present, average="macro", zero_division=0)
            assert _same(m["macro_f1"], ref), case
        else:
            assert m["macro_f1"] == 0
        per = f1_score(yt, yp, average=None, zero_division=0)
        for t, v in zip(types, per, strict=True):
            assert res["per_type"][t]["f1"] == v, (case, t)


@pytest.mark.parametrize("seed", [0, 1])
def test_bootstrap_is_deterministic_and_brackets_the_estimate(seed: int) -> None:
    from rukp.evaluate.synthetic import random_ner

    gold, preds = random_ner(seed=3, n_docs=40)
    a = score_task("ner", gold, preds, bootstrap=500, seed=seed)
    b = score_task("ner", gold, preds, bootstrap=500, seed=seed)
    assert a["ci"] == b["ci"]
    lo, hi = a["ci"]["f1"]
    assert lo < a["score"] < hi
    assert hi - lo < 0.1  # 40 documents of noisy copies: a narrow but non-empty interval
    other = score_task("ner", gold, preds, bootstrap=500, seed=seed + 10)
    assert other["ci"]["f1"] != a["ci"]["f1"]
    assert other["score"] == a["score"]


def test_bootstrap_on_a_simple_case() -> None:
    # two documents, one all right (F1 1) and one all wrong (F1 0): resamples give 0, 1 or 1/2
    g = [
        {"id": "a/0", "doc_id": "a", "language": "en", "label": "FAVOR"},
        {"id": "b/0", "doc_id": "b", "language": "en", "label": "AGAINST"},
    ]
    p = [{"id": "a/0", "label": "FAVOR"}, {"id": "b/0", "label": "FAVOR"}]
    res = score_task("stance", g, p, bootstrap=2000, seed=0)
    assert res["metrics"]["accuracy"] == 0.5
    assert res["ci"]["accuracy"] == [0.0, 1.0]
    # per language, one language only -> same interval
    assert res["per_language"]["en"]["ci"]["accuracy"] == [0.0, 1.0]
