"""Cleaned documents as the ingest writes them (build/ingest/documents.jsonl), for the stages
that read them (Label Studio round trip, build). The validator reads the same file with its own
reader, which reports every problem as an incident instead of raising."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rukp.errors import Incident, RukpError
from rukp.io import sha256_text
from rukp.safeio import check_name, read_jsonl, shown

_REQUIRED = ("doc_id", "text", "language")
_OPTIONAL = (
    "text_sha256", "title", "published", "url", "outlet", "near_duplicate_cluster",
)  # fmt: skip


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
    rows = read_jsonl(
        path,
        "documents",
        missing=("documents-missing", "run `rukp ingest` first, or pass --documents FILE"),
    )
    docs: dict[str, Document] = {}
    problems: list[Incident] = []
    for lineno, row in rows:
        where = {"file": shown(path), "location": f"line {lineno}"}
        missing = [
            k for k in _REQUIRED if not (isinstance(row, dict) and isinstance(row.get(k), str))
        ]
        wrong = [
            k
            for k in _OPTIONAL
            if isinstance(row, dict) and row.get(k) is not None and not isinstance(row[k], str)
        ]
        if missing or wrong:
            problems.append(
                Incident(
                    "document-field-missing",
                    "document lacks string field(s) " + ", ".join(missing)
                    if missing
                    else "document field(s) not strings: " + ", ".join(wrong),
                    **where,
                    hint="documents must follow schema/document.schema.json",
                )
            )
            continue
        try:
            check_name(row["doc_id"], "doc_id", hint="doc_id is the raw file stem; rename it")
        except RukpError as exc:
            problems.append(replace(exc.incidents[0], **where))
            continue
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
        if sha256_text(doc.text) != doc.text_sha256:
            problems.append(
                Incident(
                    "document-sha-mismatch",
                    "text_sha256 is not the sha256 of text",
                    **where,
                    doc_id=doc.doc_id,
                    hint="re-run `rukp ingest`; never edit documents.jsonl by hand",
                )
            )
        if doc.doc_id in docs:
            problems.append(
                Incident(
                    "duplicate-doc-id",
                    f"doc_id {doc.doc_id!r} appears twice",
                    **where,
                    doc_id=doc.doc_id,
                )
            )
        docs[doc.doc_id] = doc
    if problems:
        raise RukpError(*problems)
    return docs
