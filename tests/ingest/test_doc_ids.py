"""Two raw files with one stem: the second is refused even when the first was refused too."""

from __future__ import annotations

import json
from pathlib import Path

from rukp.ingest.pipeline import ingest

SEED = Path(__file__).resolve().parents[2] / "raw" / "004_25ce6273a6f2b184.txt"


def test_a_rejected_file_still_holds_its_stem(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.html").write_bytes(b"\x00\x01binary\x00")  # refused: binary-file
    (raw / "a.txt").write_bytes(SEED.read_bytes())  # a good article, but the stem is taken
    (raw / "b.txt").write_bytes(SEED.read_bytes())
    ingest(raw, out, workers=1)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [(r["id"], r["file"].rsplit("/", 1)[-1]) for r in report["rejected"]] == [
        ("binary-file", "a.html"),
        ("duplicate-doc-id", "a.txt"),
    ]
    docs = [json.loads(x) for x in (out / "documents.jsonl").read_text("utf-8").splitlines()]
    assert [d["doc_id"] for d in docs] == ["b"]
