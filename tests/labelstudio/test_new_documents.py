"""`rukp ls tasks` and `rukp ls push` take the documents still to annotate by default: the five
seeds have gold in annotations/gold, so only the new documents become tasks; `--include-gold`
takes every document; a selection left empty is `no-new-documents`, before any server call.
(The same against a real server: test_live_new_documents.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rukp.cli import main
from rukp.documents import Document
from rukp.paths import annotations_dir

from .helpers import NEW_TEXTS, fixture_set, new_documents, seed_documents, write_documents


def _corpus(tmp_path: Path) -> tuple[dict[str, Document], Path]:
    """The five seeds (they have gold) and two new documents, as one documents file."""
    docs = {**seed_documents(), **new_documents()}
    return docs, write_documents(tmp_path / "documents.jsonl", docs)


def test_seeds_have_gold() -> None:
    """What the tests below rely on: every seed has a gold file, no new document has one."""
    gold = {p.stem for p in (annotations_dir() / "gold").glob("*.json")}
    assert set(seed_documents()) <= gold and not set(NEW_TEXTS) & gold


def test_tasks_only_for_the_new_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(annotations_dir().parent)  # the gold set is shown as annotations/gold
    docs, docs_path = _corpus(tmp_path)
    seeds = sorted(seed_documents())
    # a prediction set covering every document (seeds too) fits: only the new ones are used
    pred = fixture_set(tmp_path / "pred", docs, sorted(docs))
    out = tmp_path / "tasks.json"
    argv = ["ls", "tasks", "--documents", str(docs_path), "--predictions", str(pred),
            "--entities", str(pred / "entities.json"), "--out", str(out)]  # fmt: skip
    capsys.readouterr()
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == (
        f"documents: 2 of 7 in {docs_path} selected (still to annotate); 5 skipped, already in "
        f"the gold set annotations/gold: {seeds[0]}, {seeds[1]}, {seeds[2]} and 2 more "
        "(--include-gold takes them too)"
    )
    assert "wrote 2 task(s), 2 with predictions" in printed
    tasks = json.loads(out.read_text("utf-8"))
    assert [t["data"]["doc_id"] for t in tasks] == ["900_new_a", "901_new_b"]

    assert main([*argv, "--include-gold"]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == (
        f"documents: 7 of 7 in {docs_path} selected, 5 of them already in the gold set "
        "annotations/gold (--include-gold)"
    )
    assert "wrote 7 task(s), 7 with predictions" in printed
    assert [t["data"]["doc_id"] for t in json.loads(out.read_text("utf-8"))] == sorted(docs)


def test_a_later_pass_does_not_list_gold_documents_as_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The events pass of an annotator who did the entities of the two new documents: two
    tasks and nobody waiting. With --include-gold the seeds are in the selection, and so
    waiting for their entities (the old behaviour, now asked for)."""
    docs, docs_path = _corpus(tmp_path)
    ctx = fixture_set(tmp_path / "D", docs, sorted(NEW_TEXTS))
    out = tmp_path / "tasks.json"
    argv = ["ls", "tasks", "--documents", str(docs_path), "--layer", "events", "--context",
            str(ctx), "--entities", str(ctx / "entities.json"), "--out", str(out)]  # fmt: skip
    capsys.readouterr()
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "wrote 2 task(s), 2 with predictions" in printed and "not in the" not in printed
    assert main([*argv, "--include-gold"]) == 0
    printed = capsys.readouterr().out
    assert "wrote 2 task(s)" in printed
    assert f"not in the events pass yet (5; their earlier layers are not in the --context set): " \
        f"{', '.join(sorted(seed_documents()))}" in printed  # fmt: skip


def test_only_gold_documents_is_an_error_not_an_empty_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RUKP_LS_TOKEN", raising=False)
    docs_path = write_documents(tmp_path / "documents.jsonl", seed_documents())
    out = tmp_path / "tasks.json"
    for argv in (
        ["ls", "tasks", "--documents", str(docs_path), "--out", str(out)],
        ["ls", "push", "--url", "http://127.0.0.1:9", "--documents", str(docs_path),
         "--annotators", "D=d@example.org,E=e@example.org", "--layer", "entities"],
    ):  # fmt: skip
        capsys.readouterr()
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"ERROR no-new-documents {docs_path}: all 5 document(s) already "
                              "have gold in ")  # fmt: skip
        assert "hint: " in err and "--include-gold" in err
        assert "token-missing" not in err and "server-error" not in err  # refused before
    assert not out.exists()


def test_push_selects_before_building_and_contacting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a token, push stops at the server (`token-missing`): the selection is printed,
    the new documents' provenance is checked (they have no row: refused), the seeds' is not."""
    monkeypatch.delenv("RUKP_LS_TOKEN", raising=False)
    _, docs_path = _corpus(tmp_path)
    argv = ["ls", "push", "--url", "http://127.0.0.1:9", "--documents", str(docs_path),
            "--annotators", "D=d@example.org,E=e@example.org", "--layer", "entities"]  # fmt: skip
    capsys.readouterr()
    assert main(argv) == 1
    got = capsys.readouterr()
    assert "documents: 2 of 7 in" in got.out and "5 skipped" in got.out
    refused = [line for line in got.err.splitlines() if line.startswith("ERROR")]
    assert all(r.startswith("ERROR document-without-provenance ") for r in refused)
    assert [r.split("[doc ")[1].split("]")[0] for r in refused] == sorted(NEW_TEXTS)
    assert main([*argv, "--allow-missing-provenance"]) == 1
    err = capsys.readouterr().err
    assert err.count("WARNING document-without-provenance") == 2
    assert "ERROR token-missing" in err  # tasks were built; only the server call is left
