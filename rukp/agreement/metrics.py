"""Inter-annotator agreement between two annotation sets (entities, stance, events).

Set A is the reference for precision/recall; F1 is symmetric. Krippendorff's α (nominal) comes
from the `krippendorff` package; it is reported as undefined (value None plus a reason) when there
are fewer than 2 paired items or a single category, never as a made-up number.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import krippendorff

OVERALL = "overall"


def figure(value: float | None, n: int, note: str | None = None) -> dict[str, Any]:
    """One reported number with the count it rests on (and why it is undefined, if it is)."""
    return {"value": value, "n": n, "note": note}


def nominal_alpha(a: Sequence[str], b: Sequence[str]) -> dict[str, Any]:
    """Krippendorff's α (nominal) for two coders who both coded every item."""
    n = len(a)
    if n < 2:
        return figure(None, n, f"undefined: {n} paired item(s), α needs at least 2")
    cats = sorted(set(a) | set(b))
    if len(cats) < 2:
        return figure(None, n, f"undefined: a single category ({cats[0]}) in all {n} items")
    code = {c: i for i, c in enumerate(cats)}
    value = krippendorff.alpha(
        reliability_data=[[code[x] for x in a], [code[x] for x in b]],
        level_of_measurement="nominal",
        value_domain=list(range(len(cats))),
    )
    return figure(float(value), n)


def accuracy(a: Sequence[Any], b: Sequence[Any]) -> dict[str, Any]:
    n = len(a)
    if n == 0:
        return figure(None, 0, "undefined: no paired items")
    return figure(sum(x == y for x, y in zip(a, b, strict=True)) / n, n)


def rate(flags: Sequence[bool]) -> dict[str, Any]:
    """Share of True among paired items."""
    return accuracy(list(flags), [True] * len(flags))


def prf(tp: int, n_a: int, n_b: int) -> dict[str, Any]:
    """Precision (over B), recall (over A) and F1 = 2·tp / (|A| + |B|), None where undefined."""
    return {
        "tp": tp,
        "n_a": n_a,
        "n_b": n_b,
        "precision": tp / n_b if n_b else None,
        "recall": tp / n_a if n_a else None,
        "f1": 2 * tp / (n_a + n_b) if n_a + n_b else None,
    }


def exact_pairs(a: Sequence[tuple], b: Sequence[tuple]) -> list[tuple[int, int]]:
    """One-to-one pairs of equal keys, in document order (also used by `rukp adjudicate`)."""
    pool: dict[tuple, list[int]] = defaultdict(list)
    for j, key in enumerate(b):
        pool[key].append(j)
    pairs = []
    for i, key in enumerate(a):
        if pool.get(key):
            pairs.append((i, pool[key].pop(0)))
    return pairs


