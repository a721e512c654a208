"""Scores of a pre-annotation against gold: strict span F1, link accuracy, region edits.

A region is `(start, end, type, canonical_id)` in code points of the document text.

- **Strict**: a predicted region is correct when a gold region has the same start, end and type.
- **Link accuracy**: among strictly matched regions whose gold id is not null (and, when `linkable`
  is given, is one of those ids: referents the registry knows), the share whose predicted id equals
  the gold id. A null prediction there counts as wrong.
- **Region edits** an annotator makes to turn the pre-annotation into the gold. Regions are paired
  one to one: first same start and end, then the largest overlap (ties: leftmost gold, then
  leftmost prediction). Then, counting one edit for each of:
  `delete` a predicted region with no partner; `add` a gold region with no partner (and `id` if
  that gold region has a canonical id, which is typed separately); `boundary` a pair whose
  start or end differ; `type` a pair whose types differ; `id` a pair whose ids differ (a missing,
  wrong or superfluous id). Reported per 100 tokens of the document (`rukp.build.text.tokenize`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

Region = tuple[int, int, str, str | None]
EDIT_KINDS = ("delete", "add", "boundary", "type", "id")


@dataclass(slots=True)
class Tally:
    """Counts summed over documents; ratios computed at the end (micro average)."""

    tp: int = 0
    gold: int = 0
    pred: int = 0
    linked_ok: int = 0
    linkable: int = 0
    tokens: int = 0
    edits: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.gold += other.gold
        self.pred += other.pred
        self.linked_ok += other.linked_ok
        self.linkable += other.linkable
        self.tokens += other.tokens
        self.edits.update(other.edits)

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def link_accuracy(self) -> float | None:
        return self.linked_ok / self.linkable if self.linkable else None

    @property
    def edits_total(self) -> int:
        return sum(self.edits.values())

    @property
    def edits_per_100(self) -> float:
        return 100.0 * self.edits_total / self.tokens if self.tokens else 0.0

    def as_dict(self) -> dict[str, object]:
        la = self.link_accuracy
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "gold": self.gold,
            "pred": self.pred,
            "link_accuracy": None if la is None else round(la, 4),
            "linked_ok": self.linked_ok,
            "linkable": self.linkable,
            "tokens": self.tokens,
            "edits": {k: self.edits.get(k, 0) for k in EDIT_KINDS},
            "edits_total": self.edits_total,
            "edits_per_100_tokens": round(self.edits_per_100, 3),
        }


def pair_regions(
    gold: Sequence[Region], pred: Sequence[Region]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """One-to-one pairs (gold index, pred index), unpaired gold, unpaired predictions."""
    pairs: list[tuple[int, int]] = []
    free_g, free_p = set(range(len(gold))), set(range(len(pred)))
    for gi, g in enumerate(gold):
        for pi in sorted(free_p):
            if (pred[pi][0], pred[pi][1]) == (g[0], g[1]):
                pairs.append((gi, pi))
                free_g.discard(gi)
                free_p.discard(pi)
                break
    cands = []
    for gi in free_g:
        for pi in free_p:
            g, p = gold[gi], pred[pi]
            ov = min(g[1], p[1]) - max(g[0], p[0])
            if ov > 0:
                cands.append((-ov, g[0], p[0], gi, pi))
    for _, _, _, gi, pi in sorted(cands):
        if gi in free_g and pi in free_p:
            pairs.append((gi, pi))
            free_g.discard(gi)
            free_p.discard(pi)
    return sorted(pairs), sorted(free_g), sorted(free_p)


def edits(gold: Sequence[Region], pred: Sequence[Region]) -> Counter[str]:
    """Region edits turning `pred` into `gold` (module docstring)."""
    pairs, free_g, free_p = pair_regions(gold, pred)
    out: Counter[str] = Counter()
    out["delete"] += len(free_p)
    for gi in free_g:
        out["add"] += 1
        if gold[gi][3] is not None:
            out["id"] += 1
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        if (g[0], g[1]) != (p[0], p[1]):
            out["boundary"] += 1
        if g[2] != p[2]:
            out["type"] += 1
        if g[3] != p[3]:
            out["id"] += 1
    return +out


def score_document(
    gold: Sequence[Region],
    pred: Sequence[Region],
    tokens: int,
    linkable: Collection[str] | None = None,
) -> Tally:
    """Strict matches, link accuracy and edits of one document."""
    t = Tally(gold=len(gold), pred=len(pred), tokens=tokens)
    by_key: dict[tuple[int, int, str], list[str | None]] = {}
    for g in gold:
        by_key.setdefault((g[0], g[1], g[2]), []).append(g[3])
    for p in pred:
        ids = by_key.get((p[0], p[1], p[2]))
        if not ids:
            continue
        gid = ids.pop(0)
        t.tp += 1
        if gid is not None and (linkable is None or gid in linkable):
            t.linkable += 1
            t.linked_ok += int(p[3] == gid)
    t.edits = edits(gold, pred)
    return t
