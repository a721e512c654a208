"""The ingest run: raw folder → documents.jsonl, dropped.jsonl, report.json.

The raw listing (names in doc_id order) is cut into partitions; tasks over the partitions (run in
this process, in local worker processes or on Dask: rukp.ingest.engines) learn the site
templates, clean the pages and write each partition's records, dropped lines and MinHash band
keys to a work folder inside the output folder; the band keys are grouped by shard into
candidate pairs, one union-find joins them into near-duplicate clusters, and the partitions'
files are joined in order, with each record's cluster filled in. Memory per worker does not grow
with the number of pages; the driver holds the sorted list of names and the documents that have
a near duplicate.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import orjson
from tqdm import tqdm

from rukp.errors import Incident, RukpError
from rukp.ingest import templates as T
from rukp.ingest.clean import Cleaned, clean_pages
from rukp.ingest.decode import DEFAULT_MAX_BYTES, decode, read_raw
from rukp.ingest.dedup import Components, band_rows, by_shard, candidate_edges, shard_count
from rukp.ingest.engines import Dask, Engine, Processes, Serial
from rukp.ingest.metadata import outlet_of
from rukp.ingest.page import read_page
from rukp.io import atomic_open, sha256_bytes, sha256_text, write_json
from rukp.safeio import NAME_RULE, is_safe_name, present, read_csv, shown

if TYPE_CHECKING:
    from rukp.ingest.relevance import Lexicon

CLEANER_VERSION = "2.7.3"  # bump whenever a change alters any cleaned text or field
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
    # per worker process id: (peak RSS in KiB, CPU seconds) after its last task; not in the
    # report (it changes from run to run), for benchmarks
    workers: dict[int, tuple[int, float]] = field(default_factory=dict)
    # (process id, its peak RSS in KiB) after each partition, in partition order
    peaks: list[tuple[int, int]] = field(default_factory=list)

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
            previous = doc_id  # before reading: a rejected file still holds its stem
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


# ---------------------------------------------------------------- partitions and their tasks
# The run is split into partitions of the raw listing (consecutive names in doc_id order) and
# three kinds of task over them, run by an engine (rukp.ingest.engines: this process, local
# worker processes or Dask) that gives results back in partition order:
# 1. count_part: the site-template first pass (hashes of (outlet group, short line) with the
#    number of pages holding each); the counts of all partitions are summed exactly;
# 2. clean_part: pages cleaned, records and dropped lines written to the partition's files in the
#    work folder, MinHash band keys of its documents written by shard;
# 3. join_shard: the band rows of one shard from every partition grouped by key into candidate
#    pairs; one union-find over the pairs gives the clusters.
# The files of each partition are then joined in order. Nothing a task computes depends on where
# the partition starts or ends (the files of one doc_id are never split, so duplicate-doc-id is
# found within one partition), hence the same bytes for any engine, number of workers and
# partition size.

PARTITION_PAGES = 1000  # pages per partition at most …
PARTITIONS_PER_WORKER = 4  # … and smaller on a small crawl, so that every worker has several …
MIN_PARTITION_PAGES = 64  # … but not smaller than this


@dataclass(slots=True, frozen=True)
class Job:
    """What every task of one run needs; picklable, with absolute paths (on a cluster, paths
    every worker sees)."""

    raw: str
    work: str
    max_bytes: int
    templates: bool
    shards: int
    relevance: bool = False
    relevant_only: bool = False


@dataclass(slots=True, frozen=True)
class Part:
    index: int
    start: int  # listing index (document number) of its first name
    names: list[str]
    outlets: dict[str, str]  # raw/sources.csv outlets of these names


def partition_pages(files: int, workers: int) -> int:
    """Pages of the next partition when `files` pages are left for `workers` workers: at most
    PARTITION_PAGES, PARTITIONS_PER_WORKER partitions per worker of what is left, at least
    MIN_PARTITION_PAGES. Partitions shrink towards the end of the listing (guided scheduling),
    so that no worker is left with a large partition while the others have finished."""
    per = -(-files // max(1, workers * PARTITIONS_PER_WORKER))
    return max(MIN_PARTITION_PAGES, min(PARTITION_PAGES, per))


def partitions(
    names: list[str], outlets: dict[str, str], size: int | None = None, workers: int = 1
) -> list[Part]:
    """Consecutive slices of `size` names (None: partition_pages of the names left for
    `workers`); the names of one doc_id stay in one slice."""
    if size is not None and size < 1:
        raise ValueError(f"partition size must be at least 1, not {size}")
    parts: list[Part] = []
    start = 0
    while start < len(names):
        step = size or partition_pages(len(names) - start, workers)
        end = min(len(names), start + step)
        while end < len(names) and stem(names[end]) == stem(names[end - 1]):
            end += 1
        chunk = names[start:end]
        mine = {n: outlets[n] for n in chunk if n in outlets}
        parts.append(Part(len(parts), start, chunk, mine))
        start = end
    return parts


@dataclass(slots=True)
class TemplateCounts:
    """The first pass over one partition: distinct (group, short line) hashes (sorted), the
    number of its pages holding each, and its text pages per outlet group."""

    hashes: np.ndarray
    pages: np.ndarray
    group_pages: dict[str, int]


def count_part(job: Job, part: Part) -> TemplateCounts:
    """First pass of rukp.ingest.templates over one partition's text pages (HTML pages are left
    out, pages that cannot be read or decoded too; the names are not checked here)."""
    raw = Path(job.raw)
    group_pages: Counter[str] = Counter()
    hashes: list[int] = []
    for name in part.names:
        if name.lower().endswith((".html", ".htm")):
            continue
        try:
            text = decode(raw / name, read_raw(raw / name, job.max_bytes)).text
        except (RukpError, OSError):
            continue
        group = _group(name, text, part.outlets)
        group_pages[group] += 1
        hashes.extend(T.line_hash(group, k) for k in T.page_keys(text))
    values, counts = np.unique(np.array(hashes, dtype=np.uint64), return_counts=True)
    return TemplateCounts(values, counts.astype(np.int64), dict(group_pages))


def _sum_counts(chunks: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct hashes and their summed page counts."""
    values = np.concatenate([v for v, _ in chunks])
    counts = np.concatenate([c for _, c in chunks])
    order = np.argsort(values, kind="stable")
    values, counts = values[order], counts[order]
    if len(values) == 0:
        return values, counts
    starts = np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]]))
    return values[starts], np.add.reduceat(counts, starts)


