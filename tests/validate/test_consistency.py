"""The consistency warnings of guidelines 1.3: same-clause double coding and author stances
without a reference to the target. Expected values worked out by hand from the texts below."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rukp.errors import RukpError
from rukp.validate.consistency import (
    Keywords,
    TargetReference,
    clause_boundary,
    consistency_incidents,
    language_at,
    load_clause_rules,
    load_target_references,
)

ROOT = Path(__file__).parents[2]
RULES = load_clause_rules()


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a comma alone is no boundary; a comma + conjunction / relative pronoun is
        ("coopération militaire, y compris d'éventuels échanges", "fr", None),
        ("visite en Russie, et a discuté", "fr", ", et"),
        ("le transfert, qu'il a qualifié", "fr", ", qu'"),
        ("le transfert, qu’il a qualifié", "fr", ", qu'"),  # typographic apostrophe
        ("incontro con Putin, si è parlato", "it", None),
        ("accordo, cosa che ha suscitato", "it", ", cosa che"),
        ("alla Corea del Nord, anche se Mosca", "it", ", anche se"),
        ("provide military aid to Ukraine, but the country offers", "en", ", but"),
        ("aid, butter", "en", None),  # 'but' must be a whole word
        ("violates resolutions and threatens", "en", None),  # no separator before 'and'
        ("Ha aggiunto: “Una spedizione", "it", ":"),  # a standalone mark
        ("missiles; the country", "xx", ";"),  # unknown language: standalone marks only
        ("missiles, and the country", "xx", None),
        ("북한군, 그리고 러시아", "ko", ", 그리고"),
        ("朝鲜，但俄罗斯", "zh", "， 但"),  # prefix match: glued to the next word
        ("قوات، وروسيا", "ar", "، و"),
    ],
)
def test_clause_boundary(text: str, lang: str, expected: str | None) -> None:
    assert clause_boundary(text, 0, len(text), lang, RULES) == expected


def test_language_at_paragraph_then_document() -> None:
    doc = {
        "language": "fr",
        "paragraphs": [{"start": 0, "end": 5, "language": "en"}, {"start": 7, "end": 9}],
    }
    assert language_at(doc, 2) == "en"
    assert language_at(doc, 8) == "fr"  # paragraph without a language: the document's
    assert language_at(doc, 6) == "fr"  # between paragraphs
    assert language_at(None, 0) == ""


TEXT = (
    "Seoul offers humanitarian and financial assistance. Seoul denies military aid to Kyiv, "
    "but it sends food aid to Kyiv. Seoul sends food aid to Kyiv and medicine aid to Kyiv."
)


def span(text: str, word: str, nth: int = 1) -> dict:
    pos = -1
    for _ in range(nth):
        pos = TEXT.index(word, pos + 1)
    return {"start": pos, "end": pos + len(word), "text": word}


def event(id: str, word: str, nth: int = 1, type: str = "AID", targets=("ukraine",)) -> dict:
    return {
        "id": id,
        "trigger": span(TEXT, word, nth),
        "type": type,
        "mode": None,
        "sources": ["south_korea"],
        "targets": list(targets),
        "factuality": "asserted",
    }


def annotation(events: list[dict], stances: list[dict] | None = None, entities=None) -> dict:
    return {
        "doc_id": "t",
        "events": events,
        "stances": stances or [],
        "entities": entities or [],
    }


DOC = {"language": "en", "paragraphs": [{"start": 0, "end": len(TEXT), "language": "en"}]}


def ids(data: dict) -> list[tuple[str, str | None]]:
    return [(i.id, i.location) for i in consistency_incidents(data, TEXT, DOC, "t.json")]


def test_same_trigger_is_double_coded() -> None:
    data = annotation([event("v1", "assistance"), event("v2", "assistance")])
    [inc] = consistency_incidents(data, TEXT, DOC, "t.json")
    assert (inc.id, inc.level, inc.location) == ("double-coded-event", "warning", "$.events[1]")
    assert "'v1' and 'v2'" in inc.message and "same trigger 'assistance'" in inc.message


def test_same_clause_is_double_coded_and_boundaries_are_not() -> None:
    # sentence 3: "Seoul sends food aid to Kyiv and medicine aid to Kyiv." -> no comma: one clause
    same = annotation([event("v1", "aid", 3), event("v2", "aid", 4)])
    assert ids(same) == [("double-coded-event", "$.events[1]")]
    # sentence 2: ", but it sends" is a clause boundary
    boundary = annotation([event("v1", "aid", 1), event("v2", "aid", 2)])
    assert ids(boundary) == []
    # two sentences
    apart = annotation([event("v1", "assistance"), event("v2", "aid", 3)])
    assert ids(apart) == []


def test_type_sources_and_targets_must_all_agree() -> None:
    other_type = annotation([event("v1", "aid", 3), event("v2", "aid", 4, type="COOPERATE")])
    other_target = annotation([event("v1", "aid", 3), event("v2", "aid", 4, targets=["russia"])])
    reordered = annotation(
        [
            event("v1", "aid", 3, targets=("ukraine", "russia")),
            event("v2", "aid", 4, targets=("russia", "ukraine")),
        ]
    )
    assert ids(other_type) == []
    assert ids(other_target) == []
    assert ids(reordered) == [("double-coded-event", "$.events[1]")]  # sets, not lists


EPITHET = "Russian dictator Vladimir Putin met North Korean leader Kim Jong Un."


def stance(start: int, end: int, attribution: str = "author") -> dict:
    return {
        "id": "s1",
        "holder": None if attribution == "author" else "vladimir_putin",
        "target": "RU-KP-MILCOOP",
        "label": "AGAINST",
        "attribution": attribution,
        "evidence": {"start": start, "end": end, "text": EPITHET[start:end]},
    }


ENTITIES = [
    {"id": "e1", "start": 0, "end": 7, "type": "NORP", "canonical_id": "russian"},
    {"id": "e2", "start": 17, "end": 31, "type": "PER", "canonical_id": "vladimir_putin"},
    {"id": "e3", "start": 36, "end": 48, "type": "NORP", "canonical_id": "north_korean"},
    {"id": "e4", "start": 56, "end": 67, "type": "PER", "canonical_id": "kim_jong_un"},
]


@pytest.mark.parametrize(
    ("start", "end", "attribution", "warned"),
    [
        (0, 16, "author", True),  # "Russian dictator": one party, no keyword
        (0, 31, "author", True),  # "Russian dictator Vladimir Putin": still one party
        (0, 67, "author", False),  # both parties named
        (0, 16, "reported", False),  # only author stances are checked
    ],
)
def test_author_stance_reference(start: int, end: int, attribution: str, warned: bool) -> None:
    data = annotation([], [stance(start, end, attribution)], ENTITIES)
    doc = {"language": "en", "paragraphs": []}
    found = consistency_incidents(data, EPITHET, doc, "t.json")
    assert [i.id for i in found] == (["author-stance-without-target-reference"] if warned else [])
    if warned:
        assert found[0].location == "$.stances[0].evidence"


@pytest.mark.parametrize(
    ("evidence", "lang", "warned"),
    [
        ("the illegal arms trade", "en", False),  # keyword 'arms' (prefix of a word)
        ("a dangerous alliance", "en", False),  # 'allian…'
        ("the farms of Pyongyang", "en", True),  # 'arms' inside 'farms' is no word start
        ("una pericolosa alleanza militare", "it", False),
        ("dittatore nordcoreano", "it", True),
        ("北朝鮮の武器供与", "ja", False),  # substring match
        ("the illegal arms trade", "xx", True),  # no keyword list for the language
    ],
)
def test_author_stance_keywords(evidence: str, lang: str, warned: bool) -> None:
    text = evidence
    data = annotation(
        [],
        [
            {
                "id": "s1",
                "holder": None,
                "target": "RU-KP-MILCOOP",
                "label": "AGAINST",
                "attribution": "author",
                "evidence": {"start": 0, "end": len(text), "text": text},
            }
        ],
    )
    found = consistency_incidents(data, text, {"language": lang}, "t.json")
    assert bool(found) == warned


def test_reference_lists_are_read_per_target() -> None:
    refs = load_target_references()
    ref = refs["RU-KP-MILCOOP"]
    assert isinstance(ref, TargetReference) and len(ref.parties) == 2
    assert isinstance(ref.keywords["fr"], Keywords) and "coopér" in ref.keywords["fr"].terms


def test_party_ids_are_registry_ids_and_targets_are_labels() -> None:
    registry = json.loads((ROOT / "annotations" / "entities.json").read_text(encoding="utf-8"))
    known = {e["id"] for e in registry["entities"]}
    labels = json.loads((ROOT / "schema" / "labels.json").read_text(encoding="utf-8"))
    targets = {t["id"] for t in labels["stance_targets"]}
    for target, ref in load_target_references().items():
        assert target in targets
        for party in ref.parties:
            assert party <= known, party - known


def test_broken_word_list_raises(tmp_path: Path) -> None:
    bad = tmp_path / "clause_openers.json"
    bad.write_text(json.dumps({"version": "1", "standalone": [], "separators": []}), "utf-8")
    with pytest.raises(RukpError) as err:
        load_clause_rules(bad)
    assert {i.id for i in err.value.incidents} == {"schema-violation"}
    broken = tmp_path / "target_references.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(RukpError) as err:
        load_target_references(broken)
    assert err.value.incidents[0].id == "malformed-json"
