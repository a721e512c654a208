"""Synthetic releases in the contract layout, for the scorer's tests and benchmark.

`write_release` writes `<root>/<config>/<split>-00000-of-00001.parquet` with the release features
(docs/ARCHITECTURE.md) and a `manifest.json`; `random_*` make seeded gold rows and noisy
predictions. Nothing here is used to score real submissions.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from rukp.io import write_json
from rukp.labels import load_labels
from rukp.safeio import sha256_file


def features(config: str):  # type: ignore[no-untyped-def]
    """The release features of one config: the builder's own (rukp.build.rows.features)."""
    from rukp.build.rows import features as release_features

    every = release_features(load_labels())
    if config not in every:
        raise ValueError(f"unknown config {config!r}")
    return every[config]


def complete_row(config: str, row: dict[str, Any]) -> dict[str, Any]:
    """Fill the columns a test does not care about with neutral values."""
    lab = load_labels()
    out = dict(row)
    if config == "ner":
        toks = out.setdefault("tokens", [f"w{k}" for k in range(len(out["ner_tags"]))])
        starts, ends, pos = [], [], 0
        for t in toks:
            starts.append(pos)
            ends.append(pos + len(t))
            pos += len(t) + 1
        out.setdefault("token_starts", starts)
        out.setdefault("token_ends", ends)
        out.setdefault("sentence_index", int(out["id"].rsplit("/", 1)[1]))
    elif config == "stance":
        for k in ("holder", "holder_name", "evidence", "context"):
            out.setdefault(k, "")
        for k in ("evidence_start", "evidence_end", "context_start", "context_end"):
            out.setdefault(k, 0)
        out.setdefault("target", lab.stance_targets[0])
        out.setdefault("attribution", lab.stance_attributions[0])
    elif config == "events":
        out.setdefault("sentence_index", int(out["id"].rsplit("/", 1)[1]))
        out.setdefault("text", "")
        out.setdefault("start", 0)
        out.setdefault("end", 0)
        out.setdefault("mentions", [])
    return out


def write_release(
    root: Path, rows: dict[str, dict[str, list[dict[str, Any]]]], version: str = "0.0.1"
) -> Path:
    """Write `rows[config][split]` as a release folder at `root` (Parquet + manifest.json)."""
    from datasets import Dataset

    root = Path(root)
    files: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    for config in sorted(rows):
        for split in sorted(rows[config]):
            rel = f"{config}/{split}-00000-of-00001.parquet"
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            data = [complete_row(config, r) for r in rows[config][split]]
            Dataset.from_list(data, features=features(config)).to_parquet(str(path))
            files[rel] = sha256_file(path, "release-file")
            counts.setdefault(config, {})[split] = len(data)
    write_json(root / "manifest.json", {"version": version, "files": files, "rows": counts})
    return root


# --------------------------------------------------------------------------- random rows


def random_tags(rng: random.Random, n: int, types: tuple[str, ...], p_o: float = 0.6) -> list[str]:
    """Random tags, including ill-formed I- tags (I-X after O or after another type)."""
    out = []
    for _ in range(n):
        if rng.random() < p_o:
            out.append("O")
        else:
            out.append(f"{rng.choice('BI')}-{rng.choice(types)}")
    return out


def perturb_tags(
    rng: random.Random, tags: list[str], types: tuple[str, ...], p: float
) -> list[str]:
    """A noisy copy of `tags`: each tag replaced by a random one with probability p."""
    return [random_tags(rng, 1, types)[0] if rng.random() < p else t for t in tags]


def random_ner(
    seed: int,
    n_docs: int,
    sentences_per_doc: tuple[int, int] = (3, 12),
    tokens_per_sentence: tuple[int, int] = (1, 40),
    noise: float = 0.2,
    languages: tuple[str, ...] = ("en", "fr", "ko", "ru"),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Gold `ner` rows (labels as names) and a noisy submission for them."""
    rng = random.Random(seed)
    types = load_labels().entity_types
    gold: list[dict[str, Any]] = []
    preds: list[dict[str, Any]] = []
    for d in range(n_docs):
        doc = f"d{d:05d}"
        lang = languages[d % len(languages)]
        for s in range(rng.randint(*sentences_per_doc)):
            n = rng.randint(*tokens_per_sentence)
            tags = random_tags(rng, n, types)
            rid = f"{doc}/{s}"
            gold.append(
                {"id": rid, "doc_id": doc, "language": lang, "tokens": ["x"] * n, "ner_tags": tags}
            )
            preds.append({"id": rid, "tags": perturb_tags(rng, tags, types, noise)})
    return gold, preds
