"""Read the release folder the baselines train on: Parquet rows as plain dicts, labels as names.

The Parquet files carry their `datasets` features in the `huggingface` schema metadata (what
`Dataset.to_parquet` writes); ClassLabel integers are turned back into names with them. A file
without that metadata falls back to the label sets of schema/labels.json for the known columns.
Reading with pyarrow directly avoids the `datasets` cache, which can serve stale rows for a
rewritten local folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rukp.errors import RukpError
from rukp.labels import load_labels
from rukp.safeio import read_json, read_parquet

TASKS: tuple[str, ...] = ("ner", "stance", "events")
SPLITS: tuple[str, ...] = ("train", "validation", "test")


def _fallback_names() -> dict[str, tuple[str, ...]]:
    labels = load_labels()
    return {
        "ner_tags": labels.bio_tags(),
        "target": labels.stance_targets,
        "label": labels.stance_labels,
        "attribution": labels.stance_attributions,
        "types": labels.event_types,
        "type": labels.event_types,
        "factuality": labels.factuality,
    }


def _decode(value: Any, feature: Any) -> Any:
    """Turn ClassLabel ints inside `value` into names, following the `datasets` feature tree."""
    import datasets

    if value is None:
        return None
    if isinstance(feature, datasets.ClassLabel):
        return feature.int2str(int(value)) if isinstance(value, int) else value
    if isinstance(feature, dict):
        return {k: _decode(value.get(k), f) for k, f in feature.items()} | {
            k: v for k, v in value.items() if k not in feature
        }
    inner = getattr(feature, "feature", None)
    if inner is not None and isinstance(value, list):
        return [_decode(v, inner) for v in value]
    return value


def _decode_plain(row: dict[str, Any], names: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """Fallback for Parquet without features: map ints of known label columns to names."""

    def conv(key: str, v: Any) -> Any:
        if key in names and isinstance(v, int):
            return names[key][v]
        if key in names and isinstance(v, list):
            return [names[key][x] if isinstance(x, int) else x for x in v]
        if isinstance(v, list):
            return [
                {k: conv(k, x) for k, x in item.items()} if isinstance(item, dict) else item
                for item in v
            ]
        return v

    return {k: conv(k, v) for k, v in row.items()}


def split_path(release: Path, config: str, split: str) -> Path:
    return Path(release) / config / f"{split}-00000-of-00001.parquet"


def _manifest(release: Path) -> dict[str, Any] | None:
    """release/manifest.json, or None when the release has none; unreadable is an error."""
    path = Path(release) / "manifest.json"
    if not path.exists():
        return None
    data = read_json(path, "release-file")
    return data if isinstance(data, dict) else None


def _manifest_rows(release: Path) -> dict[str, dict[str, int]] | None:
    rows = (_manifest(release) or {}).get("rows")
    return rows if isinstance(rows, dict) else None


def read_rows(release: Path, config: str, split: str) -> list[dict[str, Any]]:
    """All rows of one config and split, labels as names.

    `rukp build` omits a split without rows (`datasets` cannot load a zero-row Parquet file), so a
    missing file is an empty split when the release's manifest.json counts no row for it; any other
    missing file is an error.
    """
    import datasets

    path = split_path(release, config, split)
    if not path.exists():
        counts = _manifest_rows(release)
        per_config = counts.get(config) if counts is not None else None
        if isinstance(per_config, dict) and not per_config.get(split, 0):
            return []
        raise RukpError.single(
            "release-file-missing",
            f"no Parquet file for config '{config}', split '{split}'",
            file=str(path),
            hint="build the release first (`rukp build`) or pass --release <folder>; "
            "expected <release>/<config>/<split>-00000-of-00001.parquet and manifest.json",
        )
    table = read_parquet(path)
    rows = table.to_pylist()
    try:
        features = datasets.Features.from_arrow_schema(table.schema)
    except Exception:
        features = None
    has_classlabel = features is not None and any(
        "ClassLabel" in repr(f) for f in features.values()
    )
    if has_classlabel:
        return [{k: _decode(v, features[k]) for k, v in row.items()} for row in rows]
    names = _fallback_names()
    return [_decode_plain(row, names) for row in rows]


@dataclass(slots=True)
class Fold:
    fold: int
    test: list[str]
    train: list[str] = field(default_factory=list)


def read_folds(release: Path) -> list[Fold]:
    """Leave-one-document-out folds of release/folds/loo.json."""
    path = Path(release) / "folds" / "loo.json"
    data = read_json(
        path,
        "release-file",
        missing=(
            "release-file-missing",
            'the release must hold folds/loo.json = {"folds": [{"fold", "test", "train"}]}',
        ),
    )
    try:
        folds = [
            Fold(fold=int(f["fold"]), test=list(f["test"]), train=list(f["train"]))
            for f in data["folds"]
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise RukpError.single(
            "bad-folds",
            f"cannot read the folds: {exc}",
            file=str(path),
            location="$.folds",
            hint='expected {"folds": [{"fold": k, "test": [doc_id], "train": [doc_id, ...]}]}',
        ) from exc
    return sorted(folds, key=lambda f: f.fold)


def dataset_version(release: Path) -> str | None:
    """The release version from manifest.json, or None when there is no manifest."""
    manifest = _manifest(release)
    if manifest is None or "version" not in manifest:
        return None
    return str(manifest["version"])
