"""A Label Studio JSON export -> one rukp annotation set per annotator.

Everything is checked before anything is written (the server accepts unknown labels and wrong
offsets); skipped/cancelled annotations are reported, not imported; files are written only when
their bytes change, so importing twice changes nothing; a set folder that already exists is
changed only with `update_sets=True`, and a folder named `gold` only with `overwrite_gold=True`,
after a timestamped backup copy. Set names are checked as safe folder names before any path is
made from them.

An export of one annotation pass (`layer`) changes only that layer of the annotator's set: the
earlier layers, shown read-only in the pass, must equal the set's (else `context-changed`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rukp.documents import Document
from rukp.errors import Incident, RukpError
from rukp.io import atomic_open, sha256_text
from rukp.labels import LabelSets, load_labels
from rukp.labelstudio import config as C
from rukp.labelstudio.convert import (
    Where,
    assemble,
    context_of,
    expected_context,
    from_result,
    validate_annotation,
)
from rukp.labelstudio.data import load_set, registry_ids
from rukp.safeio import (
    NAME_RULE,
    child,
    decode_utf8,
    is_safe_name,
    parse_json,
    read_bytes,
    read_text,
    shown,
)
from rukp.sets import dumps_annotation

GOLD = "gold"


def set_name_problem(name: object) -> str | None:
    """Why `name` cannot be a set folder name (the one name rule of rukp.safeio), or None."""
    if not is_safe_name(name):
        return f"set name {name!r} is not a safe folder name; allowed: {NAME_RULE}"
    return None


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
    """Set name for a Label Studio user: the map (by user id or e-mail), else `user<id>`."""
    if isinstance(completed_by, dict):
        uid, email = completed_by.get("id"), completed_by.get("email")
    else:
        uid, email = completed_by, None
    if isinstance(uid, bool) or not isinstance(uid, int):
        return None
    email = email or users.get(uid)
    for key in (str(uid), email, email.lower() if email else None):
        if key and key in annotator_map:
            return annotator_map[key]
    return f"user{uid}"  # never the e-mail: set names become folder names


def convert_export(
    tasks: list[Any],
    documents: dict[str, Document],
    *,
    file: str | None = None,
    labels: LabelSets | None = None,
    registry: set[str] | None = None,
    users: dict[int, str] | None = None,
    annotator_map: dict[str, str] | None = None,
    layer: str = C.ALL,
    existing: Callable[[str], dict[str, dict[str, Any]]] | None = None,
    project_user: int | None = None,
) -> tuple[dict[str, dict[str, dict[str, Any]]], list[Skipped]]:
    """Export tasks -> {set name: {doc_id: annotation}} and the skipped annotations.

    `layer` is `all` or the pass the export comes from; a pass's records are merged into the
    annotator's set as `existing(set name)` returns it (doc_id -> record). `project_user` is the
    only Label Studio user id allowed to annotate in this project (one project per annotator).
    Raises RukpError with every problem found (each naming the task and annotation id).
    """
    lb = labels or load_labels()
    users = users or {}
    amap = annotator_map or {}
    C.check_layer(layer)
    earlier = C.earlier_layers(layer)
    sets_on_disk: dict[str, dict[str, dict[str, Any]]] = {}
    bad_names: set[str] = set()
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
            problem = set_name_problem(name)
            if problem:
                if name not in bad_names:
                    bad_names.add(name)
                    bad("unsafe-name", problem, aloc, doc_id, "fix the annotator map")
                continue
            uid = _user_id(ann.get("completed_by"))
            if project_user is not None and uid != project_user:
                who = users.get(uid, f"user {uid}") if uid is not None else "?"
                bad(
                    "wrong-annotator",
                    f"task {tid} annotation {aid}: made by {who}, but this is the project of "
                    f"{users.get(project_user, f'user {project_user}')} (set "
                    f"{amap.get(str(project_user), '?')})",
                    f"{aloc}.completed_by",
                    doc_id,
                    "each annotator works in their own project: delete the annotation or move "
                    "it to the right project",
                )
                continue
            if ann.get("was_cancelled"):
                skipped.append(Skipped(tid, aid, doc_id, name, "skipped/cancelled in Label Studio"))
                continue
            where = Where(
                file=file, path=f"{aloc}.result", task_id=tid, annotation_id=aid, doc_id=doc_id
            )
            prior = None
            if layer != C.ALL:
                if name not in sets_on_disk:
                    sets_on_disk[name] = existing(name) if existing else {}
                prior = sets_on_disk[name].get(doc_id)
                found = _check_prior(prior, doc, layer, where, name)
                if found:
                    incidents.extend(found)
                    continue
            result = ann.get("result")
            if layer == C.ALL:
                parts, problems = from_result(result, doc.text, lb, where, registry)
            else:
                ctx, rest = (
                    context_of(result, earlier) if isinstance(result, list) else ({}, result)
                )
                if earlier and prior is not None and ctx != expected_context(prior, earlier):
                    incidents.append(_context_changed(ctx, prior, earlier, where, name))
                    continue
                reserved = [
                    r["id"]
                    for other in C.LAYERS
                    if other != layer
                    for r in (prior or {}).get(other, ())
                ]
                parts, problems = from_result(
                    rest, doc.text, lb, where, registry, layers=(layer,), reserved_ids=reserved
                )
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
            if layer != C.ALL:
                parts = _merge_layer(prior, parts, layer)
            rec = assemble(doc_id, doc.text_sha256, name, parts)
            if layer != C.ALL:
                problems = validate_annotation(rec, doc.text, lb, where, registry)
                if problems:
                    incidents.extend(problems)
                    continue
            sets.setdefault(name, {})[doc_id] = rec
    if incidents:
        raise RukpError(*incidents)
    return sets, skipped


def _user_id(completed_by: Any) -> int | None:
    uid = completed_by.get("id") if isinstance(completed_by, dict) else completed_by
    return uid if isinstance(uid, int) and not isinstance(uid, bool) else None


def _check_prior(
    prior: dict[str, Any] | None, doc: Document, layer: str, where: Where, name: str
) -> list[Incident]:
    """A later pass needs the annotator's set record of the document, made on this text."""
    if prior is None:
        if not C.earlier_layers(layer):
            return []
        return [
            Incident(
                id="context-missing",
                message=f"{where.who()}: a {layer} pass, but set {name!r} has no record of "
                f"{doc.doc_id} holding the earlier layers",
                file=where.file,
                location=where.path,
                doc_id=doc.doc_id,
                hint=f"pull the earlier passes ({', '.join(C.earlier_layers(layer))}) into "
                f"{name}/ first, into the same --out-dir",
            )
        ]
    if prior.get("text_sha256") != doc.text_sha256:
        return [
            Incident(
                id="text-mismatch",
                message=f"{where.who()}: set {name!r} holds {doc.doc_id} made on text sha256 "
                f"{str(prior.get('text_sha256'))[:12]}…, the document is "
                f"{doc.text_sha256[:12]}…",
                file=where.file,
                location=where.path,
                doc_id=doc.doc_id,
                hint="re-anchor the set (rukp reanchor) and push the pass again",
            )
        ]
    return []


