"""The baseline systems: majority class per task, TF-IDF + logistic regression for stance and
events, a CRF for NER.

Every trainer takes release rows (plain dicts, labels as names), hyper-parameters and a seed, and
returns a `Fitted` predictor that writes submission objects (`{"id", "tags"|"label"|"types"}`).
When a model cannot be fit on the rows it is given (one class only, no positive example, empty
vocabulary) it falls back to the majority baseline and says so in `notes`; nothing is hidden.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rukp.labels import load_labels

Row = dict[str, Any]
Pred = dict[str, Any]


@dataclass(slots=True)
class Fitted:
    """A trained system: `predict(rows)` gives one submission object per row, in row order."""

    predict: Callable[[Sequence[Row]], list[Pred]]
    notes: list[str] = field(default_factory=list)
    fallback: bool = False
    model: Any = None


Trainer = Callable[[Sequence[Row], dict[str, Any], int], Fitted]


def _fallback(majority: Fitted, why: str) -> Fitted:
    """The majority baseline standing in for a model that cannot be trained, saying why."""
    majority.notes.insert(0, f"fallback to majority: {why}")
    majority.fallback = True
    return majority


# ---------------------------------------------------------------- majority


def _majority_ner(train: Sequence[Row], params: dict[str, Any], seed: int) -> Fitted:
    outside = load_labels().bio_tags()[0]
    return Fitted(
        lambda rows: [{"id": r["id"], "tags": [outside] * len(r["tokens"])} for r in rows]
    )


def majority_stance_label(train: Sequence[Row]) -> tuple[str, list[str]]:
    """Most frequent label of `train`; ties go to the earlier label in schema/labels.json."""
    order = load_labels().stance_labels
    counts = Counter(r["label"] for r in train)
    if not counts:
        return order[0], [f"no training rows: predicting the first stance label '{order[0]}'"]
    best = max(order, key=lambda lab: (counts.get(lab, 0), -order.index(lab)))
    return best, []


def _majority_stance(train: Sequence[Row], params: dict[str, Any], seed: int) -> Fitted:
    label, notes = majority_stance_label(train)
    return Fitted(lambda rows: [{"id": r["id"], "label": label} for r in rows], notes)


def majority_type_set(train: Sequence[Row]) -> tuple[str, ...]:
    """Most frequent set of event types of a train sentence (often the empty set).

    Ties go to the smaller set, then to the set whose types come first in schema/labels.json.
    """
    order = load_labels().event_types
    counts = Counter(tuple(sorted(set(r["types"]), key=order.index)) for r in train)
    if not counts:
        return ()
    return min(counts, key=lambda s: (-counts[s], len(s), [order.index(t) for t in s]))


def _majority_events(train: Sequence[Row], params: dict[str, Any], seed: int) -> Fitted:
    types = list(majority_type_set(train))
    return Fitted(lambda rows: [{"id": r["id"], "types": list(types)} for r in rows])


# ---------------------------------------------------------------- stance


def stance_text(row: Row) -> str:
    """Holder name (the attribution for the author's voice) + target + evidence + context."""
    holder = row.get("holder_name") or row.get("attribution") or ""
    parts = (holder, row.get("target") or "", row.get("evidence") or "", row.get("context") or "")
    return " | ".join(parts)


def _tfidf(cfg: dict[str, Any]):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=cfg.get("analyzer", "char_wb"),
        ngram_range=tuple(cfg.get("ngram_range", (2, 5))),
        sublinear_tf=bool(cfg.get("sublinear_tf", True)),
        min_df=cfg.get("min_df", 1),
        lowercase=True,
    )


def _stance_lr(train: Sequence[Row], params: dict[str, Any], seed: int) -> Fitted:
    from sklearn.linear_model import LogisticRegression

    labels = [r["label"] for r in train]
    if len(set(labels)) < 2:
        found = sorted(set(labels)) or ["none"]
        return _fallback(
            _majority_stance(train, params, seed),
            f"train has {len(train)} stance rows with "
            f"{len(set(labels))} class(es) ({', '.join(found)}); logistic regression needs two",
        )
    vec = _tfidf(params.get("tfidf", {}))
    try:
        x = vec.fit_transform([stance_text(r) for r in train])
    except ValueError as exc:
        return _fallback(_majority_stance(train, params, seed), f"TF-IDF could not be fit ({exc})")
    clf = LogisticRegression(
        C=float(params["C"]),
        solver=params.get("solver", "lbfgs"),
        class_weight=params.get("class_weight"),
        random_state=seed,
        max_iter=1000,
    )
    try:
        clf.fit(x, labels)
    except ValueError as exc:
        return _fallback(
            _majority_stance(train, params, seed), f"logistic regression could not be fit ({exc})"
        )

    def predict(rows: Sequence[Row]) -> list[Pred]:
        if not rows:
            return []
        out = clf.predict(vec.transform([stance_text(r) for r in rows]))
        return [{"id": r["id"], "label": str(lab)} for r, lab in zip(rows, out, strict=True)]

    return Fitted(predict)


# ---------------------------------------------------------------- events


