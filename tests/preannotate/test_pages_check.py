"""The fixture pages pass their own check script against the project's registry and types."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parent / "pages"


def test_pages_are_consistent(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("check_pages", PAGES / "check_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(PAGES) == 0, capsys.readouterr().out
    assert "16 files, 0 errors" in capsys.readouterr().out
