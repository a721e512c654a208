"""rukp.safeio: one hostile fixture per incident id (tests/fuzz/corpus), hand-checked messages and
offsets, and properties (hypothesis) of the JSON bounds, UTF-8 offsets and the name rule."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rukp.errors import RukpError
from rukp.safeio import (
    INCIDENT_IDS,
    LIMITS,
    MAX_INT_DIGITS,
    MAX_JSON_DEPTH,
    MAX_NAME_BYTES,
    check_name,
    check_regular,
    child,
    decode_utf8,
    depth,
    iter_json_lines,
    parse_csv,
    parse_json,
    parse_parquet,
    present,
    read_bytes,
    read_csv,
    read_json,
    read_jsonl,
    read_text,
    safe_name,
    sha256_file,
    tail_text,
)

CORPUS = Path(__file__).resolve().parents[1] / "fuzz" / "corpus"


def incident(fn, *args, **kw):  # type: ignore[no-untyped-def]
    with pytest.raises(RukpError) as info:
        fn(*args, **kw)
    (inc,) = info.value.incidents
    return inc


# ------------------------------------------------------------------ one fixture per incident id


@pytest.mark.parametrize(
    ("file", "incident_id", "words"),
    [
        ("malformed-json.json", "malformed-json", "not JSON: Expecting value"),
        ("not-utf8.json", "not-utf8", "UTF-8 at byte offset 11 (bytes e9 65 22 7d: invalid"),
        ("json-too-deep.json", "json-too-deep", "nested deeper than 64 levels"),
        ("json-too-deep-100.json", "json-too-deep", "nested deeper than 64 levels"),
        ("json-int-too-long.json", "json-int-too-long", "more than 50 digits"),
        ("json-int-too-long-60.json", "json-int-too-long", "more than 50 digits"),
        ("json-bad-constant.json", "json-bad-constant", "NaN is not JSON"),
        ("json-infinity.json", "json-bad-constant", "would become infinity"),
    ],
)
def test_json_corpus(file: str, incident_id: str, words: str) -> None:
    inc = incident(read_json, CORPUS / file, "config")
    assert (inc.id, inc.file) == (incident_id, str(CORPUS / file))
    assert words in inc.message and inc.hint


def test_malformed_json_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{\n  "a": 1,\n  "b": \n}\n')
    inc = incident(read_json, path, "config")
    assert (inc.id, inc.location) == ("malformed-json", "line 4, column 1")


def test_csv_corpus() -> None:
    inc = incident(read_csv, CORPUS / "malformed-csv.csv")
    assert inc.id == "malformed-csv" and "field larger than field limit" in inc.message
    assert inc.location == "line 2"
    inc = incident(read_csv, CORPUS / "not-utf8.csv")
    assert (inc.id, inc.location) == ("not-utf8", "byte offset 11")


def test_parquet_corpus(tmp_path: Path) -> None:
    data = (CORPUS / "malformed-parquet.parquet").read_bytes()
    inc = incident(parse_parquet, data, "x.parquet")
    assert inc.id == "malformed-parquet" and inc.file == "x.parquet"
    import pyarrow as pa
    import pyarrow.parquet as pq

    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"a": [1, 2, 3]}), good)
    assert parse_parquet(good.read_bytes(), good).column("a").to_pylist() == [1, 2, 3]


def test_unsafe_name_from_the_corpus_export() -> None:
    """The e-mail of the export that once wrote outside --out-dir can never be mapped onto a
    name (the importer does not name sets after e-mails at all any more)."""
    export = json.loads((CORPUS / "ls" / "email-dotdot.export.json").read_text("utf-8"))
    email = export[0]["annotations"][0]["completed_by"]["email"]
    inc = incident(safe_name, email, "set name")
    assert inc.id == "unsafe-name" and "'..' cannot be used as a file or folder name" in inc.message


def test_not_a_regular_file_fifo_socket_dir_device(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    sock = tmp_path / "s.json"
    os.mknod(sock, stat.S_IFSOCK | 0o600)
    device = tmp_path / "zero.json"
    device.symlink_to("/dev/zero")
    expected = {
        fifo: "a FIFO (named pipe)",
        sock: "a socket",
        tmp_path: "a directory",
        device: "a character device",
    }
    for path, what in expected.items():
        result: list = []

        def read(p: Path = path, out: list = result) -> None:
            out.append(incident(read_bytes, p, "config"))

        # in a thread with a deadline: opening a FIFO for reading would block forever
        t = threading.Thread(target=read)
        t.start()
        t.join(10)
        assert not t.is_alive(), f"reading {path} blocked"
        (inc,) = result
        assert inc.id == "not-a-regular-file" and f"the path is {what}" in inc.message
        assert inc.file == str(path)


def test_file_too_large_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with open(big, "wb") as f:
        f.truncate(LIMITS["documents"] + 1)  # sparse: nothing is written, nothing read
    inc = incident(read_jsonl, big, "documents")
    assert inc.id == "file-too-large"
    assert f"{LIMITS['documents'] + 1:,} bytes; the bound for a documents file" in inc.message
    small = tmp_path / "s.txt"
    small.write_text("12345")
    assert read_text(small, "config", limit=5) == "12345"
    assert incident(read_text, small, "config", limit=4).id == "file-too-large"


def test_missing_unreadable_and_the_missing_override(tmp_path: Path) -> None:
    inc = incident(read_bytes, tmp_path / "nope", "config")
    assert (inc.id, inc.message) == ("file-not-found", "no such file")
    inc = incident(read_bytes, tmp_path / "nope", "config", missing=("config-missing", "restore"))
    assert (inc.id, inc.hint) == ("config-missing", "restore")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    inc = incident(check_regular, loop, "config")
    assert inc.id == "file-unreadable" and "Too many levels of symbolic links" in inc.message


def test_every_incident_id_has_a_test_here() -> None:
    covered = {
        "file-not-found", "file-unreadable", "not-a-regular-file", "file-too-large",
        "not-utf8", "malformed-json", "json-too-deep", "json-int-too-long",
        "json-bad-constant", "malformed-csv", "malformed-parquet", "unsafe-name",
    }  # fmt: skip
    assert covered == set(INCIDENT_IDS)


# ------------------------------------------------------------------ UTF-8, lines, hashes


def test_bom_is_dropped_and_offsets_count_it(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": "\xc3\xa9"}')
    assert read_json(path, "config") == {"a": "é"}
    path.write_bytes(b'\xef\xbb\xbf{"a": "\xe9"}')
    assert incident(read_json, path, "config").location == "byte offset 10"


@settings(max_examples=200, deadline=None)
@given(prefix=st.text(max_size=30), bad=st.sampled_from([b"\xff", b"\xc3(", b"\xed\xa0\x80"]))
def test_not_utf8_offset_is_the_byte_position(prefix: str, bad: bytes) -> None:
    data = prefix.encode("utf-8") + bad
    inc = incident(decode_utf8, data, "f")
    assert inc.location == f"byte offset {len(prefix.encode('utf-8'))}"


def test_json_lines_name_every_bad_line_and_count_bytes(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"a": 1}\n\n{"a": \n{"a": "\xe9"}\n[1]\n')
    got = [(n, v, p and (p.id, p.location)) for n, v, p in iter_json_lines(path, "documents")]
    assert got == [
        (1, {"a": 1}, None),
        (3, None, ("malformed-json", "line 3")),
        (4, None, ("not-utf8", "line 4, byte offset 24")),  # 9 + 1 + 7 bytes, then 7
        (5, [1], None),
    ]
    with pytest.raises(RukpError) as info:
        read_jsonl(path, "documents")
    assert [i.location for i in info.value.incidents] == ["line 3", "line 4, byte offset 24"]


def test_sha256_and_tail(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(b"a" * 100_000 + b"\nlast line \xff\n")
    assert sha256_file(path, "log") == hashlib.sha256(path.read_bytes()).hexdigest()
    assert tail_text(path, 12).splitlines()[-1] == "last line \ufffd"


def test_csv_rows_carry_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('id,note\na,"two\nlines"\nb,x\n')
    header, rows = read_csv(path)
    assert header == ["id", "note"]
    assert rows == [(3, {"id": "a", "note": "two\nlines"}), (4, {"id": "b", "note": "x"})]

    assert parse_csv(path.read_text(), path) == (header, rows)
    inc = incident(parse_csv, "id\n" + "x" * 200_000 + "\n", "t.csv")
    assert (inc.id, inc.file, inc.location) == ("malformed-csv", "t.csv", "line 2")


def test_present_sees_what_is_file_skips(tmp_path: Path) -> None:
    """`present` is true for a FIFO, a folder and a dangling link (so an optional input that
    is there is read, and refused), false only when nothing is at the path."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dangling").symlink_to(tmp_path / "nothing")
    for name in ("fifo", "dir", "dangling"):
        assert present(tmp_path / name) and not (tmp_path / name).is_file()
    assert not present(tmp_path / "nothing")
    assert incident(read_text, tmp_path / "fifo", "text").id == "not-a-regular-file"


