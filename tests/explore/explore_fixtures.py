"""A tiny release built by the builder's own row code (rukp.build.rows), with hostile text, and
leaderboard entries whose predictions make every error category once.

Test document `d2` (French, test split), gold entities and what the NER system "nasty" predicts:
  e1 Séoul (title)   GPE  -> B-GPE               correct
  e2 Corée du Sud    GPE  -> B-LOC on "Corée"    wrong type and boundary
  e3 Russie          GPE  -> B-NORP              wrong type
  e4 Corée du Nord   GPE  -> B-GPE I-GPE "Corée du"   wrong boundary
  e5 Séoul (end)     GPE  -> O                   missed
  "coopération"           -> B-ORG               spurious
So gold 5 (correct 1, wrong type 1, boundary 1, both 1, missed 1) and predicted 5 (correct 1,
type 1, boundary 1, both 1, spurious 1); the scorer: support 5, predicted 5, tp 1.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rukp.build.inputs import Gold
from rukp.build.rows import build_rows
from rukp.build.splits import SplitRow
from rukp.documents import document_from_text
from rukp.evaluate.synthetic import write_release
from rukp.explore import explore
from rukp.labels import load_labels
from rukp.leaderboard import add_submission

SCRIPT = "<script>alert('x')</script>"
# `rukp leaderboard add` only takes names of the one name rule (rukp.safeio), but a stored entry
# is read by its file name: a hand-placed `<script>alert('x').json` (no '/' in a file name, so no
# closing tag) still loads, and its name must reach the pages escaped.
NASTY_NAME = "<script>alert('x')"
NASTY_DESC = "<script>document.title='pwned'</script> & \"quotes\""

TEXTS = {
    "d1": "Putin meets Kim\n\nPutin met Kim Jong Un in Pyongyang. Russia sends shells to North "
    "Korea.",
    "d2": f"Séoul {SCRIPT} condamne\n\nLa Corée du Sud condamne la coopération entre la Russie "
    "et la Corée du Nord à Séoul.",
    "d3": "Mosca e Pyongyang firmano\n\nLa Russia e la Corea del Nord firmano un trattato.",
}
LANG = {"d1": "en", "d2": "fr", "d3": "it"}
SPLIT = {"d1": "train", "d2": "test", "d3": "validation"}
STORY = {"d1": "summit", "d2": "troops", "d3": "treaty"}
URL = {"d1": "https://example.org/a?b=1&c=<x>", "d2": "javascript:alert(1)", "d3": None}

# (text, occurrence, type, canonical id)
ENTITIES = {
    "d1": [
        ("Putin", 0, "PER", "putin"),
        ("Kim", 0, "PER", "kim_jong_un"),
        ("Putin", 1, "PER", "putin"),
        ("Kim Jong Un", 0, "PER", "kim_jong_un"),
        ("Pyongyang", 0, "GPE", "pyongyang"),
        ("Russia", 0, "GPE", "russia"),
        ("North Korea", 0, "GPE", "north_korea"),
    ],
    "d2": [
        ("Séoul", 0, "GPE", "seoul"),
        ("Corée du Sud", 0, "GPE", "south_korea"),
        ("Russie", 0, "GPE", "russia"),
        ("Corée du Nord", 0, "GPE", "north_korea"),
        ("Séoul", 1, "GPE", "seoul"),
    ],
    "d3": [
        ("Mosca", 0, "GPE", "russia"),
        ("Pyongyang", 0, "GPE", "north_korea"),
        ("Russia", 0, "GPE", "russia"),
        ("Corea del Nord", 0, "GPE", "north_korea"),
    ],
}
# (trigger, occurrence, type, mode, factuality, sources, targets)
EVENTS = {
    "d1": [
        ("meets", 0, "CONSULT", None, "asserted", ["putin"], ["kim_jong_un"]),
        ("met", 0, "CONSULT", "visit", "asserted", ["putin"], ["kim_jong_un"]),
        ("sends", 0, "AID", "military", "asserted", ["russia"], ["north_korea"]),
    ],
    "d2": [
        ("condamne", 0, "DISAPPROVE", "disapprove", "asserted", ["seoul"], ["russia"]),
        ("condamne", 1, "DISAPPROVE", "disapprove", "asserted", ["south_korea"], ["russia"]),
        ("coopération", 0, "COOPERATE", None, "possible", ["russia", "north_korea"], []),
    ],
    "d3": [("firmano", 1, "AGREE", None, "future", ["russia", "north_korea"], [])],
}
# (id, holder, label, attribution, evidence text)
STANCES = {
    "d1": [("s1", "russia", "FAVOR", "reported", "Russia sends shells to North Korea")],
    "d2": [
        ("s1", "south_korea", "AGAINST", "reported", "La Corée du Sud condamne la coopération"),
        ("s2", None, "NEUTRAL", "author", f"Séoul {SCRIPT} condamne"),
    ],
    "d3": [("s1", "russia", "FAVOR", "reported", "firmano un trattato")],
}
REGISTRY = {
    "entities": [
        {"id": "putin", "type": "PER", "names": {"en": ["Vladimir Putin"], "fr": ["Poutine"]}},
        {"id": "kim_jong_un", "type": "PER", "names": {"en": ["Kim Jong Un"]}},
        {"id": "pyongyang", "type": "GPE", "names": {"en": ["Pyongyang"]}},
        {
            "id": "russia",
            "type": "GPE",
            "names": {"en": ["Russia"], "fr": ["Russie"], "it": ["Russia", "Mosca"]},
            "aliases": [{"name": "Россия", "lang": "ru", "from": ["cldr"]}],
        },
        {"id": "north_korea", "type": "GPE", "names": {"en": ["North Korea"]}},
        {"id": "south_korea", "type": "GPE", "names": {"en": ["South Korea"]}},
        {
            "id": "seoul",
            "type": "GPE",
            "names": {"en": ["Seoul"], "fr": ["Séoul"]},
            "aliases": [{"name": "<img src=x onerror=alert(1)>", "lang": "ko", "from": ["hand"]}],
        },
    ]
}


def _at(text: str, needle: str, nth: int) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos, pos + len(needle)


def gold_sets() -> dict[str, Gold]:
    out = {}
    for d, text in TEXTS.items():
        ents = []
        for k, (needle, nth, typ, cid) in enumerate(ENTITIES[d], 1):
            s, e = _at(text, needle, nth)
            ents.append(
                {
                    "id": f"e{k}",
                    "start": s,
                    "end": e,
                    "text": needle,
                    "type": typ,
                    "canonical_id": cid,
                }
            )
        events = []
        for k, (needle, nth, typ, mode, fact, src, tgt) in enumerate(EVENTS[d], 1):
            s, e = _at(text, needle, nth)
            events.append(
                {
                    "id": f"v{k}",
                    "trigger": {"start": s, "end": e, "text": needle},
                    "type": typ,
                    "mode": mode,
                    "sources": src,
                    "targets": tgt,
                    "factuality": fact,
                }
            )
        stances = []
        for sid, holder, label, attribution, evidence in STANCES[d]:
            s, e = _at(text, evidence, 0)
            stances.append(
                {
                    "id": sid,
                    "holder": holder,
                    "target": "RU-KP-MILCOOP",
                    "label": label,
                    "attribution": attribution,
                    "evidence": {"start": s, "end": e, "text": evidence},
                }
            )
        doc = document_from_text(d, text, LANG[d])
        out[d] = Gold(d, doc.text_sha256, Path(f"{d}.json"), ents, stances, events)
    return out


def write_inputs(root: Path) -> dict[str, Path]:
    """Release, registry and sources.csv under `root`; returns their paths."""
    labels = load_labels()
    docs = {}
    for d, text in TEXTS.items():
        doc = document_from_text(d, text, LANG[d])
        doc.url = URL[d]
        doc.outlet = "<b>Le Monde</b>" if d == "d2" else None
        doc.published = "2024-10-21" if d == "d2" else None
        docs[d] = doc
    gold = gold_sets()
    splits = {d: SplitRow(d, docs[d].text_sha256, SPLIT[d], STORY[d]) for d in TEXTS}
    registry = {e["id"]: e for e in REGISTRY["entities"]}
    rows = build_rows(docs, gold, splits, registry, labels)
    release = write_release(root / "release", rows.by_config, "0.3.0")
    reg = root / "entities.json"
    reg.write_text(json.dumps(REGISTRY, ensure_ascii=False), encoding="utf-8")
    sources = root / "sources.csv"
    with open(sources, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "licence_note"])
        for d in TEXTS:
            w.writerow([d, f"note for {d} {SCRIPT}"])
    return {"release": release, "registry": reg, "sources": sources}


def release_rows(release: Path, config: str, split: str) -> list[dict[str, Any]]:
    from rukp.evaluate.release import read_manifest
    from rukp.explore.data import read_rows

    return read_rows(release, read_manifest(release), f"{config}/{split}-00000-of-00001.parquet")


def nasty_ner_predictions(release: Path) -> list[dict[str, Any]]:
    """The NER predictions of the module docstring (from the test rows' tokens)."""
    preds = []
    for row in release_rows(release, "ner", "test"):
        toks = row["tokens"]
        tags = ["O"] * len(toks)
        if row["sentence_index"] == 0:
            tags[toks.index("Séoul")] = "B-GPE"
        else:
            i = toks.index("Corée")
            tags[i] = "B-LOC"  # Corée du Sud -> Corée as LOC
            tags[toks.index("Russie")] = "B-NORP"
            j = toks.index("Corée", i + 1)
            tags[j], tags[j + 1] = "B-GPE", "I-GPE"  # Corée du Nord -> Corée du
            tags[toks.index("coopération")] = "B-ORG"
        preds.append({"id": row["id"], "tags": tags})
    return preds


def oracle(release: Path, task: str) -> list[dict[str, Any]]:
    key, col = {
        "ner": ("tags", "ner_tags"),
        "stance": ("label", "label"),
        "events": ("types", "types"),
    }[task]
    return [{"id": r["id"], key: r[col]} for r in release_rows(release, task, "test")]


STANCE_PREDS = [{"id": "d2/s1", "label": "AGAINST"}, {"id": "d2/s2", "label": "FAVOR"}]
EVENT_PREDS = [
    {"id": "d2/0", "types": ["DISAPPROVE"]},
    {"id": "d2/1", "types": ["DISAPPROVE", "AID"]},
]


def write_preds(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@dataclass
class World:
    root: Path
    release: Path
    registry: Path
    sources: Path
    leaderboard: Path
    predictions: Path

    def explore(self, out: Path | None = None):  # type: ignore[no-untyped-def]
        return explore(
            self.release,
            out or self.root / "explorer",
            leaderboard=self.leaderboard,
            prediction_dirs=[self.predictions],
            registry=self.registry,
            sources=self.sources,
        )


def make_world(root: Path) -> World:
    paths = write_inputs(root)
    release = paths["release"]
    lb = root / "leaderboard"
    preds = root / "predictions"
    entries = [
        ("nasty", NASTY_DESC, "ner", "nasty.ner.test.jsonl", nasty_ner_predictions(release)),
        ("oracle", "the gold tags", "ner", "oracle.ner.test.jsonl", oracle(release, "ner")),
        ("stancer", "s2 wrong", "stance", "stancer.stance.test.jsonl", STANCE_PREDS),
        ("eventer", "COOPERATE missed, AID extra", "events", "ev.events.test.jsonl", EVENT_PREDS),
        ("lost", "predictions file gone", "ner", "lost.ner.test.jsonl", oracle(release, "ner")),
        ("changed", "file changed", "ner", "changed.ner.test.jsonl", oracle(release, "ner")),
    ]
    for name, desc, task, fname, rows in entries:
        path = write_preds(preds / fname, rows)
        add_submission(name, desc, task, path, release, root=lb, bootstrap=0)
    stored = lb / "submissions" / "ner" / "nasty.json"
    entry = json.loads(stored.read_text("utf-8"))
    entry["name"] = NASTY_NAME
    (stored.parent / f"{NASTY_NAME}.json").write_text(json.dumps(entry), "utf-8")
    stored.unlink()
    (preds / "lost.ner.test.jsonl").unlink()
    write_preds(preds / "changed.ner.test.jsonl", nasty_ner_predictions(release))
    # an entry scored on other data (another release of the stance config)
    old = write_release(
        root / "old-release",
        {"stance": {"test": [{"id": "d2/s1", "doc_id": "d2", "language": "fr", "label": "FAVOR"}]}},
        "0.1.0",
    )
    path = write_preds(root / "old" / "old.stance.test.jsonl", [{"id": "d2/s1", "label": "FAVOR"}])
    add_submission("old-run", "scored on 0.1.0", "stance", path, old, root=lb, bootstrap=0)
    return World(root, release, paths["registry"], paths["sources"], lb, preds)
