"""Loading what the Label Studio round trip needs: cleaned documents (rukp.documents), the
registry, sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rukp.documents import Document, document_from_text
from rukp.errors import Incident, RukpError
from rukp.safeio import present, shown
from rukp.safeio import read_json as safe_read_json


def documents_from_texts(texts: dict[str, str], language: str = "en") -> dict[str, Document]:
    """Documents from plain texts (tests, fixtures); the title is the first line."""
    return {d: document_from_text(d, t, language) for d, t in texts.items()}


def read_json(path: Path, kind: str, missing_id: str) -> Any:
    """A JSON file through rukp.safeio; an absent file is the incident `missing_id`."""
    return safe_read_json(path, kind, missing=(missing_id, f"check the path {shown(path)}"))


def registry_ids(path: Path) -> set[str]:
    """Canonical ids of an entity registry (schema/entities.schema.json)."""
    data = read_json(path, "registry", "registry-missing")
    entities = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(entities, list) or not all(
        isinstance(e, dict) and isinstance(e.get("id"), str) for e in entities
    ):
        raise RukpError.single(
            "registry-unreadable",
            "registry needs {'entities': [{'id': ...}, ...]}",
            file=shown(path),
        )
    return {e["id"] for e in entities}


def registry_for_set(set_dir: Path, default: Path | None) -> Path | None:
    """The set's own entities.json if it has one, else `default` if it exists (whatever is at
    the chosen path is read through rukp.safeio, which refuses a FIFO or a folder)."""
    own = Path(set_dir) / "entities.json"
    if present(own):
        return own
    return default if default is not None and present(default) else None


def load_set(set_dir: Path) -> dict[str, dict[str, Any]]:
    """Annotation files of one set folder keyed by doc_id (entities.json is not a document)."""
    set_dir = Path(set_dir)
    if not set_dir.is_dir():
        raise RukpError.single(
            "set-missing", f"no annotation set folder {set_dir}", file=str(set_dir)
        )
    out: dict[str, dict[str, Any]] = {}
    problems = []
    for p in sorted(set_dir.glob("*.json")):
        if p.name == "entities.json" or p.is_dir():
            continue
        try:
            data = read_json(p, "annotation", "annotation-unreadable")
        except RukpError as exc:
            problems.extend(exc.incidents)
            continue
        if not isinstance(data, dict):
            problems.append(
                Incident(
                    "annotation-unreadable", "an annotation file holds one JSON object", shown(p)
                )
            )
            continue
        out[p.stem] = data
    if problems:
        raise RukpError(*problems)
    return out
