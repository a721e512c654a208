"""Cleaning one page: lines → metadata fields, boilerplate drops with reasons, paragraphs.

Steps, in order (a line keeps the first reason that drops it):
1. metadata lines: a leading "date 2024-06-24" field (stripped), "Source : <url>" lines,
   date lines ("Publié le 3 mars 2024") → `published`, `url`;
2. line filters (filters.LINE_FILTERS): empty, share-buttons, comment-count, comment-form, ads,
   newsletter, lorem-ipsum, category-list, navigation;
3. language of every kept line (fastText); document language = majority of kept characters;
   short lines not surely in the document's language: lingua's language, and
   foreign-ui-string when lingua is confident of another language than the document's;
4. block filters: related-list (a related-articles heading and the short lines after it),
   author-bio (an "About the author" block, or a bio line in the last lines);
5. repeated-title: the first kept line repeated as the next kept line is the title, kept once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rukp.ingest import filters, langid, metadata

MIN_BODY_CHARS = 100  # a page with fewer body characters left has "no article"
FOREIGN_MIN_CONFIDENCE = 0.5  # the other language must be this likely …
FOREIGN_MAX_DOC_CONFIDENCE = 0.2  # … and the document's language this unlikely
BIO_TAIL_LINES = 3
ARTICLE_LINE_WORDS = 8
SAMPLE_CHARS = 250  # "short" mode: the document language is detected on this much long text
PARAGRAPH_LANGUAGE_MODES = ("all", "short")


@dataclass(slots=True)
class Line:
    number: int  # 1-based line number in the raw file
    text: str
    reason: str | None = None
    language: str | None = None
    sure: bool = False  # fastText's probability for `language` is at least langid.SHORT_SURE


@dataclass(slots=True)
class Drop:
    line: int
    reason: str
    text: str


@dataclass(slots=True)
class Cleaned:
    text: str
    title: str | None
    language: str | None
    paragraphs: list[tuple[int, int, str | None]]
    published: str | None
    url: str | None
    drops: list[Drop] = field(default_factory=list)
    body_chars: int = 0


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _metadata(lines: list[Line], drops: list[Drop]) -> tuple[str | None, str | None]:
    published: str | None = None
    url: str | None = None
    for line in lines:
        prefix, date, rest = metadata.split_date_prefix(line.text)
        if prefix:
            drops.append(Drop(line.number, "date-line", prefix))
            published = published or date
            line.text = rest
        source = metadata.parse_source_line(line.text)
        if source:
            line.reason = "source-line"
            url = url or source
            continue
        is_date, date = metadata.parse_date_line(line.text)
        if is_date:
            line.reason = "date-line"
            published = published or date
    return published, url


def _majority_language(lines: list[Line]) -> str | None:
    chars: Counter[str] = Counter()
    for line in lines:
        if line.language:
            chars[line.language] += len(line.text)
    if not chars:
        return None
    return min(chars.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _short_lines(kept: list[Line], language: str | None) -> None:
    """Short lines (langid.is_short) get lingua's language unless fastText already put them in
    the document's language with probability langid.SHORT_SURE or more; of those that go to
    lingua, a line confidently in another language than the document's is a foreign UI string
    (lingua's confidences on a few words are what this needs; asking it only about doubtful
    lines spares its 0.3-2 ms on every headline)."""
    for line in kept:
        if not langid.is_short(line.text):
            continue
        if language is not None and line.sure and line.language == language:
            continue
        conf = langid.confidences(line.text)
        line.language = langid.most_confident(conf)
        if language is None or not conf:
            continue
        top = max(conf.items(), key=lambda kv: (kv[1], kv[0]))
        if (
            top[0] != language
            and top[1] >= FOREIGN_MIN_CONFIDENCE
            and conf.get(language, 0.0) < FOREIGN_MAX_DOC_CONFIDENCE
        ):
            line.reason = "foreign-ui-string"


def _related(kept: list[Line]) -> None:
    """A related heading drops the short lines after it only once the article has begun (a
    line of ARTICLE_LINE_WORDS words or more came before): at the top of a page it drops only
    itself, so that a short article after a stray "Read more" is never taken for links."""
    i = 0
    started = False
    while i < len(kept):
        heading, inline = filters.related_heading(kept[i].text)
        if inline or (heading and not started):
            kept[i].reason = "related-list"
        elif heading:
            j = i + 1
            while j < len(kept) and filters.is_short(kept[j].text):
                j += 1
            if j == len(kept) or j - i <= 6:  # a tail block, or a short box inside the body
                for line in kept[i:j]:
                    line.reason = "related-list"
                i = j
                continue
        started = started or len(kept[i].text.split()) >= ARTICLE_LINE_WORDS
        i += 1


def _author_bio(kept: list[Line]) -> None:
    for i, line in enumerate(kept):
        if filters.bio_heading(line.text):
            line.reason = "author-bio"
            if i + 1 < len(kept) and filters.is_short(kept[i + 1].text, 60, 400):
                kept[i + 1].reason = "author-bio"
    live = [line for line in kept if line.reason is None]
    for line in live[-BIO_TAIL_LINES:]:
        if len(live) > 1 and (filters.fragment_bio(line.text) or filters.bio_sentence(line.text)):
            line.reason = "author-bio"


def _line_languages(pages: list[list[Line]], mode: str) -> None:
    """fastText's language for the kept lines of several pages, each distinct text once per
    page (short lines may get lingua's later, see _short_lines).

    fastText runs on all the pages' lines one after another: its model stays in CPU cache,
    which halves its time per paragraph against interleaving it with the rest of the cleaning.
    In "short" mode, lines of langid.LONG_CHARS characters or more are left without language.
    """
    for kept in pages:
        seen: dict[str, tuple[str | None, float]] = {}  # a repeated line (a title) is run once
        for line in kept:
            if mode == "all" or len(line.text) < langid.LONG_CHARS:
                if line.text not in seen:
                    seen[line.text] = langid.fasttext_language(line.text)
                line.language, prob = seen[line.text]
                line.sure = prob >= langid.SHORT_SURE


def _document_language(kept: list[Line], mode: str) -> str | None:
    """The document language. "all": the language with the most kept characters. "short":
    one call on up to SAMPLE_CHARS of the long lines (which have no language of their own)."""
    if mode != "all":
        long_text = [line.text for line in kept if len(line.text) >= langid.LONG_CHARS]
        if long_text:
            return langid.detect("\n".join(long_text)[:SAMPLE_CHARS])
    return _majority_language(kept)


@dataclass(slots=True)
class _Page:
    lines: list[Line]
    drops: list[Drop]
    published: str | None
    url: str | None

    def kept(self) -> list[Line]:
        return [line for line in self.lines if line.reason is None]


# filters.line_reason, its verdicts remembered for short lines as lingua's answers are
_line_reason = langid.cache_short_lines(filters.line_reason)


def _prepare(text: str) -> _Page:
    """Steps 1 and 2: metadata lines and line filters."""
    lines = [Line(n, t) for n, t in enumerate(text.split("\n"), 1) if t]
    drops: list[Drop] = []
    published, url = _metadata(lines, drops)
    for line in lines:
        if line.reason is None:
            line.reason = _line_reason(line.text)
    return _Page(lines, drops, published, url)


def _finish(page: _Page, paragraph_language: str) -> Cleaned:
    """Steps 3 (document language, foreign UI strings) to 5, once line languages are set."""
    language = _document_language(page.kept(), paragraph_language)
    _short_lines(page.kept(), language)
    _related(page.kept())
    _author_bio(page.kept())
    body = page.kept()
    title: str | None = None
    if len(body) >= 2 and _key(body[0].text) == _key(body[1].text):
        title = body[0].text
        body[1].reason = "repeated-title"
        body = page.kept()
    drops = page.drops
    for line in page.lines:
        if line.reason:
            drops.append(Drop(line.number, line.reason, line.text))
    drops.sort(key=lambda d: d.line)
    paragraphs: list[tuple[int, int, str | None]] = []
    pos = 0
    for line in body:
        paragraphs.append((pos, pos + len(line.text), line.language))
        pos += len(line.text) + 2
    body_chars = sum(len(line.text) for line in (body[1:] if title else body))
    return Cleaned(
        text="\n\n".join(line.text for line in body),
        title=title,
        language=(_majority_language(body) if paragraph_language == "all" else None) or language,
        paragraphs=paragraphs,
        published=page.published,
        url=page.url,
        drops=drops,
        body_chars=body_chars,
    )


def clean_many(texts: list[str], paragraph_language: str = "all") -> list[Cleaned]:
    """Clean several normalised page texts; the same result as `clean` on each, faster."""
    pages = [_prepare(text) for text in texts]
    _line_languages([page.kept() for page in pages], paragraph_language)
    return [_finish(page, paragraph_language) for page in pages]


def clean(text: str, paragraph_language: str = "all") -> Cleaned:
    """Clean normalised page text (see the module docstring for the steps)."""
    return clean_many([text], paragraph_language)[0]
