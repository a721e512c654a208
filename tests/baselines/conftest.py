"""A tiny synthetic release built with `datasets`, features and layout as in docs/ARCHITECTURE.md.

Baselines are scored by the real scorer (rukp.evaluate), which checks every file against the
manifest's sha256, so the manifest lists real hashes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rukp.labels import load_labels
from rukp.safeio import sha256_file

DOCS = ["d0", "d1", "d2", "d3", "d4"]
SPLIT_OF = {"d0": "train", "d1": "train", "d2": "train", "d3": "validation", "d4": "test"}
LANG_OF = {"d0": "en", "d1": "fr", "d2": "en", "d3": "it", "d4": "en"}
PEOPLE = ["Putin", "Kim", "Shoigu", "Lavrov"]
PLACES = ["Moskva", "Pyongyang", "Kyiv", "Seoul"]


def features() -> dict[str, Any]:
    """The release features (the builder's own, so the tiny release has the real layout)."""
    from rukp.build.rows import features as release_features

    return release_features(load_labels())


def _sentence(k: int, i: int) -> tuple[list[str], list[str], list[str], str | None]:
    """Tokens, tags, event types and trigger word of sentence i of document k."""
    p, q = PEOPLE[(k + i) % 4], PEOPLE[(k + i + 1) % 4]
    g, h = PLACES[(k + i) % 4], PLACES[(k + i + 2) % 4]
    kind = i % 3
    if kind == 0:
        toks = [p, "met", q, "in", g, "."]
        return toks, ["B-PER", "O", "B-PER", "O", "B-GPE", "O"], ["CONSULT"], "met"
    if kind == 1:
        toks = [g, "attacked", h, "yesterday", "."]
        return toks, ["B-GPE", "O", "B-GPE", "O", "O"], ["ASSAULT"], "attacked"
    return ["The", "weather", "was", "calm", "."], ["O"] * 5, [], None


def release_rows(
    stance_labels: dict[str, list[str]] | None = None, n_sent: int = 6
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Rows per config and split. Stance labels per document default to a separable pattern."""
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {
        c: {"train": [], "validation": [], "test": []} for c in ("ner", "stance", "events")
    }
    default = {
        "d0": ["FAVOR", "AGAINST", "FAVOR", "AGAINST"],
        "d1": ["FAVOR", "FAVOR", "AGAINST", "FAVOR"],
        "d2": ["AGAINST", "FAVOR", "AGAINST", "FAVOR"],
        "d3": ["FAVOR", "AGAINST", "AGAINST", "FAVOR"],
        "d4": ["AGAINST", "FAVOR", "FAVOR", "AGAINST"],
    }
    labels = stance_labels or default
    for k, doc in enumerate(DOCS):
        split, lang = SPLIT_OF[doc], LANG_OF[doc]
        offset = 0
        for i in range(n_sent):
            toks, tags, etypes, trig = _sentence(k, i)
            starts, ends, pos = [], [], offset
            for t in toks:
                starts.append(pos)
                ends.append(pos + len(t))
                pos += len(t) + 1
            text = " ".join(toks)
            sid = f"{doc}/{i}"
            rows["ner"][split].append(
                {
                    "id": sid,
                    "doc_id": doc,
                    "sentence_index": i,
                    "language": lang,
                    "tokens": toks,
                    "token_starts": starts,
                    "token_ends": ends,
                    "ner_tags": tags,
                }
            )
            mentions = []
            if trig:
                ts = offset + text.index(trig)
                mentions.append(
                    {
                        "id": f"v{i}",
                        "trigger": trig,
                        "start": ts,
                        "end": ts + len(trig),
                        "type": etypes[0],
                        "mode": None,
                        "factuality": "asserted",
                        "sources": [],
                        "targets": [],
                    }
                )
            rows["events"][split].append(
                {
                    "id": sid,
                    "doc_id": doc,
                    "sentence_index": i,
                    "language": lang,
                    "text": text,
                    "start": offset,
                    "end": offset + len(text),
                    "types": etypes,
                    "mentions": mentions,
                }
            )
            offset += len(text) + 1
        for j, label in enumerate(labels.get(doc, [])):
            who = PEOPLE[(k + j) % 4]
            verb = "warmly welcomes and supports" if label == "FAVOR" else "firmly condemns"
            evidence = f"{who} {verb} the arms deal"
            rows["stance"][split].append(
                {
                    "id": f"{doc}/s{j}",
                    "doc_id": doc,
                    "language": lang,
                    "holder": who.lower(),
                    "holder_name": who,
                    "target": "RU-KP-MILCOOP",
                    "label": label,
                    "attribution": "reported",
                    "evidence": evidence,
                    "evidence_start": 0,
                    "evidence_end": len(evidence),
                    "context": evidence + ".",
                    "context_start": 0,
                    "context_end": len(evidence) + 1,
                }
            )
    return rows


def write_release(root: Path, rows: dict[str, dict[str, list[dict[str, Any]]]]) -> Path:
    from datasets import Dataset

    feats = features()
    files: dict[str, str] = {}
    counts = {
        cfg: {split: len(items) for split, items in splits.items()} for cfg, splits in rows.items()
    }
    for cfg, splits in rows.items():
        for split, items in splits.items():
            if not items:
                continue  # like `rukp build`: a split without rows is omitted
            rel = f"{cfg}/{split}-00000-of-00001.parquet"
            (root / cfg).mkdir(parents=True, exist_ok=True)
            Dataset.from_list(items, features=feats[cfg]).to_parquet(str(root / rel))
            files[rel] = sha256_file(root / rel, "release-file")
    folds = [
        {"fold": k, "test": [d], "train": [x for x in DOCS if x != d]} for k, d in enumerate(DOCS)
    ]
    (root / "folds").mkdir(parents=True, exist_ok=True)
    (root / "folds" / "loo.json").write_text(json.dumps({"folds": folds}), encoding="utf-8")
    (root / "manifest.json").write_text(
        json.dumps({"version": "0.0.1", "files": files, "rows": counts}), encoding="utf-8"
    )
    return root


@pytest.fixture
def release(tmp_path: Path) -> Path:
    return write_release(tmp_path / "release", release_rows())
