"""`rukp adjudicate` and `rukp diff` on two small hand-made sets with known differences."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rukp.adjudicate.compare import compare_documents, compare_layer
from rukp.adjudicate.core import (
    check_decisions,
    check_unchanged,
    gold_documents,
    list_disagreements,
    next_round,
    write_gold,
)
from rukp.cli import main
from rukp.errors import RukpError
from rukp.io import sha256_text, write_jsonl
from rukp.sets import write_annotation, write_registry

TEXT = (
    "Kim Jong Un met Putin in Moscow\n\n"
    "Russia and North Korea signed a pact. The outlet calls it a dangerous alliance."
)
DOC = "005_aaaaaaaaaaaaaaaa"
SHA = sha256_text(TEXT)
REGISTRY = {
    "entities": [
        {"id": cid, "type": typ, "names": {"en": [name]}}
        for cid, typ, name in [
            ("kim_jong_un", "PER", "Kim Jong Un"),
            ("vladimir_putin", "PER", "Putin"),
            ("moscow", "GPE", "Moscow"),
            ("russia", "GPE", "Russia"),
            ("north_korea", "GPE", "North Korea"),
        ]
    ]
}


def sp(surface: str, occurrence: int = 0) -> dict[str, Any]:
    pos = -1
    for _ in range(occurrence + 1):
        pos = TEXT.index(surface, pos + 1)
    return {"start": pos, "end": pos + len(surface), "text": surface}


def ent(eid: str, surface: str, typ: str, cid: str | None) -> dict[str, Any]:
    return {"id": eid, **sp(surface), "type": typ, "canonical_id": cid}


def stance(sid: str, holder: str | None, label: str, evidence: str) -> dict[str, Any]:
    return {
        "id": sid,
        "holder": holder,
        "target": "RU-KP-MILCOOP",
        "label": label,
        "attribution": "author" if holder is None else "reported",
        "evidence": sp(evidence),
    }


def event(vid: str, trig: str, typ: str, mode: str | None, src: list[str], tgt: list[str],
          fact: str) -> dict[str, Any]:  # fmt: skip
    return {
        "id": vid, "trigger": sp(trig), "type": typ, "mode": mode, "sources": src,
        "targets": tgt, "factuality": fact,
    }  # fmt: skip


def annotation(who: str, entities: list, stances: list, events: list) -> dict[str, Any]:
    return {
        "doc_id": DOC,
        "text_sha256": SHA,
        "annotator": who,
        "guidelines_version": "1.2",
        "entities": entities,
        "stances": stances,
        "events": events,
    }


A = annotation(
    "A",
    [
        ent("e1", "Kim Jong Un", "PER", "kim_jong_un"),
        ent("e2", "Putin", "PER", "vladimir_putin"),
        ent("e3", "Moscow", "GPE", "moscow"),
        ent("e4", "Russia", "GPE", "russia"),
        ent("e5", "North Korea", "GPE", "north_korea"),
    ],
    [
        stance("s1", "kim_jong_un", "FAVOR", "signed a pact"),
        stance("s2", None, "AGAINST", "dangerous alliance"),
    ],
    [
        event("v1", "met", "CONSULT", "visit", ["kim_jong_un"], ["vladimir_putin"], "asserted"),
        event("v2", "signed", "AGREE", None, ["russia", "north_korea"], [], "asserted"),
        event("v3", "alliance", "COOPERATE", None, ["russia", "north_korea"], [], "asserted"),
    ],
)
B = annotation(
    "B",
    [
        ent("e1", "Kim Jong Un", "PER", "kim_jong_un"),  # agreed
        ent("e2", "Putin", "PER", "vladimir_putin"),  # agreed
        ent("e3", "Moscow", "ORG", "moscow"),  # type
        ent("e4", "Russia", "GPE", None),  # canonical-id
        ent("e5", "Korea", "GPE", "north_korea"),  # span (overlaps "North Korea")
    ],
    [
        stance("s1", "kim_jong_un", "AGAINST", "signed a pact"),  # label
        stance("s2", None, "AGAINST", "a dangerous alliance"),  # evidence
        stance("s3", "russia", "FAVOR", "signed"),  # missing-in-a
    ],
    [
        event("v1", "met", "CONSULT", "visit", ["kim_jong_un"], ["vladimir_putin"], "possible"),
        event("v2", "signed", "AGREE", None, ["north_korea", "russia"], [], "asserted"),  # agreed
    ],  # "alliance": missing-in-b
)
# Hand-listed: per layer (entities, stances, events), in text order within a layer
EXPECTED = [
    ("entities", "type"),  # «Moscow» 25
    ("entities", "canonical-id"),  # «Russia» 33
    ("entities", "span"),  # «North Korea» 44 / «Korea» 50
    ("stances", "missing-in-a"),  # «signed» [56, 62) (B's russia stance)
    ("stances", "label"),  # «signed a pact» [56, 69)
    ("stances", "evidence"),  # «dangerous alliance» 93 / «a dangerous alliance» 91
    ("events", "factuality"),  # «met» 12
    ("events", "missing-in-b"),  # «alliance» 103
]


def _kinds(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(it["layer"], it["kind"]) for it in items]


def test_listing_has_every_difference_with_its_kind_in_text_order() -> None:
    listing = list_disagreements(Path("A"), Path("B"), {DOC: A}, {DOC: B})
    assert _kinds(listing.items) == EXPECTED
    assert [it["id"] for it in listing.items] == [f"d{k:04d}" for k in range(1, 9)]
    assert listing.counts() == {"entities": 2, "stances": 0, "events": 1}
    span = next(it for it in listing.items if it["kind"] == "span")
    assert (span["a"]["text"], span["b"]["text"]) == ("North Korea", "Korea")
    missing = next(it for it in listing.items if it["kind"] == "missing-in-a")
    assert missing["a"] is None and missing["b"]["holder"] == "russia"


def test_two_events_on_one_trigger_pair_with_their_counterparts() -> None:
    """One record per aid mode: the matching pairs same-mode records, whatever their order."""
    hum = event("v1", "pact", "AID", "humanitarian", ["russia"], ["north_korea"], "asserted")
    eco = event("v2", "pact", "AID", "economic", ["russia"], ["north_korea"], "asserted")
    hum_b = {**copy.deepcopy(hum), "id": "v9", "factuality": "possible"}
    agreed, diffs = compare_layer("events", [hum, eco], [{**eco, "id": "v5"}, hum_b])
    assert [v["mode"] for v in agreed] == ["economic"]
    assert [(d.kind, d.a["mode"], d.b["mode"]) for d in diffs] == [
        ("factuality", "humanitarian", "humanitarian")
    ]


def test_identical_sets_agree_on_everything() -> None:
    comp = compare_documents(DOC, A, copy.deepcopy(A))
    assert comp.differences == []
    assert {k: len(v) for k, v in comp.agreed.items()} == {"entities": 5, "stances": 2, "events": 3}


_spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 8), st.sampled_from(["PER", "GPE"])),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(a=_spans, b=_spans)
def test_every_item_is_agreed_or_in_exactly_one_difference(a: list, b: list) -> None:
    ea = [{"id": f"e{k}", "start": s, "end": s + n, "text": "x", "type": t, "canonical_id": None}
          for k, (s, n, t) in enumerate(a)]  # fmt: skip
    eb = [{"id": f"f{k}", "start": s, "end": s + n, "text": "x", "type": t, "canonical_id": None}
          for k, (s, n, t) in enumerate(b)]  # fmt: skip
    agreed, diffs = compare_layer("entities", ea, eb)
    seen_a = [id(x) for x in agreed] + [id(d.a) for d in diffs if d.a is not None]
    seen_b = [id(d.b) for d in diffs if d.b is not None]
    assert sorted(seen_a) == sorted(id(x) for x in ea)  # each A item once
    assert len(seen_b) + len(agreed) == len(eb)  # each B item once (agreed ones paired)
    assert len(set(seen_b)) == len(seen_b)
    for d in diffs:
        assert d.kind in {"span", "type", "canonical-id", "missing-in-a", "missing-in-b"}
        if d.a is not None and d.b is not None:
            assert d.a["start"] < d.b["end"] and d.b["start"] < d.a["end"]  # paired spans overlap


def _decide(listing, choices: dict[str, str], **extra) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    out = []
    for it in listing.items:
        dec = {"id": it["id"], "choice": choices.get(it["kind"], "a"), "reason": "r", "by": "adj"}
        dec.update(extra.get(it["kind"], {}))
        out.append(dec)
    return out


@pytest.mark.parametrize(
    ("mutate", "incident"),
    [
        (lambda ds: ds.pop(), "decision-missing"),
        (lambda ds: ds.append({**ds[0], "id": "d0099"}), "decision-unknown-id"),
        (lambda ds: ds.append(dict(ds[0])), "decision-duplicate"),
        (lambda ds: ds[0].update(choice="both"), "decision-bad-choice"),
        (lambda ds: ds[0].update(choice="edited"), "decision-item-missing"),
        (lambda ds: ds[0].update(item={"x": 1}), "decision-item-unexpected"),
        (lambda ds: ds[0].update(reason=" "), "decision-reason-missing"),
        (lambda ds: ds[0].pop("by"), "decision-by-missing"),
        (lambda ds: ds.append("d0001"), "decision-invalid"),
    ],
)
def test_bad_decisions_are_refused(mutate, incident: str) -> None:  # type: ignore[no-untyped-def]
    listing = list_disagreements(Path("A"), Path("B"), {DOC: A}, {DOC: B})
    decisions = _decide(listing, {})
    mutate(decisions)
    with pytest.raises(RukpError) as exc:
        check_decisions(listing, decisions, "decisions.json")
    assert [i.id for i in exc.value.incidents] == [incident]
    assert exc.value.incidents[0].file == "decisions.json"


@pytest.fixture
def work(tmp_path: Path) -> dict[str, Path]:
    """Sets A and B, cleaned documents and a registry beside the gold folder."""
    write_jsonl(
        tmp_path / "documents.jsonl",
        [{"doc_id": DOC, "text": TEXT, "text_sha256": SHA, "title": "t", "language": "en",
          "paragraphs": [], "published": None, "url": None, "outlet": None,
          "raw_sha256": SHA, "cleaner_version": "t", "near_duplicate_cluster": DOC,
          "warnings": []}],
    )  # fmt: skip
    for name, ann in (("A", A), ("B", B)):
        write_annotation(tmp_path / name / f"{DOC}.json", ann)
    write_registry(tmp_path / "entities.json", REGISTRY)
    return {
        "root": tmp_path,
        "A": tmp_path / "A",
        "B": tmp_path / "B",
        "gold": tmp_path / "gold",
        "documents": tmp_path / "documents.jsonl",
        "log": tmp_path / "ADJUDICATION.md",
        "work": tmp_path / "work",
    }


def test_gold_from_agreed_items_and_decisions(work: dict[str, Path]) -> None:
    listing = list_disagreements(work["A"], work["B"], {DOC: A}, {DOC: B})
    edited = {**sp("Korea"), "type": "GPE", "canonical_id": "north_korea"}  # no id: renumbered
    decisions = _decide(
        listing,
        {"type": "a", "canonical-id": "a", "span": "edited", "missing-in-a": "neither",
         "label": "b", "evidence": "b", "factuality": "a", "missing-in-b": "a"},
        span={"item": edited},
    )  # fmt: skip
    decided = check_decisions(listing, decisions, "d.json")
    gold, origin = gold_documents(listing, decided)
    doc = gold[DOC]
    assert [(e["id"], e["text"], e["type"], e["canonical_id"]) for e in doc["entities"]] == [
        ("e1", "Kim Jong Un", "PER", "kim_jong_un"),
        ("e2", "Putin", "PER", "vladimir_putin"),
        ("e3", "Moscow", "GPE", "moscow"),
        ("e4", "Russia", "GPE", "russia"),
        ("e5", "Korea", "GPE", "north_korea"),
    ]
    assert [(s["id"], s["holder"], s["label"], s["evidence"]["text"]) for s in doc["stances"]] == [
        ("s1", "kim_jong_un", "AGAINST", "signed a pact"),
        ("s2", None, "AGAINST", "a dangerous alliance"),
    ]
    assert [(v["id"], v["trigger"]["text"], v["factuality"]) for v in doc["events"]] == [
        ("v1", "met", "asserted"),
        ("v2", "signed", "asserted"),
        ("v3", "alliance", "asserted"),
    ]
    assert (doc["annotator"], doc["guidelines_version"]) == ("gold", "1.2")
    assert origin[(DOC, "entities", 4)] == next(
        it["id"] for it in listing.items if it["kind"] == "span"
    )
    result = write_gold(gold, work["gold"], work["documents"], origin=origin)
    assert [Path(p).name for p in result.written] == [f"{DOC}.json"]
    # written once more with other content: refused without force, replaced with a backup
    gold[DOC]["events"] = gold[DOC]["events"][:2]
    with pytest.raises(RukpError) as exc:
        write_gold(gold, work["gold"], work["documents"])
    assert [i.id for i in exc.value.incidents] == ["gold-exists"]
    forced = write_gold(gold, work["gold"], work["documents"], force=True)
    assert forced.backup and (Path(forced.backup) / f"{DOC}.json").is_file()
    assert len(json.loads((work["gold"] / f"{DOC}.json").read_text())["events"]) == 2


@pytest.mark.parametrize(
    ("stored", "count"), [({"items": True}, "none"), ({"items": [{}]}, "1"), ({}, "none")]
)
def test_a_stored_listing_that_is_not_the_listing_is_changed(stored: dict, count: str) -> None:
    """Found by fuzzing: `items: true` in the stored disagreements.json crashed the message
    (len(True))."""
    listing = list_disagreements(Path("A"), Path("B"), {DOC: A}, {DOC: B})
    with pytest.raises(RukpError) as exc:
        check_unchanged(listing, stored, "disagreements.json")
    [inc] = exc.value.incidents
    assert inc.id == "disagreements-changed" and f"(8 now, {count} listed)" in inc.message


@pytest.mark.parametrize("start", ["x", None, 2.5, True, [1]])
def test_an_edited_item_with_offsets_that_are_not_integers_is_a_schema_violation(
    work: dict[str, Path], start: object
) -> None:
    """Found by tests/fuzz (decision-edited-bad-span): such an item crashed the ordering of the
    gold items (int('x')) before the gold's validation could name it."""
    listing = list_disagreements(work["A"], work["B"], {DOC: A}, {DOC: B})
    bad = {**sp("Korea"), "type": "GPE", "canonical_id": "north_korea", "start": start}
    decisions = _decide(listing, {"span": "edited"}, span={"item": bad})
    gold, origin = gold_documents(listing, check_decisions(listing, decisions, "d.json"))
    with pytest.raises(RukpError) as exc:
        write_gold(gold, work["gold"], work["documents"], origin=origin)
    span_id = next(it["id"] for it in listing.items if it["kind"] == "span")
    assert {i.id for i in exc.value.incidents} == {"schema-violation"}
    assert any(i.message.endswith(f"(item from decision {span_id})") for i in exc.value.incidents)
    assert not work["gold"].exists()