def _events_lr(train: Sequence[Row], params: dict[str, Any], seed: int) -> Fitted:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    order = load_labels().event_types
    mlb = MultiLabelBinarizer(classes=list(order))
    y = mlb.fit_transform([r["types"] for r in train])
    if len(train) == 0 or int(y.sum()) == 0:
        return _fallback(
            _majority_events(train, params, seed),
            f"train has {len(train)} sentences and no event type; "
            "one-vs-rest logistic regression needs a positive example",
        )
    vec = _tfidf(params.get("tfidf", {}))
    try:
        x = vec.fit_transform([r["text"] for r in train])
    except ValueError as exc:
        return _fallback(_majority_events(train, params, seed), f"TF-IDF could not be fit ({exc})")
    clf = OneVsRestClassifier(
        LogisticRegression(
            C=float(params["C"]),
            solver=params.get("solver", "liblinear"),
            class_weight=params.get("class_weight"),
            random_state=seed,
            max_iter=1000,
        )
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Label not present in all training examples"
            clf.fit(x, y)
    except ValueError as exc:
        return _fallback(
            _majority_events(train, params, seed), f"logistic regression could not be fit ({exc})"
        )
    threshold = float(params.get("threshold", 0.5))
    absent = [t for t, col in zip(order, y.T, strict=True) if not col.any()]
    notes = []
    if absent:
        notes.append(
            f"{len(absent)} of {len(order)} event types have no training example and are "
            "never predicted"
        )

    def predict(rows: Sequence[Row]) -> list[Pred]:
        if not rows:
            return []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            proba = np.asarray(clf.predict_proba(vec.transform([r["text"] for r in rows])))
        return [
            {"id": r["id"], "types": [t for t, p in zip(order, ps, strict=True) if p >= threshold]}
            for r, ps in zip(rows, proba, strict=True)
        ]

    return Fitted(predict, notes)


# ---------------------------------------------------------------- NER


def _shape(token: str) -> str:
    s = re.sub(r"[^\W\d_]", lambda m: "X" if m.group().isupper() else "x", token)
    s = re.sub(r"\d", "d", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _token_features(token: str) -> dict[str, Any]:
    low = token.lower()
    return {
        "lower": low,
        "pre2": low[:2],
        "pre3": low[:3],
        "suf2": low[-2:],
        "suf3": low[-3:],
        "shape": _shape(token),
        "istitle": token.istitle(),
        "isupper": token.isupper(),
        "isdigit": token.isdigit(),
        "isalpha": token.isalpha(),
    }


def sentence_features(tokens: Sequence[str]) -> list[dict[str, Any]]:
    """Language-independent CRF features: the token and its neighbours at ±1 and ±2."""
    base = [_token_features(t) for t in tokens]
    feats = []
    for i, f in enumerate(base):
        d: dict[str, Any] = {"bias": 1.0, **f}
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < len(base):
                n = base[j]
                d[f"{off}:lower"] = n["lower"]
                d[f"{off}:istitle"] = n["istitle"]
                d[f"{off}:isupper"] = n["isupper"]
                d[f"{off}:shape"] = n["shape"]
            elif off in (-1, 1):
                d["BOS" if off < 0 else "EOS"] = True
        feats.append(d)
    return feats


def _crf(train: Sequence[Row], params: dict[str, Any], seed: int) -> Fitted:
    import sklearn_crfsuite

    outside = load_labels().bio_tags()[0]
    tagged = [r for r in train if r["tokens"]]
    tags = {t for r in tagged for t in r["ner_tags"]}
    if not tagged or tags <= {outside}:
        return _fallback(
            _majority_ner(train, params, seed),
            f"train has {len(tagged)} non-empty sentences and no entity tag; "
            "the CRF has nothing to learn",
        )
    crf = sklearn_crfsuite.CRF(
        algorithm="lbfgs",
        c1=float(params["c1"]),
        c2=float(params["c2"]),
        max_iterations=int(params.get("max_iterations", 100)),
        all_possible_transitions=True,
    )
    crf.fit([sentence_features(r["tokens"]) for r in tagged], [list(r["ner_tags"]) for r in tagged])

    def predict(rows: Sequence[Row]) -> list[Pred]:
        out: list[Pred] = []
        for r in rows:
            tags = list(crf.predict_single(sentence_features(r["tokens"]))) if r["tokens"] else []
            out.append({"id": r["id"], "tags": [str(t) for t in tags]})
        return out

    return Fitted(predict, model=crf)


def tag_sentences(crf: Any, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """Tag tokenised sentences with a trained CRF (used by pre-annotation)."""
    return [list(crf.predict_single(sentence_features(s))) if s else [] for s in sentences]


# ---------------------------------------------------------------- registry

SYSTEMS: dict[str, dict[str, Trainer]] = {
    "ner": {"majority": _majority_ner, "crf": _crf},
    "stance": {"majority": _majority_stance, "tfidf-lr": _stance_lr},
    "events": {"majority": _majority_events, "tfidf-lr": _events_lr},
}


def param_grid(task: str, system: str, config: dict[str, Any]) -> list[dict[str, Any]]:
    """Hyper-parameter combinations searched on validation, in the config's order."""
    if system == "majority":
        return [{}]
    cfg = config[task]
    if task == "ner":
        return [
            {"c1": c1, "c2": c2, "max_iterations": cfg["max_iterations"]}
            for c1 in cfg["c1_grid"]
            for c2 in cfg["c2_grid"]
        ]
    common = {"tfidf": cfg["tfidf"], "solver": cfg["solver"]}
    if "class_weight" in cfg:
        common["class_weight"] = cfg["class_weight"]
    if task == "stance":
        return [{**common, "C": c} for c in cfg["C_grid"]]
    return [
        {**common, "C": c, "threshold": t} for c in cfg["C_grid"] for t in cfg["threshold_grid"]
    ]


def cv_params(task: str, system: str, config: dict[str, Any]) -> dict[str, Any]:
    """The fixed hyper-parameters used in every cross-validation fold."""
    if system == "majority":
        return {}
    cfg = config[task]
    if task == "ner":
        return {**cfg["cv"], "max_iterations": cfg["max_iterations"]}
    extra = {"class_weight": cfg["class_weight"]} if "class_weight" in cfg else {}
    return {"tfidf": cfg["tfidf"], "solver": cfg["solver"], **extra, **cfg["cv"]}
