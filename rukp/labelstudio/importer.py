"""A Label Studio JSON export -> one rukp annotation set per annotator.

Everything is checked before anything is written (the server accepts unknown labels and wrong
offsets); skipped/cancelled annotations are reported, not imported; files are written only when
their bytes change, so importing twice changes nothing; a folder named `gold` is written only
with `overwrite_gold=True`, after a timestamped backup copy.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rukp.documents import Document
from rukp.errors import Incident, RukpError
from rukp.io import atomic_open, dumps_json, sha256_text
from rukp.labels import LabelSets, load_labels
from rukp.labelstudio.convert import Where, assemble, from_result
from rukp.labelstudio.data import registry_ids
from rukp.safeio import (
    check_name,
    child,
    decode_utf8,
    parse_json,
    read_bytes,
    read_text,
    safe_name,
    shown,
)

GOLD = "gold"
_MAP_HINT = 'map this user to a set name with --annotator-map, e.g. {"<user id>": "A"}'


@dataclass(slots=True)
class Skipped:
    task_id: Any
    annotation_id: Any
    doc_id: str | None
    annotator: str
    reason: str


@dataclass(slots=True)
class ImportReport:
    sets: dict[str, list[str]] = field(default_factory=dict)  # set name -> doc_ids
    written: list[str] = field(default_factory=list)  # files created or changed
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    backup: str | None = None

    def summary(self) -> str:
        lines = [
            f"imported {sum(len(v) for v in self.sets.values())} annotation(s) into "
            f"{len(self.sets)} set(s): "
            + (", ".join(f"{k} ({len(v)})" for k, v in sorted(self.sets.items())) or "-"),
            f"files written: {len(self.written)}, unchanged: {len(self.unchanged)}",
        ]
        for s in self.skipped:
            lines.append(
                f"skipped task {s.task_id} annotation {s.annotation_id} [doc {s.doc_id}] by "
                f"{s.annotator}: {s.reason}"
            )
        if self.backup:
            lines.append(f"backup of the previous gold: {self.backup}")
        return "\n".join(lines)


def parse_export(raw: bytes | str, file: str | None) -> list[Any]:
    """Parse the export (strict UTF-8, bounded JSON: rukp.safeio); a value that is not a list
    of tasks is an `export-unreadable` incident."""
    text = decode_utf8(raw, file) if isinstance(raw, bytes) else raw
    data = parse_json(text, file)
    if not isinstance(data, list):
        raise RukpError.single(
            "export-unreadable",
            f"a Label Studio JSON export is a list of tasks, found {type(data).__name__}",
            file=file,
            location="$",
        )
    return data


def annotator_name(
    completed_by: Any, users: dict[int, str], annotator_map: dict[str, str]
) -> str | None:
    """Set name for a Label Studio user: the map (by id or email), else the email mapped onto
    the file-name rule of rukp.safeio ('b@x.org' -> 'b_x.org'), else userN; None without a user
    id. A name that cannot be a folder name (an e-mail of '..') raises `unsafe-name`."""
    if isinstance(completed_by, dict):
        uid, email = completed_by.get("id"), completed_by.get("email")
    else:
        uid, email = completed_by, None
    if isinstance(uid, bool) or not isinstance(uid, int):
        return None
    email = email or users.get(uid)
    if not isinstance(email, str):
        email = None
    for key in (str(uid), email):
        if key and key in annotator_map:
            return check_name(annotator_map[key], "set name", hint=_MAP_HINT)
    if email:
        return safe_name(email, f"set name from the e-mail {email!r} of user {uid}", hint=_MAP_HINT)
    return f"user{uid}"


def convert_export(
    tasks: list[Any],
    documents: dict[str, Document],
    *,
    file: str | None = None,
    labels: LabelSets | None = None,
    registry: set[str] | None = None,
    users: dict[int, str] | None = None,
    annotator_map: dict[str, str] | None = None,
) -> tuple[dict[str, dict[str, dict[str, Any]]], list[Skipped]]:
    """Export tasks -> {set name: {doc_id: annotation}} and the skipped annotations.

    Raises RukpError with every problem found (each naming the task and annotation id).
    """
    lb = labels or load_labels()
    users = users or {}
    amap = annotator_map or {}
    incidents: list[Incident] = []
    sets: dict[str, dict[str, dict[str, Any]]] = {}
    origin: dict[tuple[str, str], Any] = {}
    skipped: list[Skipped] = []

    def bad(id_: str, msg: str, loc: str, doc_id: str | None = None, hint: str | None = None):
        incidents.append(
            Incident(id=id_, message=msg, file=file, location=loc, doc_id=doc_id, hint=hint)
        )

    for ti, task in enumerate(tasks):
        tloc = f"$[{ti}]"
        if not isinstance(task, dict):
            bad("missing-field", f"task #{ti} is not an object", tloc)
            continue
        tid = task.get("id", f"#{ti}")
        data = task.get("data")
        if not isinstance(data, dict):
            bad("missing-field", f"task {tid}: no `data` object", f"{tloc}.data")
            continue
        missing = [k for k in ("doc_id", "text", "text_sha256") if not isinstance(data.get(k), str)]
        if missing:
            bad(
                "missing-field",
                f"task {tid}: data lacks {', '.join(missing)}",
                f"{tloc}.data",
                data.get("doc_id") if isinstance(data.get("doc_id"), str) else None,
                "tasks must come from `rukp ls tasks`/`rukp ls push`",
            )
            continue
        doc_id = data["doc_id"]
        doc = documents.get(doc_id)
        if doc is None:
            bad(
                "unknown-document",
                f"task {tid}: doc_id {doc_id!r} is not among the cleaned documents",
                f"{tloc}.data.doc_id",
                doc_id,
            )
            continue
        if (
            data["text"] != doc.text
            or data["text_sha256"] != doc.text_sha256
            or (sha256_text(data["text"]) != data["text_sha256"])
        ):
            bad(
                "text-mismatch",
                f"task {tid}: the task text (sha256 {data['text_sha256'][:12]}…, "
                f"actual {sha256_text(data['text'])[:12]}…) is not the cleaned document text "
                f"(sha256 {doc.text_sha256[:12]}…)",
                f"{tloc}.data.text",
                doc_id,
                "re-push the tasks for the current cleaned documents",
            )
            continue
        anns = task.get("annotations")
        if not isinstance(anns, list):
            bad(
                "missing-field", f"task {tid}: no `annotations` list", f"{tloc}.annotations", doc_id
            )
            continue
        drafts = task.get("drafts")
        for draft in drafts if isinstance(drafts, list) else []:
            if isinstance(draft, dict):
                user = draft.get("user", draft.get("completed_by"))
                try:
                    who = annotator_name(user, users, amap) or "?"
                except RukpError:
                    who = "?"  # a draft is only reported, never written
                skipped.append(
                    Skipped(tid, f"draft {draft.get('id')}", doc_id, who, "draft, never submitted")
                )
        for ai, ann in enumerate(anns):
            aloc = f"{tloc}.annotations[{ai}]"
            if not isinstance(ann, dict):
                bad("missing-field", f"task {tid}: annotation #{ai} is not an object", aloc, doc_id)
                continue
            aid = ann.get("id", f"#{ai}")
            try:
                name = annotator_name(ann.get("completed_by"), users, amap)
            except RukpError as exc:
                incidents.extend(
                    replace(
                        i,
                        file=file,
                        location=f"{aloc}.completed_by",
                        doc_id=doc_id,
                        message=f"task {tid} annotation {aid}: {i.message}",
                    )
                    for i in exc.incidents
                )
                continue
            if name is None:
                bad(
                    "missing-field",
                    f"task {tid} annotation {aid}: no `completed_by` user id",
                    f"{aloc}.completed_by",
                    doc_id,
                )
                continue
            if ann.get("was_cancelled"):
                skipped.append(Skipped(tid, aid, doc_id, name, "skipped/cancelled in Label Studio"))
                continue
            where = Where(
                file=file, path=f"{aloc}.result", task_id=tid, annotation_id=aid, doc_id=doc_id
            )
            parts, problems = from_result(ann.get("result"), doc.text, lb, where, registry)
            if problems:
                incidents.extend(problems)
                continue
            key = (name, doc_id)
            if key in origin:
                bad(
                    "duplicate-annotation",
                    f"task {tid} annotation {aid}: {name!r} already annotated this task in "
                    f"annotation {origin[key]}",
                    aloc,
                    doc_id,
                    "delete or skip one of them in Label Studio",
                )
                continue
            origin[key] = aid
            rec = assemble(doc_id, doc.text_sha256, name, parts)
            sets.setdefault(name, {})[doc_id] = rec
    if incidents:
        raise RukpError(*incidents)
    return sets, skipped


def _is_gold(folder: Path, gold_dir: Path | None) -> bool:
    if folder.name == GOLD:
        return True
    return gold_dir is not None and folder.resolve() == Path(gold_dir).resolve()


def write_sets(
    sets: dict[str, dict[str, dict[str, Any]]],
    out_dir: Path,
    registry_file: Path | None,
    *,
    overwrite_gold: bool = False,
    gold_dir: Path | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Write `<out_dir>/<set>/<doc_id>.json` (+ a copy of the registry as entities.json)."""
    out_dir = Path(out_dir)
    report = ImportReport()
    plan: list[tuple[Path, bytes]] = []
    reg_bytes = read_bytes(registry_file, "registry") if registry_file else None
    for name, docs in sorted(sets.items()):
        folder = child(out_dir, name, "set name")  # every name becomes a folder: one rule
        report.sets[name] = sorted(docs)
        for doc_id in sorted(docs):
            path = child(folder, doc_id, "doc_id", ".json")
            plan.append((path, dumps_json(docs[doc_id]).encode("utf-8")))
        if reg_bytes is not None:
            plan.append((folder / "entities.json", reg_bytes))
    changes = [(p, b) for p, b in plan if not _holds(p, b)]
    report.unchanged = [str(p) for p, b in plan if (p, b) not in changes]
    gold_folders = sorted({p.parent for p, _ in changes if _is_gold(p.parent, gold_dir)})
    if gold_folders and not overwrite_gold:
        raise RukpError(
            *(
                Incident(
                    id="gold-protected",
                    message=f"import would change {sum(1 for p, _ in changes if p.parent == g)} "
                    f"file(s) of the adjudicated gold set",
                    file=str(g),
                    hint="map annotators to other set names, or pass --overwrite-gold "
                    "(a timestamped backup is kept)",
                )
                for g in gold_folders
            )
        )
    for g in gold_folders:
        if g.is_dir():
            stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
            backup = g.parent / ".backup" / f"{g.name}-{stamp}"
            shutil.copytree(g, backup)
            report.backup = str(backup)
    for p, b in changes:
        with atomic_open(p, "wb") as f:
            f.write(b)
        report.written.append(str(p))
    return report


def _holds(path: Path, data: bytes) -> bool:
    """True when `path` is a regular file holding exactly `data`."""
    try:
        return read_bytes(path, "annotation") == data
    except RukpError:
        return False


def import_export(
    export_path: Path,
    documents: dict[str, Document],
    out_dir: Path,
    registry_file: Path | None,
    *,
    annotator_map: dict[str, str] | None = None,
    users: dict[int, str] | None = None,
    overwrite_gold: bool = False,
    gold_dir: Path | None = None,
    labels: LabelSets | None = None,
) -> ImportReport:
    """Read, check, and write; nothing is written when any check fails."""
    export_path = Path(export_path)
    raw = read_text(
        export_path,
        "export",
        missing=("export-unreadable", "download the export again (Label Studio: Export -> JSON)"),
    )
    tasks = parse_export(raw, shown(export_path))
    registry = registry_ids(registry_file) if registry_file else None
    sets, skipped = convert_export(
        tasks,
        documents,
        file=str(export_path),
        labels=labels,
        registry=registry,
        users=users,
        annotator_map=annotator_map,
    )
    report = write_sets(
        sets, out_dir, registry_file, overwrite_gold=overwrite_gold, gold_dir=gold_dir
    )
    report.skipped = skipped
    return report
