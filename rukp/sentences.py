"""Sentence splitting on code-point offsets of a cleaned text (shared by validate and build).

The release's `ner` and `events` rows are these sentences (`rukp.build.rows`), and `rukp validate`
uses the same sentences for its same-clause check, so "one sentence" means the same thing in the
checks and in the dataset.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Sentence-final marks that need a following space (or end of paragraph) to end a sentence.
SPACED_TERMINATORS = ".!?…"  # U+037E GREEK QUESTION MARK is listed separately below
# Marks that end a sentence with or without a following space (CJK, Arabic, Indic, Ethiopic…).
CLOSED_TERMINATORS = "。！？｡؟۔।॥።፧፨᙮᠃᠉"
GREEK_QUESTION = "\u037e"
CLOSERS = "\"'”’»›)]}」』）〕】"
SPACED_CLOSERS = "»›"

# Abbreviations (lower-cased, without the final period) that do not end a sentence.
ABBREVIATIONS = frozenset(
    """
    m mm mme mmes mlle mlles mr mrs ms dr drs prof sr jr st mt gen col lt sgt capt cmdr adm
    gov sen rep pres sig sigg sig.ra sig.na dott dott.ssa avv ing on prof.ssa
    hr fr frau dipl
    sra srta sres dra dras
    np tzw itd itp św ul
    etc vs cf ca approx no nos nr art vol pp p fig ed eds
    jan feb mar apr jun jul aug sep sept oct nov dec
    janv févr avr juil déc
    gen.-maj
    u.s u.s.a u.k u.n e.g i.e a.m p.m d.c
    г гг тыс млн млрд им ул д р рр ст тис див
    """.split()
)


@dataclass(slots=True, frozen=True)
class Span:
    """A half-open code-point range of a text."""

    start: int
    end: int


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "L"


def _word_before(text: str, i: int) -> str:
    """The run of non-space characters ending just before position i."""
    j = i
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    return text[j:i]


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` closes an abbreviation or an initial ("M.", "U.S.", "J.")."""
    word = _word_before(text, dot).lstrip("(\"'“‘«")
    if not word:
        return False
    low = word.lower()
    if low in ABBREVIATIONS:
        return True
    if len(word) == 1 and _is_letter(word) and word.isupper():
        return True  # an initial: "J. Smith"
    # Dotted acronyms such as "U.S" or "e.g": single letters separated by periods.
    parts = low.split(".")
    return len(parts) > 1 and all(len(p) == 1 and _is_letter(p) for p in parts)


def _next_visible(text: str, i: int, end: int) -> int:
    while i < end and text[i] in " \t\u00a0\u2009\u202f":
        i += 1
    return i


def _sentence_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets inside one line [start, end) where a new sentence begins."""
    breaks: list[int] = []
    i = start
    while i < end:
        ch = text[i]
        closed = ch in CLOSED_TERMINATORS or ch == GREEK_QUESTION
        if not closed and ch not in SPACED_TERMINATORS:
            i += 1
            continue
        # absorb a run of terminators and closing quotes/brackets: '?!', '…»', '.”'
        j = i + 1
        while j < end and (
            text[j] in SPACED_TERMINATORS or text[j] in CLOSED_TERMINATORS or text[j] in CLOSERS
        ):
            closed = closed or text[j] in CLOSED_TERMINATORS
            j += 1
        # French spacing: "coopération. »" — a guillemet after a space still closes the sentence
        k = _next_visible(text, j, end)
        while k < end and text[k] in SPACED_CLOSERS:
            j = k + 1
            k = _next_visible(text, j, end)
        nxt = _next_visible(text, j, end)
        if nxt >= end:
            break
        spaced = nxt > j
        if ch == "." and j == i + 1 and _is_abbreviation(text, i):
            i = j
            continue
        follower = text[nxt]
        if closed:
            breaks.append(nxt)
        elif spaced:
            # "etc. and" / "21. oktober": a lower-case follower does not start a sentence
            if not follower.islower():
                breaks.append(nxt)
        elif (
            _is_letter(follower)
            and follower.isupper()
            and nxt + 1 < end
            and text[nxt + 1].islower()
            and i > start
            and (text[i - 1].islower() or text[i - 1] in CLOSERS)
            and not _is_abbreviation(text, i)
        ):
            # a glued sentence start: 'prossimo”.Ha detto' (a period with no space)
            breaks.append(nxt)
        i = j
    return breaks


def _has_content(text: str, s: int, e: int) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text[s:e])


def split_sentences(text: str, keep_together: Iterable[tuple[int, int]] = ()) -> list[Span]:
    """Split `text` into sentences (trimmed spans).

    Every line break ends a sentence (paragraphs are separated by blank lines; the title is its
    own line). Inside a line, terminators of many scripts end a sentence, except after an
    abbreviation or before a lower-case word. A piece without letters or digits (". . .") is
    attached to the previous sentence. No boundary is placed strictly inside one of the
    `keep_together` ranges (entity spans, triggers), so an annotation never straddles two rows.
    """
    cuts: list[int] = []
    line_start = 0
    n = len(text)
    while line_start <= n:
        nl = text.find("\n", line_start)
        line_end = n if nl == -1 else nl
        cuts.append(line_start)
        cuts.extend(_sentence_breaks(text, line_start, line_end))
        if nl == -1:
            break
        line_start = nl + 1
    protected = sorted((s, e) for s, e in keep_together if e > s)
    if protected:
        cuts = [c for c in cuts if not any(s < c < e for s, e in protected)]
    bounds = [*sorted(set(cuts)), n]
    out: list[Span] = []
    for a, b in itertools.pairwise(bounds):
        s, e = a, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        if out and not _has_content(text, s, e) and "\n" not in text[out[-1].end : s]:
            out[-1] = Span(out[-1].start, e)
            continue
        out.append(Span(s, e))
    return out
