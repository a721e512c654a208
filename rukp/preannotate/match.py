"""Find registry aliases in a text, in any script, with spans that follow GUIDELINES.md §1.

The text is cut into the release's tokens (`rukp.build.text.tokenize`: runs of letters, one token
per punctuation mark and per Han/kana character). An alias is cut the same way and matched token
by token; between two words of a name only spaces (no line break) or a hyphen may stand, and a
hyphen is optional on both sides ("Kim Jong-un" = "Kim Jong Un"). What the span keeps:

- **case endings are inside**: Cyrillic words, and Polish aliases in Polish texts, match with a
  case ending swapped (`Россия` → `России`, `Северная Корея` → `Северной Кореи`, `Rosja` →
  `Rosji`); German genitive `-s`/`-es` (`Russlands`); Turkish suffixes without an apostrophe on
  nationality and weapon words (`Ruslar`);
- **particles and clitics are outside**: Turkish apostrophe suffixes (`Rusya'nın` → `Rusya`),
  Korean particles and titles after a name (`북한은` → `북한`, `푸틴대통령` → `푸틴`), Japanese and
  Chinese text needs no spaces (`北朝鮮は`), Arabic one-letter prefixes و ف ب ل ك (and لل for a
  name in ال: `للولايات` → `لولايات`), glued words (`LavrovLa` → `Lavrov`, guidelines §1.7);
- **no nesting**: overlapping candidates are resolved longest first, then exact before inflected,
  then leftmost (the longest named span wins, §1.2);
- one-character abbreviations (`俄朝`, `日米韓`, `북러`, `북·러`) count only inside runs of two or
  more.

Case: an all-capital alias (NATO, КНДР) matches only as written; a capitalised alias needs a
capitalised word; a lower-case alias (a nationality adjective) matches either.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rukp.build.text import Span, tokenize
from rukp.preannotate.aliases import Alias

# ---------------------------------------------------------------- language data

# Case endings (swapped at the end of a word): Russian, Ukrainian (Cyrillic) and Polish.
CYRILLIC_ENDINGS = frozenset(
    """а я у ю е и ы о ь й і ї є ой ей ом ем ём ам ям ах ях ами ями ов ев ий ый ая яя ое ее ую
    юю ые ие ых их ым им ыми ими ого его ому ему ою ею єю ів їв ій ої ім ому ої ією""".split()
) | {""}
POLISH_ENDINGS = frozenset(
    """a u y i e ę ą o em om ie ii owi ów ach ami ej ego emu ym im ych ich ymi imi owie ia ią ię
    iu""".split()
) | {""}
GERMAN_ENDINGS = frozenset({"", "s", "es"})
TURKISH_SUFFIXES = frozenset(
    """lar ler ları leri ların lerin lara lere larla lerle lardan lerden larda lerde dan den tan
    ten da de ta te ın in un ün nın nin ı i u ü a e ya ye yla yle la le ca ce ça çe""".split()
)
# Korean particles (a tail may chain up to three: 에서는, 과의) and what may follow a name.
KO_PARTICLES = frozenset(
    """은 는 이 가 을 를 의 에 에서 에게 께 께서 와 과 로 으로 도 만 까지 부터 보다 처럼 한테
    이나 나 랑 이랑 란 이란 라는 이라는 로서 으로서 서 이다 였다 이었다 엔 에선 과도""".split()
)
KO_AFTER_NAME = frozenset(
    "대통령 위원장 국무위원장 총비서 장관 외무장관 외무상 총리 대변인 대사 보좌관 씨 측".split()
)
KO_AFTER_OTHER = frozenset("군 측 산 발 간 내 정부 당국".split())
KO_NOT_FIRST_IN_RUN = frozenset({"일"})  # "일한" is mostly "worked", not Japan–Korea
CJK_RUN_STOP = frozenset("社")  # 朝中社 (KCNA) is one name
RUN_DOTS = frozenset("·・ㆍ‧-‐")
ARABIC_PREFIXES = ("و", "ف", "ب", "ل", "ك")
ARABIC_DIACRITICS = frozenset(chr(c) for c in [*range(0x064B, 0x0653), 0x0670, 0x0640])
ARABIC_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})
HYPHENS = frozenset("-‐‑‒–")
# Locative words before a capital (or particles after it) that make it the city, not the state.
LOCATIVE_BEFORE = {
    "en": {"in", "to", "at", "from", "into"},
    "fr": {"à", "a", "de", "vers"},
    "it": {"a", "da", "in", "verso"},
    "es": {"en", "a", "desde", "hacia"},
    "pt": {"em", "a", "para", "de"},
    "de": {"in", "nach", "aus"},
    "nl": {"in", "naar", "uit"},
    "pl": {"w", "do", "z", "we"},
    "ru": {"в", "во", "из"},
    "uk": {"в", "у", "до", "з", "із"},
    "ar": {"في", "إلى", "الى", "من"},
    "zh": {"在", "抵达", "到"},
}
LOCATIVE_AFTER = {
    "ko": {"에서", "에", "으로", "로", "을", "를"},
    "ja": {"で", "に", "へ", "を"},
    "tr": {"da", "de", "ta", "te", "ya", "ye", "a", "e", "dan", "den", "tan", "ten"},
}


def _script(ch: str) -> str:
    o = ord(ch)
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
        return "arabic"
    if 0x0400 <= o <= 0x052F:
        return "cyrillic"
    if 0x30A0 <= o <= 0x30FF:
        return "katakana"
    if 0x3040 <= o <= 0x309F:
        return "hiragana"
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F:
        return "han"
    if ch.isalpha():
        return "latin"
    return "other"


def script_of(text: str) -> str:
    """The script of the first letter of `text` ('other' if none)."""
    for ch in text:
        s = _script(ch)
        if s != "other":
            return s
    return "other"


def _is_word(tok: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in tok)


def norm(s: str) -> str:
    """Comparison form: case-folded, Arabic diacritics/tatweel removed and alefs unified."""
    s = s.translate(APOSTROPHES).casefold()
    if any(_script(c) == "arabic" for c in s):
        s = "".join(c for c in s if c not in ARABIC_DIACRITICS).translate(ARABIC_ALEFS)
    return s


def _skip_arabic(token: str, n_letters: int) -> int:
    """Code points of `token` covering its first `n_letters` letters and their diacritics."""
    i = seen = 0
    while i < len(token) and seen < n_letters:
        if token[i] not in ARABIC_DIACRITICS:
            seen += 1
        i += 1
    while i < len(token) and token[i] in ARABIC_DIACRITICS:
        i += 1
    return i


def _ko_tail_ok(tail: str, after: frozenset[str]) -> bool:
    """True if `tail` is nothing, up to three particles, or a word of `after` + particles."""
    if not tail:
        return True

    def particles(rest: str, depth: int) -> bool:
        if not rest:
            return True
        if depth == 3:
            return False
        return any(
            rest.startswith(p) and particles(rest[len(p) :], depth + 1) for p in KO_PARTICLES
        )

    if particles(tail, 0):
        return True
    return any(tail.startswith(w) and particles(tail[len(w) :], 0) for w in after)


# ---------------------------------------------------------------- matching


@dataclass(slots=True, frozen=True)
class Match:
    """One registry match: a span, the alias it matched, and how."""

    start: int
    end: int
    alias: Alias
    exact: bool  # the text has the alias as written (up to case); False: inflected/clitic/glued

    @property
    def type(self) -> str:
        return self.alias.type


@dataclass(slots=True)
class _Pattern:
    alias: Alias
    words: tuple[str, ...]  # normalised tokens (hyphens dropped)
    raw: tuple[str, ...]  # the tokens as written (for case rules)
    script: str
    last_index: int = 0


def _tokens(text: str) -> list[str]:
    return [text[s.start : s.end] for s in tokenize(text)]


def _compile(alias: Alias) -> _Pattern | None:
    toks = [t for t in _tokens(alias.name) if t not in HYPHENS]
    if not toks:
        return None
    return _Pattern(alias, tuple(norm(t) for t in toks), tuple(toks), script_of(alias.name))


def _case_ok(raw_alias: str, raw_text: str, first: bool = True) -> bool:
    """All-capital words match only as written; a capitalised first word needs a capital."""
    letters = [c for c in raw_alias if c.isalpha()]
    if not letters or not any(c.isupper() or c.islower() for c in letters):
        return True  # uncased script
    if len(letters) == 1 or (len(letters) >= 2 and all(c.isupper() for c in letters)):
        return raw_text.startswith(raw_alias) or raw_text == raw_alias
    if first and letters[0].isupper():
        first = next((c for c in raw_text if c.isalpha()), "")
        return first.isupper()
    return True


class Matcher:
    """Registry aliases compiled for matching; `find(text, language)` gives the chosen matches."""

    def __init__(
        self, aliases: Iterable[Alias], id_counts: Mapping[tuple[str, str], int] | None = None
    ) -> None:
        self.by_key: dict[str, list[_Pattern]] = defaultdict(list)
        self.abbrev: dict[str, dict[str, Alias]] = defaultdict(dict)  # script -> char -> alias
        self.city_ids: set[str] = set()
        self.id_counts = Counter(id_counts or {})
        self.full_names: dict[str, set[tuple[str, str]]] = defaultdict(set)  # id -> (first, last)
        for alias in aliases:
            if alias.type == "PER":
                words = [norm(w) for w in _tokens(alias.name) if _is_word(w)]
                if len(words) >= 2:
                    self.full_names[alias.id].add((words[0], words[-1]))
            if len(alias.name) == 1 and _script(alias.name) in ("han", "hangul", "katakana"):
                # one-character names (俄; abbreviations) may also stand in runs (俄朝)
                self.abbrev[_script(alias.name)].setdefault(alias.name, alias)
                if alias.abbreviation:
                    continue
            pat = _compile(alias)
            if pat is not None:
                self.by_key[pat.words[0][:2]].append(pat)

    def mark_cities(self, ids: Iterable[str]) -> None:
        """Registry ids that are cities (a capital's name links to them when used as a place)."""
        self.city_ids |= set(ids)

    # -- one word ------------------------------------------------------------------------------

    def _word(
        self, pat: _Pattern, k: int, tok: str, language: str, first: bool, last: bool
    ) -> tuple[int, int, bool] | None:
        """Does token `tok` match alias word k? -> (chars skipped at start, chars kept, exact)."""
        want, raw = pat.words[k], pat.raw[k]
        got = norm(tok)
        script = pat.script
        # Arabic one-letter prefixes on the first word
        if script == "arabic" and first:
            for pre in ("", *ARABIC_PREFIXES, *(a + b for a in "وف" for b in "بلك")):
                if not got.startswith(pre):
                    continue
                rest = got[len(pre) :]
                cut = len(pre)
                if rest == want or (
                    want.startswith("ال") and rest.startswith("ل") and rest[1:] == want[2:]
                ):
                    return (_skip_arabic(tok, cut), len(tok), pre == "")
            return None
        if not _case_ok(raw, tok, first):
            return None
        if got == want:
            return (0, len(tok), True)
        if not got.startswith(want[: max(1, len(want) - 2)]):
            return None
        # Korean: particles / titles after the last word of the name
        if script == "hangul" and last and got.startswith(want):
            after = KO_AFTER_NAME if pat.alias.type == "PER" else KO_AFTER_OTHER
            if _ko_tail_ok(got[len(want) :], after):
                return (0, len(want), False)
            return None
        # case endings
        endings: frozenset[str] | None = None
        if script == "cyrillic":
            endings = CYRILLIC_ENDINGS
        elif script == "latin" and language == "pl" and pat.alias.lang == "pl":
            endings = POLISH_ENDINGS  # Polish words only: not Italian "armi" in "Armia"
        if endings is not None and len(want) >= 2:
            for k2 in range(0, max(0, min(2, len(want) - 3)) + 1):
                stem, e1 = want[: len(want) - k2], want[len(want) - k2 :]
                if e1 in endings and got.startswith(stem) and got[len(stem) :] in endings:
                    return (0, len(tok), False)
        if script == "latin" and language == "de" and last and got.startswith(want):
            if got[len(want) :] in GERMAN_ENDINGS:
                return (0, len(tok), False)
        if (
            script == "latin"
            and language == "tr"
            and last
            and pat.alias.type in ("NORP", "WEA")
            and got.startswith(want)
            and got[len(want) :] in TURKISH_SUFFIXES
        ):
            return (0, len(tok), False)
        # a glued word: "LavrovLa", "UnI" (guidelines §1.7)
        if last and script in ("latin", "cyrillic") and got.startswith(want):
            n = len(want)
            if n < len(tok) and tok[n].isupper() and tok[n - 1].islower():
                return (0, n, False)
        return None

    # -- the text ------------------------------------------------------------------------------

    def candidates(self, text: str, language: str = "") -> list[Match]:
        """Every alias occurrence (overlapping), before the longest-first choice."""
        spans = tokenize(text)
        toks = [text[s.start : s.end] for s in spans]
        words = [_is_word(t) for t in toks]
        out: list[Match] = []
        for i, tok in enumerate(toks):
            if not words[i]:
                continue
            g = norm(tok)
            keys = {g[:2]}
            if script_of(tok) == "arabic":
                keys |= {g[1:3], g[2:4], "ال"}
            for key in keys:
                for pat in self.by_key.get(key, ()):
                    m = self._match_at(pat, spans, toks, i, text, language)
                    if m is not None:
                        out.append(m)
        out.extend(self._abbreviation_runs(spans, toks, text))
        return out

    def _match_at(
        self,
        pat: _Pattern,
        spans: Sequence[Span],
        toks: Sequence[str],
        i: int,
        text: str,
        language: str,
    ) -> Match | None:
        n = len(pat.words)
        j = i
        start = end = -1
        exact = True
        for k in range(n):
            if k > 0:
                # between two words: spaces (no line break) or a hyphen, or nothing (CJK)
                if j < len(toks) and toks[j] in HYPHENS:
                    j += 1
                if j >= len(toks):
                    return None
                gap = text[spans[j - 1].end : spans[j].start]
                if "\n" in gap or (gap and not gap.isspace()):
                    return None
            if j >= len(toks):
                return None
            got = self._word(pat, k, toks[j], language, k == 0, k == n - 1)
            if got is None:
                return None
            skip, keep, ex = got
            if k == 0:
                start = spans[j].start + skip
            if k < n - 1 and keep != len(toks[j]):
                return None  # only the last word may be cut short
            end = spans[j].start + keep
            exact = exact and ex
            j += 1
        if pat.script == "katakana":
            before = text[start - 1] if start > 0 else ""
            after = text[end] if end < len(text) else ""
            if (before and _script(before) == "katakana" and before != "・") or (
                after and _script(after) == "katakana" and after != "・"
            ):
                return None
        return Match(start, end, pat.alias, exact)

    def _abbreviation_runs(
        self, spans: Sequence[Span], toks: Sequence[str], text: str
    ) -> list[Match]:
        out: list[Match] = []
        han = {**self.abbrev.get("han", {}), **self.abbrev.get("katakana", {})}
        ko = self.abbrev.get("hangul", {})
        i = 0
        while i < len(toks):
            tok = toks[i]
            if ko and script_of(tok) == "hangul":
                n = 0
                while n < len(tok) and tok[n] in ko:
                    n += 1
                after = KO_AFTER_OTHER | {"간"}
                if n >= 2 and tok[0] not in KO_NOT_FIRST_IN_RUN and _ko_tail_ok(tok[n:], after):
                    base = spans[i].start
                    out += [Match(base + k, base + k + 1, ko[tok[k]], False) for k in range(n)]
                i += 1
                continue
            if han and tok in han:
                j = i
                while j < len(toks) and toks[j] in han and spans[j].start == spans[i].start + j - i:
                    j += 1
                prev = text[spans[i].start - 1] if spans[i].start > 0 else ""
                nxt = text[spans[j - 1].end] if spans[j - 1].end < len(text) else ""
                numeral = bool(prev) and (prev.isdigit() or prev in "〇一二三四五六七八九十")
                if j - i >= 2 and not numeral and (not nxt or nxt not in CJK_RUN_STOP):
                    out += [
                        Match(spans[k].start, spans[k].end, han[toks[k]], False)
                        for k in range(i, j)
                    ]
                i = max(j, i + 1)
                continue
            i += 1
        return out + self._dotted_runs(spans, toks, han, ko)

    def _dotted_runs(
        self,
        spans: Sequence[Span],
        toks: Sequence[str],
        han: Mapping[str, Alias],
        ko: Mapping[str, Alias],
    ) -> list[Match]:
        """Abbreviations joined by a middle dot or hyphen: 북·러, 한·미·일, 日・米・韓, 中-俄."""
        table = {**han, **ko}

        def unit(k: int, last: bool) -> Alias | None:
            tok = toks[k]
            if tok in table:
                return table[tok]
            if last and tok[:1] in ko and _ko_tail_ok(tok[1:], KO_AFTER_OTHER | {"간"}):
                return ko[tok[0]]
            return None

        out: list[Match] = []
        i = 0
        while i < len(toks):
            run = [i] if unit(i, False) is not None else []
            j = i
            while run and j + 2 < len(toks) and toks[j + 1] in RUN_DOTS:
                adjacent = (
                    spans[j].end == spans[j + 1].start and spans[j + 1].end == spans[j + 2].start
                )
                if not adjacent or unit(j + 2, True) is None:
                    break
                run.append(j + 2)
                if unit(j + 2, False) is None:
                    break  # a unit with a particle tail ends the run
                j += 2
            if len(run) >= 2:
                for k in run:
                    alias = unit(k, k == run[-1])
                    assert alias is not None
                    out.append(Match(spans[k].start, spans[k].start + 1, alias, False))
                i = run[-1] + 1
            else:
                i += 1
        return out

    # -- choice --------------------------------------------------------------------------------

    def find(self, text: str, language: str = "") -> list[Match]:
        """Non-overlapping matches: longest first, exact before inflected, then leftmost.

        Several ids for the same span (a capital: the state or the city) are resolved by
        `choose_id`. One-character abbreviations survive only next to another one.
        """
        cands = self.candidates(text, language)
        by_span: dict[tuple[int, int], list[Match]] = defaultdict(list)
        for m in cands:
            by_span[(m.start, m.end)].append(m)
        best = [self.choose_id(ms, text, language) for ms in by_span.values()]
        best.sort(key=lambda m: (-(m.end - m.start), not m.exact, m.alias.abbreviation, m.start))
        taken: list[Match] = []
        for m in best:
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        while True:
            abbr = [m for m in taken if m.alias.abbreviation]
            short = [m for m in taken if len(m.alias.name) == 1]
            lonely = [
                m for m in abbr if not any(o is not m and _next_to(text, m, o) for o in short)
            ]
            if not lonely:
                break
            taken = [m for m in taken if m not in lonely]
        taken = merge_compounds(sorted(taken, key=lambda m: m.start), text, language)
        return [self._first_name(m, text) for m in taken]

    def _first_name(self, m: Match, text: str) -> Match:
        """A surname match preceded by a near-spelling of the referent's first name takes it in:
        "Anthony Blinken" for `Antony Blinken`, "Sergej Lavrov" for `Sergey Lavrov` (§1.7)."""
        if m.type != "PER" or m.start < 2 or text[m.start - 1] != " ":
            return m
        surname = norm(text[m.start : m.end])
        j = m.start - 1
        while j > 0 and text[j - 1].isalpha():
            j -= 1
        prev = text[j : m.start - 1]
        if not prev or not prev[0].isupper() or script_of(prev) != script_of(surname):
            return m
        want = norm(prev)
        for first, last in self.full_names.get(m.alias.id, ()):
            close = difflib.SequenceMatcher(None, first, want).ratio() >= 0.6
            if last == surname and first[:1] == want[:1] and close:
                return Match(j, m.end, m.alias, m.exact and first == want)
        return m

    def choose_id(self, ms: Sequence[Match], text: str, language: str) -> Match:
        """One match among those of one span: exact first, a city after a locative word, then
        the id most often given to this surface in the gold, then the registry order."""
        ms = sorted(ms, key=lambda m: (not m.exact, m.alias.id))
        ids = {m.alias.id for m in ms}
        if len(ids) == 1:
            return ms[0]
        m0 = ms[0]
        cities = [m for m in ms if m.alias.id in self.city_ids]
        if cities and _locative(text, m0.start, m0.end, language):
            return cities[0]
        surface = norm(text[m0.start : m0.end])
        return max(
            ms,
            key=lambda m: (
                self.id_counts.get((surface, m.alias.id), 0),
                m.alias.id not in self.city_ids,
                m.exact,
            ),
        )


def _next_to(text: str, a: Match, b: Match) -> bool:
    """Two matches side by side, or joined by one middle dot or hyphen (북·러)."""
    gap = text[a.end : b.start] if a.end <= b.start else text[b.end : a.start]
    return gap == "" or (len(gap) == 1 and gap in RUN_DOTS)


def _locative(text: str, start: int, end: int, language: str) -> bool:
    before = text[max(0, start - 12) : start].split()
    prev = norm(before[-1]).strip("'’") if before and text[start - 1 : start].isspace() else ""
    if prev and prev in LOCATIVE_BEFORE.get(language, set()):
        return True
    if language == "zh" and text[max(0, start - 1) : start] in LOCATIVE_BEFORE["zh"]:
        return True
    tail = text[end : end + 4]
    if language == "tr" and tail[:1] in "'’":
        tail = tail[1:]
    return any(tail.startswith(p) for p in LOCATIVE_AFTER.get(language, ()))


# Genitive connectors between a body and what it belongs to ("Conseil de sécurité des Nations
# unies"), and the languages whose compounds put the head last ("UN Security Council").
CONNECTORS = {
    "fr": {"de", "des", "du", "de la", "de l'", "d'"},
    "it": {"di", "del", "della", "dell'", "delle", "dei", "degli"},
    "es": {"de", "del", "de la", "de los", "de las"},
    "pt": {"de", "do", "da", "dos", "das"},
    "en": {"of", "of the"},
    "de": {"der", "des"},
    "nl": {"van", "van de", "van het"},
}
HEAD_LAST = frozenset({"en", "de", "nl", "tr", "ko", "ja", "zh"})
POSTNOMINAL_ADJECTIVES = frozenset({"fr", "it", "es", "pt"})


def merge_compounds(matches: Sequence[Match], text: str, language: str) -> list[Match]:
    """Join registry matches that name one body together (guidelines §1.2, longest span wins).

    ORG + genitive connector + ORG/GPE → the first's id ("Consiglio di sicurezza dell'ONU");
    ORG/GPE + ORG side by side in a head-last language → the second's id ("UN Security Council";
    in a head-first one ORG + ORG/GPE → the first's); ORG + NORP where adjectives follow the noun
    → the ORG's id ("Dipartimento di Stato americano"). Hyphenated pairs stay apart (§1.1).
    """
    out: list[Match] = []
    for m in matches:
        if out:
            a = out[-1]
            gap = text[a.end : m.start]
            glue = " ".join(norm(gap).split())
            merged: Match | None = None
            if "\n" not in gap and a.type == "ORG" and m.type in ("ORG", "GPE"):
                if glue in CONNECTORS.get(language, ()):
                    merged = Match(a.start, m.end, a.alias, False)
                elif gap.isspace() and language not in HEAD_LAST and m.type == "ORG":
                    merged = Match(a.start, m.end, a.alias, False)
            if merged is None and gap.isspace() and "\n" not in gap:
                if a.type in ("ORG", "GPE") and m.type == "ORG" and language in HEAD_LAST:
                    merged = Match(a.start, m.end, m.alias, False)
                elif a.type == "ORG" and m.type == "NORP" and language in POSTNOMINAL_ADJECTIVES:
                    merged = Match(a.start, m.end, a.alias, False)
            if merged is not None:
                out[-1] = merged
                continue
        out.append(m)
    return out
