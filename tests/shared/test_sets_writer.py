"""The one JSON writer of annotation sets: canonical form, content never changed."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rukp.paths import repo_root
from rukp.sets import dumps_annotation, dumps_registry, dumps_set_file, write_annotation

ROOT = repo_root()


def test_key_order_follows_the_schema_at_every_level() -> None:
    data = {
        "events": [
            {
                "factuality": "asserted",
                "trigger": {"text": "visit", "end": 5, "start": 0},
                "id": "v1",
                "type": "CONSULT",
                "mode": None,
                "targets": [],
                "sources": ["a"],
            }
        ],
        "stances": [],
        "entities": [
            {"canonical_id": None, "type": "PER", "text": "Kim", "end": 3, "start": 0, "id": "e1"}
        ],
        "annotator": "A",
        "doc_id": "d",
        "guidelines_version": "1.2",
        "text_sha256": "0" * 64,
    }
    out = dumps_annotation(data)
    assert json.loads(out) == data
    assert out == (
        "{\n"
        '  "doc_id": "d",\n'
        f'  "text_sha256": "{"0" * 64}",\n'
        '  "annotator": "A",\n'
        '  "guidelines_version": "1.2",\n'
        '  "entities": [\n'
        "    {\n"
        '      "id": "e1",\n'
        '      "start": 0,\n'
        '      "end": 3,\n'
        '      "text": "Kim",\n'
        '      "type": "PER",\n'
        '      "canonical_id": null\n'
        "    }\n"
        "  ],\n"
        '  "stances": [],\n'
        '  "events": [\n'
        "    {\n"
        '      "id": "v1",\n'
        '      "trigger": {\n'
        '        "start": 0,\n'
        '        "end": 5,\n'
        '        "text": "visit"\n'
        "      },\n"
        '      "type": "CONSULT",\n'
        '      "mode": null,\n'
        '      "sources": [\n'
        '        "a"\n'
        "      ],\n"
        '      "targets": [],\n'
        '      "factuality": "asserted"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )


def test_registry_order_and_unknown_keys_kept_last() -> None:
    data = {"entities": [{"names": {"ko": ["김정은"]}, "zz": 1, "type": "PER", "id": "kim"}]}
    out = dumps_registry(data)
    assert json.loads(out) == data
    assert list(json.loads(out)["entities"][0]) == ["id", "type", "names", "zz"]
    assert "김정은" in out  # non-ASCII kept


def test_every_committed_set_file_is_in_the_canonical_form() -> None:
    files = sorted((ROOT / "annotations").glob("*/*.json"))
    assert len(files) >= 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert dumps_set_file(path, json.loads(text)) == text, path


_text = st.text(min_size=1, max_size=12)
_entity = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"e[0-9]{1,3}", fullmatch=True),
        "start": st.integers(0, 10_000),
        "end": st.integers(1, 10_000),
        "text": _text,
        "type": st.sampled_from(["PER", "ORG", "GPE"]),
        "canonical_id": st.none() | st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    }
)


@settings(max_examples=200, deadline=None)
@given(
    entities=st.lists(_entity, max_size=6),
    notes=st.none() | _text,
    order=st.permutations(["doc_id", "text_sha256", "annotator", "entities", "stances"]),
)
def test_writing_changes_the_form_never_the_content(
    entities: list[dict], notes: str | None, order: list[str]
) -> None:
    base = {
        "doc_id": "d1",
        "text_sha256": "a" * 64,
        "annotator": "B",
        "entities": [dict(reversed(list(e.items()))) for e in entities],
        "stances": [],
    }
    data = {k: base[k] for k in order}
    if notes is not None:
        data["notes"] = notes
    out = dumps_annotation(data)
    assert json.loads(out) == data  # same content, list order kept
    assert dumps_annotation(json.loads(out)) == out  # idempotent


def test_write_annotation_is_atomic_and_canonical(tmp_path: Path) -> None:
    path = tmp_path / "set" / "d.json"
    write_annotation(path, {"entities": [], "doc_id": "d"})
    assert path.read_text(encoding="utf-8") == '{\n  "doc_id": "d",\n  "entities": []\n}\n'
    assert [p.name for p in path.parent.iterdir()] == ["d.json"]
