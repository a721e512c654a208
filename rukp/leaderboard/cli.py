"""`rukp leaderboard add|render`: store a scored submission; render the Markdown and HTML."""

from __future__ import annotations

import argparse
from pathlib import Path

from rukp.errors import RukpError
from rukp.evaluate import TASKS
from rukp.evaluate.cli import print_incidents
from rukp.leaderboard.core import add_submission
from rukp.leaderboard.render import render
from rukp.paths import release_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dir", default=None, help="leaderboard folder (default: leaderboard/ in the checkout)"
    )
    sub = parser.add_subparsers(dest="lb_command", metavar="ACTION")
    add = sub.add_parser("add", help="score a submission and store its signed result")
    add.add_argument("--name", required=True, help="system name (1-64 chars, no '/' or '..')")
    add.add_argument("--description", required=True, help="one-paragraph system description")
    add.add_argument("--task", required=True, choices=TASKS)
    add.add_argument("--predictions", required=True, help="JSON Lines submission file")
    add.add_argument("--release", default=None, help="release folder (default: release/)")
    add.add_argument("--split", default="test", choices=("train", "validation", "test"))
    add.add_argument("--replace", action="store_true", help="overwrite an entry of that name")
    ren = sub.add_parser("render", help="write leaderboard.md and index.html from the entries")
    ren.add_argument(
        "--release",
        default=None,
        help="the current release (default: release/): entries scored on other data are "
        "listed apart from its ranking",
    )


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
            )
            main = entry.result["main_metric"]
            print(f"{entry.task} {entry.name}: {main} = {100 * entry.score:.2f}")
            print(entry.result["signature"])
            print(f"stored {entry.path}")
            return 0
        if args.lb_command == "render":
            md, page = render(root, Path(args.release) if args.release else release_dir())
            print(f"wrote {md}")
            print(f"wrote {page}")
            return 0
    except RukpError as exc:
        print_incidents(exc, False)
        return 1
    print("rukp leaderboard: choose an action: add or render", flush=True)
    return 2
