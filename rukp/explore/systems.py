"""Leaderboard entries as systems on the explorer: their prediction files, scored again with the
scorer (no bootstrap) and categorised by `rukp.explore.errors`.

An entry is shown on the document pages only when its predictions file is found, has the sha256
the entry was scored with, and the entry was scored on the current release's data; otherwise it
is listed with the reason (a warning incident), never guessed.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.evaluate import TASKS, evaluate_submission
from rukp.evaluate.submission import FIELD, read_lines
from rukp.explore import errors as E
from rukp.explore.data import Release
from rukp.labels import LabelSets
from rukp.leaderboard.core import Entry, load_entries
from rukp.safeio import sha256_file

SHOWN = "shown"
TASK_CONFIG = {"ner": "ner", "stance": "stance", "events": "events"}


def slug(name: str) -> str:
    """A file-name-safe, case-safe form of a name; names that are not already safe get a hash."""
    if re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,63}", name) and ".." not in name:
        return name
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower()[:40] or "x"
    return f"{base}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


@dataclass(slots=True)
class System:
    task: str
    name: str
    description: str
    entry: Entry
    split: str
    data: str  # the `data:` field of the entry's signature
    status: str = SHOWN  # or the id of the warning that keeps it off the documents
    note: str = ""
    predictions: Path | None = None
    result: dict[str, Any] | None = None  # evaluate_submission on the current release
    preds: dict[str, Any] = field(default_factory=dict)
    analysis: E.Analysis | None = None

    @property
    def key(self) -> str:
        """`<task>:<slug>`, the value of `?system=` on document pages."""
        return f"{self.task}:{slug(self.name)}"

    @property
    def page(self) -> str:
        return f"{self.task}-{slug(self.name)}.html"

    @property
    def shown(self) -> bool:
        return self.status == SHOWN


def _field(signature: str, prefix: str) -> str:
    return next((p for p in signature.split("|") if p.startswith(prefix)), "")


def find_predictions(name: str, dirs: list[Path]) -> Path | None:
    """The first `<dir>/<name>` that exists (anything but a regular file is refused when read)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    for d in dirs:
        p = Path(d) / name
        if os.path.lexists(p):
            return p
    return None


def load_systems(
    release: Release,
    leaderboard: Path | None,
    prediction_dirs: list[Path],
    labels: LabelSets,
) -> tuple[list[System], list[Incident]]:
    """Every leaderboard entry as a System (task order, then best stored score first)."""
    entries = load_entries(leaderboard) if leaderboard and Path(leaderboard).is_dir() else {}
    systems: list[System] = []
    notes: list[Incident] = []
    seen: dict[str, str] = {}
    for task in TASKS:
        for entry in entries.get(task, []):
            sig = str(entry.result.get("signature", ""))
            split = _field(sig, "split:").removeprefix("split:") or "test"
            s = System(
                task=task,
                name=entry.name,
                description=entry.description,
                entry=entry,
                split=split,
                data=_field(sig, "data:"),
            )
            if s.key in seen:  # two names with the same slug: keep both, show the first
                s.status, s.note = "system-name-clash", f"same page name as {seen[s.key]!r}"
            else:
                seen[s.key] = s.name
                _resolve(s, release, prediction_dirs, labels)
            if not s.shown:
                notes.append(
                    Incident(
                        id=s.status,
                        message=f"{task} system {s.name!r} is listed but not shown on the "
                        f"documents: {s.note}",
                        file=str(entry.path),
                        level="warning",
                    )
                )
            systems.append(s)
    return systems, notes


def _resolve(s: System, release: Release, dirs: list[Path], labels: LabelSets) -> None:
    current = release.data_field(TASK_CONFIG[s.task], s.split)
    if current is None or s.data != current:
        s.status = "system-other-data"
        s.note = (
            f"scored on {s.data.removeprefix('data:') or 'unknown data'}, the current release "
            f"{s.split} split is {(current or 'absent').removeprefix('data:')}"
        )
        return
    path = find_predictions(s.entry.predictions_file, dirs)
    if path is None:
        s.status = "system-predictions-missing"
        s.note = f"predictions file {s.entry.predictions_file!r} not found in " + ", ".join(
            str(d) for d in dirs
        )
        return
    want = s.entry.result.get("predictions_sha256")
    try:
        if want and sha256_file(path, "submission") != want:
            s.status = "system-predictions-changed"
            s.note = f"{path} is not the file the entry was scored with (sha256 differs)"
            return
        s.result = evaluate_submission(s.task, path, release.path, s.split, bootstrap=0)
        rows, _ = read_lines(path)
    except RukpError as exc:
        first = exc.incidents[0] if exc.incidents else None
        s.status = "system-predictions-invalid"
        s.note = f"{path}: " + (f"{first.id}: {first.message}" if first else str(exc))
        return
    s.predictions = path
    s.preds = {r.obj["id"]: r.obj[FIELD[s.task]] for r in rows}
    s.analysis = analyse(s.task, s.split, s.preds, release, labels)
    E.check_against_scorer(s.analysis, s.result, f"{s.task} system {s.name!r}")


def analyse(
    task: str, split: str, preds: dict[str, Any], release: Release, labels: LabelSets
) -> E.Analysis:
    """Categorise `preds` against the release rows of `split` (ids already checked)."""
    docs = release.split_docs(split)
    lang = {d: release.docs[d].language for d in release.docs}
    if task == "ner":
        rows = [r for d in docs for r in release.ner.get(d, [])]
        text = {d: release.docs[d].text for d in docs}
        canonical = {
            (d, int(e["start"]), int(e["end"])): e.get("canonical_id")
            for d in docs
            for e in release.entities.get(d, [])
        }
        train = {
            e["canonical_id"]
            for d in release.split_docs("train")
            for e in release.entities.get(d, [])
            if e.get("canonical_id")
        }
        return E.analyse_ner(rows, preds, lang, text, canonical, train, labels)
    if task == "stance":
        rows = [r for d in docs for r in release.stance.get(d, [])]
        return E.analyse_stance(rows, preds, lang, labels)
    rows = [r for d in docs for r in release.events.get(d, [])]
    return E.analyse_events(rows, preds, lang, labels)
