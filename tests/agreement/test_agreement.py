"""rukp agreement on a tiny two-annotator fixture whose figures are computed by hand below."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import krippendorff
import pytest

from rukp.agreement import compute_agreement, nominal_alpha
from rukp.cli import main
from rukp.io import sha256_text, write_json, write_jsonl
from rukp.safeio import sha256_file

T1 = "La Russie et la Corée du Nord signent un accord. Séoul condamne."
T2 = "Mosca invia munizioni a Pyongyang. Washington protesta."
TEXTS = {"d1": (T1, "fr"), "d2": (T2, "it")}
MIL = "RU-KP-MILCOOP"


def sp(doc: str, s: str) -> dict:
    text = TEXTS[doc][0]
    i = text.index(s)
    return {"start": i, "end": i + len(s), "text": s}


def ent(doc: str, eid: str, s: str, type_: str, cid: str | None) -> dict:
    return {"id": eid, **sp(doc, s), "type": type_, "canonical_id": cid}


def stance(doc: str, sid: str, holder: str | None, label: str, attribution: str) -> dict:
    evidence = sp(doc, TEXTS[doc][0].split()[-1].rstrip("."))
    return {
        "id": sid,
        "holder": holder,
        "target": MIL,
        "label": label,
        "attribution": attribution,
        "evidence": evidence,
    }


def event(doc: str, vid: str, trig: str, type_: str, src: list, tgt: list, fact: str) -> dict:
    return {
        "id": vid,
        "trigger": sp(doc, trig),
        "type": type_,
        "mode": None,
        "sources": src,
        "targets": tgt,
        "factuality": fact,
    }


def ann(doc: str, annotator: str, entities: list, stances: list, events: list) -> dict:
    return {
        "doc_id": doc,
        "text_sha256": sha256_text(TEXTS[doc][0]),
        "annotator": annotator,
        "guidelines_version": "1.0",
        "entities": entities,
        "stances": stances,
        "events": events,
    }


RU, KP, SK, US = "russia", "north_korea", "south_korea", "united_states"
SET_A = {
    "d1": ann(
        "d1",
        "A",
        [
            ent("d1", "e1", "Russie", "GPE", RU),
            ent("d1", "e2", "Corée du Nord", "GPE", KP),
            ent("d1", "e3", "Séoul", "GPE", SK),
        ],
        [
            stance("d1", "s1", SK, "AGAINST", "reported"),
            stance("d1", "s2", None, "NEUTRAL", "author"),
        ],
        [
            event("d1", "v1", "signent", "AGREE", [RU, KP], [], "asserted"),
            event("d1", "v2", "condamne", "DISAPPROVE", [SK], [RU, KP], "asserted"),
        ],
    ),
    "d2": ann(
        "d2",
        "A",
        [
            ent("d2", "e1", "Mosca", "GPE", RU),
            ent("d2", "e2", "munizioni", "WEA", None),
            ent("d2", "e3", "Pyongyang", "GPE", KP),
            ent("d2", "e4", "Washington", "GPE", US),
        ],
        [
            stance("d2", "s1", US, "AGAINST", "reported"),
            stance("d2", "s2", RU, "FAVOR", "reported"),
            stance("d2", "s3", None, "NEUTRAL", "author"),
        ],
        [
            event("d2", "v1", "invia", "AID", [RU], [KP], "asserted"),
            event("d2", "v2", "protesta", "DISAPPROVE", [US], [RU], "asserted"),
        ],
    ),
}
SET_B = {
    "d1": ann(
        "d1",
        "B",
        [
            ent("d1", "e1", "Russie", "GPE", RU),
            ent("d1", "e2", "Corée", "GPE", KP),  # overlaps "Corée du Nord": lenient only
            ent("d1", "e3", "Séoul", "ORG", SK),  # other type: no match at all
            ent("d1", "e4", "accord", "ORG", None),  # B only
        ],
        [
            stance("d1", "s1", SK, "AGAINST", "reported"),
            stance("d1", "s2", None, "AGAINST", "author"),
        ],
        [
            event("d1", "v1", "signent", "AGREE", [KP, RU], [], "asserted"),
            event("d1", "v2", "condamne", "DISAPPROVE", [SK], [RU], "possible"),
        ],
    ),
    "d2": ann(
        "d2",
        "B",
        [
            ent("d2", "e1", "Mosca", "GPE", RU),
            ent("d2", "e2", "munizioni", "WEA", None),
            ent("d2", "e3", "Pyongyang", "GPE", SK),  # same span/type, other canonical id
            ent("d2", "e4", "Washington", "GPE", US),
        ],
        [
            stance("d2", "s1", US, "AGAINST", "reported"),
            stance("d2", "s2", RU, "FAVOR", "reported"),
            stance("d2", "s3", KP, "FAVOR", "reported"),  # B only
        ],
        [
            event("d2", "v1", "invia munizioni", "AID", [RU], [KP], "asserted"),  # lenient only
            event("d2", "v2", "protesta", "DEMAND", [US], [RU], "asserted"),
        ],
    ),
}
DOCS = {d: {"doc_id": d, "text": t, "language": lang} for d, (t, lang) in TEXTS.items()}

# Hand computation (A = reference).
# Entities: |A| = 3 + 4 = 7, |B| = 4 + 4 = 8. Strict matches: Russie, Mosca, munizioni,
#   Pyongyang, Washington = 5 -> P = 5/8, R = 5/7, F1 = 2*5/(7+8) = 2/3.
#   Lenient adds Corée ~ Corée du Nord = 6 -> P = 6/8, R = 6/7, F1 = 12/15 = 0.8.
#   Canonical id on the 5 strict pairs: all equal except Pyongyang -> 4/5.
#   Per type: GPE A 6, B 5, tp 4 -> F1 8/11; WEA 1/1/1 -> 1; ORG A 0, B 2 -> 0.
#   fr (d1): A 3, B 4, tp 1 -> F1 2/7; lenient 2 -> 4/7. it (d2): 4/4/4 -> 1.
# Stance pairs (doc, holder, target) in both: d1 SK, d1 author, d2 US, d2 RU = 4;
#   only A: d2 author; only B: d2 KP. Labels: (AG,AG) (NE,AG) (AG,AG) (FA,FA); accuracy 3/4.
#   α from the coincidence matrix (2 coders, each unit adds both ordered pairs once):
#     o[AG,AG] = 4, o[FA,FA] = 2, o[NE,AG] = o[AG,NE] = 1;  n_AG = 5, n_FA = 2, n_NE = 1, n = 8
#     α = 1 - (n-1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k = 1 - 7*2 / (2*(5*2 + 5*1 + 2*1)) = 1 - 14/34
#       = 10/17 ≈ 0.5882.
#   Attribution: all 4 pairs agree, both categories occur -> α = 1, accuracy 1.
#   fr: (AG,AG) (NE,AG): n_AG = 3, n_NE = 1, n = 4 -> α = 1 - 3*2/(2*3) = 0.
#   it attribution: reported/reported twice -> one category -> α undefined (n/a).
# Events: |A| = |B| = 4; exact triggers signent, condamne, protesta = 3 -> P = R = F1 = 3/4;
#   lenient adds invia ~ invia munizioni -> 4 -> F1 1.
#   Types on matched: (AGREE,AGREE) (DIS,DIS) (DIS,DEMAND): accuracy 2/3;
#     n_AGREE = 2, n_DIS = 3, n_DEM = 1, n = 6 -> α = 1 - 5*2/(2*(6+2+3)) = 1 - 10/22 = 6/11.
#   Factuality: (as,as) (as,pos) (as,as): accuracy 2/3; n_as = 5, n_pos = 1 -> α = 1 - 5*2/10 = 0.
#   Sources equal as sets 3/3; targets 2/3 (condamne); both 2/3.
#   it: one matched trigger (protesta) -> type α undefined (n = 1).


@pytest.fixture(scope="module")
def result() -> dict:
    return compute_agreement(SET_A, SET_B, DOCS)


def test_entities_by_hand(result: dict) -> None:
    ent = result["scopes"]["overall"]["entities"]
    assert (ent["strict"]["tp"], ent["strict"]["n_a"], ent["strict"]["n_b"]) == (5, 7, 8)
    assert ent["strict"]["precision"] == pytest.approx(5 / 8)
    assert ent["strict"]["recall"] == pytest.approx(5 / 7)
    assert ent["strict"]["f1"] == pytest.approx(2 / 3)
    assert ent["lenient"]["tp"] == 6
    assert ent["lenient"]["precision"] == pytest.approx(6 / 8)
    assert ent["lenient"]["recall"] == pytest.approx(6 / 7)
    assert ent["lenient"]["f1"] == pytest.approx(0.8)
    assert ent["canonical_agreement"] == {"value": pytest.approx(0.8), "n": 5, "note": None}
    assert ent["per_type"]["GPE"]["f1"] == pytest.approx(8 / 11)
    assert ent["per_type"]["WEA"]["f1"] == pytest.approx(1.0)
    assert ent["per_type"]["ORG"]["f1"] == pytest.approx(0.0)
    assert ent["per_type"]["ORG"]["recall"] is None  # A has no ORG
    fr, it = result["scopes"]["fr"]["entities"], result["scopes"]["it"]["entities"]
    assert fr["strict"]["f1"] == pytest.approx(2 / 7)
    assert fr["lenient"]["f1"] == pytest.approx(4 / 7)
    assert it["strict"]["f1"] == pytest.approx(1.0)


def test_stance_by_hand(result: dict) -> None:
    st = result["scopes"]["overall"]["stance"]
    assert (st["pairs_both"], st["only_a"], st["only_b"]) == (4, 1, 1)
    assert st["label_accuracy"]["value"] == pytest.approx(3 / 4)
    assert st["label_alpha"]["value"] == pytest.approx(10 / 17)
    assert st["label_alpha"]["n"] == 4
    assert st["attribution_accuracy"]["value"] == pytest.approx(1.0)
    assert st["attribution_alpha"]["value"] == pytest.approx(1.0)
    assert result["scopes"]["fr"]["stance"]["label_alpha"]["value"] == pytest.approx(0.0)
    undefined = result["scopes"]["it"]["stance"]["attribution_alpha"]
    assert undefined["value"] is None and "single category (reported)" in undefined["note"]


def test_events_by_hand(result: dict) -> None:
    ev = result["scopes"]["overall"]["events"]
    assert ev["trigger_strict"]["f1"] == pytest.approx(3 / 4)
    assert ev["trigger_lenient"]["f1"] == pytest.approx(1.0)
    assert ev["type_accuracy"]["value"] == pytest.approx(2 / 3)
    assert ev["type_alpha"]["value"] == pytest.approx(6 / 11)
    assert ev["factuality_accuracy"]["value"] == pytest.approx(2 / 3)
    assert ev["factuality_alpha"]["value"] == pytest.approx(0.0)
    assert ev["sources_exact"]["value"] == pytest.approx(1.0)
    assert ev["targets_exact"]["value"] == pytest.approx(2 / 3)
    assert ev["arguments_exact"]["value"] == pytest.approx(2 / 3)
    it = result["scopes"]["it"]["events"]
    assert it["trigger_strict"]["f1"] == pytest.approx(0.5)
    assert it["type_alpha"]["value"] is None and it["type_alpha"]["n"] == 1


def test_documents_only_in_one_set_are_listed() -> None:
    res = compute_agreement({**SET_A, "d3": SET_A["d1"]}, SET_B, DOCS)
    assert res["documents"]["only_a"] == ["d3"] and res["documents"]["common"] == ["d1", "d2"]
    assert res["scopes"]["overall"]["entities"]["strict"]["tp"] == 5


def alpha_by_hand(a: list[str], b: list[str]) -> float:
    """Nominal α from the coincidence matrix, two coders, no missing values."""
    o: Counter[tuple[str, str]] = Counter()
    for x, y in zip(a, b, strict=True):
        o[(x, y)] += 1
        o[(y, x)] += 1
    n_c: Counter[str] = Counter()
    for (c, _), v in o.items():
        n_c[c] += v
    n = sum(n_c.values())
    disagree = sum(v for (c, k), v in o.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    return 1 - (n - 1) * disagree / expected


def test_alpha_matches_hand_and_package_on_random_cases() -> None:
    rng = random.Random(7)
    checked = 0
    for _ in range(300):
        n = rng.randint(2, 40)
        cats = ["x", "y", "z", "w"][: rng.randint(2, 4)]
        a = [rng.choice(cats) for _ in range(n)]
        b = [x if rng.random() < 0.6 else rng.choice(cats) for x in a]
        if len(set(a) | set(b)) < 2:
            assert nominal_alpha(a, b)["value"] is None
            continue
        got = nominal_alpha(a, b)["value"]
        assert got == pytest.approx(alpha_by_hand(a, b))
        codes = {c: i for i, c in enumerate(sorted(set(a) | set(b)))}
        package = krippendorff.alpha(
            reliability_data=[[codes[x] for x in a], [codes[x] for x in b]],
            level_of_measurement="nominal",
        )
        assert got == pytest.approx(package)
        checked += 1
    assert checked > 250


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        (["FAVOR"], ["AGAINST"], "1 paired item"),
        ([], [], "0 paired item"),
        (["FAVOR", "FAVOR"], ["FAVOR", "FAVOR"], "single category (FAVOR)"),
    ],
)
def test_alpha_undefined(a: list[str], b: list[str], reason: str) -> None:
    fig = nominal_alpha(a, b)
    assert fig["value"] is None and reason in fig["note"]


# ---------------------------------------------------------------- CLI


def write_fixture(tmp_path: Path) -> tuple[Path, Path, Path]:
    for name, s in (("A", SET_A), ("B", SET_B)):
        for doc_id, a in s.items():
            write_json(tmp_path / name / f"{doc_id}.json", a)
    docs = []
    for doc_id, (text, lang) in TEXTS.items():
        docs.append(
            {
                "doc_id": doc_id,
                "raw_sha256": "0" * 64,
                "text": text,
                "text_sha256": sha256_text(text),
                "title": None,
                "language": lang,
                "paragraphs": [{"start": 0, "end": len(text), "language": lang}],
                "published": None,
                "url": None,
                "outlet": None,
                "cleaner_version": "test",
                "near_duplicate_cluster": doc_id,
            }
        )
    write_jsonl(tmp_path / "documents.jsonl", docs)
    return tmp_path / "A", tmp_path / "B", tmp_path / "documents.jsonl"


def test_cli_writes_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    a, b, docs = write_fixture(tmp_path)
    out = tmp_path / "report" / "AGREEMENT.md"
    assert main(["agreement", str(a), str(b), "--documents", str(docs), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "strict F1 0.667" in printed and "lenient F1 0.800" in printed
    report = out.read_text(encoding="utf-8")
    assert "| overall | 2 | 7 | 8 | 5 | 0.625 | 0.714 | 0.667 |" in report
    assert "0.588 (n=4)" in report  # stance label α overall
    assert "n/a (n=1; undefined: 1 paired item(s), α needs at least 2)" in report
    assert f"`{sha256_file(docs, 'release-file')}`" in report
    assert f"`{sha256_file(a / 'd1.json', 'release-file')}`" in report
    assert "rukp agreement " in report and "--documents" in report
    assert [p.name for p in out.parent.iterdir()] == ["AGREEMENT.md"]  # no temp file left


def test_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    a, b, docs = write_fixture(tmp_path)
    out = tmp_path / "AGREEMENT.md"
    args = ["agreement", str(a), str(b), "--documents", str(docs), "--out", str(out), "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["scopes"]) == {"overall", "fr", "it"}
    assert data["scopes"]["overall"]["events"]["type_alpha"]["value"] == pytest.approx(6 / 11)
    assert str(docs.name) in " ".join(data["inputs"])


def test_cli_bad_input_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    a, b, docs = write_fixture(tmp_path)
    out = tmp_path / "AGREEMENT.md"
    missing = [
        "agreement",
        str(a),
        str(b),
        "--documents",
        str(tmp_path / "no.jsonl"),
        "--out",
        str(out),
    ]
    assert main(missing) == 1
    assert "documents-missing" in capsys.readouterr().err
    (b / "d2.json").write_text('{"doc_id": "d2", ', encoding="utf-8")
    assert main(["agreement", str(a), str(b), "--documents", str(docs), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "malformed-json" in err and "Traceback" not in err
    assert not out.exists()
