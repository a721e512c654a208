"""Counting and metric formulas for the three tasks, vectorised with numpy.

Every task is reduced to a matrix of per-document counts (documents x count columns). A metric is
a function of summed counts, so the point estimate uses the column sums and the bootstrap uses
`weights @ counts` for 1000 resamples of documents at once.

Formulas are written with the same floating-point operations as the reference implementations so
the figures agree to the last digit:
- NER (seqeval 1.2.2, default mode = conlleval, and strict IOB2 mode): p = tp/pred, r = tp/true,
  f = 2*p*r / (p + r);
- stance, events (scikit-learn): f = 2*tp / (true + pred); a zero denominator gives 0.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

CI_LEVEL = 0.95


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den elementwise, 0 where den == 0 (zero_division=0)."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    safe = np.where(den == 0, 1.0, den)
    return np.where(den == 0, 0.0, num / safe)


def seqeval_prf(tp: np.ndarray, pred: np.ndarray, true: np.ndarray) -> tuple[np.ndarray, ...]:
    """Precision, recall and F1 exactly as seqeval computes them."""
    p = _div(tp, pred)
    r = _div(tp, true)
    denom = 1.0 * p + r
    denom = np.where(denom == 0.0, 1.0, denom)
    f = (1 + 1.0) * p * r / denom
    return p, r, f


def sklearn_prf(tp: np.ndarray, pred: np.ndarray, true: np.ndarray) -> tuple[np.ndarray, ...]:
    """Precision, recall and F1 exactly as scikit-learn computes them (zero_division=0)."""
    p = _div(tp, pred)
    r = _div(tp, true)
    f = _div(
        (1 + 1.0) * np.asarray(tp, dtype=np.float64), 1.0 * np.asarray(true, np.float64) + pred
    )
    return p, r, f


def present_mean(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Mean over the last axis restricted to `present` entries (0 when none is present)."""
    if values.ndim == 1:
        sel = values[present]
        return np.float64(np.mean(sel)) if sel.size else np.float64(0.0)
    n = present.sum(axis=-1)
    s = np.where(present, values, 0.0).sum(axis=-1)
    return _div(s, n)


# --------------------------------------------------------------------------- NER


@dataclass(slots=True)
class EncodedTags:
    """All sentences' tags as one int array: 0 = O, 2k+1 = B-type k, 2k+2 = I-type k."""

    codes: np.ndarray
    sentence_starts: np.ndarray  # bool mask, True at the first token of every sentence


def tag_index(entity_types: Sequence[str]) -> dict[str, int]:
    idx = {"O": 0}
    for k, t in enumerate(entity_types):
        idx[f"B-{t}"] = 2 * k + 1
        idx[f"I-{t}"] = 2 * k + 2
    return idx


def encode_tags(sequences: Sequence[Sequence[str]], index: dict[str, int]) -> EncodedTags:
    """Encode tag sequences (every tag must be a key of `index`)."""
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
    total = int(lengths.sum())
    flat = chain.from_iterable(sequences)
    codes = np.fromiter(map(index.__getitem__, flat), dtype=np.int32, count=total)
    starts = np.zeros(total, dtype=bool)
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lengths) else lengths
    offsets = offsets[lengths > 0]
    starts[offsets] = True
    return EncodedTags(codes=codes, sentence_starts=starts)


NER_MODES = ("conlleval", "strict")


def entity_ends(enc: EncodedTags, mode: str = "conlleval") -> np.ndarray:
    """For each token: the exclusive end of the entity starting there, else -1.

    An entity takes every following I-X of its type X in the same sentence. Where entities
    start depends on `mode`:
    - "conlleval" (conlleval.pl, seqeval's default mode, the `evaluate` library's seqeval): at
      every B-X, and at an I-X that does not continue an entity of type X (first in its
      sentence, after O, or after a tag of another type);
    - "strict" (seqeval mode="strict", scheme=IOB2): at B-X only; such an I-X starts nothing.
    """
    if mode not in NER_MODES:
        raise ValueError(f"unknown NER mode {mode!r}; allowed: {', '.join(NER_MODES)}")
    codes = enc.codes
    n = len(codes)
    is_b = (codes % 2) == 1
    is_i = (codes > 0) & ((codes % 2) == 0)
    typ = (codes - 1) // 2
    cont = is_i.copy()
    if n:
        cont[1:] &= (typ[1:] == typ[:-1]) & (codes[:-1] > 0)
        cont[0] = False
    cont &= ~enc.sentence_starts
    starts = is_b if mode == "strict" else (codes > 0) & ~cont
    breaks = np.append(np.flatnonzero(~cont), n)
    s_pos = np.flatnonzero(starts)
    ends = np.full(n, -1, dtype=np.int64)
    ends[s_pos] = breaks[np.searchsorted(breaks, s_pos + 1)]
    return ends


