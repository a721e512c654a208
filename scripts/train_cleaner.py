"""Train the cleaner's line model and write rukp/ingest/line_model.json.

    .venv/bin/python scripts/train_cleaner.py [--out PATH]

Training pages: tests/cleaning/tune (never dev/ or a sealed part), the seeds (raw/ with
tests/ingest/expected) and the hand-written test pages (tests/ingest/ingest_pages.py). Prints
the cross-validated figures it chose by; the same pages give the same file, byte for byte, on one
machine (another CPU can differ in the sixth decimal of some weights).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "ingest"))


def pages():
    from rukp.ingest.decode import decode, normalise
    from rukp.ingest.page import read_page, text_page
    from rukp.ingest.training import labelled

    out = []
    tune = ROOT / "tests" / "cleaning" / "tune"
    for path in sorted(tune.iterdir()):
        if path.suffix not in (".txt", ".html"):
            continue
        expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
        raw = path.read_bytes()
        page = read_page(path.name, decode(path, raw).text)
        out.append(
            (
                f"tune/{path.name}",
                labelled(path.name, page, expected["body"], expected["title"], raw),
            )
        )
    seeds = ROOT / "tests" / "ingest" / "seed_labels.json"
    labels = json.loads(seeds.read_text("utf-8"))
    for name, answer in sorted(labels["seeds"].items()):
        path = ROOT / "raw" / name
        raw = path.read_bytes()
        page = read_page(name, decode(path, raw).text)
        out.append((f"raw/{name}", labelled(name, page, answer["body"], answer["title"], raw)))
    from ingest_pages import PAGES

    for p in PAGES:
        raw = p.raw.encode("utf-8")
        paragraphs = p.text.split("\n\n")
        body = paragraphs[1:] if p.title else paragraphs
        page = text_page(normalise(p.raw))
        out.append((f"ingest_pages/{p.name}", labelled(p.name, page, body, p.title, raw)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "rukp" / "ingest" / "line_model.json")
    args = parser.parse_args()
    from rukp.ingest.training import train, write_model

    named = pages()
    content = train([p for _, p in named], [n for n, _ in named])
    write_model(args.out, content)
    meta = content["meta"]
    print(
        f"trained on {meta['pages']} pages ({meta['lines']} lines, {meta['body_lines']} body); "
        f"C {meta['c_pass1']}/{meta['c_pass2']}; threshold {content['threshold']} "
        f"(body {content['body_threshold']}); "
        f"cross-validated line F1 {meta['cv_line_f1_at_threshold']} -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
