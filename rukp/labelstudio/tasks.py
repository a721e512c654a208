"""Cleaned documents -> Label Studio tasks, optionally with an annotation set as predictions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rukp.documents import Document
from rukp.errors import Incident, RukpError
from rukp.labels import LabelSets, load_labels
from rukp.labelstudio import config as C
from rukp.labelstudio.convert import Where, context_result, to_result, validate_annotation
from rukp.labelstudio.data import load_set, registry_for_set, registry_ids
from rukp.paths import annotations_dir
from rukp.safeio import iter_json_lines, present, shown


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
    return {
        d: to_result(rec) for d, rec in checked_set(set_dir, documents, labels, registry).items()
    }


def checked_set(
    set_dir: Path,
    documents: dict[str, Document],
    labels: LabelSets | None = None,
    registry: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """The records of an annotation set folder per doc_id, each checked against its document
    text, the labels and the registry as an import would check it (see predictions_from_set)."""
    lb = labels or load_labels()
    annotations = load_set(set_dir)
    reg_path = registry or registry_for_set(set_dir, annotations_dir() / "entities.json")
    reg = registry_ids(reg_path) if reg_path else None
    incidents: list[Incident] = []
    out: dict[str, dict[str, Any]] = {}
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
        out[doc_id] = ann
    if incidents:
        raise RukpError(*incidents)
    return out


PREDICTION_META = "predictions.jsonl"


def prediction_meta(set_dir: Path) -> dict[str, dict[str, Any]]:
    """Per-document model version, score and region scores of a set written by
    `rukp preannotate` (`<set>/predictions.jsonl`); empty when the set has none."""
    path = Path(set_dir) / PREDICTION_META
    if not present(path):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for lineno, row, problem in iter_json_lines(path, "documents"):
        if problem is not None:
            raise RukpError(problem)
        try:
            regions = row.get("regions") or {}
            meta = {
                "model_version": _text(row["model_version"]),
                "score": _number(row["score"]),
                "regions": {_text(k): _number(v["score"]) for k, v in regions.items()},
            }
            out[_text(row["doc_id"])] = meta
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise RukpError.single(
                "bad-prediction-meta",
                f"cannot read the line: {type(exc).__name__}: {exc}",
                file=shown(path),
                location=f"line {lineno}",
                hint='each line: {"doc_id", "model_version", "score", "regions": '
                '{"entity_e1": {"score": 0.9}, …}} as written by rukp preannotate',
            ) from None
    return out


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {type(value).__name__}")
    return value


def _number(value: Any) -> float:
    """A finite score (a JSON number; rukp.safeio already refused NaN and infinities)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, found {type(value).__name__}")
    return float(value)


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


def registry_summary(record: dict[str, Any]) -> str:
    """The registry ids of a record's entity mentions with their surface forms (shown to the
    annotators of the events and stances passes, who type registry ids)."""
    forms: dict[str, list[str]] = {}
    for e in record.get("entities", ()):
        if e.get("canonical_id"):
            seen = forms.setdefault(e["canonical_id"], [])
            if e["text"] not in seen:
                seen.append(e["text"])
    if not forms:
        return "(no entity mention with a registry id)"
    return "; ".join(f"{cid}: {', '.join(texts)}" for cid, texts in sorted(forms.items()))


def layer_result(
    layer: str, context: dict[str, Any] | None, prediction: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The pre-annotation of one pass: the earlier layers of `context` (the annotator's set so
    far) as read-only regions, the pass's layer of `prediction` as editable regions, and the
    document fields (guidelines version, notes) of the context, else of the prediction."""
    out: list[dict[str, Any]] = []
    if context is not None:
        out += context_result(context, C.earlier_layers(layer))
    if prediction is not None:
        out += to_result(prediction, (layer,), doc=False)
    source = context if context is not None else prediction
    if source is not None:
        out += to_result(source, (), doc=True)
    return out


def build_layer_tasks(
    documents: dict[str, Document],
    layer: str,
    context: dict[str, dict[str, Any]] | None = None,
    predictions: dict[str, dict[str, Any]] | None = None,
    model_version: str | None = None,
    score: float | None = None,
    meta: dict[str, dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Tasks of one annotation pass, and the doc_ids left out because their earlier layers are
    not in `context` yet (a later pass shows them read-only, so they must be annotated first).

    `meta` (from `prediction_meta`, a `rukp preannotate` set) gives a document's model version
    and the score of each of the pass's predicted regions; the task score is then the mean of
    those regions' scores (none when the pass has no scored region). `model_version`/`score`
    given here override it; without either, the model version is "rukp".
    """
    C.check_layer(layer)
    if layer == C.ALL:
        raise ValueError("build_layer_tasks is for one pass; use build_tasks for `all`")
    needs_context = bool(C.earlier_layers(layer))
    context = context or {}
    predictions = predictions or {}
    tasks, waiting = [], []
    for doc_id in sorted(documents):
        ctx = context.get(doc_id)
        if needs_context and ctx is None:
            waiting.append(doc_id)
            continue
        task: dict[str, Any] = {"data": task_data(documents[doc_id])}
        if needs_context:
            assert ctx is not None
            task["data"][C.REGISTRY_TEXT] = registry_summary(ctx)
        result = layer_result(layer, ctx, predictions.get(doc_id))
        if result:
            m = (meta or {}).get(doc_id, {}) if doc_id in predictions else {}
            regions = m.get("regions", {})
            control = C.LAYER_KIND[layer]  # the pass's own regions; context ones stay unscored
            scored = [
                {**item, "score": regions[item["id"]]}
                if item.get("from_name") == control
                and item.get("type") == "labels"
                and item.get("id") in regions
                else item
                for item in result
            ]
            version = model_version or m.get("model_version") or "rukp"
            pred: dict[str, Any] = {"model_version": version, "result": scored}
            mean = [i["score"] for i in scored if "score" in i]
            s = score if score is not None else (round(sum(mean) / len(mean), 4) if mean else None)
            if s is not None:
                pred["score"] = s
            task["predictions"] = [pred]
        tasks.append(task)
    return tasks, waiting
