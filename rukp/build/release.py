"""Build the release folder: Parquet per config/split, README (YAML + card), statistics,
plots, folds and a sha256 manifest, written into a temporary folder and then swapped in."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rukp.build import card, stats
from rukp.build.inputs import (
    Gold,
    check_drift,
    check_gold,
    load_gold,
    load_registry,
    registry_path_for,
)
from rukp.build.rows import CONFIGS, Rows, build_rows, features
from rukp.build.splits import (
    SPLITS,
    SplitRow,
    assign,
    hash_policy,
    leakage_incidents,
    manifest_csv,
    moved_incidents,
    read_manifest,
    read_released,
    read_stories,
    released_path,
    released_rows,
)
from rukp.documents import Document, load_documents
from rukp.errors import Incident, RukpError
from rukp.io import dumps_json, sha256_bytes, swap_in
from rukp.labels import LabelSets, load_labels
from rukp.versions import DATA_VERSION_FILE, read_data_version
from rukp.safeio import present, read_json, read_text, sha256_file

ROW_GROUP_SIZE = 10_000


@dataclass(slots=True)
class BuildInputs:
    """Every path the build reads; defaults are the repository's."""

    documents: Path
    gold: Path
    splits_dir: Path
    card_source: Path
    annotations: Path
    baselines_summary: Path
    sources_csv: Path
    data_version_file: Path

    @property
    def version(self) -> str:
        """The data version this build writes (DATA_VERSION), not the package version."""
        return read_data_version(self.data_version_file)


@dataclass(slots=True)
class BuildResult:
    out: Path
    rows: dict[str, dict[str, int]]
    split_rows: dict[str, SplitRow]
    warnings: list[Incident] = field(default_factory=list)


def default_inputs(root: Path) -> BuildInputs:
    return BuildInputs(
        documents=root / "build" / "ingest" / "documents.jsonl",
        gold=root / "annotations" / "gold",
        splits_dir=root / "splits",
        card_source=root / "dataset_card.md",
        annotations=root / "annotations",
        baselines_summary=root / "baselines" / "results" / "summary.json",
        sources_csv=root / "raw" / "sources.csv",
        data_version_file=root / DATA_VERSION_FILE,
    )


def _run_validator(gold_dir: Path, documents: Path) -> None:
    """Refuse invalid gold with rukp.validate when that stage is installed."""
    try:
        from rukp.validate import validate_paths
    except ImportError:
        return
    incidents = validate_paths([gold_dir], documents_path=documents)
    errors = [i for i in incidents if i.level == "error"]
    if errors:
        raise RukpError(*errors)


def load_inputs(
    inp: BuildInputs, labels: LabelSets
) -> tuple[dict[str, Document], dict[str, Gold], dict[str, dict[str, Any]]]:
    docs = load_documents(inp.documents)
    gold = load_gold(inp.gold)
    check_drift(gold, docs)
    registry = load_registry(registry_path_for(inp.gold))
    _run_validator(inp.gold, inp.documents)
    check_gold(gold, docs, registry, labels)
    return docs, gold, registry


def _write_parquet(rows: list[dict[str, Any]], feats: Any, path: Path) -> int:
    """Rows → Parquet with normalised chunks and a fixed row-group size (stable bytes)."""
    import pyarrow.parquet as pq
    from datasets import Dataset

    ds = Dataset.from_list(rows, features=feats)
    table = ds.with_format("arrow")[:].combine_chunks()
    meta = dict(table.schema.metadata or {})
    meta.update(ds.data.table.schema.metadata or {})
    table = table.replace_schema_metadata(meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=ROW_GROUP_SIZE, compression="snappy")
    return int(ds.data.nbytes)


def _folds(doc_ids: list[str]) -> dict[str, Any]:
    return {
        "folds": [
            {"fold": k, "test": [d], "train": [x for x in doc_ids if x != d]}
            for k, d in enumerate(doc_ids)
        ]
    }


_EXAMPLE_FIELD = {"entities": "entities", "events": "mentions"}


def _example(rows: Rows, config: str) -> dict[str, Any] | None:
    """The first row (train first) that shows something: a tagged sentence, an event mention."""
    every = [r for s in SPLITS for r in rows.by_config[config][s]]

    def shows(r: dict[str, Any]) -> bool:
        if config == "ner":
            return any(t != "O" for t in r["ner_tags"])
        key = _EXAMPLE_FIELD.get(config)
        return bool(r[key]) if key else True

    return next((r for r in every if shows(r)), every[0] if every else None)


