"""The one JSON writer for annotation sets (A, B, gold, pulled, adjudicated, pre-annotated,
re-anchored): every `<doc_id>.json` and set registry (`entities.json`) is written by
`dumps_annotation` / `dumps_registry`, so two sets differ line by line only where their
annotations differ.

Form: UTF-8, non-ASCII kept, 2-space indent, a final newline; keys in the order the JSON Schema
lists them (schema/annotation.schema.json, schema/entities.schema.json, nested objects too),
keys the schema does not know after those, in their own order. List order is kept: writing
changes the form of a file, never its content.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from rukp.io import atomic_open, dumps_json
from rukp.paths import schema_dir
from rukp.safeio import read_json

REGISTRY_NAME = "entities.json"


@lru_cache(maxsize=4)
def _schema(name: str) -> dict[str, Any]:
    return read_json(schema_dir() / f"{name}.schema.json", "config")


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (#/$defs/...), and the first object branch of a oneOf/anyOf."""
    for _ in range(8):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part]
            node = target
            continue
        for key in ("oneOf", "anyOf"):
            for branch in node.get(key, []):
                if isinstance(branch, dict) and ("properties" in branch or "$ref" in branch):
                    node = branch
                    break
            else:
                continue
            break
        else:
            return node
    return node


def ordered(value: Any, node: dict[str, Any] | None, root: dict[str, Any]) -> Any:
    """`value` with its object keys in schema order (recursively)."""
    node = _resolve(node, root) if node else {}
    if isinstance(value, dict):
        props: dict[str, Any] = node.get("properties", {})
        extra = node.get("additionalProperties")
        keys = [k for k in props if k in value] + [k for k in value if k not in props]
        return {
            k: ordered(value[k], props.get(k) or (extra if isinstance(extra, dict) else None), root)
            for k in keys
        }
    if isinstance(value, list):
        items = node.get("items")
        return [ordered(v, items if isinstance(items, dict) else None, root) for v in value]
    return value


def dumps_annotation(data: dict[str, Any]) -> str:
    """One annotation file (schema/annotation.schema.json) in the canonical form."""
    root = _schema("annotation")
    return dumps_json(ordered(data, root, root))


def dumps_registry(data: dict[str, Any]) -> str:
    """An entity registry (schema/entities.schema.json) in the canonical form."""
    root = _schema("entities")
    return dumps_json(ordered(data, root, root))


def dumps_set_file(path: Path, data: dict[str, Any]) -> str:
    """The canonical text of a set file: a registry when named entities.json, else a document."""
    return dumps_registry(data) if Path(path).name == REGISTRY_NAME else dumps_annotation(data)


def write_annotation(path: Path, data: dict[str, Any]) -> None:
    """Write one annotation file atomically in the canonical form."""
    with atomic_open(Path(path)) as f:
        f.write(dumps_annotation(data))


def write_registry(path: Path, data: dict[str, Any]) -> None:
    with atomic_open(Path(path)) as f:
        f.write(dumps_registry(data))
