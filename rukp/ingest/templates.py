"""Site templates learned from the crawl itself: lines that repeat across pages of one outlet.

A first pass over the raw pages hashes the short lines of every text page (at most MAX_CHARS
characters, each counted once per page) together with the page's outlet group, and counts the
pages holding each (group, line). A line held by at least MIN_PAGES pages of its group — and by
at least MIN_SHARE of them — is part of that outlet's template. Being a template
line is one feature of the line model (`template`), and the drop reason `site-template` of a line
the model drops: repetition across pages is never enough, on its own, to drop a line.

Outlet group: the `outlet` column of raw/sources.csv when it names one, else the host of a
source/permalink URL stated in the page, else one shared group for pages of unknown outlet
(which needs UNKNOWN_MIN_PAGES). HTML pages are left out of the first pass: their markup and
trafilatura already tell furniture apart, and parsing them twice would double their cost.
Memory: 8 bytes per (page, short line) during the pass (a numpy array of hashes), then only the
template lines' hashes; the hashes of the last HASH_CACHE (group, line) pairs are remembered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from rukp.ingest.features import line_key

MAX_CHARS = 150
MIN_PAGES = 3
MIN_SHARE = 0.3
UNKNOWN_MIN_PAGES = 5
UNKNOWN = ""


HASH_CACHE = 8192  # (group, line) hashes remembered (about 2 MB): a site repeats its furniture
_HASHES: dict[tuple[str, str], int] = {}


def line_hash(group: str, key: str) -> int:
    """A 64-bit digest of (group, key); remembered for up to HASH_CACHE pairs (emptied when
    full), since both passes hash the same furniture lines of every page."""
    found = _HASHES.get((group, key))
    if found is None:
        found = plain_line_hash(group, key)
        if len(_HASHES) >= HASH_CACHE:
            _HASHES.clear()
        _HASHES[(group, key)] = found
    return found


def plain_line_hash(group: str, key: str) -> int:
    digest = hashlib.blake2b(f"{group}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def page_keys(text: str) -> set[str]:
    """Keys (case-folded, spaces collapsed) of a page's short lines."""
    out = set()
    for line in text.split("\n"):
        if line and len(line) <= MAX_CHARS:
            key = line_key(line)
            if key:
                out.add(key)
    return out


def count_templates(pages: Iterable[tuple[str, str]]) -> dict[int, int]:
    """{hash: number of pages} for (group, text) pages, only hashes held by 2+ pages."""
    chunks: list[np.ndarray] = []
    pending: list[int] = []
    for group, text in pages:
        pending.extend(line_hash(group, k) for k in page_keys(text))
        if len(pending) >= 1 << 16:
            chunks.append(np.array(pending, dtype=np.uint64))
            pending = []
    if pending:
        chunks.append(np.array(pending, dtype=np.uint64))
    if not chunks:
        return {}
    values, counts = np.unique(np.concatenate(chunks), return_counts=True)
    keep = counts >= 2
    return dict(zip(values[keep].tolist(), counts[keep].tolist(), strict=True))


def template_keys(
    group: str, keys: Iterable[str], counts: dict[int, int], group_pages: int
) -> frozenset[str]:
    """The keys of one page that belong to its group's template."""
    need = UNKNOWN_MIN_PAGES if group == UNKNOWN else MIN_PAGES
    need = max(need, int(np.ceil(MIN_SHARE * group_pages)))
    return frozenset(k for k in keys if counts.get(line_hash(group, k), 0) >= need)
