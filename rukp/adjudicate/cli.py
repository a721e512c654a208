"""`rukp adjudicate SET_A SET_B --out GOLD [--decisions FILE] [--work DIR] [--force]`.

Without --decisions: list what the sets agree and disagree on into the work folder
(`disagreements.json`, `decisions-template.json`, `agreed/`); when they agree on everything the
gold is written at once. With --decisions: check the decisions against the stored listing,
build the gold, validate it, write it (existing gold only with --force) and append the round to
the adjudication log.
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime
from pathlib import Path

from rukp.adjudicate.core import (
    AGREED,
    agreed_documents,
    append_log,
    check_decisions,
    check_unchanged,
    decisions_template,
    disagreements_json,
    gold_documents,
    list_disagreements,
    load_stored,
    next_round,
    read_decisions,
    read_log,
    round_section,
    write_gold,
)
from rukp.io import write_json
from rukp.paths import annotations_dir, build_dir, cleaned_documents_path
from rukp.sets import write_annotation
from rukp.validate import load_annotation_set
from rukp.validate.loaders import display_path

DISAGREEMENTS = "disagreements.json"
TEMPLATE = "decisions-template.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("set_a", type=Path, metavar="SET_A", help="first annotator's set folder")
    parser.add_argument("set_b", type=Path, metavar="SET_B", help="second annotator's set folder")
    parser.add_argument("--out", type=Path, required=True, help="gold folder (annotations/gold)")
    parser.add_argument(
        "--decisions", type=Path, default=None, help="decisions file (see docs/growing.md)"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="folder for disagreements.json, decisions-template.json and agreed/ "
        "(default: build/adjudication/<A>-<B>/)",
    )
    parser.add_argument(
        "--documents", type=Path, default=None, help="cleaned documents (for the gold's checks)"
    )
    parser.add_argument(
        "--log", type=Path, default=None, help="adjudication log (annotations/ADJUDICATION.md)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace gold files that exist with other content (a backup copy is kept)",
    )


def _work(args: argparse.Namespace) -> Path:
    if args.work:
        return Path(args.work)
    name = f"{args.set_a.resolve().name}-{args.set_b.resolve().name}"
    return build_dir() / "adjudication" / re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def run(args: argparse.Namespace) -> int:
    documents = args.documents or cleaned_documents_path()
    log = args.log or annotations_dir() / "ADJUDICATION.md"
    work = _work(args)
    listing = list_disagreements(
        args.set_a, args.set_b, load_annotation_set(args.set_a), load_annotation_set(args.set_b)
    )
    agreed = listing.counts()
    print(
        f"{len(listing.common)} document(s) in both sets; agreed: "
        + ", ".join(f"{n} {layer}" for layer, n in agreed.items())
        + f"; disagreements: {len(listing.items)}"
    )
    for name, only in (("A", listing.only_a), ("B", listing.only_b)):
        if only:
            print(f"only in {name} (not adjudicated): {', '.join(only)}")
    if args.decisions is None:
        write_json(work / DISAGREEMENTS, disagreements_json(listing))
        write_json(work / TEMPLATE, decisions_template(listing))
        for doc_id, doc in agreed_documents(listing).items():
            write_annotation(work / AGREED / f"{doc_id}.json", doc)
        print(f"listed in {display_path(work / DISAGREEMENTS)}; agreed items in "
              f"{display_path(work / AGREED)}/")  # fmt: skip
        if listing.items:
            kinds: dict[str, int] = {}
            for it in listing.items:
                key = f"{it['layer']}/{it['kind']}"
                kinds[key] = kinds.get(key, 0) + 1
            print("by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
            print(
                f"gold not written: decide each disagreement in a decisions file (start from "
                f"{display_path(work / TEMPLATE)}, or pull the Label Studio review), then run "
                f"again with --decisions FILE"
            )
            return 0
        decided = []
    else:
        stored = work / DISAGREEMENTS
        check_unchanged(listing, load_stored(stored), display_path(stored))
        decided = check_decisions(
            listing, read_decisions(args.decisions), display_path(args.decisions)
        )
    gold, origin = gold_documents(listing, decided)
    log_text = read_log(log)  # before the gold is written: an unreadable log stops the round
    result = write_gold(gold, args.out, documents, force=args.force, origin=origin)
    for path in result.written:
        print(f"wrote {display_path(Path(path))}")
    if result.backup:
        print(f"backup of the previous gold: {display_path(Path(result.backup))}")
    if not result.written:
        print(f"gold unchanged ({len(result.unchanged)} file(s)); nothing logged")
        return 0
    number = next_round(log_text)
    date = datetime.now(UTC).date().isoformat()
    append_log(log, round_section(listing, decided, args.out, number, date, gold), log_text)
    print(f"round {number} ({len(decided)} decision(s)) appended to {display_path(log)}")
    return 0
