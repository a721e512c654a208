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

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rukp.baselines.data import SPLITS, read_rows
from rukp.baselines.models import SYSTEMS, cv_params, tag_sentences
from rukp.documents import Document, load_documents
from rukp.errors import RukpError
from rukp.io import sha256_text, write_json
from rukp.labels import load_labels
from rukp.safeio import child


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


def annotate(doc: Document, crf: Any, model_version: str, guidelines: str) -> dict[str, Any]:
    """One annotation record for `doc` with the CRF's entities."""
    from rukp.build.text import split_sentences, tokenize

    text = doc.text
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
        "doc_id": doc.doc_id,
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
) -> dict[Path, int]:
    """Write `<doc_id>.json` per document and an empty `entities.json` registry into `out`;
    returns {written path: number of entities}. Documents are read (rukp.documents, doc_ids
    checked as file names) and the CRF trained before anything is written."""
    docs = load_documents(documents)
    crf = train_crf(release, config)
    records = [annotate(docs[d], crf, model_version, guidelines) for d in sorted(docs)]
    written: dict[Path, int] = {}
    for rec in records:
        path = child(out, rec["doc_id"], "doc_id", ".json")
        write_json(path, rec)
        written[path] = len(rec["entities"])
    write_json(Path(out) / "entities.json", {"entities": []})
    return written
