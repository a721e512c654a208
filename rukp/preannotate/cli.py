"""`rukp preannotate`: pre-annotations for Label Studio, their evaluation, registry aliases."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--documents", type=Path, default=None, help="default: build/ingest/documents.jsonl"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="annotation set folder to write: the pre-annotation of the documents still to "
        "annotate (those with no <doc_id>.json in the gold set)",
    )
    parser.add_argument(
        "--include-gold",
        action="store_true",
        help="also pre-annotate the documents that already have gold (skipped by default)",
    )
    parser.add_argument(
        "--gold",
        type=Path,
        default=None,
        metavar="SET_DIR",
        help="the gold set whose documents are skipped (default: annotations/gold)",
    )
    parser.add_argument("--release", type=Path, default=None, help="default: release/")
    parser.add_argument(
        "--registry", type=Path, default=None, help="default: annotations/entities.json"
    )
    parser.add_argument(
        "--lexicon", type=Path, default=None, help="default: annotations/lexicon.json"
    )
    parser.add_argument("--config", type=Path, default=None, help="default: baselines/config.json")
    parser.add_argument("--model-version", default=None, help="default: derived from the inputs")
    parser.add_argument("--guidelines-version", default="1.3")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--eval",
        action="store_true",
        help="leave-one-document-out on the release's gold documents (and --pages if given)",
    )
    mode.add_argument(
        "--refresh-aliases",
        action="store_true",
        help="recompute the registry's gold/registry/CLDR aliases (hand aliases kept)",
    )
    mode.add_argument(
        "--check-aliases",
        action="store_true",
        help="exit 1 if the registry's aliases differ from a fresh --refresh-aliases",
    )
    parser.add_argument(
        "--pages", type=Path, default=None, help="with --eval: annotated fixture pages folder"
    )
    parser.add_argument(
        "--report", type=Path, default=None, help="with --eval: write the JSON report here"
    )


def run(args: argparse.Namespace) -> int:
    from rukp.baselines.run import load_config
    from rukp.io import write_json
    from rukp.paths import annotations_dir, cleaned_documents_path, release_dir
    from rukp.sets import dumps_registry, write_registry

    release = args.release or release_dir()
    registry = args.registry or annotations_dir() / "entities.json"
    lexicon_path = args.lexicon or annotations_dir() / "lexicon.json"

    if args.refresh_aliases or args.check_aliases:
        from rukp.preannotate.aliases import refresh_registry
        from rukp.preannotate.run import ReleaseRows, load_registry_data

        data = load_registry_data(registry)
        fresh = refresh_registry(data, ReleaseRows.read(release).entities)
        n = sum(len(e.get("aliases", [])) for e in fresh["entities"])
        if args.check_aliases:
            if dumps_registry(fresh) != dumps_registry(data):
                print(
                    f"preannotate: the aliases of {registry} are stale; "
                    "run `rukp preannotate --refresh-aliases`"
                )
                return 1
            print(f"preannotate: the aliases of {registry} are up to date ({n} aliases)")
            return 0
        write_registry(registry, fresh)
        print(f"preannotate: {n} aliases in {len(fresh['entities'])} entries -> {registry}")
        return 0

    from rukp.preannotate.run import load_lexicon

    config = load_config(args.config)
    lexicon = load_lexicon(lexicon_path)

    if args.eval:
        from rukp.preannotate.evaluate import lodo, render, signature
        from rukp.preannotate.run import load_registry_data

        entries = load_registry_data(registry)["entities"]
        if args.pages:
            from rukp.preannotate.evaluate import read_pages

            read_pages(args.pages)  # refuse a bad folder before the long part
        report = {"lodo": lodo(release, entries, config, lexicon=lexicon)}
        sig = signature(release, registry, "lodo")
        report["lodo"]["signature"] = sig
        print("## Leave-one-document-out on the release's gold documents\n")
        print(render(report["lodo"], sig))
        if args.pages:
            from rukp.preannotate.evaluate import evaluate_pages, render_pages

            report["pages"] = evaluate_pages(args.pages, release, entries, config, lexicon=lexicon)
            print("## Annotated fixture pages\n")
            print(render_pages(report["pages"]))
        if args.report:
            write_json(args.report, report)
            print(f"report: {args.report}")
        return 0

    if args.out is None:
        print("rukp preannotate: give --out DIR (or --eval / --refresh-aliases)")
        return 2
    from rukp.documents import documents_to_annotate, load_documents
    from rukp.preannotate.run import preannotate

    source = args.documents or cleaned_documents_path()
    selection = documents_to_annotate(
        load_documents(source),
        args.gold or annotations_dir() / "gold",
        include_gold=args.include_gold,
        source=source,
        gold_required=args.gold is not None,
    )
    print(selection.summary())
    summary, version = preannotate(
        selection.documents,
        args.out,
        release,
        registry,
        config,
        args.guidelines_version,
        version=args.model_version,
        lexicon=lexicon,
    )
    print(summary.line(args.out, version))
    again = " --include-gold" if args.include_gold else ""
    print(f"next: rukp ls push{again} --predictions {args.out}  (or rukp ls tasks --predictions …)")
    return 0
