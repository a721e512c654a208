"""Check page fixtures and their answer files (standard library only).

    python3 check.py FOLDER

Reports problems as "FILE: message"; exits 1 when any error is found.
"""

from __future__ import annotations

import datetime
import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

FIELDS = {
    "id": str,
    "format": str,
    "lang": str,
    "site_kind": str,
    "is_article": bool,
    "title": (str, type(None)),
    "published": (str, type(None)),
    "source_url": (str, type(None)),
    "body": list,
    "notes": str,
}
BLOCK = {
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "li", "ul",
    "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "figcaption", "br", "tr",
    "td", "th", "table", "form", "button", "title", "time", "dd", "dt", "dl", "hr", "option",
    "select", "label", "pre", "address", "details", "summary",
}  # fmt: skip
SKIP = {"script", "style", "noscript", "template", "svg"}


def norm(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        elif tag in BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def page_lines(path: Path, raw: str) -> list[str]:
    if path.suffix == ".html":
        parser = _Text()
        parser.feed(raw)
        text = "".join(parser.parts)
    else:
        text = html.unescape(raw.lstrip("\ufeff"))
    return [n for n in (norm(line) for line in text.splitlines()) if n]


def check(folder: Path) -> int:
    errors = 0

    def err(name: str, msg: str) -> None:
        nonlocal errors
        errors += 1
        print(f"ERROR {name}: {msg}")

    pages = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html"))
    answers = sorted(folder.glob("*.expected.json"))
    page_ids = {p.stem for p in pages}
    answer_ids = {p.name[: -len(".expected.json")] for p in answers}
    for missing in sorted(page_ids - answer_ids):
        err(missing, "page has no .expected.json")
    for extra in sorted(answer_ids - page_ids):
        err(extra, "answer file has no page (.txt or .html)")
    for page in pages:
        ans_path = folder / f"{page.stem}.expected.json"
        if not ans_path.exists():
            continue
        name = ans_path.name
        try:
            ans = json.loads(ans_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            err(name, f"not valid UTF-8 JSON: {exc}")
            continue
        for key, typ in FIELDS.items():
            if key not in ans:
                err(name, f"missing field {key!r}")
            elif not isinstance(ans[key], typ):
                err(name, f"field {key!r} has the wrong type: {type(ans[key]).__name__}")
        for key in set(ans) - set(FIELDS):
            err(name, f"unknown field {key!r}")
        if errors:
            continue
        if ans["id"] != page.stem:
            err(name, f"id {ans['id']!r} differs from the file name {page.stem!r}")
        if ans["format"] != page.suffix[1:]:
            err(name, f"format {ans['format']!r} but the page is {page.suffix}")
        if not re.fullmatch(r"[a-z]{2}", ans["lang"]):
            err(name, f"lang {ans['lang']!r} is not an ISO 639-1 code")
        if ans["published"] is not None:
            try:
                datetime.date.fromisoformat(ans["published"])
                assert len(ans["published"]) == 10
            except (ValueError, AssertionError):
                err(name, f"published {ans['published']!r} is not YYYY-MM-DD")
        raw = page.read_bytes().decode("utf-8")
        if ans["source_url"] is not None:
            if not re.fullmatch(r"https?://\S+", ans["source_url"]):
                err(name, f"source_url {ans['source_url']!r} is not an http(s) URL")
            elif ans["source_url"] not in html.unescape(raw):
                err(name, "source_url does not occur in the page")
        lines = page_lines(page, raw)
        joined = "\n".join(lines)
        if not ans["is_article"]:
            if ans["title"] is not None or ans["published"] is not None or ans["body"]:
                err(name, "a non-article needs title null, published null, body []")
            continue
        if not ans["title"] or not ans["body"]:
            err(name, "an article needs a title and a non-empty body")
            continue
        if norm(ans["title"]) not in joined:
            err(name, "title does not occur in the page text")
        words = 0
        for i, entry in enumerate(ans["body"]):
            if not isinstance(entry, str) or not entry.strip():
                err(name, f"body[{i}] is not a non-empty string")
                continue
            if entry != norm(entry):
                err(name, f"body[{i}] has leading/trailing or repeated whitespace")
            if entry in lines:
                pass
            elif any(entry in line for line in lines):
                print(f"note  {name}: body[{i}] is only part of a page line (glued furniture?)")
            else:
                err(name, f"body[{i}] does not occur in any line of the page: {entry[:60]!r}")
            words += len(entry.split()) if ans["lang"] not in ("zh", "ja") else len(entry) / 2
        if words < 100:
            print(f"note  {name}: body has only about {words:.0f} words")
    print(f"{len(pages)} pages, {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(check(Path(sys.argv[1])))
