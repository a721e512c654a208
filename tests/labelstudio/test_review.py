"""Adjudication review in Label Studio: disagreements.json -> review tasks -> the adjudicator's
annotation -> decisions.json (hand-computed), and every way an item stays unresolved."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk.label_interface import LabelInterface

from rukp.cli import main
from rukp.errors import RukpError
from rukp.io import write_json
from rukp.labels import load_labels
from rukp.labelstudio import config as C
from rukp.labelstudio import review as R

from .helpers import REGISTRY_IDS, pact_annotation, pact_documents, write_registry
from .standin import disagreements as standin_disagreements

FIX = Path(__file__).parent / "fixtures"
REG = set(REGISTRY_IDS)
LB = load_labels()


def sets() -> tuple[dict[str, Any], dict[str, Any]]:
    a = pact_annotation("A")
    b = copy.deepcopy(a)
    b["annotator"] = "B"
    b["entities"][0].update(end=8, text="Kim Jong")
    b["entities"][3]["canonical_id"] = None
    b["events"][0]["factuality"] = "possible"
    b["events"].append(
        {"id": "v2", "trigger": {"start": 12, "end": 15, "text": "met"}, "type": "CONSULT",
         "mode": "visit", "sources": ["kp"], "targets": ["ru"], "factuality": "asserted"}
    )  # fmt: skip
    b["stances"][0]["label"] = "AGAINST"
    return a, b


def dis_json() -> dict[str, Any]:
    a, b = sets()
    item = lambda n, layer, kind, x, y: {  # noqa: E731
        "id": f"d000{n}", "doc_id": "d1", "layer": layer, "kind": kind, "a": x, "b": y}  # fmt: skip
    return {
        "a": "annotations/A",
        "b": "annotations/B",
        "items": [
            item(1, "entities", "span", a["entities"][0], b["entities"][0]),
            item(2, "entities", "canonical-id", a["entities"][3], b["entities"][3]),
            item(3, "events", "factuality", a["events"][0], b["events"][0]),
            item(4, "events", "missing-in-a", None, b["events"][1]),
            item(5, "stances", "label", a["stances"][0], b["stances"][0]),
        ],
    }


def agreed() -> dict[str, Any]:
    a, _ = sets()
    rec = {**a, "annotator": "agreed", "entities": a["entities"][1:3], "stances": [], "events": []}
    return {"d1": rec}


@pytest.fixture
def dis(tmp_path: Path) -> R.Disagreements:
    path = tmp_path / "adj" / "disagreements.json"
    write_json(path, dis_json())
    return R.load_disagreements(path)


def task_of(dis: R.Disagreements) -> dict[str, Any]:
    (task,) = R.review_tasks(dis, pact_documents(), agreed(), registry=REG)
    return task


def test_review_task_shows_both_versions_and_the_agreed_items(dis: R.Disagreements) -> None:
    task = task_of(dis)
    assert [p["model_version"] for p in task["predictions"]] == [
        "review: A+B", "A: annotations/A", "B: annotations/B"]  # fmt: skip
    working, only_a, only_b = (p["result"] for p in task["predictions"])
    regions = lambda res: sorted({i["id"] for i in res})  # noqa: E731
    ctx = ["entity_ctx-e2", "entity_ctx-e3"]
    assert regions(only_a) == sorted(
        [*ctx, "entity_d0001-a", "entity_d0002-a", "event_d0003-a", "stance_d0005-a"]
    )
    assert regions(only_b) == sorted([*ctx, "entity_d0001-b", "entity_d0002-b", "event_d0003-b",
                                      "event_d0004-b", "stance_d0005-b"])  # fmt: skip
    assert regions(working) == sorted(set(regions(only_a)) | set(regions(only_b)))
    assert all(i.get("readonly") is True for i in working if "_ctx-" in i["id"])
    assert not any(i.get("readonly") for i in working if "_ctx-" not in i["id"])
    meta = {i["id"]: i["meta"]["text"] for i in working if "meta" in i}
    assert meta["entity_d0001-b"] == ["d0001: B's version (annotations/B)"]
    li = LabelInterface(C.build_review_config())
    assert all(li.validate_prediction(p) for p in task["predictions"])
    assert task["data"]["review_ids"] == ["d0001", "d0002", "d0003", "d0004", "d0005"]
    assert task["data"]["review_items"][0] == {
        "value": "d0001 · entities · span — A: 'Kim Jong Un' PER kim_jong_un"
        " | B: 'Kim Jong' PER kim_jong_un",
        "alias": "d0001",
    }
    assert task["data"]["review_items"][3]["value"] == (
        "d0004 · events · missing-in-a — A: (none) | B: CONSULT/visit 'met' kp→ru asserted"
    )


def test_review_config_controls() -> None:
    li = LabelInterface(C.build_review_config())
    names = {c.name for c in li.controls}
    full = {c.name for c in LabelInterface(C.build_config()).controls}
    assert names == (full - {"guidelines_version", "notes"}) | {
        "review_settled", "review_reason", "review_reasons"}  # fmt: skip


# -- the adjudicator's annotation -----------------------------------------------------------


def drop(result: list[dict[str, Any]], *rids: str) -> list[dict[str, Any]]:
    return [i for i in result if i["id"] not in rids]


def settle(result: list[dict[str, Any]], ids: list[str], reasons: str | None = None) -> list:
    out = [*result, {"id": "t1", "from_name": "review_settled", "to_name": "text",
                     "type": "choices", "value": {"choices": ids}}]  # fmt: skip
    if reasons is not None:
        out.append({"id": "t2", "from_name": "review_reasons", "to_name": "text",
                    "type": "textarea", "value": {"text": [reasons]}})  # fmt: skip
    return out


def region(rid: str, start: int, end: int, text: str, label: str, cid: str | None = None) -> list:
    out = [{"id": rid, "from_name": "entity", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}]  # fmt: skip
    if cid:
        out.append({"id": rid, "from_name": "canonical_id", "to_name": "text", "type": "textarea",
                    "value": {"start": start, "end": end, "text": [cid]}})  # fmt: skip
    return out


def reason(rid: str, text: str) -> dict[str, Any]:
    return {"id": rid, "from_name": "review_reason", "to_name": "text", "type": "textarea",
            "value": {"text": [text]}}  # fmt: skip


def export(task: dict[str, Any], result: list | None, *more: list) -> list[dict[str, Any]]:
    anns = [] if result is None else [{"id": 9, "completed_by": 3, "result": result}]
    anns += [{"id": 10 + i, "completed_by": 4, "result": r} for i, r in enumerate(more)]
    return json.loads(json.dumps(
        [{"id": 5, "data": task["data"], "annotations": anns, "predictions": task["predictions"]}],
        ensure_ascii=False))  # fmt: skip


def decisions(dis: R.Disagreements, result: list | None, *more: list) -> list[dict[str, Any]]:
    return R.decisions_from_export(
        export(task_of(dis), result, *more), dis, pact_documents(), registry=REG,
        users={3: "adj@x.org"})  # fmt: skip


def working(dis: R.Disagreements) -> list[dict[str, Any]]:
    return copy.deepcopy(task_of(dis)["predictions"][0]["result"])


def test_decisions_from_a_review_annotation(dis: R.Disagreements) -> None:
    res = drop(
        working(dis),
        "entity_d0001-a", "entity_d0001-b",  # redrawn below: equals A's
        "entity_d0002-a",  # B's (no canonical id) kept
        "event_d0003-b",  # A's kept, factuality changed below
        "event_d0004-b",  # B's extra event dropped: A has none
        "stance_d0005-a", "stance_d0005-b",  # neither
    )  # fmt: skip
    for item in res:
        if item["id"] == "event_d0003-a" and item["from_name"] == "factuality":
            item["value"]["choices"] = ["negated"]
    res += region("ui1", 0, 11, "Kim Jong Un", "PER", "kim_jong_un")
    res.append(reason("entity_d0002-b", "non-specific here"))
    res = settle(
        res,
        ["d0001", "d0002", "d0003", "d0004", "d0005"],
        "d0003: denied later\nd0005 - the sentence is neutral\nnot a reason line",
    )
    by = "adj@x.org"
    assert decisions(dis, res) == [
        {"id": "d0001", "choice": "a", "reason": "", "by": by},
        {"id": "d0002", "choice": "b", "reason": "non-specific here", "by": by},
        {"id": "d0003", "choice": "edited",
         "item": {"id": "v1", "trigger": {"start": 49, "end": 55, "text": "signed"},
                  "type": "AGREE", "mode": None, "sources": ["ru", "kp"], "targets": [],
                  "factuality": "negated"},
         "reason": "denied later", "by": by},
        {"id": "d0004", "choice": "a", "reason": "", "by": by},
        {"id": "d0005", "choice": "neither", "reason": "the sentence is neutral", "by": by},
    ]  # fmt: skip


def test_a_redrawn_region_that_is_neither_version_is_an_edit(dis: R.Disagreements) -> None:
    ids = ["d0001", "d0002", "d0003", "d0004", "d0005"]
    res = drop(working(dis), "entity_d0001-a", "entity_d0001-b", "entity_d0002-a",
               "entity_d0002-b", "event_d0003-b", "event_d0004-b", "stance_d0005-b")  # fmt: skip
    res += region("ui1", 0, 3, "Kim", "PER", "kim_jong_un")  # overlaps d0001's spans
    res += region("ui2", 58, 62, "pact", "WEA")  # overlaps nothing: named by its reason
    res.append(reason("ui2", "d0002: the pact, not North Korea"))
    got = {d["id"]: d for d in decisions(dis, settle(res, ids))}
    assert got["d0001"]["choice"] == "edited"
    assert got["d0001"]["item"] == {"id": "e1", "start": 0, "end": 3, "text": "Kim",
                                    "type": "PER", "canonical_id": "kim_jong_un"}  # fmt: skip
    assert (got["d0002"]["choice"], got["d0002"]["item"]["text"]) == ("edited", "pact")
    assert got["d0002"]["item"]["id"] == "e4" and got["d0002"]["item"]["canonical_id"] is None
    assert got["d0002"]["reason"] == "the pact, not North Korea"
    assert [got[i]["choice"] for i in ("d0003", "d0004", "d0005")] == ["a", "a", "a"]
    assert "by" in got["d0001"] and got["d0001"]["by"] == "adj@x.org"


def _err(dis: R.Disagreements, result: list | None, *more: list) -> list[tuple[str, str]]:
    with pytest.raises(RukpError) as exc:
        decisions(dis, result, *more)
    return [(i.id, i.message) for i in exc.value.incidents]


def test_an_item_not_ticked_is_unresolved(dis: R.Disagreements) -> None:
    res = drop(working(dis), "entity_d0001-b", "entity_d0002-b", "event_d0003-b",
               "event_d0004-b", "stance_d0005-b")  # fmt: skip
    got = _err(dis, settle(res, ["d0001", "d0002", "d0003", "d0005"]))
    assert got == [
        ("unresolved-disagreement", "d0004 (events, missing-in-a) in task 5: not ticked as settled")
    ]


def test_both_versions_left_is_unresolved(dis: R.Disagreements) -> None:
    res = drop(working(dis), "entity_d0002-b", "event_d0003-b", "event_d0004-b", "stance_d0005-b")
    got = _err(dis, settle(res, ["d0001", "d0002", "d0003", "d0004", "d0005"]))
    assert got == [
        ("unresolved-disagreement",
         "d0001 (entities, span) in task 5: 2 regions remain for it (A's version, B's version);"
         " keep at most one"),
    ]  # fmt: skip


def test_a_task_without_submitted_annotation_leaves_all_its_items_unresolved(
    dis: R.Disagreements,
) -> None:
    got = _err(dis, None)
    assert [i for i, _ in got] == ["unresolved-disagreement"] * 5
    assert got[0][1] == (
        "d0001 (entities, span): the review task of d1 has no submitted annotation"
    )


def test_a_region_that_belongs_to_no_item_is_refused(dis: R.Disagreements) -> None:
    res = drop(working(dis), "entity_d0001-b", "entity_d0002-b", "event_d0003-b",
               "event_d0004-b", "stance_d0005-b")  # fmt: skip
    res += region("ui9", 58, 62, "pact", "WEA")
    got = _err(dis, settle(res, ["d0001", "d0002", "d0003", "d0004", "d0005"]))
    assert [i for i, _ in got] == ["unassigned-region"]
    assert "'pact' WEA - (region 'ui9') belongs to no disagreement" in got[0][1]


def test_agreed_items_cannot_be_changed_in_the_review(dis: R.Disagreements) -> None:
    res = drop(working(dis), "entity_ctx-e3", "entity_d0001-b", "entity_d0002-b",
               "event_d0003-b", "event_d0004-b", "stance_d0005-b")  # fmt: skip
    got = _err(dis, settle(res, ["d0001", "d0002", "d0003", "d0004", "d0005"]))
    assert got == [
        ("context-changed",
         "task 5: agreed item(s) ['e3'] were changed; agreed items are not decided in the review"),
    ]  # fmt: skip


def test_two_review_annotations_on_one_task_are_refused(dis: R.Disagreements) -> None:
    res = settle(working(dis), [])
    got = _err(dis, res, res)
    assert [i for i, _ in got] == ["duplicate-annotation"]


def test_a_task_made_for_other_disagreements_is_outdated(dis: R.Disagreements) -> None:
    task = task_of(dis)
    # a later round with fewer items for d1
    other = R.Disagreements("annotations/A", "annotations/B", (dis.items[0], dis.items[1]))
    assert [i.id for i in R.outdated_tasks([task["data"]], other)] == ["review-outdated"]
    assert R.outdated_tasks([task["data"]], dis) == []
    with pytest.raises(RukpError) as exc:
        R.decisions_from_export(
            export(task, settle(working(dis), ["d0001", "d0002"])), other, pact_documents()
        )
    assert [(i.id, i.doc_id) for i in exc.value.incidents] == [("review-outdated", "d1")]
    assert "made for other disagreements of d1 (d0001, d0002, d0003, d0004, d0005)" in (
        exc.value.incidents[0].message
    )


# -- the disagreements file ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][1].update(layer="entity"), "layer 'entity'; allowed: entities"),
        (lambda d: d["items"][1].update(id="d0001"), "id 'd0001' is given twice"),
        (lambda d: d["items"][1].update(id="D2"), "id 'D2' must look like 'd0001'"),
        (lambda d: d["items"][1].update(a=None, b=None), "`a` and `b` are both null"),
        (lambda d: d["items"][1].update(kind="Canonical ID"), "kind 'Canonical ID' is not"),
        (lambda d: d["items"][1].update(b=d["items"][1]["a"]), "are the same item"),
        (lambda d: d.pop("b"), "`b` must name set B"),
        # found by fuzzing review push: such items crashed the task building (KeyError 'end')
        (lambda d: d["items"][0]["a"].pop("end"), "`a` is not one of a set's entities: 'end'"),
        (lambda d: d["items"][2]["b"].update(trigger=7), "`b` is not one of a set's events: 7"),
        (lambda d: d["items"][4]["a"].update(label=[1]), "`a` is not one of a set's stances:"),
    ],
)
def test_malformed_disagreements(tmp_path: Path, change: Any, message: str) -> None:
    data = dis_json()
    change(data)
    write_json(tmp_path / "d.json", data)
    with pytest.raises(RukpError) as exc:
        R.load_disagreements(tmp_path / "d.json")
    (inc,) = exc.value.incidents
    assert inc.id == "bad-disagreement" and message in inc.message
    assert inc.file == str(tmp_path / "d.json") and inc.location and inc.location.startswith("$")


def test_review_push_checks_the_agreed_set_before_the_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by fuzzing: an agreed file without an item's `end` crashed `ls review push`
    (KeyError in to_result); the agreed set is loaded with its schema checked."""
    from .helpers import write_documents

    write_json(tmp_path / "d.json", dis_json())
    rec = agreed()["d1"]
    rec["entities"][0].pop("end")
    write_json(tmp_path / "agreed" / "d1.json", rec)
    write_documents(tmp_path / "documents.jsonl", pact_documents())
    write_registry(tmp_path / "entities.json")
    code = main(["ls", "review", "push", "--disagreements", str(tmp_path / "d.json"),
                 "--documents", str(tmp_path / "documents.jsonl"), "--entities",
                 str(tmp_path / "entities.json"), "--agreed", str(tmp_path / "agreed"),
                 "--url", "http://127.0.0.1:9", "--token", "0" * 40])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "ERROR schema-violation " in err and "$.entities[0]" in err and "'end'" in err


