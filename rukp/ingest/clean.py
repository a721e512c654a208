"""Cleaning one page: lines → body paragraphs, title, date, URL, language; every drop with a reason.

Steps:
1. lines (rukp.ingest.page): text scrapes line by line, HTML block by block; a line where
   furniture is glued to prose without a space is cut in two (features.split_glued);
2. the page language: fastText on the page's longest lines;
3. features of every line (rukp.ingest.features) and the line model (rukp.ingest.model): body
   lines are those the two-pass model scores at or above its threshold;
4. the title: the best title candidate before the first body line (always a line of the page; on
   HTML pages the metadata title is one of the title features);
5. the published date: full dates in furniture lines near the title, a date marked as an update
   never preferred over another ("Updated …" tails); on HTML pages the metadata date comes first,
   on text pages it is used when the lines hold none;
6. the page's own URL: a line that names it ("Source: https://…", "Permalink: …"), or the HTML
   canonical/og:url;
7. is it an article? A page whose body holds fewer than MIN_SENTENCES sentences of running text or
   fewer than MIN_BODY_WORDS words is not: no document, and the reason goes to the report;
8. each dropped line keeps a reason: the furniture its cues say it is, else where it lies.
The document text is the title, a blank line, then the body paragraphs separated by blank lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from rukp.ingest import langid
from rukp.ingest.features import (
    _DIGIT,
    _SENTENCE_FINAL,
    _TOKEN,
    CLASS_GROUPS,
    LineInfo,
    _concept_hits,
    anywhere_concepts,
    anywhere_present,
    credit_names,
    cues,
    line_key,
    normalise_key,
    page_features,
    split_glued,
)
from rukp.ingest.metadata import split_date_prefix
from rukp.ingest.model import (
    TITLE_NAMES,
    LineModel,
    context_features,
    load_model,
    title_like,
    title_rows,
)
from rukp.ingest.page import Line, Page, text_page

MIN_SENTENCES = 3  # an article has at least this many sentences of running text …
MIN_BODY_WORDS = 40  # … and this many words (CJK: characters / 2.5) in its body …
INTRO_LINES = 3  # … and a body of at most this many lines needs …
INTRO_WORDS = 150  # … this many words when the page holds INTRO_HEADLINES headline-like lines …
INTRO_HEADLINES = 10  # … of HEADLINE_WORDS words or more outside the body (a hub's, a profile's
HEADLINE_WORDS = 5  # or a podcast's introduction above its list of linked headlines)
PROSE_LINE_WORDS = 8  # a line of running text: this many words or more, ending a sentence
NOTICE_SHARE = 0.3  # notice lines in the text block that make the page a notice
NOTICE_CONCEPTS = frozenset({"cookie", "legal", "error", "newsletter", "donate"})
WALL_DENSITY = 7  # notice lines on the whole page per 100 body words that make a short body …
WALL_WORDS = 300  # … (fewer words than this) the teaser of a consent, sign-up or login wall
TEASER_SHARE = 0.5  # standalone body lines after headlines that make the page a list of teasers
MIN_TEASERS = 3
GALLERY_SHARE = 0.6  # body lines next to a photo caption or credit that make the page a gallery
CAPTION_WORDS = 20  # … counting body lines shorter than this (a longer one is the article's prose)
SITE_HEADING_WORDS = 3  # a heading this short that the page repeats (a menu item), and no date …
SITE_HEADING_CUES = frozenset({"navigation", "legal"})  # … with no cue but these (no byline, share)
LOGIN_LINES = 4  # lines with a login cue above the last body line that make a login wall
COMMENT_SHARE = 0.5  # comment-cue lines among the body lines (per body line): a comment thread
DATED_SHARE = 0.4  # dated lines among the body lines (per body line) that make it a list of teasers
SCATTERED_LINES = 6  # a body of fewer lines, each two 2+ lines apart: no prose block
SUBHEAD_REACH = 6
WEAK = 0.3  # hysteresis: a paragraph scored this high joins the body next to it …
GAP_LINES = 2  # … across at most this many lines …
GAP_WORDS = 3  # … of at most this many words
FAINT = 0.02  # a paragraph scored this high joins the same way when it is long …
LONG_PROSE_WORDS = 15  # … (this many words), or in a run of RUN_LINES paragraphs …
RUN_LINES = 2  # … next to the body across furniture lines (a "read also" line, an ad label) …
BOX_WORDS = 15  # … of at most this many words
MAX_INLINE_RUN = 4
LIST_INTRO_WORDS = 4  # a sentence announcing a list ("… the treaty provides for:") …
MAX_LIST_ITEMS = 12  # … and at most this many items after it
LONG_PLAIN_WORDS = 25  # plain lines between two body lines (subheadings, list items) …
SUBHEAD_WORDS = 8  # … each short or not ending like a sentence
STANDFIRST_SKIP = 4  # lines of byline, date, reading time between the title and its standfirst
DATE_WINDOW = 15  # dates are read on furniture lines at most this far from the title
# Drop reasons named by a line's furniture cues, in order of precedence.
CUE_REASONS = (
    ("cookie", "cookie-notice"), ("newsletter", "newsletter"), ("share", "share-buttons"),
    ("ads", "ads"), ("source", "source-line"), ("caption", "caption"), ("comments", "comments"),
    ("related", "related-list"), ("byline", "byline"), ("tags", "tags"), ("readtime", "counters"),
    ("media", "media-player"), ("donate", "donation-or-paywall"), ("legal", "legal-footer"),
    ("error", "error-notice"), ("notice", "editorial-notice"), ("breaking", "news-ticker"),
    ("placeholder", "placeholder-text"), ("login", "navigation"),
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
    model_body: list[int] = field(default_factory=list)  # before the structure rules
    # the body at the model's decision threshold (`threshold`), after the structure rules: what
    # the article check, the date and the URL go by; `body` is at `body_threshold`
    strict_body: list[int] | None = None
    # lines of up to ANYWHERE_WORDS words holding an "anywhere" noun or phrase: their concepts
    nouns: dict[int, set[str]] = field(default_factory=dict)
    bios: frozenset[int] = frozenset()  # lines of an author's bio after the article (_bios)
    boxes: frozenset[int] = frozenset()  # a sign-up box's pitch and heading (_signup_boxes)

    @property
    def decision_body(self) -> list[int]:
        return self.body if self.strict_body is None else self.strict_body


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
                Line(
                    line.number,
                    part,
                    line.tag,
                    line.landmarks,
                    line.class_words,
                    line.link_share,
                    line.in_extract,
                )
            )
    return Page(
        lines, page.format, page.meta_title, page.meta_date, page.meta_url, page.warnings,
        page.date_declared,
    )  # fmt: skip


def score(
    page: Page,
    templates: frozenset[str] = frozenset(),
    model: LineModel | None = None,
    language: str | None = None,
    split: bool = True,
) -> Scored:
    """Steps 1 to 4 on one page (`language` and `split=False` when the caller did them)."""
    model = model or load_model()
    if split:
        page = split_lines(page)
        language = langid.page_language([line.text for line in page.lines])
    rows, infos = page_features(page, language, templates)
    if not infos:
        return Scored(page, language, infos, rows, np.zeros(0), [], None)
    p1 = model.pass1(rows)
    p2 = model.pass2(rows, context_features(p1, infos))
    body = [i for i in range(len(infos)) if p2[i] >= model.threshold]
    nouns = _noun_lines(infos)
    # the title is looked for before the first body line that is no cookie or newsletter box
    title = choose_title(page, rows, infos, p2, [i for i in body if i not in nouns], model)
    # class words the headline's own element and ancestors carry are the page's, not a box's
    # (a WordPress <article class="… tag-korea category-world">): no evidence of furniture
    shared = page.lines[title].class_words if title is not None else frozenset()
    markup = [_plain_markup(line, shared) for line in page.lines]
    # a short line the page holds more than once outside its navigation, sidebars and footers is
    # no subheading or list item of the article (a live blog's "Key event" label, an entry's
    # author; a table of contents repeats the subheadings inside a <nav>)
    copies = Counter(
        info.key
        for info, ok in zip(infos, markup, strict=True)
        if ok and info.words <= SUBHEAD_WORDS
    )
    links = _linked_headlines(infos)
    plain = [
        _plain(info)
        and i not in nouns
        and markup[i]
        and not (info.words <= 60 and _credit_closes(line.text))
        and not (info.words <= SUBHEAD_WORDS and copies[info.key] > 1)
        and i not in links
        for i, (info, line) in enumerate(zip(infos, page.lines, strict=True))
    ]
    model_body = _model_body(page, infos, body, title, nouns, links)
    contents = _contents_entries(infos)
    headings = (
        frozenset(i for i, line in enumerate(page.lines) if line.tag in _SUBHEADING_TAGS) | contents
    )
    strict = body = _structure(infos, plain, p2, model_body, title, headings, contents)
    if model.body_threshold < model.threshold:
        # the body's own operating point: lines of running text (ending a sentence, at least
        # PROSE_LINE_WORDS words, not in a caption, navigation, sidebar, footer or form) down to
        # body_threshold, through the same steps
        wide = [
            i
            for i in range(len(infos))
            if p2[i] >= model.threshold
            or (p2[i] >= model.body_threshold and _prose(infos[i]) and markup[i])
        ]
        wide_model = _model_body(page, infos, wide, title, nouns, links)
        if wide_model != model_body:
            body = _structure(infos, plain, p2, wide_model, title, headings, contents)
    bios = _bios(infos, body, title)
    boxes = _signup_boxes(infos, body)
    if bios or boxes:
        body = [i for i in body if i not in bios and i not in boxes]
        strict = [i for i in strict if i not in bios and i not in boxes]
    return Scored(
        page, language, infos, rows, p2, body, title, model_body, strict, nouns, bios, boxes
    )


FORM_WORDS = 4  # a sign-up form's field or button: a line this short with a newsletter cue …
PITCH_WORDS = 25  # … right under a pitch of at most this many words …
BOX_HEADING_WORDS = 5  # … under the box's heading: a short line that ends no sentence


def _signup_boxes(infos: list[LineInfo], body: list[int]) -> frozenset[int]:
    """A sign-up box inside or after the article: a body line of at most PITCH_WORDS words
    between the box's heading and its form is the box's pitch ("Every Thursday, our editors'
    pick …"). The form is a newsletter-cued line of at most FORM_WORDS words right below, not
    body (an e-mail field, a "Sign up" button); the heading is the line right above: a newsletter
    cue's line of at most BOX_HEADING_WORDS words, or any line that short ending no sentence or
    with a question ("THE MERIDIAN BRIEF", "Never miss a post?"); a heading in the body goes
    with the pitch. A paragraph under another paragraph and over a button stays."""
    kept = set(body)
    out = set()
    for i in body:
        below = i + 1
        if i == 0 or below >= len(infos) or below in kept:
            continue
        form, pitch, head = infos[below], infos[i], infos[i - 1]
        if "newsletter" not in form.concepts or form.words > FORM_WORDS:
            continue
        if pitch.words > PITCH_WORDS or head.words > BOX_HEADING_WORDS:
            continue
        if not ("newsletter" in head.concepts or not head.end_punct or head.key.endswith("?")):
            continue
        out.add(i)
        if i - 1 in kept:
            out.add(i - 1)
    return frozenset(out)


BIO_LINES = 3  # an author's bio is looked for among the body's last lines …
NAME_LINE_WORDS = 6  # … by the name on a byline of at most this many words after the title
BYLINE_REACH = 2  # … with a cue, or one of this many lines after it


def _bios(infos: list[LineInfo], body: list[int], title: int | None) -> frozenset[int]:
    """Lines of an author's bio or signature after the article: among the body's last BIO_LINES
    lines, those that open with two neighbouring words of a byline after the title, not in the
    body ("Interview by Daniel Okafor" … "Daniel Okafor is a senior editor …"), and a line that
    is only such a name right above one of them. A byline is a short line (at most
    NAME_LINE_WORDS words, not navigation) with a byline or picture-credit cue ("Tekst … · Beeld
    …"), or one of the BYLINE_REACH lines after the title without digits; its names are its
    pairs of neighbouring words of letters other than byline cues. Also (2.7.2) a heading with a
    bio cue ("About the author", "Over de auteurs", "필자 소개") after two or more body lines,
    with the body lines under it when they are at most BIO_LINES."""
    if title is None or len(body) < 2:
        return frozenset()
    names = set()
    kept = set(body)
    for i in range(title + 1, min(body[-BIO_LINES:])):
        info = infos[i]
        if i in kept:
            continue
        if info.words > NAME_LINE_WORDS or "navigation" in info.concepts:
            continue
        cued = info.concepts & {"byline", "caption"}
        if not cued and (i > title + BYLINE_REACH or _DIGIT.search(info.key)):
            continue
        words = [w for w in _TOKEN.findall(info.key) if not _byline_word(w)]
        names.update((a, b) for a, b in pairwise(words) if a.isalpha() and b.isalpha())
    out = set()
    # under a heading "About the author" (at most BOX_HEADING_WORDS words) after two or more
    # body lines, the body's last lines (at most BIO_LINES) are bios, and the heading with them
    for i in range(body[1] + 1, body[-1]):
        info = infos[i]
        if info.words > BOX_HEADING_WORDS or "bio" not in info.start:
            continue
        after = [j for j in body if j > i]
        if len(after) <= BIO_LINES:
            out.update(after)
            out.add(i)
        break
    if not names:
        return frozenset(out)
    for i in body[-BIO_LINES:]:
        words = _TOKEN.findall(infos[i].key[:80])
        if i != body[0] and len(words) >= 2 and (words[0], words[1]) in names:
            out.add(i)
            above = tuple(_TOKEN.findall(infos[i - 1].key)) if i - 1 in kept else ()
            if i - 1 != body[0] and len(above) == 2 and above in names:
                out.add(i - 1)  # the name alone above its bio
    return frozenset(out)


def _byline_word(word: str) -> bool:
    """A word that cues a byline ("by", "door", "autor"), not part of a name."""
    c = cues()
    return "byline" in c.words.get(word, ()) or "byline" in c.start_words.get(word, ())


def _prose(info: LineInfo) -> bool:
    return info.end_punct and info.words >= PROSE_LINE_WORDS


def _model_body(
    page: Page,
    infos: list[LineInfo],
    body: list[int],
    title: int | None,
    nouns: dict[int, set[str]],
    links: frozenset[int] = frozenset(),
) -> list[int]:
    """The line model's body lines without the title and its copies, without furniture and
    without the linked headlines under a "read also" label (_linked_headlines)."""
    if title is not None:
        body = [i for i in body if infos[i].key != infos[title].key]  # the title and its copies
    return [
        i
        for i in body
        if i not in nouns and i not in links and not _furniture(page.lines[i].text, infos[i])
    ]


RELATED_LABEL_WORDS = 4  # a "read also" label: a related cue opening a line of this many words …
MAX_LINKS = 5  # … over at most this many linked headlines, each of LINK_WORDS words or more
LINK_WORDS = 7


def _linked_headlines(infos: list[LineInfo]) -> frozenset[int]:
    """The headlines a "read also" label introduces ("LEGGI ANCHE", "Lee también", "Читайте
    также:"): the lines right under a line of at most RELATED_LABEL_WORDS words that opens with a
    related cue, up to MAX_LINKS of them, while each has LINK_WORDS to 2 * SUBHEAD_WORDS words
    and ends no sentence. They link to other articles however article-like their words."""
    out: set[int] = set()
    for j, info in enumerate(infos):
        if info.words > RELATED_LABEL_WORDS or "related" not in info.start:
            continue
        for k in range(j + 1, min(j + 1 + MAX_LINKS, len(infos))):
            link = infos[k]
            if not LINK_WORDS <= link.words <= 2 * SUBHEAD_WORDS:
                break  # a subheading under the box is shorter than a headline
            if _sentence_end(link.key) or link.start:
                break
            out.add(k)
    return frozenset(out)


_CLOSERS = "\"'”’»)"  # closing quotes and brackets after a line's last mark


def _bare_end(key: str) -> str:
    """The key without the closing quotes and brackets at its end."""
    return key.rstrip(_CLOSERS)


def _sentence_end(key: str) -> bool:
    return _bare_end(key)[-1:] in _SENTENCE_FINAL


def _noun_lines(infos: list[LineInfo]) -> dict[int, set[str]]:
    """Lines of up to ANYWHERE_WORDS words holding a cookie or newsletter noun or a disclaimer
    phrase (cues.json "anywhere"), with their concepts; the page's text is looked at once first,
    its lines then only for the quick-test substrings found in it."""
    present = anywhere_present("\n".join(info.key for info in infos)) if infos else ()
    if not present:
        return {}
    found = {}
    for i, info in enumerate(infos):
        if info.words <= ANYWHERE_WORDS:
            concepts = anywhere_concepts(info.key, present)
            if concepts:
                found[i] = concepts
    return found


def _structure(
    infos: list[LineInfo],
    plain: list[bool],
    p2: np.ndarray,
    body: list[int],
    title: int | None,
    headings: frozenset[int] = frozenset(),
    contents: frozenset[int] = frozenset(),
) -> list[int]:
    """The structure rules after the line model: weak neighbours of the body, subheadings and
    list items between body lines, a closing section the table of contents names, the
    standfirst."""
    body = _hysteresis(infos, plain, p2, body, title)
    body = _runs(infos, plain, p2, body, title)
    body = _between_body(infos, plain, body, title)
    body = _lists(infos, plain, body, title)
    body = _subheadings(infos, plain, body, title, headings)
    body = _closing_section(infos, plain, body, contents)
    body = _first_section(infos, plain, body, title)
    return _standfirst(infos, plain, body, title)


# Cues that mark a line as furniture when they open or close it, whatever the line model says:
# running text of an article almost never starts or ends with them.
STRONG_CUES = frozenset({"newsletter", "cookie", "donate", "notice", "ads", "placeholder"})
STRONG_CUE_WORDS = 25
DATE_LINE_CUES = frozenset({"published", "updated"})  # opening a line that holds a date
ANYWHERE_WORDS = 100  # a cookie or newsletter noun or disclaimer phrase (cues.json "anywhere")
SHARE_WORDS = 6  # a line opening or closing with a share cue is share furniture up to this long
_CREDIT_TAIL = re.compile(
    r"(?:[(（\[]\s*)?(?:photo|photos|foto|fotos|fot|фото|світлина|사진|写真|图片|照片|图|صورة|الصورة|ảnh|"
    r"fotoğraf|bild|zdjęcie|imagen|image|crédito|credit|©)\s*[:：=/-]?\s*(?:[^.!?。]|\.(?=\S)){0,80}"
    r"(?:[)）\]][.。]?)?\s*$",
    re.IGNORECASE,
)


# A picture credit closing a caption line in a form prose never ends with: "… en Moscú. © Ministerio
# de Asuntos Exteriores", "…举行欢迎仪式。 卫星通讯社供图", "…（华讯社发 斯普特尼克通讯社供图）",
# "… 교환하고 있다. [사진 출처 : 조선중앙통신]".
_CREDIT_CLOSE = re.compile(
    r"©[^.!?。！？©]{1,80}$"
    r"|(?:^|[。！？]\s*|[（(\[【]\s*)[^。！？（(]{1,40}(?:供图|摄)\s*[)）\]】]?\s*$"
    r"|[\[【(（]\s*(?:photo|photos|foto|fotos|fot|фото|світлина|사진|자료사진|写真|图片|照片|صورة|ảnh|"
    r"fotoğraf|bild|zdjęcie|imagen|crédito|credit|crédit)(?:\s*[:：=]|\s+출처)[^\]】)）]{1,60}[\]】)）]\s*$",
    re.IGNORECASE,
)


def _credit_closes(text: str) -> bool:
    """A picture credit closes the line (_CREDIT_CLOSE, or a Korean "평양=조선중앙통신": a place,
    "=" and an agency name of cues.json "credits" in Hangul or Han); a quick look at the line's
    end first."""
    tail = text[-100:]
    if "=" in tail[-20:]:
        end = tail.rstrip()
        head, _, name = end.rpartition("=")
        if head and not head[-1].isspace() and name.strip() in credit_names()[1]:
            return True
    if "©" not in tail and tail.rstrip()[-1:] not in ")）]】图摄":
        return False
    return _CREDIT_CLOSE.search(tail) is not None


def _label_colon(text: str) -> bool:
    """A colon ends the line's first one to four words (a label: "Leggi anche: …")."""
    head = re.split("[:：]", text[:60], maxsplit=1)
    return len(head) == 2 and 0 < len(head[0].split()) <= 4


def _furniture(text: str, info: LineInfo) -> bool:
    """A line the line model kept but whose edges say it is furniture: a strong cue at its start
    or end on a line of at most STRONG_CUE_WORDS words, a related cue that opens such a line as
    a label before a colon ("Leggi anche: …"), or a photo credit closing it."""
    if info.words <= 60 and _credit_closes(text):
        return True
    if info.words <= STRONG_CUE_WORDS and info.start & STRONG_CUES:
        return True
    if info.words <= STRONG_CUE_WORDS and info.edge & STRONG_CUES:
        return True
    if info.words <= STRONG_CUE_WORDS and info.start & DATE_LINE_CUES and info.dates:
        return True  # "Publié le 13 septembre 2023 à 11h05, modifié le …"
    if info.words <= SHARE_WORDS and "share" in info.edge:
        return True
    if info.words <= STRONG_CUE_WORDS and "related" in info.start and _label_colon(text):
        return True  # "Read also: Putin and Kim sign …", "اقرأ أيضاً: …"
    if "placeholder" in info.concepts:
        return True
    if info.words <= 60 and "caption" in info.edge:
        tail = text[-90:]
        return _CREDIT_TAIL.search(tail) is not None
    return False


_CAMEL = re.compile(r"[a-zа-яё][A-ZА-ЯЁ]")


def _plain(info: LineInfo) -> bool:
    """No furniture cue, no date or time, no address, no words glued together: nothing but
    text. On a paragraph (over LONG_PLAIN_WORDS words) only cues at its ends (_ends_cued) count,
    and no date field: sentences name dates and use words like "comments" or "photo". (A line
    holding a cookie or newsletter noun is not plain either: see _noun_lines.)"""
    if info.words > LONG_PLAIN_WORDS:
        return not _ends_cued(info) and "http" not in info.key and not info.glued
    return not info.concepts and _bare_text(info) and _COUNTER.search(info.key) is None


def _bare_text(info: LineInfo) -> bool:
    """No date or time, no address or link, no words glued together."""
    return (
        not info.dates
        and not info.time
        and "@" not in info.key
        and "http" not in info.key
        and not info.glued
    )


def _ends_cued(info: LineInfo) -> bool:
    """A cue at the start of a long line (its first token) or at its end (the last four): "Leggi
    anche …", "… (Foto: Ansa)". A cue word among its second and third tokens is a word of the
    sentence ("أعلنت موسكو دخول المعاهدة حيز التنفيذ": "entry", also "log in")."""
    if not info.edge or info.start:
        return bool(info.edge)
    toks = _TOKEN.findall(info.key)[-4:]
    return bool(_concept_hits(" ".join(toks), toks)[0])


_COUNTER = re.compile(r"^\D{0,12}\d+\s*(?:/|of|de|di|von|van|из|з|z|의)\s*\d+\D{0,8}$")
_NOT_TEXT_TAGS = frozenset("button figcaption time option label select summary legend dt".split())
_NOT_TEXT_MARKS = frozenset("nav aside footer form figure".split())


def _plain_markup(line: Line, shared: frozenset[str] = frozenset()) -> bool:
    """On HTML pages: not in a button, caption, navigation, sidebar, footer or form, and no
    furniture class word other than the `shared` ones (those of the headline's element)."""
    if line.tag is None:
        return True
    if line.tag in _NOT_TEXT_TAGS or line.landmarks & _NOT_TEXT_MARKS:
        return False
    return not (line.class_words - shared) & (CLASS_GROUPS["furniture"] | CLASS_GROUPS["caption"])


_SUBHEADING_TAGS = frozenset("h2 h3 h4 h5 h6".split())


# A table of contents entry: a number or bullet, then the heading ("1. What the treaty says").
_ENTRY = re.compile(r"^(?:\d{1,2}[.)]|\d{1,2}(?=\s)|[•·▶►■□◆◇*-])\s*")


def _contents_entries(infos: list[LineInfo]) -> frozenset[int]:
    """Short lines a table of contents above them names (a numbered or bulleted entry of the same
    words): headings on a text page as an HTML <h2> is one on an HTML page."""
    entries: dict[str, int] = {}
    out = set()
    for i, info in enumerate(infos):
        if info.words > SUBHEAD_WORDS:
            continue
        match = _ENTRY.match(info.key)
        if match and match.end() < len(info.key):
            entries.setdefault(info.key[match.end() :], i)
        elif entries.get(info.key, i) < i:
            out.add(i)
    return frozenset(out)


def _subheadings(
    infos: list[LineInfo],
    plain: list[bool],
    body: list[int],
    title: int | None,
    headings: frozenset[int] = frozenset(),
) -> list[int]:
    """A short plain line (at most SUBHEAD_WORDS words, not ending like a sentence) right before
    a long body paragraph, with body within SUBHEAD_REACH lines before it, is a subheading; an
    HTML heading (h2-h6) or a line a table of contents above names (_contents_entries; both are
    `headings`) needs body anywhere before it (the table of contents may stand between). The
    last of a list of linked headlines under a related cue is none (_in_related_list)."""
    keep = set(body)
    first = min(keep) if keep else len(infos)
    for i in range(1, len(infos) - 1):
        if i in keep or i == title or i + 1 not in keep:
            continue
        # a long paragraph under it, or a short one (a sentence, or one that announces a list)
        # that more body follows: not a second heading
        if infos[i + 1].words < 15 and not (i + 2 in keep and _short_paragraph(infos[i + 1])):
            continue
        info = infos[i]
        if not (plain[i] and info.words <= SUBHEAD_WORDS and _subhead_like(info)):
            continue
        if _bare_end(info.key).endswith((".", "。")):
            continue
        if _in_related_list(infos, keep, i):
            continue
        if any(j in keep for j in range(max(0, i - SUBHEAD_REACH), i)) or (
            i in headings and first < i
        ):
            keep.add(i)
    return sorted(keep)


# A section number opening a heading: "Ⅰ. ", "II. ", "一、", "1. ", "2) ".
_SECTION_NUMBER = re.compile(
    r"^\s*(?:(?P<uroman>[ⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹ])\s*[.．、]?|(?P<roman>[ivx]{1,4})\s*[.．)]"
    r"|(?P<han>[一二三四五六七八九十])\s*[、.．]|(?P<arabic>\d{1,2})\s*[.．)、])\s*\S"
)
_UROMAN = "ⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹ"  # line keys are case-folded: "Ⅰ" is "ⅰ"
_HAN_DIGITS = "一二三四五六七八九十"
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}


def _section_number(key: str) -> tuple[str, int] | None:
    """(numbering system, number) of a line key that opens with a section number, else None."""
    match = _SECTION_NUMBER.match(key)
    if match is None:
        return None
    if match["uroman"]:
        return "uroman", _UROMAN.index(match["uroman"]) + 1
    if match["roman"]:
        number = _ROMAN.get(match["roman"])
        return ("roman", number) if number else None
    if match["han"]:
        return "han", _HAN_DIGITS.index(match["han"]) + 1
    return "arabic", int(match["arabic"])


def _first_section(
    infos: list[LineInfo], plain: list[bool], body: list[int], title: int | None
) -> list[int]:
    """The heading of the first section: a short plain line numbered 1 ("Ⅰ. Introduction",
    "一、一纸条约") right before a body line joins the body when a later body line is numbered
    2 in the same system ("Ⅱ. …", "二、…"); no body need stand before it (the subheading rule
    asks for some)."""
    keep = set(body)
    numbered = {}
    for i in body:
        if infos[i].words <= SUBHEAD_WORDS:
            found = _section_number(infos[i].key)
            if found:
                numbered.setdefault(found, i)
    for i in (b - 1 for b in body):
        if i < 0 or i in keep or i == title:
            continue
        if not plain[i] or infos[i].words > SUBHEAD_WORDS:
            continue
        found = _section_number(infos[i].key)
        if found and found[1] == 1 and numbered.get((found[0], 2), -1) > i:
            keep.add(i)
    return sorted(keep)


def _closing_section(
    infos: list[LineInfo], plain: list[bool], body: list[int], contents: frozenset[int]
) -> list[int]:
    """The article's last section when its items are short: a heading that the page's table of
    contents names (_contents_entries), right after the last body line, and the plain lines
    under it (at most MAX_LIST_ITEMS, each of at most LONG_PLAIN_WORDS words: a summary's
    bullet points) up to the first line that is not plain ("Summary" and three points that end
    no sentence, under a blog post's table of contents)."""
    if not body:
        return body
    head = body[-1] + 1
    if head not in contents or not plain[head] or infos[head].words > SUBHEAD_WORDS:
        return body
    items = []
    k = head + 1
    while (
        k < len(infos)
        and plain[k]
        and 0 < infos[k].words <= LONG_PLAIN_WORDS
        and len(items) < MAX_LIST_ITEMS
    ):
        items.append(k)
        k += 1
    return sorted([*body, head, *items]) if items else body


def _in_related_list(infos: list[LineInfo], keep: set[int], i: int) -> bool:
    """Line i ends a list of linked headlines: above it, before any body line, two or more short
    lines (at most 2 * SUBHEAD_WORDS words) lead up to a line with a related cue ("相关阅读：",
    "Read also"). (A "read also" box of one link may stand right before a subheading.)"""
    j = i - 1
    while j >= 0 and j not in keep and infos[j].words <= 2 * SUBHEAD_WORDS:
        if "related" in infos[j].concepts:
            return i - j > 2
        j -= 1
    return False


def _short_paragraph(info: LineInfo) -> bool:
    """At least SUBHEAD_WORDS words ending a sentence or with a colon."""
    ends = _sentence_end(info.key) or _bare_end(info.key).endswith((":", "："))
    return info.words >= SUBHEAD_WORDS and ends


def _between_body(
    infos: list[LineInfo], plain: list[bool], body: list[int], title: int | None
) -> list[int]:
    """Subheadings and list items: a run of at most MAX_INLINE_RUN plain lines between two body
    lines is body when none of them ends like a sentence of its own (a caption does) or each is
    at most SUBHEAD_WORDS words, and none is a pull quote of the body lines around it."""
    keep = set(body)
    ordered = sorted(keep)
    for a, b in pairwise(ordered):
        run = range(a + 1, b)
        if not 0 < len(run) <= MAX_INLINE_RUN or title in run:
            continue
        if all(plain[i] and _subhead_like(infos[i]) for i in run) and not any(
            _pull_quote(infos, i, (a, b)) for i in run
        ):
            keep.update(run)
    return sorted(keep)


PULL_QUOTE_SHARE = 0.8  # of a short line's words found in one body line next to it


def _pull_quote(infos: list[LineInfo], i: int, near: tuple[int, int]) -> bool:
    """A pull quote: a line of 4 or more distinct words, PULL_QUOTE_SHARE of them in one of the
    body lines `near` it (a subheading does not repeat the paragraph next to it)."""
    words = set(_TOKEN.findall(infos[i].key))
    if len(words) < 4:
        return False
    return any(
        len(words & set(_TOKEN.findall(infos[j].key))) >= PULL_QUOTE_SHARE * len(words)
        for j in near
    )


def _lists(
    infos: list[LineInfo], plain: list[bool], body: list[int], title: int | None
) -> list[int]:
    """A list and the sentence that announces it: a plain line (or one whose cues are only words
    of the sentence: _weakly_cued_intro) of at least LIST_INTRO_WORDS words ending with a colon,
    then up to MAX_LIST_ITEMS plain (or so cued) lines of at most LONG_PLAIN_WORDS words (after an
    intro the model kept, too),
    is body when a body line follows the last of them, or when it follows body (at most
    GAP_LINES lines between)."""
    keep = set(body)
    n = len(infos)
    for i, info in enumerate(infos):
        if i == title or info.words < LIST_INTRO_WORDS or (i in keep and i + 1 in keep):
            continue
        if not info.key.rstrip().endswith((":", "：")):
            continue
        if i not in keep and not plain[i] and not _weakly_cued_intro(info):
            continue
        j = i + 1
        while (
            j < n
            and j not in keep
            and j != title
            and j - i <= MAX_LIST_ITEMS
            and (plain[j] or _weakly_cued_intro(infos[j]))
            and infos[j].words <= LONG_PLAIN_WORDS
        ):
            j += 1
        after = j < n and j in keep
        before = any(k in keep for k in range(max(0, i - GAP_LINES - 1), i))
        if after or (before and j > i + 1):
            keep.update(range(i, j))
    return sorted(keep)


# cues that a sentence announcing a list may hold inside it ("Resumindo o que foi divulgado por
# fontes oficiais:"; a short line matches cues anywhere): not at its start, and none of these
_INTRO_NEVER = STRONG_CUES | NOTICE_CONCEPTS | {"share", "login", "related"}


def _weakly_cued_intro(info: LineInfo) -> bool:
    """A sentence announcing a list whose only cues are words of the sentence: none at its
    start, none of _INTRO_NEVER, no date, time, address or link (_bare_text)."""
    return not info.start and not info.concepts & _INTRO_NEVER and _bare_text(info)


def _hysteresis(
    infos: list[LineInfo], plain: list[bool], p2: np.ndarray, body: list[int], title: int | None
) -> list[int]:
    """Two thresholds, as in edge detection: a plain sentence-ending paragraph of at least
    PROSE_LINE_WORDS words scored above WEAK (or above FAINT when it has LONG_PROSE_WORDS words)
    joins the body when it is next to a body line, or separated from one only by at most
    GAP_LINES lines of at most GAP_WORDS words (an "Advertisement" label); repeated until
    nothing joins."""
    keep = set(body)
    changed = True
    while changed:
        changed = False
        for i, info in enumerate(infos):
            if i in keep or i == title or p2[i] < FAINT or not plain[i] or not _prose(info):
                continue
            if p2[i] < WEAK and info.words < LONG_PROSE_WORDS:
                continue
            for step in (-1, 1):
                j, gap = i + step, 0
                while (
                    0 <= j < len(infos)
                    and j not in keep
                    and gap < GAP_LINES
                    and infos[j].words <= GAP_WORDS
                ):
                    j, gap = j + step, gap + 1
                if 0 <= j < len(infos) and j in keep:
                    keep.add(i)
                    changed = True
                    break
    return sorted(keep)


def _runs(
    infos: list[LineInfo], plain: list[bool], p2: np.ndarray, body: list[int], title: int | None
) -> list[int]:
    """The article going on after a box: a run of at least RUN_LINES plain sentence-ending
    paragraphs scored above FAINT (one after another, or apart only by up to GAP_LINES lines of
    at most GAP_WORDS words: a live blog's time stamps, a credit) joins the body when at most
    GAP_LINES lines stand between it and a body line, each of at most GAP_WORDS words or a line
    of furniture (not plain) of at most BOX_WORDS words ("Read also: …", "Advertisement"). A
    single sentence after the article ("This article first appeared on …") does not join: that
    is the hysteresis's business, with its higher threshold."""
    keep = set(body)
    n = len(infos)

    def candidate(i: int) -> bool:
        return i not in keep and i != title and plain[i] and _prose(infos[i]) and p2[i] >= FAINT

    def reaches(start: int, step: int) -> bool:
        k, gap = start, 0
        while 0 <= k < n and k not in keep and k != title and gap < GAP_LINES:
            if infos[k].words > GAP_WORDS and (plain[k] or infos[k].words > BOX_WORDS):
                return False
            k, gap = k + step, gap + 1
        return 0 <= k < n and k in keep

    changed = True
    while changed:
        changed = False
        i = 0
        while i < n:
            if not candidate(i):
                i += 1
                continue
            run = [i]
            while True:
                k, gap = run[-1] + 1, 0
                while (
                    k < n
                    and gap < GAP_LINES
                    and k != title
                    and k not in keep
                    and not candidate(k)
                    and infos[k].words <= GAP_WORDS
                ):
                    k, gap = k + 1, gap + 1
                if k < n and candidate(k):
                    run.append(k)
                else:
                    break
            if len(run) >= RUN_LINES and (reaches(run[0] - 1, -1) or reaches(run[-1] + 1, 1)):
                keep.update(run)
                changed = True
            i = run[-1] + 1
    return sorted(keep)


def _subhead_like(info: LineInfo) -> bool:
    if info.words <= SUBHEAD_WORDS:
        return True
    return not _bare_end(info.key).endswith((".", "。"))


def _standfirst(
    infos: list[LineInfo], plain: list[bool], body: list[int], title: int | None
) -> list[int]:
    """The standfirst: the first line after the title that is plain running text (at least
    PROSE_LINE_WORDS words), when only copies of the title and short lines that are not plain
    (a byline, a date, a reading time: at most STANDFIRST_SKIP of them, each of at most
    GAP_WORDS * 4 words) stand between, and it comes before the first body line after the title.
    After such a line it must end a sentence; right under the title and its copies it need not
    (a deck often has no full stop), and there a line of running text that ends a sentence
    counts whatever its markup's class words say."""
    if title is None:
        return body
    keep = set(body)
    skipped = 0
    i = title + 1
    while i < len(infos) and i not in keep:
        info = infos[i]
        if info.key == infos[title].key:
            i += 1
            continue
        # right under the title, a paragraph of running text is the standfirst whatever its
        # markup says (German CMSs class the deck "teaser", as index pages do their cards)
        under = skipped == 0 and _plain(info) and _prose(info)
        if (plain[i] or under) and info.words >= PROSE_LINE_WORDS:
            if skipped == 0 or _prose(info):  # right under the title (and its copies)
                return sorted([*body, i])
            return body
        if plain[i] or info.words > GAP_WORDS * 4 or skipped >= STANDFIRST_SKIP:
            return body
        skipped += 1
        i += 1
    return body


TITLE_COLUMNS = {name: k for k, name in enumerate(TITLE_NAMES)}


def choose_title(
    page: Page, rows: np.ndarray, infos: list[LineInfo], p2: np.ndarray, body: list[int],
    model: LineModel,
) -> int | None:  # fmt: skip
    cands, feats = title_rows(page, rows, infos, p2, body, model.local_names)
    # a caption that a picture credit closes is no headline (a caption cut from the text glued
    # to it stands right above the body, where a title does)
    keep = [k for k, i in enumerate(cands) if not _credit_closes(page.lines[i].text)]
    if not keep:
        return None
    weight = dict(zip(keep, (feats[keep] @ model.wt).tolist(), strict=True))
    best = max(keep, key=weight.__getitem__)
    # a line of two sentences ending with a full stop ("Democracy requires a free press. Get 3
    # months for $1.", "This article was printed from …. Subscribers …") loses to a headline
    # without one (the strict title_like feature) that a byline, date or reading time follows
    ends, meta, like = (TITLE_COLUMNS[n] for n in ("ends_period", "next_meta", "title_like"))
    if feats[best, ends]:
        plain = [k for k in keep if not feats[k, ends] and feats[k, meta] and feats[k, like]]
        if plain:
            best = max(plain, key=weight.__getitem__)
    return cands[best]


KICKER_WORDS = 6  # at most this many words of a title line before the metadata's title


def split_kicker(page: Page, i: int) -> tuple[str, str | None]:
    """The title line's text and the kicker cut from it: on an HTML page whose metadata title
    (og:title, <title>) is the end of the line after 1 to KICKER_WORDS words, those words are a
    kicker or section label inside the headline element ("<h1><span>Russia and North
    Korea</span> Putin in Pyongyang: …</h1>"), not part of the headline; words that end with a
    colon are the headline's speaker ("Korea expert X: 'quote'") and stay."""
    text = page.lines[i].text
    if page.format != "html" or not page.meta_title:
        return text, None
    want = normalise_key(page.meta_title)
    if not want or normalise_key(text) == want:
        return text, None
    start = 0
    for _ in range(KICKER_WORDS):
        start = text.find(" ", start) + 1
        if start <= 0:
            break
        if normalise_key(text[start:]) == want:
            if text[:start].rstrip().endswith((":", "：")):
                break  # "Korea expert Femke Dijkhuizen: '…'": a speaker, part of the headline
            return text[start:], text[:start].strip()
    return text, None


def choose_date(scored: Scored) -> str | None:
    """The publication date: a date in a furniture line near the title, preferring one cued as
    published and never one cued as an update while another is available."""
    infos, decided = scored.infos, scored.decision_body
    body = set(decided)
    anchor = scored.title if scored.title is not None else (decided[0] if decided else 0)
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
    if scored.page.date_declared:
        return scored.page.meta_date
    if found:
        return min(found)[2]
    return scored.page.meta_date


def _has_cue(text: str, concept: str) -> bool:
    return concept in _cues_of(text)


def choose_url(scored: Scored) -> str | None:
    """The page's own URL: HTML canonical/og:url, else a line that names it with a source or
    permalink cue, else the first line that names the page's title with a link (_names_title: a
    citation of the article, "Cite as: …"), else the first line where a short label and a
    colon introduce it or where it ends the line alone or after a short label (_url_label),
    else the first URL whose path spells the title (_slug_matches); never a link on a line of a
    related article, share button, menu, comment or player (cues read on the line's words
    outside its links; a source cue wins over a menu word)."""
    if scored.page.meta_url:
        return scored.page.meta_url
    from rukp.ingest.features import _URL

    decided = set(scored.decision_body)
    labelled = slugged = cited = None
    title = scored.title
    title_words = _folded_words(scored.page.lines[title].text) if title is not None else set()
    for i, info in enumerate(scored.infos):
        if i in decided or "http" not in info.key:
            continue
        text = scored.page.lines[i].text
        match = _URL.search(text)
        if match is None:
            continue
        # the cues of the words around the links: a link's own path ("…/live/…") is no cue
        words = _URL.sub(" ", text)
        concepts = _cues_of(words)
        url = match.group().rstrip(".,;)»”\"'")
        if "source" in concepts:
            return url
        if concepts & _NOT_OWN_URL:
            continue
        if cited is None and _names_title(words, title_words):
            cited = url
        if labelled is None and _url_label(text[: match.start()], text[match.end() :]):
            labelled = url
        if slugged is None and title_words and _slug_matches(match.group(), title_words):
            slugged = url
    return cited or labelled or slugged


CITED_SHARE = 0.8  # a line naming this share of the title's words (at least SLUG_WORDS) cites it


def _names_title(text: str, title_words: set[str]) -> bool:
    """The line names the page's title: it holds at least SLUG_WORDS and CITED_SHARE of the
    title's words (a "Cite as: Author (2024). Title. https://…" reference)."""
    if len(title_words) < SLUG_WORDS:
        return False
    common = title_words & _folded_words(text)
    return len(common) >= CITED_SHARE * len(title_words)


SLUG_WORDS = 3  # a URL path spells the title when it holds this many of its words …
SLUG_SHARE = 0.6  # … and this share of them (words of 3 letters or more, accents folded)


def _folded_words(text: str) -> set[str]:
    """Words of 3 or more letters or digits, case and accents folded ("Mútua" -> "mutua")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return {w for w in re.findall(r"[^\W_]{3,}", folded)}


def _slug_matches(url: str, title_words: set[str]) -> bool:
    """The URL's path (after the host) holds at least SLUG_WORDS of the title's words and at
    least SLUG_SHARE of them: the page's own address ("…/putin-e-kim-assinam-pacto-de-defesa-
    mutua-em-pyongyang.shtml" under "Putin e Kim assinam pacto de defesa mútua em Pyongyang"),
    not a related article's."""
    path = url.split("//", 1)[-1].partition("/")[2]
    common = title_words & _folded_words(path)
    return len(common) >= SLUG_WORDS and len(common) >= SLUG_SHARE * len(title_words)


# concepts of lines whose links lead elsewhere: other articles, share buttons, menus
_NOT_OWN_URL = frozenset({"related", "share", "navigation", "comments", "media"})
URL_LABEL_WORDS = 4


def _cues_of(text: str) -> frozenset[str]:
    """The concepts cued anywhere in `text`."""
    low = line_key(text)
    return frozenset(_concept_hits(low, _TOKEN.findall(low))[0])


def _url_label(before: str, after: str = "") -> bool:
    """The text before a link ends with a short label and a colon ("Artigo original:", "رابط
    الخبر:", "… 11.12.2024. URL:"): at most URL_LABEL_WORDS words since the last sentence end;
    or the link ends its line and stands alone or after at most URL_LABEL_WORDS words with no
    sentence ("기사주소 https://…")."""
    before = before.rstrip()
    if not after.strip(" .,;)»”\"'") and len(before.split()) <= URL_LABEL_WORDS:
        if not re.search(r"[.!?。]", before):
            return True
    if not before.endswith((":", "：")):
        return False
    label = re.split(r"[.!?。]\s", before)[-1]
    return 0 < len(label.split()) <= URL_LABEL_WORDS


def article_check(scored: Scored) -> str | None:
    """None for an article, else the reason the page is not one:
    - fewer than MIN_SENTENCES sentences of running text, or fewer than MIN_BODY_WORDS words;
    - an introduction above a list: at most INTRO_LINES body lines of fewer than INTRO_WORDS
      words, and at least INTRO_HEADLINES headline-like lines outside the body;
    - a notice, not an article: within the span of the body lines, at least NOTICE_SHARE of the
      lines carry consent, legal, error, subscription or paywall cues (a cookie wall, an error
      page);
    - a wall, not an article: a body of fewer than WALL_WORDS words, and at least WALL_DENSITY
      notice lines on the whole page per 100 body words (the teaser of a consent, sign-up or
      login wall in a frame of consent, sign-up and footer lines; per word, not per line, as a
      scrape may hold a whole article on one line);
    - no prose block: 2 to SCATTERED_LINES - 1 body lines, at least two lines between each two
      (a tag page's description and a teaser or two; an advertisement label between the two
      paragraphs of a short article is one line);
    - a photo gallery, not an article: at least GALLERY_SHARE of the body lines are captions:
      shorter than CAPTION_WORDS words and next to a line with a photo caption or credit cue that
      is not body (a gallery article's prose paragraphs between its photos are longer);
    - a list of dated teasers: at least MIN_TEASERS lines with a date, not body, between the
      first and last body line, and at least DATED_SHARE of them per body line;
    - a comment thread, not an article: at least MIN_TEASERS lines with a comment cue (reply,
      report, a comment counter), not body, between the first and last body line, and at least
      COMMENT_SHARE of them per body line (a page of reader comments under a linked headline);
    - a login wall, not an article: a body of fewer than WALL_WORDS words and at least
      LOGIN_LINES lines with a login cue (log in, password, create an account), not body,
      above the last body line (a login form around a sign-up pitch; a site's header holds one
      or two; a full article under a login box scraped with it stays an article);
    - a list of teasers, not an article: most body lines stand alone, each right after a
      headline-like line (an index, tag or search page);
    - a site page, not an article: the line above the body is a heading of at most
      SITE_HEADING_WORDS words that occurs again on the page (a menu or footer item: "About us",
      "Contact"), and no line around the text carries a date (an about, contact or imprint
      page: a founding date in its text is no publication date)."""
    infos, body = scored.infos, scored.decision_body
    lines = [infos[i] for i in body]
    prose = sum(info.sentences for info in lines if _prose(info))
    words = sum(info.words for info in lines)
    if prose < MIN_SENTENCES:
        return (
            f"no prose block: {prose} sentence(s) of running text, at least {MIN_SENTENCES} needed"
        )
    if words < MIN_BODY_WORDS:
        return f"too little body text: {words:.0f} words, at least {MIN_BODY_WORDS} needed"
    if len(body) <= INTRO_LINES and words < INTRO_WORDS:
        cols = scored_cols()
        shown = set(body)
        heads = sum(
            1
            for i, info in enumerate(infos)
            if i not in shown
            and info.words >= HEADLINE_WORDS
            and title_like(info, scored.rows[i], cols)
        )
        if heads >= INTRO_HEADLINES:
            return (
                f"an introduction above a list, not an article: {len(body)} body line(s) of "
                f"{words:.0f} words and {heads} headline-like lines outside them"
            )
    if 1 < len(body) < SCATTERED_LINES and all(b - a > 2 for a, b in pairwise(body)):
        return (
            f"no prose block: the {len(body)} body lines stand apart, at least two lines "
            "between each two"
        )
    kept = set(body)
    captioned = sum(
        1
        for i in body
        if infos[i].words < CAPTION_WORDS
        and any(
            0 <= j < len(infos) and j not in kept and "caption" in infos[j].concepts
            for j in (i - 1, i + 1)
        )
    )
    if len(body) >= MIN_TEASERS and captioned >= GALLERY_SHARE * len(body):
        return (
            f"a photo gallery, not an article: {captioned} of {len(body)} body lines are next "
            "to a photo caption or credit"
        )
    # every teaser of an index, tag or search page carries its own date line; an article's
    # body is interrupted by a date only now and then (a dated "read also", an update line)
    dated = sum(1 for i in range(body[0], body[-1] + 1) if infos[i].dates and i not in kept)
    if dated >= MIN_TEASERS and dated >= DATED_SHARE * len(body):
        return (
            f"a list of dated teasers, not an article: {dated} date lines among "
            f"{len(body)} body lines"
        )
    # every comment of a thread has its reply/report buttons; an article's text is interrupted
    # by a comment counter now and then at most
    replies = sum(
        1 for i in range(body[0], body[-1] + 1) if i not in kept and "comments" in infos[i].concepts
    )
    if replies >= MIN_TEASERS and replies >= COMMENT_SHARE * len(body):
        return (
            f"a comment thread, not an article: {replies} comment buttons or counters among "
            f"{len(body)} body lines"
        )
    # a login form (user name, password, "forgot your password?", sign in with …) above the end
    # of the text: a site's header has a "Log in" button or two
    logins = sum(1 for i in range(body[-1]) if i not in kept and "login" in infos[i].concepts)
    if logins >= LOGIN_LINES and words < WALL_WORDS:
        return (
            f"a login wall, not an article: {logins} lines of a login form above the end of "
            f"a text of {words:.0f} words"
        )
    span = infos[body[0] : body[-1] + 1]
    notices = sum(1 for info in span if info.edge & NOTICE_CONCEPTS)
    if notices >= NOTICE_SHARE * len(span):
        return (
            f"a notice, not an article: {notices} of the {len(span)} lines of the text block "
            "are consent, legal, error or subscription notices"
        )
    walls = sum(1 for info in infos if info.edge & NOTICE_CONCEPTS)
    if words < WALL_WORDS and walls * 100 >= WALL_DENSITY * words:
        return (
            f"a consent, sign-up or login wall, not an article: {walls} notice lines on the "
            f"page for a body of {words:.0f} words"
        )
    # teasers are judged on the line model's own choice, before subheadings and list items
    # between body lines join it (they would join a list of teasers into one block)
    body = scored.model_body or body
    kept = set(body)
    cols = scored_cols()
    alone = 0
    for i in body:
        if i - 1 in kept or i + 1 in kept:
            continue
        head = i - 1
        if (
            head >= 0
            and title_like(infos[head], scored.rows[head], cols)
            and not scored.rows[head][cols["time_short"]]
        ):
            alone += 1
    if len(body) >= MIN_TEASERS and alone >= TEASER_SHARE * len(body):
        return (
            f"a list of teasers, not an article: {alone} of {len(body)} body lines stand alone "
            "after a headline"
        )
    return _site_page(scored)


# between the items of a menu, footer or breadcrumb written on one line
_MENU_SPLIT = re.compile(r"\s+[|·•›»/>→–—]\s+|\s*\|\s*")


def _menu_items(key: str) -> list[str]:
    """The items of a line that lists menu entries ("about | jobs | ads"), or the line itself."""
    return [item for item in _MENU_SPLIT.split(key) if item]


def _site_page(scored: Scored) -> str | None:
    """The reason a page with a body is an about, contact or imprint page, else None: the
    nearest line with words above the body is a short heading the page repeats (as a line of
    its own or as an item of a footer, menu or breadcrumb line: _menu_items), with no cue but
    a menu's or footer's (not a byline or a share button), and no line outside the body within
    DATE_WINDOW lines of it carries a date."""
    infos, first = scored.infos, scored.decision_body[0]
    head = next((i for i in range(first - 1, -1, -1) if infos[i].words > 0), None)
    if head is None or infos[head].words > SITE_HEADING_WORDS:
        return None
    if not infos[head].concepts <= SITE_HEADING_CUES:
        return None
    want = infos[head].key
    if sum(1 for info in infos if want in info.key and want in _menu_items(info.key)) < 2:
        return None
    # the HTML metadata date is not asked: trafilatura falls back on dates in the text, and a
    # site page's text names its founding or registration date
    body = set(scored.decision_body)
    if any(
        info.dates and i not in body and abs(i - head) <= DATE_WINDOW
        for i, info in enumerate(infos)
    ):
        return None
    return (
        f"a site page, not an article: its heading {scored.page.lines[head].text!r} occurs "
        "again on the page (a menu item) and no line around the text carries a date"
    )


_ALNUM = re.compile(r"[^\W_]")


def drop_reason(scored: Scored, i: int) -> str:
    info = scored.infos[i]
    if _ALNUM.search(info.key) is None:
        return "no-text"
    if scored.title is not None and info.key == scored.infos[scored.title].key:
        return "repeated-title"
    if i in scored.bios:
        return "author-bio"
    if i in scored.boxes:
        return "signup-box"
    if scored.rows[i, scored_col("template")]:
        return "site-template"
    concepts = info.concepts | scored.nouns.get(i, set())
    if concepts:
        for concept, reason in CUE_REASONS:
            if concept in concepts:
                return reason
    if info.dates and scored.rows[i, scored_col("date_cover")] > 0.3:
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


def finish(scored: Scored, languages: list[str | None] | None = None) -> Cleaned:
    """Steps 5 to 8; `languages` are the paragraphs' (title first), when the caller has them."""
    page = scored.page
    reason = article_check(scored)
    title, kicker = (None, None) if scored.title is None else split_kicker(page, scored.title)
    body_lines = [page.lines[i].text for i in scored.body]
    drops: list[Drop] = []
    kept = set(scored.body)
    for i, line in enumerate(page.lines):
        if i == scored.title and kicker:
            drops.append(Drop(line.number, "title-kicker", kicker))
        if i in kept or i == scored.title:
            continue
        drops.append(Drop(line.number, drop_reason(scored, i), line.text))
    paragraphs_text = ([title] if title else []) + body_lines
    paragraphs: list[tuple[int, int, str | None]] = []
    pos = 0
    if languages is None:
        languages = langid.detect_many(paragraphs_text, [scored.language] * len(paragraphs_text))
    for text, lang in zip(paragraphs_text, languages, strict=True):
        paragraphs.append((pos, pos + len(text), lang))
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
    return clean_pages([page], [templates], model)[0]


def clean_pages(
    pages: list[Page],
    templates: list[frozenset[str]] | None = None,
    model: LineModel | None = None,
) -> list[Cleaned]:
    """Clean several pages; the same result as clean_page on each, faster: fastText runs once
    for all the pages' languages and once for all their paragraphs (its model stays in cache)."""
    model = model or load_model()
    split = [split_lines(page) for page in pages]
    languages = langid.page_languages([[line.text for line in p.lines] for p in split])
    scored = [
        score(page, templates[k] if templates else frozenset(), model, languages[k], split=False)
        for k, page in enumerate(split)
    ]
    texts: list[str] = []
    expected: list[str | None] = []
    for s in scored:
        if s.title is not None:
            texts.append(split_kicker(s.page, s.title)[0])
        texts.extend(s.page.lines[i].text for i in s.body)
        expected += [s.language] * (len(texts) - len(expected))
    found = langid.detect_many(texts, expected)
    out, at = [], 0
    for s in scored:
        n = (s.title is not None) + len(s.body)
        out.append(finish(s, found[at : at + n]))
        at += n
    return out


def clean(text: str) -> Cleaned:
    """Clean a normalised text scrape."""
    return clean_page(text_page(text))
