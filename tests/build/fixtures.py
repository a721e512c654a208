"""A small hand-made build fixture: seed texts with hand-chosen annotations, plus synthetic
documents in other languages and scripts. Offsets are located from (surface, occurrence) pairs
written by hand, so the fixture stays readable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from rukp.io import sha256_text, write_jsonl
from rukp.paths import repo_root

ROOT = repo_root()
EXPECTED = ROOT / "tests" / "ingest" / "expected"
SEEDS = {
    "000_0c8f196507d21063": "fr",
    "001_f1f761c062743d2a": "it",
    "003_522fb53f6a6fd6fe": "fr",
    "004_25ce6273a6f2b184": "en",
}

# (surface, occurrence index, type, canonical id)
ENTITIES: dict[str, list[tuple[str, int, str, str | None]]] = {
    "000_0c8f196507d21063": [
        ("États-Unis", 0, "GPE", "usa"),
        ("Corée du Sud", 0, "GPE", "south_korea"),
        ("Japon", 0, "GPE", "japan"),
        ("Russie", 0, "GPE", "russia"),
        ("Corée du Nord", 0, "GPE", "north_korea"),
        ("Antony Blinken", 0, "PER", "antony_blinken"),
        ("Park Jin", 0, "PER", "park_jin"),
        ("Yoko Kamikawa", 0, "PER", "yoko_kamikawa"),
        ("Kim Jong Un", 0, "PER", "kim_jong_un"),
        ("Vladimir Poutine", 0, "PER", "vladimir_putin"),
        ("munitions", 0, "WEA", None),
        ("Ukraine", 0, "GPE", "ukraine"),
    ],
    "001_f1f761c062743d2a": [
        ("Sergej Lavrov", 0, "PER", "sergey_lavrov"),  # glued: "LavrovLa porta"
        ("Corea del nord", 0, "GPE", "north_korea"),
        ("Kim Jong Un", 0, "PER", "kim_jong_un"),  # glued: "Kim Jong UnI due paesi"
        ("Pyongyang", 0, "GPE", "north_korea"),
        ("New York Times", 0, "ORG", "new_york_times"),  # glued: "TimesCitato"
        ("Anthony Blinken", 0, "PER", "antony_blinken"),  # glued: "BlinkenPochi"
        ("Russia", 0, "GPE", "russia"),
    ],
    "003_522fb53f6a6fd6fe": [
        ("Pyongyang", 0, "GPE", "north_korea"),
        ("Kremlin", 0, "ORG", "kremlin"),
        ("Dmitri Peskov", 0, "PER", "dmitry_peskov"),
    ],
    "004_25ce6273a6f2b184": [
        ("United States", 0, "GPE", "usa"),
        ("North Korea", 0, "GPE", "north_korea"),
        ("Vladimir Putin", 0, "PER", "vladimir_putin"),
    ],
}
# (holder, label, attribution, evidence surface, occurrence)
STANCES: dict[str, list[tuple[str | None, str, str, str, int]]] = {
    "000_0c8f196507d21063": [
        ("antony_blinken", "AGAINST", "reported", "“grave préoccupation”", 0),
    ],
    "001_f1f761c062743d2a": [
        (None, "AGAINST", "author", "dittatore nordcoreano", 0),
    ],
    "004_25ce6273a6f2b184": [
        ("usa", "AGAINST", "reported", "condemned increased military cooperation", 0),
    ],
}
# (trigger surface, occurrence, type, factuality, sources, targets)
EVENTS: dict[str, list[tuple[str, int, str, str, list[str], list[str]]]] = {
    "000_0c8f196507d21063": [
        ("visite", 0, "CONSULT", "asserted", ["kim_jong_un"], ["russia"]),
        ("acquérir", 0, "AID", "possible", ["north_korea"], ["russia"]),
    ],
    "001_f1f761c062743d2a": [("visita", 0, "CONSULT", "future", ["russia"], ["north_korea"])],
    "003_522fb53f6a6fd6fe": [("déployés", 0, "MOBILIZE", "possible", ["north_korea"], ["ukraine"])],
}

# Synthetic documents in other scripts (title line, blank line, paragraphs).
SYNTHETIC: dict[str, tuple[str, str, list[tuple[str, int, str, str]]]] = {
    "syn_ru": (
        "ru",
        "Лавров посетил Пхеньян\n\nСергей Лавров прибыл в Пхеньян. Он встретился с Ким Чен Ыном.",
        [("Сергей Лавров", 0, "PER", "sergey_lavrov"), ("Пхеньян", 1, "GPE", "north_korea")],
    ),
    "syn_ko": (
        "ko",
        "북러 정상회담\n\n김정은 위원장이 러시아를 방문했다. 푸틴 대통령과 회담했다.",
        [("김정은", 0, "PER", "kim_jong_un"), ("러시아", 0, "GPE", "russia")],
    ),
    "syn_zh": (
        "zh",
        "朝俄合作\n\n金正恩访问了俄罗斯。普京与他举行了会谈！",
        [("金正恩", 0, "PER", "kim_jong_un"), ("俄罗斯", 0, "GPE", "russia")],
    ),
    "syn_ar": (
        "ar",
        "زيارة كيم إلى روسيا\n\nزار كيم جونغ أون روسيا. هل ستتعاون موسكو مع بيونغ يانغ؟ نعم.",
        [("كيم جونغ أون", 0, "PER", "kim_jong_un"), ("روسيا", 1, "GPE", "russia")],
    ),
    "syn_hi": (
        "hi",
        "किम की रूस यात्रा\n\nकिम जोंग उन ने रूस का दौरा किया। पुतिन ने उनसे मुलाकात की।",
        [("किम जोंग उन", 0, "PER", "kim_jong_un"), ("रूस", 1, "GPE", "russia")],
    ),
}

REGISTRY_NAMES = {
    "usa": ("GPE", {"en": ["United States"], "fr": ["États-Unis"]}),
    "south_korea": ("GPE", {"en": ["South Korea"]}),
    "japan": ("GPE", {"en": ["Japan"]}),
    "russia": ("GPE", {"en": ["Russia"]}),
    "north_korea": ("GPE", {"en": ["North Korea"]}),
    "ukraine": ("GPE", {"en": ["Ukraine"]}),
    "antony_blinken": ("PER", {"en": ["Antony Blinken"], "fr": ["Antony Blinken"]}),
    "park_jin": ("PER", {"en": ["Park Jin"]}),
    "yoko_kamikawa": ("PER", {"en": ["Yoko Kamikawa"]}),
    "kim_jong_un": ("PER", {"en": ["Kim Jong Un"]}),
    "vladimir_putin": ("PER", {"en": ["Vladimir Putin"], "fr": ["Vladimir Poutine"]}),
    "sergey_lavrov": ("PER", {"en": ["Sergey Lavrov"]}),
    "new_york_times": ("ORG", {"en": ["The New York Times"]}),
    "kremlin": ("ORG", {"en": ["Kremlin"]}),
    "dmitry_peskov": ("PER", {"en": ["Dmitry Peskov"]}),
}


def find(text: str, surface: str, occurrence: int) -> int:
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(surface, pos + 1)
        if pos < 0:
            raise ValueError(f"{surface!r} occurrence {occurrence} not in text")
    return pos


def span(text: str, surface: str, occ: int) -> dict[str, Any]:
    s = find(text, surface, occ)
    return {"start": s, "end": s + len(surface), "text": surface}


def gold_for(doc_id: str, text: str, ents, stances=(), events=()) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "doc_id": doc_id,
        "text_sha256": sha256_text(text),
        "annotator": "gold",
        "guidelines_version": "1.0",
        "entities": [
            {"id": f"e{k}", **span(text, surf, occ), "type": typ, "canonical_id": cid}
            for k, (surf, occ, typ, cid) in enumerate(ents)
        ],
        "stances": [
            {
                "id": f"s{k}",
                "holder": holder,
                "target": "RU-KP-MILCOOP",
                "label": label,
                "attribution": attr,
                "evidence": span(text, surf, occ),
            }
            for k, (holder, label, attr, surf, occ) in enumerate(stances)
        ],
        "events": [
            {
                "id": f"v{k}",
                "trigger": span(text, surf, occ),
                "type": typ,
                "mode": None,
                "sources": src,
                "targets": tgt,
                "factuality": fact,
            }
            for k, (surf, occ, typ, fact, src, tgt) in enumerate(events)
        ],
    }


def document(doc_id: str, language: str, text: str) -> dict[str, Any]:
    title = text.split("\n", 1)[0]
    return {
        "doc_id": doc_id,
        "raw_sha256": sha256_text("raw:" + text),
        "text": text,
        "text_sha256": sha256_text(text),
        "title": title,
        "language": language,
        "paragraphs": [],
        "published": None,
        "url": None,
        "outlet": None,
        "cleaner_version": "test",
        "near_duplicate_cluster": doc_id,
    }


def make_repo(root: Path, *, synthetic: bool = True) -> dict[str, Path]:
    """Write documents.jsonl, a gold set, registry, splits and the card source under `root`."""
    docs, gold_dir = [], root / "annotations" / "gold"
    gold_dir.mkdir(parents=True)
    for doc_id, lang in SEEDS.items():
        text = (EXPECTED / f"{doc_id}.txt").read_text(encoding="utf-8")
        docs.append(document(doc_id, lang, text))
        g = gold_for(
            doc_id, text, ENTITIES[doc_id], STANCES.get(doc_id, ()), EVENTS.get(doc_id, ())
        )
        (gold_dir / f"{doc_id}.json").write_text(
            json.dumps(g, ensure_ascii=False), encoding="utf-8"
        )
    if synthetic:
        for doc_id, (lang, text, ents) in SYNTHETIC.items():
            docs.append(document(doc_id, lang, text))
            g = gold_for(doc_id, text, ents)
            (gold_dir / f"{doc_id}.json").write_text(
                json.dumps(g, ensure_ascii=False), encoding="utf-8"
            )
    reg = {
        "entities": [
            {"id": cid, "type": typ, "names": names} for cid, (typ, names) in REGISTRY_NAMES.items()
        ]
    }
    (root / "annotations" / "entities.json").write_text(json.dumps(reg), encoding="utf-8")
    documents = root / "build" / "ingest" / "documents.jsonl"
    write_jsonl(documents, docs)
    splits = root / "splits"
    splits.mkdir()
    manifest_lines = (ROOT / "splits" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    keep = [manifest_lines[0]] + [ln for ln in manifest_lines[1:] if ln.split(",")[0] in SEEDS]
    (splits / "manifest.csv").write_text("\n".join(keep) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "splits" / "stories.csv", splits / "stories.csv")
    shutil.copy(ROOT / "dataset_card.md", root / "dataset_card.md")
    shutil.copy(ROOT / "DATA_VERSION", root / "DATA_VERSION")
    shutil.copytree(ROOT / "schema", root / "schema")
    (root / "raw").mkdir()
    shutil.copy(ROOT / "raw" / "sources.csv", root / "raw" / "sources.csv")
    return {"documents": documents, "gold": gold_dir, "splits": splits, "root": root}
