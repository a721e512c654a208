"""Live: two annotators, layer at a time, on a real Label Studio; then the adjudication review.

A and B get one project per pass (entities, then events, then stances), each pass showing the
earlier layers read-only. A accepts every pre-annotation (the prediction set, gold if present),
so A's pulled set must equal it: the round trip gold -> Label Studio (three passes) -> gold is
lossless. B changes one thing per pass. Then a local stand-in for `rukp adjudicate` lists the
disagreements, `rukp ls review push` makes the review tasks, one decision is made in the
browser, two through the SDK, and `rukp ls review pull` writes decisions.json.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from rukp.cli import main
from rukp.io import write_json
from rukp.labels import load_labels
from rukp.labelstudio import config as C
from rukp.labelstudio.client import find_project
from rukp.labelstudio.data import load_set
from rukp.labelstudio.tasks import registry_summary
from rukp.paths import repo_root

from .cdp import Chromium
from .helpers import seed_documents, validator_errors
from .live import CLICK_SUBMIT, Live, session_cookies
from .standin import write_standin

pytestmark = pytest.mark.live
TITLE = "rukp two"
ANNOTATORS = {"A": "a@rukp.test", "B": "b@rukp.test"}
SPEC = ",".join(f"{k}={v}" for k, v in ANNOTATORS.items())
LB = load_labels()


def _other(values: tuple[str, ...], current: str) -> str:
    return next(v for v in values if v != current)


def b_edit(layer: str, doc_id: str, result: list[dict[str, Any]], docs: list[str]) -> None:
    """B's one change per pass, each in another document (so three review tasks follow)."""
    target = {"entities": (docs[0], "entity"), "events": (docs[1], "factuality"),
              "stances": (docs[2], "stance")}[layer]  # fmt: skip
    if doc_id != target[0]:
        return
    item = next(i for i in result if i["from_name"] == target[1])
    if layer == "entities":
        item["value"]["labels"] = [_other(LB.entity_types, item["value"]["labels"][0])]
    elif layer == "events":
        item["value"]["choices"] = [_other(LB.factuality, item["value"]["choices"][0])]
    else:
        item["value"]["labels"] = [_other(LB.stance_labels, item["value"]["labels"][0])]


def b_expected(gold: dict[str, dict[str, Any]], docs: list[str]) -> dict[str, dict[str, Any]]:
    out = {d: {**copy.deepcopy(r), "annotator": "B"} for d, r in gold.items()}
    e = out[docs[0]]["entities"][0]
    e["type"] = _other(LB.entity_types, e["type"])
    ev = out[docs[1]]["events"][0]
    ev["factuality"] = _other(LB.factuality, ev["factuality"])
    st = out[docs[2]]["stances"][0]
    st["label"] = _other(LB.stance_labels, st["label"])
    return out


class Flow:
    """State shared by the tests of this module (they run in file order)."""

    out: Path
    users: dict[str, int]
    gold: dict[str, dict[str, Any]]
    docs: list[str]


@pytest.fixture(scope="module")
def flow(live: Live, sdk: Any, tmp_path_factory: pytest.TempPathFactory) -> Flow:
    f = Flow()
    f.out = tmp_path_factory.mktemp("two") / "annotations"
    f.users = {}
    for name, email in ANNOTATORS.items():
        user = sdk.users.create(username=f"annotator-{name}", email=email, first_name=name)
        f.users[name] = int(user.id)
    seeds = seed_documents()
    f.gold = {d: r for d, r in load_set(live.pred_dir).items() if d in seeds}
    f.docs = sorted(f.gold)
    assert len(f.docs) >= 3
    for d in f.docs[1:3]:  # B's event and stance edits need an event and a stance there
        assert f.gold[d]["events"] and f.gold[d]["stances"]
    return f


def _server(live: Live) -> list[str]:
    return ["--url", live.url, "--token", live.token, "--documents", str(live.documents),
            "--entities", str(live.registry)]  # fmt: skip


def _annotate(sdk: Any, project: Any, user: int, edit: Any = None) -> int:
    """`user` submits every task of `project`, starting from its pre-annotation."""
    n = 0
    for task in sdk.tasks.list(project=project.id, fields="all"):
        preds = list(sdk.predictions.list(task=task.id))
        result = copy.deepcopy(preds[0].result) if preds else []
        if edit:
            edit(task.data["doc_id"], result)
        sdk.annotations.create(
            id=task.id, result=result, completed_by=user, lead_time=3.0, was_cancelled=False
        )
        n += 1
    return n


