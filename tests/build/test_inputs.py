"""The build refuses bad inputs with incidents (one small fixture per error id)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rukp.build.inputs import check_gold, load_gold, load_registry
from rukp.build.release import build, default_inputs
from rukp.cli import main
from rukp.documents import load_documents
from rukp.errors import RukpError
from rukp.labels import load_labels

DOC = "000_0c8f196507d21063"


def _ids(exc: pytest.ExceptionInfo[RukpError]) -> list[tuple[str, str | None]]:
    return [(i.id, i.doc_id) for i in exc.value.incidents]


def _mutate_gold(repo: Path, fn) -> None:  # type: ignore[no-untyped-def]
    p = repo / "annotations" / "gold" / f"{DOC}.json"
    data = json.loads(p.read_text(encoding="utf-8"))
    fn(data)
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_documents_missing(tmp_path: Path) -> None:
    with pytest.raises(RukpError) as exc:
        load_documents(tmp_path / "nope.jsonl")
    assert _ids(exc) == [("documents-missing", None)]


def test_gold_missing(tmp_path: Path) -> None:
    with pytest.raises(RukpError) as exc:
        load_gold(tmp_path / "gold")
    assert _ids(exc) == [("gold-missing", None)]


def test_gold_without_document(repo: Path) -> None:
    (repo / "annotations" / "gold" / "ghost.json").write_text(
        json.dumps({"doc_id": "ghost", "text_sha256": "0" * 64, "entities": []}), encoding="utf-8"
    )
    with pytest.raises(RukpError) as exc:
        build(default_inputs(repo), repo / "release")
    assert _ids(exc) == [("gold-without-document", "ghost")]


@pytest.mark.parametrize(
    ("edit", "incident"),
    [
        (lambda d: d["entities"][0].update(text="Etats-Unis"), "span-text-mismatch"),
        (lambda d: d["entities"][0].update(start=-1), "span-out-of-range"),
        (lambda d: d["entities"][0].update(type="PERSON"), "unknown-label"),
        (lambda d: d["stances"][0].update(label="PRO"), "unknown-label"),
        (lambda d: d["entities"][0].update(canonical_id="atlantis"), "unknown-canonical-id"),
        (
            lambda d: d["entities"].append({**d["entities"][0], "id": "dup"}),
            "overlapping-entities",
        ),
    ],
)
def test_check_gold_incidents(repo: Path, edit, incident: str) -> None:  # type: ignore[no-untyped-def]
    _mutate_gold(repo, edit)
    inp = default_inputs(repo)
    docs = load_documents(inp.documents)
    gold = load_gold(inp.gold)
    registry = load_registry(repo / "annotations" / "entities.json")
    with pytest.raises(RukpError) as exc:
        check_gold(gold, docs, registry, load_labels())
    assert _ids(exc) == [(incident, DOC)]


def test_build_cli_refuses_invalid_gold(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _mutate_gold(repo, lambda d: d["entities"][0].update(type="PERSON"))
    inp = default_inputs(repo)
    code = main(
        [
            "build",
            "--documents",
            str(inp.documents),
            "--gold",
            str(inp.gold),
            "--splits",
            str(inp.splits_dir),
            "--out",
            str(repo / "release"),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "PERSON" in err and DOC in err
    assert not (repo / "release").exists()  # nothing half-written


def test_document_without_gold_is_a_warning_and_not_released(repo: Path) -> None:
    (repo / "annotations" / "gold" / "syn_ko.json").unlink()
    result = build(default_inputs(repo), repo / "release")
    assert [(w.id, w.doc_id) for w in result.warnings] == [("document-not-annotated", "syn_ko")]
    assert result.rows["documents"] == {"train": 6, "validation": 1, "test": 1}
    assert "syn_ko" in result.split_rows  # its split is fixed all the same
