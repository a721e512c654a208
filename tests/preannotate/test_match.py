"""The registry matcher: inflection, particles, clitics, scripts without spaces, no overlaps.

Expected spans are computed by hand from the guidelines (§1: particles and clitic prefixes outside
the span, case endings inside; §1.2 the longest named span wins; §1.7 glued words).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rukp.preannotate.aliases import Alias
from rukp.preannotate.match import Matcher


def A(name: str, lang: str, cid: str, typ: str = "GPE", abbr: bool = False) -> Alias:
    return Alias(name, lang, cid, typ, frozenset({"hand"}), abbreviation=abbr)


ALIASES = [
    A("Путин", "ru", "vladimir_putin", "PER"),
    A("Пхеньян", "ru", "north_korea"),
    A("Пхеньян", "ru", "pyongyang"),
    A("Северная Корея", "ru", "north_korea"),
    A("КНДР", "ru", "north_korea"),
    A("Росія", "uk", "russia"),
    A("Зеленський", "uk", "volodymyr_zelensky", "PER"),
    A("Korea Północna", "pl", "north_korea"),
    A("Rusya", "tr", "russia"),
    A("Rus", "tr", "russian", "NORP"),
    A("북한", "ko", "north_korea"),
    A("러시아", "ko", "russia"),
    A("푸틴", "ko", "vladimir_putin", "PER"),
    A("北朝鮮", "ja", "north_korea"),
    A("ロシア", "ja", "russia"),
    A("俄", "zh", "russia", abbr=True),
    A("朝", "zh", "north_korea", abbr=True),
    A("中", "zh", "china", abbr=True),
    A("북", "ko", "north_korea", abbr=True),
    A("러", "ko", "russia", abbr=True),
    A("한", "ko", "south_korea", abbr=True),
    A("미", "ko", "united_states", abbr=True),
    A("روسيا", "ar", "russia"),
    A("الولايات المتحدة", "ar", "united_states"),
    A("Russland", "de", "russia"),
    A("Lavrov", "it", "sergey_lavrov", "PER"),
    A("Sergey Lavrov", "en", "sergey_lavrov", "PER"),
    A("Conseil de sécurité", "fr", "un_security_council", "ORG"),
    A("Nations unies", "fr", "united_nations", "ORG"),
    A("ministère russe de la Défense", "fr", "russia_defence_ministry", "ORG"),
    A("russe", "fr", "russian", "NORP"),
    A("NATO", "en", "nato", "ORG"),
    A("Kim Jong-un", "en", "kim_jong_un", "PER"),
    A("missili", "it", "", "WEA"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    m = Matcher(ALIASES)
    m.mark_cities(["pyongyang"])
    return m


def found(matcher: Matcher, text: str, lang: str) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.alias.id, m.type) for m in matcher.find(text, lang)]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # Russian case endings inside the span; a capital after "в" is the city
        (
            "ru",
            "Путину ответил Пхеньян, в Пхеньяне ждут.",
            [
                ("Путину", "vladimir_putin", "PER"),
                ("Пхеньян", "north_korea", "GPE"),  # the capital speaking: the state
                ("Пхеньяне", "pyongyang", "GPE"),
            ],
        ),
        (
            "ru",
            "союзник Северной Кореи и КНДР",
            [("Северной Кореи", "north_korea", "GPE"), ("КНДР", "north_korea", "GPE")],
        ),
        ("ru", "кндр", []),  # an all-capital alias matches only as written
        (
            "uk",
            "Росією і Зеленського",
            [("Росією", "russia", "GPE"), ("Зеленського", "volodymyr_zelensky", "PER")],
        ),
        ("pl", "w Korei Północnej", [("Korei Północnej", "north_korea", "GPE")]),
        ("en", "in Korei Północnej", []),  # Polish endings only in Polish texts
        ("pl", "Armia i missile", []),  # ... and only on Polish aliases (Italian "missili")
        # Turkish: apostrophe suffix outside; suffix without apostrophe on a NORP inside
        ("tr", "Rusya'nın Ruslar", [("Rusya", "russia", "GPE"), ("Ruslar", "russian", "NORP")]),
        # Korean particles outside
        (
            "ko",
            "북한은 러시아와 푸틴대통령은",
            [
                ("북한", "north_korea", "GPE"),
                ("러시아", "russia", "GPE"),
                ("푸틴", "vladimir_putin", "PER"),
            ],
        ),
        ("ko", "북한군", [("북한", "north_korea", "GPE")]),
        ("ko", "푸틴스키", []),  # not a particle or title after a person's name
        # Japanese: no spaces, particles outside
        ("ja", "北朝鮮はロシアと", [("北朝鮮", "north_korea", "GPE"), ("ロシア", "russia", "GPE")]),
        ("ja", "ロシアン", []),  # katakana name inside a longer katakana word
        # Chinese abbreviations only in runs
        ("zh", "俄朝合作", [("俄", "russia", "GPE"), ("朝", "north_korea", "GPE")]),
        ("zh", "朝着目标", []),
        ("zh", "中-俄", [("中", "china", "GPE"), ("俄", "russia", "GPE")]),
        (
            "ko",
            "북·러 협력, 한·미는",
            [
                ("북", "north_korea", "GPE"),
                ("러", "russia", "GPE"),
                ("한", "south_korea", "GPE"),
                ("미", "united_states", "GPE"),
            ],
        ),
        ("ko", "북·러·중국", [("북", "north_korea", "GPE"), ("러", "russia", "GPE")]),
        # Arabic one-letter prefixes outside; ل + ال -> the span starts at the second ل
        ("ar", "وروسيا", [("روسيا", "russia", "GPE")]),
        ("ar", "للولايات المتحدة", [("لولايات المتحدة", "united_states", "GPE")]),
        # German genitive inside
        ("de", "Russlands Krieg", [("Russland" + "s", "russia", "GPE")]),
        # glued word (guidelines §1.7) and a near-spelled first name
        ("it", "Sergej LavrovLa porta", [("Sergej Lavrov", "sergey_lavrov", "PER")]),
        # longest span wins; a body + genitive connector + body is one ORG
        (
            "fr",
            "le ministère russe de la Défense",
            [("ministère russe de la Défense", "russia_defence_ministry", "ORG")],
        ),
        (
            "fr",
            "le Conseil de sécurité des Nations unies",
            [("Conseil de sécurité des Nations unies", "un_security_council", "ORG")],
        ),
        # hyphen optional inside a name, case of later words free, generic WEA without id
        (
            "en",
            "Kim Jong Un and NATO",
            [("Kim Jong Un", "kim_jong_un", "PER"), ("NATO", "nato", "ORG")],
        ),
        ("it", "i missili", [("missili", "", "WEA")]),
    ],
)
def test_spans(
    matcher: Matcher, lang: str, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text, lang) == expected


def test_offsets_are_code_points(matcher: Matcher) -> None:
    text = "🙂 북한은"
    (m,) = matcher.find(text, "ko")
    assert (m.start, m.end) == (2, 4)
    text = "وَروسيا"  # a diacritic after the prefix stays outside
    (m,) = matcher.find(text, "ar")
    assert text[m.start : m.end] == "روسيا"


NAMES = [a.name for a in ALIASES if not a.abbreviation]
FILLER = ["и", "в", " ", ", ", "the", "은", "は", "و", "-", "'nın", "\n", "de la"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(NAMES + FILLER + ["俄", "朝"]), min_size=1, max_size=12))
def test_output_never_overlaps(matcher: Matcher, parts: list[str]) -> None:
    text = " ".join(parts)
    for lang in ("ru", "ko", "ar", "fr", "zh", "tr", "pl"):
        ms = matcher.find(text, lang)
        for a, b in itertools.pairwise(ms):
            assert a.end <= b.start, (text, lang, a, b)
        for m in ms:
            assert 0 <= m.start < m.end <= len(text)
            span = text[m.start : m.end]
            assert span == span.strip() and span[0].isalnum() and span[-1].isalnum()
