"""The explorer site on a tiny hostile release: escaping, counts by hand, links, determinism,
systems that cannot be shown, atomic output, the CLI."""

from __future__ import annotations

import html
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from explore_fixtures import NASTY_DESC, NASTY_NAME, SCRIPT, World

from rukp.cli import main
from rukp.errors import RukpError
from rukp.explore import explore
from rukp.explore.systems import slug

REPO = Path(__file__).resolve().parents[2]
OWN_SCRIPT = re.compile(r'<script src="(\.\./)?assets/explorer\.js"></script>')


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}


def _cell(page: str, cat: str, side: str) -> int:
    """The number in the counts table row `cat`, column `side` (gold/pred) of a page part."""
    counts = re.search(r'<table class="counts cats">(.*?)</table>', page)
    assert counts, "no counts table"
    row = re.search(rf'<tr[^>]* data-cat="{re.escape(cat)}"[^>]*>(.*?)</tr>', counts.group(1))
    assert row, f"no row {cat}"
    value = re.search(rf'<td class="num" data-n="{side}">(\d+)</td>', row.group(1))
    assert value, f"no {side} cell in row {cat}"
    return int(value.group(1))


def test_every_text_from_the_data_is_escaped(site: Path) -> None:
    pages = _pages(site)
    for name, text in pages.items():
        # the only script elements are the site's own file, once per page
        assert len(re.findall(r"<script", text)) == 1, name
        assert OWN_SCRIPT.search(text), name
        assert "<img src=x" not in text and "<b>Le Monde" not in text, name
        assert 'href="javascript:' not in text, name
    doc = pages["doc/d2.html"]
    esc_script = html.escape(SCRIPT, quote=True)
    assert f"<title>Séoul {esc_script} condamne · rukp explorer</title>" in doc
    assert doc.count(esc_script) >= 4  # title, text, stance evidence, licence note, sentence
    assert "<td>javascript:alert(1)</td>" in doc  # a non-http URL stays text
    assert "&lt;b&gt;Le Monde&lt;/b&gt;" in doc
    assert f">{html.escape(NASTY_NAME)} (" in doc  # in the system switch
    d1 = pages["doc/d1.html"]
    assert 'href="https://example.org/a?b=1&amp;c=&lt;x&gt;"' in d1
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages["entity/seoul.html"]
    systems = pages["system/index.html"]
    assert html.escape(NASTY_NAME) in systems and html.escape(NASTY_DESC) in systems
    page = pages[f"system/ner-{slug(NASTY_NAME)}.html"]
    assert f'<span class="sysname">{html.escape(NASTY_NAME)}</span>' in page


def test_ner_errors_on_the_document_by_hand(site: Path) -> None:
    """The categories of explore_fixtures' docstring: each once, totals = the scorer's."""
    doc = (site / "doc" / "d2.html").read_text("utf-8")
    key = f"ner:{slug(NASTY_NAME)}"
    part = doc[doc.index(f'data-system="{html.escape(key)}"') :]
    part = part[: part.index("</section>")]
    expected_gold = {
        "correct": 1,
        "wrong-type": 1,
        "wrong-boundary": 1,
        "wrong-type-and-boundary": 1,
        "missed": 1,
        "total": 5,
    }
    for cat, n in expected_gold.items():
        assert _cell(part, cat, "gold") == n, cat
    expected_pred = {
        "correct": 1,
        "wrong-type": 1,
        "wrong-boundary": 1,
        "wrong-type-and-boundary": 1,
        "spurious": 1,
        "total": 5,
    }
    for cat, n in expected_pred.items():
        assert _cell(part, cat, "pred") == n, cat
    text = part[part.index('class="doctext systext"') :]
    assert len(set(re.findall(r'data-item="(g\d+)"', text))) == 5
    assert len(set(re.findall(r'data-item="(p\d+)"', text))) == 5
    # the oracle on the same document: everything correct
    part = doc[doc.index('data-system="ner:oracle"') :]
    assert _cell(part, "correct", "gold") == 5 and _cell(part, "missed", "gold") == 0


def test_stance_and_event_errors_by_hand(site: Path) -> None:
    doc = (site / "doc" / "d2.html").read_text("utf-8")
    part = doc[doc.index('data-system="stance:stancer"') :]
    part = part[: part.index("</section>")]
    assert _cell(part, "correct", "gold") == 1 and _cell(part, "wrong-label", "gold") == 1
    assert '<tr data-cat="wrong-label" data-st="s2">' in part
    part = doc[doc.index('data-system="events:eventer"') :]
    part = part[: part.index("</section>")]
    assert _cell(part, "correct", "gold") == 2 and _cell(part, "missed-type", "gold") == 1
    assert _cell(part, "correct", "pred") == 2 and _cell(part, "extra-type", "pred") == 1
    assert 'data-cat="missed-type">COOPERATE · possible</span>' in part
    assert 'data-cat="extra-type">AID</span>' in part