def test_unreadable_disagreements(tmp_path: Path) -> None:
    (tmp_path / "d.json").write_text('{"a": "A", "items": [', "utf-8")
    with pytest.raises(RukpError) as exc:
        R.load_disagreements(tmp_path / "d.json")
    assert [i.id for i in exc.value.incidents] == ["malformed-json"]  # the safe reader's id
    with pytest.raises(RukpError) as exc:
        R.load_disagreements(tmp_path / "absent.json")
    assert [i.id for i in exc.value.incidents] == ["disagreements-unreadable"]


def test_review_import_reads_the_export_through_safeio(
    dis: R.Disagreements, tmp_path: Path
) -> None:
    """A FIFO export blocked `rukp ls review import` (read without the regular-file check); a
    missing one stays export-unreadable."""
    import os

    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "latin1.json").write_bytes(b'[{"data": "\xe9"}]')
    for name, incident in (
        ("fifo.json", "not-a-regular-file"),
        ("latin1.json", "not-utf8"),
        ("absent.json", "export-unreadable"),
    ):
        with pytest.raises(RukpError) as exc:
            R.decisions_from_file(tmp_path / name, dis, pact_documents())
        assert [i.id for i in exc.value.incidents] == [incident]


def test_an_item_whose_span_text_is_not_the_documents_is_refused(tmp_path: Path) -> None:
    data = dis_json()
    data["items"][0]["b"]["text"] = "Kim Jong-un"
    write_json(tmp_path / "d.json", data)
    with pytest.raises(RukpError) as exc:
        R.review_tasks(R.load_disagreements(tmp_path / "d.json"), pact_documents(), registry=REG)
    assert [(i.id, i.message) for i in exc.value.incidents] == [
        ("bad-disagreement", "d0001.b of d1 does not survive the Label Studio round trip "
         "(span text not the document's, or a field out of place)")]  # fmt: skip


