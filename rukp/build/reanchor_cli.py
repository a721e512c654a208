"""`rukp reanchor`: move gold spans onto changed cleaned texts and list what could not be placed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rukp.build.reanchor import reanchor
from rukp.documents import load_documents
from rukp.paths import build_dir, cleaned_documents_path, repo_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", type=Path, help="gold folder (default: annotations/gold)")
    parser.add_argument("--documents", type=Path, help="new cleaned documents (JSON Lines)")
    parser.add_argument(
        "--old",
        type=Path,
        action="append",
        default=[],
        help="where the old texts are: a documents.jsonl or a release folder "
        "(repeatable; the committed release/ is always tried)",
    )
    parser.add_argument("--report", type=Path, help="report (default: build/reanchor/report.json)")
    parser.add_argument(
        "--unplaced", type=Path, help="unplaced records (default: build/reanchor/unplaced.jsonl)"
    )


def run(args: argparse.Namespace) -> int:
    gold = args.gold or repo_root() / "annotations" / "gold"
    docs = load_documents(args.documents or cleaned_documents_path())
    report = args.report or build_dir() / "reanchor" / "report.json"
    unplaced = args.unplaced or build_dir() / "reanchor" / "unplaced.jsonl"
    sources = [*args.old, repo_root() / "release"]
    result = reanchor(gold, docs, sources, unplaced_path=unplaced, report_path=report)
    print(
        json.dumps(
            {"documents": result.documents, "counts": result.counts(), "report": str(report)},
            ensure_ascii=False,
        )
    )
    for u in result.unplaced:
        rec = u["record"]
        span = rec.get("evidence") or rec.get("trigger") or rec
        print(
            f"UNPLACED {u['kind']} {rec.get('id')} [doc {u['doc_id']}] {span.get('text')!r} "
            f"(was {span.get('start')}-{span.get('end')}); kept in {unplaced}",
            file=sys.stderr,
        )
    return 1 if result.unplaced else 0
