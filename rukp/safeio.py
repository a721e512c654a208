"""One safe way in for every file a command reads, and one rule for every name that becomes a path.

- Regular files only: a FIFO, device, directory or socket is refused before it is opened (so a
  FIFO never blocks), and checked again on the open descriptor (the path may be swapped).
- A size bound per kind of input (`LIMITS`), checked before reading and while reading.
- Strict UTF-8; a leading BOM is tolerated; anything else is refused with its byte offset.
- JSON parsed with bounds on nesting depth and on the length of integers, without the
  non-standard constants NaN/Infinity and without numbers that overflow to infinity.
- CSV and Parquet read from the checked bytes, their parse errors turned into incidents.
- A name that becomes a file or folder name passes `check_name` (or is mapped by `safe_name`).

Every problem is a `RukpError` holding an `Incident` with a stable id (see `INCIDENT_IDS`), the
file and, where there is one, the place (line, byte offset). Only `main()`/`run()` print them.
Writing stays in `rukp.io` (atomic writes).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import math
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from rukp.errors import Incident, RukpError

KB, MB, GB = 1_000, 1_000_000, 1_000_000_000
# The largest file of each kind a command reads (bytes). Generous for real data (a news page
# is ~50 KB, the seed documents.jsonl ~100 KB, a 100,000-page documents.jsonl ~1 GB), small
# enough that a wrong path (a disk image, /dev/zero through a symlink) fails at once.
LIMITS: dict[str, int] = {
    "raw-page": 5 * MB,  # `rukp ingest --max-bytes` overrides it
    "documents": 4 * GB,  # build/ingest/documents.jsonl
    "annotation": 50 * MB,  # one <doc_id>.json of an annotation set
    "registry": 50 * MB,  # entities.json
    "export": 2 * GB,  # a Label Studio JSON export (holds every task's text)
    "adjudication": 2 * GB,  # disagreements.json, a decisions file, ADJUDICATION.md
    "submission": 50 * 1024 * 1024,  # `rukp evaluate --max-bytes` overrides it
    "leaderboard-entry": 20 * MB,
    "release-file": 4 * GB,  # Parquet files, manifest.json and folds of a release
    "csv": 100 * MB,  # raw/sources.csv, splits/*.csv
    "config": 5 * MB,  # baselines/config.json, an annotator map, schema/*.json
    "text": 20 * MB,  # the card source, AGREEMENT.md
    "log": 1_000 * GB,  # a server's log, of which only the end is read (`tail_text`)
}
MAX_JSON_DEPTH = 64  # the deepest file rukp writes (a Label Studio export) nests 7 levels
MAX_INT_DIGITS = 50  # offsets, counts and seeds have far fewer digits
MAX_NAME_BYTES = 100  # well under the 255 bytes of common file systems, with room for suffixes
NAME_RULE = (
    "letters A-Z a-z, digits, '-', '_' and '.', starting with a letter or digit, "
    f"at most {MAX_NAME_BYTES} characters"
)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_LONG_DIGITS = re.compile(rf"[0-9]{{{MAX_INT_DIGITS + 1}}}")
_BIG_EXPONENT = re.compile(r"[eE][+-]?0*[0-9]{3}")
_BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 20

# Incident ids raised here; tests/fuzz/corpus holds one hostile case per id.
INCIDENT_IDS = (
    "file-not-found",
    "file-unreadable",
    "not-a-regular-file",
    "file-too-large",
    "not-utf8",
    "malformed-json",
    "json-too-deep",
    "json-int-too-long",
    "json-bad-constant",
    "malformed-csv",
    "malformed-parquet",
    "unsafe-name",
)
_KINDS_OF_FILE = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def shown(path: Path | str) -> str:
    """A path as text that can always be printed (undecodable bytes of a file name escaped)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _error(
    id: str,
    message: str,
    path: Path | str | None,
    hint: str,
    location: str | None = None,
    doc_id: str | None = None,
) -> RukpError:
    file = None if path is None else shown(path)
    return RukpError(Incident(id, message, file, location, doc_id, hint))


def present(path: Path | str) -> bool:
    """True when something is at `path`, even a FIFO, a folder or a dangling link. An optional
    input is skipped only when absent; whatever is there is read through this module, which
    refuses it with its incident (`Path.is_file()` would silently skip a FIFO or a folder)."""
    return os.path.lexists(path)


def limit_of(kind: str, limit: int | None = None) -> int:
    if kind not in LIMITS:
        raise ValueError(f"unknown kind of input {kind!r}; known: {', '.join(LIMITS)}")
    return LIMITS[kind] if limit is None else limit


