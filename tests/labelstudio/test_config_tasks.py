"""The generated config (from labels.json, checked with the SDK's LabelInterface) and tasks."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from label_studio_sdk.label_interface import LabelInterface

from rukp.cli import main
from rukp.errors import RukpError
from rukp.io import write_json
from rukp.labels import load_labels
from rukp.labelstudio import config as C
from rukp.labelstudio.tasks import build_tasks, predictions_from_set

from .helpers import fixture_annotation, seed_documents, write_documents, write_registry

LB = load_labels()


def controls(xml: str) -> dict[str, tuple[str, list[str]]]:
    li = LabelInterface(xml)
    return {c.name: (c.tag, list(c.labels)) for c in li.controls}


def test_config_holds_every_label_set_and_nothing_else() -> None:
    got = controls(C.build_config())
    want = {
        "entity": ("Labels", list(LB.entity_types)),
        "event": ("Labels", list(LB.event_types)),
        "stance": ("Labels", list(LB.stance_labels)),
        "canonical_id": ("TextArea", []),
        "factuality": ("Choices", list(LB.factuality)),
        "event_sources": ("TextArea", []),
        "event_targets": ("TextArea", []),
        "stance_target": ("Choices", list(LB.stance_targets)),
        "stance_attribution": ("Choices", list(LB.stance_attributions)),
        "stance_holder": ("TextArea", []),
        "guidelines_version": ("TextArea", []),
        "notes": ("TextArea", []),
    }
    for et in LB.event_types:
        if LB.event_modes[et]:
            want[f"event_mode_{et}"] = ("Choices", list(LB.event_modes[et]))
    assert got == want
    # labels.json today: 7 entity types, 19 PLOVER types, 13 of them with modes
    assert (len(LB.entity_types), len(LB.event_types)) == (7, 19)
    assert sum(1 for n in got if n.startswith("event_mode_")) == 13


def test_per_region_controls_and_their_visibility() -> None:
    root = ET.fromstring(C.build_config())
    per_region = {e.get("name") for e in root.iter() if e.get("perRegion") == "true"}
    assert per_region == {
        "canonical_id",
        "factuality",
        "event_sources",
        "event_targets",
        "stance_target",
        "stance_attribution",
        "stance_holder",
        *(C.mode_control(t) for t in LB.event_types if LB.event_modes[t]),
    }
    # each per-region control names its region kind itself: Label Studio scopes `required`
    # by it (without, the UI demanded an event's factuality of every entity region)
    kinds = {
        e.get("name"): (e.get("visibleWhen"), e.get("whenTagName"))
        for e in root.iter()
        if e.get("perRegion") == "true"
    }
    assert kinds["canonical_id"] == ("region-selected", "entity")
    assert kinds["factuality"] == kinds["event_sources"] == ("region-selected", "event")
    assert kinds["stance_target"] == kinds["stance_holder"] == ("region-selected", "stance")
    assert all(v == "region-selected" and t for v, t in kinds.values())
    mode_view = next(v for v in root.iter("View") if v.get("whenLabelValue") == "AID")
    assert mode_view.get("whenTagName") == "event"
    assert [c.get("value") for c in mode_view.iter("Choice")] == list(LB.event_modes["AID"])


def test_config_follows_labels_json(tmp_path: Path) -> None:
    changed = replace(
        LB,
        entity_types=(*LB.entity_types, "MISC"),
        event_modes={**LB.event_modes, "FIGHT": ("artillery",)},
    )
    got = controls(C.build_config(changed))
    assert got["entity"][1][-1] == "MISC"
    assert got["event_mode_FIGHT"] == ("Choices", ["artillery"])


def test_cli_config_writes_the_same_xml(tmp_path: Path) -> None:
    out = tmp_path / "config.xml"
    assert main(["ls", "config", "--out", str(out)]) == 0
    assert out.read_text("utf-8") == C.build_config()


def test_tasks_with_predictions(tmp_path: Path) -> None:
    docs = seed_documents()
    set_dir = tmp_path / "set"
    some = sorted(docs)[:2]
    for d in some:
        write_json(set_dir / f"{d}.json", fixture_annotation(docs[d]))
    reg = write_registry(set_dir / "entities.json")
    preds = predictions_from_set(set_dir, docs, registry=reg)
    tasks = build_tasks(docs, preds, model_version="gold-1.0", score=0.5)
    assert [t["data"]["doc_id"] for t in tasks] == sorted(docs)
    assert set(tasks[0]["data"]) == {"doc_id", "text", "text_sha256", "language", "title"}
    assert [("predictions" in t) for t in tasks] == [True, True, False, False, False]
    pred = tasks[0]["predictions"][0]
    assert (pred["model_version"], pred["score"]) == ("gold-1.0", 0.5)
    li = LabelInterface(C.build_config())
    assert li.validate_prediction(pred) is True


def test_tasks_refuse_a_set_made_on_another_text(tmp_path: Path) -> None:
    docs = seed_documents()
    d = sorted(docs)[0]
    ann = fixture_annotation(docs[d])
    ann["text_sha256"] = "0" * 64
    write_json(tmp_path / "set" / f"{d}.json", ann)
    with pytest.raises(RukpError) as exc:
        predictions_from_set(tmp_path / "set", docs, registry=write_registry(tmp_path / "r.json"))
    assert [i.id for i in exc.value.incidents] == ["text-mismatch"]


def test_tasks_refuse_a_span_whose_text_is_wrong(tmp_path: Path) -> None:
    docs = seed_documents()
    d = sorted(docs)[0]
    ann = fixture_annotation(docs[d])
    ann["entities"][0]["text"] = "Nowhere"
    write_json(tmp_path / "set" / f"{d}.json", ann)
    with pytest.raises(RukpError) as exc:
        predictions_from_set(tmp_path / "set", docs, registry=write_registry(tmp_path / "r.json"))
    assert [i.id for i in exc.value.incidents] == ["span-text-mismatch"]


def test_cli_tasks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs_path = write_documents(tmp_path / "documents.jsonl", seed_documents())
    out = tmp_path / "tasks.json"
    argv = ["ls", "tasks", "--documents", str(docs_path), "--out", str(out)]
    assert main(argv) == 1  # the five seeds all have gold: nothing is left to annotate
    assert "ERROR no-new-documents" in capsys.readouterr().err and not out.exists()
    assert main([*argv, "--include-gold"]) == 0
    tasks = json.loads(out.read_text("utf-8"))
    assert len(tasks) == 5 and all("predictions" not in t for t in tasks)
    assert "wrote 5 task(s), 0 with predictions" in capsys.readouterr().out


def test_cli_missing_documents_is_a_clear_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    rc = main(
        [
            "ls",
            "tasks",
            "--documents",
            str(tmp_path / "nope.jsonl"),
            "--out",
            str(tmp_path / "t.json"),
        ]
    )
    assert rc == 1
    assert "documents-missing" in capsys.readouterr().err
    assert not (tmp_path / "t.json").exists()


@pytest.mark.parametrize(
    ("line", "incident"),
    [
        (b'{"doc_id": "d1", "model_version": "m", "score": 1e999}', "json-bad-constant"),
        (b'{"doc_id": "d1", "model_version": "m", "score": 0.5, "regions": []}', None),
        (b'{"doc_id": "d1", "model_version": "m", "score": "0.5"}', "bad-prediction-meta"),
        (
            b'{"doc_id": "d1", "model_version": "m", "score": 0.5, "regions": {"e": 1}}',
            "bad-prediction-meta",
        ),
        (b'["doc_id"]', "bad-prediction-meta"),
        (b"[" * 5000, "json-too-deep"),
        (b'{"doc_id": "d\xe9"}', "not-utf8"),
    ],
)
def test_prediction_meta_lines(line: bytes, incident: str | None, tmp_path: Path) -> None:
    """predictions.jsonl through rukp.safeio; a line that is not what preannotate writes is
    bad-prediction-meta with its line (a deep line raised RecursionError, 1e999 gave inf)."""
    from rukp.labelstudio.tasks import prediction_meta

    (tmp_path / "predictions.jsonl").write_bytes(b"\n" + line + b"\n")
    if incident is None:
        assert prediction_meta(tmp_path) == {
            "d1": {"model_version": "m", "score": 0.5, "regions": {}}
        }
        return
    with pytest.raises(RukpError) as exc:
        prediction_meta(tmp_path)
    [inc] = exc.value.incidents
    assert inc.id == incident and (inc.location or "").startswith("line 2")