def _context_changed(
    ctx: dict[str, list[Any]],
    prior: dict[str, Any],
    earlier: tuple[str, ...],
    where: Where,
    name: str,
) -> Incident:
    want = expected_context(prior, earlier)
    diffs = []
    for layer in earlier:
        got, exp = set(ctx.get(layer, [])), set(want[layer])
        if got != exp:
            diffs.append(
                f"{layer}: {len(got)} region(s) shown, {len(exp)} in the set; "
                f"only in the task {sorted(got - exp)[:3]}, only in the set {sorted(exp - got)[:3]}"
            )
    return Incident(
        id="context-changed",
        message=f"{where.who()}: the read-only layers of this pass differ from set {name!r} — "
        + "; ".join(diffs),
        file=where.file,
        location=where.path,
        doc_id=where.doc_id,
        hint="the set changed after the push, or the task was annotated without its "
        "pre-annotation: delete the task's annotation, push the pass again and redo it",
    )


def _merge_layer(prior: dict[str, Any] | None, parts: dict[str, Any], layer: str) -> dict[str, Any]:
    """The annotator's record with one layer (and the document fields) replaced by a pass."""
    out = {k: list((prior or {}).get(k, [])) for k in C.LAYERS}
    out[layer] = parts[layer]
    out["guidelines_version"] = parts["guidelines_version"]
    if "notes" in parts:
        out["notes"] = parts["notes"]
    return out


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
    update_sets: bool = False,
    gold_dir: Path | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Write `<out_dir>/<set>/<doc_id>.json` (+ a copy of the registry as entities.json).

    A set folder that exists already is changed only with `update_sets` (or, for gold,
    `overwrite_gold`); nothing is written if any folder is refused.
    """
    out_dir = Path(out_dir)
    report = ImportReport()
    plan: list[tuple[Path, bytes]] = []
    reg_bytes = read_bytes(registry_file, "registry") if registry_file else None
    bad_names = [set_name_problem(n) for n in sorted(sets) if set_name_problem(n)]
    if bad_names:
        raise RukpError(*(Incident(id="unsafe-name", message=m) for m in bad_names if m))
    existed = {name for name in sets if (out_dir / name).exists()}
    for name, docs in sorted(sets.items()):
        folder = child(out_dir, name, "set name")  # every name becomes a folder: one rule
        report.sets[name] = sorted(docs)
        for doc_id in sorted(docs):
            path = child(folder, doc_id, "doc_id", ".json")
            plan.append((path, dumps_annotation(docs[doc_id]).encode("utf-8")))
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
    refused = sorted(
        {
            p.parent
            for p, _ in changes
            if p.parent.name in existed and not _is_gold(p.parent, gold_dir)
        }
    )
    if refused and not update_sets:
        raise RukpError(
            *(
                Incident(
                    id="set-exists",
                    message=f"import would change {sum(1 for p, _ in changes if p.parent == f)} "
                    "file(s) of a set folder that already exists",
                    file=str(f),
                    hint="name the annotator's set otherwise (--annotator-map / --annotators), or "
                    "pass --update-sets if this set is the one to update (e.g. a later pass or a "
                    "re-pull of the same annotator)",
                )
                for f in refused
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
    update_sets: bool = False,
    gold_dir: Path | None = None,
    labels: LabelSets | None = None,
    layer: str = C.ALL,
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
        layer=layer,
        existing=set_loader(out_dir),
    )
    report = write_sets(
        sets,
        out_dir,
        registry_file,
        overwrite_gold=overwrite_gold,
        update_sets=update_sets,
        gold_dir=gold_dir,
    )
    report.skipped = skipped
    return report


def set_loader(out_dir: Path) -> Callable[[str], dict[str, dict[str, Any]]]:
    """name -> the set already in `<out_dir>/<name>/` (empty if none); names are checked first."""

    def load(name: str) -> dict[str, dict[str, Any]]:
        problem = set_name_problem(name)
        if problem:
            raise RukpError.single("unsafe-name", problem)
        folder = Path(out_dir) / name
        return load_set(folder) if folder.is_dir() else {}

    return load