def _what(mode: int) -> str:
    return _KINDS_OF_FILE.get(stat.S_IFMT(mode), "not a regular file")


def _not_regular(path: Path | str, mode: int) -> RukpError:
    return _error(
        "not-a-regular-file",
        f"the path is {_what(mode)}; only regular files are read",
        path,
        "pass a regular file (rukp never reads from pipes, devices or folders here)",
    )


def _too_large(path: Path | str, size: int | None, kind: str, limit: int) -> RukpError:
    got = f"the file is {size:,} bytes" if size is not None else "the file grew while read"
    return _error(
        "file-too-large",
        f"{got}; the bound for a {kind} file is {limit:,} bytes",
        path,
        "check that this is the right file",
    )


def check_regular(
    path: Path | str,
    kind: str,
    *,
    limit: int | None = None,
    missing: tuple[str, str] | None = None,
) -> os.stat_result:
    """stat `path` (following symlinks) and refuse anything but a regular file within the
    bound of `kind`; never opens the file. `missing` = (incident id, hint) for an absent file."""
    bound = limit_of(kind, limit)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        mid, hint = missing or ("file-not-found", "check the path")
        raise _error(mid, "no such file", path, hint) from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise _error(
            "file-unreadable", f"cannot stat the file: {reason}", path,
            "check the path and its permissions",
        ) from None  # fmt: skip
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(path, st.st_mode)
    if st.st_size > bound:
        raise _too_large(path, st.st_size, kind, bound)
    return st


@contextlib.contextmanager
def open_regular(
    path: Path | str,
    kind: str,
    *,
    limit: int | None = None,
    missing: tuple[str, str] | None = None,
) -> Iterator[IO[bytes]]:
    """A binary file object of a checked regular file (opened non-blocking, re-checked)."""
    check_regular(path, kind, limit=limit, missing=missing)
    bound = limit_of(kind, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _error(
            "file-unreadable", f"cannot open the file: {exc.strerror}", path,
            "check the path and its permissions",
        ) from None  # fmt: skip
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())  # the path may have been swapped since the stat above
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, st.st_mode)
        if st.st_size > bound:
            raise _too_large(path, st.st_size, kind, bound)
        yield f


def read_bytes(
    path: Path | str,
    kind: str,
    *,
    limit: int | None = None,
    missing: tuple[str, str] | None = None,
) -> bytes:
    """The bytes of a regular file of `kind` (see `LIMITS`)."""
    bound = limit_of(kind, limit)
    with open_regular(path, kind, limit=limit, missing=missing) as f:
        try:
            # read(bound + 1) would allocate a buffer of the bound (5 MB for a raw page) on every
            # call: read the size fstat gave, plus the rest up to the bound if the file grew
            size = min(os.fstat(f.fileno()).st_size, bound) + 1
            data = f.read(size)
            if len(data) == size and size <= bound:
                data += f.read(bound + 1 - size)
        except OSError as exc:
            raise _error(
                "file-unreadable", f"cannot read the file: {exc.strerror}", path,
                "check the file system",
            ) from None  # fmt: skip
    if len(data) > bound:
        raise _too_large(path, None, kind, bound)
    return data


def sha256_file(
    path: Path | str, kind: str, *, limit: int | None = None, missing: tuple[str, str] | None = None
) -> str:
    """sha256 of a regular file of `kind`, read in chunks."""
    h = hashlib.sha256()
    bound = limit_of(kind, limit)
    total = 0
    with open_regular(path, kind, limit=limit, missing=missing) as f:
        while block := f.read(_CHUNK):
            total += len(block)
            if total > bound:
                raise _too_large(path, None, kind, bound)
            h.update(block)
    return h.hexdigest()


# ------------------------------------------------------------------------------------- text


def decode_utf8(
    data: bytes, path: Path | str | None, *, offset: int = 0, location: str | None = None
) -> str:
    """Strict UTF-8 with a leading BOM dropped; else `not-utf8` naming the byte offset (counted
    from `offset`, the position of `data` in its file)."""
    shift = 0
    if offset == 0 and data.startswith(_BOM):
        data, shift = data[3:], 3
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = offset + shift + exc.start
        bad = data[exc.start : exc.start + 4].hex(" ")
        where = f"{location}, byte offset {at}" if location else f"byte offset {at}"
        raise _error(
            "not-utf8",
            f"not valid UTF-8 at byte offset {at} (bytes {bad}: {exc.reason})",
            path,
            "re-save the file as UTF-8",
            location=where,
        ) from None


