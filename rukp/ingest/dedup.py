"""Near-duplicate clusters: MinHash over word 5-shingles, LSH banding, connected components.

Signatures are datasketch MinHashes (128 permutations). The LSH index is kept on disk, in a
temporary SQLite file next to the outputs, so memory does not grow with the number of pages:
a document's BANDS keys (64-bit digests of the band number and the band's hash values) are
looked up (a batch of documents in one query), and the keys not yet there are stored with the
document's number; a key's first holder stands for all later ones (they are all one component).
BANDS × ROWS is datasketch's optimal banding for THRESHOLD (the same candidate pairs as
`datasketch.MinHashLSH`). Documents must be added in doc_id order; a cluster is named after its
smallest doc_id. Only documents that have a candidate pair are held in memory (union-find), so
memory grows with duplicates, not pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

NUM_PERM = 128
SEED = 1
THRESHOLD = 0.8
SHINGLE = 5
# datasketch's optimal banding for THRESHOLD and NUM_PERM (datasketch.lsh._optimal_param with
# equal false-positive and false-negative weights); a test checks it. Importing datasketch costs
# 0.4 s (its LSH module imports scipy.integrate), so the ingest does not.
BANDS, ROWS = 9, 13
SQLITE_CACHE_KIB = 16384


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's "affine32" MinHash permutations h -> a*h + b mod 2**32 for (num_perm, seed),
    made the way datasketch makes them (a test checks equality with MinHash(...).permutations)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix(hv: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finalizer datasketch applies to inputs before the permutations."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


_A, _B = _permutations(NUM_PERM, SEED)  # made once, not per page
# odd multipliers mixing the k word hashes of a shingle into one 32-bit shingle hash
_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1], dtype=np.uint32)


def shingle_hashes(text: str, k: int = SHINGLE, distinct: bool = True) -> np.ndarray:
    """32-bit hashes of the case-folded word k-shingles (CRC-32 per word, mixed; arithmetic
    modulo 2**32), distinct unless `distinct` is False (repeats do not change a MinHash)."""
    words = text.casefold().split()
    if not words:
        return np.zeros(1, dtype=np.uint32)
    data = "\x00".join(words).encode("utf-8").split(b"\x00")
    wh = np.array(list(map(zlib.crc32, data)), dtype=np.uint32)  # faster than np.fromiter
    if len(wh) <= k:
        grams = (wh * _MIX[: len(wh)]).sum(keepdims=True, dtype=np.uint32)
    else:
        n = len(wh) - k + 1
        grams = wh[:n] * _MIX[0]
        for i in range(1, k):
            grams += wh[i : i + n] * _MIX[i]
    return np.unique(grams) if distinct else grams


def _identity(value: int) -> int:
    return value


def signature(text: str) -> Any:
    """datasketch MinHash of the shingle hashes (already hashed, so hashfunc is the identity).
    The ingest uses `signature_values`, the same values computed without datasketch (tests
    compare the two)."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity, scheme="affine32")
    m.update_batch(shingle_hashes(text).tolist())
    return m


def signature_values(text: str) -> np.ndarray:
    """`signature(text).hashvalues`, computed by numpy in three array operations with datasketch's
    permutations and input mixing (made here the way datasketch makes them): datasketch's
    MinHash.update_batch spends most of its time turning the values into a list and back. A test
    checks the two are equal."""
    mixed = _fmix(shingle_hashes(text, distinct=False))
    # (mixed[:, None] * _A + _B).min(axis=0), with one permutation per row (a contiguous
    # minimum) and the addition in place: the same values (arithmetic modulo 2**32)
    values = np.multiply(_A[:, None], mixed)
    values += _B[:, None]
    return values.min(axis=1)


def band_keys(values: np.ndarray) -> list[int]:
    """One signed 64-bit key per band: a digest of the band number and the band's hash values
    (two documents are candidates when they share a key, i.e. agree on a whole band)."""
    values = np.ascontiguousarray(values, dtype=np.uint64)
    keys = []
    for band in range(BANDS):
        chunk = bytes([band]) + values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


