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
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rukp.ingest import dates
from rukp.ingest.page import HEADING_TAGS, Page

HERE = Path(__file__).resolve().parent
_TOKEN = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_TERMINAL = re.compile(r"[.!?。！？…؟](?:[\"'”’»)\]）」』]*)\s*$")
_BREAK = re.compile(r"[.!?。！？؟](?:[\"'”’»)\]）」』]*)(?:\s+|(?=[\u3040-\u9fff]))")
_COMMA = re.compile(r"[,，、،;；]")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_TIME = re.compile(r"(?<!\d)\d{1,2}\s?[:h시時]\s?\d{2}(?!\d)|\d{1,2}\s?(?:시|時|点)")
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
_LABEL_GLUE = re.compile(r"(?<=\S)(?=[A-ZÀ-ÞА-ЯЁІЇЄҐ][a-zà-ÿа-яёіїєґ]{2,})")
_LABEL = re.compile(r"[:：=]\s*")

# Function characters of Chinese and Japanese prose (no stoplist exists for these scripts).
CJK_FUNCTION = frozenset("的了是在和与对将为也就都而及其这那之中上被把从向于等并已还又但所以此该其方"
                         "のはがをにでともたしてなれるからまでよりへやかだです")  # fmt: skip
CLASS_GROUPS: dict[str, frozenset[str]] = {
    "furniture": frozenset(
        "share sharing social related recommend recommended comment comments newsletter "
        "subscribe subscription ad ads advert advertisement sponsor sponsored promo banner "
        "cookie consent popup modal widget sidebar footer menu nav navigation breadcrumb "
        "breadcrumbs teaser card more tags tag topics rank ranking popular trending outbrain "
        "taboola paywall signup login toolbar pagination pager".split()
    ),
    "meta": frozenset("byline author authors date time meta dateline timestamp updated "
                      "published credit credits source reporter".split()),  # fmt: skip
    "caption": frozenset("caption figcaption photo image img gallery credit media video "
                         "player".split()),  # fmt: skip
    "content": frozenset("content article body text story entry post lead standfirst dek "
                         "intro summary paragraph prose main detail".split()),  # fmt: skip
}


@dataclass(slots=True, frozen=True)
class Cues:
    words: dict[str, frozenset[str]]  # token -> concepts
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first token -> (tokens, concept)
    substrings: re.Pattern[str] | None  # ja/zh/ko entries, matched inside the line
    substring_concepts: dict[str, frozenset[str]]
    ago: re.Pattern[str]
    concepts: tuple[str, ...]


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = json.loads((HERE / "cues.json").read_text(encoding="utf-8"))["concepts"]
    words: dict[str, set[str]] = {}
    phrases: dict[str, set[tuple[tuple[str, ...], str]]] = {}
    subs: dict[str, set[str]] = {}
    ago_words: set[str] = set()
    for concept, by_lang in data.items():
        for lang, entries in by_lang.items():
            for entry in entries:
                entry = entry.casefold()
                if concept == "ago":
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
    )


@lru_cache(maxsize=128)
def stoplist(lang: str | None) -> frozenset[str]:
    """jusText's stoplist of `lang` (case-folded), read from the justext wheel without importing
    it; empty when jusText has none (ja, zh: CJK_FUNCTION is used instead)."""
    if not lang:
        return frozenset()
    names = json.loads((HERE / "stoplists.json").read_text(encoding="utf-8"))["stoplists"]
    name = names.get(lang)
    spec = importlib.util.find_spec("justext")
    if name is None or spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "stoplists" / f"{name}.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(w.strip().casefold() for w in path.read_text(encoding="utf-8").split("\n"))


def script_of(text: str) -> str:
    """The dominant script of a text: latin, cyrillic, hangul, cjk, arabic, other or none."""
    counts: Counter[str] = Counter()
    for ch in text[:200]:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if o < 0x250:
            counts["latin"] += 1
        elif 0x400 <= o < 0x530:
            counts["cyrillic"] += 1
        elif 0x600 <= o < 0x700 or 0x750 <= o < 0x780 or 0xFB50 <= o < 0xFF00:
            counts["arabic"] += 1
        elif 0xAC00 <= o < 0xD7B0 or 0x1100 <= o < 0x1200 or 0x3130 <= o < 0x3190:
            counts["hangul"] += 1
        elif 0x3040 <= o < 0x3100 or 0x3400 <= o < 0xA000 or 0xF900 <= o < 0xFB00:
            counts["cjk"] += 1
        elif 0x1E00 <= o < 0x1F00:
            counts["latin"] += 1
        else:
            counts["other"] += 1
    return counts.most_common(1)[0][0] if counts else "none"


