"""Where the repository's folders are. RUKP_ROOT overrides the checkout root."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    env = os.environ.get("RUKP_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[1]
    if (here / "schema").is_dir():
        return here
    cwd = Path.cwd().resolve()
    for cand in (cwd, *cwd.parents):
        if (cand / "schema" / "labels.json").is_file():
            return cand
    raise FileNotFoundError(
        "cannot find the rukp checkout (a folder with schema/labels.json); set RUKP_ROOT"
    )


def schema_dir() -> Path:
    return repo_root() / "schema"


def raw_dir() -> Path:
    return repo_root() / "raw"


def annotations_dir() -> Path:
    return repo_root() / "annotations"


def build_dir() -> Path:
    """Scratch output of the pipeline (not committed)."""
    return repo_root() / "build"


def cleaned_documents_path() -> Path:
    return build_dir() / "ingest" / "documents.jsonl"


def release_dir() -> Path:
    return repo_root() / "release"
