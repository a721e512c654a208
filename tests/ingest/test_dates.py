"""Full dates in page furniture, in many languages (expected values read by hand)."""

from __future__ import annotations

import pytest

from rukp.ingest.dates import find_dates
from rukp.ingest.metadata import split_date_prefix


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Publié le 3 mars 2024", "fr", ["2024-03-03"]),
        ("pubblicato il 12/10/2023", "it", ["2023-10-12"]),
        ("Veröffentlicht am 3. März 2024, 10:15 Uhr", "de", ["2024-03-03"]),
        ("Опубликовано 24 июня 2024 г.", "ru", ["2024-06-24"]),
        ("19 июня 2024 г., 14:05 МСК", "ru", ["2024-06-19"]),
        ("Опубліковано 19 червня 2024 року о 14:05", "uk", ["2024-06-19"]),
        ("입력 2024년 6월 24일", "ko", ["2024-06-24"]),
        ("주체113(2024)년 6월 20일", "ko", ["2024-06-20"]),
        ("2024.10.18 15:12", "ko", ["2024-10-18"]),
        ("2024年6月19日 15:12", "ja", ["2024-06-19"]),
        ("2024年12月05日 08:46　来源：东方时政网", "zh", ["2024-12-05"]),
        ("١٩ يونيو ٢٠٢٤", "ar", ["2024-06-19"]),
        ("١٢ تموز ٢٠٢٥ | ١٨:٢٠", "ar", ["2025-07-12"]),  # Levantine month name
        ("نُشر في ٢٨ أبريل/نيسان ٢٠٢٥", "ar", ["2025-04-28"]),  # two month names
        ("١٢ تموز (يوليو) ٢٠٢٥ - ١٥:٤٠", "ar", ["2025-07-12"]),  # the second in brackets
        ("نشر في: الخميس 05 دجنبر 2024 - 09:47", "ar", ["2024-12-05"]),  # Moroccan month name
        ("29 نونبر 2024 | 3 غشت 2024", "ar", ["2024-11-29", "2024-08-03"]),
        ("發布日期：113-06-20", "zh", ["2024-06-20"]),  # Republic of China year: 113 is 2024
        ("民國113年6月20日", "zh", ["2024-06-20"]),
        ("113-06-20", "ja", []),  # a Minguo year only on a Chinese page
        ("電話 02-113-06-20", "zh", []),  # digits of a longer number are no Minguo date
        ("令和7年4月30日", "ja", ["2025-04-30"]),  # a Japanese era year: Reiwa 1 is 2019
        ("更新日：令和元年5月1日", "ja", ["2019-05-01"]),  # 元: its first year
        ("平成31年4月30日", "ja", ["2019-04-30"]),  # Heisei 1 is 1989
        ("19 Haziran 2024 Çarşamba 14:05", "tr", ["2024-06-19"]),
        ("ngày 19/6/2024", "vi", ["2024-06-19"]),
        ("19 tháng 6 năm 2024", "vi", ["2024-06-19"]),
        ("Opublikowano 19 czerwca 2024 r.", "pl", ["2024-06-19"]),
        ("19 de junho de 2024", "pt", ["2024-06-19"]),
        ("woensdag 18 jun 2025 om 05:45", "nl", ["2025-06-18"]),
        ("Published: March 3, 2024", "en", ["2024-03-03"]),
        ("Nov 12, 2024", "fr", ["2024-11-12"]),  # an English date on a French page
        ("6/19/2024", "en", ["2024-06-19"]),  # month first: the day is over 12
        ("06/07/2024", "en", ["2024-06-07"]),  # ambiguous: English reads month first
        ("06/07/2024", "fr", ["2024-07-06"]),  # ambiguous: French reads day first
        (
            "June 19, 2024, 9:47 p.m. ET | Updated June 20, 2024, 6:15 a.m. ET",
            "en",
            ["2024-06-19", "2024-06-20"],
        ),
        ("21 octobre", "fr", []),  # no year: not a full date, never guessed
        ("31.02.2024", "de", []),  # no such day
        ("https://example.com/news/2025/4/26/story", "ar", []),  # dates inside URLs don't count
        ("May the talks succeed", "en", []),
    ],
)
def test_find_dates(text: str, lang: str, expected: list[str]) -> None:
    assert [f.iso for f in find_dates(text, lang)] == expected


def test_found_offsets_point_at_the_date() -> None:
    text = "By Jane Doe | June 19, 2024 3:12 p.m."
    (found,) = find_dates(text, "en")
    assert text[found.start : found.end] == "June 19, 2024"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "date 2024-06-24 The United States said",
            ("date 2024-06-24", "2024-06-24", "The United States said"),
        ),
        ("Date: 2024-06-24 Text", ("Date: 2024-06-24", "2024-06-24", "Text")),
        (
            "The date 2024-06-24 is in the sentence",
            ("", None, "The date 2024-06-24 is in the sentence"),
        ),
    ],
)
def test_split_date_prefix(line: str, expected: tuple[str, str | None, str]) -> None:
    assert split_date_prefix(line) == expected
