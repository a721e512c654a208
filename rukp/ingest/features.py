"""Features of page lines that transfer across sites and languages.

Every line of a page gets a vector of LOCAL features (its length, how much it reads like prose in
the page's language — function-word density from jusText's stoplists, sentence punctuation —,
its shape: digits, separators, bullets, case; cue words of page furniture from cues.json; its
repetition in the page and across the outlet's crawl; its position; and, on HTML pages, what the
markup says: block tag, landmarks, class words, link share, trafilatura's extraction). The line
model (rukp/ingest/model.py) adds CONTEXT features computed from a first pass over the local ones
(neighbours, the densest prose block). Names of the features are part of the model file.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from rukp.ingest import dates
from rukp.ingest.page import HEADING_TAGS, Page

HERE = Path(__file__).resolve().parent
_TOKEN = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_FIRST_CJK = "\u3040"  # the lowest code point of _CJK and _HANGUL
_CJK_OR_HANGUL = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3]")
# what strip() removes before a word is taken whole: characters that are never part of a token
_EDGE_PUNCT = " \t\n.,;:!?'\"’‘“”«»„()[]{}<>-–—/\\|*#…·•"
_TERMINAL = re.compile(r"[.!?。！？…؟](?:[\"'”’»)\]）」』]*)\s*$")
_BREAK = re.compile(r"[.!?。！？؟](?:[\"'”’»)\]）」』]*)(?:\s+|(?=[\u3040-\u9fff]))")
_COMMA = re.compile(r"[,，、،;；]")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|令和|平成")  # a year, or a Japanese era (dates.py)
# on a Chinese page also a Republic of China year ("113-06-20", "民國113年": dates.py)
_MINGUO_YEAR = re.compile(r"民[國国]|(?<![\d.\-/])1[01]\d[-/.]\d")
# a time: "10:42", "9h30", "14시 5분", "3時"; and a line that is a time with a dot and at most a
# short word after it, as live blogs stamp their entries ("00.50 KST", "19.30 uur")
_TIME = re.compile(
    r"(?<!\d)\d{1,2}\s?[:h시時]\s?\d{2}(?!\d)|\d{1,2}\s?(?:시|時|点)"
    r"|^\s*\d{1,2}\.\d{2}(?:\s+[^\d\s]{1,5})?\s*$"
)
_SEPARATOR = re.compile(r"\s[|·•›»/>–—]\s|\s\|\s?|\|")
_BULLET = re.compile(r"^(?:[-–—•*·▪►▶▲△▼■□◆◇●○→※☞✓✔#>]|\d{1,2}[.)]?\s|【|\[)")
_URL = re.compile(r"https?://\S+|www\.\S+\.\w+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_PAREN_ONLY = re.compile(r"^[(\[（【].*[)\]）】]$")
_DIGIT = re.compile(r"\d")
_GLUE = re.compile(r"(?<=[a-zà-ÿа-яёіїєґ.!?)»”])(?=[A-ZÀ-ÞА-ЯЁІЇЄҐ])")
# After a caption or credit label ("Foto: AA", "Фото: Офіс"), a capitalised word glued to the
# credit starts the article text ("AAKuzey Kore …").
_LABEL_GLUE = re.compile(r"(?<=\S)(?=[A-ZÀ-ÞА-ЯЁІЇЄҐ][a-zà-ÿа-яёіїєґ]+\b)")
_LABEL = re.compile(r"[:：=]\s*")
_LABEL_MARK = re.compile(r"[:：=©/(（|]")  # a label or credit mark near the seam
_GLUE_ANY = re.compile(r"\S[A-ZÀ-ÞА-ЯЁІЇЄҐ]")  # a capital letter right after another character
_GLUED_WORD = re.compile(r"[a-zà-ÿа-яё][A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё]")

# Function characters of Chinese and Japanese prose (no stoplist exists for these scripts).
CJK_FUNCTION = frozenset(
    "的了是在和与对将为也就都而及其这那之中上被把从向于等并已还又但所以此该其方"
    "のはがをにでともたしてなれるからまでよりへやかだです"
)
CLASS_GROUPS: dict[str, frozenset[str]] = {
    "furniture": frozenset(
        "share sharing social related recommend recommended comment comments newsletter "
        "subscribe subscription ad ads advert advertisement sponsor sponsored promo banner "
        "cookie consent popup modal widget sidebar footer menu nav navigation breadcrumb "
        "breadcrumbs teaser card more tags tag topics rank ranking popular trending outbrain "
        "taboola paywall signup login toolbar pagination pager".split()
    ),
    "meta": frozenset(
        "byline author authors date time meta dateline timestamp updated "
        "published credit credits source reporter".split()
    ),
    "caption": frozenset(
        "caption figcaption photo image img gallery credit media video player".split()
    ),
    "content": frozenset(
        "content article body text story entry post lead standfirst dek "
        "intro summary paragraph prose main detail".split()
    ),
}


@dataclass(slots=True, frozen=True)
class Cues:
    words: dict[str, frozenset[str]]  # token -> concepts
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first token -> (tokens, concept)
    substrings: re.Pattern[str] | None  # ja/zh/ko entries, matched inside the line
    substring_concepts: dict[str, frozenset[str]]
    ago: re.Pattern[str]
    concepts: tuple[str, ...]
    buttons: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # on lines of BUTTON_TOKENS
    start_words: dict[str, frozenset[str]]  # cue only among a line's first START_TOKENS tokens
    word_end_substrings: frozenset[str]  # cue only where no Han, kana or Hangul letter follows


# A "buttons" cue (cues.json) counts on a line of at most this many tokens, a "start_only" cue
# as its first token ("By …", "di Redazione Esteri"), or as its second on a line of at most
# BYLINE_TOKENS tokens ("Photo by …", "Testo di Mario Rossi"; not "L'accordo di mutua
# assistenza …", "Shoigu di nuovo a Pyongyang …")
BUTTON_TOKENS = 3
START_TOKENS = 2
BYLINE_TOKENS = 8


@lru_cache(maxsize=1)
def cues_json() -> dict:
    """cues.json, read once (it ships inside the package: not a user file, so read directly,
    not via rukp.safeio)."""
    return json.loads((HERE / "cues.json").read_text(encoding="utf-8"))


def _apostrophes(entry: str) -> tuple[str, ...]:
    """A cue entry and its forms with the other apostrophe ("s'abonner", "s’abonner"): a cue
    with an apostrophe matches either."""
    return tuple(dict.fromkeys([entry, entry.replace("'", "’"), entry.replace("’", "'")]))


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = cues_json()["concepts"]
    button_entries = {
        form.casefold() for e in cues_json()["buttons"]["entries"] for form in _apostrophes(e)
    }
    start_entries = {e.casefold() for e in cues_json()["start_only"]["entries"]}
    words: dict[str, set[str]] = {}
    phrases: dict[str, set[tuple[tuple[str, ...], str]]] = {}
    subs: dict[str, set[str]] = {}
    ago_words: set[str] = set()
    buttons: dict[str, set[tuple[tuple[str, ...], str]]] = {}
    start_words: dict[str, set[str]] = {}
    for concept, by_lang in data.items():
        for lang, listed in by_lang.items():
            entries = [form for entry in listed for form in _apostrophes(entry)]
            for entry in entries:
                entry = entry.casefold()
                if entry in button_entries:
                    toks = tuple(_TOKEN.findall(entry))
                    buttons.setdefault(toks[0], set()).add((toks, concept))
                elif entry in start_entries:
                    start_words.setdefault(entry, set()).add(concept)
                elif concept == "ago":
                    ago_words.add(entry)
                elif lang in ("ja", "zh", "ko") and not entry.isascii():
                    subs.setdefault(entry, set()).add(concept)
                else:
                    toks = tuple(_TOKEN.findall(entry))
                    if len(toks) == 1 and toks[0] == entry:
                        words.setdefault(entry, set()).add(concept)
                    elif toks:
                        phrases.setdefault(toks[0], set()).add((toks, concept))
                    elif entry:
                        subs.setdefault(entry, set()).add(concept)
    sub_re = (
        re.compile("|".join(re.escape(s) for s in sorted(subs, key=len, reverse=True)))
        if subs
        else None
    )
    ago = "|".join(re.escape(w) for w in sorted(ago_words, key=len, reverse=True))
    return Cues(
        words={w: frozenset(c) for w, c in words.items()},
        phrases={k: tuple(sorted(v)) for k, v in phrases.items()},
        substrings=sub_re,
        substring_concepts={s: frozenset(c) for s, c in subs.items()},
        ago=re.compile(rf"\d+\s*(?:{ago})(?![^\W\d_])|(?<![^\W\d_])(?:{ago})\s*\d+", re.IGNORECASE),
        concepts=tuple(c for c in data if c not in ("ago",)),
        buttons={k: tuple(sorted(v)) for k, v in buttons.items()},
        start_words={w: frozenset(c) for w, c in start_words.items()},
        word_end_substrings=frozenset(e.casefold() for e in cues_json()["ends_word"]["entries"]),
    )


@lru_cache(maxsize=128)
def stoplist(lang: str | None) -> frozenset[str]:
    """jusText's stoplist of `lang` (case-folded), read from the justext wheel without importing
    it; empty when jusText has none (ja, zh: CJK_FUNCTION is used instead)."""
    if not lang:
        return frozenset()
    # stoplists.json ships inside the package, the stoplist inside the installed justext wheel:
    # neither is a user file, so both are read directly, not through rukp.safeio
    names = json.loads((HERE / "stoplists.json").read_text(encoding="utf-8"))["stoplists"]
    name = names.get(lang)
    spec = importlib.util.find_spec("justext")
    if name is None or spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "stoplists" / f"{name}.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(w.strip().casefold() for w in path.read_text(encoding="utf-8").split("\n"))


_SCRIPTS = (
    ("cyrillic", re.compile(r"[\u0400-\u052f]")),
    ("hangul", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("cjk", re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")),
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")),
)
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_SCRIPT_MARKS = {name: chr(1 + k) for k, (name, _) in enumerate(_SCRIPTS)}
SCRIPT_SAMPLE = 100


def tokens(text: str) -> list[str]:
    """_TOKEN.findall(text), faster: a whitespace-separated word that is alphanumeric once its
    edge punctuation is stripped is one token (most words of prose); any other word goes
    through the regex (tests check both give the same tokens)."""
    out: list[str] = []
    append = out.append  # bound once: the loop runs for every word of every new line
    for word in text.split():
        if word.isalnum():
            append(word)
            continue
        core = word.strip(_EDGE_PUNCT)
        if core.isalnum():
            append(core)
        elif core:
            out.extend(_TOKEN.findall(core))
    return out


@lru_cache(maxsize=1)
def _script_table() -> dict[int, str]:
    """A str.translate table: a letter of each of _SCRIPTS becomes that script's marker
    character, the marker characters themselves become NUL (so a count of markers counts
    letters)."""
    table: dict[int, str] = {ord(m): "\x00" for m in _SCRIPT_MARKS.values()}
    for name, pattern in _SCRIPTS:
        for lo, hi in re.findall(
            r"(\\u[0-9a-f]{4}|[A-Za-z])-(\\u[0-9a-f]{4}|[A-Za-z])", pattern.pattern
        ):
            first, last = (int(x[2:], 16) if x.startswith("\\u") else ord(x) for x in (lo, hi))
            for code in range(first, last + 1):
                table[code] = _SCRIPT_MARKS[name]
    return table


def script_of(text: str) -> str:
    """The dominant script of a text (its first SCRIPT_SAMPLE characters): latin, cyrillic,
    hangul, cjk, arabic, or none."""
    sample = text[:SCRIPT_SAMPLE]
    if sample.isascii():
        return "latin" if _LATIN_LETTER.search(sample) else "none"
    marked = sample.translate(_script_table())
    latin = marked.count(_SCRIPT_MARKS["latin"])
    if latin >= 0.6 * len(sample.replace(" ", "")):
        return "latin"
    best, best_n = ("latin", latin) if latin else ("none", 0)
    for name, _ in _SCRIPTS[:-1]:
        n = marked.count(_SCRIPT_MARKS[name])
        if n > best_n:
            best, best_n = name, n
    return best


@dataclass(slots=True)
class LineInfo:
    """What the later steps need of a line beyond its feature vector."""

    key: str
    words: float
    concepts: frozenset[str]
    start: frozenset[str]
    edge: frozenset[str]
    dates: list[dates.Found]
    end_punct: bool
    prose: float  # a rough prose score in [0, 1] (function words × length × punctuation)
    time: bool  # a clock time on a short line
    glued: bool  # words glued together by a lost space ("HABERGüney", "FacebookZalo")
    sentences: int  # sentence ends in the line (at least 1)


LOCAL_NAMES: tuple[str, ...] = ()  # filled below


_SENTENCE_FINAL = frozenset("。！？.!?")


def _concept_hits(
    low: str, toks: list[str], edges_only: bool = False
) -> tuple[set[str], set[str], set[str]]:
    """(concepts cued anywhere in the line, cued at its start, cued at its edges: the first
    three or last four tokens, or the first/last 12 characters for text without spaces).
    `edges_only` (long lines) looks at the edges alone, so that "anywhere" means "at an edge"."""
    c = cues()
    hits: set[str] = set()
    start: set[str] = set()
    edge: set[str] = set()
    n = len(toks)
    last = n - 4
    indices: range | list[int] = range(n)
    if edges_only and n > 13:
        indices = [*range(6), *range(n - 7, n)]
    words_get, phrases_get = c.words.get, c.phrases.get  # bound once per line
    for i in indices:
        tok = toks[i]
        found = words_get(tok)
        if found:
            hits |= found
            if i == 0:
                start |= found
            if i < 3 or i >= last:
                edge |= found
        for phrase, concept in phrases_get(tok, ()):
            if tuple(toks[i : i + len(phrase)]) == phrase:
                hits.add(concept)
                if i == 0:
                    start.add(concept)
                if i < 3 or i + len(phrase) > last:
                    edge.add(concept)
    for i in range(min(n, START_TOKENS if n <= BYLINE_TOKENS else 1)):
        found = c.start_words.get(toks[i])
        if found:
            hits |= found
            edge |= found
            if i == 0:
                start |= found
    if n <= BUTTON_TOKENS:
        for i in range(n):
            for phrase, concept in c.buttons.get(toks[i], ()):
                if tuple(toks[i : i + len(phrase)]) == phrase:
                    hits.add(concept)
                    edge.add(concept)
                    if i == 0:
                        start.add(concept)
    if c.substrings is not None and _may_have_cjk(low) and _CJK_OR_HANGUL.search(low):
        sentence = False
        if not edges_only or len(low) <= 40:
            parts = [(0, low)]
        elif low.rstrip()[-1:] in _SENTENCE_FINAL:
            # a long line that ends a sentence: a cue in its last characters is a word of the
            # text ("…峰會的照片。", the summit's photo), not a credit or label closing it; one
            # in its first characters is a label only where no letter follows it ("圖說：…",
            # "사진=…"), not "網傳照片經比對…" (the photo shared online, compared, …)
            parts = [(0, low[:20])]
            sentence = True
        else:
            parts = [(0, low[:20]), (len(low) - 20, low[-20:])]
        for offset, part in parts:
            for match in c.substrings.finditer(part):
                begin, end = offset + match.start(), offset + match.end()
                if (sentence or match.group() in c.word_end_substrings) and _CJK_OR_HANGUL.match(
                    low, end
                ):
                    continue  # a verb goes on: "提供する", "제공했다"
                found = c.substring_concepts[match.group()]
                hits |= found
                if begin <= 2:
                    start |= found
                if begin <= 12 or end >= len(low) - 12:
                    edge |= found
    if "byline" in hits and "byline" not in edge:
        hits.discard("byline")  # "by", "di", "par", "von" inside a sentence are no byline
    if edges_only:
        hits &= edge | start
    return hits, start, edge


def _names() -> tuple[str, ...]:
    names = [
        "bias", "log_chars", "w_le2", "w_3_5", "w_6_10", "w_11_20", "w_21_40", "w_gt40",
        "fw_density", "fw_x_len", "end_punct", "sentences", "comma_density", "upper_init",
        "all_caps", "digit_share", "year_short", "time_short", "date_short", "date_cover",
        "relative_time", "separators", "bullet_start", "url", "email", "handle", "paren_only",
        "ends_colon", "short_no_punct", "foreign_script", "repeated", "template", "pos",
        "pos_first", "pos_last", "quote_start", "contained", "byline_any",
    ]  # fmt: skip
    for concept in cues().concepts:
        names += [
            f"{concept}_short",
            f"{concept}_start_short",
            f"{concept}_edge_long",
            f"{concept}_start_long",
        ]
    names += [
        "html", "h_heading", "h_h1", "h_p", "h_li", "h_caption", "h_nav", "h_header", "h_footer",
        "h_aside", "h_article", "h_main", "h_form", "h_link_share", "h_extract",
        "cls_furniture", "cls_meta", "cls_caption", "cls_content",
    ]  # fmt: skip
    return tuple(names)


def local_names() -> tuple[str, ...]:
    global LOCAL_NAMES
    if not LOCAL_NAMES:
        LOCAL_NAMES = _names()
    return LOCAL_NAMES


_HIGH = re.compile("[\u3040-\U0010ffff]")  # a character at or above _FIRST_CJK


def _may_have_cjk(text: str) -> bool:
    """False when no character of `text` can be kana, Han or Hangul: max(text) >= _FIRST_CJK,
    found by a regex of one range (max() over a 2,000-character Cyrillic line took 127 us,
    the regex 16)."""
    return not text.isascii() and _HIGH.search(text) is not None


def word_count(text: str, toks: list[str]) -> float:
    """Words, with CJK characters counted 2.5 to a word."""
    if not _may_have_cjk(text):
        return float(len(toks))
    cjk = len(_CJK.findall(text))
    if not cjk:
        return float(len(toks))
    other = sum(1 for t in toks if not _CJK.search(t))
    return cjk / 2.5 + other


def function_density(text: str, toks: list[str], stop: frozenset[str], script: str) -> float:
    if script == "cjk":
        han = _CJK.findall(text)
        return sum(1 for ch in han if ch in CJK_FUNCTION) / len(han) if han else 0.0
    if not toks:
        return 0.0
    return sum(map(stop.__contains__, toks)) / len(toks)


# Intrinsic features of short lines are remembered (a site repeats its furniture on every page):
# the INTRINSIC_CACHE lines used last (about 2.3 KB each: 9 MB, reached within the first few
# thousand pages, so that a worker's memory does not grow with the corpus after that).
INTRINSIC_CACHE = 4096
CACHE_MAX_CHARS = 120
SAMPLE_CHARS = 300
TAIL_CHARS = 100
SENTENCE_CHARS = 2000  # sentence ends are counted in this much of a line
DATE_LINE_WORDS = 25  # dates are looked for in lines this short (date lines, bylines)
_OTHER_DIGIT = re.compile(r"[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]")
_UPPER_START = re.compile(r"(?<!\S)[\"'“«(]?[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄҐΑ-Ω]")
_CASED_START = re.compile(r"(?<!\S)[\"'“«(]?[A-Za-zÀ-ÖØ-öø-žА-яЁёІіЇїЄєҐґΑ-ω]")
_OPENERS = "\"'“«("
_SEPARATOR_CHARS = "|·•›»/>–—"
_SEPARATOR_ANY = re.compile(f"[{re.escape(_SEPARATOR_CHARS)}]")  # _has_any(…, _SEPARATOR_CHARS)
_ASCII_DIGITS = "0123456789"


def _class_chars(pattern: re.Pattern[str]) -> frozenset[str]:
    """The letters of the last character class of `pattern` (single characters and ranges)."""
    body = pattern.pattern[pattern.pattern.rindex("[") + 1 : -1]
    chars: set[str] = set()
    for lo, hi in re.findall(r"(.)(?:-(.))?", body):
        chars.update(chr(c) for c in range(ord(lo), ord(hi or lo) + 1))
    return frozenset(chars)


_UPPER_CHARS = _class_chars(_UPPER_START)
_CASED_CHARS = _class_chars(_CASED_START)


def word_starts(text: str) -> tuple[int, int]:
    """(len(_CASED_START.findall(text)), len(_UPPER_START.findall(text))) by word: a word that
    starts, after at most one opening quote or bracket, with a cased (an upper-case) letter."""
    cased = upper = 0
    openers, cased_chars, upper_chars = _OPENERS, _CASED_CHARS, _UPPER_CHARS  # local names
    for word in text.split():
        first = word[0]
        if first in openers and len(word) > 1 and word[1] in cased_chars:
            first = word[1]
        if first in cased_chars:
            cased += 1
            upper += first in upper_chars
    return cased, upper


_LOWER = re.compile(r"[a-zà-öø-žа-яёіїєґα-ω]")
_INTRINSIC: OrderedDict[tuple[str, str | None, str], tuple[np.ndarray, LineInfo]] = OrderedDict()


def _intrinsic(
    text: str, key: str, lang: str | None, page_script: str, stop: frozenset[str]
) -> tuple:
    """(vector part, LineInfo fields) of what a line says on its own."""
    chars = len(text)
    head = text[:SAMPLE_CHARS]  # shape features of a long line are read on its opening
    if chars > SAMPLE_CHARS and (not _may_have_cjk(head) or _CJK.search(head) is None):
        # a long line: the tokens of its opening and its end are enough
        toks = tokens(key[:SAMPLE_CHARS]) + tokens(key[-TAIL_CHARS:])
        words = float(key.count(" ") + 1)
    else:
        toks = tokens(key)
        words = word_count(text, toks)
    script = script_of(text)
    fw = function_density(head, toks[:60], stop, script if script == "cjk" else page_script)
    end = _TERMINAL.search(text[-8:]) is not None
    cased, upper = word_starts(head[:150])
    upper_init = upper / cased if cased else 0.0
    caps = cased > 0 and chars >= 3 and _LOWER.search(head) is None and head.upper() == head
    if head.isascii():
        digits = sum(map(head.count, _ASCII_DIGITS))
    else:
        digits = len(_DIGIT.findall(head)) if _DIGIT.search(head) else 0
    has_digit = digits > 0  # every digit feature reads the opening (head) alone
    plain = head
    if has_digit and not head.isascii() and _OTHER_DIGIT.search(head):
        plain = dates.ascii_digits(head)
    has_year = (
        has_digit
        and chars <= SAMPLE_CHARS
        and (
            _YEAR.search(plain) is not None
            or (lang == "zh" and _MINGUO_YEAR.search(plain) is not None)
        )
    )
    found = dates.find_dates(text, lang) if has_year and words <= DATE_LINE_WORDS else []
    covered = sum(f.end - f.start for f in found)
    short = words <= 12
    hits, start, edge = _concept_hits(key, toks, edges_only=not short)
    time = has_digit and words <= 15 and _TIME.search(plain) is not None
    c = cues()
    separators = 0.0
    if _SEPARATOR_ANY.search(head) is not None:
        separators = min(len(_SEPARATOR.findall(head)), 3) / 3
    vec = [
        1.0,
        math.log1p(chars) / 6,
        float(words <= 2), float(2 < words <= 5), float(5 < words <= 10),
        float(10 < words <= 20), float(20 < words <= 40), float(words > 40),
        fw, fw * min(words, 30) / 30,
        float(end), min(len(_BREAK.findall(head)), 3) / 3,
        min(len(_COMMA.findall(head)) / max(min(words, 60), 1), 1.0),
        upper_init, float(caps), digits / max(len(head), 1), float(has_year and words <= 15),
        float(time), float(bool(found) and words <= 15), covered / max(chars, 1),
        float(has_digit and chars <= 120 and c.ago.search(plain) is not None),
        separators, float(_BULLET.match(text) is not None),
        float(("http" in key or "www." in key) and _URL.search(text) is not None),
        float("@" in text and _EMAIL.search(text) is not None),
        float("@" in text and _HANDLE.search(text) is not None),
        float(_PAREN_ONLY.match(text) is not None),
        float(text.endswith((":", "："))), float(short and not end),
        float(script not in (page_script, "none")),
    ]  # fmt: skip
    tail = [float(text[:1] in "\"'“”«„‘’「『"), float("byline" in hits), *_no_concepts()]
    if hits or start or edge:  # four features per concept (see _names)
        slot = _concept_slots()
        for concept in hits if short else ():
            tail[slot[concept]] = 1.0
        for concept in start:
            tail[slot[concept] + (1 if short else 3)] = 1.0
        for concept in edge if not short else ():
            tail[slot[concept] + 2] = 1.0
    prose = fw * min(words, 20) / 20 * (1.0 if end else 0.5)
    info = (
        words,
        frozenset(hits),
        frozenset(start),
        frozenset(edge),
        found,
        end,
        prose,
        time,
        words <= 40 and _GLUED_WORD.search(head) is not None,
        1 + len(_BREAK.findall(text[:SENTENCE_CHARS][:-1])) if chars > 1 else 1,
    )
    return vec, tail, info


@lru_cache(maxsize=1)
def _concept_slots() -> dict[str, int]:
    """Index, in an intrinsic tail vector, of each concept's first feature."""
    return {concept: 2 + 4 * k for k, concept in enumerate(cues().concepts)}


