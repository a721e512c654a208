"""Small metadata helpers: a leading "date 2024-06-24" field glued to a line, and an outlet name
from a URL. Publication dates themselves are found by rukp.ingest.dates and chosen in
rukp.ingest.clean.choose_date; the page's URL in rukp.ingest.clean.choose_url."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rukp.ingest.dates import find_dates

# A date field glued to the start of a line by the scraper: "date 2024-06-24 The United …".
_DATE_PREFIX = re.compile(
    r"(?:date|dated|published|posted|datum|data|fecha|дата|publié le|pubblicato il)\s*[:：]?\s*"
    r"(\d{4}-\d{2}-\d{2})\s+(?=\S)",
    re.IGNORECASE,
)


_PREFIX_STARTS = ("date", "published", "posted", "data", "fecha", "дата", "publié", "pubblicato")


def split_date_prefix(line: str) -> tuple[str, str | None, str]:
    """Split a leading "date 2024-06-24 " field from a line: (removed prefix, ISO date, rest);
    ("", None, line) when there is none."""
    head = line[:16].casefold()
    if not head.startswith(_PREFIX_STARTS):
        return "", None, line
    match = _DATE_PREFIX.match(line)
    if not match:
        return "", None, line
    found = find_dates(match.group(1), None)
    return match.group(0).strip(), found[0].iso if found else None, line[match.end() :]


def outlet_of(url: str | None) -> str | None:
    """Host of a stated source URL without a leading "www."."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host
