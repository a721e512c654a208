"""A scraped page as lines: text scrapes line by line, HTML pages block by block.

Text pages (`.txt`): one line per raw line (normalised; empty lines skipped), numbered as in the
file. HTML pages (`.html`): the visible text, one line per block element (paragraph, heading,
list item, caption, table cell, ...), in document order, numbered by block; scripts, styles,
templates and hidden elements are removed. Each HTML line keeps what the markup says about it
(its block tag, its landmark ancestors, class/id words, the share of its text inside links), which
the line model uses as evidence next to the text itself; metadata (title, date, URL) comes from
trafilatura's metadata extraction, and trafilatura's own main-text extraction is kept as one
more piece of evidence per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rukp.ingest.decode import normalise

# Block-level elements: each starts a new line.
BLOCK_TAGS = frozenset(
    "p div section article aside header footer nav main li ul ol dl dt dd h1 h2 h3 h4 h5 h6 "
    "blockquote figure figcaption table tr td th thead tbody caption form fieldset legend "
    "address pre hr br details summary dialog menu option select button label time".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Elements whose text is never visible page text.
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "head", "math")
LANDMARKS = ("nav", "header", "footer", "aside", "article", "main", "figure", "form")
_CLASS_WORD = re.compile(r"[a-z]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Line:
    number: int  # 1-based raw line (text pages) or block number (HTML pages)
    text: str
    tag: str | None = None  # HTML: the block element the line comes from
    landmarks: frozenset[str] = frozenset()  # HTML: landmark ancestors (nav, footer, ...)
    class_words: frozenset[str] = frozenset()  # HTML: words of ancestors' class/id attributes
    link_share: float = 0.0  # HTML: share of the line's characters inside <a>
    in_extract: bool = False  # HTML: the line is in trafilatura's main-text extraction


@dataclass(slots=True)
class Page:
    lines: list[Line]
    format: str  # "txt" or "html"
    meta_title: str | None = None
    meta_date: str | None = None
    meta_url: str | None = None
    warnings: list[str] = field(default_factory=list)
    date_declared: bool = False  # HTML: meta_date is the markup's declared publication date


def read_page(name: str, text: str) -> Page:
    """A decoded raw page as lines: HTML when the file name ends in .html/.htm, else text."""
    if name.lower().endswith((".html", ".htm")):
        return html_page(text)
    return text_page(normalise(text))


def text_page(text: str) -> Page:
    """A normalised text scrape as lines."""
    return Page([Line(n, t) for n, t in enumerate(text.split("\n"), 1) if t], "txt")


def html_page(markup: str) -> Page:
    """An HTML page as block lines with their markup evidence and trafilatura's metadata."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return Page([], "html")
    meta_title, meta_date, meta_url, extract = _trafilatura(markup)
    declared = published_in_markup(root)
    meta_date = declared or meta_date
    meta_url = canonical_in_markup(root) or meta_url
    for bad in root.xpath("//" + " | //".join(DROP_TAGS)):
        bad.drop_tree()
    for el in root.xpath("//*[@hidden or @aria-hidden='true' or @style]"):
        if (
            el.get("hidden") is not None
            or el.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(el.get("style") or "")
        ):
            if el.getparent() is not None:
                el.drop_tree()
    builder = _Builder()
    body = root.find("body")
    builder.walk(body if body is not None else root, (), frozenset(), False)
    builder.flush()
    extract_lines = {_key(x) for x in (extract or "").split("\n") if x.strip()}
    lines = []
    for n, (text, tag, marks, words, link_share) in enumerate(builder.lines, 1):
        text = normalise(text).strip()
        if not text:
            continue
        lines.append(
            Line(n, text, tag, marks, words, link_share, in_extract=_key(text) in extract_lines)
        )
    return Page(lines, "html", meta_title, meta_date, meta_url, date_declared=declared is not None)


_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//*[@itemprop='datePublished']/@content",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='publish-date']/@content",
    "//meta[@property='og:published_time']/@content",
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2})')


def published_in_markup(root) -> str | None:
    """The publication date the markup declares (article:published_time, itemprop
    datePublished, JSON-LD datePublished), as YYYY-MM-DD; never the modification date."""
    for xpath in _PUBLISHED_XPATH:
        for value in root.xpath(xpath):
            match = _ISO_DATE.match(str(value).strip())
            if match:
                return match.group(0)
    for script in root.xpath("//script[@type='application/ld+json']/text()"):
        match = _LD_PUBLISHED.search(script)
        if match:
            return match.group(1)
    return None


def canonical_in_markup(root) -> str | None:
    """The page's own address: <link rel=canonical>, else og:url."""
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        for value in root.xpath(xpath):
            value = str(value).strip()
            if value.startswith(("http://", "https://")):
                return value
    return None


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _trafilatura(markup: str) -> tuple[str | None, str | None, str | None, str | None]:
    """trafilatura's metadata (title, date, URL) and its main-text extraction of the page."""
    import trafilatura

    meta = trafilatura.extract_metadata(markup)
    text = trafilatura.extract(markup, favor_recall=True, include_comments=False)
    if meta is None:
        return None, None, None, text
    date = meta.date[:10] if meta.date and len(meta.date) >= 10 else None
    return meta.title or None, date, meta.url or None, text


class _Builder:
    """Collects the text of block elements in document order."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str | None, frozenset[str], frozenset[str], float]] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.context: tuple[str | None, frozenset[str], frozenset[str]] = (
            None,
            frozenset(),
            frozenset(),
        )

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.parts)).strip()
        if text:
            tag, marks, words = self.context
            share = min(1.0, self.link_chars / len(text))
            self.lines.append((text, tag, marks, words, share))
        self.parts, self.link_chars = [], 0

    def walk(self, el, marks: tuple[str, ...], words: frozenset[str], in_link: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comments, processing instructions
            if el.tail:
                self._data(el.tail, in_link)
            return
        tag = tag.lower()
        attrs = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}".lower()
        if attrs.strip():
            words = words | frozenset(_CLASS_WORD.findall(attrs))
        if tag in LANDMARKS:
            marks = (*marks, tag)
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
            self.context = (tag, frozenset(marks), words)
        link = in_link or tag == "a"
        if el.text:
            self._data(el.text, link)
        for child in el:
            self.walk(child, marks, words, link)
            if block:
                self.context = (tag, frozenset(marks), words)
        if block:
            self.flush()
        if el.tail:
            self._data(el.tail, in_link)

    def _data(self, text: str, in_link: bool) -> None:
        self.parts.append(text)
        if in_link:
            self.link_chars += len(text.strip())
