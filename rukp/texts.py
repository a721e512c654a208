"""Texts that annotations were made on, kept by their sha256 (annotations/texts/<sha256>.txt).

A raw annotation set (A, B, C, …) stays as it was made when a new cleaner version changes a
document's text: its `text_sha256` names the text its offsets point into, and that text is kept
here (rukp reanchor stores every old text it moves gold away from). Validation checks such a
set's spans against its own text, with a warning; gold must always match the current text.
"""

from __future__ import annotations

import re
from pathlib import Path

from rukp.io import atomic_open, sha256_text
from rukp.paths import annotations_dir
from rukp.safeio import present, read_text

_SHA256 = re.compile(r"[0-9a-f]{64}")


def texts_dir(root: Path | None = None) -> Path:
    return (root or annotations_dir()) / "texts"


def load_text(sha256: str, folder: Path | None = None) -> str | None:
    """The stored text with this sha256, or None (also when the file does not hash to it).
    `sha256` comes from an annotation file: only 64 hex digits make a file name here, and the
    file is read through rukp.safeio (RukpError when something unreadable is in its place)."""
    if not _SHA256.fullmatch(sha256):
        return None
    path = (folder or texts_dir()) / f"{sha256}.txt"
    if not present(path):
        return None
    text = read_text(path, "text")
    return text if sha256_text(text) == sha256 else None


def store_text(text: str, folder: Path | None = None) -> Path:
    """Keep `text` under its sha256 (idempotent); returns its path."""
    folder = folder or texts_dir()
    path = folder / f"{sha256_text(text)}.txt"
    if not path.is_file():
        with atomic_open(path) as f:
            f.write(text)
    return path