def _no_concepts() -> list[float]:
    return [0.0] * (4 * len(cues().concepts))


def _row(vec: list[float], tail: list[float]) -> np.ndarray:
    """A line's full local row from its intrinsic parts, with the page-dependent columns
    (repetition, template, position, containment) and the HTML columns zero (page_features
    fills them in)."""
    width = len(local_names())
    out = np.zeros(width)
    out[: len(vec)] = vec  # bias … foreign_script
    out[len(vec) + 5] = tail[0]  # quote_start, after repeated, template, pos, pos_first, pos_last
    out[len(vec) + 7 : width - _HTML_FEATURES] = tail[1:]  # byline_any and the cue features
    out.flags.writeable = False  # shared by every page that holds the line
    return out


_HTML_FEATURES = 15 + len(CLASS_GROUPS)


@lru_cache(maxsize=1)
def _page_columns() -> tuple[int, int, int, int, int, int, int]:
    """Columns of repeated, template, pos, pos_first, pos_last, contained and the first HTML
    feature."""
    col = {name: k for k, name in enumerate(local_names())}
    return (
        col["repeated"], col["template"], col["pos"], col["pos_first"], col["pos_last"],
        col["contained"], col["html"],
    )  # fmt: skip


def line_parts(
    text: str, lang: str | None, page_script: str, stop: frozenset[str]
) -> tuple[np.ndarray, LineInfo]:
    """(intrinsic row, LineInfo) of a line: what it says on its own, remembered for lines of at
    most CACHE_MAX_CHARS characters (a site repeats its furniture on every page)."""
    short = len(text) <= CACHE_MAX_CHARS
    if short:
        cached = (text, lang, page_script)
        found = _INTRINSIC.get(cached)
        if found is not None:
            _INTRINSIC.move_to_end(cached)  # least recently used first: a site's furniture stays
            return found
    key = line_key(text)
    vec, tail, info = _intrinsic(text, key, lang, page_script, stop)
    found = (_row(vec, tail), LineInfo(key, *info))
    if short:
        _INTRINSIC[cached] = found
        if len(_INTRINSIC) > INTRINSIC_CACHE:
            _INTRINSIC.popitem(last=False)
    return found


