"""Near-duplicate index: same clusters as datasketch's own MinHashLSH, on-disk, doc_id order."""

from __future__ import annotations

import random
from itertools import pairwise

import numpy as np
import pytest
from datasketch import MinHashLSH
from hypothesis import given
from hypothesis import strategies as st

from rukp.ingest.dedup import (
    BANDS,
    NUM_PERM,
    ROWS,
    SHARD_ROWS,
    THRESHOLD,
    Components,
    NearDuplicates,
    band_rows,
    by_shard,
    candidate_edges,
    shard_count,
    shingle_hashes,
    signature,
    signature_values,
)

WORDS = [f"w{i}" for i in range(400)]


def _components(ids: list[str], edges: list[tuple[str, str]]) -> dict[str, list[str]]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for i in sorted(ids):
        groups.setdefault(find(i), []).append(i)
    return {k: v for k, v in groups.items() if len(v) > 1}


def _corpus(seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    texts: dict[str, str] = {}
    for n in range(25):
        base = [rng.choice(WORDS) for _ in range(rng.randint(20, 200))]
        texts[f"d{n:03d}a"] = " ".join(base)
        for v in range(rng.randint(0, 2)):  # edited copies: 0 to 12 words replaced
            copy = list(base)
            for _ in range(rng.randint(0, 12)):
                copy[rng.randrange(len(copy))] = rng.choice(WORDS)
            texts[f"d{n:03d}{'bc'[v]}"] = " ".join(copy)
    return dict(sorted(texts.items()))


def test_banding_is_datasketch_optimal_for_the_threshold():
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    assert (BANDS, ROWS) == (lsh.b, lsh.r) == (9, 13)


@pytest.mark.parametrize(("seed", "batch"), [(0, 1), (1, 1), (2, 7), (3, 100)])
def test_same_clusters_as_datasketch_minhashlsh(tmp_path, seed, batch):
    """Documents added one by one (batch 1) or several per call (pairs inside one call and
    across calls)."""
    texts = _corpus(seed)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    edges = []
    for doc_id, text in texts.items():
        m = signature(text)
        edges += [(doc_id, other) for other in lsh.query(m)]
        lsh.insert(doc_id, m)
    expected = _components(list(texts), edges)
    with NearDuplicates(tmp_path) as near:
        items = list(texts.items())
        for i in range(0, len(items), batch):
            near.add_many(items[i : i + batch])
        assert near.clusters() == expected
        for number, doc_id in enumerate(texts):
            members = [m for c in expected.values() for m in c if doc_id in c]
            assert near.cluster(number, doc_id) == (min(members) if members else doc_id)
    assert expected, "the corpus must contain near-duplicates for this test to mean anything"


def test_clusters_are_named_after_their_smallest_doc_id(tmp_path):
    x = "the minister said that the talks in moscow would continue next week with the envoy"
    y = "troops crossed the border at dawn according to the general staff of the army today"
    with NearDuplicates(tmp_path) as near:
        for doc_id, text in [("a1", x), ("b1", y), ("c1", x), ("d1", y), ("e1", "other words")]:
            near.add(doc_id, text)
        assert near.clusters() == {"a1": ["a1", "c1"], "b1": ["b1", "d1"]}
        assert [near.cluster(n, d) for n, d in enumerate(["a1", "b1", "c1", "d1", "e1"])] == [
            "a1", "b1", "a1", "b1", "e1",
        ]  # fmt: skip


def test_documents_out_of_doc_id_order_are_refused(tmp_path):
    with NearDuplicates(tmp_path) as near:
        near.add("b", "some text here")
        with pytest.raises(ValueError, match="doc_id order"):
            near.add("a", "some text here")


def test_index_file_lives_in_the_folder_and_is_removed(tmp_path):
    near = NearDuplicates(tmp_path)
    near.add("a", "some text here")
    assert [p.suffix for p in tmp_path.iterdir()] == [".sqlite"]
    near.close()
    assert list(tmp_path.iterdir()) == []


@given(st.lists(st.sampled_from([*WORDS[:30], "Éé", "Россия", "북한", "a-b"]), max_size=60))
def test_direct_signature_equals_datasketch_minhash(words: list[str]) -> None:
    text = " ".join(words)
    assert np.array_equal(signature_values(text), signature(text).hashvalues)


def test_shingle_hashes_by_hand() -> None:
    """Two texts with the same 5-shingles in another order and case have the same hashes;
    one word changed changes the (up to 5) shingles holding it."""
    a = "one two three four five six"
    assert len(shingle_hashes(a)) == 2
    assert np.array_equal(shingle_hashes(a), shingle_hashes("ONE two three four five six"))
    assert len(np.intersect1d(shingle_hashes(a), shingle_hashes(a.replace("six", "6")))) == 1
    assert len(shingle_hashes("the the the the the the the", distinct=False)) == 3
    assert len(shingle_hashes("the the the the the the the")) == 1


def test_a_page_repeated_many_times_is_one_cluster_and_stores_one_row_per_band(tmp_path):
    text = "the same template text repeated on every page of the site, word for word, again"
    with NearDuplicates(tmp_path) as near:
        near.add_many([(f"p{i:04d}", text) for i in range(300)])
        near.add("z0000", "a different page about a different subject entirely, nothing shared")
        assert near.clusters() == {"p0000": [f"p{i:04d}" for i in range(300)]}
        assert near._db.execute("SELECT COUNT(*) FROM band").fetchone()[0] == 2 * BANDS


def test_banding_and_permutations_are_datasketchs() -> None:
    """The ingest does not import datasketch (0.4 s); its constants must equal datasketch's."""
    from datasketch import MinHash
    from datasketch.lsh import _optimal_param

    from rukp.ingest import dedup

    assert (dedup.BANDS, dedup.ROWS) == _optimal_param(dedup.THRESHOLD, dedup.NUM_PERM, 0.5, 0.5)
    a, b = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED).permutations
    assert np.array_equal(a, dedup._A) and np.array_equal(b, dedup._B)


