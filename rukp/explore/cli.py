"""`rukp explore`: write the static explorer of the release and of every system's errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rukp.errors import RukpError
from rukp.paths import release_dir, repo_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--release", default=None, help="release folder (default: release/)")
    parser.add_argument(
        "--leaderboard", default=None, help="leaderboard folder (default: leaderboard/)"
    )
    parser.add_argument("--out", default=None, help="output folder (default: explorer/)")
    parser.add_argument(
        "--predictions",
        action="append",
        default=None,
        metavar="DIR",
        help="folder holding the prediction files the entries name; repeatable, searched in "
        "order (default: baselines/results/predictions/, then leaderboard/predictions/)",
    )
    parser.add_argument(
        "--registry",
        default=None,
        help="canonical entity registry (default: annotations/entities.json, skipped when absent)",
    )
    parser.add_argument(
        "--sources",
        default=None,
        help="provenance table with the licence note per article (default: raw/sources.csv, "
        "skipped when absent)",
    )


def run(args: argparse.Namespace) -> int:
    from rukp.explore.site import explore

    root = repo_root()
    preds = args.predictions or [
        str(root / "baselines" / "results" / "predictions"),
        str(root / "leaderboard" / "predictions"),
    ]
    try:
        result = explore(
            Path(args.release) if args.release else release_dir(),
            Path(args.out) if args.out else root / "explorer",
            leaderboard=Path(args.leaderboard) if args.leaderboard else root / "leaderboard",
            prediction_dirs=[Path(p) for p in preds],
            registry=Path(args.registry) if args.registry else root / "annotations/entities.json",
            sources=Path(args.sources) if args.sources else root / "raw" / "sources.csv",
            require_registry=args.registry is not None,
            require_sources=args.sources is not None,
        )
    except RukpError as exc:
        print(exc.format(), file=sys.stderr)
        print(
            f"FAILED: {len(exc.incidents)} problem(s); the explorer was not written",
            file=sys.stderr,
        )
        return 1
    for w in result.warnings:
        print(w.format(), file=sys.stderr)
    pages = sorted(k for k in result.files if k.endswith(".html"))
    total = sum(result.files.values())
    biggest = max(pages, key=lambda k: result.files[k]) if pages else "-"
    print(
        f"wrote {result.out}: {len(pages)} pages ({result.documents} documents, "
        f"{result.entities} entities, {result.systems_listed} systems of which "
        f"{result.systems_shown} shown), {len(result.files)} files, {total / 1024:.0f} KiB "
        f"(largest page {biggest}: {result.files.get(biggest, 0) / 1024:.0f} KiB) "
        f"in {result.seconds:.1f} s"
    )
    return 0
