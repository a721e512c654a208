"""The data version (DATA_VERSION, apart from the package version), `rukp release`, and the
released-split snapshots that keep earlier documents in their split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rukp import __version__
from rukp.build.bump import bump, open_changelog
from rukp.build.release import build, check, default_inputs
from rukp.build.splits import read_manifest, released_path
from rukp.errors import RukpError
from rukp.io import write_jsonl
from rukp.safeio import read_jsonl
from rukp.versions import bumped, check_next, data_version, parse
from tests.build.fixtures import document, gold_for


@pytest.mark.parametrize(
    ("version", "level", "expected"),
    [
        ("1.0.1", "patch", "1.0.2"),
        ("1.0.1", "minor", "1.1.0"),
        ("1.0.1", "major", "2.0.0"),
        ("0.9.12", "minor", "0.10.0"),
        ("2.3.0", "patch", "2.3.1"),
    ],
)
def test_bumped(version: str, level: str, expected: str) -> None:
    assert bumped(version, level) == expected
    assert check_next(version, expected) == level


@pytest.mark.parametrize(
    ("current", "new", "incident"),
    [
        ("1.0.1", "1.0.1", "data-version-backwards"),
        ("1.0.1", "1.0.0", "data-version-backwards"),
        ("1.1.0", "1.0.9", "data-version-backwards"),
        ("1.0.1", "1.0.3", "data-version-skip"),
        ("1.0.1", "1.2.0", "data-version-skip"),
        ("1.0.1", "1.1.1", "data-version-skip"),
        ("1.0.1", "3.0.0", "data-version-skip"),
        ("1.0.1", "1.1", "bad-data-version"),
        ("1.0.1", "1.01.0", "bad-data-version"),
    ],
)
def test_check_next_refuses(current: str, new: str, incident: str) -> None:
    with pytest.raises(RukpError) as exc:
        check_next(current, new)
    assert [i.id for i in exc.value.incidents] == [incident]


def test_parse_refuses_non_semver() -> None:
    assert parse(" 1.10.0\n") == (1, 10, 0)
    with pytest.raises(RukpError):
        parse("v1.0.0")


def _versioned(root: Path, version: str, released: str | None, changelog: str) -> None:
    (root / "DATA_VERSION").write_text(version + "\n", encoding="utf-8")
    (root / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    if released:
        (root / "release").mkdir(parents=True, exist_ok=True)
        (root / "release" / "manifest.json").write_text(
            json.dumps({"version": released}), encoding="utf-8"
        )


CHANGELOG = "# Changelog\n\nIntro.\n\n## Unreleased — code\n\n- x\n\n## 1.0.1 — fixes\n\n- y\n"


def test_bump_writes_the_version_and_opens_a_changelog_section(tmp_path: Path) -> None:
    _versioned(tmp_path, "1.0.1", "1.0.1", CHANGELOG)
    result = bump(tmp_path, level="minor")
    assert (result.old, result.new, result.level, result.changelog_opened) == (
        "1.0.1",
        "1.1.0",
        "minor",
        True,
    )
    assert data_version(tmp_path) == "1.1.0"
    text = (tmp_path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith(
        "# Changelog\n\nIntro.\n\n## Data 1.1.0 — unreleased (opened by `rukp release`)\n\n"
        "Dataset (minor: new documents)\n"
    )
    assert text.endswith("## Unreleased — code\n\n- x\n\n## 1.0.1 — fixes\n\n- y\n")
    # a second bump before 1.1.0 is built would skip it
    with pytest.raises(RukpError) as exc:
        bump(tmp_path, level="patch")
    assert exc.value.incidents[0].id == "data-version-not-built"
    assert data_version(tmp_path) == "1.1.0"


def test_bump_to_refuses_skipping_and_going_back(tmp_path: Path) -> None:
    _versioned(tmp_path, "1.0.1", "1.0.1", CHANGELOG)
    for bad, incident in (("1.0.3", "data-version-skip"), ("1.0.0", "data-version-backwards")):
        with pytest.raises(RukpError) as exc:
            bump(tmp_path, to=bad)
        assert exc.value.incidents[0].id == incident
    assert data_version(tmp_path) == "1.0.1"
    assert (tmp_path / "CHANGELOG.md").read_text(encoding="utf-8") == CHANGELOG
    assert bump(tmp_path, to="2.0.0").level == "major"


def _fifo_manifest(root: Path) -> None:
    import os

    (root / "release" / "manifest.json").unlink()
    os.mkfifo(root / "release" / "manifest.json")


@pytest.mark.parametrize(
    ("spoil", "incident"),
    [
        (_fifo_manifest, "not-a-regular-file"),  # once blocked the bump forever
        (lambda root: (root / "CHANGELOG.md").write_bytes(b"# Caf\xe9\n"), "not-utf8"),
        (lambda root: (root / "DATA_VERSION").write_bytes(b"1.0.\xff\n"), "not-utf8"),
        (lambda root: (root / "DATA_VERSION").write_text("x" * 99), "bad-data-version"),
    ],
)
def test_bump_reads_its_files_through_safeio(spoil, incident: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A manifest, CHANGELOG or DATA_VERSION that cannot be read stops the bump with its
    incident, and nothing is written."""
    _versioned(tmp_path, "1.0.1", "1.0.1", CHANGELOG)
    spoil(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    with pytest.raises(RukpError) as exc:
        bump(tmp_path, level="patch")
    assert [i.id for i in exc.value.incidents] == [incident]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    if incident == "bad-data-version":  # a long value is shown cut, not whole
        assert f"data version {'x' * 40 + '…'!r} is not MAJOR" in exc.value.incidents[0].message


def test_open_changelog_keeps_an_existing_section() -> None:
    text = "# Changelog\n\n## 1.1.0 — new documents\n\n- z\n"
    assert open_changelog(text, "1.1.0", "minor") == text
    assert "## Data 1.1.1" in open_changelog(text, "1.1.1", "patch")
    assert "## Data 1.1.0" in open_changelog("# C\n\n## 11.1.0 — x\n", "1.1.0", "minor")
    assert "## Data 1.2.0" in open_changelog(
        "# C\n\n## Unreleased (cleaner 1.2.0)\n", "1.2.0", "minor"
    )


def test_release_cli_bumps_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rukp.cli import main

    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "labels.json").write_text("{}", encoding="utf-8")
    _versioned(tmp_path, "1.0.1", "1.0.1", CHANGELOG)
    monkeypatch.setenv("RUKP_ROOT", str(tmp_path))
    assert main(["release"]) == 0
    assert "data version 1.0.1 (DATA_VERSION)" in capsys.readouterr().out
    assert main(["release", "--bump", "patch"]) == 0
    assert "1.0.1 -> 1.0.2 (patch)" in capsys.readouterr().out
    assert main(["release", "--to", "1.0.4"]) == 1
    assert "data-version-not-built" in capsys.readouterr().err


