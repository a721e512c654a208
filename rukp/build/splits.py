"""The fixed document split: story clusters, the committed manifest, and the leakage check.

Policy (also written in the dataset card):
- A cluster joins documents of one story (splits/stories.csv, decided by hand) and documents of
  one MinHash near-duplicate cluster (from the ingest). A cluster never crosses splits.
- Rows of splits/manifest.csv never move. A new document joins the split of its cluster if the
  cluster is already in the manifest; otherwise sha256 of the cluster id picks the split
  (last hex digits mod 10: 0–7 train, 8 validation, 9 test).
- Each build also writes splits/released/<data version>.csv, the rows of the documents that
  release holds. A document once released keeps its split in every later data version: the
  build refuses (and `rukp build --check` fails) when an assignment differs from any of these
  files (`split-row-moved`), whatever happened to manifest.csv.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rukp.documents import Document
from rukp.errors import Incident, RukpError
from rukp.io import atomic_open
from rukp.safeio import read_csv

SPLITS = ("train", "validation", "test")
RELEASED_DIR = "released"  # splits/released/<data version>.csv: the split of each release
MANIFEST_FIELDS = ("doc_id", "text_sha256", "split", "cluster")
# Buckets of sha256(cluster id) mod 10 per split for new clusters: 80/10/10.
HASH_BUCKETS = {"train": range(0, 8), "validation": range(8, 9), "test": range(9, 10)}
NEAR_DUP_JACCARD = 0.5  # MinHash estimate of word-3-gram Jaccard flagged as a leak
MIN_SENTENCE_CHARS = 40  # shorter sentences (datelines, "Source : …") are not leak evidence


@dataclass(slots=True)
class SplitRow:
    doc_id: str
    text_sha256: str
    split: str
    cluster: str


def read_stories(path: Path) -> dict[str, str]:
    """doc_id → story id from splits/stories.csv (doc_id,story,reason); absent file → {}."""
    path = Path(path)
    if not path.exists():
        return {}
    out: dict[str, str] = {}
    for lineno, row in read_csv(path)[1]:
        if not row.get("doc_id") or not row.get("story"):
            raise RukpError.single(
                "invalid-stories-row",
                "a row needs doc_id and story",
                file=str(path),
                location=f"line {lineno}",
                hint="columns: doc_id,story,reason",
            )
        out[row["doc_id"]] = row["story"]
    return out


def read_manifest(path: Path) -> dict[str, SplitRow]:
    path = Path(path)
    if not path.exists():
        return {}
    out: dict[str, SplitRow] = {}
    for lineno, row in read_csv(path)[1]:
        missing = [k for k in MANIFEST_FIELDS if not isinstance(row.get(k), str)]
        if missing or row["split"] not in SPLITS:
            raise RukpError.single(
                "invalid-split",
                f"columns missing: {', '.join(missing)}"
                if missing
                else f"split {row.get('split')!r}; allowed: {', '.join(SPLITS)}",
                file=str(path),
                location=f"line {lineno}",
                doc_id=row.get("doc_id"),
                hint=f"columns: {','.join(MANIFEST_FIELDS)}",
            )
        out[row["doc_id"]] = SplitRow(
            row["doc_id"], row["text_sha256"], row["split"], row["cluster"]
        )
    return out


def manifest_csv(rows: Iterable[SplitRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(MANIFEST_FIELDS)
    for r in sorted(rows, key=lambda r: r.doc_id):
        w.writerow([r.doc_id, r.text_sha256, r.split, r.cluster])
    return buf.getvalue()


def write_manifest(path: Path, rows: Iterable[SplitRow]) -> None:
    with atomic_open(Path(path)) as f:
        f.write(manifest_csv(rows))


def released_path(splits_dir: Path, version: str) -> Path:
    return Path(splits_dir) / RELEASED_DIR / f"{version}.csv"


def read_released(splits_dir: Path) -> dict[str, dict[str, SplitRow]]:
    """{data version: {doc_id: row}} from splits/released/*.csv (the splits of past builds)."""
    folder = Path(splits_dir) / RELEASED_DIR
    if not folder.is_dir():
        return {}
    return {p.stem: read_manifest(p) for p in sorted(folder.glob("*.csv"))}


def released_rows(split_rows: dict[str, SplitRow], doc_ids: Iterable[str]) -> list[SplitRow]:
    """The split rows of the documents one release holds (its splits/released/ file)."""
    return [split_rows[d] for d in sorted(doc_ids)]


def moved_incidents(
    split_rows: dict[str, SplitRow], released: dict[str, dict[str, SplitRow]], splits_dir: Path
) -> list[Incident]:
    """Earlier released documents whose split differs now (errors), or that are gone (warnings:
    a text removed on request leaves the release; its id stays reserved)."""
    out: list[Incident] = []
    first: dict[str, tuple[str, SplitRow]] = {}  # doc_id -> earliest release holding it
    for version in sorted(released, key=_version_key):
        for doc_id, row in released[version].items():
            first.setdefault(doc_id, (version, row))
    for doc_id, (version, row) in sorted(first.items()):
        file = str(released_path(splits_dir, version))
        now = split_rows.get(doc_id)
        if now is None:
            out.append(
                Incident(
                    "released-document-dropped",
                    f"released in {version} ({row.split}) but no longer in the split manifest",
                    file=file,
                    doc_id=doc_id,
                    level="warning",
                    hint="restore its row in splits/manifest.csv unless it was removed on purpose",
                )
            )
        elif now.split != row.split:
            out.append(
                Incident(
                    "split-row-moved",
                    f"released in {version} in {row.split}, now assigned to {now.split}",
                    file=file,
                    doc_id=doc_id,
                    hint="a released document never changes split: restore its row in "
                    f"splits/manifest.csv (doc_id {doc_id}, split {row.split}, cluster "
                    f"{row.cluster}) or fix splits/stories.csv",
                )
            )
    return out


def _version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return (1 << 30,)


def clusters(docs: dict[str, Document], stories: dict[str, str]) -> dict[str, str]:
    """doc_id → cluster id: union of story membership and near-duplicate clusters.

    The id of a cluster is its smallest story id if it has one, else its smallest
    near-duplicate cluster id (a doc_id), so ids are stable and readable.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for d in docs.values():
        union("d:" + d.doc_id, "n:" + d.near_duplicate_cluster)
        if d.doc_id in stories:
            union("d:" + d.doc_id, "s:" + stories[d.doc_id])
    members: dict[str, list[str]] = {}
    for node in list(parent):
        members.setdefault(find(node), []).append(node)
    name: dict[str, str] = {}
    for root, nodes in members.items():
        s = sorted(n[2:] for n in nodes if n.startswith("s:"))
        nd = sorted(n[2:] for n in nodes if n.startswith("n:"))
        name[root] = s[0] if s else nd[0]
    return {d: name[find("d:" + d)] for d in docs}


def hash_split(cluster: str) -> str:
    """80/10/10 by sha256 of the cluster id: deterministic, independent of arrival order."""
    bucket = int(hashlib.sha256(cluster.encode("utf-8")).hexdigest()[-8:], 16) % 10
    return next(split for split, buckets in HASH_BUCKETS.items() if bucket in buckets)


def hash_policy() -> str:
    """The hash rule in words, for the card."""
    return ", ".join(f"{len(b) * 10} % {s}" for s, b in HASH_BUCKETS.items())


def assign(
    docs: dict[str, Document], stories: dict[str, str], manifest: dict[str, SplitRow]
) -> tuple[dict[str, SplitRow], list[Incident]]:
    """The split of every document; existing manifest rows keep their split and cluster."""
    cl = clusters(docs, stories)
    notes: list[Incident] = []
    out: dict[str, SplitRow] = {}
    cluster_split: dict[str, str] = {}
    for doc_id, row in manifest.items():
        cluster_split.setdefault(cl.get(doc_id, row.cluster), row.split)
        cluster_split.setdefault(row.cluster, row.split)
    for doc_id in sorted(docs):
        doc = docs[doc_id]
        old = manifest.get(doc_id)
        if old is not None:
            if old.text_sha256 != doc.text_sha256:
                notes.append(
                    Incident(
                        "manifest-text-changed",
                        "cleaned text changed since the split was fixed; split kept",
                        file="splits/manifest.csv",
                        doc_id=doc_id,
                        level="warning",
                    )
                )
            out[doc_id] = SplitRow(doc_id, doc.text_sha256, old.split, old.cluster)
            continue
        c = cl[doc_id]
        split = cluster_split.get(c) or hash_split(c)
        cluster_split[c] = split
        out[doc_id] = SplitRow(doc_id, doc.text_sha256, split, c)
    for doc_id, row in manifest.items():
        if doc_id not in out:
            out[doc_id] = row  # a document gone from the ingest keeps its row: ids stay reserved
    return out, notes


def _norm_sentence(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).casefold()
    return re.sub(r"\s+", " ", s).strip()


def _shingles(text: str, n: int = 3) -> set[str]:
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())
    return {" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def leakage_incidents(
    docs: dict[str, Document], rows: dict[str, SplitRow], stories: dict[str, str]
) -> list[Incident]:
    """Clusters crossing splits, and validation/test texts (exact, near-duplicate by MinHash, or
    sharing a sentence) also present in train."""
    from datasketch import MinHash, MinHashLSH

    from rukp.build.text import split_sentences

    incidents: list[Incident] = []
    cl = clusters(docs, stories)
    by_cluster: dict[str, set[str]] = {}
    for doc_id, row in rows.items():
        by_cluster.setdefault(cl.get(doc_id, row.cluster), set()).add(row.split)
        by_cluster.setdefault(row.cluster, set()).add(row.split)
    for c, splits in sorted(by_cluster.items()):
        if len(splits) > 1:
            members = sorted(d for d in rows if cl.get(d, rows[d].cluster) == c)
            incidents.append(
                Incident(
                    "cluster-crosses-splits",
                    f"cluster {c!r} is in {', '.join(sorted(splits))}: {', '.join(members)}",
                    file="splits/manifest.csv",
                    hint="documents of one story or near-duplicate cluster must share a split; "
                    "fix splits/stories.csv or the manifest (a split change is a major version)",
                )
            )
    present = {d: docs[d] for d in rows if d in docs}
    train = [d for d in sorted(present) if rows[d].split == "train"]
    held = [d for d in sorted(present) if rows[d].split != "train"]

    def minhash(text: str) -> MinHash:
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([sh.encode("utf-8") for sh in sorted(_shingles(text))])
        return m

    def sentences(doc: Document) -> set[str]:
        return {
            _norm_sentence(doc.text[s.start : s.end])
            for s in split_sentences(doc.text)
            if s.end - s.start >= MIN_SENTENCE_CHARS
        }

    # Indexes over train, so the check stays near-linear in the number of documents.
    mh = {d: minhash(present[d].text) for d in present}
    lsh = MinHashLSH(threshold=NEAR_DUP_JACCARD, num_perm=128)
    by_sha: dict[str, list[str]] = {}
    by_sentence: dict[str, list[str]] = {}
    for t in train:
        lsh.insert(t, mh[t])
        by_sha.setdefault(present[t].text_sha256, []).append(t)
        for sent in sentences(present[t]):
            by_sentence.setdefault(sent, []).append(t)
    for h in held:
        exact = set(by_sha.get(present[h].text_sha256, []))
        near = {t for t in lsh.query(mh[h]) if t not in exact}
        shared: dict[str, list[str]] = {}
        for sent in sentences(present[h]):
            for t in by_sentence.get(sent, []):
                if t not in exact:
                    shared.setdefault(t, []).append(sent)
        for t in sorted(exact | near | set(shared)):
            where = f"{rows[h].split} {h} vs train {t}"
            if t in exact:
                incidents.append(
                    Incident(
                        "heldout-text-in-train",
                        f"identical cleaned text: {where}",
                        doc_id=h,
                        hint="remove the duplicate or put both in one cluster",
                    )
                )
                continue
            j = mh[h].jaccard(mh[t])
            if t in near and j >= NEAR_DUP_JACCARD:
                incidents.append(
                    Incident(
                        "heldout-near-duplicate-in-train",
                        f"MinHash Jaccard {j:.2f} ≥ {NEAR_DUP_JACCARD}: {where}",
                        doc_id=h,
                        hint="list both documents under one story in splits/stories.csv",
                    )
                )
            if t in shared:
                first = sorted(shared[t])[0]
                incidents.append(
                    Incident(
                        "heldout-sentence-in-train",
                        f"{len(shared[t])} sentence(s) shared ({where}), e.g. {first[:80]!r}",
                        doc_id=h,
                        hint="list both documents under one story in splits/stories.csv",
                    )
                )
    return incidents
