"""README, pyproject, the code's LICENSE, the card source and the built release say the same
licences: MIT for the code, CC BY 4.0 for annotations, split and statistics, none for the texts."""

from __future__ import annotations

import tomllib

from rukp.paths import repo_root

ROOT = repo_root()


def _read(rel: str) -> str:
    """The file's text with every run of white space made one space (prose is wrapped)."""
    return " ".join((ROOT / rel).read_text(encoding="utf-8").split())


def test_code_is_mit_everywhere() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert _read("LICENSE").startswith("MIT License ")
    readme = _read("README.md")
    licence = readme[readme.index("## Licence") :]
    assert "Code: MIT" in licence
    for rel in ("dataset_card.md", "release/LICENSE.md"):
        assert "the MIT licence" in _read(rel), rel


def test_annotations_cc_by_and_texts_unlicensed_everywhere() -> None:
    for rel in ("README.md", "dataset_card.md", "release/LICENSE.md", "release/README.md"):
        text = _read(rel)
        assert "CC BY 4.0" in text, rel
    for rel in ("dataset_card.md", "release/LICENSE.md", "release/README.md"):
        text = _read(rel)
        assert "No licence to the texts is granted" in text, rel
    # the Hub metadata cannot say CC BY for the whole dataset, since the texts are not licensed:
    # it names a custom licence whose text is release/LICENSE.md
    card_head = (ROOT / "release" / "README.md").read_text(encoding="utf-8").split("---", 2)[1]
    assert "license: other" in card_head and "license_link: LICENSE.md" in card_head
