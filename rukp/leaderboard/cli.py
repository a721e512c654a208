"""`rukp leaderboard add|render|show`: store a scored submission; render the Markdown and HTML;
print the headline scores."""

from __future__ import annotations

import argparse
from pathlib import Path

from rukp.errors import RukpError
from rukp.evaluate import TASKS
from rukp.evaluate.cli import print_incidents
from rukp.evaluate.scorer import MAX_RESAMPLES, MIN_RESAMPLES
from rukp.leaderboard.core import Entry, add_submission, load_entries, ranks
from rukp.leaderboard.render import render
from rukp.paths import release_dir
from rukp.safeio import NAME_RULE


def headline(entry: Entry) -> str:
    """`ner crf: f1 = 66.04, 95% CI [60.1, 70.2]` (or why the CI is undefined)."""
    r = entry.result
    ci = r["ci"].get(r["main_metric"])
    ci_text = (
        f"95% CI [{100 * ci[0]:.2f}, {100 * ci[1]:.2f}]"
        if ci
        else f"95% CI {r.get('ci_undefined') or 'not recorded'}"
    )
    return f"{entry.task} {entry.name}: {r['main_metric']} = {100 * entry.score:.2f}, {ci_text}"


def show_table(root: Path | None) -> str:
    """The headline scores of every stored entry, one line each, ranked per task."""
    entries = load_entries(root)
    rows = [("task", "rank", "system", "metric", "score", "95% CI", "test docs")]
    for task, items in entries.items():
        for rank, e in zip(ranks(items), items, strict=True):
            r = e.result
            ci = r["ci"].get(r["main_metric"])
            rows.append(
                (
                    task,
                    str(rank),
                    e.name,
                    r["main_metric"],
                    f"{100 * e.score:.2f}",
                    f"{100 * ci[0]:.2f}-{100 * ci[1]:.2f}" if ci else "undefined",
                    str(r.get("n_docs", "?")),
                )
            )
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            c.rjust(w) if k in (1, 4, 6) else c.ljust(w)
            for k, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dir", default=None, help="leaderboard folder (default: leaderboard/ in the checkout)"
    )
    sub = parser.add_subparsers(dest="lb_command", metavar="ACTION")
    add = sub.add_parser("add", help="score a submission and store its signed result")
    add.add_argument("--name", required=True, help=f"system name ({NAME_RULE})")
    add.add_argument("--description", required=True, help="one-paragraph system description")
    add.add_argument("--task", required=True, choices=TASKS)
    add.add_argument("--predictions", required=True, help="JSON Lines submission file")
    add.add_argument("--release", default=None, help="release folder (default: release/)")
    add.add_argument("--split", default="test", choices=("train", "validation", "test"))
    add.add_argument("--replace", action="store_true", help="overwrite an entry of that name")
    add.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        help=f"bootstrap resamples: 0 (no CIs) or {MIN_RESAMPLES}-{MAX_RESAMPLES:,} (default 1000)",
    )
    add.add_argument("--seed", type=int, default=0, help="bootstrap seed (0 to 2**63-1)")
    ren = sub.add_parser("render", help="write leaderboard.md and index.html from the entries")
    ren.add_argument(
        "--release",
        default=None,
        help="the current release (default: release/): entries scored on other data are "
        "listed apart from its ranking",
    )
    sub.add_parser("show", help="print the headline score of every stored entry")


def run(args: argparse.Namespace) -> int:
    root = Path(args.dir) if args.dir else None
    try:
        if args.lb_command == "add":
            entry = add_submission(
                args.name,
                args.description,
                args.task,
                args.predictions,
                args.release or release_dir(),
                args.split,
                root=root,
                replace=args.replace,
                bootstrap=args.bootstrap,
                seed=args.seed,
            )
            print(headline(entry))
            print(f"  {entry.result['signature']}")
            print(f"  stored {entry.path}")
            return 0
        if args.lb_command == "render":
            md, page = render(root, Path(args.release) if args.release else release_dir())
            print(f"wrote {md} and {page}")
            return 0
        if args.lb_command == "show":
            print(show_table(root))
            return 0
    except RukpError as exc:
        print_incidents(exc, False)
        return 1
    print("rukp leaderboard: choose an action: add, render or show", flush=True)
    return 2
