"""A text with (possibly overlapping or crossing) character spans as nested, escaped HTML.

Marks that cross are split into pieces; every piece of a mark carries the same attributes, the
pieces after the first get the class `cont` and only the first keeps an `id`. So a browser (or
a test) counts marks by their data attribute, not by elements.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field


def esc(value: object) -> str:
    """HTML-escape any text from the data (quotes too: safe in attributes)."""
    return html.escape(str(value), quote=True)


@dataclass(slots=True)
class Mark:
    start: int
    end: int
    tag: str = "span"
    cls: str = ""
    attrs: dict[str, str] = field(default_factory=dict)  # raw values, escaped when written
    rank: int = 0  # at equal extent, a lower rank is the outer element


def _open(m: Mark, first: bool) -> str:
    cls = m.cls if first else f"{m.cls} cont".strip()
    parts = [m.tag]
    if cls:
        parts.append(f'class="{esc(cls)}"')
    for k, v in m.attrs.items():
        if k == "id" and not first:
            continue
        parts.append(f'{k}="{esc(v)}"')
    return "<" + " ".join(parts) + ">"


def render_text(text: str, marks: Sequence[Mark]) -> str:
    """`text` escaped, with every mark of positive length inside it as an element."""
    ms = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    order = sorted(range(len(ms)), key=lambda i: (ms[i].start, -ms[i].end, ms[i].rank, i))
    rank = {i: k for k, i in enumerate(order)}
    starts: dict[int, list[int]] = {}
    for i, m in enumerate(ms):
        starts.setdefault(m.start, []).append(i)
    points = sorted({0, len(text), *(m.start for m in ms), *(m.end for m in ms)})
    out: list[str] = []
    stack: list[int] = []
    active: set[int] = set()
    opened: set[int] = set()
    for a, b in itertools.pairwise(points):
        active = {i for i in active if ms[i].end > a} | set(starts.get(a, []))
        want = sorted(active, key=rank.__getitem__)
        k = 0
        while k < len(stack) and k < len(want) and stack[k] == want[k]:
            k += 1
        for i in reversed(stack[k:]):
            out.append(f"</{ms[i].tag}>")
        for i in want[k:]:
            out.append(_open(ms[i], i not in opened))
            opened.add(i)
        stack = want
        out.append(esc(text[a:b]))
    for i in reversed(stack):
        out.append(f"</{ms[i].tag}>")
    return "".join(out)
