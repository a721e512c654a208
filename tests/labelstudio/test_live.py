"""Live tests: a real, offline Label Studio (from .venv-ls) and Debian's headless Chromium.

One server for the whole test session (the `live` fixture in conftest.py), started through
`rukp ls serve` on a free port with a fresh SQLite database, stopped by its pid at teardown.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from rukp.cli import main
from rukp.io import write_json
from rukp.labelstudio.client import find_project
from rukp.labelstudio.convert import to_result
from rukp.labelstudio.data import load_set
from rukp.paths import repo_root

from .cdp import Chromium
from .helpers import seed_documents, validator_errors
from .live import CLICK_SUBMIT, Live, session_cookies

pytestmark = pytest.mark.live
TITLE = "rukp live test"


@pytest.fixture(scope="module")
def pushed(live: Live, sdk: Any) -> int:
    """Push the seeds with the prediction set, twice: the second push adds nothing."""
    argv = [
        "ls",
        "push",
        "--include-gold",  # the seeds have gold: pushed here on purpose, the gold as predictions
        "--url",
        live.url,
        "--token",
        live.token,
        "--project-title",
        TITLE,
        "--documents",
        str(live.documents),
        "--predictions",
        str(live.pred_dir),
        "--entities",
        str(live.registry),
        "--score",
        "0.5",
    ]
    assert main(argv) == 0
    assert main(argv) == 0
    project = find_project(sdk, TITLE)
    assert project is not None
    return int(project.id)


def _pull_argv(live: Live, out: Path, amap: Path, export: Path) -> list[str]:
    """`rukp ls pull` from the live server's project into `out`."""
    return [
        "ls", "pull", "--url", live.url, "--token", live.token, "--project-title", TITLE,
        "--documents", str(live.documents), "--entities", str(live.registry),
        "--out-dir", str(out), "--annotator-map", str(amap), "--export-file", str(export),
    ]  # fmt: skip


def test_push_creates_one_task_per_document_with_predictions(live: Live, sdk: Any, pushed: int):
    tasks = list(sdk.tasks.list(project=pushed, fields="all"))
    assert sorted(t.data["doc_id"] for t in tasks) == sorted(seed_documents())  # no duplicates
    docs = seed_documents()
    preds = load_set(live.pred_dir)
    for t in tasks:
        doc = docs[t.data["doc_id"]]
        assert t.data["text"] == doc.text and t.data["text_sha256"] == doc.text_sha256
        assert t.total_predictions == (1 if doc.doc_id in preds else 0)


def test_annotate_pull_import_gives_what_was_submitted(
    live: Live, sdk: Any, pushed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = sorted(sdk.tasks.list(project=pushed, fields="all"), key=lambda t: t.data["doc_id"])
    preds = load_set(live.pred_dir)
    task = next(t for t in tasks if t.data["doc_id"] in preds)
    other = next(t for t in tasks if t.id != task.id)
    # an annotator starts from the prediction, fixes it and submits
    submitted = json.loads(json.dumps(preds[task.data["doc_id"]]))
    submitted["annotator"] = "A"
    submitted["notes"] = "checked in Label Studio; dropped one entity"
    submitted["entities"] = submitted["entities"][:-1]
    if submitted["stances"]:
        submitted["stances"][0]["label"] = "AGAINST"
    sdk.annotations.create(
        id=task.id, result=to_result(submitted), lead_time=12.0, was_cancelled=False
    )
    sdk.annotations.create(id=other.id, result=[], was_cancelled=True)
    me = sdk.users.whoami().id
    amap = live.work / "map.json"
    write_json(amap, {str(me): "A"})
    out = live.work / "annotations"
    export = live.work / "export.json"
    argv = _pull_argv(live, out, amap, export)
    capsys.readouterr()
    assert main(argv) == 0
    first = capsys.readouterr().out
    doc_id = task.data["doc_id"]
    assert sorted(p.name for p in (out / "A").iterdir()) == [f"{doc_id}.json", "entities.json"]
    assert json.loads((out / "A" / f"{doc_id}.json").read_text("utf-8")) == submitted
    assert f"skipped task {other.id} annotation" in first
    assert "files written: 2" in first
    # the snapshot export carries full predictions, not ids
    data = json.loads(export.read_bytes())
    with_preds = [t for t in data if t["predictions"]]
    assert with_preds and all(
        isinstance(p, dict) and p["result"] for t in with_preds for p in t["predictions"]
    )
    before = {p.name: p.read_bytes() for p in (out / "A").iterdir()}
    assert main(argv) == 0  # pulling again changes nothing
    assert "files written: 0" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in (out / "A").iterdir()} == before
    assert validator_errors([out / "A"], live.documents) == []


