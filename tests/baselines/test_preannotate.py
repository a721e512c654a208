"""CRF pre-annotation: spans from tags, offsets into the document text, annotation schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from rukp.baselines.preannotate import Mention, spans_from_tags
from rukp.cli import main
from rukp.io import sha256_text
from rukp.paths import schema_dir


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["B-PER", "I-PER", "O", "B-GPE"], [Mention(0, 9, "PER"), Mention(13, 15, "GPE")]),
        (["I-ORG", "I-ORG", "O", "O"], [Mention(0, 9, "ORG")]),  # stray I- opens a span
        (
            ["B-PER", "B-PER", "I-GPE", "O"],
            [Mention(0, 3, "PER"), Mention(5, 9, "PER"), Mention(10, 12, "GPE")],
        ),
        (["O", "O", "O", "O"], []),
    ],
)
def test_spans_from_tags(tags: list[str], expected: list[Mention]) -> None:
    starts, ends = [0, 5, 10, 13], [3, 9, 12, 15]
    assert spans_from_tags(tags, starts, ends) == expected


def test_preannotate_writes_valid_annotation_set(release: Path, tmp_path: Path, capsys) -> None:
    text = "Kim met Putin\n\nPutin met Kim in Pyongyang. The weather was calm."
    docs = tmp_path / "documents.jsonl"
    docs.write_text(
        json.dumps(
            {"doc_id": "z9", "text": text, "text_sha256": sha256_text(text), "language": "en"}
        )
        + "\n"
    )
    out = tmp_path / "pre"
    argv = ["baselines", "preannotate", "--documents", str(docs), "--out", str(out)]
    argv += ["--release", str(release), "--model-version", "crf-test"]
    assert main(argv) == 0
    ann = json.loads((out / "z9.json").read_text())
    schema = json.loads((schema_dir() / "annotation.schema.json").read_text())
    jsonschema.validate(ann, schema)
    assert ann["annotator"] == "model:crf-test"
    assert ann["text_sha256"] == sha256_text(text)
    assert ann["stances"] == [] and ann["events"] == []
    got = [(e["start"], e["end"], e["text"], e["type"]) for e in ann["entities"]]
    assert got == [
        (0, 3, "Kim", "PER"),
        (8, 13, "Putin", "PER"),
        (15, 20, "Putin", "PER"),
        (25, 28, "Kim", "PER"),
        (32, 41, "Pyongyang", "GPE"),
    ]
    assert all(text[s:e] == t for s, e, t, _ in got)
    assert json.loads((out / "entities.json").read_text()) == {"entities": []}
    assert "1 documents, 5 entities" in capsys.readouterr().out


def test_preannotate_bad_documents(release: Path, tmp_path: Path, capsys) -> None:
    docs = tmp_path / "documents.jsonl"
    docs.write_text('{"doc_id": "x"}\n')
    argv = ["baselines", "preannotate", "--documents", str(docs), "--out", str(tmp_path / "o")]
    assert main([*argv, "--release", str(release)]) == 1
    err = capsys.readouterr().err
    assert "document-field-missing" in err and "line 1" in err
    assert main([*argv[:3], str(tmp_path / "missing.jsonl"), *argv[4:]]) == 1
    assert "documents-missing" in capsys.readouterr().err
