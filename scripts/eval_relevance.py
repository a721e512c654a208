"""Measure the relevance filter (rukp.ingest.relevance): recall on on-topic texts, false
positives on off-topic texts, at the lexicon's threshold and at the others a score can take.

On-topic sets: the gold documents (annotations/gold/, texts as the ingest gives them:
tests/ingest/expected/), the pre-annotation fixture pages (tests/preannotate/pages/, 16 texts in
12 languages) and the articles of the cleaning fixtures' tuning part (tests/cleaning/tune/,
title and body; the sealed part is never read). Off-topic set: tests/ingest/relevance/
off_topic.json (28 texts in 16 languages, written for this measurement).

    .venv/bin/python scripts/eval_relevance.py [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def on_topic_sets(root: Path = ROOT) -> dict[str, dict[str, str]]:
    gold_ids = sorted(p.stem for p in (root / "annotations" / "gold").glob("*.json"))
    expected = root / "tests" / "ingest" / "expected"
    gold = {i: (expected / f"{i}.txt").read_text(encoding="utf-8") for i in gold_ids}
    pages = {}
    for path in sorted((root / "tests" / "preannotate" / "pages").glob("ner_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        pages[data["id"]] = data["text"]
    tune = {}
    for path in sorted((root / "tests" / "cleaning" / "tune").glob("*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["is_article"]:
            parts = ([data["title"]] if data.get("title") else []) + list(data["body"])
            tune[data["id"]] = "\n\n".join(parts)
    return {"gold documents": gold, "pre-annotation pages": pages, "cleaning tune articles": tune}


def off_topic_set(root: Path = ROOT) -> dict[str, str]:
    path = root / "tests" / "ingest" / "relevance" / "off_topic.json"
    return {t["id"]: t["text"] for t in json.loads(path.read_text(encoding="utf-8"))["texts"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every miss and false positive")
    args = parser.parse_args()
    from rukp.ingest.relevance import Lexicon

    lexicon = Lexicon.from_files(
        ROOT / "annotations" / "entities.json", ROOT / "annotations" / "lexicon.json"
    )
    print(lexicon.signature())
    sets = on_topic_sets()
    off = off_topic_set()
    thresholds = (0.5, 0.75, 1.0)
    header = "set".ljust(26) + "texts".rjust(6)
    print(header + "".join(f"  >= {t:<5}" for t in thresholds))
    for name, texts in [*sets.items(), ("off-topic (false pos.)", off)]:
        verdicts = {k: lexicon.score(v) for k, v in texts.items()}
        row = name.ljust(26) + str(len(texts)).rjust(6)
        for t in thresholds:
            hits = sum(1 for v in verdicts.values() if v.score >= t)
            row += f"  {hits:>3} {hits / len(texts):5.0%}"
        print(row)
        if args.show:
            for k, v in verdicts.items():
                wrong = v.relevant if texts is off else not v.relevant
                if wrong:
                    print(f"    {k}: score {v.score} {v.mentions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
