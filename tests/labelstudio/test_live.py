"""Live tests: a real, offline Label Studio (from .venv-ls) and Debian's headless Chromium.

One server for the whole module, started through `rukp ls serve` on a free port with a fresh
SQLite database under tmp_path (~60 s of migrations), stopped by its pid at teardown.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from label_studio_sdk import LabelStudio

from rukp.cli import main
from rukp.io import write_json
from rukp.labelstudio.cli import PASSWORD_ENV, TOKEN_ENV, USERNAME_ENV
from rukp.labelstudio.client import find_project
from rukp.labelstudio.convert import to_result
from rukp.labelstudio.data import load_set, registry_for_set
from rukp.labelstudio.server import free_port, group_alive, health, new_token
from rukp.paths import annotations_dir, repo_root

from .cdp import Chromium
from .helpers import (
    fixture_annotation,
    seed_documents,
    validator_errors,
    write_documents,
    write_registry,
)

pytestmark = pytest.mark.live
TITLE = "rukp live test"


@dataclass(slots=True)
class Live:
    url: str
    token: str
    username: str
    password: str
    ls_pid: int
    work: Path
    documents: Path
    pred_dir: Path
    registry: Path


def _prediction_set(work: Path) -> tuple[Path, Path]:
    """annotations/gold if it covers a seed, else annotations/A, else a small fixture set."""
    seeds = set(seed_documents())
    default_reg = annotations_dir() / "entities.json"
    for name in ("gold", "A"):
        d = annotations_dir() / name
        reg = registry_for_set(d, default_reg)
        if d.is_dir() and reg and seeds & {p.stem for p in d.glob("*.json")}:
            return d, reg
    pred = work / "fixture-set"
    for doc in seed_documents().values():
        write_json(pred / f"{doc.doc_id}.json", fixture_annotation(doc))
    return pred, write_registry(work / "entities.json")


@pytest.fixture(scope="module")
def live(label_studio_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    work = tmp_path_factory.mktemp("ls-live")
    port = free_port()
    token, password, user = new_token(), secrets.token_urlsafe(12), "annotator@rukp.test"
    env = {**os.environ, TOKEN_ENV: token, PASSWORD_ENV: password, USERNAME_ENV: user}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rukp",
            "ls",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(work / "ls-data"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        cwd=work,
    )
    ls_pid = 0
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if m := re.search(r"server pid (\d+)", line):
                ls_pid = int(m.group(1))
            if "Ctrl-C stops it" in line:
                break
        out = "".join(lines)
        assert ls_pid and f"http://127.0.0.1:{port}" in out, out
        assert token not in out and password not in out  # given through env: never printed
        url = f"http://127.0.0.1:{port}"
        assert health(url)
        documents = write_documents(work / "documents.jsonl", seed_documents())
        pred_dir, registry = _prediction_set(work)
        yield Live(url, token, user, password, ls_pid, work, documents, pred_dir, registry)
    finally:
        with_pgid = [proc.pid] + ([ls_pid] if ls_pid else [])
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # `rukp ls serve` stops its server on SIGTERM
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(group_alive(g) for g in with_pgid):
            time.sleep(0.2)
        leftovers = [g for g in with_pgid if group_alive(g)]
        for g in leftovers:  # whatever happened, nothing survives the module
            try:
                os.killpg(g, signal.SIGKILL)
            except ProcessLookupError:
                pass
        assert not leftovers, f"process groups still alive after SIGTERM: {leftovers}"
        assert not any(group_alive(g) for g in with_pgid)


@pytest.fixture(scope="module")
def sdk(live: Live) -> Any:
    return LabelStudio(base_url=live.url, api_key=live.token)


@pytest.fixture(scope="module")
def pushed(live: Live, sdk: Any) -> int:
    """Push the seeds with the prediction set, twice: the second push adds nothing."""
    argv = [
        "ls",
        "push",
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


def _session_cookies(live: Live) -> dict[str, str]:
    s = requests.Session()
    s.get(f"{live.url}/user/login/", timeout=30)
    r = s.post(
        f"{live.url}/user/login/",
        data={
            "email": live.username,
            "password": live.password,
            "csrfmiddlewaretoken": s.cookies["csrftoken"],
        },
        headers={"Referer": f"{live.url}/user/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 302 and "sessionid" in s.cookies, r.text[:300]
    return dict(s.cookies.items())


_FOCUS_NOTES = """(() => { const e = document.querySelector('textarea[name=notes]');
  if (!e) return 'no notes field'; e.scrollIntoView(); e.focus();
  return document.activeElement === e; })()"""
_CLICK_SUBMIT = """(() => { const b = Array.from(document.querySelectorAll('button'))
  .find(b => b.textContent.trim() === 'Submit'); if (!b) return 'no submit button';
  b.click(); return 'clicked'; })()"""
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
        for name, value in _session_cookies(live).items():
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
        assert browser.evaluate(_CLICK_SUBMIT) == "clicked"
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
