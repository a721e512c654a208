"""`rukp evaluate`: score a submission file against the release (thin wrapper over the library)."""

from __future__ import annotations

import argparse
import json
import sys

from rukp.errors import RukpError
from rukp.evaluate.scorer import (
    MAX_RESAMPLES,
    MIN_RESAMPLES,
    TASKS,
    evaluate_submission,
    format_report,
)
from rukp.evaluate.submission import DEFAULT_MAX_BYTES
from rukp.paths import release_dir

MAX_PRINTED = 100


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", required=True, choices=TASKS)
    parser.add_argument("--predictions", required=True, help="JSON Lines submission file")
    parser.add_argument("--split", default="test", choices=("train", "validation", "test"))
    parser.add_argument("--release", default=None, help="release folder (default: release/)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        help=f"bootstrap resamples: 0 (no CIs) or {MIN_RESAMPLES}-{MAX_RESAMPLES:,} (default 1000)",
    )
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (0 to 2**63-1)")
    parser.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest accepted submission"
    )


def print_incidents(exc: RukpError, as_json: bool) -> None:
    """Print a RukpError: JSON (all incidents) or text (first MAX_PRINTED + a count)."""
    if as_json:
        print(
            json.dumps(
                {"status": "FAILED", "incidents": [i.to_dict() for i in exc.incidents]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for inc in exc.incidents[:MAX_PRINTED]:
        print(inc.format(), file=sys.stderr)
    if len(exc.incidents) > MAX_PRINTED:
        print(f"... and {len(exc.incidents) - MAX_PRINTED} more", file=sys.stderr)
    print(f"FAILED: {len(exc.incidents)} problem(s); nothing was scored", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    try:
        result = evaluate_submission(
            args.task,
            args.predictions,
            args.release or release_dir(),
            args.split,
            bootstrap=args.bootstrap,
            seed=args.seed,
            max_bytes=args.max_bytes,
        )
    except RukpError as exc:
        print_incidents(exc, args.json)
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(format_report(result))
    return 0