def _breakdown(page: str, name: str) -> dict[str, list[str]]:
    tbl = re.search(
        rf'<table class="breakdown" data-breakdown="{re.escape(name)}">(.*?)</table>', page
    )
    assert tbl, name
    rows = re.findall(r"<tr>(.*?)</tr>", tbl.group(1).split("<tbody>")[1])
    out = {}
    for r in rows:
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        out[cells[0]] = cells[1:]
    return out


def test_breakdowns_by_hand(site: Path) -> None:
    page = (site / "system" / f"ner-{slug(NASTY_NAME)}.html").read_text("utf-8")
    # lengths: gold Séoul 1, Corée du Sud 3, Russie 1, Corée du Nord 3, Séoul 1;
    # predicted Séoul 1, Corée 1, Russie 1, Corée du 2, coopération 1
    length = _breakdown(page, "entity length (tokens)")
    assert [length[k][:3] for k in ("1", "2", "3")] == [
        ["3", "4", "1"],
        ["0", "1", "0"],
        ["2", "0", "0"],
    ]
    assert "4+" not in length  # empty buckets are left out
    # russia and north_korea are in train (d1), seoul and south_korea are not
    train = _breakdown(page, "canonical id in train")
    assert train["in train"][:3] == ["2", "0", "0.00"]
    assert train["not in train"][:3] == ["3", "1", "33.33"]
    lang = _breakdown(page, "language")
    assert lang["fr"][:6] == ["5", "5", "1", "20.00", "20.00", "20.00"]
    stance = (site / "system" / "stance-stancer.html").read_text("utf-8")
    att = _breakdown(stance, "attribution")
    assert att == {"reported": ["1", "1", "100.00", "0"], "author": ["1", "0", "0.00", "1"]}
    events = (site / "system" / "events-eventer.html").read_text("utf-8")
    fact = _breakdown(events, "factuality")
    assert fact == {"asserted": ["2", "2", "100.00", "0"], "possible": ["1", "0", "0.00", "1"]}


def test_systems_that_cannot_be_shown_are_listed_with_the_reason(site: Path, world: World) -> None:
    index = (site / "system" / "index.html").read_text("utf-8")
    status = dict(re.findall(r'<tr data-system="([^"]+)" data-status="([^"]+)">', index))
    assert status == {
        f"ner:{slug(NASTY_NAME)}": "shown",
        "ner:oracle": "shown",
        "ner:lost": "system-predictions-missing",
        "ner:changed": "system-predictions-changed",
        "stance:stancer": "shown",
        "stance:old-run": "system-other-data",
        "events:eventer": "shown",
    }
    assert "predictions file &#x27;lost.ner.test.jsonl&#x27; not found in" in index
    doc = (site / "doc" / "d2.html").read_text("utf-8")
    for key in ("ner:lost", "ner:changed", "stance:old-run"):
        assert f'value="{key}"' not in doc and f'data-system="{key}"' not in doc
        assert (site / "system" / f"{key.replace(':', '-')}.html").is_file()
    # documents outside the systems' split list them as not scored there
    d1 = (site / "doc" / "d1.html").read_text("utf-8")
    assert 'value="ner:oracle" disabled>oracle (scored on the test split)' in d1
    assert '<section class="sysview"' not in d1


def test_every_link_and_image_resolves(site: Path) -> None:
    pages = _pages(site)
    ids = {name: set(re.findall(r' id="([^"]+)"', text)) for name, text in pages.items()}
    for name, text in pages.items():
        for ref in re.findall(r'(?:href|src)="([^"]+)"', text):
            ref = html.unescape(ref)
            if ref.startswith(("http://", "https://")):
                continue
            path, _, anchor = ref.partition("#")
            path = path.split("?", 1)[0]
            target = (site / name).parent / unquote(path) if path else site / name
            target = target.resolve()
            assert target.is_file(), f"{name}: {ref}"
            if anchor and target.suffix == ".html":
                assert anchor in ids[target.relative_to(site.resolve()).as_posix()], (
                    f"{name}: {ref}"
                )


def test_index_lists_every_document_with_filters(site: Path) -> None:
    index = (site / "index.html").read_text("utf-8")
    rows = re.findall(
        r'<tr data-language="(\w+)" data-split="(\w+)" data-story="(\w+)" data-doc="(\w+)">', index
    )
    assert rows == [
        ("en", "train", "summit", "d1"),
        ("fr", "test", "troops", "d2"),
        ("it", "validation", "treaty", "d3"),
    ]
    assert '<option value="fr">fr (1)</option>' in index
    assert '<option value="treaty">treaty (1)</option>' in index


