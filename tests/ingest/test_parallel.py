"""The ingest gives the same bytes in one process, in 2 local worker processes and on a Dask
LocalCluster with 2 worker processes, whatever the partition size.

The crawl below holds what crosses partition boundaries: site templates of three outlet groups
(from raw/sources.csv, from a source line, unknown), near-duplicates far apart in the listing,
two files of one doc_id, rejected files, a page with no article, a cp1252 page and an HTML page.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np
import pytest

from rukp.cli import main
from rukp.ingest import templates as T
from rukp.ingest.engines import DASK_INSTALL, MissingDependency, dask_client
from rukp.ingest.pipeline import (
    Job,
    _with_cluster,
    count_part,
    ingest,
    merge_counts,
    part_of,
    partitions,
    raw_files,
    read_outlets,
)

EXPECTED = Path(__file__).parent / "expected"
OUTPUTS = ("documents.jsonl", "dropped.jsonl", "report.json")


def _paragraphs() -> list[str]:
    return [
        p
        for f in sorted(EXPECTED.glob("*.txt"))
        for p in f.read_text(encoding="utf-8").split("\n\n")
        if len(p) > 120
    ]


def make_crawl(raw: Path, pages: int = 60) -> None:
    """A crawl of `pages` text pages and the awkward files described in the module docstring."""
    raw.mkdir(parents=True)
    rng = random.Random(16)
    pool = _paragraphs()
    heads = {
        "a": ["Accueil | Monde | Politique | Sport", "Abonnez-vous à la lettre du Courrier"],
        "b": ["Home - World - Asia - Opinion", "Most read this week"],
        "": ["Menu", "Search this site"],
    }
    sources = ["file,outlet"]
    texts: dict[str, str] = {}
    for i in range(pages):
        group = "a" if i % 3 == 0 else ("b" if i % 3 == 1 else "")
        body = rng.sample(pool, rng.randint(5, 7))
        title = " ".join(body[0].split()[:7])
        lines = [*heads[group], title, title, *body]
        if group == "b":
            lines.append(f"Source: https://www.b-news.example/asia/{i}")
        lines.append("© Tous droits réservés" if group == "a" else "All rights reserved")
        name = f"p{i:03d}.txt"
        texts[name] = "\n".join(lines)
        if group == "a":
            sources.append(f"{name},courrier.example")
    # near-duplicates far apart: an edited copy and an exact copy of p004
    copy = texts["p004.txt"].split("\n")
    copy[-2] = copy[-2].replace(" ", "  ", 1)
    texts["z-copy-edited.txt"] = "\n".join(copy)
    texts["z-copy-exact.txt"] = texts["p004.txt"]
    for name, text in texts.items():
        (raw / name).write_text(text, encoding="utf-8")
    (raw / "sources.csv").write_text("\n".join(sources) + "\n", encoding="utf-8")
    # two files of one doc_id (the second is rejected), rejected files, no article, cp1252, HTML
    (raw / "p010.html").write_text(
        "<html><body><article><h1>Un titre</h1>"
        + "".join(f"<p>{p}</p>" for p in pool[:4])
        + "</article></body></html>",
        encoding="utf-8",
    )
    (raw / "bin.txt").write_bytes(b"\x00\x01binary" * 30)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "bad name!.txt").write_text(pool[0], encoding="utf-8")
    (raw / "nav.txt").write_text("Home\nWorld\nSport\nContact us\nPrivacy", encoding="utf-8")
    (raw / "cp.txt").write_bytes(("Été\n" + "\n".join(pool[5:9])).encode("cp1252", "replace"))


def _outputs(out: Path) -> dict[str, bytes]:
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)  # no work files left
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("crawl") / "raw"
    make_crawl(raw)
    return raw


@pytest.fixture(scope="module")
def serial(crawl: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("serial") / "out"
    ingest(crawl, out, workers=1)
    return _outputs(out)


def test_serial_run_holds_what_crosses_partitions(serial: dict[str, bytes]) -> None:
    """Hand-checked facts of the crawl, so that equal outputs are not equally empty."""
    report = json.loads(serial["report.json"])
    counts = report["counts"]
    assert counts["files"] == 62 + 6  # pages and copies; html, bin, empty, bad name, nav, cp
    assert [r["id"] for r in report["rejected"]] == [
        "bad-doc-id", "binary-file", "empty-file", "duplicate-doc-id",
    ]  # fmt: skip
    assert report["rejected"][-1]["file"] == "p010.txt"  # p010.html comes first
    assert [r["doc_id"] for r in report["no_article"]] == ["nav"]
    assert report["formats"] == {"html": 1, "txt": 63}
    assert counts["template_lines"] > 0
    assert report["drops_per_reason"]["site-template"] > 0
    assert report["near_duplicate_clusters"]["p004"] == ["p004", "z-copy-edited", "z-copy-exact"]
    assert list(report["warnings"]) == ["cp.txt"]
    docs = [json.loads(line) for line in serial["documents.jsonl"].splitlines()]
    assert [d["doc_id"] for d in docs] == sorted(d["doc_id"] for d in docs)
    assert len(docs) == counts["documents"] == 64 - 1


@pytest.mark.parametrize("size", [1, 5, 7, 1000])
def test_two_workers_same_bytes(
    crawl: Path, serial: dict[str, bytes], tmp_path: Path, size: int
) -> None:
    out = tmp_path / "out"
    result = ingest(crawl, out, workers=2, partition_size=size)
    assert _outputs(out) == serial
    if size < 1000:  # several partitions: two worker processes ran them
        assert len(result.workers) == 2


def test_cli_workers_same_bytes(crawl: Path, serial: dict[str, bytes], tmp_path: Path) -> None:
    args = ["ingest", "--raw", str(crawl), "--out", str(tmp_path / "o"), "--workers", "2"]
    assert main([*args, "--partition-size", "9"]) == 1  # rejected files: exit 1, outputs written
    assert _outputs(tmp_path / "o") == serial


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        yield client


def test_dask_local_cluster_same_bytes(
    crawl: Path, serial: dict[str, bytes], tmp_path: Path, cluster: object
) -> None:
    out = tmp_path / "out"
    result = ingest(crawl, out, dask=cluster, partition_size=6)
    assert _outputs(out) == serial
    assert len(result.workers) == 2  # both worker processes cleaned pages


def test_dask_scheduler_address_from_cli(
    crawl: Path, serial: dict[str, bytes], tmp_path: Path, cluster: object
) -> None:
    address = cluster.scheduler.address  # type: ignore[attr-defined]
    args = ["ingest", "--raw", str(crawl), "--out", str(tmp_path / "o"), "--dask", address]
    assert main(args) == 1
    assert _outputs(tmp_path / "o") == serial


def test_missing_dask_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(MissingDependency, match=r"pip install 'rukp\[dask\]'"):
        dask_client("tcp://127.0.0.1:1")
    raw = tmp_path / "raw"
    raw.mkdir()
    code = main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "o"), "--dask", "x:1"])
    assert code == 2
    assert DASK_INSTALL in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--workers", "0"], "--workers must be at least 1, not 0"),
        (["--partition-size", "-3"], "--partition-size must be at least 1, not -3"),
        (["--workers", "2", "--dask", "tcp://127.0.0.1:1"], "--workers and --dask exclude"),
    ],
)
def test_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    code = main(["ingest", "--raw", str(tmp_path), "--out", str(tmp_path / "o"), *extra])
    err = capsys.readouterr().err
    assert code == 1
    assert "bad-option" in err and message in err
    assert not (tmp_path / "o").exists()


def test_partitions_keep_one_doc_id_together() -> None:
    names = ["a.txt", "b.html", "b.txt", "b.xml", "c.txt", "d.txt"]
    parts = partitions(names, {"b.txt": "x.example"}, 2)
    assert [p.names for p in parts] == [["a.txt", "b.html", "b.txt", "b.xml"], ["c.txt", "d.txt"]]
    assert [p.start for p in parts] == [0, 4]
    assert parts[0].outlets == {"b.txt": "x.example"} and parts[1].outlets == {}


def test_default_partitions_shrink_towards_the_end() -> None:
    """Each partition takes a quarter of a worker's share of the pages left (at most 1,000, at
    least 64): with 10,000 pages and 2 workers, 1,000 while more than 7,992 are left (10,000,
    9,000, 8,000), then ceil(7,000 / 8) = 875, ceil(6,125 / 8) = 766, … down to 64."""
    names = [f"p{i:05d}.txt" for i in range(10_000)]
    sizes = [len(p.names) for p in partitions(names, {}, None, workers=2)]
    assert sizes[:5] == [1000, 1000, 1000, 875, 766]
    assert sum(sizes) == 10_000
    assert sizes == sorted(sizes, reverse=True)
    assert min(sizes[:-1]) == 64 and sizes[-1] <= 64
    # a fixed size is kept as it is
    assert {len(p.names) for p in partitions(names, {}, 2_500, workers=2)} == {2_500}


def test_two_workers_default_partitions_same_bytes(
    crawl: Path, serial: dict[str, bytes], tmp_path: Path
) -> None:
    ingest(crawl, tmp_path / "out", workers=2)
    assert _outputs(tmp_path / "out") == serial


def test_part_of_finds_the_partition_of_a_listing_index() -> None:
    starts = [0, 4, 9]
    assert [part_of(starts, n) for n in (0, 3, 4, 8, 9, 20)] == [0, 0, 1, 1, 2, 2]


def test_cluster_spliced_into_a_pending_line() -> None:
    """The pending line's bytes stay as they are around the cluster; a document outside every
    component is its own cluster."""
    line = (
        '{"doc_id":"p007","title":"Пхеньян \\"near_duplicate_cluster\\":null,",'
        '"near_duplicate_cluster":null,"format":"txt"}\n'
    ).encode()
    own = _with_cluster(line, {}.get)
    assert own == line.replace(
        b'"near_duplicate_cluster":null,"format"', b'"near_duplicate_cluster":"p007","format"'
    )
    other = _with_cluster(line, {"p007": "p002"}.get)
    assert json.loads(other)["near_duplicate_cluster"] == "p002"
    assert json.loads(other)["title"] == json.loads(line)["title"]
    with pytest.raises(AssertionError):
        _with_cluster(b'{"title":"x","near_duplicate_cluster":null,"format":"txt"}\n', {}.get)


@pytest.mark.parametrize("size", [1, 4, 25, 100])
def test_template_counts_summed_over_partitions_equal_one_pass(crawl: Path, size: int) -> None:
    """merge_counts over partitions = templates.count_templates over the whole crawl, hashed
    line by line (what the ingest did in one pass)."""
    from rukp.ingest.decode import decode, read_raw
    from rukp.ingest.pipeline import _group

    names = raw_files(crawl)
    outlets = read_outlets(crawl)
    job = Job(str(crawl), "", 5_000_000, True, 1)
    counts, group_pages = merge_counts(
        (count_part(job, p) for p in partitions(names, outlets, size)), need=2
    )
    pages: list[tuple[str, str]] = []
    for name in names:
        if name.endswith(".html"):
            continue
        try:
            text = decode(crawl / name, read_raw(crawl / name)).text
        except Exception:
            continue
        pages.append((_group(name, text, outlets), text))
    assert counts == T.count_templates(pages)
    # b: 20 pages and the two copies of p004 (a b page); unknown: 20, nav, cp, "bad name!"
    assert group_pages == {"courrier.example": 20, "b-news.example": 22, "": 23}
    assert max(counts.values()) == 22  # the b outlet's heading lines, on each of its pages


def test_merge_counts_sums_exactly() -> None:
    from rukp.ingest.pipeline import TemplateCounts

    def tc(values: list[int], counts: list[int]) -> TemplateCounts:
        return TemplateCounts(np.array(values, np.uint64), np.array(counts, np.int64), {"g": 1})

    merged, groups = merge_counts(
        [tc([1, 5, 2**64 - 1], [1, 2, 1]), tc([], []), tc([5, 7], [1, 1]), tc([1], [4])], need=2
    )
    assert merged == {1: 5, 5: 3}
    assert groups == {"g": 4}


def test_dask_workers_must_see_the_folders(
    crawl: Path, tmp_path: Path, cluster: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that does not see raw/ and the work folder: an incident, no output."""
    from rukp.errors import RukpError
    from rukp.ingest import engines

    monkeypatch.setattr(engines, "_folders_seen", lambda folders: False)
    with pytest.raises(RukpError) as caught:
        ingest(crawl, tmp_path / "out", dask=cluster)
    assert caught.value.incidents[0].id == "path-not-shared"
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("group", ["courrier.example", T.UNKNOWN])
def test_lines_below_template_need_are_never_templates(group: str) -> None:
    """The driver sends the workers only hashes held by TEMPLATE_NEED pages or more: this holds
    as long as templates.template_keys never takes a line held by fewer, whatever the group's
    size."""
    from rukp.ingest.pipeline import TEMPLATE_NEED

    keys = ["menu", "share this"]
    below = {T.line_hash(group, k): TEMPLATE_NEED - 1 for k in keys}
    at = {T.line_hash(group, k): TEMPLATE_NEED for k in keys}
    for pages in range(0, 40):
        assert T.template_keys(group, keys, below, pages) == frozenset()
    assert T.template_keys(group, keys, at, 3) == (frozenset(keys) if group else frozenset())