def page_features(
    page: Page,
    lang: str | None,
    templates: frozenset[str] = frozenset(),
) -> tuple[np.ndarray, list[LineInfo]]:
    """Local feature vectors (one row per line, in local_names() order) and line infos for
    every line. A line's intrinsic row comes whole from line_parts (cached for short lines);
    the rows are stacked at once and the columns that depend on the page filled in by column."""
    names = local_names()
    n = len(page.lines)
    if n == 0:
        return np.zeros((0, len(names))), []
    stop = stoplist(lang)
    longest = sorted(page.lines, key=lambda x: -len(x.text))[:3]
    page_script = script_of(" ".join(x.text[:200] for x in longest))
    parts = [line_parts(line.text, lang, page_script, stop) for line in page.lines]
    infos = [info for _, info in parts]
    keys = [info.key for info in infos]
    counts = Counter(keys)
    contained = _contained(keys)
    rows = np.array([row for row, _ in parts])
    c_rep, c_tpl, c_pos, c_first, c_last, c_cont, c_html = _page_columns()
    rows[:, c_rep] = [counts[key] > 1 for key in keys]
    if templates:
        rows[:, c_tpl] = [key in templates for key in keys]
    index = np.arange(n)
    rows[:, c_pos] = index / max(n - 1, 1)
    rows[:, c_first] = index < 8
    rows[:, c_last] = index >= n - 8
    if contained:
        rows[:, c_cont] = [key in contained for key in keys]
    if page.format == "html":
        for i, line in enumerate(page.lines):
            marks, words_cls = line.landmarks, line.class_words
            rows[i, c_html:] = [
                1.0, float(line.tag in HEADING_TAGS), float(line.tag == "h1"),
                float(line.tag == "p"), float(line.tag == "li"),
                float(line.tag == "figcaption" or "figure" in marks),
                float("nav" in marks), float("header" in marks), float("footer" in marks),
                float("aside" in marks), float("article" in marks), float("main" in marks),
                float("form" in marks), line.link_share, float(line.in_extract),
                *(float(bool(words_cls & CLASS_GROUPS[g])) for g in CLASS_GROUPS),
            ]  # fmt: skip
    return rows, infos


