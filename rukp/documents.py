"""Cleaned documents as the ingest writes them (build/ingest/documents.jsonl), for the stages
that read them (Label Studio round trip, build). The validator reads the same file with its own
reader, which reports every problem as an incident instead of raising."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rukp.errors import Incident, RukpError
from rukp.io import read_jsonl, sha256_text


@dataclass(slots=True)
class Document:
    doc_id: str
    text: str
    text_sha256: str
    title: str | None
    language: str
    published: str | None
    url: str | None
    outlet: str | None
    near_duplicate_cluster: str


def document_from_text(doc_id: str, text: str, language: str = "en") -> Document:
    """A document from a plain text (tests, fixtures): the title is the first line."""
    title = text.split("\n", 1)[0] or None
    return Document(doc_id, text, sha256_text(text), title, language, None, None, None, doc_id)


def load_documents(path: Path) -> dict[str, Document]:
    """Cleaned documents keyed by doc_id; raises RukpError naming every bad line."""
    path = Path(path)
    if not path.is_file():
        raise RukpError.single(
            "documents-missing",
            f"no cleaned documents at {path}",
            file=str(path),
            hint="run `rukp ingest` first, or pass --documents FILE",
        )
    docs: dict[str, Document] = {}
    problems: list[Incident] = []
    try:
        rows = list(read_jsonl(path))
    except json.JSONDecodeError as exc:
        raise RukpError.single(
            "invalid-json", f"not JSON Lines: {exc}", file=str(path), location=f"line {exc.lineno}"
        ) from exc
    for lineno, row in rows:
        try:
            doc = Document(
                doc_id=row["doc_id"],
                text=row["text"],
                text_sha256=row.get("text_sha256") or sha256_text(row["text"]),
                title=row.get("title"),
                language=row["language"],
                published=row.get("published"),
                url=row.get("url"),
                outlet=row.get("outlet"),
                near_duplicate_cluster=row.get("near_duplicate_cluster") or row["doc_id"],
            )
        except (KeyError, TypeError) as exc:
            problems.append(
                Incident(
                    "document-field-missing",
                    f"document lacks field {exc}",
                    file=str(path),
                    location=f"line {lineno}",
                    hint="documents must follow schema/document.schema.json",
                )
            )
            continue
        if sha256_text(doc.text) != doc.text_sha256:
            problems.append(
                Incident(
                    "document-sha-mismatch",
                    "text_sha256 is not the sha256 of text",
                    file=str(path),
                    location=f"line {lineno}",
                    doc_id=doc.doc_id,
                    hint="re-run `rukp ingest`; never edit documents.jsonl by hand",
                )
            )
        if doc.doc_id in docs:
            problems.append(
                Incident(
                    "duplicate-doc-id",
                    f"doc_id {doc.doc_id!r} appears twice",
                    file=str(path),
                    location=f"line {lineno}",
                    doc_id=doc.doc_id,
                )
            )
        docs[doc.doc_id] = doc
    if problems:
        raise RukpError(*problems)
    return docs
