"""The committed gold keeps the guideline 1.3 decisions: the consistency warnings it raises are
exactly the ones listed as accepted (with a reason) in annotations/ADJUDICATION.md."""

from __future__ import annotations

import re
from pathlib import Path

from rukp.validate import validate_paths

ROOT = Path(__file__).parents[2]
WARNINGS = ("double-coded-event", "author-stance-without-target-reference")


def accepted() -> set[tuple[str, str, frozenset[str]]]:
    """(warning id, doc id, item ids) of the accepted-warnings table of the adjudication log."""
    rows = set()
    text = (ROOT / "annotations" / "ADJUDICATION.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        m = re.match(r"\| `([a-z-]+)` \| (\S+) \| ([^|]+) \| (.+) \|$", line)
        if m and m.group(1) in WARNINGS:
            assert m.group(4).strip(), f"accepted warning without a reason: {line}"
            items = frozenset(x.strip() for x in m.group(3).split(","))
            rows.add((m.group(1), m.group(2), items))
    return rows


def raised(documents_path: Path) -> set[tuple[str, str, frozenset[str]]]:
    incidents = validate_paths([ROOT / "annotations" / "gold"], documents_path)
    assert not [i for i in incidents if i.level == "error"], [i.format() for i in incidents]
    out = set()
    for inc in incidents:
        if inc.id not in WARNINGS:
            continue
        items = re.findall(r"(?:events|stance) '([a-z0-9]+)'", inc.message)
        items += re.findall(r"and '([a-z0-9]+)' are both", inc.message)
        out.add((inc.id, inc.doc_id or "", frozenset(items)))
    return out


def test_gold_raises_only_accepted_consistency_warnings(documents_path: Path) -> None:
    table = accepted()
    assert table, "the accepted-warnings table of annotations/ADJUDICATION.md was not found"
    found = raised(documents_path)
    assert found - table == set(), "new warnings: fix the gold or accept them with a reason"
    assert table - found == set(), "accepted warnings that no longer occur: update the table"


def test_no_author_stance_rests_on_an_epithet(documents_path: Path) -> None:
    found = raised(documents_path)
    assert not [w for w in found if w[0] == "author-stance-without-target-reference"]
