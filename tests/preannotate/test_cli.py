"""`rukp preannotate`: an annotation set `rukp validate` accepts, a summary, Label Studio tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rukp.cli import main
from rukp.documents import load_documents
from rukp.io import sha256_text
from rukp.labelstudio.tasks import build_tasks, prediction_meta, predictions_from_set
from rukp.validate import validate_paths

REPO = Path(__file__).resolve().parents[2]
DOCS = {
    "ru1": (
        "ru",
        "Путин и КНДР\n\nВладимир Путин встретился с Ким Чен Ыном в Пхеньяне. "
        "Россия поставляет оружие.",
    ),
    "ko1": ("ko", "북한과 러시아\n\n김정은은 푸틴 대통령과 만났다. 북러 협력이 강화됐다."),
    "fr1": ("fr", "Titre\n\nLe Kremlin a démenti. Moscou et Pyongyang échangent des armes."),
}


def _document(doc_id: str, language: str, text: str) -> dict:
    """A cleaned document as `rukp ingest` writes it (schema/document.schema.json)."""
    title, _, _ = text.partition("\n")
    return {
        "doc_id": doc_id,
        "raw_sha256": sha256_text(text),
        "text": text,
        "text_sha256": sha256_text(text),
        "title": title,
        "language": language,
        "paragraphs": [{"start": 0, "end": len(text), "language": language}],
        "published": None,
        "url": None,
        "outlet": None,
        "cleaner_version": "test",
        "near_duplicate_cluster": doc_id,
    }


@pytest.fixture(scope="module")
def preannotated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    tmp = tmp_path_factory.mktemp("pre")
    docs = tmp / "documents.jsonl"
    docs.write_text("".join(json.dumps(_document(k, *v)) + "\n" for k, v in DOCS.items()))
    out = tmp / "set"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["preannotate", "--documents", str(docs), "--out", str(out)])
    assert code == 0
    return docs, out, buf.getvalue()


def test_output_is_a_valid_annotation_set(preannotated: tuple[Path, Path, str]) -> None:
    docs, out, _ = preannotated
    assert sorted(p.name for p in out.glob("*.json")) == [
        "entities.json", "fr1.json", "ko1.json", "ru1.json",
    ]  # fmt: skip
    incidents = validate_paths([out], docs)
    assert [i for i in incidents if i.level == "error"] == []
    assert main(["validate", str(out), "--documents", str(docs)]) == 0


def test_known_actors_come_linked(preannotated: tuple[Path, Path, str]) -> None:
    _, out, _ = preannotated
    got = {}
    for k in DOCS:
        ann = json.loads((out / f"{k}.json").read_text(encoding="utf-8"))
        got[k] = [(e["text"], e["type"], e["canonical_id"]) for e in ann["entities"]]
    assert ("Ким Чен Ыном", "PER", "kim_jong_un") in got["ru1"]
    assert ("Пхеньяне", "GPE", "pyongyang") in got["ru1"]  # "в" before it: the city
    assert ("оружие", "WEA", None) in got["ru1"]
    assert ("김정은", "PER", "kim_jong_un") in got["ko1"]  # particle 은 outside
    assert ("북", "GPE", "north_korea") in got["ko1"] and ("러", "GPE", "russia") in got["ko1"]
    assert ("Kremlin", "ORG", "kremlin") in got["fr1"]
    assert ("Moscou", "GPE", "russia") in got["fr1"]  # the capital speaking: the state


def test_summary_and_predictions(preannotated: tuple[Path, Path, str]) -> None:
    docs, out, printed = preannotated
    assert "3 documents" in printed and "linked" in printed and "model version:" in printed
    meta = prediction_meta(out)
    assert sorted(meta) == sorted(DOCS)
    version = meta["ru1"]["model_version"]
    assert version.startswith("preannotate-") and "registry." in version
    for k in DOCS:
        assert 0.0 < meta[k]["score"] <= 1.0
    tasks = build_tasks(
        load_documents(docs), predictions_from_set(out, load_documents(docs)), None, meta=meta
    )
    for task in tasks:
        (pred,) = task["predictions"]
        doc_id = task["data"]["doc_id"]
        assert pred["model_version"] == version
        assert pred["score"] == meta[doc_id]["score"]
        scored = [r for r in pred["result"] if r["type"] == "labels"]
        assert scored and all(0.0 < r["score"] <= 1.0 for r in scored)


def test_needs_an_output_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preannotate"]) == 2
    assert "--out" in capsys.readouterr().out


def test_only_the_documents_still_to_annotate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two seeds (they have gold in annotations/gold) and two new documents: by default only the
    new ones are pre-annotated; --include-gold takes all four; only seeds is an error."""
    monkeypatch.chdir(REPO)  # the gold set is shown as annotations/gold
    seeds = sorted(p.stem for p in (REPO / "annotations" / "gold").glob("0*.json"))[:2]
    rows = {d: ("en", f"Seed {d}\n\nKim Jong Un met Vladimir Putin.") for d in seeds}
    rows.update({k: DOCS[k] for k in ("fr1", "ru1")})
    docs = tmp_path / "documents.jsonl"
    docs.write_text("".join(json.dumps(_document(k, *v)) + "\n" for k, v in rows.items()))
    only_seeds = tmp_path / "seeds.jsonl"
    only_seeds.write_text("".join(json.dumps(_document(k, *rows[k])) + "\n" for k in seeds))

    capsys.readouterr()
    assert main(["preannotate", "--documents", str(only_seeds), "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"ERROR no-new-documents {only_seeds}: all 2 document(s) already have "
                          f"gold in annotations/gold ({seeds[0]}, {seeds[1]})")  # fmt: skip
    assert "--include-gold" in err and not (tmp_path / "x").exists()

    out = tmp_path / "new"
    assert main(["preannotate", "--documents", str(docs), "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"documents: 2 of 4 in {docs} selected (still to annotate); 2 skipped, already in the "
        f"gold set annotations/gold: {seeds[0]}, {seeds[1]} (--include-gold takes them too)"
    )
    assert lines[1].startswith("preannotate: 2 documents, ")
    assert sorted(p.name for p in out.glob("*.json")) == ["entities.json", "fr1.json", "ru1.json"]
    assert sorted(prediction_meta(out)) == ["fr1", "ru1"]

    every = tmp_path / "all"
    argv = ["preannotate", "--documents", str(docs), "--out", str(every), "--include-gold"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"documents: 4 of 4 in {docs} selected, 2 of them already in the gold set "
        "annotations/gold (--include-gold)"
    )
    assert lines[1].startswith("preannotate: 4 documents, ")
    assert sorted(prediction_meta(every)) == sorted(rows)
    assert f"next: rukp ls push --include-gold --predictions {every}" in lines[-1]
