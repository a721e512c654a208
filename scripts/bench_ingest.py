"""Ingest throughput and peak memory on synthetic articles (a benchmark, not a test).

Articles are made by recombining paragraphs of one language from the five seeds' expected texts
and the hand-written test pages, under a title of their own, with boilerplate lines from the
same pages around and inside them.
Each size runs in its own child process pinned to one CPU core, so peak RSS is per size.
Printed: wall-clock articles/s including the models' loading (about 0.2-0.3 s, once per run:
fastText's lid.176.ftz 0.02-0.09 s; the line model, cue lists, the stoplist and the date
patterns of the first page's language about 0.13 s on the first page; measured 2026-12-03),
articles per CPU-second (less sensitive to other processes sharing the machine), the loading
time, and articles/s once the models are loaded. The "load s" column times fastText's loading
alone, which the article generator (its language pools) has already done, so it shows about 0;
the first page's loading falls inside the ingest's time.

    .venv/bin/python scripts/bench_ingest.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "ingest"))


def pools() -> tuple[dict[str, list[str]], list[str]]:
    """Paragraphs (over 60 characters) by language, and boilerplate lines."""
    from ingest_pages import ONLY_BOILERPLATE_DROPS, PAGES

    from rukp.ingest.langid import detect_long

    paragraphs = [
        p
        for f in sorted((ROOT / "tests" / "ingest" / "expected").glob("*.txt"))
        for p in f.read_text(encoding="utf-8").split("\n\n")
    ]
    paragraphs += [p for page in PAGES for p in page.text.split("\n\n")]
    by_language: dict[str, list[str]] = {}
    for p in paragraphs:
        if len(p) > 60:
            by_language.setdefault(detect_long(p) or "und", []).append(p)
    boiler = [text for page in PAGES for reason, text in page.drops if reason != "repeated-title"]
    boiler += [text for _, text in ONLY_BOILERPLATE_DROPS]
    return dict(sorted(by_language.items())), sorted(set(boiler))


def make_title(rng: random.Random, paragraphs: list[str]) -> str:
    """A headline-sized line (4-9 words of one of the page's paragraphs and a number, at most 80
    characters): every page has its own title, as on a real site (short lines are costlier to
    identify than paragraphs, and identical lines would be served from a cache)."""
    words = rng.choice(paragraphs).split()
    start = rng.randrange(max(1, len(words) - 9))
    title = words[start : start + rng.randint(4, 9)]
    title.insert(rng.randrange(len(title) + 1), str(rng.randint(2, 99_999)))
    return " ".join(title)[:80]


def make_articles(folder: Path, n: int, seed: int = 0) -> None:
    """n pages, each in one language (drawn in proportion to its paragraphs): two boilerplate
    lines (of any language), a title repeated on the next line, 4-9 paragraphs (fewer when the
    language has fewer) with one boilerplate line after the third and three at the end."""
    rng = random.Random(seed)
    by_language, boiler = pools()
    languages = list(by_language)
    weights = [len(by_language[lang]) for lang in languages]
    for i in range(n):
        pool = by_language[rng.choices(languages, weights)[0]]
        body = rng.sample(pool, min(len(pool), rng.randint(4, 9)))
        title = make_title(rng, body)
        lines = [*rng.sample(boiler, 2), title, title, *body[:3], rng.choice(boiler)]
        lines += [*body[3:], *rng.sample(boiler, 3)]
        (folder / f"a{i:06d}.txt").write_text("\n".join(lines), encoding="utf-8")


def child(n: int, mode: str) -> None:
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from rukp.ingest import ingest
    from rukp.ingest.langid import load_models

    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        raw.mkdir()
        make_articles(raw, n)
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        load_models()
        loaded = time.perf_counter()
        result = ingest(raw, out)
        end = time.perf_counter()
        after = resource.getrusage(resource.RUSAGE_SELF)
        rss_before, rss = before.ru_maxrss, after.ru_maxrss
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    seconds = end - start
    row = {"articles": n, "documents": result.documents, "seconds": round(seconds, 2),
           "load_seconds": round(loaded - start, 2),
           "articles_per_s": round(n / seconds, 1),
           "articles_per_s_loaded": round(n / (end - loaded), 1),
           "cpu_seconds": round(cpu, 2),
           "articles_per_cpu_s": round(n / cpu, 1), "peak_rss_mb": round(rss / 1024, 1),
           "rss_before_ingest_mb": round(rss_before / 1024, 1),
           "no_article": len(result.no_article),
           "clusters": len(result.report["near_duplicate_clusters"])}  # fmt: skip
    print(json.dumps(row))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--paragraph-language", choices=["all", "short"], default="all")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.paragraph_language)
        return 0
    mode = args.paragraph_language
    print(f"paragraph language: {mode}; one core")
    print(
        f"{'articles':>9} {'seconds':>8} {'articles/s':>11} {'per CPU-s':>10} "
        f"{'load s':>7} {'after load/s':>13} {'peak RSS MB':>12}"
    )
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--child", str(n), "--paragraph-language", mode]
        proc = subprocess.run(cmd, check=True,
                              capture_output=True, text=True)  # fmt: skip
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        head = (f"{n:>9} {row['seconds']:>8} {row['articles_per_s']:>11} "
                f"{row['articles_per_cpu_s']:>10} {row['load_seconds']:>7} "
                f"{row['articles_per_s_loaded']:>13} {row['peak_rss_mb']:>12}")  # fmt: skip
        tail = (f"  (RSS before ingest {row['rss_before_ingest_mb']} MB, "
                f"{row['documents']} documents, {row['no_article']} with no article left, "
                f"{row['clusters']} near-dup clusters)")  # fmt: skip
        print(head + tail, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