def read_text(
    path: Path | str,
    kind: str,
    *,
    limit: int | None = None,
    missing: tuple[str, str] | None = None,
) -> str:
    """The text of a regular UTF-8 file of `kind`."""
    return decode_utf8(read_bytes(path, kind, limit=limit, missing=missing), path)


def tail_text(path: Path | str, n_bytes: int = 64 * KB) -> str:
    """The last `n_bytes` of a regular log file as text (undecodable bytes replaced)."""
    with open_regular(path, "log") as f:
        size = os.fstat(f.fileno()).st_size
        f.seek(max(0, size - n_bytes))
        return f.read(n_bytes).decode("utf-8", "replace")


def iter_lines(
    path: Path | str,
    kind: str,
    *,
    limit: int | None = None,
    missing: tuple[str, str] | None = None,
) -> Iterator[tuple[int, str | None, Incident | None]]:
    """(line number, text, None) per line of a UTF-8 file, streamed; a line that is not UTF-8
    gives (line number, None, not-utf8 incident) and reading goes on."""
    bound = limit_of(kind, limit)
    total = 0
    with open_regular(path, kind, limit=limit, missing=missing) as f:
        for lineno, raw in enumerate(f, 1):
            start = total
            total += len(raw)
            if total > bound:
                raise _too_large(path, None, kind, bound)
            try:
                text = decode_utf8(raw, path, offset=start, location=f"line {lineno}")
            except RukpError as exc:
                yield lineno, None, exc.incidents[0]
                continue
            yield lineno, text, None


# ------------------------------------------------------------------------------------- JSON


