"""Leaderboard entries: score a submission with the scorer and store the signed result.

An entry is `leaderboard/submissions/<task>/<name>.json` =
`{"name", "description", "task", "added", "predictions_file", "result": <evaluate_submission>}`.
"""

from __future__ import annotations

import contextlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.evaluate import TASKS, evaluate_submission
from rukp.io import write_json
from rukp.paths import repo_root

MAX_NAME = 64
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


def check_name(name: str) -> None:
    """Refuse names that are unsafe as file names or unreadable on a page."""
    problem = None
    if not name or not name.strip():
        problem = "is empty"
    elif len(name) > MAX_NAME:
        problem = f"has {len(name)} characters (at most {MAX_NAME})"
    elif "/" in name or "\\" in name:
        problem = "contains a path separator"
    elif ".." in name or name.startswith("."):
        problem = "contains '..' or starts with '.'"
    elif any(unicodedata.category(c).startswith("C") for c in name):
        bad = next(c for c in name if unicodedata.category(c).startswith("C"))
        problem = f"contains the control/format character U+{ord(bad):04X}"
    elif name != name.strip():
        problem = "starts or ends with white space"
    if problem:
        raise RukpError(
            Incident(
                id="bad-submission-name",
                message=f"submission name {name!r} {problem}",
                hint=f"use 1-{MAX_NAME} printable characters without '/', '\\\\' or '..', "
                "e.g. crf-baseline",
            )
        )


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
    return Path(root) / "submissions" / task / f"{name}.json"


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
        with contextlib.suppress(ValueError, OSError):
            old = json.loads(path.read_text(encoding="utf-8"))
            same = (old.get("description"), old.get("predictions_file"), old.get("result")) == (
                description,
                Path(predictions).name,
                json.loads(json.dumps(result)),
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


def load_entries(root: Path | None = None) -> dict[str, list[Entry]]:
    """All stored entries per task, best score first (ties by name)."""
    root = Path(root) if root else leaderboard_dir()
    out: dict[str, list[Entry]] = {t: [] for t in TASKS}
    problems: list[Incident] = []
    for task in TASKS:
        for path in sorted((root / "submissions" / task).glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                result = data["result"]
                missing = [k for k in REQUIRED_RESULT if k not in result]
                if missing or data.get("task") != task or data.get("name") != path.stem:
                    raise ValueError(
                        f"missing result keys {missing}" if missing else "name/task mismatch"
                    )
                out[task].append(
                    Entry(
                        name=data["name"],
                        description=str(data.get("description", "")),
                        task=task,
                        added=str(data.get("added", "")),
                        predictions_file=str(data.get("predictions_file", "")),
                        result=result,
                        path=path,
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(
                    Incident(
                        id="leaderboard-entry-invalid",
                        message=f"cannot read entry: {exc}",
                        file=str(path),
                        hint="re-add it with `rukp leaderboard add --replace`",
                    )
                )
    if problems:
        raise RukpError(*problems)
    for entries in out.values():
        entries.sort(key=lambda e: (-e.score, e.name))
    return out
