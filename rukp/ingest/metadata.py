"""Metadata stated in the page text: publication date lines and source-URL lines.

Only lines that are page furniture count (a short date line, a "Source : <url>" line, a leading
"date 2024-06-24" field); dates inside article sentences are never used. A date without a year
("21 octobre") is not a full date: `published` stays null rather than a guessed year.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MONTHS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada "
    "grudnia",
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
):
    for _i, _name in enumerate(_names.split(), 1):
        MONTHS.setdefault(_name, _i)

# Words that introduce a date field in a page ("Publié le", "pubblicato il", "입력", …).
_CUE = (
    r"(?:date|dated|published(?:\s+on)?|updated(?:\s+on)?|publication\s+date|posted(?:\s+on)?|"
    r"publié\s+le|mis\s+à\s+jour\s+le|publi[ée]\s+le|pubblicato\s+il|aggiornato\s+il|data|"
    r"veröffentlicht\s+am|aktualisiert\s+am|datum|publicado\s+el|publicado\s+em|publicado|"
    r"actualizado\s+el|fecha|опубликовано|обновлено|дата|опубліковано|입력|수정|게시|등록|"
    r"opublikowano|aktualizacja)"
)
_MONTH = r"(?P<mname>[^\W\d_]+)"
_DATE_FORMS = (
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})",
    r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})",
    r"(?P<y>\d{4})\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})\.?",
    r"(?P<y>\d{4})년\s*(?P<m>\d{1,2})월\s*(?P<d>\d{1,2})일",
    r"(?P<d>\d{1,2})(?:er|\.)?\s+" + _MONTH + r"(?:\s+(?P<y>\d{4}))?(?:\s*г(?:ода|\.)?)?",
    _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?",
)
_TIME = (
    r"(?:[,\s]+(?:à|alle|um|a\s+las|às|в|o|at)?\s*\d{1,2}[:h.]\d{2}(?::\d{2})?"
    r"(?:\s*(?:uhr|am|pm|h))?)?"
)
_DATE_LINE = [
    re.compile(rf"(?:{_CUE}\s*[:：]?\s*)?{form}{_TIME}\s*[.)]?", re.IGNORECASE)
    for form in _DATE_FORMS
]
_DATE_PREFIX = re.compile(rf"{_CUE}\s*[:：]?\s*(\d{{4}}-\d{{2}}-\d{{2}})\s+(?=\S)", re.IGNORECASE)
_SOURCE = re.compile(
    r"(?:source|sources|fonte|fonti|quelle|fuente|fonte|источник|джерело|출처|źródło|bron)"
    r"\s*[:：]\s*(?P<url>https?://\S+)",
    re.IGNORECASE,
)


MAX_DATE_LINE = 80
_DIGIT = re.compile(r"\d")


def _iso(y: str | None, m: int | None, d: str | None) -> str | None:
    """ISO date from parts; None without a year or with an impossible month/day."""
    if not y or not m or not 1 <= m <= 12:
        return None
    if d is None:
        return f"{int(y):04d}-{m:02d}"
    if not 1 <= int(d) <= 31:
        return None
    return f"{int(y):04d}-{m:02d}-{int(d):02d}"


def parse_date_line(line: str) -> tuple[bool, str | None]:
    """(is the whole line a date field?, ISO date or None when no full date is stated)."""
    if len(line) > MAX_DATE_LINE or _DIGIT.search(line) is None:
        return False, None  # every date form has a number; date fields are short
    for pattern in _DATE_LINE:
        match = pattern.fullmatch(line)
        if not match:
            continue
        parts = match.groupdict()
        if parts.get("mname") is not None:
            month = MONTHS.get(parts["mname"].lower())
            if month is None:
                continue
        else:
            month = int(parts["m"])
            if month > 12 and int(parts["d"]) <= 12:  # 10/23/2024: month/day order
                month, parts["d"] = int(parts["d"]), parts["m"]
        return True, _iso(parts.get("y"), month, parts.get("d"))
    return False, None


def split_date_prefix(line: str) -> tuple[str, str | None, str]:
    """Split a leading "date 2024-06-24 " field from a line: (removed prefix, ISO date, rest)."""
    match = _DATE_PREFIX.match(line) if line[:1].isalpha() else None
    if not match:
        return "", None, line
    y, m, d = match.group(1).split("-")
    return match.group(0).strip(), _iso(y, int(m), d), line[match.end() :]


def parse_source_line(line: str) -> str | None:
    """The URL of a "Source : https://…" line, or None."""
    if "http" not in line:
        return None
    match = _SOURCE.fullmatch(line)
    return match.group("url") if match else None


def outlet_of(url: str | None) -> str | None:
    """Host of a stated source URL without a leading "www."."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host
