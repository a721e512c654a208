"""rukp validate: a valid set passes; one fixture per incident id gives exactly that incident."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rukp.cli import main
from rukp.errors import RukpError
from rukp.labels import load_labels
from rukp.validate import (
    load_annotation_set,
    load_documents,
    load_registry,
    validate_paths,
)

HERE = Path(__file__).parent


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


CASES = sorted(p.name for p in (HERE / "cases").iterdir() if p.is_dir())
VALID = HERE / "valid"
DOC = "000_0c8f196507d21063"


@pytest.fixture(autouse=True)
def _no_project_registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the project's annotations/entities.json out of fixture runs."""
    monkeypatch.setattr(
        "rukp.validate.loaders.annotations_dir", lambda: tmp_path / "no-annotations"
    )


def test_valid_set_passes(documents_path: Path) -> None:
    assert validate_paths([VALID], documents_path) == []


def test_valid_single_file_and_registry_pass(documents_path: Path) -> None:
    assert validate_paths([VALID / f"{DOC}.json", VALID / "entities.json"], documents_path) == []


def test_real_raw_folder_passes() -> None:
    assert validate_paths([HERE.parents[1] / "raw"], None) == []


def test_every_incident_id_has_a_case() -> None:
    documented = set(
        line.split("`")[1]
        for line in (HERE.parents[1] / "docs" / "validate.md").read_text().splitlines()
        if line.startswith("| `")
    )
    # file-unreadable needs an unreadable file (permissions), not-a-regular-file a FIFO and
    # file-too-large a file over 50 MB, which git does not carry: tests/fuzz makes them
    assert documented - {"file-unreadable", "not-a-regular-file", "file-too-large"} == set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_case_gives_exactly_its_incident(case: str, documents_path: Path, tmp_path: Path) -> None:
    folder = HERE / "cases" / case
    expected = load_json(folder / "expected.json")
    docs = documents_path if expected["documents"] == "seeds" else tmp_path / "missing.jsonl"
    incidents = validate_paths([folder / expected["path"]], docs)
    assert [i.id for i in incidents] == [expected["id"]], [i.format() for i in incidents]
    inc = incidents[0]
    assert inc.level == expected["level"]
    if expected["location"] is not None:
        assert inc.location == expected["location"]
    assert inc.message and inc.hint


def test_unknown_label_message_lists_allowed(documents_path: Path) -> None:
    [inc] = validate_paths([HERE / "cases" / "unknown-label" / "set"], documents_path)
    assert inc.message.startswith("unknown entity label 'PERSON' at ")
    assert inc.message.endswith(
        f"{DOC}.json:$.entities[5].type; allowed: PER, ORG, GPE, LOC, FAC, NORP, WEA"
    )
    assert inc.doc_id == DOC


def test_span_text_mismatch_shows_both(documents_path: Path) -> None:
    [inc] = validate_paths([HERE / "cases" / "span-text-mismatch" / "set"], documents_path)
    assert "'Etats-Unis'" in inc.message and "'États-Unis'" in inc.message


def test_json_syntax_has_line_and_column(documents_path: Path) -> None:
    [inc] = validate_paths([HERE / "cases" / "malformed-json" / "set"], documents_path)
    assert inc.location is not None and inc.location.startswith("line ")
    assert ", column " in inc.location


def test_text_sha256_hint_names_reanchor(documents_path: Path) -> None:
    [inc] = validate_paths([HERE / "cases" / "text-sha256-mismatch" / "set"], documents_path)
    assert "rukp reanchor" in (inc.hint or "")


def test_documents_missing_hint(tmp_path: Path) -> None:
    [inc] = validate_paths([VALID], tmp_path / "nope.jsonl")
    assert inc.id == "documents-missing" and "run `rukp ingest` first" in (inc.hint or "")


