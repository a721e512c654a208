"""Fixtures for the build tests: a small repository (seed texts + synthetic documents) and one
release built from it, shared by the read-only tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from rukp.build.release import BuildResult, build, default_inputs
from tests.build.fixtures import make_repo


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = tmp_path_factory.mktemp("repo")
    make_repo(root)
    return root, build(default_inputs(root), root / "release")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    make_repo(tmp_path)
    return tmp_path