_QUERY_CHUNK = 500  # keys per SELECT (SQLite limits the number of bound parameters)


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
        self._db.execute("CREATE TABLE band (key INTEGER PRIMARY KEY, doc INTEGER)")
        self._db.execute("CREATE TABLE doc (doc INTEGER PRIMARY KEY, doc_id TEXT)")
        self._db.execute("BEGIN")
        self._count = 0
        self._parent: dict[int, int] = {}  # only documents with a candidate pair
        self._ids: dict[int, str] = {}  # their doc_ids
        self._last: str | None = None

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
        self.add_many([(doc_id, text)])

    def add_many(self, docs: list[tuple[str, str]]) -> None:
        """Add (doc_id, text) pairs in doc_id order: one look-up and one insert for them all,
        the same clusters as adding them one by one."""
        batch: list[tuple[int, str, list[int]]] = []
        for doc_id, text in docs:
            if self._last is not None and doc_id <= self._last:
                raise ValueError(
                    f"documents must be added in doc_id order: {doc_id!r} after {self._last!r}"
                )
            self._last = doc_id
            batch.append((self._count, doc_id, band_keys(signature_values(text))))
            self._count += 1
        # Documents sharing a band key are candidate pairs of each other, so they are already
        # in one component: linking a new document to the first holder of each of its keys
        # gives the same components, and only a key's first holder is stored (a template page
        # repeated thousands of times costs no more than a unique one).
        wanted = sorted({key for _, _, keys in batch for key in keys})
        first: dict[int, int] = {}  # key -> its first holder (earlier call, or this one)
        for i in range(0, len(wanted), _QUERY_CHUNK):
            chunk = wanted[i : i + _QUERY_CHUNK]
            marks = ",".join("?" * len(chunk))
            first.update(
                self._db.execute(f"SELECT key, doc FROM band WHERE key IN ({marks})", chunk)
            )
        new: list[tuple[int, int]] = []
        names = {doc: doc_id for doc, doc_id, _ in batch}
        for doc, doc_id, keys in batch:
            others: set[int] = set()
            for key in keys:
                if key in first:
                    others.add(first[key])
                else:
                    first[key] = doc
                    new.append((key, doc))
            for other in sorted(others):
                self._link(doc, doc_id, other, names.get(other))
        self._db.executemany("INSERT INTO band VALUES (?, ?)", new)
        self._db.executemany("INSERT INTO doc VALUES (?, ?)", [(d, i) for d, i, _ in batch])

    def _link(self, doc: int, doc_id: str, other: int, other_id: str | None) -> None:
        """Join the components of `doc` and an earlier document `other`."""
        if other not in self._ids:
            if other_id is None:
                row = self._db.execute("SELECT doc_id FROM doc WHERE doc=?", (other,)).fetchone()
                other_id = row[0]
            self._ids[other] = other_id
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


# ---------------------------------------------------------------- split for many processes
# The parallel ingest splits the same computation as real systems do: signatures and band keys
# per partition of the raw listing (in parallel), then the rows (band key, document number)
# grouped by key in shards (each shard holds the keys k with k mod shards == s, so a shard's
# rows fit in memory whatever the corpus size), then the components joined in one union-find over
# the candidate pairs. Document numbers are positions in doc_id order (the raw listing's index),
# so the smallest number of a component is its smallest doc_id: the clusters are those of
# NearDuplicates (a test checks it).

SHARD_ROWS = 1 << 20  # band rows per shard at most (16 MiB of rows; about 116,000 documents)


def shard_count(documents: int) -> int:
    """Shards for at most `documents` documents: each holds about SHARD_ROWS rows or fewer."""
    return max(1, -(-documents * BANDS // SHARD_ROWS))


def band_rows(docs: list[tuple[int, str]]) -> np.ndarray:
    """Rows (band key, document number) of (number, text) documents: BANDS rows each, int64."""
    rows = np.empty((len(docs) * BANDS, 2), dtype=np.int64)
    for i, (number, text) in enumerate(docs):
        rows[i * BANDS : (i + 1) * BANDS, 0] = band_keys(signature_values(text))
        rows[i * BANDS : (i + 1) * BANDS, 1] = number
    return rows


def by_shard(rows: np.ndarray, shards: int) -> tuple[np.ndarray, list[int]]:
    """The rows ordered by shard (stable), and where each shard starts (shards + 1 offsets)."""
    shard = rows[:, 0].view(np.uint64) % np.uint64(shards)
    order = np.argsort(shard, kind="stable")
    starts = np.searchsorted(shard[order], np.arange(shards + 1, dtype=np.uint64))
    return rows[order], [int(x) for x in starts]


def candidate_edges(rows: np.ndarray) -> np.ndarray:
    """Candidate pairs (document, first holder of a band key it shares), int64 (n, 2), from
    rows (band key, document number) of one shard. Every holder of a key is a candidate of every
    other: linking each to the key's first (smallest) holder gives the same components."""
    if len(rows) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((rows[:, 1], rows[:, 0]))
    key, doc = rows[order, 0], rows[order, 1]
    start = np.empty(len(key), dtype=bool)
    start[0] = True
    np.not_equal(key[1:], key[:-1], out=start[1:])
    first = doc[np.flatnonzero(start)][np.cumsum(start) - 1]
    later = ~start & (doc != first)
    return np.unique(np.stack([doc[later], first[later]], axis=1), axis=0)


class Components:
    """Union-find over document numbers, holding only documents that have a candidate pair; a
    component's root is its smallest number."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union_edges(self, edges: np.ndarray) -> None:
        parent = self.parent
        for a, b in edges.tolist():
            parent.setdefault(a, a)
            parent.setdefault(b, b)
            ra, rb = self.find(a), self.find(b)
            if ra != rb:
                lo, hi = (ra, rb) if ra < rb else (rb, ra)
                parent[hi] = lo

    def roots(self) -> dict[int, int]:
        """{document number: smallest number of its component} for every held document."""
        return {x: self.find(x) for x in sorted(self.parent)}
