"""Near-duplicate clusters: MinHash over word 5-shingles, LSH banding, connected components.

Signatures are datasketch MinHashes (128 permutations). The LSH index is kept on disk, in a
temporary SQLite file next to the outputs, so memory does not grow with the number of pages:
each document adds BANDS rows (band number, 64-bit digest of the band's hash values, document
number) and looks up the same keys first. BANDS × ROWS is datasketch's optimal banding for
THRESHOLD (the same candidate pairs as `datasketch.MinHashLSH`). Documents must be added in
doc_id order; a cluster is named after its smallest doc_id. Only documents that have a
candidate pair are held in memory (union-find), so memory grows with duplicates, not pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import zlib
from pathlib import Path

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

NUM_PERM = 128
SEED = 1
THRESHOLD = 0.8
SHINGLE = 5
BANDS, ROWS = _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)  # (9, 13) for 0.8 / 128
SQLITE_CACHE_KIB = 16384

_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)  # permutations are made once, not per page
# odd multipliers mixing the k word hashes of a shingle into one 32-bit shingle hash
_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1], dtype=np.uint64)


def shingle_hashes(text: str, k: int = SHINGLE) -> np.ndarray:
    """Distinct 32-bit hashes of the case-folded word k-shingles (CRC-32 per word, mixed)."""
    words = text.casefold().split()
    if not words:
        return np.zeros(1, dtype=np.uint64)
    data = "\x00".join(words).encode("utf-8").split(b"\x00")
    wh = np.fromiter(map(zlib.crc32, data), dtype=np.uint64, count=len(data))
    if len(wh) <= k:
        grams = (wh * _MIX[: len(wh)]).sum(keepdims=True)
    else:
        n = len(wh) - k + 1
        grams = sum(wh[i : i + n] * _MIX[i] for i in range(k))
    return np.unique(grams & np.uint64(0xFFFFFFFF))


def _identity(value: int) -> int:
    return value


def _empty_minhash() -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=_identity,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
    )


def signature(text: str, into: MinHash | None = None) -> MinHash:
    """datasketch MinHash of the shingle hashes (already hashed, so hashfunc is the identity).
    `into`: a MinHash from a previous call to clear and reuse (saves its set-up per page)."""
    m = _empty_minhash() if into is None else into
    if into is not None:
        m.clear()
    m.update_batch(shingle_hashes(text).tolist())
    return m


def band_keys(m: MinHash) -> list[tuple[int, int]]:
    """(band, signed 64-bit digest of the band's hash values) for each of the BANDS bands."""
    values = np.ascontiguousarray(m.hashvalues, dtype=np.uint64)
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "little", signed=True)))
    return keys


class NearDuplicates(contextlib.AbstractContextManager):
    """Add documents in doc_id order; `cluster(doc_id)` is the smallest doc_id of its connected
    component of LSH candidate pairs (Jaccard around THRESHOLD or more). Use as a context
    manager (or call `close`) so that the temporary index file is removed."""

    def __init__(self, folder: Path | None = None, threshold: float = THRESHOLD) -> None:
        if threshold != THRESHOLD:
            raise ValueError(f"only threshold {THRESHOLD} is supported (banding {BANDS}x{ROWS})")
        fd, name = tempfile.mkstemp(prefix=".lsh.", suffix=".sqlite", dir=folder)
        os.close(fd)
        self._path = Path(name)
        self._db = sqlite3.connect(name, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{SQLITE_CACHE_KIB}"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE band (band INTEGER, key INTEGER, doc INTEGER)")
        self._db.execute("CREATE INDEX band_key ON band (band, key)")
        self._db.execute("CREATE TABLE doc (doc INTEGER PRIMARY KEY, doc_id TEXT)")
        self._db.execute("BEGIN")
        self._count = 0
        self._parent: dict[int, int] = {}  # only documents with a candidate pair
        self._ids: dict[int, str] = {}  # their doc_ids
        self._last: str | None = None
        self._minhash = _empty_minhash()  # reused for every page

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None  # type: ignore[assignment]
        with contextlib.suppress(FileNotFoundError):
            self._path.unlink()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _find(self, x: int) -> int:
        root = x
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        while self._parent.get(x, x) != root:
            self._parent[x], x = root, self._parent[x]
        return root

    def add(self, doc_id: str, text: str) -> None:
        if self._last is not None and doc_id <= self._last:
            raise ValueError(
                f"documents must be added in doc_id order: {doc_id!r} after {self._last!r}"
            )
        self._last = doc_id
        doc = self._count
        self._count += 1
        keys = band_keys(signature(text, into=self._minhash))
        where = " OR ".join(["(band=? AND key=?)"] * len(keys))
        params = [v for pair in keys for v in pair]
        others = {row[0] for row in self._db.execute(f"SELECT doc FROM band WHERE {where}", params)}
        self._db.executemany("INSERT INTO band VALUES (?, ?, ?)", [(b, k, doc) for b, k in keys])
        self._db.execute("INSERT INTO doc VALUES (?, ?)", (doc, doc_id))
        for other in sorted(others):
            if other not in self._ids:
                row = self._db.execute("SELECT doc_id FROM doc WHERE doc=?", (other,)).fetchone()
                self._ids[other] = row[0]
                self._parent.setdefault(other, other)
            self._ids[doc] = doc_id
            self._parent.setdefault(doc, doc)
            a, b = self._find(doc), self._find(other)
            if a != b:
                lo, hi = sorted((a, b))
                self._parent[hi] = lo

    def cluster(self, doc_number: int, doc_id: str) -> str:
        """Cluster of the `doc_number`-th added document (whose doc_id is `doc_id`)."""
        if doc_number not in self._parent:
            return doc_id
        return self._ids[self._find(doc_number)]

    def clusters(self) -> dict[str, list[str]]:
        """Clusters with more than one member: {cluster id: sorted doc_ids}."""
        groups: dict[str, list[str]] = {}
        for doc in sorted(self._parent):
            groups.setdefault(self._ids[self._find(doc)], []).append(self._ids[doc])
        return {k: sorted(v) for k, v in sorted(groups.items()) if len(v) > 1}