class _Constant(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _Constant(name)


def depth(obj: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in value)
    return deepest


def _numbers(obj: Any) -> Iterator[int | float]:
    stack = [obj]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield value


def parse_json(
    text: str, path: Path | str | None, location: str | None = None, doc_id: str | None = None
) -> Any:
    """json.loads with every problem an incident: malformed-json (with line and column),
    json-too-deep, json-int-too-long, json-bad-constant. `location` names a line of a JSON
    Lines file. The bounds cost two C-speed scans of the text; the parsed value is walked only
    when a scan finds something that might break them."""

    def err(id: str, message: str, hint: str, where: str | None = location) -> RukpError:
        return _error(id, message, path, hint, location=where, doc_id=doc_id)

    deep = err(
        "json-too-deep",
        f"JSON nested deeper than {MAX_JSON_DEPTH} levels",
        "no file rukp reads nests this deep; check the file",
    )
    long_int = err(
        "json-int-too-long",
        f"an integer of more than {MAX_INT_DIGITS} digits",
        "write numbers of ordinary size",
    )
    try:
        obj = json.loads(text, parse_constant=_no_constant)
    except _Constant as exc:
        raise err(
            "json-bad-constant",
            f"{exc.args[0]} is not JSON; allowed: numbers, strings, true, false, null",
            "write a number or null",
        ) from None
    except RecursionError:
        raise deep from None
    except json.JSONDecodeError as exc:
        if location:  # one line of a JSON Lines file: the line is the place, the column told
            message, where = f"not JSON: {exc.msg} (column {exc.colno})", location
        else:
            message, where = f"not JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}"
        raise err("malformed-json", message, "fix the JSON syntax", where) from None
    except ValueError:  # an integer over Python's 4,300-digit conversion limit
        raise long_int from None
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and depth(obj) > MAX_JSON_DEPTH:
        raise deep
    scan_ints = _LONG_DIGITS.search(text) is not None
    scan_floats = _BIG_EXPONENT.search(text) is not None
    if scan_ints or scan_floats:
        for v in _numbers(obj):
            if isinstance(v, int) and scan_ints and abs(v) >= 10**MAX_INT_DIGITS:
                raise long_int
            if isinstance(v, float) and not math.isfinite(v):
                raise err(
                    "json-bad-constant",
                    "a number too large for a 64-bit float (it would become infinity)",
                    "write numbers of ordinary size",
                )
    return obj


def read_json(
    path: Path | str,
    kind: str,
    *,
    limit: int | None = None,
    missing: tuple[str, str] | None = None,
) -> Any:
    """A JSON file of `kind`, parsed under the bounds."""
    return parse_json(read_text(path, kind, limit=limit, missing=missing), path)


def iter_json_lines(
    path: Path | str,
    kind: str,
    *,
    limit: int | None = None,
    missing: tuple[str, str] | None = None,
) -> Iterator[tuple[int, Any, Incident | None]]:
    """(line number, value, None) per non-blank line of a JSON Lines file, or (line number,
    None, incident) for a line that is not UTF-8 or not JSON; file-level problems raise."""
    for lineno, line, problem in iter_lines(path, kind, limit=limit, missing=missing):
        if problem is not None:
            yield lineno, None, problem
            continue
        assert line is not None
        if not line.strip():
            continue
        try:
            yield lineno, parse_json(line, path, location=f"line {lineno}"), None
        except RukpError as exc:
            yield lineno, None, exc.incidents[0]


def read_jsonl(
    path: Path | str,
    kind: str,
    *,
    limit: int | None = None,
    missing: tuple[str, str] | None = None,
) -> list[tuple[int, Any]]:
    """Every (line number, value) of a JSON Lines file; raises one incident per bad line."""
    rows: list[tuple[int, Any]] = []
    problems: list[Incident] = []
    for lineno, value, problem in iter_json_lines(path, kind, limit=limit, missing=missing):
        if problem is not None:
            problems.append(problem)
        else:
            rows.append((lineno, value))
    if problems:
        raise RukpError(*problems)
    return rows


# ------------------------------------------------------------------------------- CSV, Parquet


def read_csv(
    path: Path | str,
    kind: str = "csv",
    *,
    limit: int | None = None,
    missing: tuple[str, str] | None = None,
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, [(line number, row)]) of a UTF-8 CSV file with a header line."""
    return parse_csv(read_text(path, kind, limit=limit, missing=missing), path)


def parse_csv(
    text: str, path: Path | str | None
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, [(line number, row)]) of CSV text with a header line; `malformed-csv` with the
    line when the csv module cannot parse it."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = list(reader.fieldnames or [])
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise _error(
            "malformed-csv",
            f"not CSV: {exc}",
            path,
            "save the table as UTF-8 CSV with a header line",
            location=f"line {reader.reader.line_num}",  # the line being parsed
        ) from None
    return header, rows


def parse_parquet(data: bytes, path: Path | str, columns: list[str] | None = None) -> Any:
    """A pyarrow Table from the bytes of a Parquet file; parse errors are incidents."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # The bytes are copied into memory Arrow owns, and read by ParquetFile.read on this
        # thread. pq.read_table hands the reader to an Arrow thread-pool task even with
        # use_threads=False; when that task let go of a buffer over Python memory during
        # interpreter exit, it needed the GIL and the process aborted ("terminate called
        # without an active exception", about 1 exit in 10 after an error).
        sink = pa.BufferOutputStream()
        sink.write(data)
        owned = sink.getvalue()
        return pq.ParquetFile(pa.BufferReader(owned), pre_buffer=False).read(
            columns=columns, use_threads=False
        )
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _error(
            "malformed-parquet",
            f"not a readable Parquet file: {str(exc)[:200]}",
            path,
            "rebuild the release (`rukp build`) or restore the committed file",
        ) from None


def read_parquet(
    path: Path | str,
    kind: str = "release-file",
    *,
    columns: list[str] | None = None,
    missing: tuple[str, str] | None = None,
) -> Any:
    """A pyarrow Table of a regular Parquet file of `kind`."""
    return parse_parquet(read_bytes(path, kind, missing=missing), path, columns)


# ------------------------------------------------------------------------------------ names


def is_safe_name(name: object) -> bool:
    """True when `name` follows NAME_RULE (so it is never '.', '..', a hidden name, an
    option-like '-x' or a path)."""
    return isinstance(name, str) and len(name) <= MAX_NAME_BYTES and bool(_NAME.fullmatch(name))


def check_name(name: str, what: str, *, hint: str | None = None) -> str:
    """`name` if it can be one file or folder name everywhere (NAME_RULE), else an
    `unsafe-name` incident."""
    if not is_safe_name(name):
        raise _error(
            "unsafe-name",
            f"{what} {name!r} cannot be used as a file or folder name; allowed: {NAME_RULE}",
            None,
            hint or f"choose another {what}",
        )
    return name


def safe_name(text: str, what: str, *, hint: str | None = None) -> str:
    """`text` mapped onto the name rule (every run of other characters becomes '_'), then
    checked: 'b@example.org' gives 'b_example.org'; '..' stays unusable and is refused."""
    return check_name(_NOT_NAME_CHARS.sub("_", text), what, hint=hint)


def child(folder: Path | str, name: str, what: str, suffix: str = "") -> Path:
    """folder / (name + suffix) with `name` checked, so the path stays inside `folder`."""
    return Path(folder) / (check_name(name, what) + suffix)
