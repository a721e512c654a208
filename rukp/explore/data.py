"""The explorer's inputs: every row of the release (checked against its manifest), the registry,
the per-article licence notes, and the leaderboard entries with the prediction files they name.

Rows are plain dicts with labels as names (ClassLabel integers decoded with the features stored
in each Parquet file), exactly as the scorer reads them. Every file is read through
`rukp.safeio` (regular files only, size bounds, strict UTF-8, bounded JSON).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.evaluate.release import (
    SPLITS,
    data_hash,
    read_manifest,
    read_release_table,
    split_files,
)
from rukp.safeio import read_csv, read_json

CONFIGS = ("documents", "entities", "ner", "stance", "events")
NEEDED = {
    "documents": ("id", "language", "title", "text", "published", "outlet", "url", "cluster"),
    "entities": ("id", "entities"),
    "ner": ("id", "doc_id", "sentence_index", "tokens", "token_starts", "token_ends", "ner_tags"),
    "stance": (
        "id",
        "doc_id",
        "holder",
        "holder_name",
        "target",
        "label",
        "attribution",
        "evidence",
        "evidence_start",
        "evidence_end",
        "context",
        "context_start",
        "context_end",
    ),
    "events": ("id", "doc_id", "sentence_index", "text", "start", "end", "types", "mentions"),
}


@dataclass(slots=True)
class Doc:
    id: str
    split: str
    language: str
    title: str
    text: str
    published: str | None
    outlet: str | None
    url: str | None
    cluster: str | None
    licence_note: str | None = None


@dataclass(slots=True)
class Release:
    """All rows of a release folder, grouped per document (documents in id order)."""

    path: Path
    version: str
    manifest: dict[str, Any]
    docs: dict[str, Doc] = field(default_factory=dict)
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ner: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stance: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def data_field(self, task_config: str, split: str) -> str | None:
        """The `data:` field a score of `task_config` on `split` carries (as in signatures)."""
        files = split_files(self.manifest, task_config, split)
        if not files:
            return None
        return f"data:{self.version}+sha256:{data_hash(self.manifest, files)[:12]}"

    def split_docs(self, split: str) -> list[str]:
        return [d for d, doc in self.docs.items() if doc.split == split]


def _decode(feature: Any, value: Any) -> Any:
    """A stored value with every ClassLabel integer (also inside lists and structs) as its name."""
    from datasets import ClassLabel

    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.int2str(int(value))
    if isinstance(feature, dict):
        return {k: _decode(f, value.get(k)) for k, f in feature.items()}
    inner = getattr(feature, "feature", None)
    if inner is not None and isinstance(value, list):
        return [_decode(inner, v) for v in value]
    return value


def _has_classlabel(feature: Any) -> bool:
    from datasets import ClassLabel

    if isinstance(feature, ClassLabel):
        return True
    if isinstance(feature, dict):
        return any(_has_classlabel(f) for f in feature.values())
    inner = getattr(feature, "feature", None)
    return inner is not None and _has_classlabel(inner)


def _err(id: str, message: str, file: Path | None = None, hint: str | None = None) -> RukpError:
    return RukpError(Incident(id=id, message=message, file=str(file) if file else None, hint=hint))


def read_rows(release_dir: Path, manifest: dict[str, Any], rel: str) -> list[dict[str, Any]]:
    """Rows of one Parquet file of the release, checked against its manifest sha256."""
    config = rel.split("/", 1)[0]
    table, features = read_release_table(release_dir, manifest, rel, NEEDED[config])
    rows = table.to_pylist()
    coded = [c for c in table.column_names if c in features and _has_classlabel(features[c])]
    for row in rows:
        for c in coded:
            row[c] = _decode(features[c], row[c])
    return rows


def load_release(release_dir: Path) -> Release:
    """Every config and split of the release (a split absent from the manifest is empty)."""
    release_dir = Path(release_dir)
    manifest = read_manifest(release_dir)
    rel = Release(path=release_dir, version=str(manifest["version"]), manifest=manifest)
    rows: dict[str, list[tuple[str, dict[str, Any]]]] = {c: [] for c in CONFIGS}
    for config in CONFIGS:
        for split in SPLITS:
            for f in split_files(manifest, config, split):
                rows[config].extend((split, r) for r in read_rows(release_dir, manifest, f))
    if not rows["documents"]:
        raise _err(
            "release-split-missing",
            "the release has no documents rows",
            release_dir / "manifest.json",
            "pass --release pointing at a folder written by `rukp build`",
        )
    for split, r in sorted(rows["documents"], key=lambda x: x[1]["id"]):
        rel.docs[r["id"]] = Doc(
            id=r["id"],
            split=split,
            language=str(r.get("language") or "und"),
            title=str(r.get("title") or ""),
            text=str(r.get("text") or ""),
            published=r.get("published"),
            outlet=r.get("outlet"),
            url=r.get("url"),
            cluster=r.get("cluster"),
        )
    known = set(rel.docs)
    for _, r in rows["entities"]:
        rel.entities[r["id"]] = sorted(r["entities"] or [], key=lambda e: (e["start"], e["end"]))
    for config, target in (("ner", rel.ner), ("stance", rel.stance), ("events", rel.events)):
        for _, r in rows[config]:
            target.setdefault(r["doc_id"], []).append(r)
    for target in (rel.ner, rel.events):
        for rs in target.values():
            rs.sort(key=lambda r: r["sentence_index"])
    orphans = sorted((set(rel.entities) | set(rel.ner) | set(rel.stance) | set(rel.events)) - known)
    if orphans:
        raise RukpError(
            *(
                Incident(
                    id="release-row-without-document",
                    message=f"rows of document {d!r} but no documents row for it",
                    file=str(release_dir),
                    doc_id=d,
                    hint="the release is inconsistent: rebuild it with `rukp build`",
                )
                for d in orphans
            )
        )
    return rel


def _absent(path: Path | None) -> bool:
    """No file at all at `path` (not even a broken link): an optional input left out."""
    return path is None or not os.path.lexists(path)


def load_licence_notes(sources_csv: Path | None, required: bool = False) -> dict[str, str]:
    """doc id -> licence note from raw/sources.csv, read through rukp.safeio (empty when the
    file is absent and not `required`)."""
    if not required and _absent(sources_csv):
        return {}
    assert sources_csv is not None
    _, rows = read_csv(sources_csv, "csv")
    return {(r.get("id") or "").strip(): (r.get("licence_note") or "").strip() for _, r in rows}


def load_registry(path: Path | None, required: bool = False) -> dict[str, dict[str, Any]]:
    """The canonical registry keyed by id, read through rukp.safeio (empty when the file is
    absent and not `required`)."""
    if not required and _absent(path):
        return {}
    assert path is not None
    data = read_json(path, "registry")
    try:
        return {str(e["id"]): e for e in data.get("entities", [])}
    except (KeyError, TypeError, AttributeError) as exc:
        raise _err(
            "registry-unreadable",
            f"cannot read the registry: {exc!r}; expected an object with 'entities': "
            "[{'id': …}, …]",
            Path(path),
        ) from exc
