"""docs/evaluate.md's walk-through stays true: its Python snippet, run as written next to the
committed release (a real `load_dataset`), writes a submission whose report is the one printed
in the docs, character for character."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from rukp.cli import main

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "evaluate.md").read_text(encoding="utf-8")


def test_walk_through_scores_as_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    snippet = re.search(r"   ```python\n(   import json\n.*?)   ```", DOC, re.S)
    shown = re.search(r"   ```\n(   ner: f1 = .*?)\n   ```", DOC, re.S)
    assert snippet and shown, "docs/evaluate.md lost its walk-through"
    (tmp_path / "release").symlink_to(REPO / "release")
    monkeypatch.chdir(tmp_path)
    code = "\n".join(line.removeprefix("   ") for line in snippet.group(1).splitlines())
    exec(compile(code, "docs/evaluate.md", "exec"), {})  # the documented snippet, as written
    assert os.path.getsize("my-ner.jsonl") > 0
    assert main(["evaluate", "--task", "ner", "--predictions", "my-ner.jsonl"]) == 0
    expected = "\n".join(line.removeprefix("   ") for line in shown.group(1).splitlines())
    assert capsys.readouterr().out.rstrip("\n") == expected
