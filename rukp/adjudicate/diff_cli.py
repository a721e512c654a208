"""`rukp diff SET_A SET_B`: what differs between two annotation sets, per document and layer,
with the text of every span. Exit 0 when they hold the same annotations, 1 when not.

Compared: the documents each set holds, each document's `text_sha256` and `guidelines_version`,
and every entity, stance and event (paired as `rukp adjudicate` pairs them). Not compared: item
ids, `annotator`, `notes` and the sets' registries.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rukp.adjudicate.compare import LAYERS, Difference, compare_documents, describe
from rukp.validate import load_annotation_set
from rukp.validate.loaders import display_path

HEADER_FIELDS = ("text_sha256", "guidelines_version")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("set_a", type=Path, metavar="SET_A")
    parser.add_argument("set_b", type=Path, metavar="SET_B")


def diff_sets(a: dict[str, dict], b: dict[str, dict]) -> tuple[list[str], int, int]:
    """The report lines, the number of differences and of documents that differ."""
    lines: list[str] = []
    total = 0
    docs = 0
    for doc_id in sorted(set(a) | set(b)):
        if doc_id not in b or doc_id not in a:
            side = "A" if doc_id in a else "B"
            ann = a.get(doc_id) or b[doc_id]
            counts = ", ".join(f"{len(ann.get(layer, []))} {layer}" for layer in LAYERS)
            lines.append(f"== {doc_id}: only in {side} ({counts})")
            total += 1
            docs += 1
            continue
        head = [
            f"    {key}: A {a[doc_id].get(key)!r}, B {b[doc_id].get(key)!r}"
            for key in HEADER_FIELDS
            if a[doc_id].get(key) != b[doc_id].get(key)
        ]
        diffs = compare_documents(doc_id, a[doc_id], b[doc_id]).differences
        if not head and not diffs:
            continue
        docs += 1
        total += len(head) + len(diffs)
        lines.append(f"== {doc_id}: {len(head) + len(diffs)} difference(s)")
        if head:
            lines.append("  document")
            lines += head
        for layer in LAYERS:
            mine = [d for d in diffs if d.layer == layer]
            if mine:
                lines.append(f"  {layer}")
                lines += [line for d in mine for line in _lines(d)]
    return lines, total, docs


def _lines(d: Difference) -> list[str]:
    out = []
    for side, item in (("A", d.a), ("B", d.b)):
        label = d.kind if side == "A" else ""
        if item is not None:
            out.append(f"    {label:<14} {side} {describe(d.layer, item)}")
        elif side == "A":
            out.append(f"    {label:<14} A —")
        else:
            out.append(f"    {label:<14} B —")
    return out


def run(args: argparse.Namespace) -> int:
    a: dict[str, Any] = load_annotation_set(args.set_a)
    b: dict[str, Any] = load_annotation_set(args.set_b)
    lines, total, docs = diff_sets(a, b)
    print(f"A = {display_path(args.set_a)}, B = {display_path(args.set_b)}")
    for line in lines:
        print(line)
    same = len(set(a) | set(b)) - docs
    if total:
        print(f"{total} difference(s) in {docs} document(s); {same} document(s) identical")
        return 1
    print(f"identical: {same} document(s), same annotations")
    return 0
