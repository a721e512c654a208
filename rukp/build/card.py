"""The dataset card: HF YAML front matter plus dataset_card.md with its markers filled.

Markers in the source are `<!-- rukp:NAME -->` (a line or inline); each is replaced by
generated text. Nothing numeric is typed by hand: counts come from the rows, agreement from
annotations/AGREEMENT.md (or annotations/agreement.json), baseline figures from
baselines/results/summary.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rukp.errors import RukpError
from rukp.safeio import read_csv, read_json, read_text

MARKER = re.compile(r"<!-- rukp:([a-z_]+) -->")

PRETTY_NAME = "rukp: news coverage of Russia–North Korea military cooperation"
LICENSE_NAME = "third-party-news-text"


def yaml_header(
    version: str,
    languages: list[str],
    infos: dict[str, dict[str, Any]],
    n_docs: int,
) -> str:
    """README YAML as push_to_hub writes it: configs (with version) and dataset_info."""
    import yaml

    size = "n<1K" if n_docs < 1000 else ("1K<n<10K" if n_docs < 10000 else "10K<n<100K")
    configs = []
    for name in sorted(infos):
        configs.append(
            {
                "config_name": name,
                "version": version,
                "data_files": [
                    {"split": s["name"], "path": f"{name}/{s['name']}-*"}
                    for s in infos[name]["splits"]
                ],
            }
        )
    dataset_info = [{"config_name": n, **infos[n]} for n in sorted(infos)]
    meta = {
        "pretty_name": PRETTY_NAME,
        "language": languages,
        "license": "other",
        "license_name": LICENSE_NAME,
        "license_link": "LICENSE.md",
        "multilinguality": "multilingual",
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition", "multi-label-classification"],
        "size_categories": [size],
        "tags": ["news", "stance", "event-extraction", "plover", "entity-linking"],
        "configs": configs,
        "dataset_info": dataset_info,
    }
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{body}---\n"


def example_block(row: dict[str, Any], max_chars: int = 300, max_items: int = 8) -> str:
    """A release row as compact JSON (one key per line, one list item of dicts per line) with long
    strings and lists shortened (marked as such)."""

    def cut(v: Any) -> Any:
        if isinstance(v, str) and len(v) > max_chars:
            return v[:max_chars] + f"… [{len(v) - max_chars} more characters]"
        if isinstance(v, list):
            head = [cut(x) for x in v[:max_items]]
            return head + ([f"… [{len(v) - max_items} more]"] if len(v) > max_items else [])
        if isinstance(v, dict):
            return {k: cut(x) for k, x in v.items()}
        return v

    def dump(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    lines = []
    for k, v in cut(row).items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            items = ",\n".join(f"    {dump(x)}" for x in v)
            lines.append(f"  {dump(k)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {dump(k)}: {dump(v)}")
    return "```json\n{\n" + ",\n".join(lines) + "\n}\n```"


def agreement_section(annotations: Path) -> str:
    summary = annotations / "agreement.json"
    md = annotations / "AGREEMENT.md"
    if summary.exists():
        data = read_json(summary, "text")
        return (
            "Read from `annotations/agreement.json` (computed by `rukp agreement`):\n\n"
            + "```json\n"
            + json.dumps(data, ensure_ascii=False, indent=2)
            + "\n```"
        )
    if md.exists():
        text = read_text(md, "text").strip()
        text = re.sub(r"^(#+)", r"###\1", text, flags=re.M)  # nest its headings under ours
        return "Copied from `annotations/AGREEMENT.md` (computed by `rukp agreement`):\n\n" + text
    return "Not yet computed (annotations/AGREEMENT.md is absent)."


def baselines_section(summary: Path) -> str:
    """Tables from baselines/results/summary.json; shape documented in docs/build.md."""
    if not summary.exists():
        return "Not yet computed (baselines/results/summary.json is absent)."
    data = read_json(summary, "text")
    rows = data.get("rows", []) if isinstance(data, dict) else None
    cv = data.get("cv", []) if isinstance(data, dict) else None
    if not (
        isinstance(rows, list)
        and isinstance(cv, list)
        and all(isinstance(r, dict) for r in [*rows, *cv])
    ):
        raise RukpError.single(
            "invalid-baseline-summary",
            "cannot read baseline summary: rows and cv must be lists of objects",
            file=str(summary),
            hint='expected {"rows": [{"task","system","metric","split","value","ci_low",'
            '"ci_high","signature"}], "cv": [{"task","system","metric","mean","std","folds"}]}',
        )

    def f(x: Any) -> str:
        return "–" if x is None else (f"{x:.3f}" if isinstance(x, float) else str(x))

    def n_folds(x: Any) -> str:
        """`folds` is a count, or the per-fold records ({"fold", "value", …}) of rukp baselines."""
        if isinstance(x, list):
            scored = sum(1 for r in x if not isinstance(r, dict) or r.get("value") is not None)
            return str(scored) if scored == len(x) else f"{scored} of {len(x)}"
        return f(x)

    out = []
    if rows:
        out.append("| task | system | metric | split | value | 95% CI | signature |")
        out.append("|---|---|---|---|---:|---|---|")
        undefined: list[str] = []
        for r in rows:
            ci = f"[{f(r.get('ci_low'))}, {f(r.get('ci_high'))}]"
            why = r.get("ci_undefined")
            if r.get("ci_low") is None and isinstance(why, str):
                ci = "undefined"
                if why not in undefined:
                    undefined.append(why)
            out.append(
                f"| {r.get('task')} | {r.get('system')} | {r.get('metric')} | {r.get('split')} "
                f"| {f(r.get('value'))} | {ci} | `{r.get('signature', '')}` |"
            )
        if undefined:
            out.append("\n95% CI " + "; ".join(undefined) + ".")
    if cv:
        out.append("\nLeave-one-document-out cross-validation (release/folds/loo.json):\n")
        out.append("| task | system | metric | mean | std | folds scored |")
        out.append("|---|---|---|---:|---:|---:|")
        for r in cv:
            out.append(
                f"| {r.get('task')} | {r.get('system')} | {r.get('metric')} | {f(r.get('mean'))} "
                f"| {f(r.get('std'))} | {n_folds(r.get('folds'))} |"
            )
    return "\n".join(out) if out else "Not yet computed (the summary holds no rows)."


def licensing_section(sources_csv: Path, doc_ids: list[str]) -> str:
    if not sources_csv.exists():
        return "Per-article provenance is missing (raw/sources.csv absent)."
    _, rows = read_csv(sources_csv)
    src = {r.get("id"): r for _, r in rows}
    lines = ["| document | outlet | source URL | licence note |", "|---|---|---|---|"]
    for d in doc_ids:
        r = src.get(d, {})
        note = (r.get("licence_note") or "not recorded").replace("|", "\\|")
        lines.append(
            f"| {d} | {r.get('outlet') or 'unknown'} | {r.get('url') or 'not stated'} | {note} |"
        )
    return "\n".join(lines)


def license_file(licensing_table: str) -> str:
    """release/LICENSE.md: the annotations' licence and the per-article status of the texts."""
    return (
        "# Licence\n\n"
        "The annotations (entity spans, canonical ids, stance and event records), the split and "
        "the statistics are released under the Creative Commons Attribution 4.0 International "
        "licence (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/). The code of rukp, "
        "which built them, is under the MIT licence.\n\n"
        "The article texts are third-party news text. Their publishers and copyright holders are "
        "mostly unknown; the texts are redistributed unmodified for non-commercial research on "
        "news coverage and are removed on request of a rights holder. No licence to the texts "
        "is granted by this dataset.\n\n" + licensing_table + "\n"
    )


def fill(source: str, parts: dict[str, str], card_path: Path) -> str:
    """Replace every marker of the card source; an unknown marker is an error."""
    unknown = sorted(set(MARKER.findall(source)) - set(parts))
    if unknown:
        raise RukpError.single(
            "unknown-card-marker",
            f"unknown marker(s) {', '.join(unknown)}; allowed: {', '.join(sorted(parts))}",
            file=str(card_path),
        )
    return MARKER.sub(lambda m: parts[m.group(1)], source)
