"""Cleaning one page: lines → body paragraphs, title, date, URL, language; every drop with a reason.

Steps:
1. lines (rukp.ingest.page): text scrapes line by line, HTML block by block; a line where
   furniture is glued to prose without a space is cut in two (features.split_glued);
2. the page language: fastText on the page's longest lines;
3. features of every line (rukp.ingest.features) and the line model (rukp.ingest.model): body
   lines are those the two-pass model scores at or above its threshold;
4. the title: the best title candidate before the first body line (or the HTML metadata title);
5. the published date: full dates in furniture lines near the title, a date marked as an update
   never preferred over another ("Updated …" tails); HTML metadata when the lines hold none;
6. the page's own URL: a line that names it ("Source: https://…", "Permalink: …"), or the HTML
   canonical/og:url;
7. is it an article? A page whose body holds fewer than MIN_PROSE_LINES lines of running text or
   fewer than MIN_BODY_WORDS words is not: no document, and the reason goes to the report;
8. each dropped line keeps a reason: the furniture its cues say it is, else where it lies.
The document text is the title, a blank line, then the body paragraphs separated by blank lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rukp.ingest import langid
from rukp.ingest.features import LineInfo, page_features, split_glued
from rukp.ingest.metadata import split_date_prefix
from rukp.ingest.model import LineModel, context_features, load_model, title_like, title_rows
from rukp.ingest.page import Line, Page, text_page

MIN_PROSE_LINES = 2  # an article has at least this many body lines of running text …
MIN_BODY_WORDS = 60  # … and this many words (CJK: characters / 2.5) in its body
PROSE_LINE_WORDS = 8  # a line of running text: this many words or more, ending a sentence
MAX_INLINE_RUN = 3  # plain lines between two body lines (subheadings, list items) …
SUBHEAD_WORDS = 8  # … each short or not ending like a sentence
DATE_WINDOW = 12  # dates are read on furniture lines at most this far from the title
# Drop reasons named by a line's furniture cues, in order of precedence.
CUE_REASONS = (
    ("cookie", "cookie-notice"), ("newsletter", "newsletter"), ("share", "share-buttons"),
    ("ads", "ads"), ("caption", "caption"), ("comments", "comments"), ("related", "related-list"),
    ("byline", "byline"), ("source", "source-line"), ("tags", "tags"), ("readtime", "counters"),
    ("media", "media-player"), ("donate", "donation-or-paywall"), ("legal", "legal-footer"),
    ("error", "error-notice"), ("notice", "editorial-notice"), ("breaking", "news-ticker"),
    ("navigation", "navigation"),
)  # fmt: skip


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
    is_article: bool = True
    not_article_reason: str | None = None
    body_lines: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Scored:
    """A page after the line model: what the metadata steps and the evaluation need."""

    page: Page
    language: str | None
    infos: list[LineInfo]
    rows: np.ndarray
    p2: np.ndarray
    body: list[int]
    title: int | None


def split_lines(page: Page) -> Page:
    """The page with glued lines cut (each part keeps the raw line's number and markup)."""
    lines: list[Line] = []
    for line in page.lines:
        prefix, _, rest = split_date_prefix(line.text)
        parts = [prefix, *split_glued(rest, None)] if prefix else split_glued(line.text, None)
        if len(parts) == 1:
            lines.append(line)
            continue
        for part in parts:
            lines.append(
                Line(line.number, part, line.tag, line.landmarks, line.class_words,
                     line.link_share, line.in_extract)  # fmt: skip
            )
    return Page(lines, page.format, page.meta_title, page.meta_date, page.meta_url, page.warnings)


def score(page: Page, templates: frozenset[str] = frozenset(), model: LineModel | None = None) -> Scored:
    model = model or load_model()
    page = split_lines(page)
    texts = [line.text for line in page.lines]
    language = langid.page_language(texts)
    rows_list, infos = page_features(page, language, templates)
    rows = np.array(rows_list, dtype=float).reshape(len(rows_list), len(model.local_names))
    if not infos:
        return Scored(page, language, infos, rows, np.zeros(0), [], None)
    p1 = model.pass1(rows)
    p2 = model.pass2(rows, context_features(p1, infos))
    body = [i for i in range(len(infos)) if p2[i] >= model.threshold]
    title = choose_title(page, rows, infos, p2, body, model)
    if title is not None and title in body:
        body.remove(title)
    body = _between_body(infos, body, title)
    body = _standfirst(infos, body, title)
    return Scored(page, language, infos, rows, p2, body, title)


def _plain(info: LineInfo) -> bool:
    """No furniture cue, no date, no address: nothing but text."""
    return not info.concepts and not info.dates and "@" not in info.key and "http" not in info.key


def _between_body(infos: list[LineInfo], body: list[int], title: int | None) -> list[int]:
    """Subheadings and list items: a run of at most MAX_INLINE_RUN plain lines between two body
    lines is body when none of them ends like a sentence of its own (a caption does) or each is
    at most SUBHEAD_WORDS words."""
    keep = set(body)
    ordered = sorted(keep)
    for a, b in zip(ordered, ordered[1:], strict=False):
        run = range(a + 1, b)
        if not 0 < len(run) <= MAX_INLINE_RUN or title in run:
            continue
        if all(_plain(infos[i]) and _subhead_like(infos[i]) for i in run):
            keep.update(run)
    return sorted(keep)


def _subhead_like(info: LineInfo) -> bool:
    if info.words <= SUBHEAD_WORDS:
        return True
    return not info.key.rstrip("\"'”’»)").endswith((".", "。"))


def _standfirst(infos: list[LineInfo], body: list[int], title: int | None) -> list[int]:
    """The line right after the title is the standfirst when it is plain running text."""
    if title is None or title + 1 >= len(infos) or title + 1 in body:
        return body
    info = infos[title + 1]
    if _plain(info) and info.words >= PROSE_LINE_WORDS and info.key != infos[title].key:
        return sorted([*body, title + 1])
    return body


def choose_title(
    page: Page, rows: np.ndarray, infos: list[LineInfo], p2: np.ndarray, body: list[int],
    model: LineModel,
) -> int | None:  # fmt: skip
    cands, feats = title_rows(page, rows, infos, p2, body, model.local_names)
    if not cands:
        return None
    scores = feats @ model.wt
    best = int(np.argmax(scores))
    i = cands[best]
    if title_like(infos[i], rows[i], scored_cols()) or page.lines[i].tag == "h1":
        return i
    return None


def choose_date(scored: Scored) -> str | None:
    """The publication date: a date in a furniture line near the title, preferring one cued as
    published and never one cued as an update while another is available."""
    infos, body = scored.infos, set(scored.body)
    anchor = scored.title if scored.title is not None else (scored.body[0] if scored.body else 0)
    found: list[tuple[int, float, str]] = []  # (rank class, distance, iso)
    for i, info in enumerate(infos):
        if not info.dates or (i in body and info.words > 25):
            continue
        dist = (i - anchor) if i >= anchor else (anchor - i) + 0.5
        if dist > DATE_WINDOW:
            continue
        text = scored.page.lines[i].text.casefold()
        previous_end = 0
        for found_date in info.dates:
            before = text[previous_end : found_date.start]
            previous_end = found_date.end
            updated = _has_cue(before, "updated")
            published = _has_cue(before, "published")
            klass = 0 if published and not updated else (2 if updated else 1)
            found.append((klass, dist + found_date.start / 1000, found_date.iso))
    if scored.page.format == "html" and scored.page.meta_date:
        return scored.page.meta_date
    if found:
        return min(found)[2]
    return scored.page.meta_date


def _has_cue(text: str, concept: str) -> bool:
    from rukp.ingest.features import _TOKEN, _concept_hits

    low = " ".join(text.split())
    return concept in _concept_hits(low, _TOKEN.findall(low))[0]


def choose_url(scored: Scored) -> str | None:
    """The page's own URL: HTML canonical/og:url, else a line that names it with a source or
    permalink cue and no related-article cue."""
    if scored.page.meta_url:
        return scored.page.meta_url
    from rukp.ingest.features import _URL

    for i, info in enumerate(scored.infos):
        if i in scored.body or "source" not in info.concepts or "related" in info.concepts:
            continue
        match = _URL.search(scored.page.lines[i].text)
        if match:
            return match.group().rstrip(".,;)»”\"'")
    return None


def article_check(scored: Scored) -> str | None:
    """None for an article, else the reason the page is not one."""
    body = [scored.infos[i] for i in scored.body]
    prose = sum(1 for info in body if info.end_punct and info.words >= PROSE_LINE_WORDS)
    words = sum(info.words for info in body)
    if prose < MIN_PROSE_LINES:
        return f"no prose block: {prose} body line(s) of running text, at least {MIN_PROSE_LINES} needed"
    if words < MIN_BODY_WORDS:
        return f"too little body text: {words:.0f} words, at least {MIN_BODY_WORDS} needed"
    return None


def drop_reason(scored: Scored, i: int) -> str:
    info = scored.infos[i]
    if scored.title is not None and info.key == scored.infos[scored.title].key:
        return "repeated-title"
    if scored.rows[i][scored_col("template")]:
        return "site-template"
    for concept, reason in CUE_REASONS:
        if concept in info.concepts:
            return reason
    if info.dates and scored.rows[i][scored_col("date_cover")] > 0.3:
        return "date-line"
    return "not-body"


_COLS: dict[str, int] = {}


def scored_cols() -> dict[str, int]:
    if not _COLS:
        from rukp.ingest.features import local_names

        _COLS.update({n: k for k, n in enumerate(local_names())})
    return _COLS


def scored_col(name: str) -> int:
    return scored_cols()[name]


def finish(scored: Scored) -> Cleaned:
    page, infos = scored.page, scored.infos
    reason = article_check(scored)
    title = page.lines[scored.title].text if scored.title is not None else None
    body_lines = [page.lines[i].text for i in scored.body]
    drops: list[Drop] = []
    kept = set(scored.body)
    for i, line in enumerate(page.lines):
        if i in kept or i == scored.title:
            continue
        drops.append(Drop(line.number, drop_reason(scored, i), line.text))
    paragraphs_text = ([title] if title else []) + body_lines
    paragraphs: list[tuple[int, int, str | None]] = []
    pos = 0
    for text in paragraphs_text:
        paragraphs.append((pos, pos + len(text), langid.detect(text)))
        pos += len(text) + 2
    return Cleaned(
        text="\n\n".join(paragraphs_text),
        title=title,
        language=scored.language,
        paragraphs=paragraphs,
        published=choose_date(scored),
        url=choose_url(scored),
        drops=drops,
        body_chars=sum(len(x) for x in body_lines),
        is_article=reason is None,
        not_article_reason=reason,
        body_lines=body_lines,
    )


def clean_page(
    page: Page, templates: frozenset[str] = frozenset(), model: LineModel | None = None
) -> Cleaned:
    return finish(score(page, templates, model))


def clean(text: str) -> Cleaned:
    """Clean a normalised text scrape."""
    return clean_page(text_page(text))
