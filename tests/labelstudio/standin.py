"""A small local stand-in for `rukp adjudicate A B --out DIR` (built on another branch): it
writes the agreed items of two sets and a disagreements.json in the fixed interface
({"a", "b", "items": [{"id", "doc_id", "layer", "kind", "a", "b"}]}), so the review tests do
not depend on that code. Records are paired by span (entities), by trigger span and type
(events) or by holder and target (stances), an identical partner first; a pair that differs is
one disagreement, a record without a partner is missing in the other set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rukp.io import write_json

LAYERS = ("entities", "events", "stances")


def _key(layer: str, rec: dict[str, Any]) -> tuple[Any, ...]:
    if layer == "entities":
        return (rec["start"], rec["end"])
    if layer == "events":  # one trigger can carry events of several types
        return (rec["trigger"]["start"], rec["trigger"]["end"], rec["type"])
    return (rec["holder"], rec["target"])


def _body(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k != "id"}


def _kind(layer: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    fields = [k for k in a if k != "id" and a[k] != b.get(k)]
    if layer == "entities":
        return "type" if "type" in fields else "canonical-id"
    if layer == "events":
        return {"factuality": "factuality", "mode": "mode"}.get(fields[0], "participants")
    return "label" if "label" in fields else "span"


def disagreements(
    set_a: dict[str, dict[str, Any]], set_b: dict[str, dict[str, Any]], a: str, b: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(disagreements.json content, agreed records per doc_id)."""
    items: list[dict[str, Any]] = []
    agreed: dict[str, dict[str, Any]] = {}
    for doc_id in sorted(set(set_a) & set(set_b)):
        ra, rb = set_a[doc_id], set_b[doc_id]
        rec = {k: ra[k] for k in ("doc_id", "text_sha256", "guidelines_version")}
        rec["annotator"] = "agreed"
        for layer in LAYERS:
            rec[layer] = []
            left = list(rb[layer])
            for x in ra[layer]:
                same_key = [y for y in left if _key(layer, y) == _key(layer, x)]
                # an identical partner first (one trigger may carry two events of one type)
                same = [y for y in same_key if _body(y) == _body(x)]
                y = (same or same_key or [None])[0]
                if y is not None:
                    left.remove(y)
                    if _body(x) == _body(y):
                        rec[layer].append(x)
                        continue
                    kind = _kind(layer, x, y)
                else:
                    kind = "missing-in-b"
                items.append({"doc_id": doc_id, "layer": layer, "kind": kind, "a": x, "b": y})
            for y in left:
                items.append(
                    {"doc_id": doc_id, "layer": layer, "kind": "missing-in-a", "a": None, "b": y}
                )
        agreed[doc_id] = rec
    for n, it in enumerate(items, 1):
        it["id"] = f"d{n:04d}"
    ordered = [{k: it[k] for k in ("id", "doc_id", "layer", "kind", "a", "b")} for it in items]
    return {"a": a, "b": b, "items": ordered}, agreed


def write_standin(
    set_a: dict[str, dict[str, Any]],
    set_b: dict[str, dict[str, Any]],
    a: str,
    b: str,
    out: Path,
) -> Path:
    """Write <out>/agreed/<doc_id>.json (the agreed items) and <out>/disagreements.json, the
    layout `rukp adjudicate` writes into its work folder (the agreed set is a folder of its own:
    `ls review push --agreed` reads every JSON file in it as a set member)."""
    dis, agreed = disagreements(set_a, set_b, a, b)
    for doc_id, rec in agreed.items():
        write_json(out / "agreed" / f"{doc_id}.json", rec)
    write_json(out / "disagreements.json", dis)
    return out / "disagreements.json"
