"""Release rows per config, built from cleaned documents, gold annotations and the registry.

Rows are plain dicts with label *names*; `datasets` encodes them with the typed features.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rukp.build.inputs import Gold
from rukp.build.splits import SplitRow
from rukp.build.text import Span, bio_tags, split_sentences, tokenize
from rukp.documents import Document
from rukp.labels import LabelSets

CONFIGS = ("documents", "entities", "ner", "stance", "events")


def features(labels: LabelSets) -> dict[str, Any]:
    """The typed features of every config (docs/ARCHITECTURE.md, 'Release folder')."""
    from datasets import ClassLabel, Features, List, Value

    s, i32 = Value("string"), Value("int32")
    ent_type = ClassLabel(names=list(labels.entity_types))
    ev_type = ClassLabel(names=list(labels.event_types))
    return {
        "documents": Features(
            {
                k: s
                for k in (
                    "id",
                    "language",
                    "title",
                    "text",
                    "text_sha256",
                    "published",
                    "outlet",
                    "url",
                    "cluster",
                )
            }
        ),
        "entities": Features(
            {
                "id": s,
                "language": s,
                "entities": List(
                    {
                        "id": s,
                        "start": i32,
                        "end": i32,
                        "text": s,
                        "type": ent_type,
                        "canonical_id": s,
                    }
                ),
            }
        ),
        "ner": Features(
            {
                "id": s,
                "doc_id": s,
                "sentence_index": i32,
                "language": s,
                "tokens": List(s),
                "token_starts": List(i32),
                "token_ends": List(i32),
                "ner_tags": List(ClassLabel(names=list(labels.bio_tags()))),
            }
        ),
        "stance": Features(
            {
                "id": s,
                "doc_id": s,
                "language": s,
                "holder": s,
                "holder_name": s,
                "target": ClassLabel(names=list(labels.stance_targets)),
                "label": ClassLabel(names=list(labels.stance_labels)),
                "attribution": ClassLabel(names=list(labels.stance_attributions)),
                "evidence": s,
                "evidence_start": i32,
                "evidence_end": i32,
                "context": s,
                "context_start": i32,
                "context_end": i32,
            }
        ),
        "events": Features(
            {
                "id": s,
                "doc_id": s,
                "sentence_index": i32,
                "language": s,
                "text": s,
                "start": i32,
                "end": i32,
                "types": List(ev_type),
                "mentions": List(
                    {
                        "id": s,
                        "trigger": s,
                        "start": i32,
                        "end": i32,
                        "type": ev_type,
                        "mode": s,
                        "factuality": ClassLabel(names=list(labels.factuality)),
                        "sources": List(s),
                        "targets": List(s),
                    }
                ),
            }
        ),
    }


def document_sentences(doc: Document, gold: Gold) -> list[Span]:
    """Sentences of a document, never cutting an entity span or an event trigger."""
    keep = [(e["start"], e["end"]) for e in gold.entities]
    keep += [(ev["trigger"]["start"], ev["trigger"]["end"]) for ev in gold.events]
    return split_sentences(doc.text, keep_together=keep)


def holder_name(
    holder: str | None, language: str, registry: dict[str, dict[str, Any]]
) -> str | None:
    """The registry name of a stance holder in the document's language, else English, else any."""
    if holder is None:
        return None
    names = (registry.get(holder) or {}).get("names") or {}
    for lang in (language, "en", *sorted(names)):
        if names.get(lang):
            return names[lang][0]
    return holder


@dataclass(slots=True)
class Rows:
    """Rows per config and split."""

    by_config: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    def add(self, config: str, split: str, row: dict[str, Any]) -> None:
        self.by_config.setdefault(config, {}).setdefault(split, []).append(row)