def test_users_lists_ids_to_map(live: Live, flow: Flow, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["ls", "users", "--url", live.url, "--token", live.token]) == 0
    out = capsys.readouterr().out
    assert f"   1  {live.username}" in out  # the first user of a fresh server is 1, the admin
    for name, email in ANNOTATORS.items():
        assert f"{flow.users[name]:>4}  {email}" in out


def test_two_annotators_three_passes_give_two_sets(
    live: Live, sdk: Any, flow: Flow, capsys: pytest.CaptureFixture[str]
) -> None:
    out = flow.out
    exports = out.parent / "exports"
    for layer in C.LAYERS:
        # the seeds, which have gold: pushed on purpose (--include-gold)
        push = ["ls", "push", *_server(live), "--include-gold", "--project-title", TITLE,
                "--annotators", SPEC, "--layer", layer, "--predictions", str(live.pred_dir),
                "--score", "1.0"]  # fmt: skip
        if layer != "entities":
            push += ["--context", str(out / "{annotator}")]
        capsys.readouterr()
        assert main(push) == 0
        printed = capsys.readouterr().out
        assert f"{TITLE} · A · {layer}: project" in printed
        assert f"tasks imported: {len(seed_documents())}" in printed
        assert "no account" not in printed  # both e-mails are users of the server
        for name in ANNOTATORS:
            project = find_project(sdk, f"{TITLE} · {name} · {layer}")
            assert project is not None
            edit = (
                (lambda d, r, layer=layer: b_edit(layer, d, r, flow.docs)) if name == "B" else None
            )
            assert _annotate(sdk, project, flow.users[name], edit) == len(seed_documents())
        pull = ["ls", "pull", *_server(live), "--project-title", TITLE, "--annotators", SPEC,
                "--layer", layer, "--out-dir", str(out), "--export-file", str(exports)]  # fmt: skip
        if layer != "entities":
            before = {p: p.read_bytes() for p in out.rglob("*.json")}
            assert main(pull) == 1  # A/ and B/ exist: refused without the flag
            err = capsys.readouterr().err
            assert err.count("ERROR set-exists") == 2
            assert {p: p.read_bytes() for p in out.rglob("*.json")} == before
            pull.append("--update-sets")
        assert main(pull) == 0
        printed = capsys.readouterr().out
        assert f"A ({len(seed_documents())}), B ({len(seed_documents())})" in printed
        a = load_set(out / "A")
        for d in flow.docs:  # after each pass, A's set holds the layers annotated so far
            done = C.LAYERS[: C.LAYERS.index(layer) + 1]
            assert {k: a[d][k] for k in done} == {k: flow.gold[d][k] for k in done}
            assert all(a[d][k] == [] for k in C.LAYERS if k not in done)
    # lossless: gold -> three passes in Label Studio -> gold (with A as annotator)
    assert load_set(out / "A") == {d: {**r, "annotator": "A"} for d, r in flow.gold.items()}
    assert load_set(out / "B") == b_expected(flow.gold, flow.docs)
    assert validator_errors([out / "A", out / "B"], live.documents) == []


_REGIONS = """JSON.stringify(Htx.annotationStore.selected.regions.map(r => [r.cleanId,
  !!r.readonly, !!r.isReadOnly()]))"""
_VISIBLE_LABELS = """Array.from(document.querySelectorAll('.lsf-label__text'))
  .filter(e => e.offsetParent !== null).map(e => e.textContent)"""


def _open(browser: Chromium, live: Live, project: int, task: int, tmp_path: Path) -> None:
    browser.open_page()
    for name, value in session_cookies(live).items():
        browser.set_cookie(live.url, name, value)
    browser.navigate(f"{live.url}/projects/{project}/data?task={task}")
    try:
        browser.wait_for("document.querySelectorAll('.htx-highlight').length", timeout=90)
    except TimeoutError:
        browser.screenshot(tmp_path / "failed.png")
        raise AssertionError(f"no regions shown; see {tmp_path / 'failed.png'}") from None
    time.sleep(1.0)  # let every region render


def _wait_submitted(sdk: Any, task_id: int) -> None:
    deadline = time.monotonic() + 30
    while not sdk.tasks.get(id=task_id).total_annotations and time.monotonic() < deadline:
        time.sleep(0.5)


