"""Warnings that keep the adjudication decisions of guidelines 1.3 (annotations/GUIDELINES.md).

- `double-coded-event`: two events of one type with the same sources and targets whose triggers
  are the same span, or lie in one clause: the same sentence (the release's sentences,
  `rukp.sentences.split_sentences`, never cut inside an entity or trigger) with no clause
  boundary between them. A boundary is a standalone mark (; :) or a separator (comma, dash,
  parenthesis) followed by an opener of the paragraph's language (a conjunction or relative
  pronoun), both listed in schema/clause_openers.json.
- `author-stance-without-target-reference`: an author stance (the outlet's own voice) whose
  evidence refers to its target neither by entity mentions of both parties nor by a keyword of
  the evidence's language (schema/target_references.json).

Both are heuristics for a person to look at (level warning), not proofs: the guidelines decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

from rukp.errors import Incident, RukpError
from rukp.paths import schema_dir
from rukp.safeio import read_json
from rukp.sentences import split_sentences
from rukp.validate.loaders import display_path, schema_incidents

CLAUSE_OPENERS = "clause_openers"
TARGET_REFERENCES = "target_references"
QUOTES = "\"'“”‘’«»„‹›"
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})

AddIncident = Callable[..., None]


@dataclass(slots=True, frozen=True)
class Openers:
    match: str  # "word" or "prefix"
    words: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class ClauseRules:
    standalone: frozenset[str]
    separators: frozenset[str]
    languages: dict[str, Openers]


@dataclass(slots=True, frozen=True)
class Keywords:
    match: str  # "prefix" or "substring"
    terms: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class TargetReference:
    parties: tuple[frozenset[str], ...]
    keywords: dict[str, Keywords]


def _read(name: str, path: Path | None) -> Any:
    """schema/<name>.json through rukp.safeio (RukpError on a bad file), then its JSON Schema."""
    p = Path(path) if path else schema_dir() / f"{name}.json"
    data = read_json(p, "config")
    found = schema_incidents(data, f"{name}", display_path(p))
    if found:
        raise RukpError(*found)
    return data


@lru_cache(maxsize=4)
def load_clause_rules(path: Path | None = None) -> ClauseRules:
    """schema/clause_openers.json (or `path`); RukpError when unreadable or schema-invalid."""
    data = _read(CLAUSE_OPENERS, path)
    return ClauseRules(
        standalone=frozenset(data["standalone"]),
        separators=frozenset(data["separators"]),
        languages={
            lang: Openers(spec["match"], tuple(w.lower().translate(APOSTROPHES) for w in words))
            for lang, spec in data["languages"].items()
            for words in [spec["openers"]]
        },
    )


@lru_cache(maxsize=4)
def load_target_references(path: Path | None = None) -> dict[str, TargetReference]:
    """schema/target_references.json (or `path`), per stance target id."""
    data = _read(TARGET_REFERENCES, path)
    return {
        target: TargetReference(
            parties=tuple(frozenset(p) for p in spec["parties"]),
            keywords={
                lang: Keywords(kw["match"], tuple(t.lower() for t in kw["terms"]))
                for lang, kw in spec["keywords"].items()
            },
        )
        for target, spec in data["targets"].items()
    }


# ---------------------------------------------------------------- language and clauses


def language_at(doc: dict | None, offset: int) -> str:
    """The language of the paragraph holding `offset`, else the document's language, else ''."""
    if not doc:
        return ""
    for para in doc.get("paragraphs") or []:
        if para.get("start", 0) <= offset < para.get("end", 0) and para.get("language"):
            return str(para["language"])
    return str(doc.get("language") or "")


def _opener_at(text: str, i: int, openers: Openers) -> str | None:
    """The opener starting at text[i] (after spaces and quotes), if any."""
    n = len(text)
    while i < n and (text[i].isspace() or text[i] in QUOTES):
        i += 1
    rest = text[i : i + 40].lower().translate(APOSTROPHES)
    for word in openers.words:
        if not rest.startswith(word):
            continue
        after = rest[len(word) : len(word) + 1]
        if openers.match == "prefix" or word.endswith("'") or not after or not after.isalnum():
            return word
    return None


def clause_boundary(text: str, start: int, end: int, lang: str, rules: ClauseRules) -> str | None:
    """The clause boundary in text[start:end] (shown as found), or None when there is none."""
    openers = rules.languages.get(lang)
    for i in range(start, end):
        ch = text[i]
        if ch in rules.standalone:
            return ch
        if ch in rules.separators and openers is not None:
            word = _opener_at(text, i + 1, openers)
            if word is not None:
                return f"{ch} {word}"
    return None