def test_invalid_gold_names_the_decision_and_writes_nothing(work: dict[str, Path]) -> None:
    listing = list_disagreements(work["A"], work["B"], {DOC: A}, {DOC: B})
    bad = {**sp("Korea"), "type": "PERSON", "canonical_id": "north_korea"}
    decisions = _decide(listing, {"span": "edited"}, span={"item": bad})
    gold, origin = gold_documents(listing, check_decisions(listing, decisions, "d.json"))
    with pytest.raises(RukpError) as exc:
        write_gold(gold, work["gold"], work["documents"], origin=origin)
    [inc] = exc.value.incidents
    span_id = next(it["id"] for it in listing.items if it["kind"] == "span")
    assert inc.id == "unknown-label" and inc.message.endswith(f"(item from decision {span_id})")
    assert inc.file is not None and inc.file.endswith(f"gold/{DOC}.json")
    assert not work["gold"].exists()


def test_different_texts_are_refused() -> None:
    other = {**B, "text_sha256": "0" * 64}
    with pytest.raises(RukpError) as exc:
        list_disagreements(Path("A"), Path("B"), {DOC: A}, {DOC: other})
    assert exc.value.incidents[0].id == "text-sha256-differs"


@pytest.mark.parametrize(("log", "expected"), [("", 1), ("# Log\n", 2), ("## Round 2 (x)\n", 3)])
def test_next_round(log: str, expected: int) -> None:
    assert next_round(log) == expected


