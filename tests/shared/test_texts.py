"""rukp.texts: kept texts are found by their sha256 only, read through rukp.safeio."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rukp.errors import RukpError
from rukp.io import sha256_text
from rukp.texts import load_text, store_text


def test_a_kept_text_round_trips_and_must_hash_to_its_name(tmp_path: Path) -> None:
    text = "Kim Jong Un met Putin\n\nÀ Moscou."
    path = store_text(text, tmp_path)
    assert path.name == f"{sha256_text(text)}.txt"
    assert load_text(sha256_text(text), tmp_path) == text
    path.write_text("another text", encoding="utf-8")
    assert load_text(sha256_text(text), tmp_path) is None  # does not hash to its name
    assert load_text("0" * 64, tmp_path) is None  # nothing there


def test_only_64_hex_digits_make_a_file_name(tmp_path: Path) -> None:
    """The sha256 comes from an annotation file: 64 characters with '../' in them once made a
    path outside the texts folder (the length was the only check)."""
    secret = tmp_path / "x.txt"
    os.mkfifo(secret)  # outside the folder: never looked at (it would be not-a-regular-file)
    folder = tmp_path / "a" / "b" / "texts"
    folder.mkdir(parents=True)
    sneaky = "../" * 3 + "x"
    sneaky = "./" * ((64 - len(sneaky)) // 2) + sneaky
    assert len(sneaky) == 64 and (folder / f"{sneaky}.txt").resolve() == secret
    assert load_text(sneaky, folder) is None
    assert load_text(sha256_text("x").upper(), folder) is None


def test_something_unreadable_in_place_of_a_text_is_an_incident(tmp_path: Path) -> None:
    sha = sha256_text("t")
    os.mkfifo(tmp_path / f"{sha}.txt")
    with pytest.raises(RukpError) as exc:
        load_text(sha, tmp_path)
    assert [i.id for i in exc.value.incidents] == ["not-a-regular-file"]