# ------------------------------------------------------------------ JSON bounds (properties)

_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**MAX_INT_DIGITS) + 1, max_value=10**MAX_INT_DIGITS - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
)
_json = st.recursive(
    _leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=_json)
def test_parse_json_equals_json_loads_within_the_bounds(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert depth(value) <= MAX_JSON_DEPTH
    assert parse_json(text, None) == json.loads(text)


@settings(max_examples=100, deadline=None)
@given(levels=st.integers(1, 400), digits=st.integers(1, 120))
def test_depth_and_integer_bounds_are_exact(levels: int, digits: int) -> None:
    nested = "[" * levels + "]" * levels
    if levels <= MAX_JSON_DEPTH:
        assert depth(parse_json(nested, None)) == levels
    else:
        assert incident(parse_json, nested, None).id == "json-too-deep"
    number = "9" * digits
    if digits <= MAX_INT_DIGITS:
        assert parse_json(f'{{"n": -{number}}}', None) == {"n": -int(number)}
    else:
        assert incident(parse_json, f'{{"n": -{number}}}', None).id == "json-int-too-long"
    # digits inside a string are text, not a number
    assert parse_json(json.dumps({"s": number}), None) == {"s": number}


# ------------------------------------------------------------------ the name rule


@pytest.mark.parametrize(
    "name",
    [
        "",
        ".",
        "..",
        ".git",
        "-rf",
        "a/b",
        "a\\b",
        "x<GPE>&",
        "a b",
        "é",
        "\U0001f642" * 60,
        "x" * 101,
    ],
)
def test_unsafe_names(name: str) -> None:
    inc = incident(check_name, name, "set name")
    assert inc.id == "unsafe-name" and f"at most {MAX_NAME_BYTES} characters" in inc.message


def test_safe_name_maps_emails() -> None:
    assert safe_name("b@example.org", "set name") == "b_example.org"
    assert safe_name("anna.m+lab@x.de", "set name") == "anna.m_lab_x.de"
    assert child(Path("/base"), "A", "set name", ".json") == Path("/base/A.json")


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=120))
def test_any_accepted_name_stays_one_entry_of_its_folder(text: str) -> None:
    for fn in (check_name, safe_name):
        try:
            name = fn(text, "name")
        except RukpError as exc:
            assert exc.incidents[0].id == "unsafe-name"
            continue
        path = child(Path("/base"), name, "name", ".json")
        assert path.parent == Path("/base") and path.name == name + ".json"
        assert name not in (".", "..") and not name.startswith((".", "-"))
        assert len(name.encode("utf-8")) <= MAX_NAME_BYTES and name.isascii()
        assert check_name(name, "name") == name  # mapping gives names the rule accepts


