"""`rukp ingest`: clean raw pages (.txt scrapes and .html) into build/ingest/{documents.jsonl,
dropped.jsonl,report.json}."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rukp.errors import RukpError
from rukp.ingest.decode import DEFAULT_MAX_BYTES
from rukp.ingest.engines import MissingDependency, available_cores
from rukp.ingest.pipeline import ingest
from rukp.paths import annotations_dir, build_dir, raw_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw", type=Path, default=None, help="folder of raw pages (default: raw/)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: build/ingest/)"
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"reject raw files larger than this (default: {DEFAULT_MAX_BYTES:,})",
    )
    parser.add_argument(
        "--no-templates",
        action="store_true",
        help="skip the first pass that learns each outlet's repeated lines (site templates)",
    )
    parser.add_argument("--progress", action="store_true", help="show a progress bar")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="local worker processes (default: every core this process may use, "
        f"here {available_cores()}); the output is the same for any number",
    )
    parser.add_argument(
        "--dask",
        metavar="SCHEDULER",
        default=None,
        help="run on a Dask cluster: a scheduler address (tcp://host:8786) or scheduler file; "
        "--raw and --out must be on a path every worker sees (needs: pip install 'rukp[dask]')",
    )
    parser.add_argument(
        "--relevance",
        action="store_true",
        help="score every document's relevance to RU-KP military cooperation "
        "(relevance.jsonl, a report section; docs/ingest.md)",
    )
    parser.add_argument(
        "--relevant-only",
        action="store_true",
        help="with --relevance: leave documents that are not relevant out of documents.jsonl",
    )
    parser.add_argument(
        "--registry",
        type=Path,
        default=None,
        help="entity registry for --relevance (default: annotations/entities.json)",
    )
    parser.add_argument(
        "--lexicon",
        type=Path,
        default=None,
        help="generic-term lexicon whose weapon terms join the topic terms "
        "(default: annotations/lexicon.json)",
    )
    parser.add_argument(
        "--relevance-threshold",
        type=float,
        default=None,
        help="score a relevant document reaches (default: rukp/ingest/relevance.json's, 0.75)",
    )
    parser.add_argument(
        "--partition-size",
        type=int,
        default=None,
        help="pages per task (default: up to 1,000, fewer on a small crawl); "
        "changes nothing in the output",
    )


def run(args: argparse.Namespace) -> int:
    """Exit 0 when every raw file gave a document; 1 when any was rejected or had no article."""
    raw = args.raw if args.raw is not None else raw_dir()
    out = args.out if args.out is not None else build_dir() / "ingest"
    for option in ("workers", "partition_size"):
        value = getattr(args, option)
        if value is not None and value < 1:
            flag = "--" + option.replace("_", "-")
            raise RukpError.single(
                "bad-option",
                f"{flag} must be at least 1, not {value}",
                hint=f"give {flag} a positive number",
            )
    if args.dask is not None and args.workers is not None:
        raise RukpError.single(
            "bad-option",
            "--workers and --dask exclude each other",
            hint="the Dask cluster's workers run the tasks: leave out --workers",
        )
    relevance = None
    if args.relevant_only or args.registry or args.lexicon or args.relevance_threshold is not None:
        if not args.relevance:
            raise RukpError.single(
                "bad-option",
                "--relevant-only, --registry, --lexicon and --relevance-threshold need --relevance",
                hint="add --relevance",
            )
    threshold = args.relevance_threshold
    if threshold is not None and not 0 <= threshold <= 1:
        raise RukpError.single(
            "bad-option",
            f"--relevance-threshold must be between 0 and 1, not {threshold}",
            hint="scores go from 0 to 1 in steps of 0.25 (docs/ingest.md)",
        )
    if args.relevance:
        from rukp.ingest.relevance import Lexicon

        relevance = Lexicon.from_files(
            args.registry or annotations_dir() / "entities.json",
            args.lexicon or annotations_dir() / "lexicon.json",
            threshold=args.relevance_threshold,
        )
    try:
        result = ingest(
            raw,
            out,
            max_bytes=args.max_bytes,
            progress=args.progress,
            templates=not args.no_templates,
            workers=args.workers if args.workers is not None else available_cores(),
            dask=args.dask,
            partition_size=args.partition_size,
            relevance=relevance,
            relevant_only=args.relevant_only,
        )
    except MissingDependency as exc:  # Dask is not installed
        print(f"rukp ingest: {exc}", file=sys.stderr)
        return 2
    for warnings in result.report["warnings"].values():
        for warning in warnings:
            print(f"WARNING {warning}", file=sys.stderr)
    for incident in [*result.rejected, *result.no_article]:
        print(incident.format(), file=sys.stderr)
    counts = result.report["counts"]
    print(
        f"ingest: {counts['documents']} documents from {counts['files']} files, "
        f"{counts['lines_dropped']} lines dropped, {counts['rejected']} rejected, "
        f"{counts['no_article']} with no article -> {out}"
    )
    if relevance is not None:
        rel = result.report["relevance"]
        left_out = ", left out of documents.jsonl" if args.relevant_only else ""
        print(
            f"relevance: {rel['relevant']} of {rel['documents_scored']} documents relevant "
            f"({rel['not_relevant']} not{left_out}; {rel['signature']})"
        )
    if not result.ok:
        names = [i.file and Path(i.file).name for i in [*result.rejected, *result.no_article]]
        print(f"FAILED: not ingested: {', '.join(n or '-' for n in names)}", file=sys.stderr)
        return 1
    return 0
