"""`rukp baselines`: a thin wrapper over rukp.baselines (pre-annotation: `rukp preannotate`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rukp.baselines.data import TASKS


def _tasks(value: str) -> list[str]:
    wanted = [t.strip() for t in value.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in TASKS]
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(
            f"unknown task(s) {', '.join(unknown) or '(none)'}; allowed: {', '.join(TASKS)}"
        )
    return [t for t in TASKS if t in wanted]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--release", type=Path, default=None, help="release folder (default: release/)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="results folder (default: baselines/results/)"
    )
    parser.add_argument(
        "--tasks", type=_tasks, default=list(TASKS), help="comma-separated: ner,stance,events"
    )
    parser.add_argument(
        "--config", type=Path, default=None, help="seeds and grids (default baselines/config.json)"
    )


def run(args: argparse.Namespace) -> int:
    from rukp.baselines.run import load_config, run_baselines
    from rukp.paths import release_dir, repo_root

    release = args.release or release_dir()
    config = load_config(args.config)
    out = args.out or repo_root() / "baselines" / "results"
    summary = run_baselines(release, out, args.tasks, config)
    for r in summary["rows"]:
        if r["split"] == "test":
            value = "-" if r["value"] is None else f"{r['value']:.3f}"
            print(f"{r['task']:7} {r['system']:9} {r['metric']:28} test {value}  {r['signature']}")
    print(f"results: {out / 'summary.json'}, {out / 'summary.md'}")
    return 0
