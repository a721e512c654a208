"""Sentence splitting, tokenisation and BIO tags on code-point offsets of a cleaned text.

Sentences come from the shared `rukp.sentences` (re-exported here); tokens and tags are the build's.

Everything here works on `(start, end)` offsets into the document text, so the release rows
can always be checked against the character spans of the gold. Tokenisation is by Unicode
category (letters+marks, digits, one token per punctuation/symbol, one per Han/Kana
character) and is forced to split at every entity boundary, even inside a glued token such as
"LavrovLa" (a caption that ran into the body).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from rukp.sentences import Span, split_sentences

__all__ = ["Span", "bio_tags", "decode_bio", "split_sentences", "tokenize"]


def _char_class(ch: str) -> str:
    """Token class of one character: 'w' word, 'd' digit, 's' space, 'p' single-char token."""
    if ch.isspace():
        return "s"
    cat = unicodedata.category(ch)
    if cat[0] == "L" or cat[0] == "M":
        if cat == "Lo" and _is_ideograph(ch):
            return "p"
        return "w"
    if cat == "Nd":
        return "d"
    if cat[0] == "N":
        return "w"
    if cat == "Cf":
        return "w"  # ZWNJ/ZWJ/soft hyphen sit inside words (Persian, Indic scripts)
    return "p"


def _is_ideograph(ch: str) -> bool:
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF  # Hiragana, Katakana
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
        or 0x0E00 <= o <= 0x0E7F  # Thai has no spaces between words: one token per char
    )


def tokenize(
    text: str, start: int = 0, end: int | None = None, boundaries: Iterable[int] = ()
) -> list[Span]:
    """Tokens of `text[start:end]` as absolute spans.

    Runs of letters/marks and runs of digits are tokens; every other visible character is a token
    of its own; whitespace separates. A token is also cut at each offset in `boundaries`
    (entity starts and ends), so "LavrovLa" with an entity ending after "Lavrov" gives two tokens.
    """
    end = len(text) if end is None else end
    cut = {b for b in boundaries if start < b < end}
    tokens: list[Span] = []
    i = start
    while i < end:
        cls = _char_class(text[i])
        if cls == "s":
            i += 1
            continue
        j = i + 1
        if cls in ("w", "d"):
            while j < end and j not in cut and _char_class(text[j]) == cls:
                j += 1
        tokens.append(Span(i, j))
        i = j
    return tokens


def bio_tags(tokens: Sequence[Span], entities: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tag names from character spans: B- on the token starting a span, I- inside, else O.

    Tokens must already be cut at every span boundary (see `tokenize`); a token straddling a
    boundary raises ValueError rather than produce a silently wrong tag.
    """
    tags = ["O"] * len(tokens)
    for s, e, typ in sorted(entities):
        inside = [k for k, t in enumerate(tokens) if t.start < e and t.end > s]
        for k in inside:
            t = tokens[k]
            if t.start < s or t.end > e:
                raise ValueError(f"token {t} straddles the span ({s}, {e}, {typ})")
            tags[k] = ("B-" if k == inside[0] else "I-") + typ
    return tags


def decode_bio(tokens: Sequence[Span], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans back from BIO tags (IOB2: a span starts at B-, an orphan I- starts one)."""
    spans: list[tuple[int, int, str]] = []
    cur: list = []
    for tok, tag in zip(tokens, tags, strict=True):
        if tag == "O":
            if cur:
                spans.append(tuple(cur))  # type: ignore[arg-type]
                cur = []
            continue
        prefix, typ = tag.split("-", 1)
        if prefix == "I" and cur and cur[2] == typ:
            cur[1] = tok.end
            continue
        if cur:
            spans.append(tuple(cur))  # type: ignore[arg-type]
        cur = [tok.start, tok.end, typ]
    if cur:
        spans.append(tuple(cur))  # type: ignore[arg-type]
    return spans