def _absent_labels(table: dict[str, dict[str, dict[str, int]]]) -> str:
    out = []
    for name, what in (
        ("entities_per_type", "entity types"),
        ("stance_labels", "stance labels"),
        ("event_types", "event types"),
    ):
        zero = [k for k, c in table[name].items() if not sum(c.values())]
        if zero:
            out.append(f"{what} {', '.join(zero)}")
    return "; ".join(out) or "none"


def _largest_cluster(split_rows: dict[str, SplitRow], in_release: list[str]) -> str:
    sizes: dict[str, int] = {}
    for d in in_release:
        sizes[split_rows[d].cluster] = sizes.get(split_rows[d].cluster, 0) + 1
    name = min(sizes, key=lambda c: (-sizes[c], c))
    return f"{sizes[name]} of {len(in_release)} documents (`{name}`)"


def _absent_languages(present: list[str]) -> str:
    """Languages the ingest accepts (rukp.ingest.langid.LANGUAGES) with no released document."""
    try:
        from rukp.ingest.langid import LANGUAGES
    except ImportError:
        return "unknown (rukp.ingest is not installed)"
    missing = [lang for lang in LANGUAGES if lang not in present and lang != "la"]
    return ", ".join(f"`{lang}`" for lang in missing) or "none"


def _total(table: dict[str, dict[str, int]]) -> int:
    return sum(v for counts in table.values() for v in counts.values())


def _split_policy(split_rows: dict[str, SplitRow], in_release: list[str]) -> str:
    lines = ["| document | split | cluster |", "|---|---|---|"]
    for d in in_release:
        r = split_rows[d]
        lines.append(f"| {d} | {r.split} | {r.cluster} |")
    return "\n".join(lines)