def ner_block(n_types: int) -> int:
    """Columns of one mode in `ner_counts`: tp, pred, true, then tp/pred/true per type."""
    return 3 + 3 * n_types


def ner_counts(
    gold: EncodedTags, pred: EncodedTags, token_doc: np.ndarray, n_docs: int, n_types: int
) -> np.ndarray:
    """Per-document counts: one block (see `ner_block`) per mode of NER_MODES, in that order.

    A predicted entity is a true positive when a gold entity has the same type, start and end.
    """
    width = ner_block(n_types)
    out = np.zeros((n_docs, width * len(NER_MODES)), dtype=np.float64)
    g_typ = (gold.codes - 1) // 2
    p_typ = (pred.codes - 1) // 2
    for m, mode in enumerate(NER_MODES):
        base = m * width
        g_end = entity_ends(gold, mode)
        p_end = entity_ends(pred, mode)
        g_start = g_end >= 0
        p_start = p_end >= 0
        tp_mask = g_start & p_start & (g_typ == p_typ) & (g_end == p_end)
        for col, mask, typ in ((0, tp_mask, g_typ), (1, p_start, p_typ), (2, g_start, g_typ)):
            docs = token_doc[mask]
            out[:, base + col] = np.bincount(docs, minlength=n_docs)
            cell = docs * n_types + typ[mask]
            per = np.bincount(cell, minlength=n_docs * n_types).reshape(n_docs, n_types)
            out[:, base + 3 + col * n_types : base + 3 + (col + 1) * n_types] = per
    return out


def ner_stats(s: np.ndarray, n_types: int) -> dict[str, np.ndarray]:
    """Metrics from summed NER counts (shape (..., 2 blocks)): the conlleval figures, then the
    strict IOB2 ones prefixed `strict_`."""
    out: dict[str, np.ndarray] = {}
    for m, mode in enumerate(NER_MODES):
        base = m * ner_block(n_types)
        p, r, f = seqeval_prf(s[..., base], s[..., base + 1], s[..., base + 2])
        prefix = "" if mode == "conlleval" else f"{mode}_"
        out |= {f"{prefix}precision": p, f"{prefix}recall": r, f"{prefix}f1": f}
    return out


def ner_per_type(
    s: np.ndarray, types: Sequence[str], mode: str = "conlleval"
) -> dict[str, dict[str, float | int]]:
    t = len(types)
    base = NER_MODES.index(mode) * ner_block(t) + 3
    tp, pr, tr = s[base : base + t], s[base + t : base + 2 * t], s[base + 2 * t : base + 3 * t]
    return _by_name(types, tp, pr, tr, seqeval_prf(tp, pr, tr))


def _by_name(
    names: Sequence[str],
    tp: np.ndarray,
    pr: np.ndarray,
    tr: np.ndarray,
    prf: tuple[np.ndarray, ...],
) -> dict[str, dict[str, float | int]]:
    """{name: precision, recall, f1, support, predicted, tp} from per-name counts and scores."""
    p, r, f = prf
    return {
        name: {
            "precision": float(p[k]),
            "recall": float(r[k]),
            "f1": float(f[k]),
            "support": int(tr[k]),
            "predicted": int(pr[k]),
            "tp": int(tp[k]),
        }
        for k, name in enumerate(names)
    }


# --------------------------------------------------------------------------- label counting