def _contained(keys: list[str]) -> set[str]:
    """Keys of short lines (pull quotes, shortened headlines) found inside a longer line (other
    than an exact copy of the same line)."""
    longer = [k for k in keys if len(k) > 60]
    if not longer:
        return set()
    joined = "\n".join(longer)  # one search over all longer lines instead of one per line
    copies = Counter(longer)
    out = set()
    for key in keys:
        if 20 <= len(key) <= 300:
            probe = key.strip("\"'“”«»„‘’ ")
            # occurrences beyond those inside the line's own copies
            if probe and joined.count(probe) > key.count(probe) * copies.get(key, 0):
                out.add(key)
    return out


GLUE_CUES = frozenset({"caption", "source", "related", "share", "media"})
# At most this many words of credit between a caption label and the text glued to it ("Фото:
# скриншот відео з офіційного Telegram-каналу Президента УкраїниДвоє …": 7).
CREDIT_WORDS = 10


def _copyright_credit(head: str) -> bool:
    """`head` ends with a copyright credit: a "©" and at most CREDIT_WORDS words with no sentence
    end after it ("… bij de lanceerinstallaties. © Reuters / Sputnik / Kremlin")."""
    mark = head.rfind("©")
    if mark < 0:
        return False
    credit = head[mark + 1 :]
    return len(credit.split()) <= CREDIT_WORDS and not re.search(r"[.!?]\s", credit)


