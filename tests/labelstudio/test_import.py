"""Importing Label Studio exports: the valid fixture, one malformed fixture per error id,
idempotency, and the protection of the adjudicated gold set."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rukp.cli import main
from rukp.documents import load_documents
from rukp.errors import RukpError
from rukp.labelstudio.importer import import_export

from .helpers import validator_errors, write_registry

FIX = Path(__file__).parent / "fixtures"
MALFORMED = sorted((FIX / "malformed").glob("*.json"))
TASK_LEVEL = {"unknown-document", "text-mismatch", "export-unreadable", "malformed-json"}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "entities.json")


def run_import(tmp_path: Path, export: Path, registry: Path, **kw):  # type: ignore[no-untyped-def]
    docs = load_documents(FIX / "documents.jsonl")
    return import_export(export, docs, tmp_path / "out", registry, **kw)


def test_valid_export_gives_the_hand_computed_set(tmp_path: Path, registry: Path) -> None:
    report = run_import(tmp_path, FIX / "valid.json", registry, annotator_map={"1": "A"})
    rec = json.loads((tmp_path / "out" / "A" / "d1.json").read_text("utf-8"))
    # "Kim Jong Un met Putin.\n\nRussia 😀 and North Korea\nsigned a pact." (emoji = 1 code point)
    assert [
        (e["id"], e["start"], e["end"], e["text"], e["type"], e["canonical_id"])
        for e in rec["entities"]
    ] == [
        ("e1", 0, 11, "Kim Jong Un", "PER", "kim_jong_un"),
        ("e2", 16, 21, "Putin", "PER", "putin"),
        ("e3", 24, 30, "Russia", "GPE", "ru"),
        ("e4", 37, 48, "North Korea", "GPE", None),  # region made in the UI: fresh id
    ]
    assert rec["stances"] == [
        {
            "id": "s1",
            "holder": "kp",
            "target": "RU-KP-MILCOOP",
            "label": "FAVOR",
            "attribution": "reported",
            "evidence": {
                "start": 24,
                "end": 63,
                "text": "Russia 😀 and North Korea\nsigned a pact.",
            },
        }
    ]
    assert rec["events"] == [
        {
            "id": "v1",
            "trigger": {"start": 49, "end": 55, "text": "signed"},
            "type": "AGREE",
            "mode": None,
            "sources": ["ru", "kp"],
            "targets": [],
            "factuality": "asserted",
        }
    ]
    assert (rec["annotator"], rec["guidelines_version"], "notes" in rec) == ("A", "1.0", False)
    assert [(s.task_id, s.annotation_id, s.annotator) for s in report.skipped] == [
        (11, 22, "user2")
    ]
    assert (tmp_path / "out" / "A" / "entities.json").read_bytes() == registry.read_bytes()
    # and `rukp validate` accepts the imported set as it is
    assert validator_errors([tmp_path / "out" / "A"], FIX / "documents.jsonl") == []


@pytest.mark.parametrize("fixture", MALFORMED, ids=[p.stem for p in MALFORMED])
def test_malformed_export_names_task_and_annotation(
    tmp_path: Path, registry: Path, fixture: Path
) -> None:
    with pytest.raises(RukpError) as exc:
        run_import(tmp_path, fixture, registry)
    incidents = exc.value.incidents
    assert [i.id for i in incidents] == [fixture.stem]
    inc = incidents[0]
    assert inc.file == str(fixture) and inc.location
    if fixture.stem == "malformed-json":  # a truncated export
        assert inc.location.startswith("line ")
    elif fixture.stem == "export-unreadable":  # an object instead of the list of tasks
        assert inc.location == "$" and "list of tasks" in inc.message
    else:
        assert "task 11" in inc.message
    if fixture.stem not in TASK_LEVEL:
        assert "annotation 2" in inc.message  # 21, or 23 for the duplicate
        assert inc.doc_id == "d1"
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_malformed_export_through_the_cli_exits_1(
    tmp_path: Path, registry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(
        [
            "ls",
            "import",
            str(FIX / "malformed" / "unknown-label.json"),
            "--documents",
            str(FIX / "documents.jsonl"),
            "--entities",
            str(registry),
            "--out-dir",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert rc == 1
    assert "ERROR unknown-label" in err and "task 11 annotation 21" in err
    assert "'PERSON'" in err and "allowed: PER, ORG, GPE, LOC, FAC, NORP, WEA" in err
    assert "Traceback" not in err


def test_import_twice_is_byte_identical(tmp_path: Path, registry: Path) -> None:
    amap = {"1": "A"}
    r1 = run_import(tmp_path, FIX / "valid.json", registry, annotator_map=amap)
    files = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    r2 = run_import(tmp_path, FIX / "valid.json", registry, annotator_map=amap)
    assert len(r1.written) == 2 and r2.written == []
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == files


def test_gold_is_protected_and_backed_up(tmp_path: Path, registry: Path) -> None:
    gold = tmp_path / "out" / "gold"
    gold.mkdir(parents=True)
    (gold / "d1.json").write_text('{"old": true}\n', "utf-8")
    with pytest.raises(RukpError) as exc:
        run_import(tmp_path, FIX / "valid.json", registry, annotator_map={"1": "gold"})
    assert [i.id for i in exc.value.incidents] == ["gold-protected"]
    assert (gold / "d1.json").read_text("utf-8") == '{"old": true}\n'
    docs = load_documents(FIX / "documents.jsonl")
    from rukp.labelstudio.importer import convert_export, parse_export, write_sets

    sets, _ = convert_export(
        parse_export((FIX / "valid.json").read_bytes(), None), docs, annotator_map={"1": "gold"}
    )
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    rep = write_sets(sets, tmp_path / "out", registry, overwrite_gold=True, now=now)
    backup = tmp_path / "out" / ".backup" / "gold-20260102T030405000000Z"
    assert rep.backup == str(backup)
    assert (backup / "d1.json").read_text("utf-8") == '{"old": true}\n'
    assert json.loads((gold / "d1.json").read_text("utf-8"))["annotator"] == "gold"
    # a second identical import neither needs the flag nor makes another backup
    rep2 = write_sets(sets, tmp_path / "out", registry)
    assert rep2.written == [] and rep2.backup is None
    assert len(list((tmp_path / "out" / ".backup").iterdir())) == 1


def test_gold_dir_is_protected_by_path_too(tmp_path: Path, registry: Path) -> None:
    with pytest.raises(RukpError) as exc:
        run_import(
            tmp_path,
            FIX / "valid.json",
            registry,
            annotator_map={"1": "adjudicated"},
            gold_dir=tmp_path / "out" / "adjudicated",
        )
    assert exc.value.incidents[0].id == "gold-protected"


def test_drafts_are_reported_not_imported(tmp_path: Path, registry: Path) -> None:
    data = json.loads((FIX / "valid.json").read_text("utf-8"))
    data[0]["drafts"] = [{"id": 5, "user": 3, "result": [], "lead_time": 2.0}]
    data[0]["annotations"] = []
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data), "utf-8")
    report = run_import(tmp_path, export, registry)
    assert [(s.task_id, s.annotation_id, s.annotator, s.reason) for s in report.skipped] == [
        (11, "draft 5", "user3", "draft, never submitted")
    ]
    assert report.sets == {} and not (tmp_path / "out").exists()


def test_cli_import_needs_a_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        [
            "ls",
            "import",
            str(FIX / "valid.json"),
            "--documents",
            str(FIX / "documents.jsonl"),
            "--entities",
            str(tmp_path / "none.json"),
            "--out-dir",
            str(tmp_path / "out"),
        ]
    )
    assert rc == 1
    assert "registry-missing" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cli_import_prints_the_summary(
    tmp_path: Path, registry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    amap = tmp_path / "map.json"
    amap.write_text('{"1": "A"}', "utf-8")
    argv = [
        "ls",
        "import",
        str(FIX / "valid.json"),
        "--documents",
        str(FIX / "documents.jsonl"),
        "--entities",
        str(registry),
        "--out-dir",
        str(tmp_path / "out"),
        "--annotator-map",
        str(amap),
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "imported 1 annotation(s) into 1 set(s): A (1)" in out
    assert "skipped task 11 annotation 22 [doc d1] by user2" in out
    assert main(argv) == 0
    assert "files written: 0, unchanged: 2" in capsys.readouterr().out


@pytest.mark.parametrize("from_name", [{"x": 1}, ["entity"], 7, None])
def test_a_from_name_that_is_not_a_string_is_an_unknown_control(
    tmp_path: Path, registry: Path, from_name: object
) -> None:
    """Found by fuzzing `ls review import`: a from_name that is an object crashed the checks
    shared by every import (`unhashable type: 'dict'`)."""
    export = json.loads((FIX / "valid.json").read_text("utf-8"))
    export[0]["annotations"][0]["result"][0]["from_name"] = from_name
    (tmp_path / "export.json").write_text(json.dumps(export), "utf-8")
    with pytest.raises(RukpError) as exc:
        run_import(tmp_path, tmp_path / "export.json", registry)
    first = exc.value.incidents[0]  # (the region that lost its label item follows)
    assert first.id == "unknown-control" and (first.location or "").endswith("[0].from_name")
    assert not (tmp_path / "out").exists()
