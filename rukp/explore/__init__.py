"""The explorer: a static site of the release's documents, entities and every system's errors.

`rukp explore` reads the release, the canonical registry, the leaderboard entries and the
prediction files they name, and writes HTML/CSS/JS/PNG that works from file:// with no server
and no network (docs/explore.md).
"""

from rukp.explore.site import ExploreResult, explore

__all__ = ["ExploreResult", "explore"]
