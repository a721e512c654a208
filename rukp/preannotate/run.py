"""Build a pre-annotator from the release and the registry; annotate documents; write the set.

Everything learnt comes from the release (the gold of its documents): the CRF from the `ner` rows
(baselines' model and fixed `cv` hyper-parameters), gold aliases and id counts from `entities`,
trigger candidates from `events` + `documents`. `held_out` leaves one document out of all of them
(and out of the registry's gold-only aliases) for the leave-one-document-out evaluation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rukp import __version__
from rukp.baselines.data import SPLITS, read_rows
from rukp.errors import RukpError
from rukp.io import sha256_text, write_jsonl
from rukp.preannotate.aliases import aliases_of, generic_aliases
from rukp.preannotate.core import (
    LastWordIndex,
    Preannotator,
    Region,
    Settings,
    Trigger,
    TriggerLexicon,
)
from rukp.preannotate.match import Matcher, norm
from rukp.safeio import present, sha256_file
from rukp.sets import write_annotation, write_registry

META_NAME = "predictions.jsonl"


@dataclass(slots=True)
class ReleaseRows:
    """The release rows pre-annotation learns from (all splits)."""

    ner: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    events: list[dict[str, Any]]
    documents: list[dict[str, Any]]

    @classmethod
    def read(cls, release: Path) -> ReleaseRows:
        def rows(config: str) -> list[dict[str, Any]]:
            return [r for split in SPLITS for r in read_rows(release, config, split)]

        return cls(rows("ner"), rows("entities"), rows("events"), rows("documents"))

    def without(self, doc_id: str | None) -> ReleaseRows:
        if doc_id is None:
            return self
        return ReleaseRows(
            [r for r in self.ner if r["doc_id"] != doc_id],
            [r for r in self.entities if r["id"] != doc_id],
            [r for r in self.events if r["doc_id"] != doc_id],
            [r for r in self.documents if r["id"] != doc_id],
        )


def train_crf(ner_rows: Sequence[Mapping[str, Any]], config: Mapping[str, Any]) -> Any:
    """The baselines' CRF (sklearn-crfsuite) with the fixed `cv` hyper-parameters."""
    from rukp.baselines.models import SYSTEMS, cv_params

    fitted = SYSTEMS["ner"]["crf"](
        list(ner_rows), cv_params("ner", "crf", config), int(config["seed"])
    )
    if fitted.model is None:
        raise RukpError.single(
            "no-ner-training-data",
            "the CRF cannot be trained: " + "; ".join(fitted.notes),
            hint="the release needs ner rows with entity tags",
        )
    return fitted.model


def id_counts(entity_rows: Iterable[Mapping[str, Any]]) -> Counter[tuple[str, str]]:
    """How often each (normalised surface, id) pair is in the gold."""
    out: Counter[tuple[str, str]] = Counter()
    for row in entity_rows:
        for e in row["entities"]:
            if e.get("canonical_id"):
                out[(norm(e["text"]), e["canonical_id"])] += 1
    return out


def make_preannotator(
    rows: ReleaseRows,
    registry_entries: Sequence[Mapping[str, Any]],
    config: Mapping[str, Any],
    settings: Settings | None = None,
    held_out: str | None = None,
    crf: Any = None,
    lexicon: Mapping[str, Any] | None = None,
) -> Preannotator:
    """A pre-annotator learnt from `rows` without `held_out` (if given)."""
    settings = settings or Settings()
    train = rows.without(held_out)
    aliases = aliases_of(registry_entries, rows.entities, held_out=held_out)
    generic = generic_aliases(lexicon if settings.use_lexicon else None, train.entities)
    if settings.alias_origins is not None:
        keep = settings.alias_origins
        aliases = [a for a in aliases if a.origins & keep]
        generic = [a for a in generic if a.origins & keep]
    matcher = Matcher([*aliases, *generic], id_counts(train.entities))
    matcher.mark_cities(e["id"] for e in registry_entries if (e.get("cldr") or {}).get("city"))
    if crf is None and settings.use_crf:
        crf = train_crf(train.ner, config)
    return Preannotator(
        matcher=matcher,
        crf=crf,
        linker=LastWordIndex(aliases),
        triggers=TriggerLexicon.from_release(train.events, train.documents),
        settings=settings,
    )


def short_sha(path: Path, kind: str) -> str:
    """The first 8 hex digits of a file's sha256 (read through rukp.safeio), or "none"."""
    return sha256_file(path, kind)[:8] if present(path) else "none"


def model_version(release: Path, registry: Path) -> str:
    """`preannotate-<rukp version>+data.<manifest sha8>.registry.<registry sha8>`."""
    manifest = short_sha(Path(release) / "manifest.json", "release-file")
    return f"preannotate-{__version__}+data.{manifest}.registry.{short_sha(registry, 'registry')}"


