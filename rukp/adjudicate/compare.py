"""Two annotations of one document compared item by item, layer by layer: what both made
identically, and every difference with its kind. Shared by `rukp adjudicate` and `rukp diff`.

Items are paired with the agreement module's matching (`rukp.agreement.metrics.exact_pairs`,
`overlap_pairs`), in rounds from the strictest key to the loosest, so that an item pairs with
its closest counterpart (two events on one trigger, for instance):

- entities: same (start, end, type, canonical_id) → agreed; then same span → kind `type` (the
  types differ) or `canonical-id`; then overlapping spans → `span`.
- stances: same (holder, target, label, attribution, evidence offsets) → agreed; then same
  (holder, target) — the key of a stance record — → `label`, else `attribution`, else
  `evidence`.
- events: same (trigger offsets, type, mode, factuality, set of sources, set of targets) →
  agreed; then same trigger and type, then same trigger → `type`, else `mode`, else
  `factuality`, else `arguments` (sources or targets); then overlapping triggers → `trigger`.
- what is left: `missing-in-b` (only A has it) or `missing-in-a` (only B has it).

Item ids and `text` fields are not compared (ids are local to a set; texts follow the offsets).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rukp.agreement.metrics import exact_pairs, overlap_pairs

LAYERS = ("entities", "stances", "events")
KINDS = {
    "entities": ("span", "type", "canonical-id"),
    "stances": ("label", "attribution", "evidence"),
    "events": ("trigger", "type", "mode", "factuality", "arguments"),
}
MISSING = ("missing-in-a", "missing-in-b")

Item = dict[str, Any]
Key = Callable[[Item], tuple]


@dataclass(slots=True)
class Difference:
    layer: str
    kind: str
    a: Item | None
    b: Item | None

    def position(self) -> tuple[int, int]:
        item = self.a if self.a is not None else self.b
        return span_of(self.layer, item or {})


@dataclass(slots=True)
class Comparison:
    """One document: agreed items (A's copy) and differences, per layer."""

    doc_id: str
    agreed: dict[str, list[Item]] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)


def span_of(layer: str, item: Item) -> tuple[int, int]:
    """The offsets that place an item in the text (entity span, evidence, trigger); -1 for an
    offset that is not an integer (an item edited by hand may hold anything: the gold's
    validation then names it, so only ordering must not fail here)."""
    sp = item if layer == "entities" else item.get("evidence" if layer == "stances" else "trigger")
    sp = sp if isinstance(sp, dict) else {}
    start, end = sp.get("start"), sp.get("end")
    return (
        start if isinstance(start, int) and not isinstance(start, bool) else -1,
        end if isinstance(end, int) and not isinstance(end, bool) else -1,
    )


def _entity_full(e: Item) -> tuple:
    return (e["start"], e["end"], e["type"], e["canonical_id"])


def _entity_span(e: Item) -> tuple:
    return (e["start"], e["end"])


def _stance_key(s: Item) -> tuple:
    return (s["holder"], s["target"])


def _stance_full(s: Item) -> tuple:
    ev = s["evidence"]
    return (*_stance_key(s), s["label"], s["attribution"], ev["start"], ev["end"])


def _event_span(v: Item) -> tuple:
    return (v["trigger"]["start"], v["trigger"]["end"])


def _event_typed(v: Item) -> tuple:
    return (*_event_span(v), v["type"])


def _event_full(v: Item) -> tuple:
    return (
        *_event_typed(v),
        v["mode"],
        v["factuality"],
        tuple(sorted(v["sources"])),
        tuple(sorted(v["targets"])),
    )


def entity_kind(a: Item, b: Item) -> str:
    if _entity_span(a) != _entity_span(b):
        return "span"
    return "type" if a["type"] != b["type"] else "canonical-id"


def stance_kind(a: Item, b: Item) -> str:
    if a["label"] != b["label"]:
        return "label"
    if a["attribution"] != b["attribution"]:
        return "attribution"
    return "evidence"


