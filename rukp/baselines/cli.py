"""`rukp baselines`: a thin wrapper over rukp.baselines (pre-annotation: `rukp preannotate`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rukp.baselines.data import TASKS


def _tasks(value: str) -> list[str]:
    wanted = [t.strip() for t in value.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in TASKS]
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(
            f"unknown task(s) {', '.join(unknown) or '(none)'}; allowed: {', '.join(TASKS)}"
        )
    return [t for t in TASKS if t in wanted]


def test_lines(summary: dict[str, Any]) -> str:
    """One line per task and system on the test split: every metric, then its one signature."""
    by_run: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in summary["rows"]:
        if r["split"] == "test":
            by_run.setdefault((r["task"], r["system"]), []).append(r)
    lines = []
    for (task, system), rows in by_run.items():
        figures = ", ".join(
            f"{r['metric']} {'-' if r['value'] is None else format(r['value'], '.3f')}"
            for r in rows
        )
        lines.append(f"{task} {system} (test): {figures}")
        lines.append(f"  {rows[0]['signature']}")
    return "\n".join(lines)


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
    print(test_lines(summary))
    print(f"results: {out / 'summary.json'}, {out / 'summary.md'}")
    return 0