def label_counts(
    gold: np.ndarray, pred: np.ndarray, row_doc: np.ndarray, n_docs: int, n_labels: int
) -> np.ndarray:
    """Single-label rows (label indices): per-document tp/pred/true per label, correct, n."""
    out = np.zeros((n_docs, 3 * n_labels + 2), dtype=np.float64)
    correct = gold == pred
    for col, lab, mask in ((0, gold, correct), (1, pred, None), (2, gold, None)):
        sel = slice(None) if mask is None else mask
        cell = row_doc[sel] * n_labels + lab[sel]
        per = np.bincount(cell, minlength=n_docs * n_labels).reshape(n_docs, n_labels)
        out[:, col * n_labels : (col + 1) * n_labels] = per
    out[:, 3 * n_labels] = np.bincount(row_doc[correct], minlength=n_docs)
    out[:, 3 * n_labels + 1] = np.bincount(row_doc, minlength=n_docs)
    return out


def multilabel_counts(
    gold: np.ndarray, pred: np.ndarray, row_doc: np.ndarray, n_docs: int
) -> np.ndarray:
    """Multi-label rows as 0/1 matrices (rows x labels): per-document tp/pred/true per label."""
    n_labels = gold.shape[1]
    out = np.zeros((n_docs, 3 * n_labels), dtype=np.float64)
    for col, m in enumerate((gold & pred, pred, gold)):
        acc = np.zeros((n_docs, n_labels), dtype=np.float64)
        np.add.at(acc, row_doc, m.astype(np.float64))
        out[:, col * n_labels : (col + 1) * n_labels] = acc
    return out


def stance_stats(s: np.ndarray, labels: Sequence[str], main: Sequence[str]) -> dict:
    """Metrics from summed stance counts (shape (..., 3L + 2))."""
    n = len(labels)
    tp, pr, tr = s[..., :n], s[..., n : 2 * n], s[..., 2 * n : 3 * n]
    _, _, f = sklearn_prf(tp, pr, tr)
    main_idx = [labels.index(m) for m in main]
    present = (tr + pr) > 0
    return {
        "f1_favor_against": np.mean(f[..., main_idx], axis=-1),
        "macro_f1": present_mean(f, present),
        "accuracy": _div(s[..., 3 * n], s[..., 3 * n + 1]),
    }


def events_stats(s: np.ndarray, n_labels: int) -> dict:
    """Metrics from summed event counts (shape (..., 3T))."""
    n = n_labels
    tp, pr, tr = s[..., :n], s[..., n : 2 * n], s[..., 2 * n : 3 * n]
    _, _, f = sklearn_prf(tp, pr, tr)
    mp, mr, mf = sklearn_prf(tp.sum(axis=-1), pr.sum(axis=-1), tr.sum(axis=-1))
    present = (tr + pr) > 0
    return {
        "micro_f1": mf,
        "micro_precision": mp,
        "micro_recall": mr,
        "macro_f1": present_mean(f, present),
    }


def per_label(s: np.ndarray, labels: Sequence[str]) -> dict[str, dict[str, float | int]]:
    """Per-label precision/recall/F1 (scikit-learn formulas) from the first 3L summed counts."""
    n = len(labels)
    tp, pr, tr = s[:n], s[n : 2 * n], s[2 * n : 3 * n]
    return _by_name(labels, tp, pr, tr, sklearn_prf(tp, pr, tr))


# --------------------------------------------------------------------------- bootstrap


BOOTSTRAP_CELLS = 1 << 22  # weights per chunk of resamples (32 MB of float64)


def bootstrap_weights(n_docs: int, n: int, seed: int) -> Iterator[np.ndarray]:
    """(k x n_docs) matrices, k summing to n: how often each document is drawn in each resample.

    Chunks keep memory bounded for many documents; the draws are those of one
    `default_rng(seed).integers(0, n_docs, size=(n, n_docs))` call, whatever the chunking.
    """
    rng = np.random.default_rng(seed)
    step = max(1, BOOTSTRAP_CELLS // max(n_docs, 1))
    for first in range(0, n, step):
        k = min(step, n - first)
        idx = rng.integers(0, n_docs, size=(k, n_docs))
        flat = (idx + np.arange(k)[:, None] * n_docs).ravel()
        yield np.bincount(flat, minlength=k * n_docs).reshape(k, n_docs).astype(np.float64)


def percentile_ci(values: np.ndarray, level: float = CI_LEVEL) -> list[float]:
    lo = (1 - level) / 2 * 100
    a, b = np.percentile(values, [lo, 100 - lo])
    return [float(a), float(b)]