def test_generation_is_deterministic_across_processes(world: World, tmp_path: Path) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site{seed}"
        argv = [
            sys.executable,
            "-m",
            "rukp",
            "explore",
            "--release",
            str(world.release),
            "--leaderboard",
            str(world.leaderboard),
            "--predictions",
            str(world.predictions),
            "--registry",
            str(world.registry),
            "--sources",
            str(world.sources),
            "--out",
            str(out),
        ]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        assert proc.returncode == 0, proc.stderr
        outs.append(
            {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        )
    assert outs[0].keys() == outs[1].keys()
    assert [k for k in outs[0] if outs[0][k] != outs[1][k]] == []
    assert any(k.endswith(".png") for k in outs[0])


def test_output_is_atomic_and_never_replaces_another_folder(world: World, tmp_path: Path) -> None:
    out = tmp_path / "site"
    world.explore(out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(RukpError) as info:
        explore(tmp_path / "no-release", out, leaderboard=world.leaderboard)
    assert info.value.incidents[0].id == "release-not-found"
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folder left
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep me")
    with pytest.raises(RukpError) as info:
        world.explore(other)
    assert info.value.incidents[0].id == "explorer-out-not-explorer"
    assert (other / "mine.txt").read_text() == "keep me"


def test_every_input_is_read_through_safeio(world: World, tmp_path: Path) -> None:
    """A FIFO in place of an input never blocks: the registry and sources are refused with the
    safe reader's incident, a predictions file keeps only its system off the pages, an
    index.html that is not a file keeps --out from being replaced; an absent registry or sources
    table is skipped unless named."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    out = tmp_path / "site"
    for kwargs in ({"registry": fifo}, {"sources": fifo}):
        with pytest.raises(RukpError) as info:
            explore(world.release, out, leaderboard=world.leaderboard, **kwargs)
        assert [i.id for i in info.value.incidents] == ["not-a-regular-file"]
        assert not out.exists()
    absent = tmp_path / "absent.json"
    result = explore(world.release, out, registry=absent, sources=absent)
    assert result.entities == 7 and result.systems_listed == 0
    for kwargs in ({"require_registry": True}, {"require_sources": True}):
        with pytest.raises(RukpError) as info:
            explore(world.release, out, registry=absent, sources=absent, **kwargs)
        assert [i.id for i in info.value.incidents] == ["file-not-found"]

    preds = tmp_path / "predictions"
    preds.mkdir()
    for p in world.predictions.iterdir():
        (preds / p.name).write_bytes(p.read_bytes())
    (preds / "oracle.ner.test.jsonl").unlink()
    os.mkfifo(preds / "oracle.ner.test.jsonl")
    result = explore(world.release, out, leaderboard=world.leaderboard, prediction_dirs=[preds])
    warned = {w.id: w.message for w in result.warnings}
    assert "not-a-regular-file" in warned["system-predictions-invalid"]
    assert "'oracle'" in warned["system-predictions-invalid"]
    assert result.systems_shown == 3  # nasty, stancer, eventer

    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (out / "index.html").unlink()
    os.mkfifo(out / "index.html")
    with pytest.raises(RukpError) as info:
        explore(world.release, out, leaderboard=world.leaderboard)
    assert info.value.incidents[0].id == "explorer-out-not-explorer"
    assert "index.html cannot be read (the path is a FIFO" in info.value.incidents[0].message
    assert stat.S_ISFIFO(os.lstat(out / "index.html").st_mode)
    assert len(before) - 1 == len([p for p in out.rglob("*") if p.is_file()])


def test_cli(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = [
        "explore",
        "--release",
        str(world.release),
        "--leaderboard",
        str(world.leaderboard),
        "--predictions",
        str(world.predictions),
        "--registry",
        str(world.registry),
    ]
    assert main([*base, "--out", str(tmp_path / "x")]) == 0
    out, err = capsys.readouterr()
    assert "(3 documents, 7 entities, 7 systems of which 4 shown)" in out
    assert "WARNING system-predictions-missing" in err and "WARNING system-other-data" in err
    assert main([*base[:1], "--release", str(tmp_path / "none"), "--out", str(tmp_path / "y")]) == 1
    err = capsys.readouterr().err
    assert "ERROR release-not-found" in err and "the explorer was not written" in err
    assert not (tmp_path / "y").exists()


def test_committed_explorer_is_the_one_the_inputs_give(tmp_path: Path) -> None:
    """explorer/ is committed like leaderboard/: a fresh run on the committed inputs gives the
    same files, byte for byte (run `rukp explore` and commit explorer/ when this fails)."""
    out = tmp_path / "explorer"
    explore(
        REPO / "release",
        out,
        leaderboard=REPO / "leaderboard",
        prediction_dirs=[REPO / "baselines/results/predictions", REPO / "leaderboard/predictions"],
        registry=REPO / "annotations" / "entities.json",
        sources=REPO / "raw" / "sources.csv",
    )
    committed = REPO / "explorer"
    files = lambda root: {  # noqa: E731
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
    }
    fresh, old = files(out), files(committed)
    assert sorted(fresh) == sorted(old)
    assert [k for k in fresh if fresh[k] != old[k]] == []


def test_system_page_says_why_an_interval_is_missing(site: Path) -> None:
    """The scorer records why a CI is missing (`ci_undefined`); the page repeats it (the
    fixture's entries were scored with bootstrap 0; the real ones on one test document)."""
    page = (site / "system" / "ner-oracle.html").read_text("utf-8")
    assert '<th scope="row">leaderboard score</th><td>f1 100.00 · 95% CI not computed ' in page
    real = (REPO / "explorer" / "system" / "ner-crf.html").read_text("utf-8")
    assert "95% CI undefined: 1 document scored; resampling documents needs at least 2" in real