@dataclass(slots=True)
class LineInfo:
    """What the later steps need of a line beyond its feature vector."""

    key: str
    words: float
    concepts: frozenset[str]
    dates: list[dates.Found]
    end_punct: bool
    prose: float  # a rough prose score in [0, 1] (function words × length × punctuation)


LOCAL_NAMES: tuple[str, ...] = ()  # filled below


def _concept_hits(low: str, toks: list[str]) -> tuple[set[str], set[str], set[str]]:
    """(concepts cued anywhere in the line, cued at its start, cued at its edges: the first
    three or last four tokens, or the first/last 12 characters for text without spaces)."""
    c = cues()
    hits: set[str] = set()
    start: set[str] = set()
    edge: set[str] = set()
    last = len(toks) - 4
    for i, tok in enumerate(toks):
        found = c.words.get(tok)
        if found:
            hits |= found
            if i == 0:
                start |= found
            if i < 3 or i >= last:
                edge |= found
        for phrase, concept in c.phrases.get(tok, ()):
            if tuple(toks[i : i + len(phrase)]) == phrase:
                hits.add(concept)
                if i == 0:
                    start.add(concept)
                if i < 3 or i + len(phrase) > last:
                    edge.add(concept)
    if c.substrings is not None and (_CJK.search(low) or _HANGUL.search(low)):
        for match in c.substrings.finditer(low):
            found = c.substring_concepts[match.group()]
            hits |= found
            if match.start() <= 2:
                start |= found
            if match.start() <= 12 or match.end() >= len(low) - 12:
                edge |= found
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
        names += [f"{concept}_short", f"{concept}_edge", f"{concept}_start"]
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


def word_count(text: str, toks: list[str]) -> float:
    """Words, with CJK characters counted 2.5 to a word."""
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
    return sum(1 for t in toks if t in stop) / len(toks)