def build_rows(
    docs: dict[str, Document],
    gold: dict[str, Gold],
    split_rows: dict[str, SplitRow],
    registry: dict[str, dict[str, Any]],
    labels: LabelSets,
) -> Rows:
    """Rows of every config for the documents that have gold, in doc_id order."""
    out = Rows()
    for config in CONFIGS:
        for split in ("train", "validation", "test"):
            out.by_config.setdefault(config, {}).setdefault(split, [])
    order = {t: k for k, t in enumerate(labels.event_types)}
    for doc_id in sorted(gold):
        doc, g = docs[doc_id], gold[doc_id]
        split = split_rows[doc_id].split
        lang = doc.language
        out.add(
            "documents",
            split,
            {
                "id": doc_id,
                "language": lang,
                "title": doc.title,
                "text": doc.text,
                "text_sha256": doc.text_sha256,
                "published": doc.published,
                "outlet": doc.outlet,
                "url": doc.url,
                "cluster": split_rows[doc_id].cluster,
            },
        )
        ents = sorted(g.entities, key=lambda e: (e["start"], e["end"]))
        out.add(
            "entities",
            split,
            {
                "id": doc_id,
                "language": lang,
                "entities": [
                    {k: e[k] for k in ("id", "start", "end", "text", "type", "canonical_id")}
                    for e in ents
                ],
            },
        )
        sents = document_sentences(doc, g)
        bounds = sorted({b for e in ents for b in (e["start"], e["end"])})
        for k, sent in enumerate(sents):
            toks = tokenize(doc.text, sent.start, sent.end, boundaries=bounds)
            inside = [
                (e["start"], e["end"], e["type"])
                for e in ents
                if sent.start <= e["start"] and e["end"] <= sent.end
            ]
            out.add(
                "ner",
                split,
                {
                    "id": f"{doc_id}/{k}",
                    "doc_id": doc_id,
                    "sentence_index": k,
                    "language": lang,
                    "tokens": [doc.text[t.start : t.end] for t in toks],
                    "token_starts": [t.start for t in toks],
                    "token_ends": [t.end for t in toks],
                    "ner_tags": bio_tags(toks, inside),
                },
            )
            mentions = sorted(
                (ev for ev in g.events if sent.start <= ev["trigger"]["start"] < sent.end),
                key=lambda ev: (ev["trigger"]["start"], ev["trigger"]["end"], ev["id"]),
            )
            out.add(
                "events",
                split,
                {
                    "id": f"{doc_id}/{k}",
                    "doc_id": doc_id,
                    "sentence_index": k,
                    "language": lang,
                    "text": doc.text[sent.start : sent.end],
                    "start": sent.start,
                    "end": sent.end,
                    "types": sorted({ev["type"] for ev in mentions}, key=order.__getitem__),
                    "mentions": [
                        {
                            "id": ev["id"],
                            "trigger": ev["trigger"]["text"],
                            "start": ev["trigger"]["start"],
                            "end": ev["trigger"]["end"],
                            "type": ev["type"],
                            "mode": ev.get("mode"),
                            "factuality": ev["factuality"],
                            "sources": list(ev.get("sources", [])),
                            "targets": list(ev.get("targets", [])),
                        }
                        for ev in mentions
                    ],
                },
            )
        for st in g.stances:
            ev = st["evidence"]
            around = [s for s in sents if s.start < ev["end"] and s.end > ev["start"]]
            cs = min([ev["start"], *(s.start for s in around)])
            ce = max([ev["end"], *(s.end for s in around)])
            out.add(
                "stance",
                split,
                {
                    "id": f"{doc_id}/{st['id']}",
                    "doc_id": doc_id,
                    "language": lang,
                    "holder": st.get("holder"),
                    "holder_name": holder_name(st.get("holder"), lang, registry),
                    "target": st["target"],
                    "label": st["label"],
                    "attribution": st["attribution"],
                    "evidence": ev["text"],
                    "evidence_start": ev["start"],
                    "evidence_end": ev["end"],
                    "context": doc.text[cs:ce],
                    "context_start": cs,
                    "context_end": ce,
                },
            )
    return out
