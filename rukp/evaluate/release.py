"""Read gold rows of one config/split from a release folder, and the data hash for signatures.

The release layout is `release/<config>/<split>-00000-of-00001.parquet` + `release/manifest.json`
(docs/ARCHITECTURE.md). ClassLabel integers are turned into names with the features stored in the
Parquet metadata (key `huggingface`). Every file used is checked against its manifest sha256.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.safeio import parse_parquet, read_bytes, read_json

TASK_CONFIG = {"ner": "ner", "stance": "stance", "events": "events"}
SPLITS = ("train", "validation", "test")
COLUMNS = {
    "ner": ("id", "doc_id", "language", "tokens", "ner_tags"),
    "stance": ("id", "doc_id", "language", "label"),
    "events": ("id", "doc_id", "language", "types"),
}


@dataclass(slots=True)
class GoldSplit:
    task: str
    split: str
    version: str
    data_sha256: str  # sha256 over "<path> <sha256>\n" lines of the split's files, sorted
    files: list[str]
    rows: list[dict[str, Any]]


def _err(
    id: str, message: str, file: Path | str | None = None, hint: str | None = None
) -> RukpError:
    return RukpError(Incident(id=id, message=message, file=str(file) if file else None, hint=hint))


def read_manifest(release_dir: Path) -> dict[str, Any]:
    path = Path(release_dir) / "manifest.json"
    data = read_json(
        path,
        "release-file",
        missing=(
            "release-not-found",
            "pass --release pointing at the folder written by `rukp build`",
        ),
    )
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("files"), dict)
        or "version" not in data
    ):
        raise _err(
            "release-manifest-invalid",
            "manifest.json must be an object with 'version' and 'files' {path: sha256}",
            path,
        )
    return data


def split_files(manifest: dict[str, Any], config: str, split: str) -> list[str]:
    """The manifest's Parquet shards of one config and split (only names of the form the build
    writes, so a manifest cannot point outside the release folder)."""
    shard = re.compile(rf"{re.escape(config)}/{re.escape(split)}-[0-9]{{5}}-of-[0-9]{{5}}\.parquet")
    return sorted(p for p in manifest["files"] if shard.fullmatch(p))


def data_hash(manifest: dict[str, Any], files: list[str]) -> str:
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(f"{rel} {manifest['files'][rel]}\n".encode())
    return h.hexdigest()


def _decoder(feature: Any):  # type: ignore[no-untyped-def]
    """A function turning a stored value into names, for ClassLabel and List(ClassLabel)."""
    from datasets import ClassLabel

    inner = getattr(feature, "feature", None)
    if isinstance(feature, ClassLabel):
        return lambda v: None if v is None else feature.int2str(int(v))
    if isinstance(inner, ClassLabel):
        return lambda v: None if v is None else [inner.int2str(int(x)) for x in v]
    return None


def release_bytes(release_dir: Path, manifest: dict[str, Any], rel: str) -> bytes:
    """The bytes of one file of the release (through rukp.safeio), checked against its manifest
    sha256."""
    path = release_dir / rel
    data = read_bytes(
        path,
        "release-file",
        missing=("release-file-missing", f"{rel} is listed in the manifest; restore it"),
    )
    actual = hashlib.sha256(data).hexdigest()
    if actual != manifest["files"][rel]:
        raise _err(
            "release-hash-mismatch",
            f"sha256 of {rel} is {actual[:12]}…, manifest says {str(manifest['files'][rel])[:12]}…",
            path,
            "rebuild the release (`rukp build`) or restore the committed files",
        )
    return data


def read_release_table(
    release_dir: Path, manifest: dict[str, Any], rel: str, needed: Sequence[str]
) -> tuple[Any, Any]:
    """One Parquet file of the release, checked against its manifest sha256, holding the
    `needed` columns: (pyarrow Table, datasets Features read from its schema)."""
    from datasets import Features

    path = release_dir / rel
    table = parse_parquet(release_bytes(release_dir, manifest, rel), path)
    missing = [c for c in needed if c not in table.column_names]
    if missing:
        raise _err(
            "release-columns-missing",
            f"{rel} lacks column(s) {', '.join(missing)}; needed: {', '.join(needed)}",
            path,
        )
    try:
        features = Features.from_arrow_schema(table.schema)
    except Exception as exc:  # malformed metadata
        raise _err(
            "release-features-missing", f"cannot read features of {rel}: {exc}", path
        ) from exc
    return table, features


def load_gold(task: str, release_dir: Path, split: str = "test") -> GoldSplit:
    """Gold rows (plain dicts, labels as names) of `task` on `split`, checked by manifest."""
    if task not in TASK_CONFIG:
        raise _err("unknown-task", f"unknown task {task!r}; allowed: {', '.join(TASK_CONFIG)}")
    release_dir = Path(release_dir)
    manifest = read_manifest(release_dir)
    config = TASK_CONFIG[task]
    files = split_files(manifest, config, split)
    if not files:
        raise _err(
            "release-split-missing",
            f"the manifest lists no {config}/{split}-*.parquet file",
            release_dir / "manifest.json",
            f"allowed splits: {', '.join(SPLITS)}",
        )
    rows: list[dict[str, Any]] = []
    for rel in files:
        path = release_dir / rel
        table, features = read_release_table(release_dir, manifest, rel, COLUMNS[task])
        table = table.select(list(COLUMNS[task]))
        data = table.to_pydict()
        decoders = {c: _decoder(features[c]) for c in COLUMNS[task] if c in features}
        label_col = {"ner": "ner_tags", "stance": "label", "events": "types"}[task]
        if decoders.get(label_col) is None:
            values = data[label_col]
            sample = next((v for v in values if v not in (None, [])), None)
            if isinstance(sample, list):
                sample = sample[0]
            if sample is not None and not isinstance(sample, str):
                raise _err(
                    "release-features-missing",
                    f"{rel}: column {label_col} holds integers but no ClassLabel names",
                    path,
                    "write the Parquet with datasets' to_parquet so the features are embedded",
                )
        for c, dec in decoders.items():
            if dec is not None:
                data[c] = [dec(v) for v in data[c]]
        n = table.num_rows
        rows.extend({c: data[c][i] for c in COLUMNS[task]} for i in range(n))
    return GoldSplit(
        task=task,
        split=split,
        version=str(manifest["version"]),
        data_sha256=data_hash(manifest, files),
        files=files,
        rows=rows,
    )
