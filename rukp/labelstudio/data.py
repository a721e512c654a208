"""Loading what the Label Studio round trip needs: cleaned documents, the registry, sets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.io import sha256_text


@dataclass(slots=True, frozen=True)
class Document:
    doc_id: str
    text: str
    text_sha256: str
    language: str
    title: str | None


def load_documents(path: Path) -> dict[str, Document]:
    """Read build/ingest/documents.jsonl (schema/document.schema.json) keyed by doc_id."""
    path = Path(path)
    if not path.is_file():
        raise RukpError.single(
            "documents-missing",
            f"no cleaned documents at {path}",
            file=str(path),
            hint="run `rukp ingest` first or pass --documents",
        )
    docs: dict[str, Document] = {}
    incidents: list[Incident] = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            loc = f"line {lineno}"
            try:
                row = json.loads(line)
                doc = Document(
                    doc_id=row["doc_id"],
                    text=row["text"],
                    text_sha256=row["text_sha256"],
                    language=row["language"],
                    title=row.get("title"),
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                incidents.append(
                    Incident(
                        id="documents-unreadable",
                        message=f"bad document line: {exc}",
                        file=str(path),
                        location=loc,
                    )
                )
                continue
            if sha256_text(doc.text) != doc.text_sha256:
                incidents.append(
                    Incident(
                        id="text-mismatch",
                        message="text_sha256 does not match the text",
                        file=str(path),
                        location=loc,
                        doc_id=doc.doc_id,
                    )
                )
            if doc.doc_id in docs:
                incidents.append(
                    Incident(
                        id="duplicate-document",
                        message="doc_id appears twice",
                        file=str(path),
                        location=loc,
                        doc_id=doc.doc_id,
                    )
                )
            docs[doc.doc_id] = doc
    if incidents:
        raise RukpError(*incidents)
    return docs


def documents_from_texts(texts: dict[str, str], language: str = "en") -> dict[str, Document]:
    """Documents from plain texts (tests, fixtures); the title is the first line."""
    return {
        d: Document(d, t, sha256_text(t), language, t.split("\n", 1)[0] or None)
        for d, t in texts.items()
    }


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
