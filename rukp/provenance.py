"""raw/sources.csv, the provenance table of the raw pages: its columns, the page formats, the
words of its `*_method` columns, and reading it. Shared by `rukp add` (which appends rows),
`rukp validate` (which checks them) and `rukp ls push` (which wants a row per document).

One row per raw file: `id` (= doc_id = file stem), `file`, `format` (from the file extension),
`sha256` of the bytes, and what is known about the page — `language`, `published`, `outlet`,
`url` — each with a `*_method` column saying how it was obtained, plus a `licence_note`.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from rukp.errors import RukpError
from rukp.safeio import decode_utf8, parse_csv, read_bytes

SOURCES_NAME = "sources.csv"
# Every column, in the order `rukp add` writes a new table; the validator requires REQUIRED.
COLUMNS = (
    "id",
    "file",
    "format",
    "sha256",
    "language",
    "language_method",
    "published",
    "published_method",
    "outlet",
    "outlet_method",
    "url",
    "url_method",
    "licence_note",
)
REQUIRED = (
    "id",
    "file",
    "format",
    "sha256",
    "language",
    "published",
    "outlet",
    "url",
    "licence_note",
)
# Page formats by file extension (lower case). The ingest reads a page by its format.
FORMATS = {".txt": "text", ".html": "html"}

# How a value was obtained (the `*_method` columns of rows written by `rukp add`).
METHOD_GIVEN = "given on the command line by the user (rukp add)"
METHOD_ABSENT = "not given and not found in the page (rukp add)"


def method_found(cleaner_version: str) -> str:
    return f"found in the page by the ingest's metadata step (cleaner {cleaner_version}, rukp add)"


def method_detected(cleaner_version: str) -> str:
    return f"detected by the ingest's language identification (cleaner {cleaner_version}, rukp add)"


METHOD_OUTLET_FROM_URL = "host of the URL (rukp add)"

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_STORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def page_format(name: str) -> str | None:
    """The format of a raw file from its extension (None when rukp does not read it)."""
    return FORMATS.get(Path(name).suffix.lower())


def valid_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day."""
    if not _DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def valid_story(value: str) -> bool:
    """A story id of splits/stories.csv: letters, digits, '.', '_', '-'."""
    return bool(_STORY.fullmatch(value))


def iso639_1_codes() -> frozenset[str]:
    """Two-letter ISO 639-1 language codes (from Babel's CLDR locale data)."""
    from babel import localedata

    return frozenset(i for i in localedata.locale_identifiers() if len(i) == 2 and i.isalpha())


@dataclass(slots=True)
class Sources:
    """The table as read: header, rows (as dicts) and the raw bytes (for appending)."""

    path: Path
    header: list[str]
    rows: list[dict[str, str]]
    data: bytes

    def ids(self) -> set[str]:
        return {(r.get("id") or "").strip() for r in self.rows} - {""}


_UNREADABLE = {"not-utf8", "malformed-csv"}  # reported as raw-sources-unreadable (as validate)


def read_sources(path: Path) -> Sources:
    """raw/sources.csv through rukp.safeio; raises RukpError when it is missing, not a regular
    file, too large, or not a UTF-8 CSV with a header (`raw-sources-unreadable`, as `rukp
    validate` reports it)."""
    path = Path(path)
    try:
        data = read_bytes(
            path,
            "csv",
            missing=("raw-sources-missing", "raw/ needs sources.csv with one row per raw file"),
        )
        header, rows = parse_csv(decode_utf8(data, path), path)
    except RukpError as exc:
        raise RukpError(
            *(
                replace(
                    i,
                    id="raw-sources-unreadable",
                    message=f"cannot parse {path.name}: {i.message}",
                    hint="save sources.csv as UTF-8 CSV with a header line",
                )
                if i.id in _UNREADABLE
                else i
                for i in exc.incidents
            )
        ) from None
    return Sources(path, header, [row for _, row in rows], data)


def csv_rows(header: list[str], rows: list[dict[str, str]]) -> str:
    """Rows as CSV lines in `header` order ("\\n" line ends, minimal quoting)."""
    lines: list[str] = []

    class _Sink:
        def write(self, s: str) -> None:
            lines.append(s)

    writer = csv.DictWriter(_Sink(), fieldnames=header, lineterminator="\n")
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
    return "".join(lines)


def without_provenance(doc_ids: list[str], sources_csv: Path) -> list[str]:
    """The doc_ids that have no row in sources.csv (all of them when the table is missing; a
    table that is there but cannot be read raises its incident)."""
    try:
        ids = read_sources(sources_csv).ids()
    except RukpError as exc:
        if [i.id for i in exc.incidents] != ["raw-sources-missing"]:
            raise
        ids = set()
    return sorted(d for d in doc_ids if d not in ids)
