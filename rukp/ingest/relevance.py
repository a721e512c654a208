"""Relevance selection: is a cleaned document about the Russia–North Korea military cooperation?

A crawl holds mostly pages about something else. The filter reads a multilingual lexicon made
of three groups of terms:

- **russia** and **north_korea**: every alias (all languages) of the registry entities that
  rukp/ingest/relevance.json names for each side (annotations/entities.json: Russia, Russian,
  the Kremlin, Putin, Lavrov, …; North Korea, North Korean, Pyongyang, Kim Jong Un), plus the
  names relevance.json adds where the registry has none (Vietnamese, short forms);
- **topic**: the military-cooperation terms of relevance.json per language (troops, treaty,
  defence, war, …) and the weapon words of annotations/lexicon.json (WEA).

Matching: text and terms are cut into words (runs of letters and digits); a term matches a run
of words. An all-capital alias (КНДР, DPRK) matches only as written, a capitalised one only a
capitalised word, a lower-case one any. Inflection follows the alias's language: Russian,
Ukrainian and Polish words match with their final vowel swapped or up to 4 letters added
(Россия → России), German and Dutch with up to 2 letters (Russlands), Turkish up to 6
(Ruslar), Korean up to 4 (particles: 북한은); an Arabic word may carry one of the prefixes
و ف ب ل ك. A term ending in '*' in relevance.json matches any word it begins. Japanese and
Chinese terms are found inside the text; one-character abbreviations (朝, 俄, 露, 북, 러) count
only in runs of two or more (朝俄, 북·러). At each word the longest matching term counts once.

Score: 0.25 for each group named somewhere in the document, and 0.25 more when one paragraph
(the title is one) names all three. A document is relevant when its score reaches the threshold
(relevance.json: 0.75, every group named in the document). scripts/eval_relevance.py measures
recall on the gold documents and the project's on-topic fixtures and false positives on
off-topic fixtures (docs/ingest.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rukp.io import write_json
from rukp.safeio import read_json

HERE = Path(__file__).resolve().parent
TOPIC_FILE = HERE / "relevance.json"
GROUPS = ("russia", "north_korea", "topic")
_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_ENDINGS = {  # letters dropped from the end of an alias word before its own ending is added
    "ru": "аеёиоуыэюяьй",
    "uk": "аеиоуюяьйіїє",
    "pl": "aeiouyąęó",
}
_EXTRA = {"ru": 4, "uk": 4, "pl": 4, "de": 2, "nl": 2, "tr": 6, "ko": 4}
_ARABIC_PREFIXES = "وفبلك"
_RUN_MARKS = "·・‧-"
SEEN_WORDS = 1 << 16  # words whose candidate terms are remembered (then forgotten at once)


@dataclass(slots=True, frozen=True)
class Term:
    words: tuple[str, ...]  # case-folded; each a whole word or a stem
    case: tuple[str, ...]  # per word: "upper" (as written), "capital" or "any"
    extra: tuple[int, ...]  # per word: letters that may follow the stem (-1: any number)
    group: str
    arabic: bool = False
    written: tuple[str, ...] = ()  # the words as written (for "upper")


def _term(name: str, lang: str, group: str) -> Term | None:
    prefix = name.endswith("*")
    name = unicodedata.normalize("NFC", name.rstrip("*").strip())
    raw = _WORD.findall(name)
    if not raw:
        return None
    words, case, extra = [], [], []
    for k, word in enumerate(raw):
        folded = word.casefold()
        n = _EXTRA.get(lang, 0)
        strip = _ENDINGS.get(lang, "")
        if strip and not prefix and len(folded) > 4:
            cut = folded
            while len(cut) > 4 and len(folded) - len(cut) < 2 and cut[-1] in strip:
                cut = cut[:-1]
            folded = cut
        words.append(folded)
        if word.isupper() and len(word) >= 2:
            case.append("upper")
        elif word[0].isupper():
            case.append("capital")
        else:
            case.append("any")
        extra.append(-1 if prefix and k == len(raw) - 1 else n)
    return Term(tuple(words), tuple(case), tuple(extra), group, lang == "ar", tuple(raw))


@dataclass(slots=True)
class Verdict:
    relevant: bool
    score: float
    mentions: dict[str, int]
    joint_paragraph: int | None  # first paragraph naming all three groups (0 = the first)

    def to_dict(self) -> dict[str, Any]:
        return {
            "relevant": self.relevant,
            "score": self.score,
            "mentions": self.mentions,
            "joint_paragraph": self.joint_paragraph,
        }


class Lexicon:
    """The compiled lexicon; `score(text)` gives a Verdict."""

    def __init__(self, entries: list[tuple[str, str, str]], threshold: float, version: str):
        self.entries = sorted(set(entries))
        self.threshold = threshold
        self.version = version
        self._exact: dict[str, list[Term]] = {}  # by first word, when it takes no ending
        self._stems: dict[str, list[Term]] = {}  # by first word's stem, when it takes one
        substrings: dict[str, set[str]] = {}
        self._abbrev: dict[str, set[str]] = {}
        for name, lang, group in self.entries:
            plain = name.rstrip("*")
            if _CJK.search(plain) or (lang in ("ja", "zh") and not plain.isascii()):
                key = unicodedata.normalize("NFC", plain).casefold()
                if len(key) == 1:
                    self._abbrev.setdefault(key, set()).add(group)
                else:
                    substrings.setdefault(key, set()).add(group)
                continue
            if len(plain) == 1 and _HANGUL.search(plain):
                self._abbrev.setdefault(plain, set()).add(group)
                continue
            term = _term(name, lang, group)
            if term is not None:
                table = self._stems if term.extra[0] else self._exact
                table.setdefault(term.words[0], []).append(term)
        self._stem_lengths = sorted({len(k) for k in self._stems})
        self._seen: dict[str, tuple[Term, ...]] = {}  # candidates per word (words repeat)
        self._substrings = substrings
        self._cjk = (
            re.compile("|".join(map(re.escape, sorted(substrings, key=lambda s: (-len(s), s)))))
            if substrings
            else None
        )
        chars = "".join(sorted(self._abbrev))
        marks = re.escape(_RUN_MARKS)
        self._runs = (
            re.compile(f"[{re.escape(chars)}](?:[{marks}]?[{re.escape(chars)}])+")
            if chars
            else None
        )

    # ------------------------------------------------------------------ building
    @classmethod
    def from_files(
        cls,
        registry: Path,
        weapons: Path | None = None,
        topic: Path = TOPIC_FILE,
        threshold: float | None = None,
    ) -> Lexicon:
        """The lexicon of a registry (entities.json), the WEA terms of a lexicon.json (if
        given) and the topic file (relevance.json)."""
        data = read_json(topic, "config")
        reg = read_json(registry, "registry")
        side_of = {eid: side for side, ids in data["sides"].items() for eid in ids}
        entries: list[tuple[str, str, str]] = []
        for entity in reg.get("entities", []):
            side = side_of.get(entity.get("id"))
            if side is None:
                continue
            for alias in entity.get("aliases", []):
                entries.append((alias["name"], alias.get("lang", ""), side))
            for lang, names in (entity.get("names") or {}).items():
                entries += [(n, lang, side) for n in names]
        for side, by_lang in data.get("names", {}).items():
            for lang, names in by_lang.items():
                entries += [(n, lang, side) for n in names]
        for lang, terms in data["topic"].items():
            entries += [(t, lang, "topic") for t in terms]
        if weapons is not None:
            wea = read_json(weapons, "config").get("terms", {}).get("WEA", {})
            for lang, terms in wea.items():
                entries += [(t, lang, "topic") for t in terms]
        value = data["threshold"] if threshold is None else threshold
        return cls(entries, float(value), str(data["version"]))

    def sha256(self) -> str:
        blob = json.dumps([self.entries, self.threshold], ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    def signature(self) -> str:
        return (
            f"relevance:{self.version}|lexicon:sha256:{self.sha256()[:12]}"
            f"|threshold:{self.threshold:g}"
        )

    def save(self, path: Path) -> None:
        """The lexicon's entries, for workers (rukp.ingest.pipeline) to compile it again."""
        write_json(
            path,
            {"version": self.version, "threshold": self.threshold, "entries": self.entries},
        )

    def report(self, relevant: int, not_relevant: int, relevant_only: bool) -> dict[str, Any]:
        return {
            "signature": self.signature(),
            "threshold": self.threshold,
            "documents_scored": relevant + not_relevant,
            "relevant": relevant,
            "not_relevant": not_relevant,
            "documents_written": "relevant only" if relevant_only else "all",
        }

    # ------------------------------------------------------------------ matching
    def mentions(self, text: str) -> Counter[str]:
        """Mentions per group in one paragraph."""
        text = unicodedata.normalize("NFC", text)
        found: Counter[str] = Counter()
        raw = _WORD.findall(text)
        words = [(w, w.casefold()) for w in raw]
        seen = self._seen
        i = 0
        while i < len(words):
            candidates = seen.get(words[i][1])
            if candidates is None:
                candidates = self._remember(words[i][1])
            term = self._longest(words, i, candidates) if candidates else None
            if term is None:
                i += 1
                continue
            found[term.group] += 1
            i += len(term.words)
        folded = text.casefold()
        if self._cjk is not None and _CJK.search(text):
            parts, at = [], 0
            for m in self._cjk.finditer(folded):
                for group in self._substrings[m.group()]:
                    found[group] += 1
                parts += [folded[at : m.start()], " "]
                at = m.end()
            folded = "".join([*parts, folded[at:]])  # a run inside a term does not count again
        if self._runs is not None:
            for m in self._runs.finditer(folded):
                for ch in m.group():
                    for group in self._abbrev.get(ch, ()):
                        found[group] += 1
        return found

    def _candidates(self, folded: str) -> tuple[Term, ...]:
        """Terms whose first word may be `folded`, longest first (a dictionary look-up per
        stem length)."""
        found = list(self._exact.get(folded, ()))
        for n in self._stem_lengths:
            if n > len(folded):
                break
            found += self._stems.get(folded[:n], ())
        if folded[:1] in _ARABIC_PREFIXES:
            found += [t for t in self._exact.get(folded[1:], ()) if t.arabic]
        return tuple(sorted(found, key=_longest_first))

    def _remember(self, folded: str) -> tuple[Term, ...]:
        found = self._candidates(folded)
        if len(self._seen) >= SEEN_WORDS:
            self._seen.clear()
        self._seen[folded] = found
        return found

    @staticmethod
    def _longest(words: list[tuple[str, str]], i: int, found: tuple[Term, ...]) -> Term | None:
        """The longest of the candidate terms that matches at word i."""
        for term in found:
            if i + len(term.words) <= len(words) and all(
                _word_ok(term, k, *words[i + k]) for k in range(len(term.words))
            ):
                return term
        return None

    def score(self, text: str, language: str | None = None) -> Verdict:
        """The verdict on a document text (paragraphs separated by blank lines)."""
        total: Counter[str] = Counter()
        joint: int | None = None
        for number, paragraph in enumerate(text.split("\n\n")):
            found = self.mentions(paragraph)
            total.update(found)
            if joint is None and all(found[g] for g in GROUPS):
                joint = number
        score = 0.25 * sum(1 for g in GROUPS if total[g]) + (0.25 if joint is not None else 0.0)
        mentions = {g: total[g] for g in GROUPS}
        return Verdict(score >= self.threshold, score, mentions, joint)


def _longest_first(term: Term) -> tuple[int, int, str, tuple[str, ...]]:
    return (-len(term.words), -sum(map(len, term.words)), term.group, term.words)


def _word_ok(term: Term, k: int, word: str, folded: str) -> bool:
    want, extra = term.words[k], term.extra[k]
    if folded == want:
        pass
    elif extra and folded.startswith(want):
        if 0 < extra < len(folded) - len(want):
            return False
    elif not (term.arabic and k == 0 and folded[:1] in _ARABIC_PREFIXES and folded[1:] == want):
        return False
    case = term.case[k]
    if case == "upper":
        return word.startswith(term.written[k])
    if case == "capital":  # a capital letter, or a script without case
        return word[0].isupper() or word[0].upper() == word[0].lower()
    return True


def load_compiled(path: Path) -> Lexicon:
    data = read_json(path, "config")
    entries = [tuple(e) for e in data["entries"]]
    return Lexicon(entries, float(data["threshold"]), str(data["version"]))  # type: ignore[arg-type]