def annotation_record(
    doc_id: str,
    text: str,
    regions: Sequence[Region],
    triggers: Sequence[Trigger],
    version: str,
    guidelines: str,
) -> dict[str, Any]:
    """An annotation (schema/annotation.schema.json) holding the pre-annotations."""
    return {
        "doc_id": doc_id,
        "text_sha256": sha256_text(text),
        "annotator": f"model:{version}",
        "guidelines_version": guidelines,
        "notes": f"pre-annotation by rukp preannotate ({version}): entities from the CRF and the "
        "registry (linked), event trigger candidates from the gold; not reviewed",
        "entities": [
            {
                "id": f"e{k}",
                "start": r.start,
                "end": r.end,
                "text": text[r.start : r.end],
                "type": r.type,
                "canonical_id": r.canonical_id,
            }
            for k, r in enumerate(regions, 1)
        ],
        "stances": [],
        "events": [
            {
                "id": f"v{k}",
                "trigger": {"start": t.start, "end": t.end, "text": text[t.start : t.end]},
                "type": t.type,
                "mode": t.mode,
                "sources": [],
                "targets": [],
                "factuality": t.factuality,
            }
            for k, t in enumerate(triggers, 1)
        ],
    }


def prediction_meta(
    doc_id: str, regions: Sequence[Region], triggers: Sequence[Trigger], version: str
) -> dict[str, Any]:
    """One line of predictions.jsonl: model version, task score, a score and source per region."""
    scores = [r.score for r in regions] + [t.score for t in triggers]
    return {
        "doc_id": doc_id,
        "model_version": version,
        "score": round(sum(scores) / len(scores), 4) if scores else 0.0,
        "regions": {
            **{
                f"entity_e{k}": {"score": r.score, "source": r.source}
                for k, r in enumerate(regions, 1)
            },
            **{
                f"event_v{k}": {"score": t.score, "source": "gold-triggers"}
                for k, t in enumerate(triggers, 1)
            },
        },
    }


@dataclass(slots=True)
class Summary:
    """What a run wrote: documents, entity spans per source, linked spans, trigger candidates."""

    documents: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    linked: int = 0
    entities: int = 0
    triggers: int = 0

    def line(self, out: Path, version: str) -> str:
        spans = self.spans
        share = self.linked / self.entities if self.entities else 0.0
        per = ", ".join(f"{s} {spans.get(s, 0)}" for s in ("registry", "both", "crf"))
        return (
            f"preannotate: {self.documents} documents, {self.entities} entity spans ({per}), "
            f"linked {self.linked}/{self.entities} ({share:.1%}), {self.triggers} trigger "
            f"candidates -> {out}\nmodel version: {version}"
        )


def load_registry_data(path: Path) -> dict[str, Any]:
    """The registry file as JSON, read once through rukp.safeio and checked like `rukp
    validate` checks it."""
    from rukp.validate.loaders import check_registry_data, read_json_file

    data, problems = read_json_file(Path(path), "registry")
    if not problems:
        problems = [i for i in check_registry_data(data, Path(path))[1] if i.level == "error"]
    if problems:
        raise RukpError(*problems)
    return data


def load_lexicon(path: Path | None) -> dict[str, Any] | None:
    """annotations/lexicon.json (schema/lexicon.schema.json); None when nothing is at the path
    (whatever is there is read through rukp.safeio)."""
    if path is None or not present(path):
        return None
    from rukp.validate.loaders import read_json_file, schema_incidents

    data, problems = read_json_file(Path(path))
    if not problems:
        problems = schema_incidents(data, "lexicon", str(path))
    if problems:
        raise RukpError(*problems)
    return data


def preannotate(
    documents: Mapping[str, Any],
    out: Path,
    release: Path,
    registry: Path,
    config: Mapping[str, Any],
    guidelines: str,
    settings: Settings | None = None,
    version: str | None = None,
    lexicon: Mapping[str, Any] | None = None,
) -> tuple[Summary, str]:
    """Write `<doc_id>.json` per document, the registry as `entities.json` and predictions.jsonl."""
    data = load_registry_data(registry)
    rows = ReleaseRows.read(release)
    pre = make_preannotator(rows, data["entities"], config, settings, lexicon=lexicon)
    version = version or model_version(release, registry)
    summary = Summary()
    metas = []
    for doc_id in sorted(documents):
        doc = documents[doc_id]
        regions = pre.entities(doc.text, doc.language)
        triggers = pre.events(doc.text, doc.language)
        write_annotation(
            Path(out) / f"{doc_id}.json",
            annotation_record(doc_id, doc.text, regions, triggers, version, guidelines),
        )
        metas.append(prediction_meta(doc_id, regions, triggers, version))
        summary.documents += 1
        summary.entities += len(regions)
        summary.linked += sum(1 for r in regions if r.canonical_id)
        summary.triggers += len(triggers)
        summary.spans.update(r.source for r in regions)
    write_registry(Path(out) / "entities.json", data)
    write_jsonl(Path(out) / META_NAME, metas)
    return summary, version
