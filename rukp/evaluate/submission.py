"""Read and validate a submission: JSON Lines only, never executed, every problem listed at once.

Incident ids: predictions-not-found, the file-level and line-level ids of rukp.safeio
(not-a-regular-file, file-too-large, not-utf8, malformed-json, json-too-deep, json-int-too-long,
json-bad-constant, ...), schema-violation, duplicate-id, extra-id, missing-id, unknown-label,
tag-count-mismatch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.labels import load_labels
from rukp.paths import schema_dir
from rukp.safeio import LIMITS, iter_json_lines, read_json

DEFAULT_MAX_BYTES = LIMITS["submission"]
FIELD = {"ner": "tags", "stance": "label", "events": "types"}
ITEM = {"ner": "tag", "stance": "stance label", "events": "event type"}
MAX_SHOWN_VALUES = 5


@dataclass(slots=True)
class PredRow:
    line: int
    obj: dict[str, Any]


@lru_cache(maxsize=4)
def _schema(task: str) -> dict[str, Any]:
    schema = read_json(schema_dir() / f"predictions.{task}.schema.json", "config")
    assert isinstance(schema, dict)
    return schema


@lru_cache(maxsize=4)
def _validator(task: str):  # type: ignore[no-untyped-def]
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_schema(task))


@lru_cache(maxsize=4)
def _fast_spec(
    task: str,
) -> tuple[frozenset[str], frozenset[str], dict[str, tuple[str, bool]]] | None:
    """(required keys, allowed keys, {key: (type, uniqueItems)}) if the schema is simple enough."""
    schema = _schema(task)
    if schema.get("type") != "object" or schema.get("additionalProperties") is not False:
        return None
    kinds: dict[str, tuple[str, bool]] = {}
    for key, sub in schema.get("properties", {}).items():
        if set(sub) - {"type", "items", "uniqueItems", "description"}:
            return None
        if sub.get("type") == "string" and set(sub) <= {"type", "description"}:
            kinds[key] = ("string", False)
        elif sub.get("type") == "array" and sub.get("items") == {"type": "string"}:
            kinds[key] = ("array", bool(sub.get("uniqueItems")))
        else:
            return None
    return frozenset(schema.get("required", ())), frozenset(kinds), kinds


def _fast_valid(obj: Any, task: str, allowed: frozenset[str]) -> bool:
    """A quick check that implies the schema holds; False means "ask jsonschema".

    Understands only the shapes the submission schemas use (objects of strings and arrays of
    strings); a schema with any other keyword always defers to jsonschema.
    """
    spec = _fast_spec(task)
    if spec is None or type(obj) is not dict:
        return False
    required, keys, kinds = spec
    if not required <= obj.keys() <= keys:
        return False
    for key, value in obj.items():
        kind, unique = kinds[key]
        if kind == "string":
            if type(value) is not str:
                return False
            continue
        if type(value) is not list:
            return False
        try:  # every allowed label is a string: the common case needs no per-item loop
            known = allowed.issuperset(value)
        except TypeError:  # an unhashable item
            return False
        if not known and any(type(v) is not str for v in value):
            return False
        if unique and len(set(value)) != len(value):
            return False
    return True


def allowed_values(task: str) -> tuple[str, ...]:
    labels = load_labels()
    if task == "ner":
        return labels.bio_tags()
    if task == "stance":
        return labels.stance_labels
    return labels.event_types


def read_lines(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[PredRow], list[Incident]]:
    """Parse JSON Lines into objects through rukp.safeio (a regular file of at most `max_bytes`,
    UTF-8, bounded JSON); bad lines become incidents, blank lines are skipped."""
    path = Path(path)
    rows: list[PredRow] = []
    incidents: list[Incident] = []
    for lineno, obj, problem in iter_json_lines(
        path,
        "submission",
        limit=max_bytes,
        missing=("predictions-not-found", "check the path of the predictions file"),
    ):
        if problem is not None:
            incidents.append(problem)
        else:
            rows.append(PredRow(line=lineno, obj=obj))
    return rows, incidents


def _doc_of(row_id: str) -> str | None:
    return row_id.split("/", 1)[0] if "/" in row_id else None


def check_rows(
    task: str,
    gold: Sequence[dict[str, Any]],
    rows: Iterable[PredRow],
    *,
    file: str | None = None,
    unit: str = "line",
) -> tuple[dict[str, Any], list[Incident]]:
    """Check prediction objects against the schema, the gold ids, the label set and token counts.

    Returns the predicted value per id and every incident found (an empty list means valid).
    """
    allowed = allowed_values(task)
    allowed_set = frozenset(allowed)
    field = FIELD[task]
    gold_by_id = {g["id"]: g for g in gold}
    if len(gold_by_id) != len(gold):
        raise RukpError(
            Incident(
                id="gold-duplicate-id",
                message=f"the gold rows repeat ids ({len(gold) - len(gold_by_id)} duplicates)",
                hint="release row ids must be unique; rebuild the release",
            )
        )
    seen: dict[str, int] = {}
    preds: dict[str, Any] = {}
    incidents: list[Incident] = []

    def add(
        id: str, message: str, line: int | None, row_id: str | None = None, hint: str | None = None
    ) -> None:
        incidents.append(
            Incident(
                id=id,
                message=message,
                file=file,
                location=f"{unit} {line}" if line is not None else None,
                doc_id=_doc_of(row_id) if row_id else None,
                hint=hint,
            )
        )

    for row in rows:
        obj = row.obj
        try:
            errors = (
                []
                if _fast_valid(obj, task, allowed_set)
                else sorted(_validator(task).iter_errors(obj), key=lambda e: e.json_path)
            )
        except RecursionError:
            add("schema-violation", "value nested too deeply", row.line, None)
            continue
        if errors:
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                seen.setdefault(obj["id"], row.line)
            for e in errors:
                add(
                    "schema-violation",
                    f"at {e.json_path}: {e.message}",
                    row.line,
                    obj.get("id")
                    if isinstance(obj, dict) and isinstance(obj.get("id"), str)
                    else None,
                    hint=f"each line must match schema/predictions.{task}.schema.json",
                )
            continue
        rid = obj["id"]
        if rid in seen:
            add("duplicate-id", f"id {rid!r} already given on {unit} {seen[rid]}", row.line, rid)
            continue
        seen[rid] = row.line
        if rid not in gold_by_id:
            add(
                "extra-id",
                f"id {rid!r} is not a row of the scored split",
                row.line,
                rid,
                hint="submit exactly the ids of the release rows of the scored split",
            )
            continue
        value = obj[field]
        values = value if isinstance(value, list) else [value]
        ok = allowed_set.issuperset(values)
        bad = [] if ok else [(i, v) for i, v in enumerate(values) if v not in allowed_set]
        if bad:
            shown = ", ".join(
                f"{v!r}" + (f" at $.{field}[{i}]" if isinstance(value, list) else "")
                for i, v in bad[:MAX_SHOWN_VALUES]
            )
            more = f" (+{len(bad) - MAX_SHOWN_VALUES} more)" if len(bad) > MAX_SHOWN_VALUES else ""
            add(
                "unknown-label",
                f"unknown {ITEM[task]} {shown}{more}; allowed: {', '.join(allowed)}",
                row.line,
                rid,
            )
            continue
        if task == "ner":
            g_row = gold_by_id[rid]
            n_tok = len(g_row["tokens"] if "tokens" in g_row else g_row["ner_tags"])
            if len(value) != n_tok:
                add(
                    "tag-count-mismatch",
                    f"{len(value)} tags for sentence {rid!r}, which has {n_tok} tokens",
                    row.line,
                    rid,
                    hint="give exactly one tag per release token (tokens column of the ner config)",
                )
                continue
        preds[rid] = value
    for g in gold:
        if g["id"] not in seen:
            add(
                "missing-id",
                f"no prediction for id {g['id']!r}",
                None,
                g["id"],
                hint="submit one line for every row of the scored split",
            )
    return preds, incidents