def _cue_near(low: str, toks: list[str]) -> bool:
    """A caption, source, related, share or media cue among `toks` (a few tokens at one end)."""
    hits = _concept_hits(" ".join(toks), toks)[0] if toks else set()
    return bool(hits & GLUE_CUES)


# A closing bracket glued to the next word or to an opening bracket: "(Reuters)North", "）【".
_BRACKET_GLUE = re.compile(r"[)）\]】](?=[^\W\d_]|[(（\[【])")
_OPENING = {")": "(", "）": "（", "]": "[", "】": "【"}
_QUOTE_PAIRS = ("「」", "『』", "“”", "«»")
# a Japanese case particle right after a bracket, before a word that is no kana: the sentence
# goes on ("X（旧ツイッター）で拡散"); a caption's end is no sentence's middle
_PARTICLE_ON = re.compile(r"[でがをにのとはもへや][^\u3040-\u309f]")


def _inside_quote(text: str) -> bool:
    """More quotation marks open than closed in `text`: the end of `text` is inside a quote."""
    return any(text.count(pair[0]) > text.count(pair[1]) for pair in _QUOTE_PAIRS)


@lru_cache(maxsize=1)
def credit_names() -> tuple[frozenset[str], tuple[str, ...]]:
    """Agency names of cues.json's "credits": (names matched as words, names matched anywhere)."""
    names = cues_json()["credits"]["names"]
    anywhere = tuple(n for n in names if _CJK_OR_HANGUL.search(n))
    return frozenset(n for n in names if n not in anywhere), anywhere