def test_events_pass_in_the_browser_shows_entities_locked(
    live: Live, sdk: Any, flow: Flow, chromium_bin: Path, tmp_path: Path, capsys: Any
) -> None:
    a_set = flow.out / "A"
    title = f"{TITLE} ui"
    assert main(["ls", "push", *_server(live), "--include-gold", "--project-title", title,
                 "--layer", "events", "--predictions", str(live.pred_dir),
                 "--context", str(a_set)]) == 0  # fmt: skip
    project = find_project(sdk, f"{title} · events")
    doc_id = flow.docs[1]
    task = next(t for t in sdk.tasks.list(project=project.id) if t.data["doc_id"] == doc_id)
    rec = load_set(a_set)[doc_id]
    browser = Chromium(str(chromium_bin), tmp_path / "chromium-profile")
    try:
        _open(browser, live, project.id, task.id, tmp_path)
        regions = json.loads(browser.evaluate(_REGIONS))
        visible = browser.evaluate(_VISIBLE_LABELS)
        shown = browser.evaluate("document.body.innerText")
        count = len(regions)
        # what the Delete key does to a region: refused for the locked context regions
        locked = next(r[0] for r in regions if r[0].startswith("entity_"))
        browser.evaluate(
            "Htx.annotationStore.selected.regions"
            f".find(r => r.cleanId === {json.dumps(locked)}).deleteRegion()"
        )
        after = len(json.loads(browser.evaluate(_REGIONS)))
        browser.screenshot(tmp_path / "events-pass.png")
        assert browser.evaluate(CLICK_SUBMIT) == "clicked"  # accept as it is
        _wait_submitted(sdk, task.id)
    finally:
        browser.close()
    ents = {f"entity_{e['id']}" for e in rec["entities"]}
    evs = {f"event_{e['id']}" for e in rec["events"]}
    assert {r[0] for r in regions if r[0].startswith("entity_")} == ents
    assert {r[0] for r in regions if r[0].startswith("event_")} == evs
    assert all(ro and iro for rid, ro, iro in regions if rid in ents)  # locked
    assert not any(ro or iro for rid, ro, iro in regions if rid in evs)  # editable
    assert after == count
    names = {v.rstrip("0123456789qwertyuiopasdfghjklzxcvbnm") for v in visible}
    assert names == set(LB.event_types)  # the entity labels are hidden: none can be drawn
    assert registry_summary(rec)[:40] in shown
    # what the real UI stored passes the context check and changes nothing in A's set
    ui_out = tmp_path / "annotations"
    shutil.copytree(a_set, ui_out / "A")
    amap = tmp_path / "map.json"
    write_json(amap, {live.username: "A"})
    capsys.readouterr()
    assert main(["ls", "pull", *_server(live), "--project-title", title, "--layer", "events",
                 "--out-dir", str(ui_out), "--annotator-map", str(amap),
                 "--export-file", str(tmp_path / "export.json")]) == 0  # fmt: skip
    assert "files written: 0" in capsys.readouterr().out
    assert load_set(ui_out / "A") == load_set(a_set)
    if os.environ.get("RUKP_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(tmp_path / "events-pass.png", repo_root() / "docs/img/ls-events-pass.png")


_TICK = """(() => { const l = Array.from(document.querySelectorAll('label'))
  .find(e => e.textContent.startsWith(%s)); if (!l) return 'no item';
  l.click(); return 'ok'; })()"""
_REASONS = """(() => { const e = document.querySelector('textarea[name=review_reasons]');
  if (!e) return 'no reasons field'; e.scrollIntoView(); e.focus();
  return document.activeElement === e; })()"""


def test_review_round_trip_gives_decisions(
    live: Live,
    sdk: Any,
    flow: Flow,
    chromium_bin: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    adj = tmp_path / "adjudicated"
    dis_file = write_standin(
        load_set(flow.out / "A"), load_set(flow.out / "B"), "annotations/A", "annotations/B", adj
    )
    dis = json.loads(dis_file.read_text("utf-8"))
    assert [(i["id"], i["doc_id"], i["layer"], i["kind"]) for i in dis["items"]] == [
        ("d0001", flow.docs[0], "entities", "type"),
        ("d0002", flow.docs[1], "events", "factuality"),
        ("d0003", flow.docs[2], "stances", "label"),
    ]
    title = f"{TITLE} review"
    push = ["ls", "review", "push", *_server(live), "--project-title", title,
            "--disagreements", str(dis_file), "--agreed", str(adj / "agreed")]  # fmt: skip
    capsys.readouterr()
    assert main(push) == 0
    assert "3 disagreement(s) in 3 review task(s)" in capsys.readouterr().out
    assert main(push) == 0  # again: nothing new
    assert "tasks imported: 0, already there: 3" in capsys.readouterr().out
    later = tmp_path / "later.json"  # another round for the same documents: refused
    write_json(later, {**dis, "items": [{**dis["items"][0], "kind": "span"}]})
    assert main([*push[:-4], "--disagreements", str(later), "--agreed", str(adj / "agreed")]) == 1
    assert "ERROR review-outdated" in capsys.readouterr().err
    project = find_project(sdk, title)
    assert project.model_version == "review: A+B"
    tasks = {t.data["doc_id"]: t for t in sdk.tasks.list(project=project.id, fields="all")}
    assert sorted(tasks) == flow.docs[:3]
    # d0001 in the browser: the working copy holds both versions; B's is deleted, the item
    # ticked, a reason typed, and the task submitted
    t1 = tasks[flow.docs[0]]
    browser = Chromium(str(chromium_bin), tmp_path / "chromium-profile")
    try:
        _open(browser, live, project.id, t1.id, tmp_path)
        regions = json.loads(browser.evaluate(_REGIONS))
        # a selected region's details say whose version it is (its meta text)
        browser.evaluate(
            "(() => { const a = Htx.annotationStore.selected; a.selectArea("
            "a.regions.find(r => r.cleanId === 'entity_d0001-b')); })()"
        )
        time.sleep(0.5)
        details = browser.evaluate("document.body.innerText")
        browser.evaluate(
            "Htx.annotationStore.selected.regions"
            ".find(r => r.cleanId === 'entity_d0001-b').deleteRegion()"
        )
        ticked = browser.evaluate(_TICK % json.dumps("d0001 · entities · type"))
        browser.screenshot(tmp_path / "review.png")
        assert browser.evaluate(_REASONS) is True
        browser.call("Input.insertText", {"text": "d0001: A's type is right"})
        assert browser.evaluate(CLICK_SUBMIT) == "clicked"
        _wait_submitted(sdk, t1.id)
    finally:
        browser.close()
    assert ticked == "ok"
    assert "d0001: B's version (annotations/B)" in details
    if os.environ.get("RUKP_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(tmp_path / "review.png", repo_root() / "docs/img/ls-review.png")
    ids = {r[0]: r[1] for r in regions}
    assert ids["entity_d0001-a"] is False and ids["entity_d0001-b"] is False
    agreed = load_set(adj / "agreed")[flow.docs[0]]
    n_agreed = sum(len(agreed[k]) for k in C.LAYERS)
    assert sum(1 for rid, ro in ids.items() if "_ctx-" in rid and ro) == n_agreed
    # d0002 and d0003 through the SDK: keep B's event, drop both stances
    for doc_id, drop, did, why in (
        (flow.docs[1], "event_d0002-a", "d0002", "B reads the hedge"),
        (flow.docs[2], ("stance_d0003-a", "stance_d0003-b"), "d0003", "no stance there"),
    ):
        task = tasks[doc_id]
        working = next(
            p for p in sdk.predictions.list(task=task.id) if p.model_version == "review: A+B"
        )
        gone = {drop} if isinstance(drop, str) else set(drop)
        result = [i for i in working.result if i["id"] not in gone]
        result += [
            {"id": "t1", "from_name": "review_settled", "to_name": "text", "type": "choices",
             "value": {"choices": [did]}},
            {"id": "t2", "from_name": "review_reasons", "to_name": "text", "type": "textarea",
             "value": {"text": [f"{did}: {why}"]}},
        ]  # fmt: skip
        sdk.annotations.create(id=task.id, result=result, was_cancelled=False)
    decisions = tmp_path / "decisions.json"
    pull = ["ls", "review", "pull", *_server(live), "--project-title", title,
            "--disagreements", str(dis_file), "--out", str(decisions),
            "--export-file", str(tmp_path / "review-export.json")]  # fmt: skip
    assert main(pull) == 0
    assert "wrote 3 decision(s)" in capsys.readouterr().out
    by = live.username
    assert json.loads(decisions.read_text("utf-8")) == {
        "decisions": [
            {"id": "d0001", "choice": "a", "reason": "A's type is right", "by": by},
            {"id": "d0002", "choice": "b", "reason": "B reads the hedge", "by": by},
            {"id": "d0003", "choice": "neither", "reason": "no stance there", "by": by},
        ]
    }
