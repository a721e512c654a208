"""Measuring cleaners on page fixtures with expected answers (`rukp ingest-eval`).

A fixture is a scraped page (`NAME.txt` or `NAME.html`) with `NAME.expected.json`: title, body
paragraphs, lang, published, source_url, is_article (tests/cleaning/README.md). A system maps a
page to an `Extraction`; `score_page` compares it with the expected answer:

- body token F1: bag of word tokens (CJK characters one by one) of the extracted body against
  the expected body, micro within the page;
- line precision: the share of extracted body lines that are expected body lines; line recall:
  the share of expected body lines extracted. Lines match when equal after whitespace
  normalisation, or when one contains the other and is at least LINE_MATCH_RATIO of its length
  (a caption left glued to a paragraph still matches it; body F1 sees the difference);
- title, published date, source URL: exact (titles compared case- and space-insensitively);
- is_article: the page gives an extraction with body text or not.
Body, line, title, date and URL figures are averaged over the pages that hold an article;
is_article over all pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.safeio import check_regular, present, read_json, shown

LINE_MATCH_RATIO = 0.8
FIXTURE_SUFFIXES = (".txt", ".html")
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TITLE_EDGE = " \t\"'“”«»‘’„.:;,!?|–—-"


@dataclass(slots=True, frozen=True)
class Fixture:
    id: str
    path: Path
    format: str
    expected: dict[str, Any]
    part: str  # "tune", "dev" (read, not trained on) or one of SEALED_PARTS

    def raw(self) -> bytes:
        """The page's bytes, read as the ingest reads a raw page (rukp.ingest.decode.read_raw)."""
        from rukp.ingest.decode import read_raw

        return read_raw(self.path, doc_id=None)


@dataclass(slots=True)
class Extraction:
    is_article: bool
    body: list[str] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    url: str | None = None


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def tokens(text: str) -> list[str]:
    """Word tokens, case-folded; a run of CJK characters counts one token per character."""
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if _CJK.search(word):
            out.extend(ch for ch in word if not ch.isspace())
        else:
            out.append(word)
    return out


