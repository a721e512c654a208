"""`rukp ls push` refuses documents without a provenance row in raw/sources.csv (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rukp.cli import main
from rukp.io import sha256_text, write_jsonl
from rukp.labelstudio.cli import _check_provenance
from rukp.labelstudio.data import documents_from_texts

SEED = "004_25ce6273a6f2b184"  # has a row in the committed raw/sources.csv


def _documents(path: Path, doc_ids: list[str]) -> Path:
    text = "Title\n\nBody text of the document, long enough."
    rows = [
        {"doc_id": d, "text": text, "text_sha256": sha256_text(text), "language": "en"}
        for d in doc_ids
    ]
    write_jsonl(path, rows)
    return path


def test_push_refuses_before_contacting_the_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _documents(tmp_path / "documents.jsonl", [SEED, "999_unknown"])
    # port 9 (discard) is never a Label Studio: reaching it would be another error
    argv = ["ls", "push", "--url", "http://127.0.0.1:9", "--token", "x", "--documents", str(docs),
            "--include-gold"]  # fmt: skip
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "ERROR document-without-provenance" in err and "[doc 999_unknown]" in err
    assert SEED not in err


def test_allowed_missing_provenance_is_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    docs = documents_from_texts({SEED: "a", "999_unknown": "b", "998_other": "c"})
    _check_provenance(docs, allow=True)
    err = capsys.readouterr().err.splitlines()
    assert [line.split()[0:2] for line in err if line.startswith("WARNING")] == [
        ["WARNING", "document-without-provenance"]
    ] * 2
    _check_provenance(documents_from_texts({SEED: "a"}), allow=False)  # nothing to refuse
