"""One invalid submission per incident id (cases/<id>.jsonl); nothing is scored from them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from evaluate_fixtures import CASES
from hypothesis import given, settings
from hypothesis import strategies as st

import rukp
from rukp.cli import main
from rukp.errors import RukpError
from rukp.evaluate import SCORER_VERSION, evaluate_submission, score_task
from rukp.evaluate.release import load_gold

# error id -> (location, doc_id) of the single incident expected from cases/<error id>.jsonl
EXPECTED = {
    "malformed-json": ("line 2", None),
    "schema-violation": ("line 2", "a"),
    "duplicate-id": ("line 4", "a"),
    "extra-id": ("line 4", "c"),
    "missing-id": (None, "b"),
    "unknown-label": ("line 1", "a"),
    "tag-count-mismatch": ("line 2", "a"),
}


@pytest.mark.parametrize("error_id", sorted(EXPECTED))
def test_each_case_gives_exactly_its_incident(tiny_release: Path, error_id: str) -> None:
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", CASES / f"{error_id}.jsonl", tiny_release, bootstrap=0)
    incidents = info.value.incidents
    assert [i.id for i in incidents] == [error_id]
    location, doc_id = EXPECTED[error_id]
    assert incidents[0].location == location
    assert incidents[0].doc_id == doc_id
    assert incidents[0].file == str(CASES / f"{error_id}.jsonl")


def test_messages_say_what_was_found_and_what_is_allowed(tiny_release: Path) -> None:
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", CASES / "unknown-label.jsonl", tiny_release, bootstrap=0)
    msg = info.value.incidents[0].message
    assert "'B-PERSON' at $.tags[0]" in msg
    assert "allowed: O, B-PER, I-PER, B-ORG" in msg
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", CASES / "tag-count-mismatch.jsonl", tiny_release, bootstrap=0)
    assert "2 tags for sentence 'a/1', which has 3 tokens" in info.value.incidents[0].message
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", CASES / "duplicate-id.jsonl", tiny_release, bootstrap=0)
    assert "already given on line 1" in info.value.incidents[0].message


def test_file_too_large(tiny_release: Path) -> None:
    # The fixture is a valid file; it is refused only because the limit is set below its size.
    path = CASES / "file-too-large.jsonl"
    size = path.stat().st_size
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", path, tiny_release, bootstrap=0, max_bytes=size - 1)
    (inc,) = info.value.incidents
    assert inc.id == "file-too-large"
    assert f"{size:,} bytes; the bound for a submission file is {size - 1:,} bytes" in inc.message
    assert evaluate_submission("ner", path, tiny_release, bootstrap=0, max_bytes=size)["score"] == 1


def test_all_problems_listed_at_once(tiny_release: Path, tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text(
        '{"id": "a/0", "tags": ["B-PER", "I-PER", "O"]}\n'  # 3 tags for 4 tokens
        "not json\n"
        '{"id": "zz/9", "tags": []}\n'
        '{"id": "a/1", "tags": ["O", "B-ORG", "O"], "score": 1}\n'
    )
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", path, tiny_release, bootstrap=0)
    got = [(i.id, i.location) for i in info.value.incidents]
    assert got == [
        ("tag-count-mismatch", "line 1"),
        ("malformed-json", "line 2"),
        ("extra-id", "line 3"),
        ("schema-violation", "line 4"),
        ("missing-id", None),  # b/0; a/1 was given (with a schema error) so it is not missing
    ]


@pytest.mark.parametrize(
    ("task", "line", "bad"),
    [
        ("stance", '{"id": "a/s1", "label": "PRO"}', "'PRO'"),
        ("events", '{"id": "a/0", "types": ["AID", "HELP"]}', "'HELP' at $.types[1]"),
    ],
)
def test_unknown_label_other_tasks(tiny_release: Path, tmp_path: Path, task, line, bad) -> None:
    gold = load_gold(task, tiny_release).rows
    field = "label" if task == "stance" else "types"
    rows = [json.loads(line)] + [{"id": g["id"], field: g[field]} for g in gold[1:]]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(RukpError) as info:
        evaluate_submission(task, path, tiny_release, bootstrap=0)
    (inc,) = info.value.incidents
    assert inc.id == "unknown-label" and inc.location == "line 1"
    assert bad in inc.message and "allowed: " in inc.message


def test_score_task_checks_ids_too() -> None:
    gold = [{"id": "a/s1", "doc_id": "a", "language": "en", "label": "FAVOR"}]
    with pytest.raises(RukpError) as info:
        score_task("stance", gold, [{"id": "a/s2", "label": "FAVOR"}], bootstrap=0)
    assert [(i.id, i.location) for i in info.value.incidents] == [
        ("extra-id", "row 1"),
        ("missing-id", None),
    ]


def test_release_errors(tiny_release: Path, tmp_path: Path) -> None:
    valid = CASES / "valid.jsonl"
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", valid, tmp_path / "nowhere")
    assert info.value.incidents[0].id == "release-not-found"
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", valid, tiny_release, split="validation")
    assert info.value.incidents[0].id == "release-split-missing"
    with open(tiny_release / "ner" / "test-00000-of-00001.parquet", "ab") as f:
        f.write(b"\0")
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", valid, tiny_release)
    assert info.value.incidents[0].id == "release-hash-mismatch"


def test_cli_exit_codes_and_json(
    tiny_release: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the scorer has its own version: a package version of another value leaves the signature as
    # it is (rukp 2.0.0 and scorer 2.0.0 happen to be equal, so compare with a made-up one)
    monkeypatch.setattr(rukp, "__version__", "9.9.9")
    base = ["evaluate", "--task", "ner", "--release", str(tiny_release), "--bootstrap", "100"]
    assert main([*base, "--predictions", str(CASES / "valid.jsonl"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["score"] == 1.0
    assert out["signature"].startswith("ner|f1:conlleval|split:test|data:0.1.0+sha256:")
    assert out["signature"].endswith(f"|scorer:{SCORER_VERSION}|boot:100+seed:0")
    assert out["scorer_version"] == SCORER_VERSION == "2.0.0"
    assert "9.9.9" not in out["signature"]
    assert main([*base, "--predictions", str(CASES / "missing-id.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "ERROR missing-id" in err and "nothing was scored" in err
    assert main([*base, "--predictions", str(CASES / "extra-id.jsonl"), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "FAILED" and out["incidents"][0]["id"] == "extra-id"


def test_cli_human_table(tiny_release: Path, tmp_path: Path, capsys) -> None:
    pred = tmp_path / "p.jsonl"
    shutil.copy(CASES / "valid.jsonl", pred)
    args = ["evaluate", "--task", "ner", "--release", str(tiny_release), "--predictions", str(pred)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("ner: f1 = 100.00  95% CI [100.00, 100.00]")
    assert out.splitlines()[1].startswith("(f1 counts entities as conlleval does; strict IOB2")
    assert out.rstrip().splitlines()[-1].endswith(f"|scorer:{SCORER_VERSION}|boot:1000+seed:0")
    # every entity type is listed, the absent ones named as such
    assert "\nWEA " in out and "absent from gold and predictions, scored 0: LOC, FAC" in out


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(["O", "B-PER", "AID", "FAVOR", ""]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["id", "x"]), inner)
    ),
    max_leaves=8,
)
_objects = st.dictionaries(st.sampled_from(["id", "tags", "label", "types", "extra"]), _json)


@settings(max_examples=300, deadline=None)
@given(obj=_objects | _json, task=st.sampled_from(["ner", "stance", "events"]))
def test_fast_schema_check_never_accepts_what_jsonschema_rejects(obj, task) -> None:
    from rukp.evaluate.submission import _fast_valid, _validator, allowed_values

    fast = _fast_valid(obj, task, frozenset(allowed_values(task)))
    full = not list(_validator(task).iter_errors(obj))
    assert not fast or full
    if isinstance(obj, dict) and full:
        # the shapes a real submission has are accepted by the fast path too
        assert fast


def test_bom_crlf_and_deep_nesting(tiny_release: Path, tmp_path: Path) -> None:
    valid = (CASES / "valid.jsonl").read_bytes()
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + valid.replace(b"\n", b"\r\n"))
    assert evaluate_submission("ner", path, tiny_release, bootstrap=0)["score"] == 1.0
    path.write_bytes(valid + b"[" * 100_000 + b"\n")
    with pytest.raises(RukpError) as info:
        evaluate_submission("ner", path, tiny_release, bootstrap=0)
    (inc,) = info.value.incidents
    assert (inc.id, inc.location) == ("json-too-deep", "line 4")
    assert "nested deeper than 64 levels" in inc.message


def test_gold_with_repeated_ids_is_refused() -> None:
    row = {"id": "a/s1", "doc_id": "a", "language": "en", "label": "FAVOR"}
    with pytest.raises(RukpError) as info:
        score_task("stance", [row, dict(row)], [{"id": "a/s1", "label": "FAVOR"}], bootstrap=0)
    assert info.value.incidents[0].id == "gold-duplicate-id"
