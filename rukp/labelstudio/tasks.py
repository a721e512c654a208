"""Cleaned documents -> Label Studio tasks, optionally with an annotation set as predictions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rukp.documents import Document
from rukp.errors import Incident, RukpError
from rukp.labels import LabelSets, load_labels
from rukp.labelstudio.convert import Where, to_result, validate_annotation
from rukp.labelstudio.data import load_set, registry_for_set, registry_ids
from rukp.paths import annotations_dir


def task_data(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "text_sha256": doc.text_sha256,
        "language": doc.language,
        "title": doc.title,
    }


def predictions_from_set(
    set_dir: Path,
    documents: dict[str, Document],
    labels: LabelSets | None = None,
    registry: Path | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Validated Label Studio results per doc_id from an annotation set folder.

    Documents the set does not cover get no predictions; a set file for an unknown document or
    for another version of the text is an error. `registry` is the entity registry to check ids
    against (default: the set's entities.json, else annotations/entities.json; if there is none,
    only the form of the ids is checked).
    """
    lb = labels or load_labels()
    annotations = load_set(set_dir)
    reg_path = registry or registry_for_set(set_dir, annotations_dir() / "entities.json")
    reg = registry_ids(reg_path) if reg_path else None
    incidents: list[Incident] = []
    out: dict[str, list[dict[str, Any]]] = {}
    for doc_id, ann in annotations.items():
        file = str(Path(set_dir) / f"{doc_id}.json")
        doc = documents.get(doc_id)
        if doc is None:
            incidents.append(
                Incident(
                    id="unknown-document",
                    message="no cleaned document with this doc_id",
                    file=file,
                    doc_id=doc_id,
                )
            )
            continue
        if ann.get("text_sha256") != doc.text_sha256:
            incidents.append(
                Incident(
                    id="text-mismatch",
                    message=f"set made on text sha256 {ann.get('text_sha256')!r}, "
                    f"document text is {doc.text_sha256}",
                    file=file,
                    location="$.text_sha256",
                    doc_id=doc_id,
                    hint="re-anchor the set on the current cleaned text (rukp reanchor)",
                )
            )
            continue
        where = Where(
            file=file, path="$", task_id="-", annotation_id=doc_id, doc_id=doc_id, what="set file"
        )
        problems = validate_annotation(ann, doc.text, lb, where, reg)
        if problems:
            incidents.extend(problems)
            continue
        out[doc_id] = to_result(ann)
    if incidents:
        raise RukpError(*incidents)
    return out


PREDICTION_META = "predictions.jsonl"


def prediction_meta(set_dir: Path) -> dict[str, dict[str, Any]]:
    """Per-document model version, score and region scores of a set written by
    `rukp preannotate` (`<set>/predictions.jsonl`); empty when the set has none."""
    path = Path(set_dir) / PREDICTION_META
    if not path.is_file():
        return {}
    out: dict[str, dict[str, Any]] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out[str(row["doc_id"])] = {
                "model_version": str(row["model_version"]),
                "score": float(row["score"]),
                "regions": {
                    str(k): float(v["score"]) for k, v in (row.get("regions") or {}).items()
                },
            }
        except (ValueError, KeyError, TypeError) as exc:
            raise RukpError.single(
                "bad-prediction-meta",
                f"cannot read the line: {exc}",
                file=str(path),
                location=f"line {lineno}",
                hint='each line: {"doc_id", "model_version", "score", "regions": '
                '{"entity_e1": {"score": 0.9}, …}} as written by rukp preannotate',
            ) from exc
    return out


def build_tasks(
    documents: dict[str, Document],
    predictions: dict[str, list[dict[str, Any]]] | None = None,
    model_version: str | None = "rukp",
    score: float | None = None,
    meta: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """One task per document (sorted by doc_id), with its prediction if there is one.

    `meta` (from `prediction_meta`) gives each document's model version and score and a score per
    region (Label Studio shows it on the region); `model_version`/`score` given here override it.
    """
    tasks = []
    for doc_id in sorted(documents):
        task: dict[str, Any] = {"data": task_data(documents[doc_id])}
        if predictions and doc_id in predictions:
            m = (meta or {}).get(doc_id, {})
            regions = m.get("regions", {})
            result = [
                {**item, "score": regions[item["id"]]}
                if item.get("type") == "labels" and item.get("id") in regions
                else item
                for item in predictions[doc_id]
            ]
            version = model_version or m.get("model_version") or "rukp"
            pred: dict[str, Any] = {"model_version": version, "result": result}
            s = score if score is not None else m.get("score")
            if s is not None:
                pred["score"] = s
            task["predictions"] = [pred]
        tasks.append(task)
    return tasks
