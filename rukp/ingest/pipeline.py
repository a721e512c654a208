"""The ingest run: raw folder → documents.jsonl, dropped.jsonl, report.json.

Files are processed one at a time in doc_id order and written out at once; the near-duplicate
index (MinHash LSH band keys) lives in a temporary SQLite file, so memory does not grow with the
number of pages (only the sorted list of file names and the documents that have a near
duplicate are held). Documents are first streamed to a temporary file and rewritten with
their near-duplicate cluster once every page has been seen.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from tqdm import tqdm

from rukp.errors import Incident, RukpError
from rukp.ingest import templates as T
from rukp.ingest.clean import Cleaned, clean_pages
from rukp.ingest.decode import DEFAULT_MAX_BYTES, decode, read_raw
from rukp.ingest.dedup import NearDuplicates
from rukp.ingest.metadata import outlet_of
from rukp.ingest.page import read_page
from rukp.io import atomic_open, sha256_bytes, sha256_text, write_json
from rukp.safeio import NAME_RULE, is_safe_name, present, read_csv, shown

CLEANER_VERSION = "2.0.0"  # bump whenever a change alters any cleaned text or field
SKIPPED_NAMES = {"sources.csv"}
PAGE_SUFFIXES = (".txt", ".html", ".htm")


def _dumps(obj: dict) -> str:
    """Compact JSON, non-ASCII kept: orjson writes the same bytes as json.dumps(obj,
    ensure_ascii=False, separators=(",", ":")) for these records, about five times faster."""
    return orjson.dumps(obj).decode("utf-8")


@dataclass(slots=True)
class IngestResult:
    documents: int = 0
    rejected: list[Incident] = field(default_factory=list)
    no_article: list[Incident] = field(default_factory=list)
    report: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.no_article


def raw_files(raw_dir: Path) -> list[str]:
    """Names of the entries of raw/ except folders, sources.csv, README files and hidden files,
    in doc_id order. An entry that is not a regular file (a FIFO, a socket, a broken link) is
    listed too, so that reading it rejects it with a reason instead of skipping it silently.
    Names, not Path objects: at 100,000 pages the list takes 7 MB instead of 29."""
    if not raw_dir.is_dir():
        raise RukpError.single(
            "raw-dir-missing",
            f"raw folder not found: {raw_dir}",
            hint="pass the folder holding the raw pages with --raw",
        )
    with os.scandir(raw_dir) as entries:  # is_dir() needs no stat call for plain files
        names = [
            e.name for e in entries
            if not e.name.startswith(".") and e.name not in SKIPPED_NAMES
            and not e.name.lower().startswith("readme") and not _is_dir(e)
        ]  # fmt: skip
    names.sort()  # sorted by name first, so that the sort by (stem, name) moves little
    names.sort(key=stem)
    return names


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A folder (followed through links); a link that cannot be followed is no folder: it is
    listed, and reading it rejects it with its reason."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def stem(name: str) -> str:
    """What pathlib's `PurePath(name).stem` gives, without making a path object."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _record(
    path: Path, raw: bytes, cleaned: Cleaned, warnings: list[str]
) -> tuple[dict, Incident | None]:
    """The document record of one cleaned page (cluster filled in later), and an incident when
    no article is left."""
    doc_id = path.stem
    record = {
        "doc_id": doc_id,
        "raw_sha256": sha256_bytes(raw),
        "text": cleaned.text,
        "text_sha256": sha256_text(cleaned.text),
        "title": cleaned.title,
        "language": cleaned.language,
        "paragraphs": [
            {"start": s, "end": e, "language": lang} for s, e, lang in cleaned.paragraphs
        ],
        "published": cleaned.published,
        "url": cleaned.url,
        "outlet": outlet_of(cleaned.url),
        "cleaner_version": CLEANER_VERSION,
        "near_duplicate_cluster": None,
        "warnings": warnings,
    }
    problem: Incident | None = None
    hint = "check dropped.jsonl for this doc_id: a page that holds no article (an index, tag or "
    hint += "error page) belongs out of raw/; an article cut away is a cleaner error to report"
    if not cleaned.is_article:
        message = f"not an article: {cleaned.not_article_reason}"
        problem = Incident("not-an-article", message, str(path), doc_id=doc_id, hint=hint)
    elif cleaned.language is None:
        message = "the language of the text could not be identified"
        problem = Incident("unknown-language", message, str(path), doc_id=doc_id, hint=hint)
    return record, problem


BATCH_PAGES = 64  # pages cleaned together (fastText runs once per batch; its model stays in cache)


def _batches(
    pages: Iterator[tuple[Path, bytes, str, list[str]]],
) -> Iterator[list[tuple[Path, bytes, str, list[str]]]]:
    batch: list[tuple[Path, bytes, str, list[str]]] = []
    for page in pages:
        batch.append(page)
        if len(batch) >= BATCH_PAGES:
            yield batch
            batch = []
    if batch:
        yield batch