def test_the_standin_finds_the_hand_listed_disagreements_where_spans_agree() -> None:
    a, b = sets()
    got, agreed_recs = standin_disagreements({"d1": a}, {"d1": b}, "A", "B")
    kinds = [(i["layer"], i["kind"]) for i in got["items"]]
    # e1's spans differ, so the stand-in pairs nothing: missing in b, then missing in a
    assert kinds == [("entities", "missing-in-b"), ("entities", "canonical-id"),
                     ("entities", "missing-in-a"), ("events", "factuality"),
                     ("events", "missing-in-a"), ("stances", "label")]  # fmt: skip
    assert [e["id"] for e in agreed_recs["d1"]["entities"]] == ["e2", "e3"]


# -- the command line ------------------------------------------------------------------------


def test_cli_review_import_writes_decisions(
    tmp_path: Path, dis: R.Disagreements, capsys: pytest.CaptureFixture[str]
) -> None:
    res = drop(working(dis), "entity_d0001-b", "entity_d0002-b", "event_d0003-b",
               "event_d0004-b", "stance_d0005-b")  # fmt: skip
    ex = tmp_path / "export.json"
    reg = write_registry(tmp_path / "entities.json")
    out = tmp_path / "decisions.json"
    base = ["ls", "review", "import", str(ex), "--disagreements", str(dis.file),
            "--documents", str(FIX / "documents.jsonl"), "--entities", str(reg),
            "--out", str(out)]  # fmt: skip
    write_json(ex, export(task_of(dis), settle(res, ["d0001"])))
    assert main(base) == 1
    err = capsys.readouterr().err
    assert err.count("ERROR unresolved-disagreement") == 4 and not out.exists()
    write_json(ex, export(task_of(dis), settle(res, ["d0001", "d0002", "d0003", "d0004", "d0005"])))
    assert main([*base, "--by", "Adjudicator One"]) == 0
    # hand-computed: B's versions deleted everywhere; d0004 has no A version, so deleting
    # B's event is choice "a" too
    assert f"wrote 5 decision(s) to {out}: a 5, b 0, neither 0, edited 0" in capsys.readouterr().out
    got = json.loads(out.read_text("utf-8"))["decisions"]
    assert [(d["id"], d["choice"], d["by"]) for d in got] == [
        ("d0001", "a", "Adjudicator One"), ("d0002", "a", "Adjudicator One"),
        ("d0003", "a", "Adjudicator One"), ("d0004", "a", "Adjudicator One"),
        ("d0005", "a", "Adjudicator One")]  # fmt: skip
