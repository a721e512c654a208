"""The explorer in headless Chromium (file://, offline flags): documents listed, spans and triggers
as in the release, a system's errors equal to the scorer's counts, no console error, no request
off the disk. Screenshots of the real release go to docs/img/ with RUKP_UPDATE_SCREENSHOT=1."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from explore_fixtures import NASTY_NAME, TEXTS, World
from labelstudio.cdp import Chromium

from rukp.evaluate import score_task
from rukp.evaluate.release import load_gold
from rukp.explore import explore
from rukp.explore.systems import slug
from rukp.leaderboard import load_entries

pytestmark = pytest.mark.live
REPO = Path(__file__).resolve().parents[2]


class Browser(Chromium):
    """The project's DevTools-pipe client, keeping every event (console, exceptions, logs)."""

    def __init__(self, binary: str, profile: Path) -> None:
        super().__init__(binary, profile)
        self.events: list[dict[str, Any]] = []

    def _read(self, timeout: float) -> dict | None:
        msg = super()._read(timeout)
        if msg is not None and "method" in msg:
            self.events.append(msg)
        return msg

    def start(self) -> None:
        self.open_page()
        self.call("Log.enable")
        self.call("Network.enable")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(f"{expression!r} stayed falsy")

    def load(self, url: str) -> None:
        self.navigate(url)
        self.wait_for(
            "document.readyState === 'complete' && document.body !== null && "
            "document.body.getAttribute('data-ready') === '1' && location.href === "
            + json.dumps(url),
            timeout=30,
        )
        broken = self.evaluate(
            "Array.from(document.images).filter(i => !i.complete || !i.naturalWidth)"
            ".map(i => i.src)"
        )
        assert broken == [], f"{url}: images not shown: {broken}"

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, failed loads, requests off the disk."""
        time.sleep(0.2)
        self.evaluate("1")  # drain events that arrived meanwhile
        out = []
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                out.append(
                    f"exception: {d.get('text')} {d.get('exception', {}).get('description')}"
                )
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(f"console.{p['type']}: {[a.get('value') for a in p.get('args', [])]}")
            elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
                out.append(f"log: {p['entry']['text']} {p['entry'].get('url', '')}")
            elif m == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if not url.startswith(("file://", "data:")):
                    out.append(f"network request: {url}")
        return out

    def switch(self, key: str) -> None:
        """Choose a system in the document page's select, as a reader does."""
        done = self.evaluate(
            "(() => { const s = document.getElementById('system-select');"
            f" s.value = {json.dumps(key)}; s.dispatchEvent(new Event('change'));"
            " return document.body.getAttribute('data-system'); })()"
        )
        assert done == key


