"""Two (or more) annotators: set names are safe folder names, existing set folders are not
overwritten without a flag, one project per annotator, and who annotated in whose project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rukp.cli import main
from rukp.errors import RukpError
from rukp.labelstudio.cli import parse_annotators
from rukp.labelstudio.client import project_title
from rukp.labelstudio.convert import to_result
from rukp.labelstudio.importer import (
    annotator_name,
    convert_export,
    import_export,
    set_name_problem,
    write_sets,
)

from .helpers import REGISTRY_IDS, export_of, pact_annotation, pact_documents, write_registry

FIX = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("A", True),
        ("gold", True),
        ("annotator_2", True),
        ("B-2024.v1", True),
        ("x" * 100, True),  # the one name rule of rukp.safeio: at most 100 characters
        ("x" * 101, False),
        ("_hidden", False),  # starts with a letter or digit
        ("", False),
        (".", False),
        ("..", False),
        (".backup", False),
        ("../A", False),
        ("a/b", False),
        ("a\\b", False),
        ("a@example.org", False),
        ("A B", False),
        ("Ä", False),
        (7, False),
    ],
)
def test_set_names_are_safe_folder_names(name: object, ok: bool) -> None:
    assert (set_name_problem(name) is None) == ok


def test_unmapped_users_are_named_by_id_never_by_email() -> None:
    users = {3: "B@Example.org", 4: "../../etc@x.org"}
    assert annotator_name(3, users, {}) == "user3"
    assert annotator_name(4, users, {}) == "user4"
    assert annotator_name({"id": 3}, users, {"b@example.org": "B"}) == "B"  # e-mail, any case
    assert annotator_name(3, users, {"3": "B2"}) == "B2"
    assert annotator_name(True, users, {}) is None


def test_a_map_with_an_unsafe_set_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    amap = tmp_path / "map.json"
    amap.write_text(json.dumps({"1": "../escaped"}), "utf-8")
    reg = write_registry(tmp_path / "entities.json")
    argv = ["ls", "import", str(FIX / "valid.json"), "--documents", str(FIX / "documents.jsonl"),
            "--entities", str(reg), "--out-dir", str(tmp_path / "out"),
            "--annotator-map", str(amap)]  # fmt: skip
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "ERROR unsafe-name" in err and "'../escaped'" in err and '$["1"]' in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "escaped").exists()


def test_the_library_checks_names_too(tmp_path: Path) -> None:
    docs = pact_documents()
    export = export_of(docs, {"d1": to_result(pact_annotation())}, user=1)
    with pytest.raises(RukpError) as exc:
        convert_export(export, docs, annotator_map={"1": ".."})
    assert [i.id for i in exc.value.incidents] == ["unsafe-name"]
    with pytest.raises(RukpError) as exc:
        write_sets({"../x": {}}, tmp_path / "out", None)
    assert [i.id for i in exc.value.incidents] == ["unsafe-name"]
    assert not (tmp_path / "out").exists()


def test_an_existing_set_folder_is_changed_only_with_the_flag(tmp_path: Path) -> None:
    docs = pact_documents()
    reg = write_registry(tmp_path / "entities.json")
    out = tmp_path / "annotations"
    committed = out / "A" / "d1.json"
    committed.parent.mkdir(parents=True)
    committed.write_text('{"committed": true}\n', "utf-8")
    export = tmp_path / "export.json"
    export.write_text(json.dumps(export_of(docs, {"d1": to_result(pact_annotation())}, 1)), "utf-8")
    with pytest.raises(RukpError) as exc:
        import_export(export, docs, out, reg, annotator_map={"1": "A"})
    assert [i.id for i in exc.value.incidents] == ["set-exists"]
    assert exc.value.incidents[0].file == str(out / "A")
    assert "would change 2 file(s)" in exc.value.incidents[0].message  # d1.json, entities.json
    assert committed.read_text("utf-8") == '{"committed": true}\n'
    # a new set name is fine, and so is the flag
    import_export(export, docs, out, reg, annotator_map={"1": "A2"})
    rep = import_export(export, docs, out, reg, annotator_map={"1": "A"}, update_sets=True)
    assert json.loads(committed.read_text("utf-8")) == pact_annotation("A")
    assert len(rep.written) == 2
    # importing the same again changes nothing, so it needs no flag
    again = import_export(export, docs, out, reg, annotator_map={"1": "A"})
    assert again.written == [] and len(again.unchanged) == 2


def test_an_annotation_by_another_user_in_an_annotators_project_is_refused() -> None:
    docs = pact_documents()
    export = export_of(docs, {"d1": to_result(pact_annotation())}, user=2)
    with pytest.raises(RukpError) as exc:
        convert_export(
            export,
            docs,
            registry=set(REGISTRY_IDS),
            users={1: "a@x.org", 2: "b@x.org"},
            annotator_map={"1": "A"},
            project_user=1,
        )
    (inc,) = exc.value.incidents
    assert inc.id == "wrong-annotator"
    assert "made by b@x.org, but this is the project of a@x.org (set A)" in inc.message
    sets, _ = convert_export(
        export, docs, registry=set(REGISTRY_IDS), annotator_map={"2": "B"}, project_user=2
    )
    assert sets == {"B": {"d1": pact_annotation("B")}}


@pytest.mark.parametrize(
    ("spec", "want"),
    [
        ("A=a@x.org,B=b@y.org", [("A", "a@x.org"), ("B", "b@y.org")]),
        (" A = a@x.org , ", [("A", "a@x.org")]),
        (None, []),
    ],
)
def test_annotators_option(spec: str | None, want: list[tuple[str, str]]) -> None:
    assert parse_annotators(spec) == want


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("a@x.org,b@y.org", "is not SET=EMAIL"),
        ("../A=a@x.org", "not a safe folder name"),
        ("A=a@x.org,A=b@y.org", "each set name and each e-mail may appear once"),
        ("A=a@x.org,B=A@X.org", "each set name and each e-mail may appear once"),
        ("A=nobody", "is not SET=EMAIL"),
    ],
)
def test_annotators_option_refusals(spec: str, message: str) -> None:
    with pytest.raises(RukpError) as exc:
        parse_annotators(spec)
    assert {i.id for i in exc.value.incidents} == {"bad-annotators"}
    assert any(message in i.message for i in exc.value.incidents)


@pytest.mark.parametrize(
    ("annotator", "layer", "title"),
    [
        (None, "all", "rukp"),
        ("A", "all", "rukp · A"),
        (None, "events", "rukp · events"),
        ("B", "stances", "rukp · B · stances"),
    ],
)
def test_project_titles(annotator: str | None, layer: str, title: str) -> None:
    assert project_title("rukp", annotator, layer) == title


def test_cli_refuses_option_mixes_before_any_server_call(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    amap = tmp_path / "map.json"
    amap.write_text('{"1": "A"}', "utf-8")
    dead = ["--url", "http://127.0.0.1:9", "--token", "f" * 40]  # nothing listens there
    argv = ["ls", "pull", *dead, "--annotators", "A=a@x.org", "--annotator-map", str(amap),
            "--out-dir", str(tmp_path / "out")]  # fmt: skip
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "ERROR bad-annotators" in err and "not both" in err and "server-error" not in err
    argv = ["ls", "tasks", "--documents", str(FIX / "documents.jsonl"), "--context",
            str(tmp_path), "--out", str(tmp_path / "t.json")]  # fmt: skip
    assert main(argv) == 1
    assert "ERROR bad-layer" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() and not (tmp_path / "t.json").exists()
