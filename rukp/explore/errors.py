"""Error categories and breakdowns of one system's predictions against the gold.

Everything a system page counts is decided here, in one module, on top of the scorer's own
comparisons so that the counts add up to the scorer's:
- ner: entities are the spans the scorer extracts from the tags for its headline
  (`rukp.evaluate.metrics`: `tag_index`, `encode_tags`, `entity_ends` in mode `NER_MODE`,
  conlleval since scorer 2.0.0); a span is correct exactly when the scorer counts it as a true
  positive (same sentence, start, end and type). Every other gold span is *wrong
  type* (a prediction with the same boundaries), *wrong boundary* (an overlapping prediction of
  the same type), *wrong type and boundary* (only overlapping predictions of other types) or
  *missed*; every other predicted span likewise, with *spurious* for no overlap. So per type:
  gold spans = the scorer's support, predicted spans = its `predicted`, correct = its `tp`.
- stance: one decision per record; wrong label when the predicted label differs.
- events: one decision per (sentence, PLOVER type); *missed type* (gold only), *extra type*
  (prediction only), correct (both) — the scorer's multi-label counts.
`check_against_scorer` compares every per-type/per-label count with the scorer's headline table
(`per_type`, `per_label`) and raises `explorer-count-mismatch` if one differs, so the pages can
never disagree with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rukp.errors import Incident, RukpError
from rukp.evaluate import metrics as M
from rukp.labels import LabelSets

CORRECT = "correct"
WRONG_TYPE = "wrong type"
WRONG_BOUNDARY = "wrong boundary"
WRONG_BOTH = "wrong type and boundary"
MISSED = "missed"
SPURIOUS = "spurious"
NER_GOLD_CATEGORIES = (CORRECT, WRONG_TYPE, WRONG_BOUNDARY, WRONG_BOTH, MISSED)
NER_PRED_CATEGORIES = (CORRECT, WRONG_TYPE, WRONG_BOUNDARY, WRONG_BOTH, SPURIOUS)
WRONG_LABEL = "wrong label"
STANCE_CATEGORIES = (CORRECT, WRONG_LABEL)
MISSED_TYPE = "missed type"
EXTRA_TYPE = "extra type"
EVENT_CATEGORIES = (CORRECT, MISSED_TYPE, EXTRA_TYPE)
LENGTH_BUCKETS = ("1", "2", "3", "4+")
IN_TRAIN = ("in train", "not in train", "no canonical id")
MIXED = "mixed"


def css_name(category: str) -> str:
    """`wrong type and boundary` -> `wrong-type-and-boundary` (class names, data attributes)."""
    return category.replace(" ", "-")


# --------------------------------------------------------------------------- NER


# The scorer's headline NER mode (its signature's `f1:conlleval`; its `per_type` table). Strict
# IOB2 (`per_type_strict`) is reported beside it by the scorer, not broken down here.
NER_MODE = "conlleval"


def entity_spans(
    tag_rows: Sequence[Sequence[str]], types: Sequence[str], mode: str = NER_MODE
) -> list[list[tuple[int, int, str]]]:
    """Per row, the scorer's entities in `mode` as (first token, end token exclusive, type)."""
    index = M.tag_index(types)
    enc = M.encode_tags(tag_rows, index)
    ends = M.entity_ends(enc, mode)
    typ = (enc.codes - 1) // 2
    out: list[list[tuple[int, int, str]]] = []
    pos = 0
    for tags in tag_rows:
        n = len(tags)
        row = [
            (int(k), int(ends[pos + k]) - pos, types[int(typ[pos + k])])
            for k in np.flatnonzero(ends[pos : pos + n] >= 0)
        ]
        out.append(row)
        pos += n
    return out


@dataclass(slots=True)
class NerItem:
    """One gold or predicted entity of one sentence, with its error category."""

    key: str  # "g<k>" / "p<k>", unique within the analysis
    side: str  # "gold" | "pred"
    doc_id: str
    row_id: str
    language: str
    tok_start: int
    tok_end: int
    type: str
    start: int  # character offsets into the document text
    end: int
    text: str
    category: str = ""
    canonical_id: str | None = None
    in_train: str = ""  # one of IN_TRAIN (gold side only)
    partners: list[str] = field(default_factory=list)  # keys of overlapping items, other side

    @property
    def length(self) -> str:
        n = self.tok_end - self.tok_start
        return str(n) if n < 4 else "4+"


