"""Raw bytes: size bound, binary check, decoding (UTF-8, else cp1252/latin-1), normalisation.

Normalisation never changes wording: NFC, newlines to "\\n", HTML entities unescaped, no-break
spaces to plain spaces, leading/trailing spaces removed per line.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from rukp.errors import Incident, RukpError
from rukp.safeio import LIMITS, read_bytes

DEFAULT_MAX_BYTES = LIMITS["raw-page"]
# Bytes that never occur in text files (C0 controls except tab, LF, VT, FF, CR, ESC).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_C1 = re.compile("[\u0080-\u009f]")
MAX_CONTROL_RATIO = 0.01
_SPACES = ("\u00a0", "\u202f", "\u2007")  # no-break, narrow no-break, figure space


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _reject(id: str, path: Path, message: str, hint: str) -> RukpError:
    return RukpError(Incident(id=id, message=message, file=str(path), doc_id=path.stem, hint=hint))


def read_raw(
    path: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    missing: tuple[str, str] | None = None,
    doc_id: str | None = "",
) -> bytes:
    """Read a raw page through rukp.safeio (a regular file, at most `max_bytes`, checked before
    reading), refusing empty files. Decoding stays here: raw pages may be cp1252 or latin-1.
    Incidents name `doc_id` (default: the file stem, the doc_id of a page in raw/; None for a
    page that is not in raw/ yet); `missing` = (incident id, hint) for an absent file."""
    doc = path.stem if doc_id == "" else doc_id
    try:
        data = read_bytes(path, "raw-page", limit=max_bytes, missing=missing)
    except RukpError as exc:
        raise RukpError(*(replace(i, doc_id=doc) for i in exc.incidents)) from None
    if not data.strip():
        raise RukpError(
            Incident(
                "empty-file",
                "file is empty (no bytes or only whitespace)",
                file=str(path),
                doc_id=doc,
                hint="remove it from raw/ or replace it with the page text",
            )
        )
    return data


def decode(path: Path, data: bytes) -> Decoded:
    """Decode bytes as UTF-8 (BOM stripped); else cp1252, else latin-1, with a warning."""
    if b"\x00" in data:
        raise _reject(
            "binary-file",
            path,
            "file contains NUL bytes (binary data or UTF-16)",
            "allowed: text in UTF-8, cp1252 or latin-1",
        )
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_RATIO * len(data):
        raise _reject(
            "binary-file",
            path,
            f"{controls} of {len(data)} bytes are control characters "
            f"(over {MAX_CONTROL_RATIO:.0%})",
            "allowed: text in UTF-8, cp1252 or latin-1",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        where = exc.start
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_C1.findall(text)) > MAX_CONTROL_RATIO * max(len(text), 1):
            break
        warning = (
            f"{path.name}: not valid UTF-8 (byte offset {where}); decoded as {encoding} "
            "and converted to UTF-8"
        )
        return Decoded(text, encoding, [warning])
    raise _reject(
        "undecodable-file",
        path,
        f"not valid UTF-8 (byte offset {where}) and not cp1252/latin-1 text",
        "re-save the page as UTF-8",
    )


def normalise(text: str) -> str:
    """NFC, newlines, HTML entities, no-break spaces, per-line strip; the wording is untouched."""
    text = html.unescape(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    for space in _SPACES:  # str.replace is much faster than str.translate here
        if space in text:
            text = text.replace(space, " ")
    return "\n".join(line.strip() for line in text.split("\n"))