def page_features(
    page: Page,
    lang: str | None,
    templates: frozenset[str] = frozenset(),
) -> tuple[list[list[float]], list[LineInfo]]:
    """Local feature vectors (in local_names() order) and line infos for every line."""
    names = local_names()
    concepts = cues().concepts
    stop = stoplist(lang)
    page_script = script_of(" ".join(x.text for x in sorted(page.lines, key=lambda x: -len(x.text))[:3]))
    keys = [" ".join(x.text.casefold().split()) for x in page.lines]
    counts = Counter(keys)
    contained = _contained(keys)
    n = len(page.lines)
    html = page.format == "html"
    c = cues()
    rows: list[list[float]] = []
    infos: list[LineInfo] = []
    for i, (line, key) in enumerate(zip(page.lines, keys, strict=True)):
        text = line.text
        low = key
        toks = _TOKEN.findall(low)
        words = word_count(text, toks)
        chars = len(text)
        script = script_of(text)
        fw = function_density(text, toks, stop, script if script == "cjk" else page_script)
        end = _TERMINAL.search(text) is not None
        breaks = len(_BREAK.findall(text))
        letters = [t for t in text.split() if t[:1].isalpha()]
        cased = [t for t in letters if t[:1].upper() != t[:1].lower()]
        upper_init = sum(1 for t in cased if t[:1].isupper()) / len(cased) if cased else 0.0
        alpha = [ch for ch in text if ch.isalpha()]
        caps = (
            len(alpha) >= 3
            and all(ch.upper() != ch.lower() for ch in alpha[:20])
            and text.upper() == text
        )
        digits = len(_DIGIT.findall(text))
        plain = dates.ascii_digits(text)
        has_year = _YEAR.search(plain) is not None
        found = dates.find_dates(text, lang) if has_year and chars <= 300 else []
        covered = sum(f.end - f.start for f in found)
        hits, start, edge = _concept_hits(low, toks)
        short = words <= 12
        vec = [
            1.0,
            math.log1p(chars) / 6,
            float(words <= 2), float(2 < words <= 5), float(5 < words <= 10),
            float(10 < words <= 20), float(20 < words <= 40), float(words > 40),
            fw, fw * min(words, 30) / 30,
            float(end), min(breaks, 3) / 3, min(len(_COMMA.findall(text)) / max(words, 1), 1.0),
            upper_init, float(caps), digits / max(chars, 1), float(has_year and words <= 15),
            float(words <= 15 and _TIME.search(plain) is not None), float(bool(found) and words <= 15),
            covered / max(chars, 1),
            float(chars <= 120 and c.ago.search(plain) is not None),
            min(len(_SEPARATOR.findall(text)), 3) / 3, float(_BULLET.match(text) is not None),
            float(_URL.search(text) is not None), float(_EMAIL.search(text) is not None),
            float(_HANDLE.search(text) is not None), float(_PAREN_ONLY.match(text) is not None),
            float(text.endswith((":", "："))), float(short and not end),
            float(script not in (page_script, "none")), float(counts[key] > 1),
            float(key in templates), i / max(n - 1, 1), float(i < 8), float(i >= n - 8),
            float(text[:1] in "\"'“”«„‘’「『"),
            float(key in contained), float("byline" in hits),
        ]  # fmt: skip
        for concept in concepts:
            hit = concept in hits
            vec += [float(hit and short), float(concept in edge), float(concept in start)]
        if html:
            marks, words_cls = line.landmarks, line.class_words
            vec += [
                1.0, float(line.tag in HEADING_TAGS), float(line.tag == "h1"),
                float(line.tag == "p"), float(line.tag == "li"),
                float(line.tag == "figcaption" or "figure" in marks),
                float("nav" in marks), float("header" in marks), float("footer" in marks),
                float("aside" in marks), float("article" in marks), float("main" in marks),
                float("form" in marks), line.link_share, float(line.in_extract),
            ]  # fmt: skip
            vec += [float(bool(words_cls & CLASS_GROUPS[g])) for g in CLASS_GROUPS]
        else:
            vec += [0.0] * (15 + len(CLASS_GROUPS))
        rows.append(vec)
        prose = fw * min(words, 20) / 20 * (1.0 if end else 0.5)
        infos.append(LineInfo(key, words, frozenset(hits), found, end, prose))
    assert not rows or len(rows[0]) == len(names)
    return rows, infos


def _contained(keys: list[str]) -> set[str]:
    """Keys of short lines (pull quotes, shortened headlines) found inside a longer line."""
    longer = [k for k in keys if len(k) > 60]
    out = set()
    for key in keys:
        if 20 <= len(key) <= 300:
            probe = key.strip("\"'“”«»„‘’ ")
            if any(probe in other and other != key for other in longer):
                out.add(key)
    return out


def split_glued(text: str, lang: str | None) -> list[str]:
    """A line cut where furniture is glued to prose without a space: a caption or credit
    ("… Photo: AFPKim met …") before the text, or a "read also" link after it. Cut only where a
    lower-case letter or closing punctuation meets an upper-case letter with no space, and only
    when the short side carries a caption, source or related cue."""
    if len(text) < 40:
        return [text]
    for label in _LABEL.finditer(text[:250]):
        low = " ".join(text[: label.start()].casefold().split()[-3:])
        if "caption" not in _concept_hits(low, _TOKEN.findall(low))[0]:
            continue
        glue = _LABEL_GLUE.search(text, label.end() + 1)
        if glue and len(text[label.end() : glue.start()].split()) <= 6:
            head, tail = text[: glue.start()], text[glue.start() :]
            if len(tail.split()) >= 4:
                return [head.strip(), tail.strip()]
        break
    for match in _GLUE.finditer(text):
        head, tail = text[: match.start()], text[match.start() :]
        for part, other in ((head, tail), (tail, head)):
            words = len(part.split())
            if words > 30 or len(other.split()) < 4:
                continue
            low = " ".join(part.casefold().split())
            hits = _concept_hits(low, _TOKEN.findall(low))[0]
            if hits & {"caption", "source", "related", "share", "media"}:
                return [head.strip(), tail.strip()]
    return [text]


def normalise_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())