@dataclass(slots=True)
class Bucket:
    """One bucket of a breakdown: counts, scores where defined, and error categories."""

    name: str
    gold: int
    pred: int | None  # None: the bucket is defined on gold only (recall only)
    tp: int
    precision: float | None
    recall: float | None
    f1: float | None
    gold_categories: dict[str, int]
    pred_categories: dict[str, int]


@dataclass(slots=True)
class Analysis:
    task: str
    categories_gold: tuple[str, ...]
    categories_pred: tuple[str, ...]
    items: list[Any]
    breakdowns: dict[str, list[Bucket]]
    totals_gold: dict[str, int]
    totals_pred: dict[str, int]
    confusion: dict[str, dict[str, int]] | None = None  # stance: gold -> pred -> n
    _by_doc: dict[str, list[Any]] = field(default_factory=dict)

    def doc_items(self, doc_id: str) -> list[Any]:
        if not self._by_doc and self.items:
            for it in self.items:
                self._by_doc.setdefault(it.doc_id, []).append(it)
        return self._by_doc.get(doc_id, [])


def _overlap(a: NerItem, b: NerItem) -> bool:
    return a.tok_start < b.tok_end and b.tok_start < a.tok_end


def _categorise(item: NerItem, others: list[NerItem], none: str) -> str:
    same_span = [o for o in others if (o.tok_start, o.tok_end) == (item.tok_start, item.tok_end)]
    if any(o.type == item.type for o in same_span):
        return CORRECT
    if same_span:
        return WRONG_TYPE
    if not others:
        return none
    if any(o.type == item.type for o in others):
        return WRONG_BOUNDARY
    return WRONG_BOTH


def ner_items(
    rows: Sequence[dict[str, Any]],
    preds: dict[str, Sequence[str]],
    doc_language: dict[str, str],
    doc_text: dict[str, str],
    canonical: dict[tuple[str, int, int], str | None],
    train_ids: set[str],
    types: Sequence[str],
) -> list[NerItem]:
    """Gold and predicted entities of `rows` (release ner rows) with their categories."""
    gold_spans = entity_spans([r["ner_tags"] for r in rows], types)
    pred_spans = entity_spans([list(preds[r["id"]]) for r in rows], types)
    items: list[NerItem] = []
    ng = npred = 0
    for r, gs, ps in zip(rows, gold_spans, pred_spans, strict=True):
        starts, ends, doc = r["token_starts"], r["token_ends"], r["doc_id"]

        def make(side: str, span: tuple[int, int, str], key: str, r=r, starts=starts, ends=ends):
            a, b, t = span
            s, e = int(starts[a]), int(ends[b - 1])
            return NerItem(
                key=key,
                side=side,
                doc_id=r["doc_id"],
                row_id=r["id"],
                language=doc_language.get(r["doc_id"], "und"),
                tok_start=a,
                tok_end=b,
                type=t,
                start=s,
                end=e,
                text=doc_text.get(r["doc_id"], "")[s:e],
            )

        g_items = []
        for span in gs:
            g_items.append(make("gold", span, f"g{ng}"))
            ng += 1
        p_items = []
        for span in ps:
            p_items.append(make("pred", span, f"p{npred}"))
            npred += 1
        for g in g_items:
            over = [p for p in p_items if _overlap(g, p)]
            g.category = _categorise(g, over, MISSED)
            g.partners = [p.key for p in over]
            g.canonical_id = canonical.get((doc, g.start, g.end))
            if not g.canonical_id:
                g.in_train = IN_TRAIN[2]
            else:
                g.in_train = IN_TRAIN[0] if g.canonical_id in train_ids else IN_TRAIN[1]
        for p in p_items:
            over = [g for g in g_items if _overlap(g, p)]
            p.category = _categorise(p, over, SPURIOUS)
            p.partners = [g.key for g in over]
        items.extend(g_items)
        items.extend(p_items)
    return items


