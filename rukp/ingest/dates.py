"""Full dates (year, month, day) written in page furniture, in any of many languages.

Month names come from dateparser's locale data (the kept multilingual date parser; it knows
month names, abbreviations and case forms of some 200 languages), plus the Levantine and
Maghreb Arabic month names it lacks. Parsing itself is a handful of regular expressions built
from those names, because dateparser's own search costs 2-30 ms a line and the cleaner must run
at about a millisecond a page. Eastern Arabic, Persian and full-width
digits are read as digits. Dates without a year are not full dates and are not returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

ALWAYS = ("en",)  # English month names are read on pages in every language
_MONTH_KEYS = (
    "january february march april may june july august september october november december"
).split()
_SUPPLEMENT = {  # month names dateparser does not list: Levantine/Iraqi, Algerian/Tunisian
    # and Moroccan Arabic (يوليوز, غشت, شتنبر, نونبر, دجنبر)
    "ar": [
        ["كانون الثاني", "جانفي"], ["شباط", "فيفري"], ["آذار"], ["نيسان", "أفريل"],
        ["أيار", "ماي"], ["حزيران", "جوان"], ["تموز", "جويلية", "يوليوز"], ["آب", "أوت", "غشت"],
        ["أيلول", "شتنبر"], ["تشرين الأول"], ["تشرين الثاني", "نونبر"], ["كانون الأول", "دجنبر"],
    ],
}  # fmt: skip
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)


@dataclass(slots=True, frozen=True)
class Found:
    start: int
    end: int
    iso: str


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


@lru_cache(maxsize=64)
def _locale_months(lang: str) -> tuple[tuple[str, int], ...]:
    """(lower-cased month name, month number) pairs for one language; () if unknown."""
    out: list[tuple[str, int]] = []
    try:
        from dateparser.languages import default_loader

        info = default_loader.get_locale(lang).info
    except (ValueError, KeyError, ImportError):
        info = {}
    for number, key in enumerate(_MONTH_KEYS, 1):
        for name in info.get(key, []):
            out.append((name.casefold(), number))
    for number, names in enumerate(_SUPPLEMENT.get(lang, []), 1):
        out.extend((n.casefold(), number) for n in names)
    return tuple(out)


@lru_cache(maxsize=64)
def _date_order(lang: str) -> str:
    try:
        from dateparser.languages import default_loader

        return str(default_loader.get_locale(lang).info.get("date_order", "DMY"))
    except (ValueError, KeyError, ImportError):
        return "DMY"


@lru_cache(maxsize=64)
def _patterns(langs: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], ...], dict[str, int]]:
    months: dict[str, int] = {}
    for lang in langs:
        for name, number in _locale_months(lang):
            if len(name) >= 3 or not name.isascii():  # "Ha", "Te": too ambiguous
                months.setdefault(name, number)
    names = "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True))
    # a second name of the same month after a slash or in brackets: "juli/july", "تموز (يوليو)"
    m = rf"(?P<mon>{names})\.?(?:\s*/\s*(?:{names})|\s*\((?:{names})\))?"
    glue = r"[\s,]*(?:(?:de|del|of|năm|r\.|roku|року|года|г\.|yılı)\s*)?"
    return (
        re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
        re.compile(
            r"(?<!\d)\(?(?P<y>\d{4})\)?\s*[년年]\s*(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日]"
        ),
        re.compile(r"(?<!\d)(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<y>\d{4})(?!\d)"),
        re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})(?:er|º|°|\.|th|st|nd|rd)?[\s.]*(?:de\s+)?{m}{glue}(?P<y>\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
        re.compile(
            rf"(?<![^\W\d_]){m}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)[\s,]*(?P<y>\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
    ), months


_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=64)
def _month_starts(langs: tuple[str, ...]) -> frozenset[str]:
    """The first word of every month name of `langs` (what a month-name date must contain)."""
    _, months = _patterns(langs)
    return frozenset(w for name in months for w in _WORD.findall(name)[:1])


def find_dates(text: str, lang: str | None) -> list[Found]:
    """Every full date in `text`, in text order (overlapping matches: the first wins)."""
    langs = tuple(dict.fromkeys([*([lang] if lang else []), *ALWAYS]))
    patterns, months = _patterns(langs)
    line = _URL.sub(lambda m: " " * len(m.group()), ascii_digits(text))
    order = _date_order(lang or "en")
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    # the month-name forms (the costly ones) only when a word of the line starts a month name
    named = bool(_month_starts(langs) & set(_WORD.findall(line.casefold())))
    for k, pattern in enumerate(patterns if named else patterns[:3]):
        for match in pattern.finditer(line):
            if _overlaps(match, taken):
                continue
            parts = match.groupdict()
            y = int(parts["y"])
            if k == 2:
                a, b = int(parts["a"]), int(parts["b"])
                if a > 12:
                    d, mo = a, b
                elif b > 12:
                    d, mo = b, a
                else:
                    d, mo = (b, a) if order.startswith("M") else (a, b)
            elif "mon" in parts and parts["mon"] is not None:
                mo = months[parts["mon"].casefold()]
                d = int(parts["d"])
            else:
                mo, d = int(parts["m"]), int(parts["d"])
            iso = _iso(y, mo, d)
            if iso:
                found.append(Found(match.start(), match.end(), iso))
                taken.append((match.start(), match.end()))
    if "令和" in line or "平成" in line:
        for match in _ERA.finditer(line):
            if _overlaps(match, taken):
                continue
            year = _ERA_START[match["era"]] + (1 if match["n"] == "元" else int(match["n"])) - 1
            iso = _iso(year, int(match["m"]), int(match["d"]))
            if iso:
                found.append(Found(match.start(), match.end(), iso))
    if lang == "zh":
        for match in _MINGUO.finditer(line):
            if _overlaps(match, taken):
                continue
            n, m, d = (
                (match["n"], match["m"], match["d"])
                if match["n"]
                else (match["n2"], match["m2"], match["d2"])
            )
            iso = _iso(1911 + int(n), int(m), int(d))
            if iso:
                found.append(Found(match.start(), match.end(), iso))
    found.sort(key=lambda f: f.start)
    return found


# A Japanese era year (official documents, ministries): 令和7年4月30日 is 2025-04-30; 元 is 1.
_ERA = re.compile(
    r"(?P<era>令和|平成)\s*(?P<n>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
)
_ERA_START = {"令和": 2019, "平成": 1989}
# A Republic of China (Minguo) year on a Chinese page (Taiwanese government and press): year
# 113 is 2024, written "民國113年6月20日" or, in the sites' date fields, "113-06-20".
_MINGUO = re.compile(
    r"(?:民[國国]\s*(?P<n>\d{2,3})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日)"
    r"|(?<![\d.\-/])(?P<n2>1[01]\d)[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?![\d.\-/])"
)


def _overlaps(match: re.Match[str], taken: list[tuple[int, int]]) -> bool:
    """The match overlaps a span already taken by an earlier date."""
    return any(s < match.end() and match.start() < e for s, e in taken)


def _iso(y: int, m: int, d: int) -> str | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None
