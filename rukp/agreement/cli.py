"""`rukp agreement SET_A SET_B [--documents F] [--out annotations/AGREEMENT.md] [--json]`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rukp.agreement.metrics import OVERALL, compute_agreement
from rukp.io import atomic_open
from rukp.paths import annotations_dir, cleaned_documents_path
from rukp.safeio import sha256_file
from rukp.validate import load_annotation_set, load_documents
from rukp.validate.loaders import annotation_files, display_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("set_a", type=Path, metavar="SET_A", help="reference annotation set folder")
    parser.add_argument("set_b", type=Path, metavar="SET_B", help="second annotation set folder")
    parser.add_argument(
        "--documents",
        type=Path,
        default=None,
        help="cleaned documents (default: build/ingest/documents.jsonl)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="Markdown report (default: annotations/AGREEMENT.md)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


def _num(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _fig(f: dict[str, Any]) -> str:
    """'0.533 (n=12)' or 'n/a (n=1; reason)'."""
    if f["value"] is None:
        return f"n/a (n={f['n']}; {f['note']})"
    return f"{f['value']:.3f} (n={f['n']})"


def _prf_cells(p: dict[str, Any]) -> list[str]:
    return [
        str(p["n_a"]),
        str(p["n_b"]),
        str(p["tp"]),
        _num(p["precision"]),
        _num(p["recall"]),
        _num(p["f1"]),
    ]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def render_markdown(result: dict[str, Any], command: str, inputs: list[tuple[str, str]]) -> str:
    """The AGREEMENT.md report: every figure with its n, the command and the input hashes."""
    scopes = result["scopes"]
    docs = result["documents"]
    listed = ", ".join(f"{d} [{docs['languages'][d]}]" for d in docs["common"])
    lines = [
        "# Inter-annotator agreement",
        "",
        "Written by `rukp agreement`; do not edit by hand. Recompute with:",
        "",
        f"    {command}",
        "",
        "Set A is the reference for precision (over B) and recall (over A); F1 is symmetric. "
        "Krippendorff's α is nominal (krippendorff package) and shown as n/a with the reason when "
        "undefined (fewer than 2 paired items, or a single category).",
        "",
        f"Documents in both sets: {len(docs['common'])} "
        f"({listed or 'none'}); "
        f"only in A: {len(docs['only_a'])}; only in B: {len(docs['only_b'])}.",
        "",
    ]
    if result["warnings"]:
        lines += ["Warnings:", "", *[f"- {w}" for w in result["warnings"]], ""]
    names = list(scopes)
    prf_head = ["scope", "docs", "n A", "n B", "matched", "P", "R", "F1"]

    lines += ["## Entities", "", "Strict (same span and type):", ""]
    lines += _table(
        prf_head,
        [
            [s, str(scopes[s]["n_documents"]), *_prf_cells(scopes[s]["entities"]["strict"])]
            for s in names
        ],
    )
    lines += ["", "Lenient (any character overlap, same type; one-to-one greedy):", ""]
    lines += _table(
        prf_head,
        [
            [s, str(scopes[s]["n_documents"]), *_prf_cells(scopes[s]["entities"]["lenient"])]
            for s in names
        ],
    )
    lines += [
        "",
        "Canonical id agreement (share of strict matches with the same canonical_id; "
        "null = null counts as agreement):",
        "",
    ]
    lines += _table(
        ["scope", "canonical id agreement"],
        [[s, _fig(scopes[s]["entities"]["canonical_agreement"])] for s in names],
    )
    lines += ["", "Strict F1 per type:", ""]
    types = sorted({t for s in names for t in scopes[s]["entities"]["per_type"]})
    rows = []
    for s in names:
        per = scopes[s]["entities"]["per_type"]
        rows.append(
            [s]
            + [
                f"{_num(per[t]['f1'])} ({per[t]['n_a']}/{per[t]['n_b']})" if t in per else "-"
                for t in types
            ]
        )
    lines += _table(["scope (F1 (n A/n B))", *types], rows)

    lines += ["", "## Stance", "", "Records paired by (document, holder, target).", ""]
    lines += _table(
        [
            "scope",
            "paired",
            "only A",
            "only B",
            "label α",
            "label accuracy",
            "attribution α",
            "attribution accuracy",
        ],
        [
            [
                s,
                str(st["pairs_both"]),
                str(st["only_a"]),
                str(st["only_b"]),
                _fig(st["label_alpha"]),
                _fig(st["label_accuracy"]),
                _fig(st["attribution_alpha"]),
                _fig(st["attribution_accuracy"]),
            ]
            for s in names
            for st in [scopes[s]["stance"]]
        ],
    )

    lines += ["", "## Events", "", "Triggers, exact span:", ""]
    lines += _table(
        prf_head,
        [
            [s, str(scopes[s]["n_documents"]), *_prf_cells(scopes[s]["events"]["trigger_strict"])]
            for s in names
        ],
    )
    lines += ["", "Triggers, lenient (any overlap; one-to-one greedy):", ""]
    lines += _table(
        prf_head,
        [
            [s, str(scopes[s]["n_documents"]), *_prf_cells(scopes[s]["events"]["trigger_lenient"])]
            for s in names
        ],
    )
    lines += ["", "On exactly matched triggers:", ""]
    lines += _table(
        [
            "scope",
            "type α",
            "type accuracy",
            "factuality α",
            "factuality accuracy",
            "same sources",
            "same targets",
            "same sources and targets",
        ],
        [
            [
                s,
                _fig(ev["type_alpha"]),
                _fig(ev["type_accuracy"]),
                _fig(ev["factuality_alpha"]),
                _fig(ev["factuality_accuracy"]),
                _fig(ev["sources_exact"]),
                _fig(ev["targets_exact"]),
                _fig(ev["arguments_exact"]),
            ]
            for s in names
            for ev in [scopes[s]["events"]]
        ],
    )
    lines += ["", "## Inputs", ""]
    lines += _table(["file", "sha256"], [[f"`{p}`", f"`{h}`"] for p, h in inputs])
    return "\n".join(lines) + "\n"


def summary_text(result: dict[str, Any]) -> str:
    o = result["scopes"][OVERALL]
    ent, st, ev = o["entities"], o["stance"], o["events"]
    return "\n".join(
        [
            f"documents in both sets: {o['n_documents']}",
            f"entities: strict F1 {_num(ent['strict']['f1'])} (A {ent['strict']['n_a']}, "
            f"B {ent['strict']['n_b']}), lenient F1 {_num(ent['lenient']['f1'])}, "
            f"canonical id {_fig(ent['canonical_agreement'])}",
            f"stance: label α {_fig(st['label_alpha'])}, accuracy {_fig(st['label_accuracy'])}, "
            f"only A {st['only_a']}, only B {st['only_b']}",
            f"events: trigger F1 {_num(ev['trigger_strict']['f1'])}, lenient "
            f"{_num(ev['trigger_lenient']['f1'])}, type α {_fig(ev['type_alpha'])}, "
            f"factuality α {_fig(ev['factuality_alpha'])}",
        ]
    )


def run(args: argparse.Namespace) -> int:
    documents_path = args.documents or cleaned_documents_path()
    out = args.out or annotations_dir() / "AGREEMENT.md"
    set_a = load_annotation_set(args.set_a)
    set_b = load_annotation_set(args.set_b)
    documents = load_documents(documents_path)
    result = compute_agreement(set_a, set_b, documents)
    command = (
        f"rukp agreement {display_path(args.set_a)} {display_path(args.set_b)} "
        f"--documents {display_path(documents_path)} --out {display_path(out)}"
    )
    files = [
        *((p, "annotation") for p in annotation_files(args.set_a)),
        *((p, "annotation") for p in annotation_files(args.set_b)),
        (Path(documents_path), "documents"),
    ]
    inputs = [(display_path(p), sha256_file(p, kind)) for p, kind in files]
    with atomic_open(out) as f:
        f.write(render_markdown(result, command, inputs))
    if args.json:
        print(
            json.dumps(
                {**result, "command": command, "inputs": dict(inputs)}, indent=2, ensure_ascii=False
            )
        )
    else:
        print(summary_text(result))
        print(f"report written to {display_path(out)}")
    return 0