def test_build_writes_data_version_not_package_version(repo: Path) -> None:
    (repo / "DATA_VERSION").write_text("3.2.1\n", encoding="utf-8")
    assert __version__ != "3.2.1"
    build(default_inputs(repo), repo / "release")
    manifest = json.loads((repo / "release" / "manifest.json").read_text(encoding="utf-8"))
    readme = (repo / "release" / "README.md").read_text(encoding="utf-8")
    assert manifest["version"] == "3.2.1"
    assert readme.count("  version: 3.2.1\n") == 5  # one per config
    assert "@misc{rukp_3_2_1," in readme and "note   = {Dataset version 3.2.1}" in readme
    assert released_path(repo / "splits", "3.2.1").is_file()


def _add_document(repo: Path, doc_id: str, language: str, text: str) -> None:
    docs_path = repo / "build" / "ingest" / "documents.jsonl"
    rows = [r for _, r in read_jsonl(docs_path, "documents")] + [document(doc_id, language, text)]
    write_jsonl(docs_path, rows)
    g = gold_for(doc_id, text, [("Pjöngjang", 0, "GPE", "north_korea")])
    (repo / "annotations" / "gold" / f"{doc_id}.json").write_text(json.dumps(g), encoding="utf-8")


def test_new_documents_join_their_story_or_the_hash_rule_and_old_rows_stay(repo: Path) -> None:
    inp = default_inputs(repo)
    first = build(inp, repo / "release")
    version = data_version(repo)
    before = read_manifest(released_path(repo / "splits", version))
    assert {d: r.split for d, r in before.items()} == {
        d: r.split for d, r in first.split_rows.items()
    }
    (repo / "DATA_VERSION").write_text("1.1.0\n", encoding="utf-8")
    # one new document of the test story (2024-10-troop-deployment), one without a story:
    # sha256("new_b") ends in a hex number whose value mod 10 is below 8, so it goes to train
    _add_document(repo, "new_a", "de", "Truppen\n\nSoldaten aus Pjöngjang in Kursk.")
    _add_document(repo, "new_b", "de", "Gipfel\n\nEin Treffen in Pjöngjang im Herbst.")
    with open(repo / "splits" / "stories.csv", "a", encoding="utf-8") as f:
        f.write("new_a,2024-10-troop-deployment,test\n")
    result = build(inp, repo / "release")
    assert result.split_rows["new_a"].split == "test"
    assert result.split_rows["new_a"].cluster == "2024-10-troop-deployment"
    assert (result.split_rows["new_b"].split, result.split_rows["new_b"].cluster) == (
        "train",
        "new_b",
    )
    for doc_id, row in before.items():
        assert result.split_rows[doc_id].split == row.split
    after = read_manifest(released_path(repo / "splits", "1.1.0"))
    assert set(after) == set(before) | {"new_a", "new_b"}
    assert read_manifest(released_path(repo / "splits", version)) == before  # left alone
    readme = (repo / "release" / "README.md").read_text(encoding="utf-8")
    assert "- `de`: 2 document(s)" in readme  # the card's languages follow the rows
    assert "11 documents in 9 languages" in readme
    assert check(inp, repo / "release") == []