def test_schema_reports_every_error_with_path(documents_path: Path, tmp_path: Path) -> None:
    ann = load_json(VALID / f"{DOC}.json")
    ann["entities"][0]["start"] = -1
    ann["events"][1]["sources"] = "north_korea"
    del ann["annotator"]
    shutil.copy(VALID / "entities.json", tmp_path / "entities.json")
    (tmp_path / f"{DOC}.json").write_text(json.dumps(ann), encoding="utf-8")
    incidents = validate_paths([tmp_path / f"{DOC}.json"], documents_path)
    assert {i.id for i in incidents} == {"schema-violation"}
    assert sorted(i.location for i in incidents) == [
        "$",
        "$.entities[0].start",
        "$.events[1].sources",
    ]


def test_registry_unknown_type(tmp_path: Path) -> None:
    reg = load_json(VALID / "entities.json")
    reg["entities"][0]["type"] = "COUNTRY"
    (tmp_path / "entities.json").write_text(json.dumps(reg), encoding="utf-8")
    [inc] = validate_paths([tmp_path / "entities.json"], None)
    assert (inc.id, inc.location) == ("unknown-label", "$.entities[0].type")
    assert "'COUNTRY'" in inc.message and "allowed: PER" in inc.message


def test_unknown_mode_and_factuality(documents_path: Path, tmp_path: Path) -> None:
    ann = load_json(VALID / f"{DOC}.json")
    ann["events"][0]["mode"] = "verbal"
    ann["events"][1]["factuality"] = "certain"
    ann["stances"][0]["label"] = "PRO"
    shutil.copy(VALID / "entities.json", tmp_path / "entities.json")
    (tmp_path / f"{DOC}.json").write_text(json.dumps(ann), encoding="utf-8")
    incidents = validate_paths([tmp_path], documents_path)
    assert [(i.id, i.location) for i in incidents] == [
        ("unknown-label", "$.stances[0].label"),
        ("unknown-label", "$.events[0].mode"),
        ("unknown-label", "$.events[1].factuality"),
    ]
    modes = load_labels().event_modes["DISAPPROVE"]
    assert incidents[1].message.endswith(f"allowed: {', '.join(modes) or '(none: use null)'}")


# ---------------------------------------------------------------- CLI


