"""`rukp release --bump LEVEL` / `--to X.Y.Z`: open the next data version.

The base is the current DATA_VERSION, and only when the committed release (release/manifest.json)
was built at that version: a version that was opened but never built cannot be skipped over.
The new version is written to DATA_VERSION and a CHANGELOG section is opened for it; the next
`rukp build` writes it into the card, the manifest and the citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rukp.errors import RukpError
from rukp.io import atomic_open
from rukp.safeio import present, read_json, read_text
from rukp.versions import (
    DATA_VERSION_FILE,
    LEVELS,
    bumped,
    check_next,
    read_data_version,
)

CHANGELOG = "CHANGELOG.md"
LEVEL_MEANING = {
    "major": "split or label-set change",
    "minor": "new documents",
    "patch": "annotation fixes",
}


@dataclass(slots=True)
class Bump:
    old: str
    new: str
    level: str
    changelog_opened: bool


def released_version(release_dir: Path) -> str | None:
    """The version in release/manifest.json, or None when there is no manifest or it names no
    version; a manifest that cannot be read (rukp.safeio) is an error, not "no release"."""
    manifest = Path(release_dir) / "manifest.json"
    if not present(manifest):
        return None
    data = read_json(manifest, "release-file")
    version = data.get("version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None


def changelog_section(version: str, level: str) -> str:
    return (
        f"## Data {version} — unreleased (opened by `rukp release`)\n\n"
        f"Dataset ({level}: {LEVEL_MEANING[level]})\n"
        "- (say what changed in the data: documents added with their languages and stories, "
        "annotation fixes, split changes; then `rukp build`)\n\n"
    )


def _has_section(changelog: str, version: str) -> bool:
    """A section headed `## X.Y.Z …` or `## Data X.Y.Z …` (as releases and this tool write)."""
    pattern = rf"^## (?:Data )?{re.escape(version)}(?![\d.])"
    return re.search(pattern, changelog, re.M) is not None


def open_changelog(text: str, version: str, level: str) -> str:
    """`text` with a section for `version` before the first `## ` section (unchanged if it
    already has one)."""
    if _has_section(text, version):
        return text
    section = changelog_section(version, level)
    m = re.search(r"^## ", text, re.M)
    if m is None:
        return text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    return text[: m.start()] + section + text[m.start() :]


def bump(root: Path, level: str | None = None, to: str | None = None) -> Bump:
    """Write the next data version to DATA_VERSION and open its CHANGELOG section."""
    if (level is None) == (to is None):
        raise RukpError.single(
            "bad-option", "give exactly one of --bump LEVEL or --to X.Y.Z",
            hint=f"levels: {', '.join(LEVELS)}",
        )  # fmt: skip
    root = Path(root)
    version_file = root / DATA_VERSION_FILE
    current = read_data_version(version_file)
    released = released_version(root / "release")
    if released is not None and released != current:
        raise RukpError.single(
            "data-version-not-built",
            f"DATA_VERSION says {current} but release/ was built at {released}",
            file=str(version_file),
            hint=f"build {current} (`rukp build`) before opening the next version; to change "
            f"the level of the open version instead, put {released} back into DATA_VERSION and "
            "remove its CHANGELOG section",
        )
    if to is not None:
        new = to.strip()
        level = check_next(current, new)
    else:
        new = bumped(current, str(level))
    changelog = root / CHANGELOG
    old_text = read_text(changelog, "text") if present(changelog) else "# Changelog\n"
    new_text = open_changelog(old_text, new, str(level))
    if new_text != old_text:
        with atomic_open(changelog) as f:
            f.write(new_text)
    with atomic_open(version_file) as f:
        f.write(new + "\n")
    return Bump(current, new, str(level), new_text != old_text)