def event_kind(a: Item, b: Item) -> str:
    if _event_span(a) != _event_span(b):
        return "trigger"
    for key in ("type", "mode", "factuality"):
        if a[key] != b[key]:
            return key
    return "arguments"


# Per layer: the agreement key, the keys of the pairing rounds, whether overlapping spans pair
# last, and the kind of a paired difference.
_PLAN: dict[str, tuple[Key, list[Key], bool, Callable[[Item, Item], str]]] = {
    "entities": (_entity_full, [_entity_span], True, entity_kind),
    "stances": (_stance_full, [_stance_key], False, stance_kind),
    "events": (_event_full, [_event_typed, _event_span], True, event_kind),
}


def _rest(items: Sequence[Item], used: set[int]) -> list[int]:
    return [i for i in range(len(items)) if i not in used]


def compare_layer(
    layer: str, a: Sequence[Item], b: Sequence[Item]
) -> tuple[list[Item], list[Difference]]:
    """Agreed items (A's copies, in A's order) and the differences of one layer."""
    full, rounds, overlap, kind = _PLAN[layer]
    used_a: set[int] = set()
    used_b: set[int] = set()
    agreed_idx = exact_pairs([full(x) for x in a], [full(y) for y in b])
    used_a.update(i for i, _ in agreed_idx)
    used_b.update(j for _, j in agreed_idx)
    diffs: list[Difference] = []

    def pair(pairs: list[tuple[int, int]], ra: list[int], rb: list[int]) -> None:
        for i, j in pairs:
            ia, jb = ra[i], rb[j]
            used_a.add(ia)
            used_b.add(jb)
            diffs.append(Difference(layer, kind(a[ia], b[jb]), a[ia], b[jb]))

    for key in rounds:
        ra, rb = _rest(a, used_a), _rest(b, used_b)
        pair(exact_pairs([key(a[i]) for i in ra], [key(b[j]) for j in rb]), ra, rb)
    if overlap:
        ra, rb = _rest(a, used_a), _rest(b, used_b)
        pair(
            overlap_pairs(
                [(*span_of(layer, a[i]), "") for i in ra], [(*span_of(layer, b[j]), "") for j in rb]
            ),
            ra,
            rb,
        )
    diffs += [Difference(layer, "missing-in-b", a[i], None) for i in _rest(a, used_a)]
    diffs += [Difference(layer, "missing-in-a", None, b[j]) for j in _rest(b, used_b)]
    diffs.sort(key=lambda d: (d.position(), LAYERS.index(d.layer), d.kind))
    return [a[i] for i in sorted(i for i, _ in agreed_idx)], diffs


def compare_documents(doc_id: str, a: Item, b: Item) -> Comparison:
    """Both annotations of one document, every layer."""
    out = Comparison(doc_id)
    for layer in LAYERS:
        agreed, diffs = compare_layer(layer, a.get(layer, []), b.get(layer, []))
        out.agreed[layer] = agreed
        out.differences += diffs
    return out


def describe(layer: str, item: Item | None) -> str:
    """One item as a reviewer reads it: the span text first, then what was said about it."""
    if item is None:
        return "—"
    if layer == "entities":
        return (
            f"«{item.get('text')}» [{item.get('start')}:{item.get('end')}] {item.get('type')} "
            f"{item.get('canonical_id') or '(no id)'}"
        )
    if layer == "stances":
        ev = item.get("evidence") or {}
        holder = item.get("holder") or "(author)"
        return (
            f"{holder} → {item.get('target')}: {item.get('label')}/{item.get('attribution')} "
            f"«{ev.get('text')}» [{ev.get('start')}:{ev.get('end')}]"
        )
    trig = item.get("trigger") or {}
    mode = f"({item.get('mode')})" if item.get("mode") else ""
    src = ", ".join(item.get("sources") or []) or "-"
    tgt = ", ".join(item.get("targets") or []) or "-"
    return (
        f"«{trig.get('text')}» [{trig.get('start')}:{trig.get('end')}] {item.get('type')}{mode} "
        f"{src} → {tgt} {item.get('factuality')}"
    )
