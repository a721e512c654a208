"""A tiny release with hostile text, a leaderboard over it, and the explorer written from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from explore_fixtures import World, make_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path_factory.mktemp("explore"))


@pytest.fixture(scope="module")
def site(world: World) -> Path:
    result = world.explore()
    return result.out