def _prf_seqeval(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p, r, f = M.seqeval_prf(np.array([tp]), np.array([pred]), np.array([gold]))
    return float(p[0]), float(r[0]), float(f[0])


def _prf_sklearn(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p, r, f = M.sklearn_prf(np.array([tp]), np.array([pred]), np.array([gold]))
    return float(p[0]), float(r[0]), float(f[0])


def _buckets(
    items: Sequence[Any],
    key: Callable[[Any], str],
    order: Sequence[str] | None,
    gold_cats: Sequence[str],
    pred_cats: Sequence[str],
    prf: Callable[[int, int, int], tuple[float, float, float]],
    gold_only: bool = False,
) -> list[Bucket]:
    """Buckets of `items` (objects with side, category) by `key`; present buckets only."""
    g: dict[str, Counter[str]] = {}
    p: dict[str, Counter[str]] = {}
    for it in items:
        if it.side == "gold":
            g.setdefault(key(it), Counter())[it.category] += 1
        elif not gold_only:
            p.setdefault(key(it), Counter())[it.category] += 1
    names = set(g) | set(p)
    ordered = [n for n in order if n in names] if order else []
    ordered += sorted(names - set(ordered))
    out = []
    for name in ordered:
        gc, pc = g.get(name, Counter()), p.get(name, Counter())
        n_gold, tp = sum(gc.values()), gc[CORRECT]
        if gold_only:
            recall = tp / n_gold if n_gold else 0.0
            out.append(Bucket(name, n_gold, None, tp, None, recall, None, _cats(gc, gold_cats), {}))
            continue
        n_pred = sum(pc.values())
        precision, recall, f1 = prf(tp, n_pred, n_gold)
        out.append(
            Bucket(
                name,
                n_gold,
                n_pred,
                tp,
                precision,
                recall,
                f1,
                _cats(gc, gold_cats),
                _cats(pc, pred_cats),
            )
        )
    return out


def _cats(c: Counter[str], names: Sequence[str]) -> dict[str, int]:
    return {n: c[n] for n in names}


def _totals(items: Sequence[Any], side: str, names: Sequence[str]) -> dict[str, int]:
    return _cats(Counter(it.category for it in items if it.side == side), names)


def analyse_ner(
    rows: Sequence[dict[str, Any]],
    preds: dict[str, Sequence[str]],
    doc_language: dict[str, str],
    doc_text: dict[str, str],
    canonical: dict[tuple[str, int, int], str | None],
    train_ids: set[str],
    labels: LabelSets,
) -> Analysis:
    types = labels.entity_types
    items = ner_items(rows, preds, doc_language, doc_text, canonical, train_ids, types)
    gc, pc = NER_GOLD_CATEGORIES, NER_PRED_CATEGORIES
    s = _prf_seqeval
    return Analysis(
        task="ner",
        categories_gold=gc,
        categories_pred=pc,
        items=items,
        breakdowns={
            "language": _buckets(items, lambda i: i.language, None, gc, pc, s),
            "entity type": _buckets(items, lambda i: i.type, types, gc, pc, s),
            "entity length (tokens)": _buckets(
                items, lambda i: i.length, LENGTH_BUCKETS, gc, pc, s
            ),
            "canonical id in train": _buckets(
                items, lambda i: i.in_train, IN_TRAIN, gc, pc, s, gold_only=True
            ),
        },
        totals_gold=_totals(items, "gold", gc),
        totals_pred=_totals(items, "pred", pc),
    )


# --------------------------------------------------------------------------- stance


@dataclass(slots=True)
class StanceItem:
    key: str
    side: str  # always "gold": one decision per gold record
    doc_id: str
    row_id: str
    language: str
    holder: str | None
    holder_name: str | None
    attribution: str
    gold: str
    pred: str
    category: str


def analyse_stance(
    rows: Sequence[dict[str, Any]],
    preds: dict[str, str],
    doc_language: dict[str, str],
    labels: LabelSets,
) -> Analysis:
    items = []
    for k, r in enumerate(rows):
        pred = preds[r["id"]]
        items.append(
            StanceItem(
                key=f"s{k}",
                side="gold",
                doc_id=r["doc_id"],
                row_id=r["id"],
                language=doc_language.get(r["doc_id"], "und"),
                holder=r.get("holder"),
                holder_name=r.get("holder_name"),
                attribution=str(r["attribution"]),
                gold=str(r["label"]),
                pred=str(pred),
                category=CORRECT if pred == r["label"] else WRONG_LABEL,
            )
        )
    cats = STANCE_CATEGORIES

    def by(key: Callable[[Any], str], order: Sequence[str] | None) -> list[Bucket]:
        # one decision per record: the bucket's "recall" is its accuracy
        return _buckets(items, key, order, cats, (), _prf_sklearn, gold_only=True)

    confusion = {
        g: {
            p: sum(1 for it in items if it.gold == g and it.pred == p) for p in labels.stance_labels
        }
        for g in labels.stance_labels
    }
    return Analysis(
        task="stance",
        categories_gold=cats,
        categories_pred=(),
        items=items,
        breakdowns={
            "attribution": by(lambda i: i.attribution, labels.stance_attributions),
            "language": by(lambda i: i.language, None),
            "gold label": by(lambda i: i.gold, labels.stance_labels),
        },
        totals_gold=_totals(items, "gold", cats),
        totals_pred={},
        confusion=confusion,
    )


# --------------------------------------------------------------------------- events


@dataclass(slots=True)
class EventItem:
    """One (sentence, PLOVER type) decision that gold or the system made."""

    key: str
    side: str  # "gold" (correct / missed type) or "pred" (correct / extra type)
    doc_id: str
    row_id: str
    language: str
    type: str
    category: str
    factuality: str = ""  # gold side: the factuality of that type's mentions, or "mixed"
    triggers: list[str] = field(default_factory=list)  # gold mention ids of that type


def analyse_events(
    rows: Sequence[dict[str, Any]],
    preds: dict[str, Sequence[str]],
    doc_language: dict[str, str],
    labels: LabelSets,
) -> Analysis:
    order = {t: k for k, t in enumerate(labels.event_types)}
    items: list[EventItem] = []
    for r in rows:
        gold = set(r["types"] or [])
        pred = set(preds[r["id"]])
        lang = doc_language.get(r["doc_id"], "und")
        for t in sorted(gold | pred, key=lambda t: order.get(t, len(order))):
            base = {"doc_id": r["doc_id"], "row_id": r["id"], "language": lang, "type": t}
            if t in gold:
                ms = [m for m in r["mentions"] or [] if m["type"] == t]
                facts = sorted({str(m["factuality"]) for m in ms})
                items.append(
                    EventItem(
                        key=f"g{len(items)}",
                        side="gold",
                        category=CORRECT if t in pred else MISSED_TYPE,
                        factuality=facts[0] if len(facts) == 1 else MIXED,
                        triggers=[str(m["id"]) for m in ms],
                        **base,
                    )
                )
            if t in pred:
                items.append(
                    EventItem(
                        key=f"p{len(items)}",
                        side="pred",
                        category=CORRECT if t in gold else EXTRA_TYPE,
                        **base,
                    )
                )
    gc, pc = (CORRECT, MISSED_TYPE), (CORRECT, EXTRA_TYPE)
    s = _prf_sklearn
    types = labels.event_types
    return Analysis(
        task="events",
        categories_gold=gc,
        categories_pred=pc,
        items=items,
        breakdowns={
            "event type": _buckets(items, lambda i: i.type, types, gc, pc, s),
            "language": _buckets(items, lambda i: i.language, None, gc, pc, s),
            "factuality": _buckets(
                items, lambda i: i.factuality, (*labels.factuality, MIXED), gc, pc, s, True
            ),
        },
        totals_gold=_totals(items, "gold", gc),
        totals_pred=_totals(items, "pred", pc),
    )


# --------------------------------------------------------------------------- check


def scorer_counts(result: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    """{type or label: (support, predicted, tp)} from a scorer result."""
    table = result.get("per_type") or result.get("per_label") or {}
    return {k: (int(v["support"]), int(v["predicted"]), int(v["tp"])) for k, v in table.items()}


def analysis_counts(analysis: Analysis) -> dict[str, tuple[int, int, int]]:
    """The same counts as `scorer_counts`, from the categorised items."""
    support: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    tp: Counter[str] = Counter()
    for it in analysis.items:
        if analysis.task == "stance":
            support[it.gold] += 1
            predicted[it.pred] += 1
            tp[it.gold] += it.category == CORRECT
        elif it.side == "gold":
            support[it.type] += 1
            tp[it.type] += it.category == CORRECT
        else:
            predicted[it.type] += 1
    names = set(support) | set(predicted)
    return {k: (support[k], predicted[k], tp[k]) for k in names}


def check_against_scorer(analysis: Analysis, result: dict[str, Any], where: str) -> None:
    """Raise `explorer-count-mismatch` unless every per-type/label count equals the scorer's."""
    ours = analysis_counts(analysis)
    theirs = {k: v for k, v in scorer_counts(result).items() if v != (0, 0, 0)}
    if ours != theirs:
        diff = sorted(k for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k))
        detail = "; ".join(
            f"{k}: explorer {ours.get(k, (0, 0, 0))}, scorer {theirs.get(k, (0, 0, 0))}"
            for k in diff[:5]
        )
        raise RukpError(
            Incident(
                id="explorer-count-mismatch",
                message=f"{where}: (support, predicted, tp) differ from the scorer's: {detail}",
                hint="the scorer's matching changed: adapt rukp/explore/errors.py to it",
            )
        )
