"""Pre-annotate cleaned documents with the CRF NER baseline, as an annotation set.

The CRF is trained on the fly on every `ner` row of the release (all splits: pre-annotation is for
new documents, so all gold helps) with the fixed `cv` hyper-parameters of baselines/config.json.
Documents are split and tokenised with the release's own rules (`rukp.build.text`), tags are
turned into entity spans (IOB2; a stray I- opens a span) and mapped back to code-point offsets of
the document text. Stances and events stay empty; `canonical_id` is null (the model links
nothing); the annotator is `model:<model version>`, so `rukp ls tasks --predictions DIR` can send
the set to Label Studio as predictions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rukp.baselines.data import SPLITS, read_rows
from rukp.baselines.models import SYSTEMS, cv_params, tag_sentences
from rukp.errors import Incident, RukpError
from rukp.io import read_jsonl, sha256_text
from rukp.labels import load_labels
from rukp.sets import write_annotation, write_registry


@dataclass(slots=True, frozen=True)
class Mention:
    start: int
    end: int
    type: str


def spans_from_tags(
    tags: Sequence[str], starts: Sequence[int], ends: Sequence[int]
) -> list[Mention]:
    """Entity spans (document offsets) from IOB2 tags of one sentence's tokens."""
    out: list[Mention] = []
    cur: list[Any] | None = None
    for tag, s, e in zip(tags, starts, ends, strict=True):
        prefix, _, typ = tag.partition("-")
        if prefix == "I" and cur is not None and cur[2] == typ:
            cur[1] = e
            continue
        if cur is not None:
            out.append(Mention(*cur))
            cur = None
        if prefix in ("B", "I") and typ:
            cur = [s, e, typ]
    if cur is not None:
        out.append(Mention(*cur))
    return out


def load_documents(path: Path) -> list[dict[str, Any]]:
    """Cleaned documents (schema/document.schema.json) with the fields pre-annotation needs."""
    path = Path(path)
    if not path.is_file():
        raise RukpError.single(
            "documents-missing",
            "no cleaned documents",
            file=str(path),
            hint="run `rukp ingest` first or pass --documents FILE",
        )
    docs, problems = [], []
    try:
        for lineno, obj in read_jsonl(path):
            if (
                not isinstance(obj, dict)
                or not isinstance(obj.get("doc_id"), str)
                or not isinstance(obj.get("text"), str)
            ):
                problems.append(
                    Incident(
                        id="bad-document",
                        message="a document needs string 'doc_id' and 'text'",
                        file=str(path),
                        location=f"line {lineno}",
                        hint="each line must be one cleaned document object",
                    )
                )
                continue
            docs.append(obj)
    except json.JSONDecodeError as exc:
        raise RukpError.single(
            "bad-document",
            f"not JSON: {exc.msg}",
            file=str(path),
            location=f"line {exc.lineno}",
            hint="each line must be one JSON object",
        ) from exc
    if problems:
        raise RukpError(*problems)
    return sorted(docs, key=lambda d: d["doc_id"])


def train_crf(release: Path, config: dict[str, Any]) -> Any:
    """A CRF trained on all `ner` rows of the release with the fixed config hyper-parameters."""
    rows = [r for split in SPLITS for r in read_rows(release, "ner", split)]
    fitted = SYSTEMS["ner"]["crf"](rows, cv_params("ner", "crf", config), int(config["seed"]))
    if fitted.model is None:
        raise RukpError.single(
            "no-ner-training-data",
            "the CRF cannot be trained: " + "; ".join(fitted.notes),
            file=str(release),
            hint="the release needs ner rows with entity tags",
        )
    return fitted.model


def annotate(doc: dict[str, Any], crf: Any, model_version: str, guidelines: str) -> dict[str, Any]:
    """One annotation record for `doc` with the CRF's entities."""
    from rukp.build.text import split_sentences, tokenize

    text = doc["text"]
    known = set(load_labels().entity_types)
    sentences = [tokenize(text, s.start, s.end) for s in split_sentences(text)]
    tags = tag_sentences(crf, [[text[t.start : t.end] for t in toks] for toks in sentences])
    entities = []
    for toks, tt in zip(sentences, tags, strict=True):
        for m in spans_from_tags(tt, [t.start for t in toks], [t.end for t in toks]):
            if m.type not in known:
                continue
            entities.append(
                {
                    "id": f"e{len(entities) + 1}",
                    "start": m.start,
                    "end": m.end,
                    "text": text[m.start : m.end],
                    "type": m.type,
                    "canonical_id": None,
                }
            )
    return {
        "doc_id": doc["doc_id"],
        "text_sha256": sha256_text(text),
        "annotator": f"model:{model_version}",
        "guidelines_version": guidelines,
        "notes": f"pre-annotation by the rukp CRF baseline ({model_version}); "
        "entities only, not reviewed",
        "entities": entities,
        "stances": [],
        "events": [],
    }


def preannotate(
    documents: Path,
    out: Path,
    release: Path,
    config: dict[str, Any],
    model_version: str,
    guidelines: str,
) -> list[Path]:
    """Write `<doc_id>.json` per document and an empty `entities.json` registry into `out`."""
    docs = load_documents(documents)
    crf = train_crf(release, config)
    written = []
    for doc in docs:
        path = Path(out) / f"{doc['doc_id']}.json"
        write_annotation(path, annotate(doc, crf, model_version, guidelines))
        written.append(path)
    write_registry(Path(out) / "entities.json", {"entities": []})
    return written
