"""Near-duplicate clusters: MinHash over word 5-shingles + LSH; clusters = connected components.

Only the LSH band keys derived from each document's MinHash signature are kept per document
(plus the union-find parent map), so memory grows by a few hundred bytes per document.
"""

from __future__ import annotations

import zlib

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SEED = 1
THRESHOLD = 0.8
SHINGLE = 5


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    words = text.casefold().split()
    if len(words) <= k:
        return {" ".join(words).encode("utf-8")}
    grams = zip(*(words[i:] for i in range(k)), strict=False)
    return {" ".join(g).encode("utf-8") for g in grams}


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)  # permutations are made once, not per page


def signature(text: str) -> MinHash:
    """MinHash of the word 5-shingles; CRC-32 as the (deterministic, fast) 32-bit shingle hash."""
    m = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=zlib.crc32,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
    )
    m.update_batch(sorted(shingles(text)))
    return m


class NearDuplicates:
    """Add documents one by one; `clusters()` maps each doc_id to the smallest doc_id of its
    connected component of LSH candidate pairs (Jaccard estimate around THRESHOLD or more)."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._parent: dict[str, str] = {}

    def _find(self, key: str) -> str:
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def add(self, doc_id: str, text: str) -> None:
        m = signature(text)
        self._parent[doc_id] = doc_id
        for other in self._lsh.query(m):
            a, b = self._find(doc_id), self._find(other)
            if a != b:
                lo, hi = sorted((a, b))
                self._parent[hi] = lo
        self._lsh.insert(doc_id, m)

    def cluster(self, doc_id: str) -> str:
        return self._find(doc_id)

    def clusters(self) -> dict[str, list[str]]:
        """Clusters with more than one member: {cluster id: sorted doc_ids}."""
        groups: dict[str, list[str]] = {}
        for doc_id in sorted(self._parent):
            groups.setdefault(self._find(doc_id), []).append(doc_id)
        return {k: v for k, v in sorted(groups.items()) if len(v) > 1}