@lru_cache(maxsize=1)
def _anywhere() -> tuple[re.Pattern[str], dict[str, str], tuple[str, ...]]:
    """cues.json's "anywhere" nouns as one pattern (whole words; Han, kana and Hangul entries
    anywhere), their concepts, and the shortest entries no entry lacks (a quick test)."""
    data = cues_json()["anywhere"]
    concept_of: dict[str, str] = {}
    words: list[str] = []
    subs: list[str] = []
    for concept, entries in data.items():
        if concept.startswith("$"):
            continue
        for entry in entries:
            entry = entry.casefold()
            concept_of[entry] = concept
            (subs if _CJK_OR_HANGUL.search(entry) else words).append(re.escape(entry))
    alternatives = [rf"(?<![^\W_])(?:{'|'.join(sorted(words, key=len, reverse=True))})(?![^\W_])"]
    if subs:
        alternatives.append("|".join(sorted(subs, key=len, reverse=True)))
    # every entry holds one of these (an entry holding a shorter entry is covered by it)
    entries = sorted(concept_of, key=len)
    quick = tuple(e for k, e in enumerate(entries) if not any(x in e for x in entries[:k]))
    return re.compile("|".join(alternatives)), concept_of, quick


def anywhere_present(text: str) -> tuple[str, ...]:
    """The quick-test substrings `text` (lower case) holds: a page's text is looked at once,
    its lines then only for these."""
    return tuple(q for q in _anywhere()[2] if q in text)


