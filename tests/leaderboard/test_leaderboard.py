"""Leaderboard: names, stored signed results, deterministic rendering, the page in Chromium."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from leaderboard_fixtures import NER_GOLD, write_preds

from rukp.cli import main
from rukp.errors import RukpError
from rukp.leaderboard import add_submission, check_name, load_entries, render

ORACLE = [{"id": g["id"], "tags": g["ner_tags"]} for g in NER_GOLD]
# PER[0,2) predicted as PER[0,1): gold 4 entities, pred 4, tp 3 -> F1 3/4
# en: gold 3, pred 3, tp 2 -> 2/3; ko: 1/1 -> 1
HALF = [
    {"id": "a/0", "tags": ["B-PER", "O", "O", "B-GPE"]},
    {"id": "a/1", "tags": ["O", "B-ORG", "O"]},
    {"id": "b/0", "tags": ["B-GPE", "O"]},
]
NOTHING = [{"id": g["id"], "tags": ["O"] * len(g["ner_tags"])} for g in NER_GOLD]
NASTY = "b&w <sys>"
SCRIPT = "<script>document.title='pwned'</script> & \"quotes\" | pipes"


@pytest.fixture()
def board(tmp_path: Path, release: Path) -> Path:
    root = tmp_path / "lb"
    entries = [
        ("half", HALF, "CRF with character n-grams"),
        ("oracle", ORACLE, "the gold tags"),
        (NASTY, NOTHING, SCRIPT),
    ]
    for k, (name, rows, desc) in enumerate(entries):
        add_submission(
            name,
            desc,
            "ner",
            write_preds(tmp_path / f"sub{k}.jsonl", rows),
            release,
            root=root,
            bootstrap=200,
        )
    stance = write_preds(
        tmp_path / "s.jsonl", [{"id": "a/s1", "label": "FAVOR"}, {"id": "b/s1", "label": "FAVOR"}]
    )
    add_submission("majority", "always FAVOR", "stance", stance, release, root=root, bootstrap=200)
    return root


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "a/b",
        "a\\b",
        "..",
        "a..b",
        ".hidden",
        "x" * 65,
        "tab\there",
        "nul\x00",
        "bidi\u202eevil",
        "line\nbreak",
        " lead",
        "trail ",
    ],
)
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(RukpError) as info:
        check_name(name)
    assert info.value.incidents[0].id == "bad-submission-name"


@pytest.mark.parametrize("name", ["crf-baseline", "Système 1", "x" * 64, "v1.2", NASTY])
def test_good_names_pass(name: str) -> None:
    check_name(name)


def test_entries_are_stored_with_signature_and_ranked(board: Path) -> None:
    stored = json.loads((board / "submissions" / "ner" / "half.json").read_text())
    assert stored["name"] == "half" and stored["task"] == "ner"
    assert stored["result"]["score"] == 0.75
    assert stored["result"]["signature"].startswith("ner|f1:strict-iob2|split:test|data:0.2.0+")
    assert abs(stored["result"]["per_language"]["en"]["metrics"]["f1"] - 2 / 3) <= 1e-12
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stored["added"])
    entries = load_entries(board)
    assert [e.name for e in entries["ner"]] == ["oracle", "half", NASTY]
    assert [e.score for e in entries["ner"]] == [1.0, 0.75, 0.0]
    # stance: FAVOR tp1 p2 g1 -> 2/3, AGAINST 0 -> SemEval F1 1/3
    assert abs(entries["stance"][0].score - 1 / 3) <= 1e-12
    assert entries["events"] == []


def test_duplicates_need_replace_and_invalid_submissions_store_nothing(
    board: Path, release: Path, tmp_path: Path
) -> None:
    preds = write_preds(tmp_path / "o.jsonl", ORACLE)
    with pytest.raises(RukpError) as info:
        add_submission("half", "again", "ner", preds, release, root=board, bootstrap=0)
    assert info.value.incidents[0].id == "duplicate-submission"
    add_submission("half", "again", "ner", preds, release, root=board, bootstrap=0, replace=True)
    assert json.loads((board / "submissions/ner/half.json").read_text())["result"]["score"] == 1
    bad = write_preds(tmp_path / "bad.jsonl", ORACLE[:2])
    with pytest.raises(RukpError) as info:
        add_submission("partial", "two rows", "ner", bad, release, root=board, bootstrap=0)
    assert info.value.incidents[0].id == "missing-id"
    assert not (board / "submissions/ner/partial.json").exists()


def test_render_is_deterministic_and_escaped(board: Path) -> None:
    md, page = render(board)
    first = (md.read_bytes(), page.read_bytes())
    render(board)
    assert (md.read_bytes(), page.read_bytes()) == first
    text = page.read_text()
    assert "<script>document.title" not in text
    assert (
        "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt; &amp; &quot;quotes&quot;"
        in text
    )
    assert text.count("<script>") == 1  # only the page's own sorting script
    assert "http" not in text.lower()  # no external assets or CDN
    m = md.read_text()
    assert "| 2 | half | 0.2.0 | 75.00 |" in m  # every row shows its data version
    assert "&lt;script&gt;" in m and "\\| pipes" in m
    assert "`ner\\|f1:strict-iob2\\|split:test\\|data:0.2.0+sha256:" in m
    assert m.index("| oracle |") < m.index("| half |") < m.index("| b&amp;w &lt;sys&gt; |")


def test_cli_add_and_render(tmp_path: Path, release: Path, capsys) -> None:
    root = tmp_path / "lb"
    preds = write_preds(tmp_path / "p.jsonl", HALF)
    base = ["leaderboard", "--dir", str(root)]
    add = ["add", "--task", "ner", "--predictions", str(preds), "--release", str(release)]
    assert main([*base, *add, "--name", "crf", "--description", "a CRF"]) == 0
    out = capsys.readouterr().out
    assert "ner crf: f1 = 75.00" in out and "|boot:1000+seed:0" in out
    assert main([*base, *add, "--name", "crf", "--description", "a CRF"]) == 1
    assert "duplicate-submission" in capsys.readouterr().err
    assert main([*base, *add, "--name", "../evil", "--description", "x"]) == 1
    assert "bad-submission-name" in capsys.readouterr().err
    assert not (tmp_path / "evil.json").exists()
    assert main([*base, "render"]) == 0
    assert (root / "index.html").is_file() and (root / "leaderboard.md").is_file()
    assert main(base) == 2


def _dump_dom(browser: str, url: str, profile: Path) -> str:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--dump-dom",
        url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _names(dom: str, task: str) -> list[str]:
    table = re.search(rf'<table class="lb" id="table-{task}".*?</table>', dom, re.S)
    assert table, f"no {task} table in the DOM"
    return re.findall(r'<tr data-rank="\d+" data-name="([^"]*)"', table.group(0))


@pytest.mark.live
def test_page_in_headless_chromium(board: Path, browser: str, tmp_path: Path) -> None:
    _, page = render(board)
    url = page.resolve().as_uri()
    dom = _dump_dom(browser, url, tmp_path / "profile1")
    assert 'data-ready="1"' in dom  # the script ran
    assert "<title>rukp leaderboard</title>" in dom  # the description's script did not run
    assert _names(dom, "ner") == ["oracle", "half", "b&amp;w &lt;sys&gt;"]
    assert _names(dom, "stance") == ["majority"]
    assert "3 systems" in dom and "1 system<" in dom  # captions written by the script
    assert "&lt;script&gt;document.title" in dom

    dom = _dump_dom(browser, url + "?sort=name&dir=asc", tmp_path / "profile2")
    assert 'data-sorted="name:asc"' in dom
    assert _names(dom, "ner") == ["b&amp;w &lt;sys&gt;", "half", "oracle"]
    assert re.search(r'data-key="name"[^>]*aria-sort="ascending"', dom)

    dom = _dump_dom(browser, url + "?sort=lang-en&dir=asc", tmp_path / "profile3")
    # en F1: b&w 0, half 2/3, oracle 1
    assert _names(dom, "ner") == ["b&amp;w &lt;sys&gt;", "half", "oracle"]
    dom = _dump_dom(browser, url + "?sort=score&dir=desc", tmp_path / "profile4")
    assert _names(dom, "ner") == ["oracle", "half", "b&amp;w &lt;sys&gt;"]


def test_entries_on_other_data_are_listed_apart(board: Path, tmp_path: Path) -> None:
    """One ranking never mixes data versions: the current release's ranking first, then each
    earlier data version in a table of its own; every row shows its data version."""
    from leaderboard_fixtures import STANCE_GOLD

    from rukp.evaluate.synthetic import write_release

    old = write_release(tmp_path / "old", {"stance": {"test": STANCE_GOLD}}, "0.1.0")
    preds = write_preds(
        tmp_path / "o.jsonl", [{"id": "a/s1", "label": "FAVOR"}, {"id": "b/s1", "label": "AGAINST"}]
    )
    # the better score, but on earlier data: it must not rank above the current entries
    add_submission("old-run", "scored on 0.1.0", "stance", preds, old, root=board, bootstrap=0)
    md, page = render(board, tmp_path / "release")
    m = md.read_text()
    stance = m[m.index("## stance") : m.index("## events")]
    cur = stance.index("Ranked on data 0.2.0 (test split, sha256 ")
    earlier = stance.index("Scored on earlier or other data, data 0.1.0 (test split, sha256 ")
    assert cur < stance.index("| 1 | majority | 0.2.0 | 33.33 |") < earlier
    assert earlier < stance.index("| 1 | old-run | 0.1.0 | 100.00 |")
    ner = m[m.index("## ner") : m.index("## stance")]
    assert "earlier" not in ner and "| 1 | oracle | 0.2.0 |" in ner
    html = page.read_text()
    assert 'id="table-stance" data-task="stance" data-data="data:0.2.0+sha256:' in html
    assert 'id="table-stance-1" data-task="stance" data-data="data:0.1.0+sha256:' in html
    assert html.index('data-name="majority"') < html.index('id="table-stance-1"')
    assert html.index('id="table-stance-1"') < html.index('data-name="old-run"')
    # without a release to say what is current, the newest data version leads
    md, _ = render(board, tmp_path / "no-release")
    m = md.read_text()
    stance = m[m.index("## stance") : m.index("## events")]
    assert stance.index("Ranked on data 0.2.0") < stance.index("Ranked on data 0.1.0")
    assert "Scored on earlier" not in m


def test_replacing_with_the_same_result_keeps_the_date(
    board: Path, release: Path, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    preds = write_preds(tmp_path / "o.jsonl", ORACLE)
    first = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    later = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)
    kw = {"root": board, "bootstrap": 0}
    add_submission("same", "d", "ner", preds, release, now=first, replace=True, **kw)
    path = board / "submissions/ner/same.json"
    before = path.read_bytes()
    add_submission("same", "d", "ner", preds, release, now=later, replace=True, **kw)
    assert path.read_bytes() == before  # unchanged submission: byte-identical entry
    add_submission("same", "new text", "ner", preds, release, now=later, replace=True, **kw)
    assert json.loads(path.read_text())["added"] == "2026-05-06T07:08:09Z"