@pytest.mark.parametrize(("seed", "parts", "shards"), [(0, 1, 1), (1, 3, 2), (2, 7, 5), (3, 2, 9)])
def test_shards_and_union_find_give_the_same_clusters(tmp_path, seed, parts, shards):
    """The parallel ingest's split (band rows per partition, grouped by shard into candidate
    pairs, one union-find) gives datasketch's MinHashLSH components, as NearDuplicates does."""
    texts = _corpus(seed)
    ids = list(texts)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    edges_expected = []
    for doc_id, text in texts.items():
        m = signature(text)
        edges_expected += [(doc_id, other) for other in lsh.query(m)]
        lsh.insert(doc_id, m)
    expected = _components(ids, edges_expected)
    numbered = list(enumerate(texts.values()))
    cut = [len(numbered) * k // parts for k in range(parts + 1)]
    pieces = [by_shard(band_rows(numbered[a:b]), shards) for a, b in pairwise(cut)]
    components = Components()
    for s in range(shards):
        rows = np.concatenate([r[starts[s] : starts[s + 1]] for r, starts in pieces])
        assert (rows[:, 0].view(np.uint64) % np.uint64(shards) == s).all()
        components.union_edges(candidate_edges(rows))
    got: dict[str, list[str]] = {}
    for n, root in components.roots().items():
        got.setdefault(ids[root], []).append(ids[n])
    assert got == expected
    assert expected


def test_candidate_edges_by_hand():
    rows = np.array([[7, 3], [5, 1], [7, 0], [9, 2], [5, 4], [7, 8], [-1, 6], [-1, 6]])
    # key 7: holders 0, 3, 8 -> (3, 0), (8, 0); key 5: 1, 4 -> (4, 1); 9 alone; -1 held twice
    # by document 6 (no pair)
    assert candidate_edges(rows).tolist() == [[3, 0], [4, 1], [8, 0]]
    components = Components()
    components.union_edges(np.array([[8, 3], [3, 0], [4, 1], [9, 4]]))
    assert components.roots() == {0: 0, 1: 1, 3: 0, 4: 1, 8: 0, 9: 1}


def test_shard_count_keeps_shards_small():
    assert shard_count(0) == shard_count(1) == 1
    assert shard_count(SHARD_ROWS // BANDS) == 1
    assert shard_count(SHARD_ROWS // BANDS + 1) == 2
    assert shard_count(10_000_000) == -(-10_000_000 * BANDS // SHARD_ROWS) == 86
