"""The checks behind `rukp validate`: raw provenance, annotation sets and registries.

`validate_paths` is the entry point; it never raises for bad input and returns every incident
found. Label values come from schema/labels.json through `rukp.labels.load_labels()`.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.io import sha256_text
from rukp.labels import LabelSets, load_labels
from rukp.paths import annotations_dir, cleaned_documents_path, raw_dir
from rukp.provenance import FORMATS, REQUIRED, SOURCES_NAME, iso639_1_codes, page_format, valid_date
from rukp.safeio import present, read_csv, sha256_file
from rukp.texts import load_text, texts_dir
from rukp.validate.consistency import consistency_incidents
from rukp.validate.loaders import (
    REGISTRY_NAME,
    allowed_values,
    annotation_files,
    display_path,
    read_annotation_file,
    read_documents,
    read_registry,
    registry_path_for,
)

RAW_COLUMNS = REQUIRED  # the columns sources.csv must have (rukp.provenance)
__all__ = ["RAW_COLUMNS", "SOURCES_NAME", "iso639_1_codes"]
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_UNREADABLE = {"not-utf8", "malformed-csv"}  # reported as raw-sources-unreadable
# A documents file that cannot be read at all (as opposed to one with bad lines).
_DOCUMENTS_UNUSABLE = {
    "documents-missing",
    "not-a-regular-file",
    "file-too-large",
    "file-unreadable",
}


# ---------------------------------------------------------------- raw/


def check_raw(folder: Path, checked: list[str] | None = None) -> list[Incident]:
    """raw/: every file has a sources.csv row and vice versa; hashes, languages, dates valid.
    `checked` receives a line saying what was compared."""
    folder = Path(folder)
    table = folder / SOURCES_NAME
    tfile = display_path(table)
    try:
        header, rows = read_csv(
            table,
            missing=(
                "raw-sources-missing",
                "add raw/sources.csv with one row per raw file",
            ),
        )
    except RukpError as exc:
        return [
            replace(
                i,
                id="raw-sources-unreadable" if i.id in _UNREADABLE else i.id,
                file=tfile,
                message=i.message
                if i.id not in _UNREADABLE
                else f"cannot parse {SOURCES_NAME}: {i.message}",
            )
            for i in exc.incidents
        ]
    incidents: list[Incident] = []
    missing_cols = [c for c in RAW_COLUMNS if c not in header]
    if missing_cols:
        return [
            Incident(
                "raw-column-missing",
                f"columns missing: {', '.join(missing_cols)}; found: {', '.join(header)}",
                tfile,
                "line 1",
                hint=f"the header must contain {', '.join(RAW_COLUMNS)}",
            )
        ]
    # Every entry but folders, hidden files and the table itself: a FIFO or socket named like
    # a page is listed, so that hashing it reports it instead of skipping it.
    files = {
        p.name
        for p in folder.iterdir()
        if not p.is_dir() and p.name != SOURCES_NAME and not p.name.startswith(".")
    }
    if checked is not None:
        checked.append(
            f"raw folder {display_path(folder)}/: {len(files)} files against {len(rows)} rows of "
            f"{SOURCES_NAME} (sha256, language, date)"
        )
    languages = iso639_1_codes()
    seen: set[str] = set()
    for lineno, row in rows:
        name = (row.get("file") or "").strip()
        loc = f"line {lineno}"
        doc_id = row.get("id") or None
        if name in seen:
            incidents.append(
                Incident(
                    "raw-duplicate-row",
                    f"second row for file '{name}'",
                    tfile,
                    loc,
                    doc_id,
                    hint="keep exactly one row per raw file",
                )
            )
            continue
        seen.add(name)
        if name not in files:
            incidents.append(
                Incident(
                    "raw-file-missing",
                    f"row names file '{name}', which is not in raw/",
                    tfile,
                    loc,
                    doc_id,
                    hint="restore the raw file or delete its row",
                )
            )
        else:
            if doc_id != Path(name).stem:
                incidents.append(
                    Incident(
                        "raw-id-mismatch",
                        f"id '{doc_id}' is not the file stem of '{name}'",
                        tfile,
                        loc,
                        doc_id,
                        hint=f"set id to '{Path(name).stem}'",
                    )
                )
            try:
                actual = sha256_file(folder / name, "raw-page")
            except RukpError as exc:
                incidents.extend(replace(i, doc_id=doc_id) for i in exc.incidents)
                continue
            if (row.get("sha256") or "").strip().lower() != actual:
                incidents.append(
                    Incident(
                        "raw-sha256-mismatch",
                        f"sha256 in table {row.get('sha256')!r} != sha256 of the bytes {actual}",
                        tfile,
                        loc,
                        doc_id,
                        hint="raw files are never edited: restore the original bytes "
                        "(or, for a new file, record its sha256)",
                    )
                )
        fmt = (row.get("format") or "").strip()
        want = page_format(name)
        if fmt != want:
            allowed = ", ".join(f"{v} ({k})" for k, v in FORMATS.items())
            incidents.append(
                Incident(
                    "raw-bad-format",
                    f"format {fmt!r} for file '{name}'"
                    + (f"; its extension means {want!r}" if want else "; rukp reads no such file")
                    + f"; allowed: {allowed}",
                    tfile,
                    loc,
                    doc_id,
                    hint="the format follows the extension: .txt pages are text, .html pages html",
                )
            )
        lang = (row.get("language") or "").strip()
        if lang and lang not in languages:
            incidents.append(
                Incident(
                    "raw-bad-language",
                    f"language {lang!r} is not an ISO 639-1 code",
                    tfile,
                    loc,
                    doc_id,
                    hint="use a two-letter lower-case code such as fr, it, en, or leave it empty "
                    "for the ingest to detect",
                )
            )
        published = (row.get("published") or "").strip()
        if published and not valid_date(published):
            incidents.append(
                Incident(
                    "raw-bad-date",
                    f"published {published!r} is not an ISO date",
                    tfile,
                    loc,
                    doc_id,
                    hint="use YYYY, YYYY-MM or YYYY-MM-DD, or leave it empty",
                )
            )
    for name in sorted(files - seen):
        incidents.append(
            Incident(
                "raw-row-missing",
                f"raw file '{name}' has no row in {SOURCES_NAME}",
                display_path(folder / name),
                None,
                Path(name).stem,
                hint="add a provenance row (id, file, sha256, language, …)",
            )
        )
    return incidents


# ---------------------------------------------------------------- registry


def check_registry(path: Path, labels: LabelSets | None = None) -> list[Incident]:
    """A canonical entity registry: schema, unique ids, known types, Wikidata id pattern."""
    return read_registry(path, labels)[1]


# ---------------------------------------------------------------- annotations


def check_annotation(
    path: Path,
    documents: dict[str, dict] | None,
    registry: dict[str, dict] | None,
    labels: LabelSets | None = None,
) -> list[Incident]:
    """One annotation file: schema, then labels, references, spans and the text hash.

    `documents` None means the cleaned documents are unavailable (document checks skipped);
    `registry` None means no registry was found (reference checks skipped).
    """
    labels = labels or load_labels()
    data, incidents = read_annotation_file(path)
    if data is None:
        return incidents
    file = display_path(path)
    doc_id: str = data["doc_id"]
    out: list[Incident] = []

    def add(id: str, message: str, location: str | None, hint: str, level: str = "error") -> None:
        out.append(Incident(id, message, file, location, doc_id, hint, level))  # type: ignore[arg-type]

    if doc_id != path.stem:
        add(
            "doc-id-filename-mismatch",
            f"doc_id '{doc_id}' but the file is named '{path.name}'",
            "$.doc_id",
            f"name the file '{doc_id}.json' or fix doc_id",
        )

    # unique ids across the three layers
    ids: Counter[str] = Counter()
    for layer in ("entities", "stances", "events"):
        for k, rec in enumerate(data[layer]):
            ids[rec["id"]] += 1
            if ids[rec["id"]] == 2:
                add(
                    "duplicate-id",
                    f"id '{rec['id']}' is used more than once in this document",
                    f"$.{layer}[{k}].id",
                    "give every entity, stance and event its own id",
                )

    _check_labels(data, labels, add, file)
    if registry is not None:
        _check_references(data, registry, labels, add)

    text: str | None = None
    doc: dict | None = None
    if documents is not None:
        doc = documents.get(doc_id)
        if doc is None:
            add(
                "unknown-document",
                f"no cleaned document with doc_id '{doc_id}'",
                "$.doc_id",
                "check the doc_id against build/ingest/documents.jsonl (run `rukp ingest`)",
            )
        else:
            text = doc["text"]
            current = sha256_text(text)
            kept = None
            if data["text_sha256"] != current and data.get("annotator") != "gold":
                try:
                    kept = load_text(data["text_sha256"], texts_dir(path.parent.parent))
                except RukpError as exc:  # something unreadable where the old text is kept
                    out.extend(replace(i, doc_id=doc_id) for i in exc.incidents)
            if data["text_sha256"] != current and kept is not None:
                add(
                    "annotation-on-older-text",
                    f"annotation made on text {data['text_sha256'][:12]}… (kept in "
                    f"annotations/texts/), the current cleaned text is {current[:12]}…; spans "
                    "checked against the older text",
                    "$.text_sha256",
                    "nothing to do for a raw set kept as made; gold must be moved with "
                    "`rukp reanchor`",
                    level="warning",
                )
                text = kept
            elif data["text_sha256"] != current:
                add(
                    "text-sha256-mismatch",
                    f"annotation made on text {data['text_sha256'][:12]}…, current cleaned text is "
                    f"{current[:12]}…; span checks skipped",
                    "$.text_sha256",
                    "the cleaned text changed: run `rukp reanchor` to move the spans",
                )
                text = None
    if text is not None:
        before = len(out)
        _check_spans(data, text, add)
        if len(out) == before:  # every span in place: the consistency heuristics can read them
            out.extend(consistency_incidents(data, text, doc, file))
    return out


def _check_labels(data: dict, labels: LabelSets, add: Any, file: str) -> None:
    def unknown(what: str, value: Any, loc: str, allowed: Sequence[str]) -> None:
        add(
            "unknown-label",
            f"unknown {what} {value!r} at {file}:{loc}; allowed: {allowed_values(allowed)}",
            loc,
            "use a value from schema/labels.json",
        )

    for k, ent in enumerate(data["entities"]):
        if ent["type"] not in labels.entity_types:
            unknown("entity label", ent["type"], f"$.entities[{k}].type", labels.entity_types)
    for k, st in enumerate(data["stances"]):
        for key, what, allowed in (
            ("target", "stance target", labels.stance_targets),
            ("label", "stance label", labels.stance_labels),
            ("attribution", "stance attribution", labels.stance_attributions),
        ):
            if st[key] not in allowed:
                unknown(what, st[key], f"$.stances[{k}].{key}", allowed)
    for k, ev in enumerate(data["events"]):
        if ev["type"] not in labels.event_types:
            unknown("event type", ev["type"], f"$.events[{k}].type", labels.event_types)
        elif ev["mode"] is not None and ev["mode"] not in labels.event_modes.get(ev["type"], ()):
            unknown(
                f"mode for {ev['type']}",
                ev["mode"],
                f"$.events[{k}].mode",
                labels.event_modes.get(ev["type"], ()),
            )
        if ev["factuality"] not in labels.factuality:
            unknown("factuality", ev["factuality"], f"$.events[{k}].factuality", labels.factuality)


def _check_references(data: dict, registry: dict[str, dict], labels: LabelSets, add: Any) -> None:
    hint = "add the referent to the registry (entities.json) or use an existing id"
    for k, ent in enumerate(data["entities"]):
        cid = ent["canonical_id"]
        if cid is None:
            continue
        if cid not in registry:
            add(
                "unknown-canonical-id",
                f"canonical_id '{cid}' is not in the registry",
                f"$.entities[{k}].canonical_id",
                hint,
            )
        elif ent["type"] in labels.entity_types and registry[cid].get("type") != ent["type"]:
            add(
                "canonical-type-mismatch",
                f"mention typed {ent['type']} links to '{cid}', typed {registry[cid].get('type')} "
                "in the registry",
                f"$.entities[{k}].type",
                "check the mention type or the link (metonymy is allowed but worth a look)",
                "warning",
            )
    pairs: Counter[tuple[Any, str]] = Counter()
    for k, st in enumerate(data["stances"]):
        holder = st["holder"]
        if holder is not None and holder not in registry:
            add(
                "unknown-canonical-id",
                f"stance holder '{holder}' is not in the registry",
                f"$.stances[{k}].holder",
                hint,
            )
        if (holder is None) != (st["attribution"] == "author"):
            add(
                "holder-attribution-mismatch",
                f"holder {holder!r} with attribution '{st['attribution']}'",
                f"$.stances[{k}].holder",
                "holder is null exactly when attribution is 'author' (the outlet's own voice)",
            )
        pairs[(holder, st["target"])] += 1
        if pairs[(holder, st["target"])] == 2:
            add(
                "duplicate-stance",
                f"second stance record for holder {holder!r} and target '{st['target']}'",
                f"$.stances[{k}]",
                "keep one record per holder–target–document (clearest evidence)",
            )
    for k, ev in enumerate(data["events"]):
        for role in ("sources", "targets"):
            for j, rid in enumerate(ev[role]):
                if rid not in registry:
                    add(
                        "unknown-canonical-id",
                        f"event {role[:-1]} '{rid}' is not in the registry",
                        f"$.events[{k}].{role}[{j}]",
                        hint,
                    )


def _check_spans(data: dict, text: str, add: Any) -> None:
    n = len(text)
    spans: list[tuple[str, dict]] = [
        (f"$.entities[{k}]", e) for k, e in enumerate(data["entities"])
    ]
    spans += [(f"$.stances[{k}].evidence", s["evidence"]) for k, s in enumerate(data["stances"])]
    spans += [(f"$.events[{k}].trigger", e["trigger"]) for k, e in enumerate(data["events"])]
    in_range: set[str] = set()
    for loc, sp in spans:
        start, end = sp["start"], sp["end"]
        if not 0 <= start < end <= n:
            add(
                "span-out-of-range",
                f"span [{start}, {end}) outside the text (0 ≤ start < end ≤ {n})",
                loc,
                "fix the offsets (Python code points into the cleaned text)",
            )
            continue
        in_range.add(loc)
        if text[start:end] != sp["text"]:
            add(
                "span-text-mismatch",
                f"text {sp['text']!r} but the document has {text[start:end]!r} at [{start}, {end})",
                f"{loc}.text",
                "fix the offsets or the text so that text == doc.text[start:end]",
            )
    ents = sorted(
        (
            (e["start"], e["end"], k, e["id"])
            for k, e in enumerate(data["entities"])
            if f"$.entities[{k}]" in in_range
        ),
    )
    prev: tuple[int, int, int, str] | None = None
    for cur in ents:
        if prev is not None and cur[0] < prev[1]:
            add(
                "overlapping-entities",
                f"entity '{cur[3]}' [{cur[0]}, {cur[1]}) overlaps "
                f"'{prev[3]}' [{prev[0]}, {prev[1]})",
                f"$.entities[{max(cur[2], prev[2])}]",
                "entities do not nest or overlap: keep the span the "
                "guidelines prefer and delete the other",
            )
        if prev is None or cur[1] > prev[1]:
            prev = cur


# ---------------------------------------------------------------- paths


def default_paths() -> list[Path]:
    """raw/, the project registry, and every annotation set folder under annotations/."""
    paths = [raw_dir()]
    ann = annotations_dir()
    if present(ann / REGISTRY_NAME):
        paths.append(ann / REGISTRY_NAME)
    if ann.is_dir():
        paths += sorted(p for p in ann.iterdir() if p.is_dir() and annotation_files(p))
    return paths


def validate_paths(
    paths: Sequence[Path] | None = None,
    documents_path: Path | None = None,
    checked: list[str] | None = None,
) -> list[Incident]:
    """Validate raw/ folders, annotation sets, single annotation files and registries.

    `paths` empty or None means `default_paths()`; documents are read only when an annotation
    file is checked (incident `documents-missing` if the file is absent). `checked`, when given,
    receives one line per thing checked ("set annotations/A: 5 annotation files").
    Never raises for bad input.
    """
    seen: list[str] = [] if checked is None else checked
    labels = load_labels()
    paths = [Path(p) for p in paths] if paths else default_paths()
    documents_path = Path(documents_path) if documents_path else cleaned_documents_path()
    incidents: list[Incident] = []
    registries: dict[Path, dict[str, dict] | None] = {}
    docs_state: list[dict[str, dict] | None] = []

    def documents() -> dict[str, dict] | None:
        if not docs_state:
            docs, found = read_documents(documents_path)
            incidents.extend(found)
            missing = any(i.id in _DOCUMENTS_UNUSABLE for i in found)
            docs_state.append(None if missing else docs)
            if not missing:
                seen.append(f"documents {display_path(documents_path)}: {len(docs)} documents")
        return docs_state[0]

    def registry(path: Path | None, where: str) -> dict[str, dict] | None:
        if path is None:
            incidents.append(
                Incident(
                    "registry-missing",
                    f"no entities.json registry for {where}",
                    where,
                    hint="add annotations/entities.json (or one inside the set folder)",
                )
            )
            return None
        key = Path(os.path.abspath(path))
        if key not in registries:
            registries[key], found = read_registry(path, labels)
            incidents.extend(found)
            if registries[key] is not None:
                seen.append(
                    f"registry {display_path(path)}: {len(registries[key])} entries (schema, "
                    "unique ids, types, Wikidata ids)"
                )
        return registries[key]

    for path in paths:
        if not path.exists():
            incidents.append(
                Incident(
                    "path-not-found",
                    f"no such file or folder: {path}",
                    str(path),
                    hint="give raw/, a set folder, an annotation file or a registry",
                )
            )
        elif (path.is_dir() and (path / SOURCES_NAME).is_file()) or path.name == SOURCES_NAME:
            incidents.extend(check_raw(path if path.is_dir() else path.parent, seen))
        elif path.is_dir() and (path.name == "raw" or path.resolve() == raw_dir().resolve()):
            incidents.extend(check_raw(path, seen))
        elif path.is_dir():
            files = annotation_files(path)
            if not files:
                incidents.append(
                    Incident(
                        "empty-set",
                        f"no <doc_id>.json files in {display_path(path)}",
                        display_path(path),
                        level="warning",
                        hint="an annotation set holds one <doc_id>.json per document",
                    )
                )
            reg = registry(registry_path_for(path), display_path(path))
            docs = documents() if files else None
            for f in files:
                incidents.extend(check_annotation(f, docs, reg, labels))
            seen.append(
                f"set {display_path(path)}/: {len(files)} annotation files (schema, labels, ids, "
                + ("registry references, spans)" if docs is not None else "registry references)")
            )
        elif path.name == REGISTRY_NAME:
            registry(path, display_path(path))
        elif path.suffix == ".json":
            reg = registry(registry_path_for(path.parent), display_path(path))
            incidents.extend(check_annotation(path, documents(), reg, labels))
            seen.append(f"annotation file {display_path(path)}")  # same checks as in a set
        else:
            incidents.append(
                Incident(
                    "unknown-path-kind",
                    f"cannot tell what {path} is",
                    str(path),
                    hint="give raw/, a set folder, an annotation file (.json) "
                    "or an entities.json registry",
                )
            )
    return incidents
