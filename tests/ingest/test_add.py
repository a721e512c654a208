"""`rukp add`: pages into raw/ byte for byte with provenance rows; refusals; all or nothing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from rukp.cli import main
from rukp.errors import RukpError
from rukp.ingest import add as add_module
from rukp.ingest.add import PageInfo, add_pages, check_info, next_number, raw_lock, raw_name
from rukp.ingest.pipeline import CLEANER_VERSION
from rukp.paths import repo_root
from rukp.provenance import METHOD_ABSENT, METHOD_GIVEN, read_sources
from rukp.validate import validate_paths

ROOT = repo_root()
SEED = "003_522fb53f6a6fd6fe"  # the test-split seed, story 2024-10-troop-deployment

GERMAN = (
    "Nordkoreanische Soldaten in Kursk: Moskau schweigt\n\n"
    "Nach Berichten des südkoreanischen Geheimdienstes sollen tausende nordkoreanische Soldaten "
    "in Russland ausgebildet werden. Der Kreml wollte die Berichte am Montag nicht "
    "kommentieren.\n\n"
    "Die Bundesregierung zeigte sich besorgt über die wachsende militärische Zusammenarbeit "
    "zwischen Moskau und Pjöngjang. Außenministerin Baerbock sprach von einer gefährlichen "
    "Eskalation des Krieges in der Ukraine.\n"
)
SPANISH_HTML = (
    '<!DOCTYPE html>\n<html lang="es"><head><title>Soldados norcoreanos</title></head><body>\n'
    "<h1>Soldados norcoreanos en Rusia</h1>\n"
    "<p>Según los servicios de inteligencia surcoreanos, miles de soldados norcoreanos se "
    "entrenan en el este de Rusia antes de ser enviados al frente.</p>\n"
    "<p>El Kremlin no quiso comentar las informaciones, mientras la OTAN habló de una escalada "
    "peligrosa de la guerra en Ucrania. Seúl convocó al embajador ruso para pedir "
    "explicaciones.</p>\n</body></html>\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """raw/ with two seed pages and their rows (as committed), splits/ with stories and manifest."""
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = (ROOT / "raw" / "sources.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    keep = ("000_0c8f196507d21063", SEED)
    (raw / "sources.csv").write_text(
        lines[0] + "".join(ln for ln in lines[1:] if ln.startswith(keep)), encoding="utf-8"
    )
    for d in keep:
        (raw / f"{d}.txt").write_bytes((ROOT / "raw" / f"{d}.txt").read_bytes())
    splits = tmp_path / "splits"
    splits.mkdir()
    for name in ("stories.csv", "manifest.csv"):
        (splits / name).write_bytes((ROOT / "splits" / name).read_bytes())
    return tmp_path


def page(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def state(repo: Path) -> dict[str, bytes]:
    return {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for d in ("raw", "splits")
        for p in sorted((repo / d).rglob("*"))
        if p.is_file()
    }


def test_adds_text_and_html_pages_with_rows(repo: Path) -> None:
    de = page(repo, "kursk.txt", GERMAN)
    es = page(repo, "soldados.html", SPANISH_HTML)
    result = add_pages(
        [de, es],
        PageInfo(outlet="Test Zeitung", published="2024-10-21", licence="written for the tests"),
        repo / "raw",
        splits_dir=repo / "splits",
    )
    sha_de = hashlib.sha256(GERMAN.encode()).hexdigest()
    sha_es = hashlib.sha256(SPANISH_HTML.encode()).hexdigest()
    # next number after 003; the name is the number and the sha256's first 16 hex digits
    assert [a.name for a in result.added] == [f"004_{sha_de[:16]}.txt", f"005_{sha_es[:16]}.html"]
    for a, src in zip(result.added, (de, es), strict=True):
        assert (repo / "raw" / a.name).read_bytes() == src.read_bytes()  # byte for byte
    rows = {r["id"]: r for r in read_sources(repo / "raw" / "sources.csv").rows}
    row = rows[f"004_{sha_de[:16]}"]
    assert (row["file"], row["format"], row["sha256"]) == (
        f"004_{sha_de[:16]}.txt",
        "text",
        sha_de,
    )
    assert (row["language"], row["language_method"]) == (
        "de",
        f"detected by the ingest's language identification (cleaner {CLEANER_VERSION}, rukp add)",
    )
    assert (row["published"], row["published_method"]) == ("2024-10-21", METHOD_GIVEN)
    assert (row["outlet"], row["outlet_method"]) == ("Test Zeitung", METHOD_GIVEN)
    assert (row["url"], row["url_method"]) == ("", METHOD_ABSENT)
    assert row["licence_note"] == "written for the tests"
    assert rows[f"005_{sha_es[:16]}"]["format"] == "html"
    assert rows[f"005_{sha_es[:16]}"]["language"] == "es"
    assert result.warnings == []
    assert validate_paths([repo / "raw"], None) == []  # the table is complete and valid


def test_story_rows_and_split_note(repo: Path) -> None:
    de = page(repo, "kursk.txt", GERMAN)
    result = add_pages(
        [de],
        PageInfo(story="2024-10-troop-deployment", language="de"),
        repo / "raw",
        splits_dir=repo / "splits",
    )
    [a] = result.added
    assert a.row["language_method"] == METHOD_GIVEN
    assert a.split_note == "joins story 2024-10-troop-deployment, whose documents are in test"
    last = (repo / "splits" / "stories.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert last == (
        f"{a.doc_id},2024-10-troop-deployment,"
        "rukp add: Nordkoreanische Soldaten in Kursk: Moskau schweigt"
    )
    new = add_pages(
        [page(repo, "b.html", SPANISH_HTML)], PageInfo(story="2025-new-story"), repo / "raw",
        splits_dir=repo / "splits",
    )  # fmt: skip
    assert new.added[0].split_note.startswith("new story 2025-new-story: the build places it")


def test_existing_rows_keep_their_bytes(repo: Path) -> None:
    before = (repo / "raw" / "sources.csv").read_bytes()
    add_pages([page(repo, "kursk.txt", GERMAN)], PageInfo(), repo / "raw")
    after = (repo / "raw" / "sources.csv").read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1


def test_refuses_a_page_already_present_naming_the_file(repo: Path) -> None:
    before = state(repo)
    copy = page(repo, "copy.txt", (repo / "raw" / f"{SEED}.txt").read_bytes())
    with pytest.raises(RukpError) as exc:
        add_pages([page(repo, "kursk.txt", GERMAN), copy], PageInfo(), repo / "raw")
    [inc] = exc.value.incidents
    assert inc.id == "page-already-present"
    assert f"already in raw/ as {SEED}.txt" in inc.message
    assert inc.file == str(copy)
    assert state(repo) == before  # the good page was not added either


@pytest.mark.parametrize(
    ("name", "content", "incident"),
    [
        ("notes.pdf", b"%PDF-1.4 binary", "unsupported-page-format"),
        ("empty.txt", b"   \n", "empty-file"),
        ("binary.txt", b"\x00\x01\x02 binary", "binary-file"),
        ("short.txt", "Kurz.\n\nZu kurz für einen Artikel.\n", "not-an-article"),
    ],
)
def test_refuses_pages_the_ingest_would_refuse(
    repo: Path, name: str, content: str | bytes, incident: str
) -> None:
    before = state(repo)
    bad = page(repo, name, content)
    with pytest.raises(RukpError) as exc:
        add_pages([page(repo, "kursk.txt", GERMAN), bad], PageInfo(), repo / "raw")
    assert [i.id for i in exc.value.incidents] == [incident]
    assert exc.value.incidents[0].file == str(bad)
    assert state(repo) == before


def test_refuses_the_same_page_twice_and_missing_pages(repo: Path) -> None:
    a = page(repo, "a.txt", GERMAN)
    b = page(repo, "b.txt", GERMAN)
    with pytest.raises(RukpError) as exc:
        add_pages([a, b, repo / "nope.txt"], PageInfo(), repo / "raw")
    assert [i.id for i in exc.value.incidents] == ["page-given-twice", "page-not-found"]


def test_pages_are_read_as_the_ingest_reads_raw_pages(repo: Path) -> None:
    """Through rukp.safeio: a FIFO or a folder named like a page is refused (a FIFO was
    opened and blocked `rukp add`), never read; nothing is written."""
    before = state(repo)
    fifo = repo / "incoming" / "pipe.txt"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    (repo / "incoming" / "folder.html").mkdir()
    with pytest.raises(RukpError) as exc:
        add_pages([fifo, repo / "incoming" / "folder.html"], PageInfo(), repo / "raw")
    assert [(i.id, i.doc_id) for i in exc.value.incidents] == [("not-a-regular-file", None)] * 2
    assert state(repo) == before


@pytest.mark.parametrize(
    ("table", "data", "incident"),
    [
        ("raw/sources.csv", b"id,file\n\xe9\n", "raw-sources-unreadable"),
        ("splits/stories.csv", b"doc_id,story,reason\nx,caf\xe9,r\n", "not-utf8"),
        ("splits/manifest.csv", b"doc_id,cluster\nx," + b"y" * 131_073 + b"\n", "malformed-csv"),
        ("documents.jsonl", b'{"doc_id": "a", "text": "t"}\n[1]\n', "document-field-missing"),
    ],
)
def test_tables_and_documents_are_read_through_safeio(
    repo: Path, table: str, data: bytes, incident: str
) -> None:
    (repo / table).write_bytes(data)
    before = state(repo)
    with pytest.raises(RukpError) as exc:
        add_pages(
            [page(repo, "k.txt", GERMAN)],
            PageInfo(story="2024-10-troop-deployment"),
            repo / "raw",
            splits_dir=repo / "splits",
            documents=repo / "documents.jsonl",
        )
    assert [i.id for i in exc.value.incidents] == [incident]
    assert state(repo) == before


@pytest.mark.parametrize(
    ("info", "n", "incidents"),
    [
        (PageInfo(url="https://example.org/a"), 2, ["add-url-for-many"]),
        (PageInfo(url="example.org/a"), 1, ["bad-url"]),
        (PageInfo(published="2024-13-01"), 1, ["bad-date"]),
        (PageInfo(published="21.10.2024"), 1, ["bad-date"]),
        (PageInfo(language="deu"), 1, ["bad-language"]),
        (PageInfo(story="a story"), 1, ["bad-story"]),
        (PageInfo(outlet=" "), 1, ["bad-option"]),
        (PageInfo(url="https://example.org/a", published="2024", language="ko"), 1, []),
    ],
)
def test_check_info(info: PageInfo, n: int, incidents: list[str]) -> None:
    assert [i.id for i in check_info(info, n)] == incidents


def test_url_gives_the_outlet(repo: Path) -> None:
    [a] = add_pages(
        [page(repo, "k.txt", GERMAN)], PageInfo(url="https://www.zeitung.example/kursk"),
        repo / "raw",
    ).added  # fmt: skip
    assert (a.row["url"], a.row["outlet"], a.row["outlet_method"]) == (
        "https://www.zeitung.example/kursk",
        "zeitung.example",
        "host of the URL (rukp add)",
    )


@pytest.mark.parametrize(
    ("names", "ids", "expected"),
    [
        (["000_a.txt", "004_b.txt"], {"007_c"}, 8),
        ([], set(), 0),
        (["readme-like.txt", "12_x.html"], set(), 13),
    ],
)
def test_next_number(names: list[str], ids: set[str], expected: int) -> None:
    assert next_number(names, ids) == expected


def test_raw_name() -> None:
    sha = "ab" * 32
    assert raw_name(5, sha, ".txt") == "005_abababababababab.txt"
    assert raw_name(1000, sha, ".HTML") == "1000_abababababababab.html"


def test_reports_near_duplicates_of_existing_documents(repo: Path) -> None:
    seed = (repo / "raw" / f"{SEED}.txt").read_text(encoding="utf-8")
    near = page(repo, "repost.txt", seed.replace("Kremlin", "Kremlin russe", 1))
    result = add_pages([near], PageInfo(), repo / "raw", documents=repo / "none.jsonl")
    assert (result.checked_against, result.cleaned_for_check) == (2, 2)  # no documents.jsonl
    [a] = result.added
    assert [d for d, _ in a.near_duplicates] == [SEED]
    assert a.near_duplicates[0][1] > 0.8
    [w] = result.warnings
    assert (w.id, w.level, w.doc_id) == ("near-duplicate", "warning", a.doc_id)
    assert SEED in w.message
    assert (repo / "raw" / a.name).is_file()  # reported, not refused


def test_dry_run_writes_nothing(repo: Path) -> None:
    before = state(repo)
    result = add_pages([page(repo, "k.txt", GERMAN)], PageInfo(), repo / "raw", dry_run=True)
    assert result.written is False and len(result.added) == 1
    assert state(repo) == before


def test_a_failure_while_renaming_undoes_everything(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state(repo)
    real = os.replace

    def flaky(src: str | os.PathLike, dst: str | os.PathLike) -> None:
        if Path(dst).name == "stories.csv":  # the last rename of the transaction
            raise OSError("disk full")
        real(src, dst)

    monkeypatch.setattr(add_module.os, "replace", flaky)
    with pytest.raises(OSError, match="disk full"):
        add_pages(
            [page(repo, "a.txt", GERMAN), page(repo, "b.html", SPANISH_HTML)],
            PageInfo(story="2024-10-troop-deployment"),
            repo / "raw",
            splits_dir=repo / "splits",
        )
    assert state(repo) == before
    assert sorted(p.name for p in (repo / "raw").iterdir()) == sorted(
        Path(k).name for k in before if k.startswith("raw/")
    )  # no staging folder or temporary table left


def test_a_second_add_waits_for_the_lock(repo: Path) -> None:
    with raw_lock(repo / "raw"), pytest.raises(RukpError) as exc:
        add_pages([page(repo, "a.txt", GERMAN)], PageInfo(), repo / "raw")
    assert exc.value.incidents[0].id == "raw-busy"


def test_cli(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["add", str(page(repo, "k.txt", GERMAN)), "--raw", str(repo / "raw")]
    args += ["--splits", str(repo / "splits"), "--documents", str(repo / "none.jsonl")]
    assert main([*args, "--published", "2024-10-21", "--story", "2024-10-troop-deployment"]) == 0
    out = capsys.readouterr().out
    assert "added " in out and "language: de  (detected by" in out
    assert "split: joins story 2024-10-troop-deployment, whose documents are in test" in out
    assert main(args) == 1
    assert "page-already-present" in capsys.readouterr().err
