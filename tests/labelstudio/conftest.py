"""Fixtures for the live Label Studio tests.

`label_studio_bin` and `chromium_bin` are meant to come from tests/conftest.py; they are defined
here too (same names) so this stage's tests run while that file does not exist yet.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rukp.paths import repo_root


@pytest.fixture(scope="session")
def label_studio_bin() -> Path:
    exe = repo_root() / ".venv-ls" / "bin" / "label-studio"
    if not exe.is_file():
        pytest.skip("Label Studio is not installed in .venv-ls (bash scripts/setup.sh --live)")
    return exe


@pytest.fixture(scope="session")
def chromium_bin() -> Path:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if not found:
        pytest.skip("Debian's chromium is not installed (bash scripts/setup.sh --live)")
    return Path(found)
