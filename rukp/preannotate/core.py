"""Pre-annotation of one document: CRF spans + registry matches (linked) + event trigger candidates.

How the two entity sources combine (measured in docs/baselines.md, "Pre-annotation"):

1. Registry matches (`rukp.preannotate.match`) come first: their boundaries follow the guidelines
   (particles outside, case endings inside) and they carry a canonical id and the registry type.
2. A CRF span that overlaps no registry match is kept (source `crf`) when its score (the mean
   marginal probability of its tags) is at least `crf_min_score`; a PER span is linked when its
   last word is the last word of PER aliases of exactly one registry id ("Sergej Lavrov" →
   `sergey_lavrov` through "Lavrov"). Leading and trailing punctuation is trimmed ("Putin-").
3. A CRF span with exactly the boundaries of a registry match confirms it (source `both`).
4. A CRF span that overlaps registry matches otherwise loses to them. (Switch
   `crf_longer_names`, off by default since the held-out pages showed German titles taken into
   names, "Kremlchef Wladimir Putin": a PER/ORG span of the same type that strictly contains one
   registry match not ending inside a word keeps the CRF boundaries, and the id only when the
   match ends where the CRF span ends: "Sergej Lavrov", not "Kim" in "Kim Yo Jong".)

Scores (Label Studio shows them per region; the task's prediction score is their mean):
registry exact form 0.9, inflected/clitic form 0.8, confirmed by the CRF 0.95, an id chosen among
several (a capital: state or city) 0.7, one-character abbreviation 0.6; CRF-only spans their CRF
score; trigger candidates the share of their occurrences in the gold that are triggers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rukp.build.text import split_sentences, tokenize
from rukp.preannotate.aliases import Alias
from rukp.preannotate.match import Match, Matcher, norm

SOURCES = ("registry", "crf", "both")


@dataclass(slots=True, frozen=True)
class Region:
    """One pre-annotated entity span."""

    start: int
    end: int
    type: str
    canonical_id: str | None
    source: str  # registry | crf | both
    score: float


@dataclass(slots=True, frozen=True)
class Trigger:
    start: int
    end: int
    type: str
    mode: str | None
    factuality: str
    score: float


@dataclass(slots=True)
class Settings:
    """What the pre-annotator uses; every switch is measured by `rukp preannotate --eval`."""

    use_crf: bool = True
    use_registry: bool = True
    crf_min_score: float = 0.7
    link_crf: bool = True
    crf_longer_names: bool = False
    trigger_min_score: float = 0.5
    # which alias origins the matcher uses (None: all); the hand-written lexicon on/off
    alias_origins: frozenset[str] | None = None
    use_lexicon: bool = True


# ---------------------------------------------------------------- CRF


@dataclass(slots=True, frozen=True)
class Mention:
    start: int
    end: int
    type: str


def spans_from_tags(
    tags: Sequence[str], starts: Sequence[int], ends: Sequence[int]
) -> list[Mention]:
    """Entity spans (document offsets) from IOB2 tags of one sentence's tokens (a stray I-
    opens a span)."""
    out: list[Mention] = []
    cur: list[Any] | None = None
    for tag, s, e in zip(tags, starts, ends, strict=True):
        prefix, _, typ = tag.partition("-")
        if prefix == "I" and cur is not None and cur[2] == typ:
            cur[1] = e
            continue
        if cur is not None:
            out.append(Mention(*cur))
            cur = None
        if prefix in ("B", "I") and typ:
            cur = [s, e, typ]
    if cur is not None:
        out.append(Mention(*cur))
    return out


def crf_spans(crf: Any, text: str) -> list[tuple[int, int, str, float]]:
    """(start, end, type, score) of the CRF's spans; score = mean marginal of the span's tags."""
    from rukp.baselines.models import sentence_features

    out: list[tuple[int, int, str, float]] = []
    for sent in split_sentences(text):
        toks = tokenize(text, sent.start, sent.end)
        if not toks:
            continue
        feats = sentence_features([text[t.start : t.end] for t in toks])
        tags = list(crf.predict_single(feats))
        marg = crf.predict_marginals_single(feats)
        starts = [t.start for t in toks]
        ends = [t.end for t in toks]
        for m in spans_from_tags(tags, starts, ends):
            idx = [k for k, t in enumerate(toks) if t.start >= m.start and t.end <= m.end]
            score = sum(marg[k].get(tags[k], 0.0) for k in idx) / max(1, len(idx))
            s, e = m.start, m.end
            # spans never start or end with punctuation (guidelines §0.3): "Putin-" -> "Putin"
            while s < e and not text[s].isalnum():
                s += 1
            while e > s and not text[e - 1].isalnum():
                e -= 1
            if s < e:
                out.append((s, e, m.type, round(float(score), 4)))
    return out


# ---------------------------------------------------------------- linking CRF spans


class LastWordIndex:
    """Registry ids by (type, normalised last word of an alias), to link CRF-only spans."""

    def __init__(self, aliases: Iterable[Alias]) -> None:
        self.ids: dict[tuple[str, str], set[str]] = defaultdict(set)
        for a in aliases:
            if a.abbreviation or a.type != "PER" or not a.id:
                continue
            words = [a.name[s.start : s.end] for s in tokenize(a.name)]
            words = [w for w in words if any(c.isalnum() for c in w)]
            if words and len(words[-1]) >= 3:
                self.ids[(a.type, norm(words[-1]))].add(a.id)

    def link(self, text: str, etype: str) -> str | None:
        if etype != "PER":
            return None
        words = [text[s.start : s.end] for s in tokenize(text)]
        words = [w for w in words if any(c.isalnum() for c in w)]
        if not words:
            return None
        ids = self.ids.get((etype, norm(words[-1])), set())
        return next(iter(ids)) if len(ids) == 1 else None


# ---------------------------------------------------------------- combining


def _registry_score(m: Match, ambiguous: bool) -> float:
    if m.alias.abbreviation:
        return 0.6
    if ambiguous:
        return 0.7
    return 0.9 if m.exact else 0.8


def combine(
    matches: Sequence[Match],
    crf: Sequence[tuple[int, int, str, float]],
    settings: Settings,
    linker: LastWordIndex | None = None,
    ambiguous: Iterable[tuple[int, int]] = (),
    text: str = "",
) -> list[Region]:
    """Entity regions from registry matches and CRF spans (see the module docstring)."""
    amb = set(ambiguous)
    regions: dict[tuple[int, int], Region] = {}
    for m in matches:
        regions[(m.start, m.end)] = Region(
            m.start,
            m.end,
            m.type,
            m.alias.id or None,
            "registry",
            _registry_score(m, (m.start, m.end) in amb),
        )
    for s, e, typ, score in crf:
        over = [r for r in regions.values() if r.start < e and s < r.end and r.source != "crf"]
        if not over:
            if score < settings.crf_min_score:
                continue
            if any(r.start < e and s < r.end for r in regions.values()):
                continue
            cid = linker.link(text[s:e], typ) if (linker and settings.link_crf) else None
            regions[(s, e)] = Region(s, e, typ, cid, "crf", score)
            continue
        if len(over) == 1 and (over[0].start, over[0].end) == (s, e):
            r = over[0]
            regions[(s, e)] = Region(s, e, r.type, r.canonical_id, "both", max(0.95, r.score))
            continue
        if (
            settings.crf_longer_names
            and len(over) == 1
            and typ in ("PER", "ORG")
            and over[0].type == typ
            and s <= over[0].start
            and over[0].end <= e
            and not _inside_word(text, over[0].start)
            and not _inside_word(text, over[0].end)
        ):
            r = over[0]
            del regions[(r.start, r.end)]
            cid = r.canonical_id if r.end == e else None
            regions[(s, e)] = Region(s, e, typ, cid, "both", round((score + r.score) / 2, 4))
    return sorted(regions.values(), key=lambda r: (r.start, r.end))


def _inside_word(text: str, i: int) -> bool:
    """True when offset i cuts a word ("Kim Jong Un|I due": the registry found the glue point)."""
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


# ---------------------------------------------------------------- triggers


@dataclass(slots=True)
class TriggerLexicon:
    """Gold triggers per language: type, mode and factuality counts, and how often the string is
    a trigger where it occurs in the gold texts (the candidate's score)."""

    entries: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_release(
        cls,
        event_rows: Iterable[Mapping[str, Any]],
        document_rows: Iterable[Mapping[str, Any]],
    ) -> TriggerLexicon:
        lex: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
        for row in event_rows:
            for m in row["mentions"]:
                key = (row["language"], _key(m["trigger"]))
                if not key[1]:
                    continue
                e = lex.setdefault(
                    key,
                    {"n": 0, "types": Counter(), "modes": defaultdict(Counter), "fact": Counter()},
                )
                e["n"] += 1
                e["types"][m["type"]] += 1
                e["modes"][m["type"]][m.get("mode")] += 1
                e["fact"][m["factuality"]] += 1
        seen: Counter[tuple[str, tuple[str, ...]]] = Counter()
        for doc in document_rows:
            toks = _key(doc["text"])
            lang = doc["language"]
            for (lg, words), _ in lex.items():
                if lg == lang:
                    seen[(lg, words)] += _count(toks, words)
        for key, e in lex.items():
            e["score"] = round(min(1.0, e["n"] / max(1, seen[key])), 4)
        return cls(lex)

    def find(self, text: str, language: str, min_score: float) -> list[Trigger]:
        spans = tokenize(text)
        toks = tuple(norm(text[s.start : s.end]) for s in spans)
        cands: list[Trigger] = []
        for (lang, words), e in self.entries.items():
            if lang != language or e["score"] < min_score:
                continue
            typ = min(e["types"], key=lambda t: (-e["types"][t], t))
            mode = min(e["modes"][typ], key=lambda m: (-e["modes"][typ][m], m or ""))
            fact = min(e["fact"], key=lambda f: (-e["fact"][f], f))
            n = len(words)
            for i in range(len(toks) - n + 1):
                if toks[i : i + n] == words:
                    cands.append(
                        Trigger(spans[i].start, spans[i + n - 1].end, typ, mode, fact, e["score"])
                    )
        cands.sort(key=lambda t: (-(t.end - t.start), -t.score, t.start))
        out: list[Trigger] = []
        for t in cands:
            if all(t.end <= o.start or t.start >= o.end for o in out):
                out.append(t)
        return sorted(out, key=lambda t: t.start)


def _key(text: str) -> tuple[str, ...]:
    return tuple(norm(text[s.start : s.end]) for s in tokenize(text))


def _count(toks: Sequence[str], words: Sequence[str]) -> int:
    n = len(words)
    return sum(1 for i in range(len(toks) - n + 1) if tuple(toks[i : i + n]) == tuple(words))


# ---------------------------------------------------------------- one document


@dataclass(slots=True)
class Preannotator:
    """Everything needed to pre-annotate documents; built once per run (or per LODO fold)."""

    matcher: Matcher | None
    crf: Any
    linker: LastWordIndex | None
    triggers: TriggerLexicon | None
    settings: Settings = field(default_factory=Settings)

    def entities(self, text: str, language: str) -> list[Region]:
        matches: list[Match] = []
        ambiguous: list[tuple[int, int]] = []
        if self.matcher is not None and self.settings.use_registry:
            matches = self.matcher.find(text, language)
            cand_ids: dict[tuple[int, int], set[str]] = defaultdict(set)
            for c in self.matcher.candidates(text, language):
                cand_ids[(c.start, c.end)].add(c.alias.id)
            ambiguous = [k for k, v in cand_ids.items() if len(v) > 1]
        spans = (
            crf_spans(self.crf, text) if (self.crf is not None and self.settings.use_crf) else []
        )
        return combine(matches, spans, self.settings, self.linker, ambiguous, text)

    def events(self, text: str, language: str) -> list[Trigger]:
        if self.triggers is None:
            return []
        return self.triggers.find(text, language, self.settings.trigger_min_score)