def bag_f1(predicted: str, expected: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of the predicted bag of tokens against the expected one."""
    p, g = Counter(tokens(predicted)), Counter(tokens(expected))
    overlap = sum((p & g).values())
    if not p and not g:
        return 1.0, 1.0, 1.0
    prec = overlap / sum(p.values()) if p else 0.0
    rec = overlap / sum(g.values()) if g else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def lines_match(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return bool(short) and short in long_ and len(short) >= LINE_MATCH_RATIO * len(long_)


def line_scores(predicted: Sequence[str], expected: Sequence[str]) -> tuple[float, float]:
    """(line precision, line recall); each expected line is matched at most once."""
    if not predicted:
        return (0.0, 0.0) if expected else (1.0, 1.0)
    free = list(range(len(expected)))
    matched = 0
    for line in predicted:
        for k, j in enumerate(free):
            if lines_match(line, expected[j]):
                matched += 1
                del free[k]
                break
    recall = (len(expected) - len(free)) / len(expected) if expected else 1.0
    return matched / len(predicted), recall


def title_key(title: str | None) -> str | None:
    if title is None:
        return None
    return norm(title).casefold().strip(_TITLE_EDGE) or None


def score_page(extraction: Extraction, expected: dict[str, Any]) -> dict[str, Any]:
    """The figures of one page (None where a figure does not apply to this page)."""
    row: dict[str, Any] = {"is_article": extraction.is_article == expected["is_article"]}
    if not expected["is_article"]:
        return row
    body = extraction.body if extraction.is_article else []
    _, _, f1 = bag_f1("\n".join(body), "\n".join(expected["body"]))
    precision, recall = line_scores(body, expected["body"])
    row.update(
        body_f1=f1,
        line_precision=precision,
        line_recall=recall,
        title=title_key(extraction.title) == title_key(expected["title"]),
        published=extraction.published == expected["published"],
        url=(extraction.url or None) == expected["source_url"],
    )
    return row


METRICS = ("body_f1", "line_precision", "line_recall", "title", "published", "url", "is_article")


def mean_scores(rows: Iterable[dict[str, Any]]) -> dict[str, float | None]:
    rows = list(rows)
    out: dict[str, float | None] = {}
    for metric in METRICS:
        values = [float(r[metric]) for r in rows if r.get(metric) is not None]
        out[metric] = sum(values) / len(values) if values else None
    return out


# the sealed parts: their folders, and the keys of their page ids in split.json
SEALED_PARTS = ("sealed", "sealed-3", "sealed-12", "sealed-13")
# every part, in the order they are read: tune/ (trained on), dev/ (read, not trained on), sealed
PARTS = ("tune", "dev", *SEALED_PARTS)


def load_fixtures(folder: Path, split_file: Path | None = None) -> list[Fixture]:
    """Fixtures of `folder`'s `tune/` and sealed subfolders (or of `folder` itself)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RukpError.single(
            "fixtures-missing", "no fixture folder", file=str(folder), hint="pass --fixtures DIR"
        )
    parts = [(folder / p, p) for p in PARTS if (folder / p).is_dir()]
    if not parts:
        parts = [(folder, "tune")]
    out: list[Fixture] = []
    problems: list[Incident] = []
    for sub, part in parts:
        for path in sorted(sub.iterdir()):
            if path.suffix not in FIXTURE_SUFFIXES or path.is_dir():
                continue  # a FIFO or a link named like a page is kept, and refused below
            answer = path.with_name(path.stem + ".expected.json")
            if not present(answer):
                problems.append(
                    Incident("fixture-answer-missing", "page has no .expected.json", shown(path))
                )
                continue
            try:
                check_regular(path, "raw-page")
                expected = read_json(answer, "config")
            except RukpError as exc:
                problems.extend(exc.incidents)
                continue
            wrong = answer_problems(expected)
            if wrong:
                problems += [
                    Incident(
                        "bad-fixture-answer",
                        what,
                        shown(answer),
                        where,
                        hint="an answer is {title, body, lang, published, source_url, "
                        "is_article, notes} (tests/cleaning/README.md)",
                    )
                    for where, what in wrong
                ]
                continue
            out.append(Fixture(path.stem, path, path.suffix[1:], expected, part))
    if problems:
        raise RukpError(*problems)
    if not out:
        raise RukpError.single(
            "fixtures-missing",
            "no fixture page (NAME.txt or NAME.html with NAME.expected.json) in the folder",
            file=shown(folder),
            hint="pass --fixtures DIR (tests/cleaning/README.md describes a fixture)",
        )
    if split_file is not None and present(split_file):
        split = read_json(split_file, "config")
        sealed = split.get("sealed") if isinstance(split, dict) else None
        if not (isinstance(sealed, list) and all(isinstance(x, str) for x in sealed)):
            raise RukpError.single(
                "bad-fixture-split",
                'expected {"sealed": ["<page id>", …], "tune": [...]}',
                file=shown(split_file),
                location="$.sealed",
                hint="split.json lists the ids of the sealed pages (tests/cleaning/README.md)",
            )
        lists = {"sealed": sealed}
        for part in PARTS[1:]:
            if part == "sealed":
                continue
            ids = split.get(part, [])
            if not (isinstance(ids, list) and all(isinstance(x, str) for x in ids)):
                raise RukpError.single(
                    "bad-fixture-split",
                    f"{part!r} is not a list of page ids",
                    file=shown(split_file),
                    location=f"$.{part}",
                    hint="split.json lists the ids of the dev and of each sealed part "
                    "(tests/cleaning/README.md)",
                )
            lists[part] = ids

        def part_of(page: str) -> str:
            return next((p for p, ids in lists.items() if page in ids), "tune")

        wrong_part = [f.id for f in out if part_of(f.id) != f.part]
        if wrong_part:
            raise RukpError.single(
                "fixture-split-mismatch",
                f"pages in the wrong folder for split.json: {', '.join(wrong_part)}",
                file=str(split_file),
                hint="pages belong in the folder of the part split.json lists them in (dev/, "
                "sealed/, sealed-3/, sealed-12/, sealed-13/), the others in tune/",
            )
    return out


def answer_problems(expected: Any) -> list[tuple[str, str]]:
    """(JSON path, what is wrong) for an expected answer that `score_page` cannot use."""
    if not isinstance(expected, dict):
        return [("$", "an answer is one JSON object")]

    def text_or_null(key: str) -> bool:
        return key in expected and (expected[key] is None or isinstance(expected[key], str))

    checks = (
        ("is_article", "true or false", isinstance(expected.get("is_article"), bool)),
        (
            "body",
            "a list of strings",
            isinstance(expected.get("body"), list)
            and all(isinstance(x, str) for x in expected["body"]),
        ),
        ("title", "a string or null", text_or_null("title")),
        ("published", "a string or null", text_or_null("published")),
        ("source_url", "a string or null", text_or_null("source_url")),
    )
    return [
        (f"$.{key}", f"`{key}` must be {what}" + ("" if key in expected else " (it is missing)"))
        for key, what, ok in checks
        if not ok
    ]


System = Callable[[Fixture], Extraction]


def evaluate(
    fixtures: Sequence[Fixture], systems: dict[str, System]
) -> dict[str, dict[str, dict[str, Any]]]:
    """{system: {fixture id: page row}}; a system that raises on a page gets an empty extraction
    for it and the error in the row."""
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for name, system in systems.items():
        rows: dict[str, dict[str, Any]] = {}
        for fx in fixtures:
            try:
                extraction = system(fx)
                error = None
            except Exception as exc:  # a peer failing on a page is a result, not a crash
                extraction, error = Extraction(is_article=False), f"{type(exc).__name__}: {exc}"
            row = score_page(extraction, fx.expected)
            if error:
                row["error"] = error
            rows[fx.id] = row
        results[name] = rows
    return results