# ---------------------------------------------------------------- the checks


def check_double_coded_events(
    data: dict, text: str, doc: dict | None, add: AddIncident, rules: ClauseRules | None = None
) -> None:
    """Warn on two events of one type, same sources and targets, triggers in one clause."""
    rules = rules or load_clause_rules()
    events: Sequence[dict] = data["events"]
    keep = [(e["start"], e["end"]) for e in data["entities"]]
    keep += [(ev["trigger"]["start"], ev["trigger"]["end"]) for ev in events]
    sentences = split_sentences(text, keep_together=keep)

    def sentence_of(offset: int) -> int:
        for k, s in enumerate(sentences):
            if s.start <= offset < s.end:
                return k
        return -1

    for (_i, a), (j, b) in combinations(enumerate(events), 2):
        if a["type"] != b["type"]:
            continue
        if set(a["sources"]) != set(b["sources"]) or set(a["targets"]) != set(b["targets"]):
            continue
        ta, tb = a["trigger"], b["trigger"]
        if (ta["start"], ta["end"]) == (tb["start"], tb["end"]):
            where = f"on the same trigger '{ta['text']}'"
        else:
            first, second = sorted((ta, tb), key=lambda t: (t["start"], t["end"]))
            k = sentence_of(first["start"])
            if k < 0 or k != sentence_of(second["start"]):
                continue
            lo, hi = first["end"], max(first["end"], second["start"])
            lang = language_at(doc, first["start"])
            if clause_boundary(text, lo, hi, lang, rules) is not None:
                continue
            where = (
                f"with triggers '{ta['text']}' and '{tb['text']}' in one clause (one sentence, "
                f"no clause boundary between them for language '{lang or '?'}')"
            )
        add(
            "double-coded-event",
            f"events '{a['id']}' and '{b['id']}' are both {a['type']} with the same sources "
            f"{sorted(a['sources'])} and targets {sorted(a['targets'])}, {where}",
            f"$.events[{j}]",
            "one happening in one clause is one event (guidelines §4.1, 'One happening, one "
            "record'): delete one record; if they are two happenings, keep both and list the "
            "pair as accepted in annotations/ADJUDICATION.md",
            "warning",
        )


def _keyword_in(evidence: str, keywords: Keywords) -> str | None:
    low = evidence.lower()
    for term in keywords.terms:
        if keywords.match == "substring":
            if term in low:
                return term
        elif re.search(rf"(?<![^\W\d_]){re.escape(term)}", low):
            return term
    return None


def check_author_stances(
    data: dict,
    doc: dict | None,
    add: AddIncident,
    references: dict[str, TargetReference] | None = None,
) -> None:
    """Warn on an author stance whose evidence holds no reference to its target."""
    references = references if references is not None else load_target_references()
    for k, st in enumerate(data["stances"]):
        if st["attribution"] != "author":
            continue
        ref = references.get(st["target"])
        if ref is None:
            continue  # no reference list for this target: nothing to check against
        ev = st["evidence"]
        ids = {
            e["canonical_id"]
            for e in data["entities"]
            if e["canonical_id"] and ev["start"] <= e["start"] and e["end"] <= ev["end"]
        }
        if ref.parties and all(ids & party for party in ref.parties):
            continue
        lang = language_at(doc, ev["start"])
        keywords = ref.keywords.get(lang)
        if keywords is not None and _keyword_in(ev["text"], keywords) is not None:
            continue
        named = ", ".join(sorted(ids)) or "no entity"
        add(
            "author-stance-without-target-reference",
            f"author stance '{st['id']}' ({st['label']}) has evidence '{ev['text']}', which names "
            f"{named} (not both parties of {st['target']}) and no {st['target']} keyword of "
            f"language '{lang or '?'}' (schema/{TARGET_REFERENCES}.json)",
            f"$.stances[{k}].evidence",
            "the outlet's stance must evaluate the target itself; an epithet about a person is "
            "not a stance on the cooperation (guidelines §3.1): delete the record or choose "
            "evidence where the outlet evaluates the cooperation",
            "warning",
        )


def consistency_incidents(data: dict, text: str, doc: dict | None, file: str) -> list[Incident]:
    """Both checks on one annotation whose spans match `text`."""
    out: list[Incident] = []

    def add(id: str, message: str, location: str, hint: str, level: str = "warning") -> None:
        out.append(Incident(id, message, file, location, data["doc_id"], hint, level))  # type: ignore[arg-type]

    check_double_coded_events(data, text, doc, add)
    check_author_stances(data, doc, add)
    return out
