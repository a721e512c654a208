"""`rukp add`: new pages into raw/, byte for byte, with their provenance rows.

Everything is checked before anything is written: each page must be a `.txt` or `.html` file
the ingest can read and clean to an article, and not already in raw/ (same sha256). Then the
pages, their rows in raw/sources.csv and (with --story) their rows in splits/stories.csv are
written together: page copies and new tables are first written beside their targets and renamed
into place only when all of them are ready; a failure undoes what was renamed. A lock on raw/
keeps two `rukp add` runs apart.

Naming: `NNN_<first 16 hex digits of the page's sha256><extension>`, NNN the next free number
after the largest numeric prefix of raw/ and sources.csv (3 digits, more past 999). The file
stem is the doc_id (a safe name: rukp.safeio.is_safe_name).

Near-duplicates of existing documents are reported, not refused: a page sharing a MinHash LSH
band with an existing document (rukp.ingest.dedup, the ingest's own test for its near-duplicate
clusters) will be in that document's cluster, hence its split.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from rukp.errors import Incident, RukpError
from rukp.ingest.decode import DEFAULT_MAX_BYTES, read_raw
from rukp.ingest.dedup import NUM_PERM, band_keys, signature_values
from rukp.ingest.metadata import outlet_of
from rukp.ingest.pipeline import CLEANER_VERSION, clean_files, raw_files
from rukp.io import sha256_bytes
from rukp.provenance import (
    FORMATS,
    METHOD_ABSENT,
    METHOD_GIVEN,
    METHOD_OUTLET_FROM_URL,
    REQUIRED,
    SOURCES_NAME,
    csv_rows,
    iso639_1_codes,
    method_detected,
    method_found,
    page_format,
    read_sources,
    valid_date,
    valid_story,
)
from rukp.safeio import (
    decode_utf8,
    parse_csv,
    present,
    read_bytes,
    read_csv,
    read_jsonl,
    sha256_file,
    shown,
)

STORIES_NAME = "stories.csv"
STORY_COLUMNS = ("doc_id", "story", "reason")
_NUMBER = re.compile(r"^(\d+)_")


@dataclass(slots=True)
class PageInfo:
    """What the user knows about the pages of one `rukp add` call (applies to every page)."""

    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    licence: str | None = None
    language: str | None = None
    story: str | None = None


@dataclass(slots=True)
class Added:
    source: Path  # the page as given
    name: str  # its file name in raw/
    sha256: str
    row: dict[str, str]
    title: str | None
    near_duplicates: list[tuple[str, float]] = field(default_factory=list)  # (doc_id, Jaccard)
    split_note: str = ""

    @property
    def doc_id(self) -> str:
        return self.row["id"]


@dataclass(slots=True)
class AddResult:
    added: list[Added]
    warnings: list[Incident]
    checked_against: int  # existing documents compared for near-duplicates
    cleaned_for_check: int  # of which were cleaned now (not in documents.jsonl)
    written: bool


def _bad(id_: str, message: str, hint: str, file: str | None = None) -> Incident:
    return Incident(id_, message, file=file, hint=hint)


def check_info(info: PageInfo, n_pages: int) -> list[Incident]:
    """The values given on the command line."""
    out: list[Incident] = []
    if info.url is not None:
        parts = urlsplit(info.url)
        if n_pages > 1:
            out.append(
                _bad("add-url-for-many", f"--url given for {n_pages} pages", "add one page per URL")
            )
        if parts.scheme not in ("http", "https") or not parts.netloc:
            out.append(
                _bad("bad-url", f"--url {info.url!r} is not an http(s) URL", "give the page's URL")
            )
    if info.published is not None and not valid_date(info.published):
        out.append(
            _bad(
                "bad-date",
                f"--published {info.published!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                "give the publication date as written in ISO 8601, e.g. 2024-10-21",
            )
        )
    if info.language is not None and info.language not in iso639_1_codes():
        out.append(
            _bad(
                "bad-language",
                f"--language {info.language!r} is not an ISO 639-1 code",
                "give two lower-case letters such as de, ko, or leave it out: the ingest "
                "detects the language",
            )
        )
    if info.story is not None and not valid_story(info.story):
        out.append(
            _bad(
                "bad-story",
                f"--story {info.story!r}: use letters, digits, '.', '_' and '-'",
                "e.g. 2024-10-troop-deployment (see splits/stories.csv)",
            )
        )
    for name, value in (("--outlet", info.outlet), ("--licence", info.licence)):
        if value is not None and (not value.strip() or any(c in value for c in "\r\n")):
            out.append(_bad("bad-option", f"{name} must be one non-empty line", "fix the value"))
    return out


@contextlib.contextmanager
def raw_lock(raw_dir: Path) -> Iterator[None]:
    """An exclusive lock on the raw/ folder itself (no lock file is left behind)."""
    fd = os.open(raw_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RukpError.single(
                "raw-busy",
                f"another `rukp add` is writing into {raw_dir}",
                file=str(raw_dir),
                hint="wait until it has finished, then run this one again",
            ) from None
        yield
    finally:
        os.close(fd)


def next_number(names: list[str], ids: set[str]) -> int:
    """One more than the largest numeric prefix (`NNN_`) of the raw files and table ids."""
    numbers = [int(m[1]) for n in [*names, *ids] if (m := _NUMBER.match(n))]
    return max(numbers, default=-1) + 1


def raw_name(number: int, sha256: str, suffix: str) -> str:
    return f"{number:03d}_{sha256[:16]}{suffix.lower()}"


def _read_pages(
    pages: list[Path], max_bytes: int, existing: dict[str, str]
) -> tuple[list[tuple[Path, bytes, str]], list[Incident]]:
    """(page, bytes, sha256) of every page, or the reasons to refuse them."""
    out: list[tuple[Path, bytes, str]] = []
    problems: list[Incident] = []
    seen: dict[str, Path] = {}
    for page in pages:
        file = str(page)
        if not present(page):
            problems.append(_bad("page-not-found", "no such file", "check the path", file))
            continue
        if page_format(page.name) is None:
            allowed = ", ".join(FORMATS)
            problems.append(
                _bad(
                    "unsupported-page-format",
                    f"extension {page.suffix or '(none)'!r}; allowed: {allowed}",
                    "save the page as text (.txt) or HTML (.html)",
                    file,
                )
            )
            continue
        try:  # the ingest's own reading: a regular file within the bound, not empty
            data = read_raw(
                page, max_bytes, missing=("page-not-found", "check the path"), doc_id=None
            )
        except RukpError as exc:
            problems.extend(exc.incidents)
            continue
        sha = sha256_bytes(data)
        if sha in existing:
            problems.append(
                _bad(
                    "page-already-present",
                    f"the same bytes (sha256 {sha[:16]}…) are already in raw/ as {existing[sha]}",
                    "nothing to add: raw files are never duplicated",
                    file,
                )
            )
            continue
        if sha in seen:
            problems.append(
                _bad(
                    "page-given-twice",
                    f"the same bytes as {seen[sha]} (sha256 {sha[:16]}…)",
                    "give each page once",
                    file,
                )
            )
            continue
        seen[sha] = page
        out.append((page, data, sha))
    return out, problems


def _existing_hashes(raw_dir: Path, sources_rows: list[dict[str, str]]) -> dict[str, str]:
    """sha256 → file name of what raw/ holds (the table's hashes; files without a row hashed)."""
    names = set(raw_files(raw_dir))
    out: dict[str, str] = {}
    listed = set()
    for row in sources_rows:
        name = (row.get("file") or "").strip()
        if name in names:
            listed.add(name)
            out.setdefault((row.get("sha256") or "").strip().lower(), name)
    for name in sorted(names - listed):
        out.setdefault(sha256_file(raw_dir / name, "raw-page"), name)
    return out


def _existing_texts(
    raw_dir: Path, documents: Path | None, max_bytes: int, hashes: dict[str, str]
) -> tuple[Iterator[tuple[str, str]], int]:
    """(doc_id, cleaned text) of raw/'s pages — from documents.jsonl when it holds the page with
    the same raw bytes (`hashes`: sha256 → file name), else cleaned now — and how many had to be
    cleaned now."""
    sha_of = {Path(name).stem: sha for sha, name in hashes.items()}
    use_documents = documents is not None and present(documents)
    known: dict[str, str] = {}  # doc_id -> raw sha256 recorded in documents.jsonl
    if use_documents:
        assert documents is not None
        known = {d: raw for d, raw, _ in _document_rows(Path(documents))}
    stems = {Path(n).stem: n for n in raw_files(raw_dir)}
    fresh = [n for d, n in stems.items() if known.get(d) != sha_of.get(d)]

    def texts() -> Iterator[tuple[str, str]]:
        if use_documents:
            assert documents is not None
            stale = {Path(n).stem for n in fresh}
            for doc_id, _, text in _document_rows(Path(documents)):
                if doc_id in stems and doc_id not in stale:
                    yield doc_id, text
        if fresh:
            records, _ = clean_files(raw_dir, fresh, max_bytes)
            for rec in records:
                yield rec["doc_id"], rec["text"]

    return texts(), len(fresh)


def _document_rows(path: Path) -> list[tuple[str, str, str]]:
    """(doc_id, raw sha256 or "", text) of each line of a documents.jsonl (read through
    rukp.safeio); a line without a string doc_id and text is `document-field-missing`."""
    out: list[tuple[str, str, str]] = []
    problems: list[Incident] = []
    for lineno, rec in read_jsonl(path, "documents"):
        if not (
            isinstance(rec, dict)
            and isinstance(rec.get("doc_id"), str)
            and isinstance(rec.get("text"), str)
        ):
            problems.append(
                Incident(
                    "document-field-missing",
                    "a document is an object with string fields doc_id and text",
                    file=shown(path),
                    location=f"line {lineno}",
                    hint="documents must follow schema/document.schema.json (`rukp ingest` "
                    "writes them)",
                )
            )
            continue
        raw = rec.get("raw_sha256")
        out.append((rec["doc_id"], raw if isinstance(raw, str) else "", rec["text"]))
    if problems:
        raise RukpError(*problems)
    return out


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """MinHash estimate of the Jaccard similarity (datasketch's MinHash.jaccard)."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def near_duplicates(
    new: list[tuple[str, str]], existing: Iterator[tuple[str, str]]
) -> tuple[dict[str, list[tuple[str, float]]], int]:
    """For each new (doc_id, text): the documents sharing an LSH band key with it (existing
    ones, and new ones given before it), with the estimated Jaccard; and how many existing
    documents were compared."""
    sigs = {d: signature_values(t) for d, t in new}
    keys = {d: set(band_keys(sigs[d])) for d in sigs}
    wanted = set().union(*keys.values()) if keys else set()
    found: dict[str, list[tuple[str, float]]] = {d: [] for d in sigs}
    n = 0
    for doc_id, text in existing:
        n += 1
        values = signature_values(text)
        mine = set(band_keys(values))
        if not mine & wanted:
            continue
        for d in sigs:
            if mine & keys[d]:
                found[d].append((doc_id, _jaccard(sigs[d], values)))
    order = list(sigs)
    for i, d in enumerate(order):
        for other in order[:i]:
            if keys[d] & keys[other]:
                found[d].append((other, _jaccard(sigs[d], sigs[other])))
    return found, n


def _read_simple_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a splits table (through rukp.safeio); none when the table is absent."""
    if not present(path):
        return []
    return [row for _, row in read_csv(path)[1]]


def split_note(story: str | None, splits_dir: Path | None) -> str:
    """Where the document's split will come from (the build decides; see docs/build.md)."""
    if splits_dir is None:
        return ""
    if story is None:
        return (
            "no story: the build places it by the hash rule on its cluster (its near-duplicate "
            "cluster, else itself)"
        )
    released = {
        r.get("cluster"): r.get("split") for r in _read_simple_csv(splits_dir / "manifest.csv")
    }
    if story in released:
        return f"joins story {story}, whose documents are in {released[story]}"
    known = {r.get("story") for r in _read_simple_csv(splits_dir / STORIES_NAME)}
    if story in known:
        return f"joins story {story} (no document of it has a split yet: the hash rule decides)"
    return f"new story {story}: the build places it by the hash rule on the story id"


def _row(
    header: list[str], doc_id: str, name: str, sha: str, info: PageInfo, record: dict
) -> dict[str, str]:
    def known(given: str | None, found: str | None, how_found: str) -> tuple[str, str]:
        if given is not None:
            return given, METHOD_GIVEN
        if found:
            return found, how_found
        return "", METHOD_ABSENT

    language = known(info.language, record.get("language"), method_detected(CLEANER_VERSION))
    published = known(info.published, record.get("published"), method_found(CLEANER_VERSION))
    url = known(info.url, record.get("url"), method_found(CLEANER_VERSION))
    outlet = known(info.outlet, outlet_of(url[0] or None), METHOD_OUTLET_FROM_URL)
    values = {
        "id": doc_id,
        "file": name,
        "format": page_format(name) or "",
        "sha256": sha,
        "language": language[0],
        "language_method": language[1],
        "published": published[0],
        "published_method": published[1],
        "outlet": outlet[0],
        "outlet_method": outlet[1],
        "url": url[0],
        "url_method": url[1],
        "licence_note": info.licence or "",
    }
    return {k: values.get(k, "") for k in header}


def _append(data: bytes, text: str) -> bytes:
    if data and not data.endswith(b"\n"):
        data += b"\n"
    return data + text.encode("utf-8")


def add_pages(
    pages: list[Path],
    info: PageInfo,
    raw_dir: Path,
    *,
    splits_dir: Path | None = None,
    documents: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    dry_run: bool = False,
) -> AddResult:
    """Check the pages, then copy them into `raw_dir` with their sources.csv rows (and
    splits/stories.csv rows with `info.story`), all or nothing. Raises RukpError listing every
    reason to refuse."""
    raw_dir = Path(raw_dir)
    pages = [Path(p) for p in pages]
    if not pages:
        raise RukpError.single("no-pages", "no page given", hint="rukp add PAGE [PAGE …]")
    problems = check_info(info, len(pages))
    if problems:
        raise RukpError(*problems)
    if not raw_dir.is_dir():
        raise RukpError.single(
            "raw-dir-missing", f"raw folder not found: {raw_dir}", hint="pass it with --raw"
        )
    with raw_lock(raw_dir):
        sources = read_sources(raw_dir / SOURCES_NAME)
        missing = [c for c in REQUIRED if c not in sources.header]
        if missing:
            raise RukpError.single(
                "raw-column-missing",
                f"columns missing: {', '.join(missing)}",
                file=str(sources.path),
                location="line 1",
                hint="run `rukp validate raw` and fix the table first",
            )
        existing = _existing_hashes(raw_dir, sources.rows)
        read, problems = _read_pages(pages, max_bytes, existing)
        if problems:
            raise RukpError(*problems)
        number = next_number(raw_files(raw_dir), sources.ids())
        names = [raw_name(number + k, sha, page.suffix) for k, (page, _, sha) in enumerate(read)]
        stage = Path(tempfile.mkdtemp(prefix=".rukp-add-", dir=raw_dir))
        try:
            for name, (_, data, _) in zip(names, read, strict=True):
                with open(stage / name, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
            records, refused = clean_files(stage, names, max_bytes)
            if refused:
                by_name = {n: p for n, (p, _, _) in zip(names, read, strict=True)}
                raise RukpError(
                    *(
                        Incident(
                            i.id,
                            i.message + " — the ingest would refuse this page",
                            file=str(by_name.get(Path(i.file or "").name, i.file)),
                            hint=i.hint,
                        )
                        for i in refused
                    )
                )
            by_id = {r["doc_id"]: r for r in records}
            added: list[Added] = []
            for name, (page, _, sha) in zip(names, read, strict=True):
                doc_id = Path(name).stem
                rec = by_id[doc_id]
                added.append(
                    Added(
                        page,
                        name,
                        sha,
                        _row(sources.header, doc_id, name, sha, info, rec),
                        rec.get("title") or rec["text"].split("\n", 1)[0],
                        split_note=split_note(info.story, splits_dir),
                    )
                )
            texts, cleaned_now = _existing_texts(raw_dir, documents, max_bytes, existing)
            new = [(a.doc_id, by_id[a.doc_id]["text"]) for a in added]
            found, compared = near_duplicates(new, texts)
            warnings: list[Incident] = []
            for a in added:
                a.near_duplicates = sorted(found[a.doc_id], key=lambda x: (-x[1], x[0]))
                for other, j in a.near_duplicates:
                    warnings.append(
                        Incident(
                            "near-duplicate",
                            f"{a.source.name} shares a MinHash band with {other} (estimated "
                            f"Jaccard {j:.2f}): the ingest puts them in one near-duplicate "
                            "cluster, so in one split",
                            file=str(a.source),
                            doc_id=a.doc_id,
                            level="warning",
                            hint="keep it if it is another article; drop it if it is a copy",
                        )
                    )
            if not dry_run:
                _commit(raw_dir, stage, added, sources.data, info, splits_dir)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return AddResult(added, warnings, compared, cleaned_now, not dry_run)


def _commit(
    raw_dir: Path,
    stage: Path,
    added: list[Added],
    sources_data: bytes,
    info: PageInfo,
    splits_dir: Path | None,
) -> None:
    """Write the tables beside their targets, then rename everything into place; undo the
    renames done so far when one fails."""
    header = list(added[0].row)
    tables: list[tuple[Path, bytes]] = [
        (raw_dir / SOURCES_NAME, _append(sources_data, csv_rows(header, [a.row for a in added])))
    ]
    if info.story is not None and splits_dir is not None:
        stories = Path(splits_dir) / STORIES_NAME
        old = read_bytes(stories, "csv") if present(stories) else b""
        parse_csv(decode_utf8(old, stories), stories)  # rows are appended to a readable table
        if not old:
            old = (",".join(STORY_COLUMNS) + "\n").encode("utf-8")
        rows = [
            {"doc_id": a.doc_id, "story": info.story, "reason": f"rukp add: {a.title or a.name}"}
            for a in added
        ]
        tables.append((stories, _append(old, csv_rows(list(STORY_COLUMNS), rows))))
    for a in added:
        if (raw_dir / a.name).exists():
            raise RukpError.single(
                "raw-name-taken", f"{a.name} exists already in raw/", file=str(raw_dir / a.name)
            )
    staged: list[tuple[Path, Path, bytes | None]] = []  # (temp, target, old bytes)
    try:
        for target, data in tables:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
            before = read_bytes(target, "csv") if present(target) else None
            staged.append((Path(tmp), target, before))
        done_pages: list[Path] = []
        done_tables: list[tuple[Path, bytes | None]] = []
        try:
            for a in added:
                os.replace(stage / a.name, raw_dir / a.name)
                done_pages.append(raw_dir / a.name)
            for tmp, target, old in staged:
                os.replace(tmp, target)
                done_tables.append((target, old))
        except BaseException:
            for page in done_pages:
                with contextlib.suppress(OSError):
                    page.unlink()
            for target, old in done_tables:
                with contextlib.suppress(OSError):
                    if old is None:
                        target.unlink()
                    else:
                        target.write_bytes(old)
            raise
    finally:
        for tmp, _, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
