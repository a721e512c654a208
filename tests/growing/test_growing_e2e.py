"""The path of docs/growing.md without Label Studio, on a copy of the repository: two new pages
in languages the release lacks → add → ingest → two annotators' sets → agreement → adjudicate
(listing, then decisions written by hand) → new minor data version → build → `load_dataset`
shows the new documents and the old splits unchanged → baselines → leaderboard on the new data.

The pages are the test's own text, not dataset content. The live variant, through Label Studio
with pre-annotation and the review tasks: tests/labelstudio/test_live_growing.py.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from rukp.adjudicate.core import next_round
from rukp.build.splits import hash_split
from rukp.cli import main
from rukp.paths import repo_root
from rukp.safeio import read_jsonl
from rukp.sets import write_annotation

ROOT = repo_root()
OLD = (ROOT / "DATA_VERSION").read_text(encoding="utf-8").strip()  # the committed data version
_major, _minor, _ = (int(x) for x in OLD.split("."))
NEW = f"{_major}.{_minor + 1}.0"  # the minor version new documents make
COPIED = ("raw", "splits", "annotations", "schema", "release", "baselines", "leaderboard")
OLD_SPLITS = {
    "000_0c8f196507d21063": "train",
    "001_f1f761c062743d2a": "train",
    "002_fcbf21f80f75232e": "train",
    "003_522fb53f6a6fd6fe": "test",
    "004_25ce6273a6f2b184": "validation",
}
GERMAN = "\n\n".join(
    [
        "Nordkoreanische Soldaten in Kursk: Moskau schweigt",
        "Nach Berichten des südkoreanischen Geheimdienstes sollen tausende nordkoreanische "
        "Soldaten in Russland ausgebildet werden. Der Kreml wollte die Berichte am Montag nicht "
        "kommentieren.",
        "Die Nato sprach von einer gefährlichen Eskalation des Krieges in der Ukraine. "
        "Generalsekretär Mark Rutte verurteilte die Entsendung der Truppen aus Pjöngjang.\n",
    ]
)
SPANISH = "\n\n".join(
    [
        "Rusia y Corea del Norte firman un tratado de asociación estratégica",
        "Vladímir Putin y Kim Jong Un firmaron en Pionyang un tratado que incluye una cláusula "
        "de asistencia mutua en caso de agresión contra una de las partes.",
        "Corea del Sur expresó su preocupación por la cooperación militar entre Moscú y "
        "Pionyang, y Japón pidió a Rusia que respete las resoluciones de la ONU. Washington "
        "anunció consultas con sus aliados.\n",
    ]
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "rukp"
    for name in COPIED:
        shutil.copytree(ROOT / name, root / name)
    for name in ("DATA_VERSION", "CHANGELOG.md", "dataset_card.md"):
        shutil.copy(ROOT / name, root / name)
    monkeypatch.setenv("RUKP_ROOT", str(root))
    monkeypatch.chdir(root)
    return root


def _span(text: str, surface: str, occurrence: int = 0) -> dict[str, Any]:
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.index(surface, pos + 1)
    return {"start": pos, "end": pos + len(surface), "text": surface}


def _annotation(doc: dict, who: str, ents: list, stances: list, events: list) -> dict[str, Any]:
    text = doc["text"]
    return {
        "doc_id": doc["doc_id"],
        "text_sha256": doc["text_sha256"],
        "annotator": who,
        "guidelines_version": "1.2",
        "entities": [
            {"id": f"e{k}", **_span(text, s, o), "type": t, "canonical_id": c}
            for k, (s, o, t, c) in enumerate(ents, 1)
        ],
        "stances": [
            {
                "id": f"s{k}",
                "holder": h,
                "target": "RU-KP-MILCOOP",
                "label": lab,
                "attribution": "reported" if h else "author",
                "evidence": _span(text, ev),
            }
            for k, (h, lab, ev) in enumerate(stances, 1)
        ],
        "events": [
            {
                "id": f"v{k}",
                "trigger": _span(text, trig),
                "type": typ,
                "mode": mode,
                "sources": src,
                "targets": tgt,
                "factuality": fact,
            }
            for k, (trig, typ, mode, src, tgt, fact) in enumerate(events, 1)
        ],
    }


def _two_sets(root: Path, de: dict, es: dict) -> None:
    """Annotator A and annotator B on the two new documents, with three differences."""
    de_ents = [
        ("Russland", 0, "GPE", "russia"),
        ("Kreml", 0, "ORG", "kremlin"),
        ("Nato", 0, "ORG", "nato"),
        ("Ukraine", 0, "GPE", "ukraine"),
        ("Mark Rutte", 0, "PER", "mark_rutte"),
        ("Pjöngjang", 0, "GPE", "north_korea"),
    ]
    es_ents = [
        ("Rusia", 0, "GPE", "russia"),
        ("Corea del Norte", 0, "GPE", "north_korea"),
        ("Vladímir Putin", 0, "PER", "vladimir_putin"),
        ("Kim Jong Un", 0, "PER", "kim_jong_un"),
        ("Pionyang", 0, "GPE", "pyongyang"),
        ("Corea del Sur", 0, "GPE", "south_korea"),
        ("Japón", 0, "GPE", "japan"),
    ]
    de_stance = [("mark_rutte", "AGAINST", "verurteilte die Entsendung der Truppen")]
    es_stance = [("south_korea", "AGAINST", "expresó su preocupación")]
    de_events = [("verurteilte", "DISAPPROVE", None, ["mark_rutte"], ["north_korea"], "asserted")]
    es_events = [
        ("firmaron", "AGREE", None, ["vladimir_putin", "kim_jong_un"], [], "asserted"),
        ("preocupación", "DISAPPROVE", None, ["south_korea"], ["russia", "north_korea"],
         "asserted"),
    ]  # fmt: skip
    write_annotation(
        root / "annotations" / "A2" / f"{de['doc_id']}.json",
        _annotation(de, "A2", de_ents, de_stance, de_events),
    )
    write_annotation(
        root / "annotations" / "A2" / f"{es['doc_id']}.json",
        _annotation(es, "A2", es_ents, es_stance, es_events),
    )
    b_de_ents = [
        e if e[0] != "Pjöngjang" else ("Pjöngjang", 0, "GPE", "pyongyang") for e in de_ents
    ]
    b_es_events = [(*es_events[0][:5], "possible"), es_events[1]]  # factuality differs
    write_annotation(
        root / "annotations" / "B2" / f"{de['doc_id']}.json",
        _annotation(de, "B2", b_de_ents, de_stance, []),  # B made no event
    )
    write_annotation(
        root / "annotations" / "B2" / f"{es['doc_id']}.json",
        _annotation(es, "B2", es_ents, es_stance, b_es_events),
    )


def _sources(root: Path) -> dict[str, dict[str, str]]:
    with open(root / "raw" / "sources.csv", encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def test_from_new_pages_to_a_new_data_version(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datasets import load_dataset

    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "kursk.txt").write_text(GERMAN, encoding="utf-8")
    (incoming / "tratado.txt").write_text(SPANISH, encoding="utf-8")

    # 1. add
    assert main(["add", str(incoming / "kursk.txt"), "--story", "2024-10-troop-deployment",
                 "--licence", "written for the rukp tests"]) == 0  # fmt: skip
    assert main(["add", str(incoming / "tratado.txt"), "--published", "2024-06-20",
                 "--licence", "written for the rukp tests"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["add", str(incoming / "kursk.txt")]) == 1  # already present
    assert "page-already-present" in capsys.readouterr().err
    rows = _sources(repo)
    de_id = next(d for d, r in rows.items() if r["language"] == "de")
    es_id = next(d for d, r in rows.items() if r["language"] == "es")
    assert (de_id[:4], es_id[:4]) == ("005_", "006_")
    assert rows[es_id]["published"] == "2024-06-20"

    # 2. ingest, validate
    assert main(["ingest"]) == 0
    assert main(["validate", "raw"]) == 0
    docs = {
        r["doc_id"]: r
        for _, r in read_jsonl(repo / "build" / "ingest" / "documents.jsonl", "documents")
    }
    assert (docs[de_id]["language"], docs[es_id]["language"]) == ("de", "es")

    # 3. two annotators (by hand here; Label Studio in the live path), then agreement
    _two_sets(repo, docs[de_id], docs[es_id])
    assert main(["validate", "annotations/A2", "annotations/B2"]) == 0
    assert main(["agreement", "annotations/A2", "annotations/B2", "--out",
                 str(tmp_path / "AGREEMENT_new.md")]) == 0  # fmt: skip
    capsys.readouterr()

    # 4. adjudicate: list, decide by hand, apply
    assert (
        main(["adjudicate", "annotations/A2", "annotations/B2", "--out", "annotations/gold"]) == 0
    )
    out = capsys.readouterr().out
    assert "disagreements: 3" in out and "gold not written" in out
    work = repo / "build" / "adjudication" / "A2-B2"
    template = json.loads((work / "decisions-template.json").read_text(encoding="utf-8"))
    listed = {it["id"]: it for it in json.loads((work / "disagreements.json").read_text())["items"]}
    assert sorted((it["layer"], it["kind"]) for it in listed.values()) == [
        ("entities", "canonical-id"),
        ("events", "factuality"),
        ("events", "missing-in-b"),
    ]
    for dec in template["decisions"]:
        dec.update(choice="a", by="Ana", reason="A follows the guidelines (§4)")
    (tmp_path / "decisions.json").write_text(json.dumps(template), encoding="utf-8")
    before = (repo / "annotations" / "ADJUDICATION.md").read_text(encoding="utf-8")
    assert main(["adjudicate", "annotations/A2", "annotations/B2", "--out", "annotations/gold",
                 "--decisions", str(tmp_path / "decisions.json")]) == 0  # fmt: skip
    log = (repo / "annotations" / "ADJUDICATION.md").read_text(encoding="utf-8")
    appended = log.removeprefix(before)  # the log only grows
    assert appended != log and appended.lstrip().startswith(f"## Round {next_round(before)} (")
    assert "| A follows the guidelines (§4) | Ana |" in appended
    assert main(["validate"]) == 0

    # 5. a new minor data version, built and checked
    assert main(["release", "--bump", "minor"]) == 0
    assert (repo / "DATA_VERSION").read_text() == f"{NEW}\n"
    assert f"## Data {NEW} — unreleased" in (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert main(["build"]) == 0
    assert main(["build", "--check"]) == 0
    manifest = json.loads((repo / "release" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == NEW
    assert (repo / "splits" / "released" / f"{OLD}.csv").read_bytes() == (
        ROOT / "splits" / "released" / f"{OLD}.csv"
    ).read_bytes()

    # 6. a real load_dataset: the new documents, the old splits unchanged
    cache = tmp_path / "hf-cache"
    ds = load_dataset(str(repo / "release"), "documents", cache_dir=str(cache))
    where = {i: split for split in ds for i in ds[split]["id"]}
    assert {d: where[d] for d in OLD_SPLITS} == OLD_SPLITS
    assert where[de_id] == "test"  # its story's split
    assert where[es_id] == hash_split(es_id)  # no story: the hash rule
    assert str(ds["train"].info.version) == NEW
    readme = (repo / "release" / "README.md").read_text(encoding="utf-8")
    assert "7 documents in 5 languages" in readme and "- `de`: 1 document(s)" in readme

    # 7. baselines on the new release, and the leaderboard
    assert main(["baselines"]) == 0
    summary = json.loads((repo / "baselines" / "results" / "summary.json").read_text())
    assert summary["dataset_version"] == NEW
    preds = repo / "baselines" / "results" / "predictions" / "majority.stance.test.jsonl"
    assert main(["leaderboard", "add", "--name", "majority", "--task", "stance",
                 "--description", "majority baseline", "--predictions", str(preds),
                 "--replace"]) == 0  # fmt: skip
    assert main(["leaderboard", "render"]) == 0
    board = (repo / "leaderboard" / "leaderboard.md").read_text(encoding="utf-8")
    stance = board[board.index("## stance") : board.index("## events")]
    assert f"Ranked on data {NEW} (test split" in stance
    assert stance.index(f"| 1 | majority | {NEW} |") < stance.index("Scored on earlier")
    assert f"| 1 | tfidf-lr | {OLD} |" in stance  # not re-added: listed apart on the old data
