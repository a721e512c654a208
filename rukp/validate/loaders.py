"""Readers for the files the validator checks, shared with later stages.

Every reader turns bad input into incidents, never a traceback. The `load_*` functions raise
`RukpError` when a file cannot be used at all; the `read_*` functions return what they could read
plus the incidents, so the validator can go on and report everything at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from rukp.errors import Incident, RukpError
from rukp.labels import LabelSets, load_labels
from rukp.paths import annotations_dir, schema_dir
from rukp.safeio import iter_json_lines, present, read_json

REGISTRY_NAME = "entities.json"


def allowed_values(values: Iterable[str]) -> str:
    """The allowed values as shown in messages ("PER, ORG, …"; "(none: use null)" if empty)."""
    vals = list(values)
    return ", ".join(vals) if vals else "(none: use null)"


def display_path(path: Path) -> str:
    """A path as shown in incidents: relative to the working directory when below it."""
    try:  # abspath, not resolve: a link loop must not raise while an incident is written
        absolute = Path(os.path.abspath(path))
        return os.path.relpath(absolute) if absolute.is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError):
        return str(path)


@lru_cache(maxsize=8)
def schema_validator(name: str) -> Draft202012Validator:
    """The Draft 2020-12 validator for schema/<name>.schema.json."""
    return Draft202012Validator(read_json(schema_dir() / f"{name}.schema.json", "config"))


def schema_incidents(
    data: Any, schema: str, file: str, doc_id: str | None = None, prefix: str = ""
) -> list[Incident]:
    """One `schema-violation` incident per JSON Schema error, located by its JSON path."""
    errors = sorted(schema_validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    return [
        Incident(
            id="schema-violation",
            message=f"{err.message} (schema rule '{err.validator}')",
            file=file,
            location=f"{prefix}{err.json_path}",
            doc_id=doc_id,
            hint=f"make the value at {err.json_path} match schema/{schema}.schema.json",
        )
        for err in errors
    ]


def read_json_file(path: Path, kind: str = "annotation") -> tuple[Any, list[Incident]]:
    """Parse one JSON file through rukp.safeio; every problem becomes its incident."""
    try:
        return read_json(path, kind), []
    except RukpError as exc:
        return None, [replace(i, file=display_path(path)) for i in exc.incidents]


def read_documents(path: Path) -> tuple[dict[str, dict], list[Incident]]:
    """Read cleaned documents (JSON Lines): {doc_id: record} plus incidents for bad lines."""
    file = display_path(path)
    docs: dict[str, dict] = {}
    incidents: list[Incident] = []
    lines = iter_json_lines(
        path,
        "documents",
        missing=("documents-missing", "run `rukp ingest` first (or pass --documents PATH)"),
    )
    try:
        for lineno, record, problem in lines:
            if problem is not None:
                incidents.append(replace(problem, file=file))
                continue
            found = schema_incidents(record, "document", file, prefix=f"line {lineno} ")
            if found:
                incidents.extend(found)
                if not (isinstance(record, dict) and isinstance(record.get("text"), str)):
                    continue
                if not isinstance(record.get("doc_id"), str):
                    continue
            if record["doc_id"] in docs:
                incidents.append(
                    Incident(
                        "duplicate-id",
                        f"doc_id '{record['doc_id']}' appears twice",
                        file,
                        f"line {lineno}",
                        record["doc_id"],
                        hint="each cleaned document must have a unique doc_id",
                    )
                )
                continue
            docs[record["doc_id"]] = record
    except RukpError as exc:  # the file itself: missing, not a regular file, too large
        incidents.extend(replace(i, file=file) for i in exc.incidents)
    return docs, incidents


def load_documents(path: Path) -> dict[str, dict]:
    """Cleaned documents keyed by doc_id; raises RukpError if the file is missing or invalid."""
    docs, incidents = read_documents(path)
    errors = [i for i in incidents if i.level == "error"]
    if errors:
        raise RukpError(*errors)
    return docs


def read_registry(
    path: Path, labels: LabelSets | None = None
) -> tuple[dict[str, dict] | None, list[Incident]]:
    """Read and check a registry: ({id: entry} or None if unreadable, incidents).

    Checks the schema, unique ids, entity types from labels.json and the Wikidata id pattern.
    """
    data, out = read_json_file(path, "registry")
    if out:
        return None, out
    return check_registry_data(data, path, labels)


def check_registry_data(
    data: Any, path: Path, labels: LabelSets | None = None
) -> tuple[dict[str, dict], list[Incident]]:
    """The checks of `read_registry` on a registry already read: ({id: entry}, incidents)."""
    labels = labels or load_labels()
    out: list[Incident] = []
    file = display_path(path)
    # A bad Wikidata id is its own incident, not a generic schema violation.
    for inc in schema_incidents(data, "entities", file):
        if (inc.location or "").endswith(".wikidata"):
            out.append(
                Incident(
                    "bad-wikidata-id",
                    f"Wikidata id does not match ^Q[1-9][0-9]*$: {inc.message}",
                    file,
                    inc.location,
                    hint="use a Q-id such as Q423, or null when unsure",
                )
            )
        else:
            out.append(inc)
    items = data.get("entities") if isinstance(data, dict) else None
    entries: dict[str, dict] = {}
    for k, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        rid = item.get("id")
        if isinstance(rid, str):
            if rid in entries:
                out.append(
                    Incident(
                        "duplicate-registry-id",
                        f"registry id '{rid}' appears more than once",
                        file,
                        f"$.entities[{k}].id",
                        hint="ids are stable and unique: merge the two entries",
                    )
                )
            entries.setdefault(rid, item)
        etype = item.get("type")
        if isinstance(etype, str) and etype not in labels.entity_types:
            out.append(
                Incident(
                    "unknown-label",
                    f"unknown registry entity type {etype!r} at {file}:$.entities[{k}].type; "
                    f"allowed: {allowed_values(labels.entity_types)}",
                    file,
                    f"$.entities[{k}].type",
                    hint="use an entity type from schema/labels.json",
                )
            )
    return entries, out


def load_registry(path: Path) -> dict[str, dict]:
    """A registry as {canonical id: entry}; raises RukpError if it is unreadable or invalid."""
    entries, incidents = read_registry(path)
    errors = [i for i in incidents if i.level == "error"]
    if errors or entries is None:
        raise RukpError(*errors)
    return entries


def registry_path_for(folder: Path) -> Path | None:
    """The registry that governs an annotation set folder.

    The folder's own entities.json wins; else the one in its parent folder (annotations/ for
    annotations/A); else the project registry annotations/entities.json; None if none exists.
    """
    folder = Path(folder)
    for cand in (folder / REGISTRY_NAME, folder.parent / REGISTRY_NAME):
        if present(cand):  # whatever is there governs the set (a FIFO is refused when read)
            return cand
    try:
        project = annotations_dir() / REGISTRY_NAME
    except FileNotFoundError:
        return None
    return project if present(project) else None


def annotation_files(folder: Path) -> list[Path]:
    """The <doc_id>.json entries of a set folder (the registry and sub-folders excluded), sorted.

    An entry that is not a regular file (a FIFO, a socket) is listed too, so that reading it
    reports it instead of skipping it silently."""
    return sorted(
        p for p in Path(folder).glob("*.json") if p.name != REGISTRY_NAME and not p.is_dir()
    )


def read_annotation_file(path: Path) -> tuple[dict | None, list[Incident]]:
    """One annotation file, checked for JSON syntax and the annotation schema."""
    data, incidents = read_json_file(path)
    if incidents:
        return None, incidents
    doc_id = data.get("doc_id") if isinstance(data, dict) else None
    incidents = schema_incidents(
        data, "annotation", display_path(path), doc_id if isinstance(doc_id, str) else None
    )
    return (data if not incidents else None), incidents


def load_annotation_set(folder: Path) -> dict[str, dict]:
    """An annotation set as {doc_id (file stem): annotation}; raises RukpError on bad files.

    Only syntax and schema are enforced here; run `validate_paths` for the semantic checks.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RukpError.single(
            "path-not-found",
            f"annotation set folder not found: {display_path(folder)}",
            file=display_path(folder),
            hint="give a folder holding <doc_id>.json annotation files",
        )
    out: dict[str, dict] = {}
    problems: list[Incident] = []
    for path in annotation_files(folder):
        data, incidents = read_annotation_file(path)
        problems.extend(incidents)
        if data is not None:
            out[path.stem] = data
    if problems:
        raise RukpError(*problems)
    return out
