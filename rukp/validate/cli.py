"""`rukp validate [PATH ...] [--documents F] [--json]`: print incidents and PASSED/FAILED."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from rukp.errors import Incident
from rukp.paths import cleaned_documents_path
from rukp.validate.checks import validate_paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="raw/, an annotation set folder, an annotation file or an entities.json registry "
        "(default: raw/ and every set under annotations/)",
    )
    parser.add_argument(
        "--documents",
        type=Path,
        default=None,
        help="cleaned documents (default: build/ingest/documents.jsonl)",
    )
    parser.add_argument("--json", action="store_true", help="print a machine-readable report")


def summarize(incidents: list[Incident]) -> dict:
    """{"passed", "incidents", "counts"}: passed means no error-level incident."""
    counts = Counter(i.id for i in incidents)
    return {
        "passed": not any(i.level == "error" for i in incidents),
        "incidents": [i.to_dict() for i in incidents],
        "counts": dict(sorted(counts.items())),
    }


def run(args: argparse.Namespace) -> int:
    """Incidents on stderr; what was checked and PASSED/FAILED on stdout (all JSON: --json)."""
    documents = args.documents or cleaned_documents_path()
    checked: list[str] = []
    incidents = validate_paths(args.paths, documents, checked)
    report = summarize(incidents)
    report["checked"] = checked
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for inc in incidents:
            print(inc.format(), file=sys.stderr)
        print("checked:")
        for line in checked or ["nothing readable"]:
            print(f"  {line}")
        errors = sum(i.level == "error" for i in incidents)
        warnings = len(incidents) - errors
        counts = ", ".join(f"{k}: {v}" for k, v in report["counts"].items())
        status = "PASSED" if report["passed"] else "FAILED"
        print(
            f"{status}: {errors} error(s), {warnings} warning(s)"
            + (f" ({counts})" if counts else "")
        )
    return 0 if report["passed"] else 1
