"""The extractors a user would pick instead of rukp's cleaner, run on the same fixture pages.

- jusText (Pomikálek): paragraph classification with the page language's stoplist (languages it
  has no stoplist for run in its language-independent mode: no stoplist, stopword thresholds 0);
- trafilatura (Barbaresi): main-text extraction with its metadata (title, date, URL).
Text fixtures are given to both as the same normalised lines rukp's cleaner sees, each wrapped as
an HTML `<p>` element; HTML fixtures are given as they are.
"""

from __future__ import annotations

import html
from functools import lru_cache

from rukp.ingest.decode import decode, normalise
from rukp.ingest.quality import Extraction, Fixture


def page_lines(fx: Fixture) -> list[str]:
    text = normalise(decode(fx.path, fx.raw()).text)
    return [line for line in text.split("\n") if line]


def as_html(fx: Fixture) -> bytes:
    if fx.format == "html":
        return fx.raw()
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in page_lines(fx))
    return f'<html><head><meta charset="utf-8"></head><body>\n{body}</body></html>'.encode()


@lru_cache(maxsize=64)
def _stoplist(lang: str) -> frozenset[str] | None:
    import justext
    from babel import Locale

    try:
        name = Locale.parse(lang).get_display_name("en").replace(" ", "_")
    except (ValueError, TypeError):
        return None
    return frozenset(justext.get_stoplist(name)) if name in justext.get_stoplists() else None


def justext_system(fx: Fixture) -> Extraction:
    import justext

    stoplist = _stoplist(fx.expected["lang"])
    if stoplist is None:
        paragraphs = justext.justext(
            as_html(fx), frozenset(), stopwords_low=0, stopwords_high=0, encoding="utf-8"
        )
    else:
        paragraphs = justext.justext(as_html(fx), stoplist, encoding="utf-8")
    body = [p.text.strip() for p in paragraphs if not p.is_boilerplate and p.text.strip()]
    return Extraction(is_article=bool(body), body=body)


def trafilatura_system(fx: Fixture) -> Extraction:
    import trafilatura

    doc = trafilatura.bare_extraction(
        as_html(fx).decode("utf-8", "replace"), with_metadata=True, include_comments=False
    )
    if doc is None or not (doc.text or "").strip():
        return Extraction(is_article=False)
    body = [line.strip() for line in doc.text.split("\n") if line.strip()]
    return Extraction(
        is_article=True, body=body, title=doc.title, published=_iso(doc.date), url=doc.url
    )


def _iso(date: str | None) -> str | None:
    return date[:10] if date and len(date) >= 10 else None


PEERS = {"justext": justext_system, "trafilatura": trafilatura_system}