def overlap_pairs(
    a: Sequence[tuple[int, int, str]], b: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int]]:
    """A one-to-one greedy matching of spans that share a character and a label, as (i, j)
    pairs in the order taken: candidate pairs by decreasing overlap length, then by position."""
    cands = []
    for i, (s1, e1, t1) in enumerate(a):
        for j, (s2, e2, t2) in enumerate(b):
            ov = min(e1, e2) - max(s1, s2)
            if ov > 0 and t1 == t2:
                cands.append((-ov, s1, s2, i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, _, _, i, j in sorted(cands):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def _greedy_overlap(a: Sequence[tuple[int, int, str]], b: Sequence[tuple[int, int, str]]) -> int:
    """Size of the greedy one-to-one overlap matching (`overlap_pairs`)."""
    return len(overlap_pairs(a, b))


@dataclass(slots=True)
class DocStats:
    """Raw counts and paired values of one document; scopes sum them."""

    ent_a: Counter[str] = field(default_factory=Counter)  # per type
    ent_b: Counter[str] = field(default_factory=Counter)
    ent_tp: Counter[str] = field(default_factory=Counter)
    ent_lenient: int = 0
    canonical: list[tuple[Any, Any]] = field(default_factory=list)
    stance_pairs: list[tuple[dict, dict]] = field(default_factory=list)
    stance_only_a: int = 0
    stance_only_b: int = 0
    ev_a: int = 0
    ev_b: int = 0
    ev_tp: int = 0
    ev_lenient: int = 0
    ev_pairs: list[tuple[dict, dict]] = field(default_factory=list)


def _stance_map(ann: dict, doc_id: str, warnings: list[str], who: str) -> dict[tuple, dict]:
    out: dict[tuple, dict] = {}
    for st in ann.get("stances", []):
        key = (st["holder"], st["target"])
        if key in out:
            warnings.append(f"{doc_id}: set {who} has two stances for {key}; the first is used")
            continue
        out[key] = st
    return out


def doc_stats(a: dict, b: dict, doc_id: str, warnings: list[str]) -> DocStats:
    """Compare the two annotations of one document."""
    s = DocStats()
    ea, eb = a.get("entities", []), b.get("entities", [])
    s.ent_a.update(e["type"] for e in ea)
    s.ent_b.update(e["type"] for e in eb)
    ka = [(e["start"], e["end"], e["type"]) for e in ea]
    kb = [(e["start"], e["end"], e["type"]) for e in eb]
    for i, j in exact_pairs(ka, kb):
        s.ent_tp[ea[i]["type"]] += 1
        s.canonical.append((ea[i]["canonical_id"], eb[j]["canonical_id"]))
    s.ent_lenient = _greedy_overlap(ka, kb)

    sa = _stance_map(a, doc_id, warnings, "A")
    sb = _stance_map(b, doc_id, warnings, "B")
    s.stance_pairs = [(sa[k], sb[k]) for k in sa if k in sb]
    s.stance_only_a = sum(k not in sb for k in sa)
    s.stance_only_b = sum(k not in sa for k in sb)

    va, vb = a.get("events", []), b.get("events", [])
    s.ev_a, s.ev_b = len(va), len(vb)
    ta = [(v["trigger"]["start"], v["trigger"]["end"]) for v in va]
    tb = [(v["trigger"]["start"], v["trigger"]["end"]) for v in vb]
    pairs = exact_pairs(ta, tb)
    s.ev_tp = len(pairs)
    s.ev_pairs = [(va[i], vb[j]) for i, j in pairs]
    s.ev_lenient = _greedy_overlap([(*t, "") for t in ta], [(*t, "") for t in tb])
    return s


def summarize(stats: Iterable[DocStats]) -> dict[str, Any]:
    """Figures of one scope (overall or one language) from its documents' stats."""
    stats = list(stats)
    ent_a: Counter[str] = sum((s.ent_a for s in stats), Counter())
    ent_b: Counter[str] = sum((s.ent_b for s in stats), Counter())
    ent_tp: Counter[str] = sum((s.ent_tp for s in stats), Counter())
    na, nb = sum(ent_a.values()), sum(ent_b.values())
    canonical = [p for s in stats for p in s.canonical]
    types = sorted(set(ent_a) | set(ent_b))
    entities = {
        "strict": prf(sum(ent_tp.values()), na, nb),
        "lenient": prf(sum(s.ent_lenient for s in stats), na, nb),
        "canonical_agreement": accuracy([x for x, _ in canonical], [y for _, y in canonical]),
        "per_type": {t: prf(ent_tp[t], ent_a[t], ent_b[t]) for t in types},
    }
    sp = [p for s in stats for p in s.stance_pairs]
    la, lb = [x["label"] for x, _ in sp], [y["label"] for _, y in sp]
    aa, ab = [x["attribution"] for x, _ in sp], [y["attribution"] for _, y in sp]
    stance = {
        "pairs_both": len(sp),
        "only_a": sum(s.stance_only_a for s in stats),
        "only_b": sum(s.stance_only_b for s in stats),
        "label_alpha": nominal_alpha(la, lb),
        "label_accuracy": accuracy(la, lb),
        "attribution_alpha": nominal_alpha(aa, ab),
        "attribution_accuracy": accuracy(aa, ab),
    }
    ep = [p for s in stats for p in s.ev_pairs]
    ta, tb = [x["type"] for x, _ in ep], [y["type"] for _, y in ep]
    fa, fb = [x["factuality"] for x, _ in ep], [y["factuality"] for _, y in ep]
    eva, evb = sum(s.ev_a for s in stats), sum(s.ev_b for s in stats)

    src = [set(x["sources"]) == set(y["sources"]) for x, y in ep]
    tgt = [set(x["targets"]) == set(y["targets"]) for x, y in ep]
    events = {
        "trigger_strict": prf(sum(s.ev_tp for s in stats), eva, evb),
        "trigger_lenient": prf(sum(s.ev_lenient for s in stats), eva, evb),
        "type_alpha": nominal_alpha(ta, tb),
        "type_accuracy": accuracy(ta, tb),
        "factuality_alpha": nominal_alpha(fa, fb),
        "factuality_accuracy": accuracy(fa, fb),
        "sources_exact": rate(src),
        "targets_exact": rate(tgt),
        "arguments_exact": rate([s and t for s, t in zip(src, tgt, strict=True)]),
    }
    return {"n_documents": len(stats), "entities": entities, "stance": stance, "events": events}


def compute_agreement(
    set_a: dict[str, dict], set_b: dict[str, dict], documents: dict[str, dict]
) -> dict[str, Any]:
    """Agreement over the documents both sets contain, overall and per document language.

    `set_a`/`set_b` map doc_id to an annotation (see `rukp.validate.load_annotation_set`);
    `documents` maps doc_id to a cleaned document (for its language).
    """
    common = sorted(set(set_a) & set(set_b))
    warnings: list[str] = []
    per_doc: dict[str, DocStats] = {}
    langs: dict[str, str] = {}
    for doc_id in common:
        a, b = set_a[doc_id], set_b[doc_id]
        if a.get("text_sha256") != b.get("text_sha256"):
            warnings.append(f"{doc_id}: the two sets were made on different texts (text_sha256)")
        doc = documents.get(doc_id)
        if doc is None:
            warnings.append(f"{doc_id}: not among the cleaned documents; language 'unknown'")
        langs[doc_id] = doc.get("language", "unknown") if doc else "unknown"
        per_doc[doc_id] = doc_stats(a, b, doc_id, warnings)
    scopes = {OVERALL: summarize(per_doc.values())}
    for lang in sorted(set(langs.values())):
        scopes[lang] = summarize(s for d, s in per_doc.items() if langs[d] == lang)
    return {
        "documents": {
            "common": common,
            "only_a": sorted(set(set_a) - set(set_b)),
            "only_b": sorted(set(set_b) - set(set_a)),
            "languages": langs,
        },
        "warnings": warnings,
        "scopes": scopes,
    }
