"""Benchmark (not a test): rukp's NER F1 against seqeval's on ~1M synthetic tokens.

Random sentences in the release's `ner` row format (in memory) and a noisy submission (with
ill-formed I- tags); times `score_task("ner", ..., bootstrap=0)`, which validates every row and
computes both the conlleval figures and the strict IOB2 ones, and seqeval's
`classification_report` in its default mode plus in mode="strict", scheme=IOB2 (fastest of
--repeat runs each), prints both, the ratio, and asserts the figures are identical.
Usage: .venv/bin/python scripts/bench_scorer.py [--tokens N] [--seed S] [--repeat R]
"""

from __future__ import annotations

import argparse
import time
import warnings

from rukp.evaluate import score_task
from rukp.evaluate.synthetic import random_ner


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool; the fastest counts")
    args = ap.parse_args()
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    # 5-40 tokens per sentence (22.5 on average), 3-12 sentences per document (7.5)
    n_docs = max(1, round(args.tokens / (22.5 * 7.5)))
    gold, preds = random_ner(args.seed, n_docs, tokens_per_sentence=(5, 40))
    n_tokens = sum(len(g["ner_tags"]) for g in gold)
    print(f"{n_tokens:,} tokens, {len(gold):,} sentences, {n_docs:,} documents")

    y_true = [g["ner_tags"] for g in gold]
    y_pred = [p["tags"] for p in preds]
    # warm-up on 100 sentences each, so imports and schema loading are not timed
    score_task("ner", gold[:100], preds[:100], bootstrap=0)
    classification_report(y_true[:100], y_pred[:100], mode="strict", scheme=IOB2, zero_division=0)
    classification_report(y_true[:100], y_pred[:100], zero_division=0)

    t_rukp, t_seqeval = [], []
    refs: dict[str, dict] = {}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        res = score_task("ner", gold, preds, bootstrap=0)
        t_rukp.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for mode, kw in (("conlleval", {}), ("strict", {"mode": "strict", "scheme": IOB2})):
                refs[mode] = classification_report(
                    y_true, y_pred, output_dict=True, zero_division=0, **kw
                )
        t_seqeval.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    boot = score_task("ner", gold, preds, bootstrap=1000, seed=0)
    t_boot = time.perf_counter() - t0

    m = res["metrics"]
    modes = (("conlleval", "", "per_type"), ("strict", "strict_", "per_type_strict"))
    for mode, prefix, table in modes:
        micro = refs[mode]["micro avg"]
        mine = (m[f"{prefix}precision"], m[f"{prefix}recall"], m[f"{prefix}f1"])
        assert mine == (micro["precision"], micro["recall"], micro["f1-score"]), (mode, m, micro)
        for t, v in refs[mode].items():
            if not t.endswith(" avg"):
                assert res[table][t]["f1"] == v["f1-score"], (mode, t)
                assert res[table][t]["support"] == v["support"], (mode, t)
        print(f"{mode} micro P/R/F1 identical to seqeval: {mine}")
    assert boot["metrics"] == m
    runs = lambda ts: ", ".join(f"{t:.3f}" for t in ts)  # noqa: E731
    print(f"rukp, both modes (incl. validation): {min(t_rukp):8.3f} s  (runs: {runs(t_rukp)})")
    print(
        f"seqeval default + strict reports:    {min(t_seqeval):8.3f} s  (runs: {runs(t_seqeval)})"
    )
    print(f"speed-up (fastest runs): {min(t_seqeval) / min(t_rukp):.1f}x")
    ci = boot["ci"]["f1"]
    print(f"rukp with 1000 bootstrap resamples + per-language CIs: {t_boot:.3f} s; CI {ci}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
