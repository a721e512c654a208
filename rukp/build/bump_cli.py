"""`rukp release [--bump major|minor|patch | --to X.Y.Z]`: show or open the data version."""

from __future__ import annotations

import argparse

from rukp import __version__
from rukp.build.bump import LEVEL_MEANING, bump, released_version
from rukp.paths import repo_root
from rukp.versions import LEVELS, data_version


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--bump",
        choices=LEVELS,
        help="open the next data version: "
        + "; ".join(f"{lv} = {LEVEL_MEANING[lv]}" for lv in LEVELS),
    )
    group.add_argument(
        "--to", metavar="X.Y.Z", help="open this version (must be the next major, minor or patch)"
    )


def run(args: argparse.Namespace) -> int:
    root = repo_root()
    if not args.bump and not args.to:
        print(f"data version {data_version(root)} (DATA_VERSION)")
        print(f"release/ built at {released_version(root / 'release') or '(none)'}")
        print(f"package (code) version {__version__}")
        return 0
    result = bump(root, level=args.bump, to=args.to)
    print(f"data version {result.old} -> {result.new} ({result.level}); DATA_VERSION written")
    if result.changelog_opened:
        print(f"CHANGELOG.md: section 'Data {result.new}' opened; fill it in")
    else:
        print(f"CHANGELOG.md already has a section for {result.new}")
    print("next: `rukp build` writes the release at the new version, then `rukp build --check`")
    return 0
