"""How much of a paragraph fastText must read (a measurement, not a test).

For each sample length it prints how often `rukp.ingest.langid.detect_long` finds the right
language, and fastText's time per call (model in cache, one line at a time):
- on the long body paragraphs (at least SHORT_MAX_CHARS characters) of the tuning part of the
  cleaning fixtures (tests/cleaning/tune), against the page's language in its answer file;
- when Faker is installed (`pip install faker`; it is not a dependency of rukp), on word-salad
  paragraphs made from Faker's word lists of 11 of rukp's languages (no Portuguese or Korean
  lists): a harder case than real prose, labelled by the list they come from.

    .venv/bin/python scripts/check_langid_sample.py [--per-language 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CUTS = (60, 80, 100, 120, 150, 200, 300, 100_000)
FAKER_LOCALES = {
    "de": "de_DE", "en": "en_US", "es": "es_ES", "fr": "fr_FR", "it": "it_IT", "ja": "ja_JP",
    "la": "la", "pl": "pl_PL", "ru": "ru_RU", "uk": "uk_UA", "zh": "zh_CN",
}  # fmt: skip


def page_paragraphs() -> list[tuple[str, str]]:
    import json

    from rukp.ingest import langid

    out = []
    for answer in sorted((ROOT / "tests" / "cleaning" / "tune").glob("*.expected.json")):
        expected = json.loads(answer.read_text(encoding="utf-8"))
        out += [(expected["lang"], p) for p in expected["body"] if not langid.is_short(p)]
    return out


def faker_paragraphs(per_language: int) -> list[tuple[str, str]] | None:
    try:
        from faker import Faker
    except ImportError:
        return None
    out = []
    for code, locale in FAKER_LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(1)
        out += [(code, fake.paragraph(nb_sentences=8)) for _ in range(per_language)]
    return out


def report(name: str, data: list[tuple[str, str]]) -> None:
    from rukp.ingest import langid

    mean = sum(len(t) for _, t in data) / len(data)
    print(f"{name}: {len(data)} paragraphs, mean {mean:.0f} characters")
    print(f"{'sample':>7} {'right':>7} {'share':>7} {'µs/call':>8}  wrong per language")
    default = langid.LONG_SAMPLE_CHARS
    try:
        for cut in CUTS:
            langid.LONG_SAMPLE_CHARS = cut
            start = time.perf_counter()
            got = [langid.detect_long(text) for _, text in data]
            micro = (time.perf_counter() - start) / len(data) * 1e6
            wrong: dict[str, int] = {}
            for (code, _), g in zip(data, got, strict=True):
                if g != code:
                    wrong[code] = wrong.get(code, 0) + 1
            right = len(data) - sum(wrong.values())
            mark = " (rukp)" if cut == default else ""
            print(f"{cut:>7} {right:>7} {right / len(data):>7.3f} {micro:>8.1f}  {wrong}{mark}")
    finally:
        langid.LONG_SAMPLE_CHARS = default


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-language", type=int, default=200)
    args = parser.parse_args()
    from rukp.ingest import langid

    langid.detect_long("warm up the model once")
    report("cleaning fixtures' body paragraphs (reference: the page's language)", page_paragraphs())
    fake = faker_paragraphs(args.per_language)
    if fake is None:
        print("Faker not installed: word-salad check skipped (pip install faker)")
    else:
        report("Faker word-salad paragraphs (reference: the word list's language)", fake)
    return 0


if __name__ == "__main__":
    sys.exit(main())
