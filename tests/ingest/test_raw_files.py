"""Listing raw/: which files are pages, in doc_id order, and file stems as pathlib gives them."""

from __future__ import annotations

from pathlib import Path, PurePath

from hypothesis import given
from hypothesis import strategies as st

from rukp.ingest.pipeline import raw_files, stem


@given(st.text(alphabet="ab.-_", min_size=1, max_size=8).filter(lambda n: n not in {".", ".."}))
def test_stem_is_pathlibs(name: str) -> None:
    assert stem(name) == PurePath(name).stem


def test_raw_files_order_and_skips(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "a.html", "a-1.txt", "sources.csv", "README.md", ".hidden"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    # doc_id order (by stem, then name): "a" < "a-1" < "b"; "a.html" before "a.txt"
    assert raw_files(tmp_path) == ["a.html", "a.txt", "a-1.txt", "b.txt"]
