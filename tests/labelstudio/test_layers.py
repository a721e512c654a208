"""Layer-at-a-time annotation: one config per pass, earlier layers as read-only context, and the
round trip through the three passes (entities, then events, then stances) still lossless."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from label_studio_sdk.label_interface import LabelInterface

from rukp.cli import main
from rukp.documents import Document
from rukp.errors import RukpError
from rukp.io import write_json
from rukp.labels import load_labels
from rukp.labelstudio import config as C
from rukp.labelstudio.data import documents_from_texts
from rukp.labelstudio.importer import convert_export
from rukp.labelstudio.tasks import build_layer_tasks, layer_result, registry_summary

from .helpers import (
    REGISTRY_IDS,
    fixture_annotation,
    pact_annotation,
    pact_documents,
    seed_documents,
    write_documents,
    write_registry,
)
from .test_roundtrip import annotations

LB = load_labels()
MODES = {C.mode_control(t) for t in LB.event_types if LB.event_modes[t]}
DOC = {"guidelines_version", "notes"}


@pytest.mark.parametrize(
    ("layer", "own", "context"),
    [
        ("entities", {"entity", "canonical_id"}, set()),
        (
            "events",
            {"event", "factuality", "event_sources", "event_targets", *MODES},
            {"context_entity"},
        ),
        (
            "stances",
            {"stance", "stance_target", "stance_attribution", "stance_holder"},
            {"context_entity", "context_event"},
        ),
    ],
)
def test_one_config_per_pass(layer: str, own: set[str], context: set[str]) -> None:
    xml = C.build_config(layer=layer)
    li = LabelInterface(xml)
    got = {c.name: list(c.labels) for c in li.controls}
    assert set(got) == own | context | DOC
    if "context_entity" in context:
        assert got["context_entity"] == list(LB.entity_types)
    if "context_event" in context:
        assert got["context_event"] == list(LB.event_types)
    root = ET.fromstring(xml)
    hidden = [v for v in root.iter("View") if v.get("style") == "display: none"]
    in_hidden = {e.get("name") for v in hidden for e in v.iter("Labels")}
    assert in_hidden == context  # context labels cannot be picked: no new earlier-layer region
    # the pass's own labels come first, so they get the hotkeys 1, 2, 3, … (seen in the real UI)
    labels_order = [e.get("name") for e in root.iter("Labels")]
    assert labels_order[0] == C.LAYER_KIND[layer]
    texts = [e.get("name") for e in root.iter("Text")]
    assert texts == (["text"] if layer == "entities" else ["text", "registry_ids"])


def test_all_layers_config_is_the_one_view_config() -> None:
    assert C.build_config() == C.build_config(layer="all")
    with pytest.raises(ValueError, match="unknown layer 'entity'"):
        C.build_config(layer="entity")


def test_events_pass_prediction_is_hand_computed() -> None:
    rec = pact_annotation()
    got = layer_result("events", context=rec, prediction=rec)
    ctx = {"from_name": "context_entity", "to_name": "text", "type": "labels"}
    assert got == [
        {"id": "entity_e1", **ctx, "readonly": True,
         "value": {"start": 0, "end": 11, "text": "Kim Jong Un", "labels": ["PER"]}},
        {"id": "entity_e2", **ctx, "readonly": True,
         "value": {"start": 16, "end": 21, "text": "Putin", "labels": ["PER"]}},
        {"id": "entity_e3", **ctx, "readonly": True,
         "value": {"start": 24, "end": 30, "text": "Russia", "labels": ["GPE"]}},
        {"id": "entity_e4", **ctx, "readonly": True,
         "value": {"start": 37, "end": 48, "text": "North Korea", "labels": ["GPE"]}},
        {"id": "event_v1", "from_name": "event", "to_name": "text", "type": "labels",
         "value": {"start": 49, "end": 55, "text": "signed", "labels": ["AGREE"]}},
        {"id": "event_v1", "from_name": "factuality", "to_name": "text", "type": "choices",
         "value": {"start": 49, "end": 55, "text": "signed", "choices": ["asserted"]}},
        {"id": "event_v1", "from_name": "event_sources", "to_name": "text", "type": "textarea",
         "value": {"start": 49, "end": 55, "text": ["ru", "kp"]}},
        {"id": "doc_guidelines_version", "from_name": "guidelines_version", "to_name": "text",
         "type": "textarea", "value": {"text": ["1.0"]}},
    ]  # fmt: skip
    assert LabelInterface(C.build_config(layer="events")).validate_prediction({"result": got})
    # the stances pass shows entities and events, and no stance of the context
    stance_pass = layer_result("stances", context=rec, prediction=None)
    assert [(i["id"], i["from_name"]) for i in stance_pass] == [
        *((f"entity_e{n}", "context_entity") for n in range(1, 5)),
        ("event_v1", "context_event"),
        ("doc_guidelines_version", "guidelines_version"),
    ]
    assert (
        registry_summary(rec)
        == "kim_jong_un: Kim Jong Un; kp: North Korea; putin: Putin; ru: Russia"
    )


def _export(tasks: list[dict[str, Any]], edit: Any = None, user: int = 7) -> list[dict[str, Any]]:
    """The tasks as an export where the annotator accepted each pre-annotation (or `edit`ed)."""
    out = []
    for i, t in enumerate(tasks, 1):
        result = copy.deepcopy(t["predictions"][0]["result"]) if "predictions" in t else []
        if edit:
            result = edit(t["data"]["doc_id"], result)
        out.append(
            {
                "id": i,
                "data": t["data"],
                "annotations": [{"id": 100 + i, "completed_by": user, "result": result}],
            }
        )
    return json.loads(json.dumps(out, ensure_ascii=False))


def _passes(
    docs: dict[str, Document],
    source: dict[str, dict[str, Any]],
    registry: set[str],
    name: str = "A",
) -> dict[str, dict[str, Any]]:
    """entities -> events -> stances, each pass pre-annotated from `source` and accepted."""
    current: dict[str, dict[str, Any]] = {}
    for layer in C.LAYERS:
        tasks, waiting = build_layer_tasks(docs, layer, context=current, predictions=source)
        assert waiting == [] or layer == "entities"
        sets, skipped = convert_export(
            _export(tasks),
            docs,
            registry=registry,
            annotator_map={"7": name},
            layer=layer,
            existing=lambda n, prior=current: prior,
        )
        assert skipped == []
        current = sets[name]
    return current


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotations())
def test_any_annotation_survives_the_three_passes(case: tuple[str, dict]) -> None:
    text, ann = case
    docs = documents_from_texts({"doc": text})
    for layer in C.LAYERS:
        pred = layer_result(layer, ann, ann)
        assert LabelInterface(C.build_config(layer=layer)).validate_prediction({"result": pred})
    assert _passes(docs, {"doc": ann}, set(REGISTRY_IDS)) == {"doc": ann}


def test_the_seed_fixture_sets_survive_the_three_passes() -> None:
    docs = seed_documents()
    source = {d: fixture_annotation(doc, "A") for d, doc in docs.items()}
    assert _passes(docs, source, set(REGISTRY_IDS)) == source


def _events_pass(prior: dict[str, Any], edit: Any) -> RukpError:
    docs = pact_documents()
    tasks, _ = build_layer_tasks(docs, "events", context={"d1": prior}, predictions={"d1": prior})
    with pytest.raises(RukpError) as exc:
        convert_export(
            _export(tasks, edit),
            docs,
            registry=set(REGISTRY_IDS),
            annotator_map={"7": "A"},
            layer="events",
            existing=lambda n: {"d1": prior},
        )
    return exc.value


def test_context_that_changed_since_the_push_is_refused() -> None:
    prior = pact_annotation()

    def drop_putin(doc_id: str, result: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in result if r["id"] != "entity_e2"]  # as if pushed before e2 existed

    err = _events_pass(prior, drop_putin)
    assert [i.id for i in err.incidents] == ["context-changed"]
    msg = err.incidents[0].message
    assert "entities: 3 region(s) shown, 4 in the set" in msg
    assert "only in the set [(16, 21, 'PER')]" in msg


def test_a_context_region_drawn_in_a_later_pass_is_refused() -> None:
    def draw(doc_id: str, result: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            *result,
            {"id": "Xk1", "from_name": "context_entity", "to_name": "text", "type": "labels",
             "value": {"start": 58, "end": 62, "text": "pact", "labels": ["WEA"]}},
        ]  # fmt: skip

    err = _events_pass(pact_annotation(), draw)
    assert [i.id for i in err.incidents] == ["context-changed"]
    assert "only in the task [(58, 62, 'WEA')]" in err.incidents[0].message


def test_an_entity_drawn_in_the_events_pass_is_an_unknown_control() -> None:
    def draw(doc_id: str, result: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            *result,
            {"id": "Xk2", "from_name": "entity", "to_name": "text", "type": "labels",
             "value": {"start": 58, "end": 62, "text": "pact", "labels": ["WEA"]}},
        ]  # fmt: skip

    err = _events_pass(pact_annotation(), draw)
    assert [i.id for i in err.incidents] == ["unknown-control"]
    assert "allowed: event, factuality" in (err.incidents[0].hint or "")


def test_a_later_pass_needs_the_earlier_layers_in_the_set() -> None:
    docs = pact_documents()
    rec = pact_annotation()
    tasks = [{"data": {"doc_id": "d1", "text": docs["d1"].text,
                       "text_sha256": docs["d1"].text_sha256},
              "predictions": [{"result": layer_result("stances", rec, rec)}]}]  # fmt: skip
    with pytest.raises(RukpError) as exc:
        convert_export(
            _export(tasks), docs, annotator_map={"7": "A"}, layer="stances", existing=lambda n: {}
        )
    assert [i.id for i in exc.value.incidents] == ["context-missing"]
    assert "pull the earlier passes (entities, events) into A/" in (
        exc.value.incidents[0].hint or ""
    )


def test_redoing_the_entities_pass_keeps_the_later_layers_and_their_ids() -> None:
    docs = pact_documents()
    prior = pact_annotation()
    prior["events"][0]["id"] = "e5"  # an id a fresh entity id could take
    tasks, waiting = build_layer_tasks(docs, "entities", context={}, predictions={"d1": prior})

    def add_pact(doc_id: str, result: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            *result,
            {"id": "ui3", "from_name": "entity", "to_name": "text", "type": "labels",
             "value": {"start": 58, "end": 62, "text": "pact", "labels": ["WEA"]}},
        ]  # fmt: skip

    sets, _ = convert_export(
        _export(tasks, add_pact),
        docs,
        registry=set(REGISTRY_IDS),
        annotator_map={"7": "A"},
        layer="entities",
        existing=lambda n: {"d1": prior},
    )
    got = sets["A"]["d1"]
    assert waiting == []
    assert [(e["id"], e["text"]) for e in got["entities"]][-1] == ("e6", "pact")  # e5 is taken
    assert got["events"] == prior["events"] and got["stances"] == prior["stances"]


def test_documents_without_earlier_layers_wait(tmp_path: Path) -> None:
    docs = seed_documents()
    ready = sorted(docs)[:2]
    context = {d: fixture_annotation(docs[d], "A") for d in ready}
    tasks, waiting = build_layer_tasks(docs, "stances", context=context)
    assert [t["data"]["doc_id"] for t in tasks] == ready
    assert waiting == sorted(docs)[2:]
    assert all(t["data"]["registry_ids"].startswith("kim_jong_un: Kim Jong Un") for t in tasks)
    tasks, waiting = build_layer_tasks(docs, "entities")
    assert len(tasks) == 5 and waiting == [] and all("predictions" not in t for t in tasks)


def test_cli_tasks_per_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = seed_documents()
    docs_path = write_documents(tmp_path / "documents.jsonl", docs)
    ctx = tmp_path / "annotations" / "A"
    for d in sorted(docs)[:3]:
        write_json(ctx / f"{d}.json", fixture_annotation(docs[d], "A"))
    write_registry(ctx / "entities.json")
    out = tmp_path / "tasks.json"
    base = ["ls", "tasks", "--documents", str(docs_path), "--out", str(out)]
    assert main([*base, "--layer", "events"]) == 1
    assert "context-missing" in capsys.readouterr().err and not out.exists()
    assert (
        main([*base, "--layer", "events", "--context", str(tmp_path / "annotations/{annotator}")])
        == 1
    )
    assert "bad-annotators" in capsys.readouterr().err
    assert main([*base, "--layer", "events", "--context", str(ctx)]) == 0
    printed = capsys.readouterr().out
    assert "wrote 3 task(s), 3 with predictions" in printed
    assert "not in the events pass yet (2; " in printed
    tasks = json.loads(out.read_text("utf-8"))
    ids = [i["from_name"] for i in tasks[0]["predictions"][0]["result"]]
    assert set(ids) == {"context_entity", "guidelines_version"}  # no events pre-annotated


def test_a_pass_carries_the_preannotation_model_version_and_the_scores_of_its_regions() -> None:
    """A `rukp preannotate` set (predictions.jsonl's meta) keeps its model version and region
    scores in every pass; the task score is the mean over the pass's own scored regions."""
    docs = pact_documents()
    prior = pact_annotation()
    meta = {"d1": {"model_version": "preannotate-x", "score": 0.5,
                   "regions": {"entity_e1": 0.9, "entity_e2": 0.8, "entity_e4": 0.6,
                               "event_v1": 0.7}}}  # fmt: skip
    tasks, _ = build_layer_tasks(docs, "entities", predictions={"d1": prior}, meta=meta)
    (pred,) = tasks[0]["predictions"]
    assert pred["model_version"] == "preannotate-x"
    assert pred["score"] == 0.7667  # (0.9 + 0.8 + 0.6) / 3, e3 has no score
    labelled = [(i["id"], i.get("score")) for i in pred["result"] if i["type"] == "labels"]
    assert labelled == [("entity_e1", 0.9), ("entity_e2", 0.8), ("entity_e3", None),
                        ("entity_e4", 0.6)]  # fmt: skip
    # the events pass: the entities are the annotator's context (read-only, never scored)
    tasks, _ = build_layer_tasks(
        docs, "events", context={"d1": prior}, predictions={"d1": prior}, meta=meta
    )
    (pred,) = tasks[0]["predictions"]
    scores = {i["id"]: i.get("score") for i in pred["result"] if i["type"] == "labels"}
    assert pred["model_version"] == "preannotate-x" and pred["score"] == 0.7
    assert scores == {"entity_e1": None, "entity_e2": None, "entity_e3": None,
                      "entity_e4": None, "event_v1": 0.7}  # fmt: skip
    # given on the command line, the model version and score win; without meta: "rukp"
    tasks, _ = build_layer_tasks(
        docs, "entities", predictions={"d1": prior}, meta=meta, model_version="m", score=0.2
    )
    assert {k: tasks[0]["predictions"][0][k] for k in ("model_version", "score")} == {
        "model_version": "m",
        "score": 0.2,
    }
    tasks, _ = build_layer_tasks(docs, "entities", predictions={"d1": prior}, model_version=None)
    assert tasks[0]["predictions"][0]["model_version"] == "rukp"
    assert "score" not in tasks[0]["predictions"][0]