def test_a_moved_released_row_is_refused_by_build_and_check(repo: Path) -> None:
    inp = default_inputs(repo)
    build(inp, repo / "release")
    version = data_version(repo)
    manifest = repo / "splits" / "manifest.csv"
    text = manifest.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("003_522fb53f6a6fd6fe,"))
    assert row.split(",")[2] == "test"
    moved = text.replace(row, row.replace(",test,", ",train,"))
    assert moved != text
    manifest.write_text(moved, encoding="utf-8")
    incidents = check(inp, repo / "release")
    assert [(i.id, i.doc_id) for i in incidents if i.id == "split-row-moved"] == [
        ("split-row-moved", "003_522fb53f6a6fd6fe")
    ]
    with pytest.raises(RukpError) as exc:
        build(inp, repo / "release")
    ids = [(i.id, i.doc_id) for i in exc.value.incidents]
    assert ("split-row-moved", "003_522fb53f6a6fd6fe") in ids
    assert f"released in {version} in test, now assigned to train" in exc.value.format()


def test_check_wants_the_snapshot_committed(repo: Path) -> None:
    inp = default_inputs(repo)
    build(inp, repo / "release")
    released_path(repo / "splits", data_version(repo)).unlink()
    assert [i.id for i in check(inp, repo / "release")] == ["split-snapshot-stale"]


def test_the_note_on_an_old_release_never_blocks_on_its_manifest(tmp_path: Path) -> None:
    """`rukp build --out DIR` compares DIR's old manifest with the new one: a FIFO there was
    opened and blocked the build; now it is refused by rukp.safeio and the note skipped."""
    import os

    from rukp.build.release import _same_version_note

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (new / "manifest.json").write_text(json.dumps({"version": "1.0.1", "data_sha256": "b"}))
    os.mkfifo(old / "manifest.json")
    assert _same_version_note(old, new) == []
    (old / "manifest.json").unlink()
    (old / "manifest.json").write_text(json.dumps({"version": "1.0.1", "data_sha256": "a"}))
    assert [i.id for i in _same_version_note(old, new)] == ["data-changed-same-version"]
