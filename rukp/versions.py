"""The data version: the release's own semantic version, kept apart from the package version.

`DATA_VERSION` (one line, `MAJOR.MINOR.PATCH`, at the top of the checkout) is the one place that
holds it. The build writes it into the card, the manifest and the citation; the scorer reads it
back from the release's manifest.json, so a score names the data it was computed on. The
package version (`rukp.__version__`) names the code: a scorer fix and a data change are
versioned apart. Semantic versioning of the data: major = split or label-set change,
minor = new documents, patch = annotation fixes.
"""

from __future__ import annotations

import re
from pathlib import Path

from rukp.errors import RukpError
from rukp.paths import repo_root
from rukp.safeio import read_text, shown

DATA_VERSION_FILE = "DATA_VERSION"
LEVELS = ("major", "minor", "patch")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def parse(version: str, file: str | None = None) -> tuple[int, int, int]:
    """(major, minor, patch) of a strict `X.Y.Z` version (no leading zeros, no suffix)."""
    m = _SEMVER.fullmatch(version.strip())
    if not m:
        found = version.strip()
        found = found if len(found) <= 40 else found[:40] + "…"
        raise RukpError.single(
            "bad-data-version",
            f"data version {found!r} is not MAJOR.MINOR.PATCH (e.g. 1.0.1)",
            file=file,
            hint="datasets.Version accepts only x.y.z with non-negative integers",
        )
    return int(m[1]), int(m[2]), int(m[3])


def data_version_path(root: Path | None = None) -> Path:
    return (root or repo_root()) / DATA_VERSION_FILE


def data_version(root: Path | None = None) -> str:
    """The data version written in `DATA_VERSION` (checked to be `X.Y.Z`)."""
    return read_data_version(data_version_path(root))


def read_data_version(path: Path) -> str:
    """The version held by a DATA_VERSION file (checked to be `X.Y.Z`)."""
    text = read_text(
        path,
        "config",
        missing=(
            "data-version-missing",
            "the checkout's top folder holds DATA_VERSION with one line such as 1.0.1",
        ),
    )
    parse(text, shown(path))
    return text.strip()


def bumped(version: str, level: str) -> str:
    """The next version at `level`: 1.0.1 → major 2.0.0, minor 1.1.0, patch 1.0.2."""
    major, minor, patch = parse(version)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise RukpError.single(
        "bad-bump-level", f"unknown level {level!r}; allowed: {', '.join(LEVELS)}"
    )


def check_next(current: str, new: str) -> str:
    """The level of `current` → `new`; refuses going backwards, staying, or skipping a version."""
    old_t, new_t = parse(current), parse(new)
    if new_t <= old_t:
        raise RukpError.single(
            "data-version-backwards",
            f"{new} is not after the current data version {current}",
            hint="a data version only goes forward; allowed next versions: "
            + ", ".join(bumped(current, lv) for lv in LEVELS),
        )
    for level in LEVELS:
        if bumped(current, level) == new:
            return level
    raise RukpError.single(
        "data-version-skip",
        f"{new} skips a version after {current}",
        hint="allowed next versions: " + ", ".join(bumped(current, lv) for lv in LEVELS),
    )
