"""Deterministic PNG plots of the explorer (matplotlib, as the card's: fixed size, fonts and
metadata, so the same inputs give the same bytes). Every bar is labelled with its count."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rukp.explore import errors as E

RC = {
    "font.family": "DejaVu Sans",
    "svg.hashsalt": "rukp",
    "path.simplify": True,
    "text.parse_math": False,  # system names may hold '$': plain text, never mathtext
}


@contextlib.contextmanager
def _pyplot() -> Iterator[Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(RC):
        yield plt


def _save(fig: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})


def breakdown_plot(analysis: E.Analysis, title: str, path: Path) -> None:
    """One panel per breakdown: the bucket's F1 (recall or accuracy for gold-only buckets),
    with the bucket's gold count written beside each bar."""
    panels = [(n, b) for n, b in analysis.breakdowns.items() if b]
    if not panels:
        return
    heights = [max(1.2, 0.32 * len(b) + 0.7) for _, b in panels]
    with _pyplot() as plt:
        fig, axes = plt.subplots(
            len(panels),
            1,
            figsize=(7, sum(heights) + 0.6),
            dpi=100,
            gridspec_kw={"height_ratios": heights},
            squeeze=False,
        )
        for ax, (name, buckets) in zip(axes[:, 0], panels, strict=True):
            gold_only = buckets[0].pred is None
            what = "accuracy" if analysis.task == "stance" else ("recall" if gold_only else "F1")
            vals = [100 * ((b.recall if gold_only else b.f1) or 0.0) for b in buckets]
            labels = [b.name for b in buckets]
            ys = list(range(len(buckets)))[::-1]
            ax.barh(ys, vals, color="#4c72b0" if not gold_only else "#55a868", height=0.6)
            ax.set_yticks(ys, labels, fontsize=8)
            ax.set_xlim(0, 118)
            ax.set_xticks([0, 25, 50, 75, 100])
            ax.tick_params(axis="x", labelsize=7)
            for y, v, b in zip(ys, vals, buckets, strict=True):
                n = f"n={b.gold}" + (f", pred {b.pred}" if b.pred is not None else "")
                ax.text(v + 1, y, n, va="center", fontsize=7)
            ax.set_title(f"{what} by {name} (%)", fontsize=9, loc="left")
        fig.suptitle(title, fontsize=10, x=0.01, ha="left")
        fig.tight_layout()
        _save(fig, path)
        plt.close(fig)


def systems_plot(
    task: str, names: Sequence[str], per_type: Sequence[dict[str, Any]], path: Path
) -> bool:
    """Grouped bars: per-type (per-label) F1 of every system of one task, for the types with
    gold or predictions, the gold count under each. False when there is nothing to plot."""
    types = [
        t
        for t in (per_type[0] if per_type else {})
        if any(pt[t]["support"] or pt[t]["predicted"] for pt in per_type)
    ]
    if not types or not names:
        return False
    n = len(names)
    width = 0.8 / n
    with _pyplot() as plt:
        fig, ax = plt.subplots(
            figsize=(max(5.0, 0.55 * len(types) * max(1, n / 2) + 2), 3.4), dpi=100
        )
        for k, (name, pt) in enumerate(zip(names, per_type, strict=True)):
            xs = [i + (k - (n - 1) / 2) * width for i in range(len(types))]
            ax.bar(xs, [100 * pt[t]["f1"] for t in types], width=width, label=name)
        support = per_type[0]
        ax.set_xticks(
            range(len(types)), [f"{t}\nn={support[t]['support']}" for t in types], fontsize=7
        )
        ax.set_ylim(0, 105)
        ax.set_ylabel("F1 (%)")
        what = "label" if task == "stance" else "type"
        ax.set_title(f"{task}: F1 per {what} (n = gold count)", fontsize=10)
        ax.legend(frameon=False, fontsize=7, ncols=min(n, 4))
        fig.tight_layout()
        _save(fig, path)
        plt.close(fig)
    return True
