"""Loading what the Label Studio round trip needs: cleaned documents (rukp.documents), the
registry, sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rukp.documents import Document, document_from_text
from rukp.errors import RukpError


def documents_from_texts(texts: dict[str, str], language: str = "en") -> dict[str, Document]:
    """Documents from plain texts (tests, fixtures); the title is the first line."""
    return {d: document_from_text(d, t, language) for d, t in texts.items()}


def read_json(path: Path, incident_id: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RukpError.single(incident_id, f"file not found: {path}", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise RukpError.single(
            incident_id,
            f"not valid JSON: {exc.msg}",
            file=str(path),
            location=f"line {exc.lineno} column {exc.colno}",
        ) from None


def registry_ids(path: Path) -> set[str]:
    """Canonical ids of an entity registry (schema/entities.schema.json)."""
    data = read_json(path, "registry-unreadable")
    try:
        return {e["id"] for e in data["entities"]}
    except (KeyError, TypeError):
        raise RukpError.single(
            "registry-unreadable", "registry needs {'entities': [{'id': ...}, ...]}", file=str(path)
        ) from None


def registry_for_set(set_dir: Path, default: Path | None) -> Path | None:
    """The set's own entities.json if it has one, else `default` if it exists."""
    own = Path(set_dir) / "entities.json"
    if own.is_file():
        return own
    return default if default is not None and Path(default).is_file() else None


def load_set(set_dir: Path) -> dict[str, dict[str, Any]]:
    """Annotation files of one set folder keyed by doc_id (entities.json is not a document)."""
    set_dir = Path(set_dir)
    if not set_dir.is_dir():
        raise RukpError.single(
            "set-missing", f"no annotation set folder {set_dir}", file=str(set_dir)
        )
    out = {}
    for p in sorted(set_dir.glob("*.json")):
        if p.name == "entities.json":
            continue
        out[p.stem] = read_json(p, "annotation-unreadable")
    return out
