"""Bad raw files: clear message, exit 1, outputs still written for the good files, no traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rukp.cli import main

GOOD = (
    "Kim Jong Un and Vladimir Putin discussed military cooperation in Vostochny, where the "
    "Russian leader showed his guest the launch pads of the space centre. The two men spoke for "
    "several hours. Officials in Seoul said they were watching the summit closely and would "
    "respond together with Washington and Tokyo.\n"
)


def _run(tmp_path: Path, files: dict[str, bytes], *extra: str) -> tuple[int, Path]:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in files.items():
        (raw / name).write_bytes(data)
    out = tmp_path / "out"
    return main(["ingest", "--raw", str(raw), "--out", str(out), *extra]), out


@pytest.mark.parametrize(
    ("name", "data", "incident", "words"),
    [
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary-file", "NUL bytes"),
        ("ctl.txt", bytes(range(1, 9)) * 40 + b"text", "binary-file", "control characters"),
        ("empty.txt", b"", "empty-file", "file is empty"),
        ("blank.txt", b"  \n\n ", "empty-file", "file is empty"),
    ],
)
def test_rejected_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, incident: str,
    words: str,
) -> None:  # fmt: skip
    code, out = _run(tmp_path, {"good.txt": GOOD.encode(), name: data})
    err = capsys.readouterr().err
    assert code == 1
    assert f"{incident} " in err and name in err and words in err
    assert "Traceback" not in err
    assert [
        json.loads(x)["doc_id"] for x in (out / "documents.jsonl").read_text().splitlines()
    ] == ["good"]
    report = json.loads((out / "report.json").read_text())
    assert [(r["file"], r["id"]) for r in report["rejected"]] == [(name, incident)]


def test_fifty_megabyte_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "raw" / "big.txt"
    big.parent.mkdir()
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 52,428,800 bytes without writing them
    (tmp_path / "raw" / "good.txt").write_text(GOOD)
    assert main(["ingest", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "file-too-large" in err and "big.txt" in err
    assert "52,428,800 bytes" in err and "5,000,000 bytes" in err and "Traceback" not in err


def test_size_bound_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(tmp_path, {"good.txt": GOOD.encode()}, "--max-bytes", "50")
    assert code == 1
    err = capsys.readouterr().err
    assert (
        f"the file is {len(GOOD.encode())} bytes; the bound for a raw-page file is 50 bytes" in err
    )


def test_fifo_and_broken_link_in_raw_are_rejected_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO named like a page is refused before it is opened (reading it would block), and
    a link to nowhere is named too; the good page is still ingested."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD)
    os.mkfifo(raw / "pipe.txt")
    (raw / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (raw / "folder").mkdir()  # folders are not pages: skipped silently
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "ERROR not-a-regular-file" in err and "pipe.txt" in err and "FIFO" in err
    assert "ERROR file-not-found" in err and "gone.txt" in err
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    assert sorted((r["file"], r["id"]) for r in report["rejected"]) == [
        ("gone.txt", "file-not-found"),
        ("pipe.txt", "not-a-regular-file"),
    ]
    assert report["counts"]["documents"] == 1


def test_cp1252_is_converted_with_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GOOD.replace("space centre", "centre spatial “Vostochny” – café")
    code, out = _run(tmp_path, {"w.txt": text.encode("cp1252")})
    assert code == 0
    err = capsys.readouterr().err
    assert "WARNING w.txt: not valid UTF-8" in err and "cp1252" in err
    doc = json.loads((out / "documents.jsonl").read_text())
    assert doc["text"] == text.strip()
    assert doc["warnings"] and "cp1252" in doc["warnings"][0]
    report = json.loads((out / "report.json").read_text())
    assert list(report["warnings"]) == ["w.txt"]


def test_latin1_fallback(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252, so this can only be latin-1 (it holds one C1 control).
    data = GOOD.replace("space centre", "centre spatial à Vostochny").encode("latin-1") + b"\x81"
    code, out = _run(tmp_path, {"l.txt": data})
    assert code == 0
    assert "latin-1" in json.loads((out / "documents.jsonl").read_text())["warnings"][0]


def test_utf8_bom_stripped_and_crlf(tmp_path: Path) -> None:
    code, out = _run(tmp_path, {"b.txt": b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()})
    assert code == 0
    doc = json.loads((out / "documents.jsonl").read_text())
    assert doc["text"] == GOOD.strip() and doc["warnings"] == []


def test_skipped_names_and_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(
        tmp_path, {"a.txt": GOOD.encode(), "sources.csv": b"id\n", "README.md": b"# raw\n"}
    )
    assert code == 0
    assert json.loads((out / "report.json").read_text())["counts"]["files"] == 1
    assert main(["ingest", "--raw", str(tmp_path / "nope"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "raw-dir-missing" in err and "Traceback" not in err


def test_deterministic_bytes(tmp_path: Path) -> None:
    files = {
        f"{i:02d}.txt": (GOOD + f"Paragraph {i} about Pyongyang.\n").encode() for i in range(6)
    }
    code, out = _run(tmp_path, files)
    first = {n: (out / n).read_bytes() for n in ("documents.jsonl", "dropped.jsonl", "report.json")}
    assert main(["ingest", "--raw", str(tmp_path / "raw"), "--out", str(out)]) == code
    second = {n: (out / n).read_bytes() for n in first}
    assert first == second
    ids = [json.loads(x)["doc_id"] for x in first["documents.jsonl"].decode().splitlines()]
    assert ids == sorted(ids) and len(ids) == 6
