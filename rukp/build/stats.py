"""Statistics tables and deterministic PNG plots generated from the release rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from rukp.build.rows import Rows
from rukp.labels import LabelSets

SPLITS = ("train", "validation", "test")
PLOTS = {
    "documents_per_language": "Documents per language",
    "entities_per_type": "Entity mentions per type",
    "stance_labels": "Stance records per label",
    "event_types": "Event mentions per PLOVER type",
}


def compute(rows: Rows, labels: LabelSets) -> dict[str, dict[str, dict[str, int]]]:
    """Counts per category and split for each table; categories in label-set order."""
    by = rows.by_config
    out: dict[str, dict[str, dict[str, int]]] = {}

    def table(keys: list[str], count: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
        return {k: {s: count[s][k] for s in SPLITS} for k in keys}

    lang: dict[str, Counter[str]] = {
        s: Counter(r["language"] for r in by["documents"][s]) for s in SPLITS
    }
    out["documents_per_language"] = table(sorted(set().union(*lang.values())), lang)
    ent = {s: Counter(e["type"] for r in by["entities"][s] for e in r["entities"]) for s in SPLITS}
    out["entities_per_type"] = table(list(labels.entity_types), ent)
    st = {s: Counter(r["label"] for r in by["stance"][s]) for s in SPLITS}
    out["stance_labels"] = table(list(labels.stance_labels), st)
    ev = {s: Counter(m["type"] for r in by["events"][s] for m in r["mentions"]) for s in SPLITS}
    out["event_types"] = table(list(labels.event_types), ev)
    return out


def markdown_table(title: str, table: dict[str, dict[str, int]], first: str) -> str:
    lines = [f"| {first} | " + " | ".join(SPLITS) + " | total |", "|---|" + "---:|" * 4]
    for key, counts in table.items():
        vals = [counts[s] for s in SPLITS]
        lines.append(f"| {key} | " + " | ".join(map(str, vals)) + f" | {sum(vals)} |")
    totals = [sum(c[s] for c in table.values()) for s in SPLITS]
    lines.append("| **total** | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    return f"**{title}**\n\n" + "\n".join(lines)


def plot(name: str, table: dict[str, dict[str, int]], path: Path) -> None:
    """A stacked bar chart per split; fixed size, fonts and metadata so the bytes are stable."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(
        {"font.family": "DejaVu Sans", "svg.hashsalt": "rukp", "path.simplify": True}
    ):
        fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
        keys = list(table)
        bottom = [0] * len(keys)
        for split, color in zip(SPLITS, ("#4c72b0", "#dd8452", "#55a868"), strict=True):
            vals = [table[k][split] for k in keys]
            ax.bar(keys, vals, bottom=bottom, label=split, color=color)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        ax.set_title(PLOTS[name])
        ax.set_ylabel("count")
        ax.legend(frameon=False, fontsize=8)
        ax.tick_params(axis="x", labelrotation=45 if len(keys) > 6 else 0, labelsize=8)
        fig.tight_layout()
        fig.savefig(path, format="png", metadata={"Software": None})
        plt.close(fig)


def write_all(stats: dict[str, Any], folder: Path) -> list[str]:
    """Write one PNG per table into `folder`; return their file names."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for name in PLOTS:
        plot(name, stats[name], folder / f"{name}.png")
        names.append(f"{name}.png")
    return names
