"""`rukp add PAGE… [--url --outlet --published --licence --language --story]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rukp.ingest.add import PageInfo, add_pages
from rukp.ingest.decode import DEFAULT_MAX_BYTES
from rukp.paths import cleaned_documents_path, raw_dir, repo_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pages", nargs="+", type=Path, metavar="PAGE", help=".txt or .html page")
    parser.add_argument("--url", help="the page's URL (one page per call)")
    parser.add_argument("--outlet", help="the publishing outlet (default: the URL's host)")
    parser.add_argument("--published", help="publication date, YYYY[-MM[-DD]]")
    parser.add_argument("--licence", help="licence note (who holds the rights, terms of use)")
    parser.add_argument(
        "--language", help="ISO 639-1 code (default: detected by the ingest's language step)"
    )
    parser.add_argument(
        "--story",
        help="story id for splits/stories.csv: the document joins that story's split",
    )
    parser.add_argument("--raw", type=Path, default=None, help="raw folder (default: raw/)")
    parser.add_argument(
        "--splits", type=Path, default=None, help="folder of stories.csv (default: splits/)"
    )
    parser.add_argument(
        "--documents",
        type=Path,
        default=None,
        help="cleaned documents for the near-duplicate check (default: build/ingest/"
        "documents.jsonl; pages it lacks are cleaned on the fly)",
    )
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")


def run(args: argparse.Namespace) -> int:
    info = PageInfo(
        url=args.url,
        outlet=args.outlet,
        published=args.published,
        licence=args.licence,
        language=args.language,
        story=args.story,
    )
    raw = args.raw if args.raw is not None else raw_dir()
    splits = args.splits if args.splits is not None else repo_root() / "splits"
    documents = args.documents if args.documents is not None else cleaned_documents_path()
    result = add_pages(
        args.pages,
        info,
        raw,
        splits_dir=splits,
        documents=documents,
        max_bytes=args.max_bytes,
        dry_run=args.dry_run,
    )
    verb = "added" if result.written else "would add (dry run)"
    for a in result.added:
        row = a.row
        print(f"{verb} {a.source} -> {Path(raw) / a.name}  [doc {a.doc_id}]")
        print(f"    title: {a.title or '-'}")
        for key in ("language", "published", "outlet", "url"):
            how = row.get(f"{key}_method", "")
            print(f"    {key}: {row.get(key) or '-'}" + (f"  ({how})" if how else ""))
        if a.split_note:
            print(f"    split: {a.split_note}")
    for w in result.warnings:
        print(w.format(), file=sys.stderr)
    print(
        f"near-duplicate check: {result.checked_against} existing document(s) compared "
        f"({result.cleaned_for_check} cleaned now, the rest read from {documents}); "
        f"{len(result.warnings)} near-duplicate(s)"
    )
    if result.written:
        story = " and splits/stories.csv" if info.story else ""
        print(f"raw/sources.csv{story} updated; next: `rukp ingest`, then `rukp validate`")
    return 0
