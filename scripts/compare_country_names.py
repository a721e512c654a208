"""Which kept library gives usable short country names for the registry's aliases? (not a test)

Compares pycountry's gettext translations of ISO 3166-1 names with Babel's CLDR territory names
on the short forms a news text uses. Needs both packages; pycountry is not a dependency of rukp:

    .venv/bin/pip install pycountry==26.2.16 && .venv/bin/python scripts/compare_country_names.py

The expected forms are hand-written (the names newspapers of each language use).
"""

from __future__ import annotations

import gettext

EXPECTED = {
    "RU": {
        "de": "Russland",
        "es": "Rusia",
        "pt": "Rússia",
        "pl": "Rosja",
        "nl": "Rusland",
        "tr": "Rusya",
        "ru": "Россия",
        "uk": "Росія",
        "ko": "러시아",
        "ja": "ロシア",
        "zh": "俄罗斯",
        "ar": "روسيا",
        "fr": "Russie",
        "it": "Russia",
    },
    "KP": {
        "de": "Nordkorea",
        "es": "Corea del Norte",
        "pt": "Coreia do Norte",
        "pl": "Korea Północna",
        "nl": "Noord-Korea",
        "tr": "Kuzey Kore",
        "ru": "КНДР",
        "uk": "Північна Корея",
        "ko": "북한",
        "ja": "北朝鮮",
        "zh": "朝鲜",
        "ar": "كوريا الشمالية",
        "fr": "Corée du Nord",
        "it": "Corea del Nord",
    },
    "KR": {
        "de": "Südkorea",
        "es": "Corea del Sur",
        "pt": "Coreia do Sul",
        "pl": "Korea Południowa",
        "nl": "Zuid-Korea",
        "tr": "Güney Kore",
        "ru": "Южная Корея",
        "uk": "Південна Корея",
        "ko": "한국",
        "ja": "韓国",
        "zh": "韩国",
        "ar": "كوريا الجنوبية",
        "fr": "Corée du Sud",
        "it": "Corea del Sud",
    },
    "US": {
        "de": "Vereinigte Staaten",
        "es": "Estados Unidos",
        "pt": "Estados Unidos",
        "pl": "Stany Zjednoczone",
        "nl": "Verenigde Staten",
        "tr": "Amerika Birleşik Devletleri",
        "ru": "США",
        "uk": "США",
        "ko": "미국",
        "ja": "米国",
        "zh": "美国",
        "ar": "الولايات المتحدة",
        "fr": "États-Unis",
        "it": "Stati Uniti",
    },
    "UA": {
        "de": "Ukraine",
        "es": "Ucrania",
        "pt": "Ucrânia",
        "pl": "Ukraina",
        "nl": "Oekraïne",
        "tr": "Ukrayna",
        "ru": "Украина",
        "uk": "Україна",
        "ko": "우크라이나",
        "ja": "ウクライナ",
        "zh": "乌克兰",
        "ar": "أوكرانيا",
        "fr": "Ukraine",
        "it": "Ucraina",
    },
    "CN": {
        "de": "China",
        "es": "China",
        "pt": "China",
        "pl": "Chiny",
        "nl": "China",
        "tr": "Çin",
        "ru": "Китай",
        "uk": "Китай",
        "ko": "중국",
        "ja": "中国",
        "zh": "中国",
        "ar": "الصين",
        "fr": "Chine",
        "it": "Cina",
    },
    "JP": {
        "de": "Japan",
        "es": "Japón",
        "pt": "Japão",
        "pl": "Japonia",
        "nl": "Japan",
        "tr": "Japonya",
        "ru": "Япония",
        "uk": "Японія",
        "ko": "일본",
        "ja": "日本",
        "zh": "日本",
        "ar": "اليابان",
        "fr": "Japon",
        "it": "Giappone",
    },
}


def pycountry_names(code: str, lang: str) -> set[str]:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except FileNotFoundError:
        return set()
    return {
        tr.gettext(getattr(country, a))
        for a in ("name", "common_name", "official_name")
        if hasattr(country, a)
    }


def babel_names(code: str, lang: str) -> set[str]:
    from babel import Locale

    name = Locale.parse(lang).territories.get(code)
    return {name} if name else set()


def main() -> None:
    total = 0
    hits = {"pycountry": 0, "babel": 0}
    misses: dict[str, list[str]] = {"pycountry": [], "babel": []}
    for code, per_lang in EXPECTED.items():
        for lang, want in per_lang.items():
            total += 1
            for lib, fn in (("pycountry", pycountry_names), ("babel", babel_names)):
                got = fn(code, lang)
                if want in got:
                    hits[lib] += 1
                else:
                    misses[lib].append(f"{code}/{lang}: want {want!r}, got {sorted(got)}")
    for lib in hits:
        print(f"{lib}: {hits[lib]}/{total} expected short names")
        for m in misses[lib]:
            print("   ", m)


if __name__ == "__main__":
    main()