def write_release(
    tmp: Path,
    inp: BuildInputs,
    docs: dict[str, Document],
    gold: dict[str, Gold],
    registry: dict[str, dict[str, Any]],
    split_rows: dict[str, SplitRow],
    labels: LabelSets,
) -> dict[str, dict[str, int]]:
    """Write the whole release into the (empty) folder `tmp`; return row counts."""
    version = inp.version
    rows: Rows = build_rows(docs, gold, split_rows, registry, labels)
    feats = features(labels)
    infos: dict[str, dict[str, Any]] = {}
    counts: dict[str, dict[str, int]] = {}
    for config in CONFIGS:
        splits_info = []
        total_bytes = 0
        download = 0
        for split in SPLITS:
            part = rows.by_config[config][split]
            counts.setdefault(config, {})[split] = len(part)
            if not part:
                continue  # `datasets` cannot load a zero-row Parquet split: the split is omitted
            path = tmp / config / f"{split}-00000-of-00001.parquet"
            nbytes = _write_parquet(part, feats[config], path)
            splits_info.append({"name": split, "num_bytes": nbytes, "num_examples": len(part)})
            total_bytes += nbytes
            download += path.stat().st_size
        infos[config] = {
            "features": feats[config]._to_yaml_list(),
            "splits": splits_info,
            "download_size": download,
            "dataset_size": total_bytes,
        }
    table = stats.compute(rows, labels)
    plots = stats.write_all(table, tmp / "stats")
    (tmp / "stats" / "statistics.json").write_text(dumps_json(table), encoding="utf-8")
    in_release = sorted(gold)
    (tmp / "folds").mkdir(parents=True, exist_ok=True)
    (tmp / "folds" / "loo.json").write_text(dumps_json(_folds(in_release)), encoding="utf-8")

    languages = sorted({docs[d].language for d in in_release})
    examples = []
    for config in CONFIGS:
        first = _example(rows, config)
        body = card.example_block(first) if first else "_(no rows)_"
        examples.append(f"#### `{config}`\n\n{body}")
    split_table = ["| config | " + " | ".join(SPLITS) + " |", "|---|" + "---:|" * len(SPLITS)]
    for config in CONFIGS:
        split_table.append(
            f"| {config} | " + " | ".join(str(counts[config][s]) for s in SPLITS) + " |"
        )
    lang_counts = table["documents_per_language"]
    parts = {
        "version": version,
        "summary_counts": (
            f"{len(in_release)} documents in {len(languages)} languages; "
            f"{sum(counts['ner'].values())} sentences, "
            f"{_total(table['entities_per_type'])} entity mentions, "
            f"{sum(counts['stance'].values())} stance records, "
            f"{_total(table['event_types'])} event mentions."
        ),
        "languages": "\n".join(
            f"- `{lang}`: {sum(lang_counts[lang].values())} document(s)" for lang in languages
        ),
        "examples": "\n\n".join(examples),
        "splits": "\n".join(split_table),
        "split_assignment": _split_policy(split_rows, in_release),
        "hash_policy": hash_policy(),
        "split_docs": ", ".join(f"{counts['documents'][s]} {s}" for s in SPLITS) + " documents",
        "n_folds": str(len(in_release)),
        "n_documents": str(len(in_release)),
        "absent_labels": _absent_labels(table),
        "largest_cluster": _largest_cluster(split_rows, in_release),
        "absent_languages": _absent_languages(languages),
        "statistics": "\n\n".join(
            stats.markdown_table(stats.PLOTS[n], table[n], n.split("_per_")[-1].replace("_", " "))
            + f"\n\n![{stats.PLOTS[n]}](stats/{n}.png)"
            for n in stats.PLOTS
        ),
        "agreement": card.agreement_section(inp.annotations),
        "baselines": card.baselines_section(inp.baselines_summary),
        "licensing": card.licensing_section(inp.sources_csv, in_release),
        "citation": (
            "```bibtex\n@misc{rukp_" + version.replace(".", "_") + ",\n"
            "  title  = {rukp: a multilingual benchmark of news coverage of Russia--North Korea"
            " military cooperation},\n"
            "  note   = {Dataset version " + version + "}\n}\n```"
        ),
        "plots": "\n".join(f"- `stats/{p}`" for p in plots),
    }
    source = read_text(inp.card_source, "text", missing=("card-source-missing", "pass --card FILE"))
    body = card.fill(source, parts, inp.card_source)
    readme = card.yaml_header(version, languages, infos, len(in_release)) + "\n" + body
    (tmp / "README.md").write_text(readme, encoding="utf-8")
    (tmp / "LICENSE.md").write_text(card.license_file(parts["licensing"]), encoding="utf-8")

    files = {
        p.relative_to(tmp).as_posix(): sha256_file(p, "release-file")
        for p in sorted(tmp.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }
    parquet = "".join(f"{k}:{v}\n" for k, v in files.items() if k.endswith(".parquet"))
    manifest = {
        "version": version,
        "data_sha256": sha256_bytes(parquet.encode("utf-8")),
        "files": files,
        "rows": counts,
    }
    (tmp / "manifest.json").write_text(dumps_json(manifest), encoding="utf-8")
    return counts


def prepare(inp: BuildInputs, labels: LabelSets | None = None):  # type: ignore[no-untyped-def]
    """Load inputs, assign splits and refuse leakage: everything before writing."""
    labels = labels or load_labels()
    docs, gold, registry = load_inputs(inp, labels)
    stories = read_stories(inp.splits_dir / "stories.csv")
    manifest = read_manifest(inp.splits_dir / "manifest.csv")
    split_rows, notes = assign(docs, stories, manifest)
    moved = moved_incidents(split_rows, read_released(inp.splits_dir), inp.splits_dir)
    leaks = [i for i in moved if i.level == "error"] + leakage_incidents(docs, split_rows, stories)
    if leaks:
        raise RukpError(*leaks)
    notes += [i for i in moved if i.level != "error"]
    for doc_id in sorted(set(docs) - set(gold)):
        notes.append(
            Incident(
                "document-not-annotated",
                "cleaned document without gold: its split is fixed, but it is not released",
                file=str(inp.gold),
                doc_id=doc_id,
                level="warning",
            )
        )
    return labels, docs, gold, registry, split_rows, notes


def build(inp: BuildInputs, out: Path, *, write_splits: bool = True) -> BuildResult:
    """Build the release into `out` (atomically) and update splits/manifest.csv and
    splits/released/<data version>.csv."""
    from rukp.build.splits import write_manifest

    labels, docs, gold, registry, split_rows, notes = prepare(inp)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        counts = write_release(tmp, inp, docs, gold, registry, split_rows, labels)
        notes += _same_version_note(out, tmp)
        swap_in(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(tmp)
    if write_splits:
        write_manifest(inp.splits_dir / "manifest.csv", split_rows.values())
        write_manifest(released_path(inp.splits_dir, inp.version), released_rows(split_rows, gold))
    return BuildResult(out=out, rows=counts, split_rows=split_rows, warnings=notes)


def _same_version_note(old: Path, new: Path) -> list[Incident]:
    """A warning when the data changed (data_sha256) but the data version did not."""
    try:  # the old release may be anything; the note is skipped when it cannot be read
        a = read_json(old / "manifest.json", "release-file")
        b = read_json(new / "manifest.json", "release-file")
    except RukpError:
        return []
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return []
    if a.get("version") != b.get("version") or a.get("data_sha256") == b.get("data_sha256"):
        return []
    return [
        Incident(
            "data-changed-same-version",
            f"the release data changed (data_sha256 {str(a.get('data_sha256'))[:12]}… → "
            f"{str(b.get('data_sha256'))[:12]}…) but the data version stays {b.get('version')}",
            file=str(old / "manifest.json"),
            level="warning",
            hint="once a version is published, open the next one first: "
            "`rukp release --bump patch|minor|major`, then build again",
        )
    ]


def compare_trees(committed: Path, fresh: Path) -> list[Incident]:
    """Every file that differs, is missing, or is extra in the committed release."""

    def listing(root: Path) -> dict[str, str]:
        if not root.is_dir():
            return {}
        return {
            p.relative_to(root).as_posix(): sha256_file(p, "release-file")
            for p in root.rglob("*")
            if not p.is_dir()
        }

    a, b = listing(committed), listing(fresh)
    out = []
    for rel in sorted(set(a) | set(b)):
        if rel not in a:
            msg = "missing from the committed release"
        elif rel not in b:
            msg = "not produced by a fresh build"
        elif a[rel] != b[rel]:
            msg = f"sha256 {a[rel][:12]}… ≠ fresh build {b[rel][:12]}…"
        else:
            continue
        out.append(
            Incident(
                "release-stale",
                msg,
                file=f"{committed.name}/{rel}",
                hint="run `rukp build` and commit release/ (and splits/manifest.csv)",
            )
        )
    return out


def check(inp: BuildInputs, committed: Path) -> list[Incident]:
    """The CI check: leakage, and the committed release equals a fresh build byte for byte."""
    incidents: list[Incident] = []
    labels = load_labels()
    docs, _gold, _reg = load_inputs(inp, labels)
    stories = read_stories(inp.splits_dir / "stories.csv")
    manifest = read_manifest(inp.splits_dir / "manifest.csv")
    split_rows, _ = assign(docs, stories, manifest)
    incidents += [
        i
        for i in moved_incidents(split_rows, read_released(inp.splits_dir), inp.splits_dir)
        if i.level == "error"
    ]
    snapshot = released_path(inp.splits_dir, inp.version)
    fresh_rows = manifest_csv(released_rows(split_rows, _gold))
    committed_rows = read_text(snapshot, "csv") if present(snapshot) else None
    if committed_rows != fresh_rows:
        incidents.append(
            Incident(
                "split-snapshot-stale",
                f"{'missing' if committed_rows is None else 'differs from a fresh build'}: the "
                f"split rows of the documents data version {inp.version} releases",
                file=str(snapshot),
                hint="run `rukp build` and commit splits/released/",
            )
        )
    missing = sorted(d for d in _gold if d not in manifest)
    for d in missing:
        incidents.append(
            Incident(
                "split-not-committed",
                "document has gold but no row in splits/manifest.csv",
                file=str(inp.splits_dir / "manifest.csv"),
                doc_id=d,
                hint="run `rukp build` and commit splits/manifest.csv",
            )
        )
    incidents += leakage_incidents(docs, split_rows, stories)
    if incidents:
        return incidents
    with tempfile.TemporaryDirectory(prefix="rukp-check-") as t:
        fresh = Path(t) / committed.name
        build(inp, fresh, write_splits=False)
        incidents += compare_trees(committed, fresh)
    return incidents


def summary_json(result: BuildResult) -> str:
    return json.dumps({"out": str(result.out), "rows": result.rows}, indent=2)