def anywhere_concepts(key: str, present: tuple[str, ...] | None = None) -> set[str]:
    """Concepts of the "anywhere" nouns and phrases (cookie, newsletter, notice) a line's key
    holds; `present`: the quick-test substrings of the page the line is on (anywhere_present)."""
    pattern, concept_of, quick = _anywhere()
    if not any(q in key for q in (quick if present is None else present)):
        return set()
    return {concept_of[m.group()] for m in pattern.finditer(key)}


def _is_credit(inner: str) -> bool:
    """The text of a bracket names a news or photo agency (a picture credit, a wire credit)."""
    words, anywhere = credit_names()
    low = inner.casefold()
    if any(n in low for n in anywhere):
        return True
    toks = _TOKEN.findall(low)
    grams = {" ".join(toks[i : i + k]) for k in (1, 2, 3) for i in range(len(toks) - k + 1)}
    return bool(grams & words)


def _bracket_glue(text: str) -> list[str] | None:
    """A picture caption whose credit bracket is glued to the article text without a space, in
    any script ("… 자료사진 (로이터)신원식 …", "… (رويترز)أقرّت …", "…（共同）【ソウル共同】…"): the
    caption (at most 30 words, at least 3 words or 10 characters) ends with a bracket that names
    an agency or holds or follows a caption or source cue; the text after it has 30 characters.
    Never inside a quotation ("「【速報】北朝鮮兵が…」") nor before a Japanese particle that goes
    on with the sentence ("X（旧ツイッター）で拡散している")."""
    for match in _BRACKET_GLUE.finditer(text, 0, 400):
        head, tail = text[: match.end()], text[match.end() :]
        if len(tail.strip()) < 30 or len(head.split()) > 30:
            continue
        if _inside_quote(head) or _PARTICLE_ON.match(tail):
            continue
        if len(head.split()) < 3 and len(head.strip()) < 10:
            continue
        opening = head.rfind(_OPENING[head[-1]])
        inner = head[opening + 1 : -1] if opening >= 0 else ""
        before = " ".join(head[: max(opening, 0)].casefold().split())
        inside = " ".join(inner.casefold().split())
        if (
            _is_credit(inner)
            or _cue_near(inside, _TOKEN.findall(inside)[:4])
            or _cue_near(before, _TOKEN.findall(before)[-4:])
        ):
            return [head.strip(), tail.strip()]
    return None


