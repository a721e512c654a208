"""The documents still to annotate (rukp.documents.documents_to_annotate): the documents whose
doc_id has no `<doc_id>.json` in the gold set. Expected values computed by hand."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rukp.documents import Document, document_from_text, documents_to_annotate, gold_doc_ids
from rukp.errors import RukpError


def _docs(*ids: str) -> dict[str, Document]:
    return {d: document_from_text(d, f"Title {d}\n\nBody of {d}.") for d in ids}


def _gold(folder: Path, *ids: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for d in ids:
        (folder / f"{d}.json").write_text("{}\n", encoding="utf-8")
    (folder / "entities.json").write_text('{"entities": []}\n', encoding="utf-8")
    return folder


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the working folder, so the gold set is shown as `gold`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_gold_doc_ids_are_the_annotation_files_only(tmp_path: Path) -> None:
    gold = _gold(tmp_path / "gold", "a", "b")
    (gold / "notes.md").write_text("not an annotation", encoding="utf-8")
    (gold / "sub.json").mkdir()  # a folder named like an annotation file
    assert gold_doc_ids(gold) == {"a", "b"}  # entities.json is the registry, not a document
    assert gold_doc_ids(tmp_path / "nowhere") == set()


# (documents, gold ids or None for no gold folder, include_gold) ->
# (selected, skipped, in_gold, summary)
CASES = [
    (
        ("a", "b", "c", "d"), ("a", "b"), False,
        ["c", "d"], ["a", "b"], ["a", "b"],
        "documents: 2 of 4 in docs.jsonl selected (still to annotate); 2 skipped, already in "
        "the gold set gold: a, b (--include-gold takes them too)",
    ),
    (
        ("a", "b", "c", "d"), ("a", "b"), True,
        ["a", "b", "c", "d"], [], ["a", "b"],
        "documents: 4 of 4 in docs.jsonl selected, 2 of them already in the gold set gold "
        "(--include-gold)",
    ),
    (
        ("a", "b"), None, False,
        ["a", "b"], [], [],
        "documents: 2 of 2 in docs.jsonl selected (no gold set at gold: every document is "
        "still to annotate)",
    ),
    (
        ("a",), ("x",), False,  # gold for another document only
        ["a"], [], [],
        "documents: 1 of 1 in docs.jsonl selected (none is in the gold set gold)",
    ),
    (
        ("d1", "d2", "d3", "d4", "d5", "new"), ("d1", "d2", "d3", "d4", "d5"), False,
        ["new"], ["d1", "d2", "d3", "d4", "d5"], ["d1", "d2", "d3", "d4", "d5"],
        "documents: 1 of 6 in docs.jsonl selected (still to annotate); 5 skipped, already in "
        "the gold set gold: d1, d2, d3 and 2 more (--include-gold takes them too)",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("ids", "gold_ids", "include", "selected", "skipped", "in_gold", "summary"), CASES
)
def test_selection(
    here: Path,
    ids: tuple[str, ...],
    gold_ids: tuple[str, ...] | None,
    include: bool,
    selected: list[str],
    skipped: list[str],
    in_gold: list[str],
    summary: str,
) -> None:
    if gold_ids is not None:
        _gold(here / "gold", *gold_ids)
    sel = documents_to_annotate(
        _docs(*ids), here / "gold", include_gold=include, source="docs.jsonl"
    )
    assert sorted(sel.documents) == selected
    assert (sel.skipped, sel.in_gold, sel.total) == (skipped, in_gold, len(ids))
    assert sel.summary() == summary


def test_every_document_has_gold_is_an_error_naming_them(here: Path) -> None:
    gold = _gold(here / "gold", "a", "b", "c", "d")
    with pytest.raises(RukpError) as exc:
        documents_to_annotate(_docs("a", "b", "c", "d"), gold, source=here / "documents.jsonl")
    (incident,) = exc.value.incidents
    assert (incident.id, incident.file, incident.level) == (
        "no-new-documents", "documents.jsonl", "error")  # fmt: skip
    assert incident.message == (
        "all 4 document(s) already have gold in gold (a, b, c and 1 more): none is left to annotate"
    )
    assert "--include-gold" in (incident.hint or "") and "rukp add" in (incident.hint or "")
    # the flag takes them all
    assert sorted(documents_to_annotate(_docs("a", "b", "c", "d"), gold, include_gold=True)
                  .documents) == ["a", "b", "c", "d"]  # fmt: skip


def test_no_documents_at_all(here: Path) -> None:
    with pytest.raises(RukpError) as exc:
        documents_to_annotate({}, here / "gold", include_gold=True, source="docs.jsonl")
    assert [(i.id, i.file) for i in exc.value.incidents] == [("no-documents", "docs.jsonl")]


def test_a_gold_folder_given_by_the_user_must_exist(here: Path) -> None:
    with pytest.raises(RukpError) as exc:
        documents_to_annotate(_docs("a"), here / "glod", gold_required=True)
    assert [(i.id, i.file) for i in exc.value.incidents] == [("gold-missing", "glod")]
    _gold(here / "gold", "a")
    sel = documents_to_annotate(_docs("a", "b"), here / "gold", gold_required=True)
    assert sorted(sel.documents) == ["b"]


_ids = st.sets(st.sampled_from(["000_a", "001_b", "002_c", "003_d", "x", "y"]), max_size=6)


@settings(max_examples=60, deadline=None)
@given(docs=_ids, gold=_ids, include=st.booleans())
def test_selection_partitions_the_documents(docs: set[str], gold: set[str], include: bool) -> None:
    """selected = documents without gold (all with include), skipped = documents with gold
    (none with include); the two never overlap and together are the documents."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = _gold(Path(tmp) / "gold", *gold)
        want = set(docs) if include else docs - gold
        if not docs or not want:
            with pytest.raises(RukpError) as exc:
                documents_to_annotate(_docs(*docs), folder, include_gold=include)
            assert [i.id for i in exc.value.incidents] == [
                "no-documents" if not docs else "no-new-documents"
            ]
            return
        sel = documents_to_annotate(_docs(*docs), folder, include_gold=include)
    assert set(sel.documents) == want
    assert sel.skipped == ([] if include else sorted(docs & gold))
    assert sel.in_gold == sorted(docs & gold)
    assert set(sel.documents).isdisjoint(sel.skipped)
    assert set(sel.documents) | set(sel.skipped) == docs
