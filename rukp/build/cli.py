"""`rukp build`: write the Hugging Face release folder; `--check` is the CI check."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rukp.build.release import BuildInputs, build, check, default_inputs
from rukp.errors import RukpError
from rukp.paths import repo_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--documents", type=Path, help="cleaned documents (JSON Lines)")
    parser.add_argument("--gold", type=Path, help="gold annotation folder (annotations/gold)")
    parser.add_argument("--out", type=Path, help="release folder (default: release/)")
    parser.add_argument("--splits", type=Path, help="folder with manifest.csv and stories.csv")
    parser.add_argument("--card", type=Path, help="card source (default: dataset_card.md)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail (exit 1) on split leakage or when --out differs from a fresh build",
    )
    parser.add_argument(
        "--json", action="store_true", help="incidents as JSON on stderr, rows as JSON on stdout"
    )


def inputs_from_args(args: argparse.Namespace) -> BuildInputs:
    root = repo_root()
    inp = default_inputs(root)
    if getattr(args, "documents", None):
        inp.documents = args.documents
    if getattr(args, "gold", None):
        inp.gold = args.gold
        inp.annotations = args.gold.parent
    if getattr(args, "splits", None):
        inp.splits_dir = args.splits
    if getattr(args, "card", None):
        inp.card_source = args.card
    return inp


def run(args: argparse.Namespace) -> int:
    inp = inputs_from_args(args)
    out = args.out or repo_root() / "release"
    try:
        if args.check:
            incidents = check(inp, out)
            if incidents:
                err = RukpError(*incidents)
                print(err.to_json() if args.json else err.format(), file=sys.stderr)
                print(f"FAILED: {len(incidents)} incident(s)", file=sys.stderr)
                return 1
            print(f"PASSED: no leakage; {out} equals a fresh build")
            return 0
        result = build(inp, out)
    except RukpError as exc:
        print(exc.to_json() if args.json else exc.format(), file=sys.stderr)
        return 1
    for w in result.warnings:
        print(w.format(), file=sys.stderr)
    if args.json:
        print(json.dumps({"out": str(result.out), "rows": result.rows}, indent=2))
    else:
        splits = "/".join(next(iter(result.rows.values()), {}))
        rows = ", ".join(
            f"{cfg} {'/'.join(str(n) for n in per.values())}" for cfg, per in result.rows.items()
        )
        print(f"wrote {result.out}: rows ({splits}) {rows}")
    return 0
