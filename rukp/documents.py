"""Cleaned documents as the ingest writes them (build/ingest/documents.jsonl), for the stages
that read them (Label Studio round trip, build). The validator reads the same file with its own
reader, which reports every problem as an incident instead of raising.

Also the one notion of the documents still to annotate (`documents_to_annotate`: no annotation in
the gold set yet), shared by `rukp preannotate` and `rukp ls push/tasks`. It lives here, with the
shared modules, because two stages use it: neither has to import the other for it."""

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


# ----------------------------------------------------------------- documents still to annotate

SKIPPED_SHOWN = 3  # skipped doc_ids named in a summary; the rest are counted


def gold_doc_ids(gold_dir: Path) -> set[str]:
    """The doc_ids that have an annotation in the gold set: the stems of its `<doc_id>.json`
    files (entities.json, the set's registry, excluded); none when the folder does not exist."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        return set()
    return {p.stem for p in gold_dir.glob("*.json") if p.name != "entities.json" and p.is_file()}


def _display(path: Path) -> str:
    """A path as the user typed it: relative to the working folder when it lies inside."""
    path = Path(path)
    try:
        return shown(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return shown(path)


def _some(ids: list[str]) -> str:
    more = len(ids) - SKIPPED_SHOWN
    return ", ".join(ids[:SKIPPED_SHOWN]) + (f" and {more} more" if more > 0 else "")


@dataclass(slots=True)
class Selection:
    """The documents a command works on, and those it left out because they have gold."""

    documents: dict[str, Document]  # selected, keyed by doc_id
    skipped: list[str]  # doc_ids left out because they have gold (sorted)
    in_gold: list[str]  # doc_ids of the input with gold, selected or not (sorted)
    total: int  # documents in the input
    source: str  # where the documents come from, as shown
    gold: str  # the gold set folder, as shown
    gold_found: bool  # the gold set folder exists
    include_gold: bool

    def summary(self) -> str:
        """One line: how many documents were selected, how many skipped and which."""
        head = f"documents: {len(self.documents)} of {self.total} in {self.source} selected"
        if not self.gold_found:
            return f"{head} (no gold set at {self.gold}: every document is still to annotate)"
        if self.include_gold:
            return (
                f"{head}, {len(self.in_gold)} of them already in the gold set {self.gold} "
                "(--include-gold)"
            )
        if not self.skipped:
            return f"{head} (none is in the gold set {self.gold})"
        return (
            f"{head} (still to annotate); {len(self.skipped)} skipped, already in the gold set "
            f"{self.gold}: {_some(self.skipped)} (--include-gold takes them too)"
        )


def documents_to_annotate(
    documents: dict[str, Document],
    gold_dir: Path,
    *,
    include_gold: bool = False,
    source: Path | str = "the documents",
    gold_required: bool = False,
) -> Selection:
    """The documents still to annotate: those whose doc_id has no annotation in the gold set
    `gold_dir` (all of them with `include_gold`, or when there is no gold set yet).

    Pre-annotation and the Label Studio push work on this selection, so documents adjudicated
    into the gold are not sent to the annotators again. Raises `no-documents` when the input is
    empty, `no-new-documents` when every document has gold (an empty selection is never an empty
    project), `gold-missing` when `gold_required` and `gold_dir` is not a folder.
    """
    gold_path = Path(gold_dir)
    shown_source = source if isinstance(source, str) else _display(source)
    shown_gold = _display(gold_path)
    if gold_required and not gold_path.is_dir():
        raise RukpError.single(
            "gold-missing",
            "no gold set folder here",
            file=shown_gold,
            hint="give the folder of the adjudicated gold (annotations/gold), or leave --gold out",
        )
    if not documents:
        raise RukpError.single(
            "no-documents",
            "the documents file holds no document: nothing to annotate",
            file=shown_source,
            hint="add pages with `rukp add`, then run `rukp ingest`",
        )
    in_gold = sorted(gold_doc_ids(gold_path) & set(documents))
    skipped = [] if include_gold else in_gold
    left_out = set(skipped)
    selected = {d: doc for d, doc in documents.items() if d not in left_out}
    if not selected:
        raise RukpError.single(
            "no-new-documents",
            f"all {len(documents)} document(s) already have gold in {shown_gold} "
            f"({_some(skipped)}): none is left to annotate",
            file=shown_source,
            hint="add and ingest new pages first (`rukp add`, `rukp ingest`); to work on "
            "annotated documents anyway (e.g. to review the gold), pass --include-gold",
        )
    return Selection(
        documents=selected,
        skipped=skipped,
        in_gold=in_gold,
        total=len(documents),
        source=shown_source,
        gold=shown_gold,
        gold_found=gold_path.is_dir(),
        include_gold=include_gold,
    )
