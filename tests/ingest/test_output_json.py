"""The ingest writes its JSON Lines with orjson: the same text as the standard library's
compact, non-ASCII-keeping json.dumps, for any string and the record shapes it writes."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from rukp.ingest.pipeline import _dumps

values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), values, max_size=6))
def test_dumps_matches_json_dumps(record: dict) -> None:
    assert _dumps(record) == json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def test_dumps_on_hand_picked_strings() -> None:
    text = 'quote " backslash \\ tab \t nl \n cr \r nul \x00 us \x1f del \x7f ls \u2028 😀 é'
    expected = (
        '{"text":"quote \\" backslash \\\\ tab \\t nl \\n cr \\r nul \\u0000 us \\u001f '
        'del \x7f ls \u2028 😀 é"}'
    )
    assert _dumps({"text": text}) == expected