def _iter_pages(
    raw_dir: Path,
    names: list[str],
    max_bytes: int,
    result: IngestResult,
    warnings: dict[str, list[str]],
) -> Iterator[tuple[Path, bytes, str, list[str]]]:
    previous: str | None = None
    for name in names:
        path = raw_dir / name
        doc_id = path.stem
        try:
            if not is_safe_name(doc_id):  # the doc_id becomes <doc_id>.json in annotation sets
                raise RukpError.single(
                    "bad-doc-id",
                    f"file stem {doc_id!r} is not a valid doc_id; allowed: {NAME_RULE}",
                    file=shown(path),
                    hint="rename the raw file",
                )
            if doc_id == previous:
                raise RukpError.single(
                    "duplicate-doc-id",
                    f"another raw file already has the stem {doc_id!r}",
                    file=str(path),
                    doc_id=doc_id,
                    hint="doc_id is the file stem; rename one file",
                )
            raw = read_raw(path, max_bytes)
            decoded = decode(path, raw)
        except RukpError as exc:
            result.rejected.extend(exc.incidents)
            continue
        except OSError as exc:
            result.rejected.append(
                Incident(
                    "unreadable-file", f"cannot read the file: {exc}", file=str(path), doc_id=doc_id
                )
            )
            continue
        previous = doc_id
        if decoded.warnings:
            warnings[path.name] = decoded.warnings
        yield path, raw, decoded.text, decoded.warnings


def _group(name: str, text: str, outlets: dict[str, str]) -> str:
    """The outlet group of a page for site templates (rukp.ingest.templates)."""
    outlet = outlets.get(name)
    if outlet:
        return outlet
    for line in text.split("\n"):
        if "http" in line and len(line) <= 300:
            match = _SOURCE_URL.search(line)
            if match:
                return outlet_of(match.group(1)) or T.UNKNOWN
    return T.UNKNOWN


_SOURCE_URL = re.compile(
    r"(?:source|sources|fonte|quelle|fuente|источник|джерело|출처|来源|المصدر|kaynak|nguồn|źródło|"
    r"bron|permalink|lien permanent|enlace permanente|link permanente|постоянная ссылка)"
    r"\s*[:：]\s*(https?://\S+)",
    re.IGNORECASE,
)


def read_outlets(raw_dir: Path) -> dict[str, str]:
    """{file name: outlet} from raw/sources.csv where the outlet is stated (else empty)."""
    path = raw_dir / "sources.csv"
    if not present(path):
        return {}
    try:
        rows = read_csv(path)[1]
    except RukpError:  # only a hint for grouping pages: `rukp validate raw` reports the table
        return {}
    return {
        r["file"]: r["outlet"]
        for _, r in rows
        if isinstance(r.get("file"), str)
        and r["file"]
        and isinstance(r.get("outlet"), str)
        and r["outlet"]
    }


def _learn_templates(
    raw_dir: Path, names: list[str], max_bytes: int, outlets: dict[str, str]
) -> tuple[dict[int, int], dict[str, int], dict[str, str]]:
    """First pass: (line counts, pages per group, group per text page)."""
    groups: dict[str, str] = {}
    pages: dict[str, int] = {}

    def texts() -> Iterator[tuple[str, str]]:
        for name in names:
            if name.lower().endswith((".html", ".htm")):
                continue
            try:
                text = decode(raw_dir / name, read_raw(raw_dir / name, max_bytes)).text
            except (RukpError, OSError):
                continue
            group = _group(name, text, outlets)
            groups[name] = group
            pages[group] = pages.get(group, 0) + 1
            yield group, text

    return T.count_templates(texts()), pages, groups


