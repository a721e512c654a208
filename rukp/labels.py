"""Label sets read from schema/labels.json, the one source of truth (never literals in code)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rukp.paths import schema_dir
from rukp.safeio import read_json


@dataclass(frozen=True, slots=True)
class LabelSets:
    version: str
    entity_types: tuple[str, ...]
    stance_labels: tuple[str, ...]
    stance_attributions: tuple[str, ...]
    stance_targets: tuple[str, ...]
    event_types: tuple[str, ...]
    event_modes: dict[str, tuple[str, ...]]
    factuality: tuple[str, ...]
    raw: dict

    def bio_tags(self) -> tuple[str, ...]:
        """BIO tag names in a fixed order: O, then B-/I- per entity type."""
        return ("O", *(f"{p}-{t}" for t in self.entity_types for p in ("B", "I")))


@lru_cache(maxsize=4)
def load_labels(path: Path | None = None) -> LabelSets:
    p = path or schema_dir() / "labels.json"
    data = read_json(p, "config")

    def ids(key: str) -> tuple[str, ...]:
        return tuple(item["id"] for item in data[key])

    return LabelSets(
        version=data["version"],
        entity_types=ids("entity_types"),
        stance_labels=ids("stance_labels"),
        stance_attributions=ids("stance_attributions"),
        stance_targets=ids("stance_targets"),
        event_types=ids("event_types"),
        event_modes={
            e["id"]: tuple(m["id"] for m in e.get("modes", [])) for e in data["event_types"]
        },
        factuality=ids("factuality"),
        raw=data,
    )
