"""A tiny release and a Chromium binary for the leaderboard tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from leaderboard_fixtures import NER_GOLD, STANCE_GOLD

from rukp.evaluate.synthetic import write_release


@pytest.fixture()
def release(tmp_path: Path) -> Path:
    return write_release(
        tmp_path / "release", {"ner": {"test": NER_GOLD}, "stance": {"test": STANCE_GOLD}}, "0.2.0"
    )


@pytest.fixture()
def browser(request: pytest.FixtureRequest) -> str:
    """The project's `chromium_bin` fixture when tests/conftest.py provides it, else `chromium`."""
    try:
        return str(request.getfixturevalue("chromium_bin"))
    except pytest.FixtureLookupError:
        found = shutil.which("chromium")
        if not found:
            pytest.skip("chromium is not installed (scripts/setup.sh --live installs it)")
        return found