def merge_counts(
    results: Iterable[TemplateCounts], need: int = 2
) -> tuple[dict[int, int], dict[str, int]]:
    """The crawl's template counts from the partitions' (a sum per hash, exact): {hash: pages}
    for hashes held by at least `need` pages, and text pages per group. Partial sums are merged
    whenever the pending ones outgrow the merged ones (each hash is sorted O(log n) times)."""
    merged = (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    size = 0
    group_pages: Counter[str] = Counter()
    for result in results:
        pending.append((result.hashes, result.pages))
        size += len(result.hashes)
        group_pages.update(result.group_pages)
        if size >= max(len(merged[0]), 1 << 20):
            merged, pending, size = _sum_counts([merged, *pending]), [], 0
    values, counts = _sum_counts([merged, *pending])
    keep = counts >= need
    return dict(zip(values[keep].tolist(), counts[keep].tolist(), strict=True)), dict(group_pages)


# A template line needs at least this many pages of its group (templates.template_keys: the
# larger of MIN_PAGES or UNKNOWN_MIN_PAGES and a share of the group's pages), so hashes held by
# fewer pages are not sent to the workers: the same template lines, a smaller table.
TEMPLATE_NEED = min(T.MIN_PAGES, T.UNKNOWN_MIN_PAGES)

_TEMPLATES: dict[str, tuple[dict[int, int], dict[str, int]]] = {}  # per process: the last run's


def _save_templates(work: Path, counts: dict[int, int], group_pages: dict[str, int]) -> None:
    groups = sorted(group_pages)
    np.savez(
        work / "templates.npz",
        hashes=np.array(list(counts), dtype=np.uint64),
        pages=np.array(list(counts.values()), dtype=np.int64),
        groups=np.array(groups, dtype=str),
        group_pages=np.array([group_pages[g] for g in groups], dtype=np.int64),
    )


def _templates(job: Job) -> tuple[dict[int, int], dict[str, int]]:
    """The run's template counts, loaded once per worker process from the work folder."""
    if not job.templates:
        return {}, {}
    found = _TEMPLATES.get(job.work)
    if found is None:
        with np.load(Path(job.work) / "templates.npz") as data:
            counts = dict(zip(data["hashes"].tolist(), data["pages"].tolist(), strict=True))
            pages = dict(zip(data["groups"].tolist(), data["group_pages"].tolist(), strict=True))
        _TEMPLATES.clear()
        _TEMPLATES[job.work] = found = (counts, pages)
    return found


@dataclass(slots=True)
class PartResult:
    """What clean_part tells the driver (its records and dropped lines are in files)."""

    index: int
    documents: int = 0
    rejected: list[Incident] = field(default_factory=list)
    no_article: list[Incident] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    drops: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    formats: Counter[str] = field(default_factory=Counter)
    template_lines: int = 0
    shard_starts: list[int] = field(default_factory=list)
    relevance: Counter[str] = field(default_factory=Counter)
    pid: int = 0
    peak_rss_kb: int = 0
    cpu_seconds: float = 0.0


def _part_file(work: Path, kind: str, index: int, suffix: str = ".jsonl") -> Path:
    return work / f"{kind}-{index:06d}{suffix}"


def clean_part(job: Job, part: Part) -> PartResult:
    """Second pass over one partition: every page read, cleaned and checked as the ingest does;
    its document records (cluster null), dropped lines and (with relevance) relevance rows
    written to the work folder, and its documents' band rows (rukp.ingest.dedup) by shard."""
    raw, work = Path(job.raw), Path(job.work)
    counts, group_pages = _templates(job)
    lexicon = _lexicon(job) if job.relevance else None
    out = PartResult(part.index, pid=os.getpid())
    numbers = {name: part.start + i for i, name in enumerate(part.names)}
    result = IngestResult()
    rows: list[np.ndarray] = []
    with contextlib.ExitStack() as stack:
        docs, dropped, scores = (
            stack.enter_context(
                open(_part_file(work, kind, part.index), "w", encoding="utf-8", newline="\n")
            )
            for kind in ("documents", "dropped", "relevance")
        )
        pages = _iter_pages(raw, part.names, job.max_bytes, result, out.warnings)
        for batch in _batches(pages):
            cleaned_pages = []
            page_templates = []
            for path, _, text, _ in batch:
                page = read_page(path.name, text)
                out.formats[page.format] += 1
                known: frozenset[str] = frozenset()
                if counts and not path.name.lower().endswith((".html", ".htm")):
                    group = _group(path.name, text, part.outlets)
                    known = T.template_keys(
                        group, T.page_keys(text), counts, group_pages.get(group, 0)
                    )
                    out.template_lines += len(known)
                cleaned_pages.append(page)
                page_templates.append(known)
            kept: list[tuple[int, str]] = []
            for (path, raw_bytes, _, file_warnings), page, cleaned in zip(
                batch, cleaned_pages, clean_pages(cleaned_pages, page_templates), strict=True
            ):
                doc_id = path.stem
                record, problem = _record(path, raw_bytes, cleaned, file_warnings)
                record["format"] = page.format
                for drop in cleaned.drops:
                    out.drops[drop.reason] += 1
                    row = {"doc_id": doc_id, "line": drop.line, "reason": drop.reason}
                    row["text"] = drop.text
                    dropped.write(_dumps(row) + "\n")
                if problem is not None:
                    result.no_article.append(problem)
                    continue
                if lexicon is not None:
                    verdict = lexicon.score(record["text"], record["language"])
                    scores.write(_dumps({"doc_id": doc_id, **verdict.to_dict()}) + "\n")
                    out.relevance["relevant" if verdict.relevant else "not_relevant"] += 1
                    if job.relevant_only and not verdict.relevant:
                        continue
                kept.append((numbers[path.name], record["text"]))
                out.languages[record["language"]] += 1
                docs.write(_dumps(record) + "\n")
                out.documents += 1
            rows.append(band_rows(kept))
    ordered, out.shard_starts = by_shard(
        np.concatenate(rows) if rows else np.zeros((0, 2), dtype=np.int64), job.shards
    )
    np.save(_part_file(work, "bands", part.index, ".npy"), ordered)
    out.rejected, out.no_article = result.rejected, result.no_article
    out.peak_rss_kb, out.cpu_seconds = _usage()
    return out


def _usage() -> tuple[int, float]:
    """(peak RSS in KiB, CPU seconds) of this process so far; zeros where `resource` is
    missing (Windows)."""
    try:
        import resource
    except ImportError:
        return 0, 0.0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_maxrss, usage.ru_utime + usage.ru_stime


@dataclass(slots=True, frozen=True)
class Shard:
    index: int
    pieces: list[tuple[int, int, int]]  # (partition, first row, end row) of its band rows


def join_shard(job: Job, shard: Shard) -> np.ndarray:
    """Candidate pairs (document, first holder of a shared band key) of one shard."""
    work = Path(job.work)
    rows = [
        np.load(_part_file(work, "bands", part, ".npy"), mmap_mode="r")[a:b]
        for part, a, b in shard.pieces
        if b > a
    ]
    return candidate_edges(np.concatenate(rows) if rows else np.zeros((0, 2), dtype=np.int64))


@dataclass(slots=True, frozen=True)
class Splice:
    index: int  # partition
    clusters: dict[str, str]  # doc_id -> cluster id of its documents that have a near duplicate


def part_of(starts: list[int], number: int) -> int:
    """The index of the partition holding listing index `number` (starts: each partition's
    first listing index, ascending)."""
    return bisect.bisect_right(starts, number) - 1


def splice_part(job: Job, splice: Splice) -> None:
    """One partition's records with their near-duplicate clusters filled in, written next to
    the pending ones (byte for byte the pending lines otherwise)."""
    work = Path(job.work)
    with (
        open(_part_file(work, "documents", splice.index), "rb") as pending,
        open(_part_file(work, "documents-final", splice.index), "wb") as out,
    ):
        get = splice.clusters.get
        for line in pending:
            out.write(_with_cluster(line, get))


LEXICON_FILE = "relevance-lexicon.json"


def _lexicon(job: Job) -> Lexicon:
    from rukp.ingest.relevance import load_compiled

    return load_compiled(Path(job.work) / LEXICON_FILE)


def ingest(
    raw_dir: Path,
    out_dir: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = False,
    templates: bool = True,
    workers: int = 1,
    dask: object = None,
    partition_size: int | None = None,
    relevance: Lexicon | None = None,
    relevant_only: bool = False,
) -> IngestResult:
    """Run the ingest; outputs are written for every good page even when others are rejected.

    With `templates`, a first pass learns each outlet's repeated lines (rukp.ingest.templates).
    `workers` local processes (1: this process), or `dask` (a dask.distributed Client, a
    scheduler address or a scheduler file; raw_dir and out_dir must then be on a path every
    worker sees) run the partitions; the output is the same bytes whatever runs it.
    With `relevance` (a rukp.ingest.relevance.Lexicon), every document gets a relevance row in
    relevance.jsonl and the report a `relevance` section; `relevant_only` leaves the documents
    that are not relevant out of documents.jsonl (and of the near-duplicate clusters)."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    files = raw_files(raw_dir)
    outlets = read_outlets(raw_dir)
    result = IngestResult()
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".ingest.", dir=out_dir)).absolute()
    engine: Engine | None = None
    try:
        if relevance is not None:
            relevance.save(work / LEXICON_FILE)
        if dask is not None:
            engine = cluster = Dask(dask)
            cluster.check_paths(os.path.abspath(raw_dir), str(work))
            parts = partitions(files, outlets, partition_size, engine.workers)
        else:
            parts = partitions(files, outlets, partition_size, workers)
            many = workers > 1 and len(parts) > 1
            engine = Processes(min(workers, len(parts))) if many else Serial()
        job = Job(
            os.path.abspath(raw_dir), str(work), max_bytes, templates, shard_count(len(files)),
            relevance is not None, relevant_only,
        )  # fmt: skip
        if templates:
            counts, group_pages = merge_counts(
                engine.map(functools.partial(count_part, job), parts), TEMPLATE_NEED
            )
            _save_templates(work, counts, group_pages)
        results: list[PartResult] = []
        with tqdm(total=len(files), unit="page", disable=not progress) as bar:
            for part_result in engine.map(functools.partial(clean_part, job), parts):
                results.append(part_result)
                bar.update(len(parts[part_result.index].names))
        shards = [
            Shard(s, [(r.index, r.shard_starts[s], r.shard_starts[s + 1]) for r in results])
            for s in range(job.shards)
        ]
        components = Components()
        for edges in engine.map(functools.partial(join_shard, job), shards):
            components.union_edges(edges)
        roots = components.roots()
        # each partition's records get their clusters in a task of their own (a document
        # outside every component is its own cluster), the driver only joins the bytes
        splices = [Splice(r.index, {}) for r in results]
        starts = [p.start for p in parts]
        members: dict[int, list[str]] = {}
        for n, root in sorted(roots.items()):
            members.setdefault(root, []).append(stem(files[n]))
            splices[part_of(starts, n)].clusters[stem(files[n])] = stem(files[root])
        clusters = {stem(files[r]): m for r, m in sorted(members.items()) if len(m) > 1}
        for _ in engine.map(functools.partial(splice_part, job), splices):
            pass
        engine.close()
        engine = None
        with atomic_open(out_dir / "dropped.jsonl", "wb") as dropped:
            for r in results:
                with open(_part_file(work, "dropped", r.index), "rb") as f:
                    shutil.copyfileobj(f, dropped)
        if relevance is not None:
            with atomic_open(out_dir / "relevance.jsonl", "wb") as scores:
                for r in results:
                    with open(_part_file(work, "relevance", r.index), "rb") as f:
                        shutil.copyfileobj(f, scores)
        with atomic_open(out_dir / "documents.jsonl", "wb") as out:
            for r in results:
                with open(_part_file(work, "documents-final", r.index), "rb") as f:
                    shutil.copyfileobj(f, out)
    finally:
        if engine is not None:
            engine.close()
        shutil.rmtree(work, ignore_errors=True)
    shown_raw = os.path.abspath(raw_dir) + os.sep
    drops: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    warnings: dict[str, list[str]] = {}
    for r in results:
        result.documents += r.documents
        result.rejected.extend(_as_given(i, shown_raw, raw_dir) for i in r.rejected)
        result.no_article.extend(_as_given(i, shown_raw, raw_dir) for i in r.no_article)
        drops.update(r.drops)
        languages.update(r.languages)
        formats.update(r.formats)
        warnings.update(r.warnings)
    result.report = {
        "cleaner_version": CLEANER_VERSION,
        "counts": {
            "files": len(files),
            "documents": result.documents,
            "rejected": len(result.rejected),
            "no_article": len(result.no_article),
            "lines_dropped": sum(drops.values()),
            "template_lines": sum(r.template_lines for r in results),
        },
        "formats": dict(sorted(formats.items())),
        "drops_per_reason": dict(sorted(drops.items())),
        "languages": dict(sorted(languages.items())),
        "warnings": dict(sorted(warnings.items())),
        "rejected": [_incident(i) for i in result.rejected],
        "no_article": [_incident(i) for i in result.no_article],
        "near_duplicate_clusters": clusters,
    }
    if relevance is not None:
        scored: Counter[str] = Counter()
        for r in results:
            scored.update(r.relevance)
        result.report["relevance"] = relevance.report(
            scored["relevant"], scored["not_relevant"], relevant_only
        )
    write_json(out_dir / "report.json", result.report)
    for r in results:
        result.peaks.append((r.pid, r.peak_rss_kb))
        rss, cpu = result.workers.get(r.pid, (0, 0.0))
        result.workers[r.pid] = (max(rss, r.peak_rss_kb), max(cpu, r.cpu_seconds))
    return result


def _as_given(incident: Incident, absolute: str, raw_dir: Path) -> Incident:
    """An incident of a task (which read raw/ through its absolute path) naming the file as the
    caller's raw_dir does."""
    if incident.file and incident.file.startswith(absolute):
        return replace(incident, file=str(raw_dir / incident.file[len(absolute) :]))
    return incident


_PENDING_HEAD = b'{"doc_id":"'
_PENDING_CLUSTER = b',"near_duplicate_cluster":null,'


def _with_cluster(line: bytes, cluster_of: Callable[[str], str | None]) -> bytes:
    """A pending record line (UTF-8 JSON, cluster null) with its cluster filled in (the
    document's own doc_id when `cluster_of` gives None), without parsing the JSON again: a
    doc_id has no characters JSON escapes, and the key with its unescaped quotes cannot occur
    inside a JSON string value."""
    if not line.startswith(_PENDING_HEAD):
        raise AssertionError(f"unexpected pending record: {line[:40]!r}")
    doc_id = line[len(_PENDING_HEAD) : line.index(b'"', len(_PENDING_HEAD))].decode()
    at = line.rindex(_PENDING_CLUSTER)
    cluster = json.dumps(cluster_of(doc_id) or doc_id, ensure_ascii=False).encode()
    head = line[:at] + b',"near_duplicate_cluster":' + cluster + b","
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