def ingest(
    raw_dir: Path,
    out_dir: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = False,
    templates: bool = True,
) -> IngestResult:
    """Run the ingest; outputs are written for every good page even when others are rejected.

    With `templates`, a first pass learns each outlet's repeated lines (rukp.ingest.templates)."""
    files = raw_files(raw_dir)
    result = IngestResult()
    warnings: dict[str, list[str]] = {}
    drops_by_reason: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    outlets = read_outlets(raw_dir)
    counts, group_pages, groups = (
        _learn_templates(raw_dir, files, max_bytes, outlets) if templates else ({}, {}, {})
    )
    template_lines = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    near = NearDuplicates(out_dir)
    fd, tmp_name = tempfile.mkstemp(prefix=".documents.", suffix=".tmp", dir=out_dir)
    tmp = Path(tmp_name)
    # The pending records are written and read back through the one descriptor of the
    # temporary file this run created (no path is opened again).
    pending = os.fdopen(fd, "w+", encoding="utf-8", newline="\n")
    try:
        with atomic_open(out_dir / "dropped.jsonl") as dropped:
            pages = _iter_pages(raw_dir, files, max_bytes, result, warnings)
            bar = tqdm(total=len(files), unit="page", disable=not progress)
            for batch in _batches(pages):
                cleaned_pages = []
                page_templates = []
                for path, _, text, _ in batch:
                    page = read_page(path.name, text)
                    formats[page.format] += 1
                    group = groups.get(path.name)
                    known: frozenset[str] = frozenset()
                    if counts and group is not None:
                        known = T.template_keys(
                            group, T.page_keys(text), counts, group_pages.get(group, 0)
                        )
                        template_lines += len(known)
                    cleaned_pages.append(page)
                    page_templates.append(known)
                kept: list[tuple[str, str]] = []
                for (path, raw, _, file_warnings), page, cleaned in zip(
                    batch, cleaned_pages, clean_pages(cleaned_pages, page_templates), strict=True
                ):
                    doc_id = path.stem
                    record, problem = _record(path, raw, cleaned, file_warnings)
                    record["format"] = page.format
                    for drop in cleaned.drops:
                        drops_by_reason[drop.reason] += 1
                        row = {"doc_id": doc_id, "line": drop.line, "reason": drop.reason}
                        row["text"] = drop.text
                        dropped.write(_dumps(row) + "\n")
                    if problem is not None:
                        result.no_article.append(problem)
                        continue
                    kept.append((doc_id, record["text"]))
                    languages[record["language"]] += 1
                    pending.write(_dumps(record) + "\n")
                    result.documents += 1
                near.add_many(kept)
                bar.update(len(batch))
            bar.close()
        pending.seek(0)
        with atomic_open(out_dir / "documents.jsonl") as out:
            for number, line in enumerate(pending):
                out.write(_with_cluster(line, lambda doc_id, n=number: near.cluster(n, doc_id)))
        clusters = near.clusters()
    finally:
        pending.close()
        near.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    result.report = {
        "cleaner_version": CLEANER_VERSION,
        "counts": {
            "files": len(files),
            "documents": result.documents,
            "rejected": len(result.rejected),
            "no_article": len(result.no_article),
            "lines_dropped": sum(drops_by_reason.values()),
            "template_lines": template_lines,
        },
        "formats": dict(sorted(formats.items())),
        "drops_per_reason": dict(sorted(drops_by_reason.items())),
        "languages": dict(sorted(languages.items())),
        "warnings": dict(sorted(warnings.items())),
        "rejected": [_incident(i) for i in result.rejected],
        "no_article": [_incident(i) for i in result.no_article],
        "near_duplicate_clusters": clusters,
    }
    write_json(out_dir / "report.json", result.report)
    return result


_PENDING_HEAD = '{"doc_id":"'
_PENDING_CLUSTER = ',"near_duplicate_cluster":null,'


def _with_cluster(line: str, cluster_of: Callable[[str], str]) -> str:
    """A pending record line (JSON, cluster null) with its cluster filled in, without parsing
    the JSON again: a doc_id has no characters JSON escapes, and the key with its unescaped
    quotes cannot occur inside a JSON string value."""
    if not line.startswith(_PENDING_HEAD):
        raise AssertionError(f"unexpected pending record: {line[:40]!r}")
    doc_id = line[len(_PENDING_HEAD) : line.index('"', len(_PENDING_HEAD))]
    at = line.rindex(_PENDING_CLUSTER)
    cluster = json.dumps(cluster_of(doc_id), ensure_ascii=False)
    head = line[:at] + ',"near_duplicate_cluster":' + cluster + ","
    return head + line[at + len(_PENDING_CLUSTER) :]


def _incident(incident: Incident) -> dict:
    return {
        "id": incident.id,
        "file": Path(incident.file).name if incident.file else None,
        "doc_id": incident.doc_id,
        "message": incident.message,
        "hint": incident.hint,
    }


def clean_files(
    folder: Path,
    names: list[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[list[dict], list[Incident]]:
    """Document records (cluster not filled in) of some files of `folder`, read and cleaned
    exactly as `ingest` does (without site templates, which need the whole crawl), and the
    incidents of the files it would reject or find without an article. Used by `rukp add`
    before a page enters raw/."""
    result = IngestResult()
    records: list[dict] = []
    pages = _iter_pages(Path(folder), sorted(names, key=stem), max_bytes, result, {})
    for batch in _batches(pages):
        parsed = [read_page(path.name, text) for path, _, text, _ in batch]
        for (path, raw, _, warnings), page, cleaned in zip(
            batch, parsed, clean_pages(parsed), strict=True
        ):
            record, problem = _record(path, raw, cleaned, warnings)
            record["format"] = page.format
            if problem is None:
                records.append(record)
            else:
                result.no_article.append(problem)
    return records, [*result.rejected, *result.no_article]
