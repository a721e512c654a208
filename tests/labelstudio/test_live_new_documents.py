"""Live: `rukp ls push` sends only the documents still to annotate to a real Label Studio. Of the
five seeds (gold in annotations/gold) and two new documents, each annotator's project gets the
two new ones, in the entities pass and in the events pass (no seed listed as waiting for it);
`--include-gold` adds the seeds; documents that all have gold make no project at all.
The session's server (conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rukp.cli import main
from rukp.labelstudio.client import find_project

from .helpers import NEW_TEXTS, fixture_set, new_documents, seed_documents, write_documents
from .live import Live

pytestmark = pytest.mark.live
TITLE = "rukp live new documents"
SPEC = "N1=new-1@rukp.test,N2=new-2@rukp.test"


def _doc_ids(sdk: Any, title: str) -> list[str]:
    project = find_project(sdk, title)
    assert project is not None, title
    return sorted(t.data["doc_id"] for t in sdk.tasks.list(project=project.id, fields="all"))


def test_push_takes_only_the_documents_still_to_annotate(
    live: Live, sdk: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = sorted(seed_documents())
    new = sorted(NEW_TEXTS)
    docs = {**seed_documents(), **new_documents()}
    docs_path = write_documents(tmp_path / "documents.jsonl", docs)
    pred = fixture_set(tmp_path / "pred", docs, sorted(docs))  # covers the seeds too
    for name in ("N1", "N2"):  # each annotator's entities, for the events pass
        fixture_set(tmp_path / name, docs, new)
    server = ["--url", live.url, "--token", live.token, "--documents", str(docs_path),
              "--allow-missing-provenance", "--entities", str(pred / "entities.json")]  # fmt: skip

    push = ["ls", "push", *server, "--project-title", TITLE, "--annotators", SPEC]
    passes = (
        ("entities", ["--predictions", str(pred)]),
        ("events", ["--context", str(tmp_path / "{annotator}")]),
    )
    for layer, extra in passes:
        capsys.readouterr()
        assert main([*push, "--layer", layer, *extra]) == 0
        printed = capsys.readouterr().out
        assert printed.startswith(f"documents: 2 of 7 in {docs_path} selected (still to "
                                  "annotate); 5 skipped, already in the gold set ")  # fmt: skip
        assert f"{seeds[0]}, {seeds[1]}, {seeds[2]} and 2 more" in printed
        assert "not in the" not in printed  # no seed waits for a pass
        for name in ("N1", "N2"):
            title = f"{TITLE} · {name} · {layer}"
            assert f"{title}: project" in printed
            assert _doc_ids(sdk, title) == new
        assert printed.count("tasks imported: 2, already there: 0") == 2

    # again: nothing new; with --include-gold the seeds join the entities projects
    assert main([*push, "--layer", "entities", "--predictions", str(pred)]) == 0
    assert capsys.readouterr().out.count("tasks imported: 0, already there: 2") == 2
    assert main([*push, "--layer", "entities", "--predictions", str(pred), "--include-gold"]) == 0
    printed = capsys.readouterr().out
    assert "documents: 7 of 7 in" in printed and "5 of them already in the gold set" in printed
    assert printed.count("tasks imported: 5, already there: 2") == 2
    assert _doc_ids(sdk, f"{TITLE} · N1 · entities") == sorted(docs)


def test_documents_that_all_have_gold_make_no_project(
    live: Live, sdk: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_path = write_documents(tmp_path / "documents.jsonl", seed_documents())
    title = f"{TITLE} only gold"
    argv = ["ls", "push", "--url", live.url, "--token", live.token, "--documents",
            str(docs_path), "--project-title", title]  # fmt: skip
    capsys.readouterr()
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"ERROR no-new-documents {docs_path}: all 5 document(s) already ")
    assert "hint: " in err and "--include-gold" in err
    assert find_project(sdk, title) is None