def test_exit_after_a_refused_submission_never_aborts(tmp_path: Path) -> None:
    """Regression: with pq.read_table, ``rukp evaluate`` on a refused submission ended with
    SIGABRT ("terminate called without an active exception", exit 134) in about 1 run in 20
    on a busy machine (2 of 40 with three busy-loop processes beside it): an Arrow thread-pool
    task let go of a buffer over Python memory while the interpreter was exiting. parse_parquet
    now reads a copy Arrow owns on the calling thread. This runs the same command 16 times
    beside two busy loops and requires exit 1 every time (with the old reader, 2/40 aborted)."""
    import random
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    release = root / "release"
    if not (release / "ner").is_dir():
        pytest.skip("no built release/ (run `rukp build` first)")
    rng = random.Random(1234)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        codes = []
        for i in range(16):
            pred = tmp_path / f"p{i}.jsonl"
            pred.write_bytes(bytes(rng.randrange(256) for _ in range(300)))
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "rukp",
                    "evaluate",
                    "--task",
                    "ner",
                    "--release",
                    str(release),
                    "--predictions",
                    str(pred),
                ],
                capture_output=True,
                text=True,
                cwd=tmp_path,
                timeout=120,
            )
            codes.append(proc.returncode)
            assert "Traceback" not in proc.stderr, proc.stderr
    finally:
        for h in hogs:
            h.kill()
            h.wait()
    assert codes == [1] * 16, codes


@given(st.binary(max_size=300), st.integers(min_value=0, max_value=320))
@settings(max_examples=200, deadline=None)
def test_read_bytes_reads_what_a_read_up_to_the_bound_reads(data: bytes, limit: int) -> None:
    """read_bytes reads the size fstat gives (not a buffer of the bound): the same bytes, or
    the same refusal, as reading limit + 1 bytes at once."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.txt"
        path.write_bytes(data)
        with open(path, "rb") as f:
            plain = f.read(limit + 1)
        if len(plain) > limit:
            assert incident(read_bytes, path, "raw-page", limit=limit).id == "file-too-large"
        else:
            assert read_bytes(path, "raw-page", limit=limit) == plain == data


def test_read_bytes_reads_past_a_size_of_zero() -> None:
    """A regular file whose size fstat gives as 0 but that holds bytes (/proc) is read whole."""
    status = Path("/proc/self/status")
    if not status.is_file():
        pytest.skip("no /proc")
    text = read_bytes(status, "raw-page")
    assert os.stat(status).st_size == 0
    assert text.startswith(b"Name:") and len(text) > 100
