"""Property test: any valid annotation set -> Label Studio result -> import -> the same set."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from label_studio_sdk.label_interface import LabelInterface

from rukp.io import sha256_text
from rukp.labels import load_labels
from rukp.labelstudio.config import build_config
from rukp.labelstudio.convert import to_result
from rukp.labelstudio.data import documents_from_texts, load_set, registry_for_set, registry_ids
from rukp.labelstudio.importer import convert_export, write_sets
from rukp.paths import annotations_dir
from rukp.texts import load_text, texts_dir

from .helpers import REGISTRY_IDS, export_of, seed_documents, write_registry

LB = load_labels()
LI = LabelInterface(build_config(LB))
# Accents, emoji (outside the BMP: two UTF-16 units, one code point), CJK, newlines.
ALPHABET = st.sampled_from([*list("ab ,.xyzÉéèçàüößñ漢字"), "😀", "🇰🇵", "\n", "\n\n", "’"])
IDS = st.from_regex(r"[a-z][a-z0-9_-]{0,5}", fullmatch=True)
REG = st.sampled_from(REGISTRY_IDS)


def spans(draw: Any, n: int, overlapping: bool) -> list[tuple[int, int]]:
    if overlapping:
        out = []
        for _ in range(draw(st.integers(0, 4))):
            s = draw(st.integers(0, n - 1))
            out.append((s, draw(st.integers(s + 1, n))))
        return out
    cuts = draw(st.lists(st.integers(0, n), unique=True, max_size=10).map(sorted))
    return [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]


@st.composite
def annotations(draw: Any) -> tuple[str, dict[str, Any]]:
    text = "".join(draw(st.lists(ALPHABET, min_size=1, max_size=60)))
    n = len(text)
    # record ids are unique across the three layers (rukp validate: duplicate-id)
    all_ids = draw(st.lists(IDS, unique=True, min_size=19, max_size=19))
    ent_ids, st_ids, ev_ids = all_ids[:12], all_ids[12:15], all_ids[15:]
    entities = [
        {
            "id": ent_ids[i],
            "start": s,
            "end": e,
            "text": text[s:e],
            "type": draw(st.sampled_from(LB.entity_types)),
            "canonical_id": draw(st.none() | REG),
        }
        for i, (s, e) in enumerate(spans(draw, n, overlapping=False))
    ]
    holders = draw(st.lists(st.none() | REG, unique=True, max_size=3))
    stances = []
    for i, h in enumerate(holders):
        s = draw(st.integers(0, n - 1))
        e = draw(st.integers(s + 1, n))
        stances.append(
            {
                "id": st_ids[i],
                "holder": h,
                "target": draw(st.sampled_from(LB.stance_targets)),
                "label": draw(st.sampled_from(LB.stance_labels)),
                "attribution": "author" if h is None else "reported",
                "evidence": {"start": s, "end": e, "text": text[s:e]},
            }
        )
    events = []
    for i, (s, e) in enumerate(spans(draw, n, overlapping=True)):
        et = draw(st.sampled_from(LB.event_types))
        modes = LB.event_modes[et]
        events.append(
            {
                "id": ev_ids[i],
                "trigger": {"start": s, "end": e, "text": text[s:e]},
                "type": et,
                "mode": draw(st.none() | st.sampled_from(modes)) if modes else None,
                "sources": draw(st.lists(REG, unique=True, max_size=3)),
                "targets": draw(st.lists(REG, unique=True, max_size=3)),
                "factuality": draw(st.sampled_from(LB.factuality)),
            }
        )
    ann: dict[str, Any] = {
        "doc_id": "doc",
        "text_sha256": sha256_text(text),
        "annotator": "A",
        "guidelines_version": draw(
            st.from_regex(r"[0-9]{1,2}\.[0-9]{1,2}(\.[0-9])?", fullmatch=True)
        ),
    }
    notes = draw(
        st.none() | st.text(min_size=1, max_size=20).filter(lambda x: x and x == x.strip())
    )
    if notes is not None:
        ann["notes"] = notes
    ann.update(entities=entities, stances=stances, events=events)
    return text, ann


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotations())
def test_annotation_round_trips_through_label_studio_results(case: tuple[str, dict]) -> None:
    text, ann = case
    docs = documents_from_texts({"doc": text})
    result = to_result(ann)
    # the generated config accepts the result (client-side check of the SDK)
    assert LI.validate_prediction({"result": result}) is True
    export = json.loads(json.dumps(export_of(docs, {"doc": result}), ensure_ascii=False))
    sets, skipped = convert_export(
        export, docs, registry=set(REGISTRY_IDS), annotator_map={"7": "A"}
    )
    assert skipped == []
    assert sets == {"A": {"doc": ann}}


def test_set_files_round_trip_and_second_import_is_byte_identical(tmp_path: Path) -> None:
    text = "Título 😀 Ünïcode\n\nKim\nJong Un met 🇷🇺 Putin."
    docs = documents_from_texts({"d1": text})
    k0, k1 = text.index("Kim"), text.index("Un") + 2
    p0 = text.index("Putin")
    ann = {
        "doc_id": "d1",
        "text_sha256": sha256_text(text),
        "annotator": "A",
        "guidelines_version": "1.0",
        "notes": "two\nlines",
        "entities": [
            {
                "id": "e1",
                "start": k0,
                "end": k1,
                "text": "Kim\nJong Un",
                "type": "PER",
                "canonical_id": "kim_jong_un",
            },
            {
                "id": "e2",
                "start": p0,
                "end": p0 + 5,
                "text": "Putin",
                "type": "PER",
                "canonical_id": "putin",
            },
        ],
        "stances": [],
        "events": [],
    }
    # hand-computed: 'Título 😀 Ünïcode\n\n' is 18 code points (the emoji counts once)
    assert (k0, k1) == (18, 29)
    reg = write_registry(tmp_path / "entities.json")
    export = export_of(docs, {"d1": to_result(ann)})
    sets, _ = convert_export(export, docs, registry=set(REGISTRY_IDS), annotator_map={"7": "A"})
    out = tmp_path / "annotations"
    r1 = write_sets(sets, out, reg)
    files = sorted(p.name for p in (out / "A").iterdir())
    assert files == ["d1.json", "entities.json"]
    assert json.loads((out / "A" / "d1.json").read_text("utf-8")) == ann
    before = {p: p.read_bytes() for p in (out / "A").iterdir()}
    mtimes = {p: p.stat().st_mtime_ns for p in (out / "A").iterdir()}
    r2 = write_sets(sets, out, reg)
    assert len(r1.written) == 2 and r2.written == [] and len(r2.unchanged) == 2
    assert {p: p.read_bytes() for p in (out / "A").iterdir()} == before
    assert {p: p.stat().st_mtime_ns for p in (out / "A").iterdir()} == mtimes


SETS = [p for p in (annotations_dir() / n for n in ("gold", "A", "B")) if p.is_dir()]


@pytest.mark.parametrize("set_dir", SETS, ids=[p.name for p in SETS])
def test_the_project_sets_survive_label_studio(set_dir: Path) -> None:
    """annotations/{gold,A,B} on the seeds' cleaned texts -> results -> import: identical."""
    docs = seed_documents()
    ann = {k: v for k, v in load_set(set_dir).items() if k in docs}
    for k, v in ann.items():  # a raw set kept as made points into the text it was made on
        if v["text_sha256"] != docs[k].text_sha256:
            old = load_text(v["text_sha256"], texts_dir(set_dir.parent))
            assert old is not None, f"{set_dir.name}/{k}: its text is not in annotations/texts/"
            docs[k] = replace(docs[k], text=old, text_sha256=v["text_sha256"])
    if not ann:
        pytest.skip(f"{set_dir} has no seed documents")
    reg = registry_for_set(set_dir, annotations_dir() / "entities.json")
    assert reg is not None, f"no registry for {set_dir}"
    name = next(iter(ann.values()))["annotator"]
    results = {k: to_result(v) for k, v in ann.items()}
    export = json.loads(json.dumps(export_of(docs, results), ensure_ascii=False))
    sets, _ = convert_export(export, docs, registry=registry_ids(reg), annotator_map={"7": name})
    assert sets == {name: ann}
