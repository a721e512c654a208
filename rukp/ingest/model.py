"""The line model: which lines of a page are the article body, and which one is its title.

Two logistic regressions over the features of rukp.ingest.features:
1. pass 1 scores each line from its LOCAL features alone;
2. pass 2 scores it again from its local features plus CONTEXT features built from the pass-1
   scores of the page: its neighbours' scores, and whether it lies inside the page's densest
   prose block (the maximum-sum run of (score − BLOCK_CENTRE, 0.4) weighted by length: inline
   furniture between paragraphs stays inside, menus, comment sections and footers fall outside).
A line is body when its pass-2 probability is at least `threshold`.
The title is the best-scoring candidate among the lines before the first body line, by a third
regression over title features (on HTML pages, likeness to the metadata title is one of them).

The weights live in line_model.json, written by scripts/train_cleaner.py from the tuning
fixtures (tests/cleaning/tune), the seeds' expected texts and the hand-written test pages;
the file records what it was trained on. Inference is numpy only.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from rukp.ingest.features import LineInfo, normalise_key
from rukp.ingest.page import Page

MODEL_PATH = Path(__file__).resolve().parent / "line_model.json"
CONTEXT_NAMES = (
    "p1_prev", "p1_next", "p1_prev2", "p1_next2", "p1_window", "in_block",
    "before_block", "after_block", "block_dist", "sandwich", "sandwich_short", "near_before",
    "cue_prev", "cue_next", "cue_window",
)  # fmt: skip
TITLE_NAMES = (
    "bias", "log_chars", "w_le2", "w_3_5", "w_6_10", "w_11_20", "w_21_30", "w_gt30", "ends_period",
    "ends_other", "fw_density", "upper_init", "all_caps", "digit_share", "separators", "cue_any",
    "date_short", "repeated", "near_body", "dist_le3", "title_rank0", "title_rank1", "after_body",
    "h_h1", "h_heading", "meta_equal", "meta_overlap", "p2", "bracket_start", "body_overlap",
    "title_like", "next_meta", "top3", "has_time", "elsewhere", "prev_long", "next_long",
    "start_cue",
)  # fmt: skip
META_CONCEPTS = frozenset({"byline", "published", "updated", "readtime"})
BLOCK_CENTRE = 0.4  # a line adds to the prose block when its pass-1 score is above this
TITLE_BODY_LINES = 4  # the title's words are looked for in this many body lines
TITLE_WINDOW = 30  # title candidates: this many lines before the first body line


@dataclass(slots=True)
class LineModel:
    local_names: tuple[str, ...]
    w1: np.ndarray
    w2: np.ndarray
    wt: np.ndarray
    threshold: float  # the decision threshold: title, article check, date and URL
    meta: dict
    # the body's operating point: lines down to this probability are body (at most `threshold`)
    body_threshold: float = 1.0

    def pass1(self, rows: np.ndarray) -> np.ndarray:
        return _sigmoid(rows @ self.w1)

    def pass2(self, rows: np.ndarray, context: np.ndarray) -> np.ndarray:
        return _sigmoid(np.hstack([rows, context]) @ self.w2)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # np.minimum/np.maximum: the same values as np.clip, without its per-call cost
    return 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(z, -30.0), 30.0)))


def block(p1: np.ndarray, infos: list[LineInfo]) -> tuple[int, int]:
    """The densest prose block: the run of lines maximising Σ (p1 − BLOCK_CENTRE) × weight, with
    weight 1 + min(words, 40)/10 (a paragraph counts more than a menu item). (start, end)
    inclusive; (-1, -1) for an empty page. The gains are computed by numpy (the same IEEE
    operations per line), the run in plain floats."""
    if len(infos) != len(p1):
        raise ValueError(f"{len(p1)} scores for {len(infos)} lines")
    words = np.fromiter((info.words for info in infos), dtype=float, count=len(infos))
    gains = ((p1 - BLOCK_CENTRE) * (1 + np.minimum(words, 40) / 10)).tolist()
    best, best_span = 0.0, (-1, -1)
    run, start = 0.0, 0
    for i, gain in enumerate(gains):
        if run <= 0:
            run, start = gain, i
        else:
            run += gain
        if run > best:
            best, best_span = run, (start, i)
    return best_span


def context_features(p1: np.ndarray, infos: list[LineInfo]) -> np.ndarray:
    """CONTEXT_NAMES features of every line from the pass-1 scores (plain Python: pages are a
    few dozen lines, where numpy's per-call cost dominates; conditional expressions instead of
    float(bool) calls, one flat list made an array at once)."""
    n = len(infos)
    if n == 0:
        return np.zeros((0, len(CONTEXT_NAMES)))
    b0, b1 = block(p1, infos)
    p = [0.0, 0.0, *p1.tolist(), 0.0, 0.0]
    cue = [0.0, 0.0, *[1.0 if x.concepts else 0.0 for x in infos], 0.0, 0.0]
    rows: list[float] = []
    extend = rows.extend
    has_block = b0 >= 0
    for i, info in enumerate(infos):
        j = i + 2
        prev, prev2, nxt, nxt2 = p[j - 1], p[j - 2], p[j + 1], p[j + 2]
        before = has_block and i < b0
        after = has_block and i > b1
        sandwich = min(prev, nxt)
        extend(
            (
                prev,
                nxt,
                max(prev, prev2),
                max(nxt, nxt2),
                sum(p[j - 3 if j >= 3 else 0 : j + 4]) / 7,
                1.0 if has_block and b0 <= i <= b1 else 0.0,
                1.0 if before else 0.0,
                1.0 if after else 0.0,
                min(b0 - i if before else i - b1 if after else 0, 10) / 10,
                sandwich,
                sandwich * (1.0 if info.words <= 12 else 0.0),
                1.0 if before and b0 - i <= 6 else 0.0,
                cue[j - 1],
                cue[j + 1],
                (cue[j - 2] + cue[j - 1] + cue[j + 1] + cue[j + 2]) / 4,
            )
        )
    return np.array(rows, dtype=float).reshape(n, len(CONTEXT_NAMES))


def _units(text: str) -> set[str]:
    """Comparison units of a text: words of 4+ characters, or character bigrams for text
    without spaces (CJK)."""
    words = text.split()
    if len(words) >= 3 or not text:
        return {w for w in words if len(w) >= 4}
    return {text[i : i + 2] for i in range(min(len(text), 200) - 1)}


def _body_units(infos: list[LineInfo], body: list[int]) -> tuple[set[str], set[str]]:
    """The _units of the first TITLE_BODY_LINES body lines (their first 600 characters), in two
    sets: every word of the lines of 3 words or more (short words too: see _shared), and the
    character bigrams of the others. Cheaper than the union of their _units."""
    words: set[str] = set()
    pairs: set[str] = set()
    for i in body[:TITLE_BODY_LINES]:
        text = infos[i].key[:600]
        split = text.split()
        if len(split) >= 3 or not text:
            words.update(split)
        else:
            pairs |= _units(text)
    return words, pairs


def _shared(units: set[str], words: set[str], pairs: set[str]) -> int:
    """len(units & the union of the body lines' _units) from _body_units' sets: a unit of 4
    characters or more is a word unit (found among the words), a unit of 2 a bigram (found
    among the bigrams); word units have 4 characters or more, bigrams 2."""
    return sum(1 for u in units if (u in pairs) or (len(u) >= 4 and u in words))


_BREADCRUMB = re.compile(r"\s[>›»/|·•]\s|^[>›»|·•]|[>›»|·•]$")
_GUILLEMETS = re.compile(r"«[^«»]*»|‹[^‹›]*›")  # a quotation, whose closing mark is no separator


def _breadcrumb(key: str) -> bool:
    """Separators of a breadcrumb trail ("Home > Monde > Asie", "Accueil »"); a quotation in
    guillemets is not one («Mosca ha trovato un magazzino di munizioni»)."""
    if "«" in key or "‹" in key:
        key = _GUILLEMETS.sub("q", key)
    return _BREADCRUMB.search(key) is not None


# Cues that a headline never carries (a headline may say "video", "live" or "photos").
NOT_IN_TITLES = frozenset(
    "share newsletter cookie ads comments legal navigation donate error tags readtime byline "
    "source notice".split()
)


# Cues a headline may open with ("[LIVE] …", "VIDEO: …", "Última hora: …", "속보 …"), as may a
# ticker or a player label: a line of HEADLINE_LABEL_WORDS or more opening with one is a title
# candidate (the title features weigh the label), a shorter one is not.
HEADLINE_LABELS = frozenset({"media", "breaking"})
HEADLINE_LABEL_WORDS = 6


# A headline of two short sentences may end with a full stop ("Kim Jong Un is learning from
# Russia's war. We should be alarmed."): at most this many words.
TWO_SENTENCE_WORDS = 15
TITLE_DATE_WORDS = 5  # a headline may close with its date in brackets after this many words


def title_like(
    info: LineInfo, row: np.ndarray, col: dict[str, int], labelled: bool = False
) -> bool:
    """3 to 30 words, not ending with a full stop, no date, no cue at its start and no cue a
    headline never carries; with `labelled` (a title candidate), a line of HEADLINE_LABEL_WORDS
    words or more may open with one of the HEADLINE_LABELS or with a label in lenticular
    brackets, and a date may close the line in brackets (_bracketed_date: a statement's title;
    not so for the headline-like lines the article check counts, where "… in pictures
    (03.06.2024)" is a dated teaser of a list)."""
    ends_period = info.key.rstrip("\"'”’»)]）」").endswith((".", "。"))
    start_ok = not info.start or (
        labelled
        and info.words >= HEADLINE_LABEL_WORDS
        and (info.start <= HEADLINE_LABELS or _lenticular_label(info.key))
    )
    return (
        3 <= info.words <= 30
        and (not ends_period or (info.sentences >= 2 and info.words <= TWO_SENTENCE_WORDS))
        and not _breadcrumb(info.key)
        and (not info.dates or (labelled and _bracketed_date(info)))
        and start_ok
        and not info.concepts & NOT_IN_TITLES
    )


def _lenticular_label(key: str) -> bool:
    """The line opens with a label in lenticular brackets, as Japanese and Chinese headlines do
    ("【写真特集】…", "【速報】…", "【解説】…"): whatever cue the label holds, it labels a
    headline."""
    return key.startswith("【") and "】" in key[2:12]


def _in_meta_title(info: LineInfo, meta: str) -> bool:
    """The whole line, of 3 to 30 words and no cue, stands in the HTML page's metadata title
    (its <title> adds a number, a date or the site's name): a headline, even one that ends
    with an abbreviation's full stop ("… Hk.")."""
    return bool(meta) and 3 <= info.words <= 30 and not info.concepts and info.key in meta


def _bracketed_date(info: LineInfo) -> bool:
    """The line's one date closes it in brackets, after at least TITLE_DATE_WORDS other words:
    the title of a ministry's statement or press release ("North Korea – Deployment of troops
    in Russia (4 November 2024)")."""
    key = info.key
    if len(info.dates) != 1 or not key.endswith(")"):
        return False
    inside = key[key.rfind("(") + 1 : -1]
    return (
        "(" in key
        and len(inside.split()) <= 4
        and info.words - len(inside.split()) >= TITLE_DATE_WORDS
    )


@lru_cache(maxsize=4)
def _columns(names: tuple[str, ...]) -> dict[str, int]:
    return {name: k for k, name in enumerate(names)}


def title_rows(
    page: Page,
    rows: np.ndarray,
    infos: list[LineInfo],
    p2: np.ndarray,
    body: list[int],
    names: tuple[str, ...],
) -> tuple[list[int], np.ndarray]:
    """Title candidates (line indices) and their title features."""
    col = _columns(names)
    first = body[0] if body else len(infos)
    cands = [i for i in range(max(0, first - TITLE_WINDOW), min(first + 1, len(infos)))]
    if page.format == "html":
        cands += [i for i, line in enumerate(page.lines) if line.tag == "h1" and i not in cands]
    in_body = set(body)
    like: dict[int, bool] = {}  # title_like of each line looked at, computed once
    labels: dict[int, bool] = {}  # label_list of each line looked at, computed once

    def is_labels(j: int) -> bool:
        if j not in labels:
            labels[j] = label_list(page.lines[j].text)
        return labels[j]

    meta = normalise_key(page.meta_title or "")
    kept = []
    for i in sorted(set(cands)):
        if i not in in_body or i == first:
            like[i] = title_like(infos[i], rows[i], col, labelled=True) or _in_meta_title(
                infos[i], meta
            )
            if (like[i] or page.lines[i].tag == "h1") and not is_labels(i):
                kept.append(i)  # a list of labels is a kicker or a category line, no title
    cands = kept
    meta_units = _units(meta)
    body_words, body_pairs = _body_units(infos, body) if cands else (set(), set())
    rank: dict[int, int] = {}
    for i in sorted((i for i in cands if i < first), reverse=True):
        if like[i]:
            rank[i] = len(rank)
    joined = "\n".join(info.key for info in infos) if cands else ""

    def long_like(j: int) -> bool:
        """Line j is a headline-like line of 6 words or more (a headline, a standfirst), not a
        list of labels (a kicker)."""
        if not 0 <= j < len(infos) or infos[j].words < 6:
            return False
        if j not in like:
            like[j] = title_like(infos[j], rows[j], col, labelled=True)
        return like[j] and not is_labels(j)

    def meta_follows(i: int) -> bool:
        """A byline, date or reading-time line within 3 lines after line i, with no headline-like
        line of 6+ words between (the meta lines under a headline belong to it, not to its
        kicker or column name above)."""
        for j in range(i + 1, min(i + 4, len(infos))):
            if infos[j].dates or infos[j].concepts & META_CONCEPTS:
                return True
            if long_like(j):
                return False
        return False

    out = []
    for i in cands:
        r, info = rows[i], infos[i]
        w = info.words
        units = _units(info.key)
        overlap = len(units & meta_units) / len(units | meta_units) if meta_units and units else 0.0
        in_text = _shared(units, body_words, body_pairs) / len(units) if units else 0.0
        dist = first - i if i <= first else i - first
        text = page.lines[i].text.rstrip("\"'”’»)]）」")
        out.append(
            [
                1.0,
                r[col["log_chars"]],
                float(w <= 2),
                float(2 < w <= 5),
                float(5 < w <= 10),
                float(10 < w <= 20),
                float(20 < w <= 30),
                float(w > 30),
                float(text.endswith(".")),
                float(text.endswith(("?", "!", "…", "？", "！"))),
                r[col["fw_density"]],
                r[col["upper_init"]],
                r[col["all_caps"]],
                r[col["digit_share"]],
                r[col["separators"]],
                float(bool(info.concepts)),
                r[col["date_short"]],
                r[col["repeated"]],
                1 / (1 + dist),
                float(dist <= 3),
                float(rank.get(i) == 0),
                float(rank.get(i) == 1),
                float(i > first),
                r[col["h_h1"]],
                r[col["h_heading"]],
                float(bool(meta) and info.key == meta),
                overlap,
                float(p2[i]),
                float(info.key[:1] in "[【(「"),
                in_text,
                float(title_like(info, r, col)),  # strict: no label, no date
                float(meta_follows(i)),
                float(i < 3),
                r[col["time_short"]],
                # the line's text occurs again on the page (a breadcrumb, a most-read list, a
                # share prompt quoting the headline)
                float(bool(info.key) and joined.count(info.key) > 1),
                # a headline-like line of 6+ words right before it (it may be the standfirst or
                # a status line under the headline) or right after it
                float(long_like(i - 1)),
                float(long_like(i + 1)),
                float(bool(info.start)),  # opens with a cue (a label, see HEADLINE_LABELS)
            ]
        )
    return cands, np.array(out).reshape(len(out), len(TITLE_NAMES))


# a comma before a space, or a dash, dot, bar or slash between spaces ("북·러", "and/or" are words)
_LIST_SEPARATOR = re.compile(r"\s*[,，]\s+|\s+[-–—·|/•]\s+")
LABEL_WORDS = 3  # at most this many words in each label of a list of labels


def label_list(text: str) -> bool:
    """A list of labels, not a sentence: a kicker or a category line above a headline ("Corée du
    Nord, Guerre en Ukraine", "Corée du Sud - Russie - Ukraine - conflit"). Three or more parts
    between commas, dashes, bars or slashes, or two that both open with a capital, each of at
    most LABEL_WORDS words, and no sentence punctuation at the end."""
    text = text.strip()
    if not text or text[-1] in ".!?。！？:：":
        return False
    parts = [part for part in _LIST_SEPARATOR.split(text) if part]
    if len(parts) < 2 or any(len(part.split()) > LABEL_WORDS for part in parts):
        return False
    return len(parts) >= 3 or all(part[:1].isupper() for part in parts)


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> LineModel:
    # line_model.json ships inside the package (not a user file): read directly, not through
    # rukp.safeio; no command takes a model path.
    return model_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def model_from_dict(data: dict) -> LineModel:
    return LineModel(
        local_names=tuple(data["local_names"]),
        w1=np.array(data["pass1"], dtype=float),
        w2=np.array(data["pass2"], dtype=float),
        wt=np.array(data["title"], dtype=float),
        threshold=float(data["threshold"]),
        meta=data["meta"],
        body_threshold=float(data.get("body_threshold", data["threshold"])),
    )


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))
