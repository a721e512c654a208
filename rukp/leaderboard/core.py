"""Leaderboard entries: score a submission with the scorer and store the signed result.

An entry is `leaderboard/submissions/<task>/<name>.json` =
`{"name", "description", "task", "added", "predictions_file", "result": <evaluate_submission>}`.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.evaluate import TASKS, evaluate_submission
from rukp.io import dumps_json, write_json
from rukp.paths import repo_root
from rukp.safeio import check_name as safe_check_name
from rukp.safeio import child, read_json, shown

MAX_DESCRIPTION = 2000


def leaderboard_dir() -> Path:
    return repo_root() / "leaderboard"


@dataclass(slots=True)
class Entry:
    name: str
    description: str
    task: str
    added: str
    predictions_file: str
    result: dict[str, Any]
    path: Path

    @property
    def score(self) -> float:
        return float(self.result["score"])


def check_name(name: str) -> str:
    """A submission name is a file name: the one rule of rukp.safeio (incident `unsafe-name`)."""
    return safe_check_name(name, "submission name", hint="use e.g. crf-baseline or bert.v2")


def check_description(text: str) -> str:
    text = text.strip()
    bad = [c for c in text if unicodedata.category(c).startswith("C") and c not in "\n\t"]
    if not text or len(text) > MAX_DESCRIPTION or bad:
        raise RukpError(
            Incident(
                id="bad-submission-description",
                message=f"the system description must be 1-{MAX_DESCRIPTION} characters without "
                f"control characters (got {len(text)} characters, {len(bad)} control)",
            )
        )
    return text


def entry_path(root: Path, task: str, name: str) -> Path:
    return child(Path(root) / "submissions" / task, name, "submission name", ".json")


def add_submission(
    name: str,
    description: str,
    task: str,
    predictions: Path | str,
    release_dir: Path | str,
    split: str = "test",
    *,
    root: Path | None = None,
    replace: bool = False,
    bootstrap: int = 1000,
    seed: int = 0,
    now: datetime | None = None,
) -> Entry:
    """Score `predictions` (raises RukpError if invalid) and store the entry; returns it."""
    check_name(name)
    description = check_description(description)
    if task not in TASKS:
        raise RukpError(
            Incident(
                id="unknown-task", message=f"unknown task {task!r}; allowed: {', '.join(TASKS)}"
            )
        )
    root = Path(root) if root else leaderboard_dir()
    path = entry_path(root, task, name)
    if path.exists() and not replace:
        raise RukpError(
            Incident(
                id="duplicate-submission",
                message=f"a {task} submission named {name!r} exists already",
                file=str(path),
                hint="choose another name or pass --replace",
            )
        )
    result = evaluate_submission(
        task, predictions, release_dir, split, bootstrap=bootstrap, seed=seed
    )
    added = (now or datetime.now(UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if path.exists():
        # Re-adding the same submission with the same score keeps its original date, so
        # re-running the main job on unchanged inputs leaves the leaderboard byte-identical.
        try:
            old = read_json(path, "leaderboard-entry")
        except RukpError:
            old = None  # replaced below anyway
        if isinstance(old, dict):
            same = (
                old.get("description") == description
                and old.get("predictions_file") == Path(predictions).name
                and dumps_json(old.get("result")) == dumps_json(result)
            )
            if same and isinstance(old.get("added"), str):
                added = old["added"]
    record = {
        "name": name,
        "description": description,
        "task": task,
        "added": added,
        "predictions_file": Path(predictions).name,
        "result": result,
    }
    write_json(path, record)
    return Entry(path=path, **record)  # type: ignore[arg-type]


REQUIRED_RESULT = ("signature", "score", "main_metric", "metrics", "ci", "per_language")


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _ci_ok(x: Any) -> bool:
    return x is None or (isinstance(x, list) and len(x) == 2 and all(_number(v) for v in x))


def entry_problems(data: Any, task: str, stem: str) -> list[str]:
    """What makes a stored entry unusable for rendering (empty when it is fine)."""
    if not isinstance(data, dict):
        return ["the entry is not a JSON object"]
    out = []
    if data.get("task") != task:
        out.append(f"task {data.get('task')!r} is not the folder's task {task!r}")
    if data.get("name") != stem:
        out.append(f"name {data.get('name')!r} is not the file name {stem!r}")
    for key in ("description", "added", "predictions_file"):
        if not isinstance(data.get(key, ""), str):
            out.append(f"{key} is not a string")
    result = data.get("result")
    if not isinstance(result, dict):
        return [*out, "result is not an object"]
    missing = [k for k in REQUIRED_RESULT if k not in result]
    if missing:
        return [*out, f"result lacks {', '.join(missing)}"]
    if not _number(result["score"]):
        out.append(f"result.score {result['score']!r} is not a finite number")
    if not isinstance(result["signature"], str):
        out.append("result.signature is not a string")
    metrics, main = result["metrics"], result["main_metric"]
    if not isinstance(main, str):
        return [*out, "result.main_metric is not a string"]
    if not isinstance(metrics, dict) or not all(_number(v) for v in metrics.values()):
        out.append("result.metrics is not an object of finite numbers")
    elif main not in metrics:
        out.append(f"result.main_metric {main!r} is not among result.metrics")
    if not isinstance(result["ci"], dict) or not all(_ci_ok(v) for v in result["ci"].values()):
        out.append("result.ci is not an object of [low, high] pairs or nulls")
    langs = result["per_language"]
    if not isinstance(langs, dict) or not all(
        isinstance(v, dict)
        and isinstance(v.get("metrics"), dict)
        and _number(v["metrics"].get(main))
        for v in langs.values()
    ):
        out.append("result.per_language is not an object of {metrics: {main metric: number}}")
    for key in ("n_docs", "n_rows"):
        if key in result and (not isinstance(result[key], int) or isinstance(result[key], bool)):
            out.append(f"result.{key} is not an integer")
    if not isinstance(result.get("ci_undefined") or "", str):
        out.append("result.ci_undefined is not a string or null")
    return out


def load_entries(root: Path | None = None) -> dict[str, list[Entry]]:
    """All stored entries per task, best score first (ties by name)."""
    root = Path(root) if root else leaderboard_dir()
    out: dict[str, list[Entry]] = {t: [] for t in TASKS}
    problems: list[Incident] = []
    for task in TASKS:
        for path in sorted((root / "submissions" / task).glob("*.json")):
            try:
                data = read_json(path, "leaderboard-entry")
            except RukpError as exc:
                problems.extend(exc.incidents)
                continue
            found = entry_problems(data, task, path.stem)
            if found:
                problems.append(
                    Incident(
                        id="leaderboard-entry-invalid",
                        message="cannot use the entry: " + "; ".join(found),
                        file=shown(path),
                        hint="re-add it with `rukp leaderboard add --replace`",
                    )
                )
                continue
            out[task].append(
                Entry(
                    name=data["name"],
                    description=str(data.get("description", "")),
                    task=task,
                    added=str(data.get("added", "")),
                    predictions_file=str(data.get("predictions_file", "")),
                    result=data["result"],
                    path=path,
                )
            )
    if problems:
        raise RukpError(*problems)
    for entries in out.values():
        entries.sort(key=lambda e: (-e.score, e.name))
    return out


def ranks(entries: list[Entry]) -> list[int]:
    """Competition ranks of entries sorted best first: equal scores share a rank (1, 1, 3)."""
    out: list[int] = []
    for k, e in enumerate(entries):
        tied = k > 0 and e.score == entries[k - 1].score
        out.append(out[-1] if tied else k + 1)
    return out