_FOCUS_NOTES = """(() => { const e = document.querySelector('textarea[name=notes]');
  if (!e) return 'no notes field'; e.scrollIntoView(); e.focus();
  return document.activeElement === e; })()"""
_HIGHLIGHTS = """Array.from(document.querySelectorAll('.htx-highlight')).map(e => [
  Array.from(e.classList).find(c => c.startsWith('htx-highlight-')) || '',
  e.getAttribute('data-label') || '', e.textContent, getComputedStyle(e).backgroundColor])"""


def test_ui_shows_document_and_preannotated_entities(
    live: Live, sdk: Any, pushed: int, chromium_bin: Path, tmp_path: Path
) -> None:
    preds = load_set(live.pred_dir)
    tasks = sorted(sdk.tasks.list(project=pushed, fields="all"), key=lambda t: t.data["doc_id"])
    fresh = [t for t in tasks if not t.total_annotations and not t.cancelled_annotations]
    task = next(t for t in fresh if t.data["doc_id"] in preds)
    ann = preds[task.data["doc_id"]]
    text = task.data["text"]
    browser = Chromium(str(chromium_bin), tmp_path / "chromium-profile")
    try:
        browser.open_page()
        for name, value in session_cookies(live).items():
            browser.set_cookie(live.url, name, value)
        browser.navigate(f"{live.url}/projects/{pushed}/data?task={task.id}")
        try:
            browser.wait_for("document.querySelectorAll('.htx-highlight').length", timeout=90)
        except TimeoutError:
            browser.screenshot(tmp_path / "failed.png")
            raise AssertionError(f"no regions shown; see {tmp_path / 'failed.png'}") from None
        time.sleep(1.0)  # let every region render
        shown = browser.evaluate("(document.querySelector('.lsf-htx-richtext') || {}).textContent")
        highlights = browser.evaluate(_HIGHLIGHTS)
        browser.screenshot(tmp_path / "ls-task.png")
        # then the annotator accepts the pre-annotation, adds a note, and submits in the UI
        accepted = {**ann, "annotator": "A"}
        if "notes" not in ann:
            assert browser.evaluate(_FOCUS_NOTES) is True
            browser.call("Input.insertText", {"text": "checked in the UI"})
            browser.press_enter()
            accepted = {**accepted, "notes": "checked in the UI"}
        assert browser.evaluate(CLICK_SUBMIT) == "clicked"
        deadline = time.monotonic() + 30
        while not sdk.tasks.get(id=task.id).total_annotations and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        browser.close()
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 - the UI drops newline characters
    assert squash(shown) == squash(text)
    regions: dict[str, tuple[str, str]] = {}
    for cls, label, part, background in highlights:
        m = re.match(r"^htx-highlight-(entity_.+)-\d+$", cls)
        if m:
            # coloured by the label's CSS rule (a ':' in region ids broke that selector)
            assert background not in ("rgba(0, 0, 0, 0)", "transparent"), (cls, background)
            old = regions.get(m.group(1), ("", ""))
            regions[m.group(1)] = (label.split(":", 1)[-1], old[1] + part)
    expected = {f"entity_{e['id']}": (e["type"], e["text"]) for e in ann["entities"]}
    assert {k: (t, squash(x)) for k, (t, x) in regions.items()} == {
        k: (t, squash(x)) for k, (t, x) in expected.items()
    }
    assert (tmp_path / "ls-task.png").stat().st_size > 10_000
    # what the real UI stored imports as the accepted pre-annotation (+ the note)
    amap = tmp_path / "map.json"
    write_json(amap, {str(sdk.users.whoami().id): "A"})
    out = tmp_path / "annotations"
    assert main(_pull_argv(live, out, amap, tmp_path / "export.json")) == 0
    got = json.loads((out / "A" / f"{task.data['doc_id']}.json").read_text("utf-8"))
    assert got == accepted
    if os.environ.get("RUKP_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(tmp_path / "ls-task.png", repo_root() / "docs" / "img" / "ls-task.png")
