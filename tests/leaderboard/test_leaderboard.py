"""Leaderboard: names, stored signed results, deterministic rendering, the page in Chromium."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from leaderboard_fixtures import NER_GOLD, STANCE_GOLD, write_preds

from rukp.cli import main
from rukp.errors import RukpError
from rukp.leaderboard import add_submission, check_name, load_entries, render
from rukp.leaderboard.core import ranks

ORACLE = [{"id": g["id"], "tags": g["ner_tags"]} for g in NER_GOLD]
# PER[0,2) predicted as PER[0,1): gold 4 entities, pred 4, tp 3 -> F1 3/4
# en: gold 3, pred 3, tp 2 -> 2/3; ko: 1/1 -> 1
HALF = [
    {"id": "a/0", "tags": ["B-PER", "O", "O", "B-GPE"]},
    {"id": "a/1", "tags": ["O", "B-ORG", "O"]},
    {"id": "b/0", "tags": ["B-GPE", "O"]},
]
NOTHING = [{"id": g["id"], "tags": ["O"] * len(g["ner_tags"])} for g in NER_GOLD]
NASTY = "b-w.sys"  # names are file names (one rule); the description carries the nasty text
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
        ".",
        ".hidden",
        "-rf",
        "x" * 101,
        "tab\there",
        "nul\x00",
        "bidi\u202eevil",
        "line\nbreak",
        " lead",
        "trail ",
        "x<GPE>&",  # became a file name with <>& in it
        "\U0001f642" * 60,  # 60 characters, 240 bytes: over the file system's name limit
        "Système 1",
        "b&w <sys>",
    ],
)
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(RukpError) as info:
        check_name(name)
    (inc,) = info.value.incidents
    assert inc.id == "unsafe-name"
    assert "allowed: letters A-Z a-z, digits, '-', '_' and '.'" in inc.message


@pytest.mark.parametrize("name", ["crf-baseline", "x" * 100, "v1.2", "a..b", "BERT_base.v2", NASTY])
def test_good_names_pass(name: str) -> None:
    assert check_name(name) == name


def test_entries_are_stored_with_signature_and_ranked(board: Path) -> None:
    stored = json.loads((board / "submissions" / "ner" / "half.json").read_text())
    assert stored["name"] == "half" and stored["task"] == "ner"
    assert stored["result"]["score"] == 0.75
    assert stored["result"]["signature"].startswith("ner|f1:conlleval|split:test|data:0.2.0+")
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
    assert "`ner\\|f1:conlleval\\|split:test\\|data:0.2.0+sha256:" in m
    assert m.index("| oracle |") < m.index("| half |") < m.index(f"| {NASTY} |")
    # the documents each table was scored on, beside the table
    assert "Scored on the test split: 2 documents, 3 rows." in m


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
    for bad in ("../evil", "x<GPE>&", "\U0001f642" * 60):
        assert main([*base, *add, "--name", bad, "--description", "x"]) == 1
        assert "ERROR unsafe-name" in capsys.readouterr().err
    assert not (tmp_path / "evil.json").exists()
    assert sorted(p.name for p in (root / "submissions" / "ner").iterdir()) == ["crf.json"]
    assert main([*base, *add, "--name", "b", "--description", "x", "--bootstrap", "-5"]) == 1
    err = capsys.readouterr().err
    assert "ERROR bad-option" in err and "0 (no confidence intervals) or 100 to" in err
    assert main([*base, "render"]) == 0
    assert (root / "index.html").is_file() and (root / "leaderboard.md").is_file()
    capsys.readouterr()
    assert main([*base, "show"]) == 0
    table = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert table[0] == ["task", "rank", "system", "metric", "score", "95%", "CI", "test", "docs"]
    assert table[1][:5] == ["ner", "1", "crf", "f1", "75.00"] and table[1][6] == "2"
    assert len(table) == 2
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
    return re.findall(r'<tr data-rank="\d+" data-pos="\d+" data-name="([^"]*)"', table.group(0))


@pytest.mark.live
def test_page_in_headless_chromium(board: Path, browser: str, tmp_path: Path) -> None:
    _, page = render(board)
    url = page.resolve().as_uri()
    dom = _dump_dom(browser, url, tmp_path / "profile1")
    assert 'data-ready="1"' in dom  # the script ran
    assert "<title>rukp leaderboard</title>" in dom  # the description's script did not run
    assert _names(dom, "ner") == ["oracle", "half", NASTY]
    assert _names(dom, "stance") == ["majority"]
    assert "3 systems" in dom and "1 system<" in dom  # captions written by the script
    assert "&lt;script&gt;document.title" in dom

    dom = _dump_dom(browser, url + "?sort=name&dir=asc", tmp_path / "profile2")
    assert 'data-sorted="name:asc"' in dom
    assert _names(dom, "ner") == [NASTY, "half", "oracle"]
    assert re.search(r'data-key="name"[^>]*aria-sort="ascending"', dom)

    dom = _dump_dom(browser, url + "?sort=lang-en&dir=asc", tmp_path / "profile3")
    # en F1: b-w.sys 0, half 2/3, oracle 1
    assert _names(dom, "ner") == [NASTY, "half", "oracle"]
    dom = _dump_dom(browser, url + "?sort=score&dir=desc", tmp_path / "profile4")
    assert _names(dom, "ner") == ["oracle", "half", NASTY]


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


def test_equal_scores_share_a_rank_and_undefined_cis_say_why(tmp_path: Path, release: Path) -> None:
    """Three equal stance scores on one document: ranks 1, 1, 1 (not 1, 2, 3), a CI that says
    it is undefined (not [x, x]), and the number of documents beside the table."""
    from rukp.evaluate.synthetic import write_release

    one_doc = [r for r in STANCE_GOLD if r["doc_id"] == "a"]
    small = write_release(tmp_path / "one", {"stance": {"test": one_doc}}, "0.2.0")
    root = tmp_path / "lb"
    preds = write_preds(tmp_path / "s.jsonl", [{"id": "a/s1", "label": "FAVOR"}])
    for name in ("zeta", "alpha", "mid"):
        add_submission(name, "same answer", "stance", preds, small, root=root)
    other = write_preds(tmp_path / "o.jsonl", [{"id": "a/s1", "label": "AGAINST"}])
    add_submission("worse", "wrong answer", "stance", other, small, root=root)
    entries = load_entries(root)["stance"]
    assert [e.name for e in entries] == ["alpha", "mid", "zeta", "worse"]
    assert ranks(entries) == [1, 1, 1, 4]
    assert entries[0].result["ci_undefined"].startswith("undefined: 1 document scored")
    md, page = render(root)
    m = md.read_text()
    version = entries[0].result["data_version"]  # every row shows its data version
    assert f"| 1 | alpha | {version} | 50.00 | undefined |" in m
    assert f"| 1 | zeta | {version} | 50.00 | undefined |" in m
    assert f"| 4 | worse | {version} | 0.00 | undefined |" in m
    assert (
        "Scored on the test split: 1 document, 1 row; 95% CI undefined: 1 document scored; "
        "resampling documents needs at least 2." in m
    )
    html = page.read_text()
    assert html.count('<tr data-rank="1" ') == 3 and '<tr data-rank="4" data-pos="4"' in html


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d["result"].update(score="high"), "result.score 'high' is not a finite"),
        (lambda d: d["result"].update(score=None), "result.score None is not a finite"),
        (lambda d: d["result"]["metrics"].update(f1="x"), "result.metrics is not an object"),
        (lambda d: d["result"].update(ci={"f1": [0.1]}), "result.ci is not an object"),
        (lambda d: d["result"].update(main_metric=["f1"]), "main_metric is not a string"),
        (lambda d: d["result"].update(per_language=[]), "result.per_language is not"),
        (lambda d: d.update(result=[]), "result is not an object"),
        (lambda d: d.update(name="other"), "name 'other' is not the file name 'half'"),
    ],
)
def test_broken_entries_are_named_not_rendered(board: Path, mutate, words: str) -> None:
    path = board / "submissions" / "ner" / "half.json"
    data = json.loads(path.read_text())
    mutate(data)
    path.write_text(json.dumps(data))
    with pytest.raises(RukpError) as info:
        render(board)
    (inc,) = info.value.incidents
    assert inc.id == "leaderboard-entry-invalid" and words in inc.message
    assert inc.file == str(path)
    assert not (board / "leaderboard.md").exists()


def test_nested_or_huge_entries_are_refused_by_the_safe_reader(board: Path) -> None:
    path = board / "submissions" / "ner" / "half.json"
    path.write_text("[" * 10_000 + "]" * 10_000)
    with pytest.raises(RukpError) as info:
        load_entries(board)
    assert [i.id for i in info.value.incidents] == ["json-too-deep"]


def test_entries_of_another_scorer_major_version_are_marked(board: Path) -> None:
    path = board / "submissions" / "ner" / "half.json"
    data = json.loads(path.read_text())
    data["result"]["signature"] = data["result"]["signature"].replace(
        "scorer:2.0.0", "scorer:1.0.1"
    )
    path.write_text(json.dumps(data))
    m = render(board)[0].read_text()
    ner = m[m.index("## ner") : m.index("## stance")]
    assert "**Not comparable: 1 entry was scored on other data, split or scorer than" in ner
    assert "| half \\* |" in ner