@pytest.fixture()
def browser(chromium_bin: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    b = Browser(str(chromium_bin), tmp_path / "profile")
    try:
        b.start()
        yield b
    finally:
        b.close()


_VISIBLE_COUNTS = """(() => {
  const secs = Array.from(document.querySelectorAll('section.sysview')).filter(s => !s.hidden);
  if (secs.length !== 1 || secs[0].offsetParent === null) { return null; }
  const sec = secs[0], t = sec.querySelector('table.cats');
  const cell = (cat, side) => {
    const td = t.querySelector('tr[data-cat="' + cat + '"] td[data-n="' + side + '"]');
    return td ? parseInt(td.textContent, 10) : null;
  };
  const items = side => new Set(Array.from(sec.querySelectorAll('.systext [data-side="' + side
    + '"]')).map(e => e.getAttribute('data-item'))).size;
  return {system: sec.getAttribute('data-system'), gold: cell('total', 'gold'),
          pred: cell('total', 'pred'), correct: cell('correct', 'gold'),
          gold_marks: items('gold'), pred_marks: items('pred'),
          gold_text_shown: document.getElementById('text').offsetParent !== null,
          name: sec.querySelector('.sysname').textContent};
})()"""

_GOLD = """(() => {
  const t = document.getElementById('text');
  const ids = sel => new Set(Array.from(t.querySelectorAll(sel)).map(e =>
    e.getAttribute(sel.slice(1, -1)))).size;
  return {ents: ids('[data-ent]'), trigs: ids('[data-trig]'), text: t.textContent,
          title: document.title};
})()"""


def _expected(task: str, gold_rows: list[dict], preds: dict[str, Any], doc_id: str) -> dict:
    """The scorer's counts on one document: (support, predicted, tp) summed over types."""
    rows = [r for r in gold_rows if r["doc_id"] == doc_id]
    field = {"ner": "tags", "stance": "label", "events": "types"}[task]
    res = score_task(
        task, rows, [{"id": r["id"], field: preds[r["id"]]} for r in rows], bootstrap=0
    )
    table = res.get("per_type") or res["per_label"]
    support = sum(v["support"] for v in table.values())
    predicted = sum(v["predicted"] for v in table.values())
    tp = sum(v["tp"] for v in table.values())
    if task == "stance":  # one decision per record: totals are records, correct = tp
        return {"gold": support, "pred": None, "correct": tp}
    return {"gold": support, "pred": predicted, "correct": tp}


def _check_system(b: Browser, key: str, task: str, expected: dict, name: str) -> None:
    got = b.evaluate(_VISIBLE_COUNTS)
    assert got is not None, f"{key}: no single visible system section"
    assert got["system"] == key and got["name"] == name
    assert {k: got[k] for k in ("gold", "pred", "correct")} == expected, key
    if task == "ner":
        assert (got["gold_marks"], got["pred_marks"]) == (expected["gold"], expected["pred"])
        assert got["gold_text_shown"] is False  # the system's text replaces the gold text
    else:
        assert got["gold_text_shown"] is True


def _parquet_rows(release: Path, config: str) -> list[dict]:
    rows = []
    for p in sorted((release / config).glob("*.parquet")):
        rows += pq.read_table(p).to_pylist()
    return rows


def test_synthetic_site_in_chromium(site: Path, world: World, browser: Browser) -> None:
    index = (site / "index.html").as_uri()
    browser.load(index)
    listed = browser.evaluate(
        "Array.from(document.querySelectorAll('#doc-index tbody tr:not(.hidden)'))"
        ".map(r => r.getAttribute('data-doc'))"
    )
    assert listed == sorted(TEXTS)
    browser.load(index + "?language=fr")
    assert browser.evaluate("document.getElementById('shown-count').textContent") == "1"
    ents = {r["id"]: len(r["entities"]) for r in _parquet_rows(world.release, "entities")}
    trigs: dict[str, int] = {}
    for r in _parquet_rows(world.release, "events"):
        trigs[r["doc_id"]] = trigs.get(r["doc_id"], 0) + len(r["mentions"])
    for doc_id, text in TEXTS.items():
        browser.load((site / "doc" / f"{doc_id}.html").as_uri())
        got = browser.evaluate(_GOLD)
        assert (got["ents"], got["trigs"]) == (ents[doc_id], trigs[doc_id]), doc_id
        assert got["text"] == text  # marks never change the text; the <script> is text
        assert got["title"] == f"{text.split(chr(10))[0]} · rukp explorer"
    assert browser.evaluate("typeof window.pwned") == "undefined"

    doc = (site / "doc" / "d2.html").as_uri()
    gold = {t: load_gold(t, world.release, "test").rows for t in ("ner", "stance", "events")}
    systems = {
        "ner:oracle": ("ner", "oracle", "oracle.ner.test.jsonl"),  # best score first
        f"ner:{slug(NASTY_NAME)}": ("ner", NASTY_NAME, "nasty.ner.test.jsonl"),
        "stance:stancer": ("stance", "stancer", "stancer.stance.test.jsonl"),
        "events:eventer": ("events", "eventer", "ev.events.test.jsonl"),
    }
    browser.load(doc)
    options = browser.evaluate(
        "Array.from(document.querySelectorAll('#system-select option')).map(o => o.value)"
    )
    assert options == ["", *systems]
    for key, (task, name, fname) in systems.items():
        preds = _preds(world.predictions / fname, task)
        expected = _expected(task, gold[task], preds, "d2")
        browser.switch(key)
        _check_system(browser, key, task, expected, name)
        browser.load(doc + "?system=" + key)  # the same through the URL
        _check_system(browser, key, task, expected, name)
    assert _expected(
        "ner", gold["ner"], _preds(world.predictions / "nasty.ner.test.jsonl", "ner"), "d2"
    ) == {
        "gold": 5,
        "pred": 5,
        "correct": 1,
    }
    browser.switch("")
    assert browser.evaluate(_VISIBLE_COUNTS) is None
    # a stance record lights up its evidence in the text
    browser.evaluate(
        "document.querySelector('li.stance[data-st=\"s1\"]').dispatchEvent(new Event('mouseenter'))"
    )
    assert browser.evaluate(
        "Array.from(document.querySelectorAll('#text .evid.on'))"
        ".map(e => e.getAttribute('data-st'))"
    ) == ["s1"]
    assert browser.evaluate("document.title").startswith("Séoul <script>")
    assert browser.problems() == []


def _preds(path: Path, task: str) -> dict[str, Any]:
    field = {"ner": "tags", "stance": "label", "events": "types"}[task]
    out = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            o = json.loads(line)
            out[o["id"]] = o[field]
    return out


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "explorer"
    explore(
        REPO / "release",
        out,
        leaderboard=REPO / "leaderboard",
        prediction_dirs=[REPO / "baselines" / "results" / "predictions"],
        registry=REPO / "annotations" / "entities.json",
        sources=REPO / "raw" / "sources.csv",
    )
    return out


def test_real_release_in_chromium(real_site: Path, browser: Browser, tmp_path: Path) -> None:
    from datasets import load_dataset

    release = REPO / "release"
    cache = str(tmp_path / "hf-cache")
    documents = load_dataset(str(release), "documents", cache_dir=cache)
    entities = load_dataset(str(release), "entities", cache_dir=cache)
    events = load_dataset(str(release), "events", cache_dir=cache)
    doc_ids = sorted(r["id"] for split in documents.values() for r in split)
    text = {r["id"]: r["text"] for split in documents.values() for r in split}
    n_ent = {r["id"]: len(r["entities"]) for split in entities.values() for r in split}
    n_trig: dict[str, int] = {}
    for split in events.values():
        for r in split:
            n_trig[r["doc_id"]] = n_trig.get(r["doc_id"], 0) + len(r["mentions"])

    browser.load((real_site / "index.html").as_uri())
    listed = browser.evaluate(
        "Array.from(document.querySelectorAll('#doc-index tbody tr'))"
        ".map(r => r.getAttribute('data-doc'))"
    )
    assert listed == doc_ids
    for doc_id in doc_ids:
        browser.load((real_site / "doc" / f"{doc_id}.html").as_uri())
        got = browser.evaluate(_GOLD)
        assert (got["ents"], got["trigs"]) == (n_ent[doc_id], n_trig.get(doc_id, 0)), doc_id
        assert got["text"] == text[doc_id]

    # every leaderboard entry with its predictions file: errors on each test document
    entries = load_entries(REPO / "leaderboard")
    pred_dir = REPO / "baselines" / "results" / "predictions"
    test_docs = sorted(r["id"] for r in documents["test"])
    checked = 0
    for task, es in entries.items():
        gold = load_gold(task, release, "test").rows
        for e in es:
            path = pred_dir / e.predictions_file
            assert path.is_file(), e.predictions_file
            key = f"{task}:{slug(e.name)}"
            for doc_id in test_docs:
                browser.load((real_site / "doc" / f"{doc_id}.html").as_uri() + f"?system={key}")
                expected = _expected(task, gold, _preds(path, task), doc_id)
                _check_system(browser, key, task, expected, e.name)
                checked += 1
    assert checked >= 6  # the six baselines at least

    # every page of the site loads without an error
    for page in sorted(real_site.rglob("*.html")):
        browser.load(page.as_uri())
    assert browser.problems() == []

    doc = (real_site / "doc" / f"{test_docs[0]}.html").as_uri()
    shots = {  # page, element scrolled to the top
        "explorer-document.png": (doc, "section.gold"),
        "explorer-errors.png": (doc + "?system=ner:crf", "section.sysview:not([hidden])"),
        "explorer-breakdown.png": ((real_site / "system" / "ner-crf.html").as_uri(), "#breakdowns"),
    }
    for name, (url, selector) in shots.items():
        browser.load(url)
        assert browser.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) { return false; } e.scrollIntoView(); return true; })()"
        )
        browser.screenshot(tmp_path / name)
        assert (tmp_path / name).stat().st_size > 20_000
    if os.environ.get("RUKP_UPDATE_SCREENSHOT") == "1":
        for name in shots:
            shutil.copyfile(tmp_path / name, REPO / "docs" / "img" / name)