def _cli(work: dict[str, Path], *extra: str) -> int:
    return main(
        ["adjudicate", str(work["A"]), str(work["B"]), "--out", str(work["gold"]),
         "--work", str(work["work"]), "--documents", str(work["documents"]),
         "--log", str(work["log"]), *extra]
    )  # fmt: skip


def test_cli_lists_then_applies_and_logs(
    work: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work["log"].write_text("# Adjudication log\n\n## Round 2 (earlier)\n\ntext\n", encoding="utf-8")
    assert _cli(work) == 0
    out = capsys.readouterr().out
    assert "agreed: 2 entities, 0 stances, 1 events; disagreements: 8" in out
    assert "gold not written" in out and not work["gold"].exists()
    listed = json.loads((work["work"] / "disagreements.json").read_text(encoding="utf-8"))
    assert set(listed) == {"a", "b", "items"} and len(listed["items"]) == 8
    assert set(listed["items"][0]) == {"id", "doc_id", "layer", "kind", "a", "b"}
    agreed = json.loads((work["work"] / "agreed" / f"{DOC}.json").read_text(encoding="utf-8"))
    assert [e["text"] for e in agreed["entities"]] == ["Kim Jong Un", "Putin"]
    template = json.loads((work["work"] / "decisions-template.json").read_text(encoding="utf-8"))
    # the adjudicator fills in the template by hand
    for dec in template["decisions"]:
        dec.update(choice="b", reason="B's reading", by="Ana")
    kinds = {it["id"]: it["kind"] for it in listed["items"]}
    for dec in template["decisions"]:
        if kinds[dec["id"]] in ("canonical-id", "missing-in-a"):
            dec.update(choice="a", reason="the link is certain; no stance of Russia in the text")
    decisions = work["root"] / "decisions.json"
    decisions.write_text(json.dumps(template), encoding="utf-8")
    assert _cli(work, "--decisions", str(decisions)) == 0
    assert "round 3 (8 decision(s)) appended" in capsys.readouterr().out
    log = work["log"].read_text(encoding="utf-8")
    assert log.startswith("# Adjudication log\n\n## Round 2 (earlier)\n\ntext\n\n## Round 3 (")
    assert "| d0007 | 005_aaaaaaaaaaaaaaaa | events | factuality |" in log
    assert "B's reading | Ana |" in log
    gold = json.loads((work["gold"] / f"{DOC}.json").read_text(encoding="utf-8"))
    assert [e["canonical_id"] for e in gold["entities"]][3] == "russia"
    # same decisions again: gold unchanged, nothing logged twice
    assert _cli(work, "--decisions", str(decisions)) == 0
    assert "gold unchanged" in capsys.readouterr().out
    assert work["log"].read_text(encoding="utf-8") == log
    # B changes after the listing: the decisions' ids may name other items now
    changed = copy.deepcopy(B)
    changed["entities"][2]["type"] = "GPE"
    write_annotation(work["B"] / f"{DOC}.json", changed)
    assert _cli(work, "--decisions", str(decisions)) == 1
    assert "disagreements-changed" in capsys.readouterr().err


def test_cli_agreeing_sets_go_straight_to_gold(
    work: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    write_annotation(work["B"] / f"{DOC}.json", {**A, "annotator": "B"})
    assert _cli(work) == 0
    assert (work["gold"] / f"{DOC}.json").is_file()
    assert "## Round 1 (" in work["log"].read_text(encoding="utf-8")
    assert "Disagreements decided: 0." in work["log"].read_text(encoding="utf-8")


def test_an_unreadable_log_stops_the_round_before_the_gold_is_written(
    work: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The log is read (rukp.safeio) before the gold: a round is never written unlogged."""
    write_annotation(work["B"] / f"{DOC}.json", {**A, "annotator": "B"})
    work["log"].write_bytes(b"# Adjudication log\n\nd\xe9cid\xe9\n")
    assert _cli(work) == 1
    err = capsys.readouterr().err
    assert "ERROR not-utf8 " in err and "byte offset 21" in err
    assert not work["gold"].exists()
    assert work["log"].read_bytes() == b"# Adjudication log\n\nd\xe9cid\xe9\n"


def test_diff_cli(work: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(work["A"]), str(work["A"])]) == 0
    assert "identical: 1 document(s)" in capsys.readouterr().out
    assert main(["diff", str(work["A"]), str(work["B"])]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"== {DOC}: 8 difference(s)"
    assert "    type           A «Moscow» [25:31] GPE moscow" in out
    assert "                   B «Moscow» [25:31] ORG moscow" in out
    assert (
        "    missing-in-b   A «alliance» [103:111] COOPERATE russia, north_korea → - asserted"
        in out
    )
    assert out[-1] == "8 difference(s) in 1 document(s); 0 document(s) identical"