def test_cli_exit_codes_and_summary(documents_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", str(VALID), "--documents", str(documents_path)]) == 0
    assert capsys.readouterr().out.strip().endswith("PASSED: 0 error(s), 0 warning(s)")
    bad = HERE / "cases" / "unknown-label" / "set"
    assert main(["validate", str(bad), "--documents", str(documents_path)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0].startswith("ERROR unknown-label ")
    out = captured.out
    assert out.strip().endswith("FAILED: 1 error(s), 0 warning(s) (unknown-label: 1)")
    # what was checked is said, not only PASSED/FAILED
    assert "checked:" in out and "unknown-label/set/: 1 annotation files (schema, labels" in out
    assert f"documents {documents_path}: 5 documents" in out


def test_cli_warning_only_passes(documents_path: Path, capsys: pytest.CaptureFixture) -> None:
    warn = HERE / "cases" / "canonical-type-mismatch" / "set"
    assert main(["validate", str(warn), "--documents", str(documents_path)]) == 0
    assert "PASSED: 0 error(s), 1 warning(s)" in capsys.readouterr().out


def test_cli_json_shape(documents_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = HERE / "cases" / "duplicate-id" / "set"
    assert main(["validate", str(bad), "--documents", str(documents_path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is False
    assert report["counts"] == {"duplicate-id": 1}
    [inc] = report["incidents"]
    assert set(inc) == {"id", "message", "file", "location", "doc_id", "hint", "level"}
    assert (inc["location"], inc["doc_id"], inc["level"]) == ("$.events[0].id", DOC, "error")


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b'{"doc_id": "x", "entities": [',
        b"\xff\xfe\x00garbage",
        b"",
        b"[1, 2]",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"n": ' + b"9" * 5000 + b"}",
    ],
)
def test_bad_files_give_no_traceback(
    content: bytes, tmp_path: Path, documents_path: Path, capsys: pytest.CaptureFixture
) -> None:
    shutil.copy(VALID / "entities.json", tmp_path / "entities.json")
    (tmp_path / f"{DOC}.json").write_bytes(content)
    assert main(["validate", str(tmp_path), "--documents", str(documents_path)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "FAILED" in captured.out


def test_bad_documents_file_gives_incidents(tmp_path: Path) -> None:
    docs = tmp_path / "documents.jsonl"
    docs.write_text('{"doc_id": "x", "text": "hi"}\n{broken\n', encoding="utf-8")
    incidents = validate_paths([VALID], docs)
    ids = {i.id for i in incidents}
    assert {"schema-violation", "malformed-json", "unknown-document"} <= ids


# ---------------------------------------------------------------- library loaders


def test_loaders(documents_path: Path) -> None:
    ann = load_annotation_set(VALID)
    assert list(ann) == [DOC] and len(ann[DOC]["entities"]) == 8
    assert set(load_registry(VALID / "entities.json")) >= {"russia", "north_korea"}
    docs = load_documents(documents_path)
    assert len(docs) == 5 and docs[DOC]["language"] == "fr"


def test_loaders_raise_rukp_error(tmp_path: Path) -> None:
    with pytest.raises(RukpError) as err:
        load_documents(tmp_path / "missing.jsonl")
    assert err.value.incidents[0].id == "documents-missing"
    with pytest.raises(RukpError) as err:
        load_annotation_set(HERE / "cases" / "malformed-json" / "set")
    assert err.value.incidents[0].id == "malformed-json"


def test_default_paths_find_raw_registry_and_sets(
    tmp_path: Path,
    documents_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    root = tmp_path / "repo"
    repo = HERE.parents[1]
    shutil.copytree(repo / "schema", root / "schema")
    shutil.copytree(repo / "raw", root / "raw")
    (root / "annotations").mkdir()
    shutil.copy(VALID / "entities.json", root / "annotations" / "entities.json")
    for name in ("A", "B"):
        (root / "annotations" / name).mkdir()
        shutil.copy(VALID / f"{DOC}.json", root / "annotations" / name / f"{DOC}.json")
    bad = load_json(VALID / f"{DOC}.json")
    bad["entities"][0]["canonical_id"] = "atlantis"
    (root / "annotations" / "B" / f"{DOC}.json").write_text(json.dumps(bad), encoding="utf-8")
    monkeypatch.setenv("RUKP_ROOT", str(root))
    assert main(["validate", "--documents", str(documents_path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    # set B uses the parent annotations/entities.json, which does not know 'atlantis'
    assert report["counts"] == {"unknown-canonical-id": 1}
    assert report["incidents"][0]["file"].endswith(f"B/{DOC}.json")


def test_load_registry_raises_on_duplicate_id() -> None:
    with pytest.raises(RukpError) as err:
        load_registry(HERE / "cases" / "duplicate-registry-id" / "set" / "entities.json")
    assert [i.id for i in err.value.incidents] == ["duplicate-registry-id"]


def test_raw_rows_may_leave_the_language_to_the_ingest_and_hold_html(tmp_path: Path) -> None:
    import hashlib

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.html").write_bytes(b"<p>Hello</p>\n")
    (raw / "b.txt").write_bytes(b"Hello\n")
    sha = {n: hashlib.sha256((raw / n).read_bytes()).hexdigest() for n in ("a.html", "b.txt")}
    (raw / "sources.csv").write_text(
        "id,file,format,sha256,language,published,outlet,url,licence_note\n"
        f"a,a.html,html,{sha['a.html']},,,,,\n"
        f"b,b.txt,html,{sha['b.txt']},de,,,,\n",
        encoding="utf-8",
    )
    [inc] = validate_paths([raw], None)
    assert (inc.id, inc.location, inc.doc_id) == ("raw-bad-format", "line 3", "b")
    assert "its extension means 'text'" in inc.message