@lru_cache(maxsize=1)
def _caps_credits() -> re.Pattern[str]:
    """Agency names of cues.json "credits" (not Han, kana or Hangul) in capitals, as words that
    a capitalised word follows without a space: "EFECorea", "AFPKim"."""
    names = sorted((n.upper() for n in credit_names()[0] if n.isalpha()), key=len, reverse=True)
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(map(re.escape, names))})(?=[^\W\d_]['’]?[^\W\d_])")


_CAPS_GLUE = re.compile(r"[A-ZА-ЯЁІЇЄҐ]{2}[A-ZÀ-ÞА-ЯЁІЇЄҐ]['’]?[a-zà-ÿа-яёіїєґ]")


def _caps_credit_glue(text: str) -> list[str] | None:
    """A caption closed by an agency's name in capitals glued to the capitalised first word of
    the text ("… en una imagen de archivo. KCNA / EFECorea del Norte reconoció …"): cut after the
    name when a capital then a small letter (or an apostrophe and a small letter: "AFPC’est")
    follow it, a sentence ends at most CREDIT_WORDS words before it, the caption has at most 30
    words and the text after it 30 characters."""
    if _CAPS_GLUE.search(text, 0, 400) is None:  # a quick look: capitals glued to a word
        return None
    for match in _caps_credits().finditer(text, 0, 400):
        after = text[match.end() : match.end() + 3]
        if after[1:2] in ("'", "’"):  # an elided first word: "AFPC’est …", "REUTERSL'armée …"
            after = after[0] + after[2:]
        if not (after[0].isupper() and after[1].islower()):
            continue
        head, tail = text[: match.end()], text[match.end() :]
        if len(tail.strip()) < 30 or len(head.split()) > 30:
            continue
        if _sentence_ends_before(head, (". ", "! ", "? ")):
            return [head.strip(), tail.strip()]
    return None


def _sentence_ends_before(head: str, marks: tuple[str, ...]) -> bool:
    """One of `marks` (a sentence end) stands at most CREDIT_WORDS words before the end of
    `head`: what comes after it is a short caption or credit."""
    stop = max(head.rfind(mark) for mark in marks)
    return stop >= 0 and len(head[stop:].split()) <= CREDIT_WORDS + 1


@lru_cache(maxsize=1)
def _longest_first_credits() -> tuple[str, ...]:
    """Agency names in Han, kana or Hangul, longest first ("연합뉴스" before "연합")."""
    return tuple(sorted(credit_names()[1], key=len, reverse=True))


# A Korean wire lead's dateline: "(서울=연합뉴스)", "(평양 AP=뉴스1)".
_DATELINE = re.compile(r"[(（][^()（）=]{1,15}=[^()（）=]{1,15}[)）]")


def _equals_glue(text: str) -> list[str] | None:
    """A Korean picture credit ("평양 타스=연합뉴스") glued to the text after it without a space:
    "… 참석하고 있다. 평양 타스=연합뉴스두 정상은 …". Cut after an agency name (cues.json
    "credits", in Han, kana or Hangul) that follows "=" and is followed by a letter of those
    scripts or by the dateline that opens a wire lead ("… 평양=조선중앙통신(서울=연합뉴스) 김 기자
    = …"), when a sentence ends at most CREDIT_WORDS words before it (the caption) and the text
    after it has 30 characters."""
    if "=" not in text[:400]:
        return None
    names = _longest_first_credits()
    for eq in re.finditer("=", text[:400]):
        rest = text[eq.end() :].lstrip()
        name = next((n for n in names if rest.startswith(n)), None)
        if name is None:
            continue
        cut = len(text) - len(rest) + len(name)
        head, tail = text[:cut], text[cut:]
        if not (_CJK_OR_HANGUL.match(tail) or _DATELINE.match(tail)) or len(tail.strip()) < 30:
            continue
        if _sentence_ends_before(head, (". ", "。")):
            return [head.strip(), tail.strip()]
    return None


def split_glued(text: str, lang: str | None) -> list[str]:
    """A line cut where furniture is glued to prose without a space: a caption or credit
    ("… Photo: AFPKim met …") before the text, or a "read also" link after it. Cut only where a
    lower-case letter or closing punctuation meets an upper-case letter with no space, and only
    when the short side carries a caption, source or related cue; else, in any script, where a
    caption's credit bracket meets the text (_bracket_glue), after a Korean "place=agency"
    credit (_equals_glue) or an agency's name in capitals (_caps_credit_glue)."""
    if len(text) < 40:
        return [text]
    if _GLUE_ANY.search(text) is None:
        return _equals_glue(text) or _bracket_glue(text) or [text]
    for label in _LABEL.finditer(text[:250]):
        low = " ".join(text[: label.start()].casefold().split()[-3:])
        if "caption" not in _concept_hits(low, _TOKEN.findall(low))[0]:
            continue
        glue = _LABEL_GLUE.search(text, label.end() + 1)
        if glue and len(text[label.end() : glue.start()].split()) <= CREDIT_WORDS:
            head, tail = text[: glue.start()], text[glue.start() :]
            if len(tail.split()) >= 4:
                return [head.strip(), tail.strip()]
        break
    for match in _GLUE.finditer(text):
        head, tail = text[: match.start()], text[match.start() :]
        if len(head.split()) <= 30 and len(tail.split()) >= 4 and _LABEL_MARK.search(head[-40:]):
            low = " ".join(head.casefold().split())
            toks = _TOKEN.findall(low)
            if _cue_near(low, toks[-4:]) or _copyright_credit(head):  # "… Photo: AFP" + "Kim …"
                return [head.strip(), tail.strip()]
        if len(tail.split()) <= 30 and len(head.split()) >= 4 and _LABEL_MARK.search(tail[:40]):
            low = " ".join(tail.casefold().split())
            if _cue_near(low, _TOKEN.findall(low)[:3]):  # "… prose." + "Read also: …"
                return [head.strip(), tail.strip()]
    return _equals_glue(text) or _bracket_glue(text) or _caps_credit_glue(text) or [text]


# Arabic short vowels and other marks (harakat, U+064B-U+065F, U+0670) and the tatweel
# (U+0640): optional in writing ("نُشر" is "نشر"), so a cue matches with or without them.
_ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")


def line_key(text: str) -> str:
    """A line's key: case-folded, runs of whitespace as one space. The Turkish "İ" casefolds to
    "i" and a combining dot above, which would cut a word ("İLGİLİ"): the dot is dropped.
    Arabic vowel marks and the tatweel are dropped (_ARABIC_MARKS)."""
    low = text.casefold()
    if "\u0307" in low:
        low = low.replace("\u0307", "")
    if not low.isascii() and _ARABIC_MARKS.search(low):
        low = _ARABIC_MARKS.sub("", low)
    return " ".join(low.split())


def normalise_key(text: str) -> str:
    return line_key(unicodedata.normalize("NFC", text))
