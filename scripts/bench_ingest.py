"""Ingest throughput and peak memory on synthetic articles (a benchmark, not a test).

Articles are made by recombining paragraphs of one language from the five seeds' expected texts
and the hand-written test pages, under a title of their own, with boilerplate lines from the
same pages around and inside them. Each size's pages are made once; every (size, engine) run is
a child process of its own:

- `w1`: `--workers 1`, in one process pinned to one core;
- `w2`: `--workers 2`, two local worker processes (this machine's cores);
- `dask`: a dask.distributed LocalCluster of 2 worker processes with one thread each (its start
  is timed apart, as `setup s`, and not counted in the rate).

Printed per run: wall seconds and articles/s (models loaded by each worker on its first page,
included: about 0.2-0.3 s per process, fastText's lid.176.ftz 0.02-0.09 s and the line model,
cue lists, stoplist and the first language's date patterns about 0.13 s, measured 2026-12-03),
CPU seconds of all its processes (the driver and every worker: on a shared machine the wall
time depends on what else runs, the CPU time much less) and articles per CPU-second,
peak RSS of the driver and of each worker process, and the machine's speed just before the run
(`machine_speed`: CPU seconds of a fixed Python loop; a shared virtual machine's CPU time per
article changes with what its host runs, by nearly 2x within a day on the development machine,
so only runs of about the same machine speed compare). With --runs R the engines are interleaved R
times and a summary gives the median and the spread (min-max) of each figure, and the speed-up
of 2 workers over 1 from wall time and from CPU time.

    .venv/bin/python scripts/bench_ingest.py [--sizes 10000 100000] [--engines w1 w2 dask]
        [--runs 3] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
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


def child(raw: Path, engine: str) -> dict:
    """One run of the ingest on `raw` with `engine`; the figures as a dict."""
    if engine == "w1":
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from rukp.ingest import ingest

    cluster = client = None
    setup = 0.0
    if engine == "dask":
        from dask.distributed import Client, LocalCluster

        start = time.perf_counter()
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        setup = time.perf_counter() - start
    with tempfile.TemporaryDirectory(dir=raw.parent) as tmp:
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        if engine == "dask":
            result = ingest(raw, Path(tmp) / "out", dask=client)
        else:
            result = ingest(raw, Path(tmp) / "out", workers=1 if engine == "w1" else 2)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
    # CPU of the processes still alive: the fork server of the local pool (its imports), the
    # resource tracker, the Dask nannies and workers (all of their CPU: imports, the tasks and
    # Dask's own work); the pool's workers are gone and counted by their own report
    import psutil

    live = 0.0
    alive = set()
    for proc in psutil.Process().children(recursive=True):
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        alive.add(proc.pid)
        live += times.user + times.system  # not children_*: reaped pool workers are counted below
    if client is not None:
        client.close()
        cluster.close()
    n = result.report["counts"]["files"]
    driver_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    workers = {pid: v for pid, v in result.workers.items() if pid != os.getpid()}
    cpu = driver_cpu + live + sum(c for pid, (_, c) in workers.items() if pid not in alive)
    return {
        "articles": n, "engine": engine, "documents": result.documents,
        "seconds": round(seconds, 2), "setup_seconds": round(setup, 2),
        "articles_per_s": round(n / seconds, 1), "cpu_seconds": round(cpu, 2),
        "articles_per_cpu_s": round(n / cpu, 1),
        "driver_peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "worker_peak_rss_mb": sorted(round(r / 1024, 1) for r, _ in workers.values()),
        "worker_processes": len(workers) or 1,
        # the largest peak RSS of a worker once 25, 50, 75 and 100% of the partitions are done
        # (partitions are in listing order: a worker's peak after a quarter of the pages and
        # after all of them tell whether its memory grows with the pages it has seen)
        "worker_peak_rss_mb_by_quarter": [
            round(max(kb for _, kb in result.peaks[: max(1, len(result.peaks) * q // 4)]) / 1024,
                  1)
            for q in (1, 2, 3, 4)
        ] if result.peaks else [],
        "no_article": len(result.no_article),
        "clusters": len(result.report["near_duplicate_clusters"]),
    }  # fmt: skip


_CORES = set(os.sched_getaffinity(0))  # the cores this process may use when it starts


def machine_speed() -> float:
    """CPU seconds of a fixed pure-Python loop (dict stores of short strings, 3 million of them)
    on one core: the same number on the same machine at the same speed. A shared virtual machine
    changes speed with what its host runs (on the development machine, 2026-12-03, a loop like
    this one took 1.9 times as long at 16:00 as at 17:20 UTC), so figures of runs made at
    different times are compared through it."""
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    try:
        start = time.process_time()
        table: dict[int, str] = {}
        for i in range(3_000_000):
            table[i % 5000] = str(i)
        return round(time.process_time() - start, 3)
    finally:
        os.sched_setaffinity(0, _CORES)


def _spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:g}"
    return f"{statistics.median(values):g} ({min(values):g}-{max(values):g})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--engines", nargs="+", default=["w1", "w2", "dask"])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.engine)))
        return 0
    print(
        f"cores: {len(os.sched_getaffinity(0))}; load average {os.getloadavg()[0]:.1f}; "
        f"machine speed (s for a fixed Python loop, less is faster): {machine_speed()}"
    )
    print(
        f"{'articles':>9} {'engine':>6} {'seconds':>8} {'articles/s':>11} {'CPU s':>8} "
        f"{'per CPU-s':>10} {'driver MB':>10}  worker peak RSS MB"
    )
    rows: list[dict] = []
    for n in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
        try:
            raw = folder / "raw"
            raw.mkdir()
            make_articles(raw, n)
            for run in range(args.runs):
                for engine in args.engines:
                    speed = machine_speed()  # just before the run
                    cmd = [sys.executable, __file__, "--child", str(raw), "--engine", engine]
                    proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
                    row = json.loads(proc.stdout.strip().splitlines()[-1])
                    row["run"] = run + 1
                    row["load_average"] = round(os.getloadavg()[0], 1)
                    row["machine_speed_s"] = speed
                    rows.append(row)
                    print(
                        f"{n:>9} {engine:>6} {row['seconds']:>8} {row['articles_per_s']:>11} "
                        f"{row['cpu_seconds']:>8} {row['articles_per_cpu_s']:>10} "
                        f"{row['driver_peak_rss_mb']:>10}  {row['worker_peak_rss_mb']}"
                        f" (by quarter of the run: {row.get('worker_peak_rss_mb_by_quarter')})"
                        f"  (run {run + 1}; {row['documents']} documents, "
                        f"{row['no_article']} with no article, {row['clusters']} clusters"
                        + (f"; cluster start {row['setup_seconds']} s" if engine == "dask" else "")
                        + f"; load {row['load_average']}; machine speed {speed} s)",
                        flush=True,
                    )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print("\nsummary: median (min-max) over runs")
    for n in args.sizes:
        by = {e: [r for r in rows if r["articles"] == n and r["engine"] == e] for e in args.engines}
        for engine, runs in by.items():
            rates = [r["articles_per_s"] for r in runs]
            per_cpu = [r["articles_per_cpu_s"] for r in runs]
            rss = [max(r["worker_peak_rss_mb"] or [r["driver_peak_rss_mb"]]) for r in runs]
            print(
                f"{n:>9} {engine:>6}: {_spread(rates)} articles/s, {_spread(per_cpu)} per CPU-s,"
                f" peak RSS per worker {_spread(rss)} MB"
            )
        if by.get("w1") and by.get("w2"):
            wall = statistics.median(r["articles_per_s"] for r in by["w2"]) / statistics.median(
                r["articles_per_s"] for r in by["w1"]
            )
            cpu = statistics.median(r["articles_per_cpu_s"] for r in by["w2"]) / statistics.median(
                r["articles_per_cpu_s"] for r in by["w1"]
            )
            print(
                f"{n:>9} speed-up 2 workers / 1: {wall:.2f}x wall; CPU cost per article "
                f"{1 / cpu:.2f}x (2 workers would give {2 * cpu:.2f}x on two idle cores)"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
