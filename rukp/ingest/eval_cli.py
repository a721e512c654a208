"""`rukp ingest-eval`: the cleaner and its peers (jusText, trafilatura) on the cleaning fixtures.

By default only the tuning part is scored and shown page by page. `--part sealed` or
`--part sealed-3` (or `all`) scores a sealed part but prints only its means, never its pages, unless
`--show-sealed-pages` is given: the sealed part is read once, at the end of a change, and a page
seen must leave it (tests/cleaning/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from rukp.ingest.quality import (
    METRICS,
    PARTS,
    Extraction,
    Fixture,
    evaluate,
    load_fixtures,
    mean_scores,
)
from rukp.paths import repo_root

if TYPE_CHECKING:
    from rukp.ingest.clean import Cleaned

SHORT = {
    "body_f1": "body F1", "line_precision": "line P", "line_recall": "line R", "title": "title",
    "published": "date", "url": "URL", "is_article": "article?",
}  # fmt: skip


def rukp_system(fx: Fixture) -> Extraction:
    from rukp.ingest.clean import clean_page
    from rukp.ingest.decode import decode
    from rukp.ingest.page import read_page

    return extraction(clean_page(read_page(fx.path.name, decode(fx.path, fx.raw()).text)))


def extraction(cleaned: Cleaned) -> Extraction:
    """What the evaluation reads of a cleaned page (no body when it is not an article)."""
    return Extraction(
        is_article=cleaned.is_article,
        body=cleaned.body_lines if cleaned.is_article else [],
        title=cleaned.title,
        published=cleaned.published,
        url=cleaned.url,
    )


def systems(names: list[str]) -> dict:
    from rukp.ingest.peers import PEERS

    table = {"rukp": rukp_system, **PEERS}
    return {n: table[n] for n in names}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fixtures", type=Path, default=None, help="fixture folder (default: tests/cleaning)"
    )
    parser.add_argument(
        "--part",
        choices=(*PARTS, "all"),
        default="tune",
        help="which fixtures",
    )
    parser.add_argument(
        "--systems",
        default="rukp,justext,trafilatura",
        help="comma-separated: rukp, justext, trafilatura",
    )
    parser.add_argument("--show-sealed-pages", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write all figures as JSON")


def _fmt(v: float | None) -> str:
    return "   -  " if v is None else f"{v:6.3f}"


def signature(fixtures: list[Fixture]) -> str:
    from rukp.ingest.pipeline import CLEANER_VERSION

    h = hashlib.sha256()
    for fx in sorted(fixtures, key=lambda f: f.id):
        h.update(
            fx.id.encode() + b"\0" + fx.raw() + json.dumps(fx.expected, sort_keys=True).encode()
        )
    versions = []
    for dist in ("trafilatura", "jusText"):
        try:
            versions.append(f"{dist.lower()}:{metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist.lower()}:absent")
    return (
        f"cleaning|fixtures:{len(fixtures)}+sha256:{h.hexdigest()[:12]}|cleaner:{CLEANER_VERSION}|"
        + "|".join(versions)
    )


def run(args: argparse.Namespace) -> int:
    folder = args.fixtures or repo_root() / "tests" / "cleaning"
    fixtures = load_fixtures(folder, folder / "split.json")
    parts = PARTS if args.part == "all" else (args.part,)
    chosen = {n.strip() for n in args.systems.split(",") if n.strip()}
    names = [n for n in ("rukp", "justext", "trafilatura") if n in chosen]
    out: dict = {"signature": {}, "parts": {}}
    for part in parts:
        fx = [f for f in fixtures if f.part == part]
        if not fx:
            continue
        results = evaluate(fx, systems(names))
        show_pages = part in ("tune", "dev") or args.show_sealed_pages
        articles = sum(f.expected["is_article"] for f in fx)
        print(f"\n== {part} part: {len(fx)} pages ({articles} articles)")
        if show_pages:
            print(f"{'page':<34} {'system':<12} " + " ".join(f"{SHORT[m]:>8}" for m in METRICS))
            for f in fx:
                for name in names:
                    row = results[name][f.id]
                    cells = " ".join(f"{_fmt(row.get(m)):>8}" for m in METRICS)
                    print(
                        f"{f.id:<34} {name:<12} {cells}"
                        + (f"  {row['error']}" if "error" in row else "")
                    )
        print(f"{'mean':<34} {'system':<12} " + " ".join(f"{SHORT[m]:>8}" for m in METRICS))
        means = {}
        for name in names:
            means[name] = mean_scores(results[name].values())
            cells = " ".join(f"{_fmt(means[name][m]):>8}" for m in METRICS)
            print(f"{'':<34} {name:<12} {cells}")
        rejected = {
            name: sum(
                1 for f in fx if not f.expected["is_article"] and results[name][f.id]["is_article"]
            )
            for name in names
        }
        n_non = sum(1 for f in fx if not f.expected["is_article"])
        print(
            "non-article pages rejected: " + ", ".join(f"{n} {rejected[n]}/{n_non}" for n in names)
        )
        sig = signature(fx)
        print(sig)
        out["signature"][part] = sig
        out["parts"][part] = {"means": means, "pages": results if show_pages else None}
    if args.json:
        from rukp.io import write_json

        write_json(args.json, out)
    return 0
