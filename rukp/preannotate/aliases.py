"""Multilingual aliases of the canonical registry: what the matcher looks for, and their origin.

A registry entry (`annotations/entities.json`, schema/entities.schema.json) keeps its `names`
(the corpus names, used by the build) and gains `aliases`: one object per surface name with its
ISO 639-1 language and its origin(s):

- `gold`: a mention text of this id in the gold documents of the release (`docs` lists them);
- `registry`: a name of the entry's `names` that no gold mention has (a standard name);
- `cldr`: Babel's CLDR data — the territory name (`cldr.territory`) and the time-zone exemplar
  city (`cldr.capital`, a capital standing for its state; `cldr.city`, the city itself) in each
  of `LANGUAGES`;
- `hand`: written by hand (the registry's persons, bodies, nationalities, in the languages news
  on this topic is written in). `abbreviation: true` marks a one-character form that only counts
  inside a run of such forms (俄朝, 日米韓, 북러).

`refresh_registry` recomputes the `gold`, `registry` and `cldr` origins and keeps every `hand`
alias; `rukp preannotate aliases --check` fails when the committed registry is stale.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The languages aliases are kept for: those of the gold plus those news on this topic is
# written in (docs/baselines.md, "Pre-annotation").
LANGUAGES: tuple[str, ...] = (
    "ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "tr", "uk", "zh",
)  # fmt: skip
ORIGINS: tuple[str, ...] = ("gold", "registry", "cldr", "hand")


@dataclass(slots=True, frozen=True)
class Alias:
    """One surface name of one registry id, as the matcher uses it."""

    name: str
    lang: str
    id: str
    type: str
    origins: frozenset[str]
    docs: frozenset[str] = frozenset()
    abbreviation: bool = False


def _tz_city(zone: str) -> str:
    """The root (English) exemplar city of a time zone id: 'America/New_York' -> 'New York'."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def cldr_names(
    spec: Mapping[str, str], languages: Iterable[str] = LANGUAGES
) -> dict[str, list[str]]:
    """CLDR names per language for an entry's `cldr` spec (territory code and/or time zones).

    A locale without its own exemplar city inherits the root one (CLDR's rule), which is the
    time-zone id's city ("Seoul" in German).
    """
    from babel import Locale

    out: dict[str, list[str]] = {}
    for lang in languages:
        loc = Locale.parse(lang)
        names: list[str] = []
        code = spec.get("territory")
        if code:
            name = loc.territories.get(code)
            if name:
                names.append(name)
        for key in ("capital", "city"):
            zone = spec.get(key)
            if zone:
                city = (loc.time_zones.get(zone) or {}).get("city") or _tz_city(zone)
                names.append(city)
        if names:
            out[lang] = list(dict.fromkeys(names))
    return out


def gold_mentions(entity_rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str, str], set[str]]:
    """{(canonical id, language, mention text): {doc ids}} from release `entities` rows."""
    out: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in entity_rows:
        for ent in row["entities"]:
            if ent.get("canonical_id"):
                out[(ent["canonical_id"], row["language"], ent["text"])].add(row["id"])
    return dict(out)


def refresh_registry(
    registry: Mapping[str, Any],
    entity_rows: Iterable[Mapping[str, Any]],
    languages: Iterable[str] = LANGUAGES,
) -> dict[str, Any]:
    """The registry with every entry's `aliases` recomputed (hand aliases kept), sorted."""
    mentions = gold_mentions(entity_rows)
    by_id: dict[str, list[tuple[str, str, set[str]]]] = defaultdict(list)
    for (cid, lang, text), docs in mentions.items():
        by_id[cid].append((lang, text, docs))
    langs = tuple(languages)
    out = copy.deepcopy(dict(registry))
    for entry in out.get("entities", []):
        merged: dict[tuple[str, str], dict[str, Any]] = {}

        def put(
            lang: str,
            name: str,
            origin: str,
            docs: Iterable[str] = (),
            abbr: bool = False,
            merged: dict[tuple[str, str], dict[str, Any]] = merged,
        ) -> None:
            item = merged.setdefault((lang, name), {"name": name, "lang": lang, "from": []})
            if origin not in item["from"]:
                item["from"].append(origin)
            if docs:
                item["docs"] = sorted(set(item.get("docs", [])) | set(docs))
            if abbr:
                item["abbreviation"] = True

        for old in entry.get("aliases", []):
            if "hand" in old["from"]:
                put(old["lang"], old["name"], "hand", abbr=bool(old.get("abbreviation")))
        for lang, text, docs in by_id.get(entry["id"], []):
            put(lang, text, "gold", docs)
        gold_names = {(lang, text) for lang, text, _ in by_id.get(entry["id"], [])}
        for lang, names in (entry.get("names") or {}).items():
            for name in names:
                if (lang, name) not in gold_names:
                    put(lang, name, "registry")
        if entry.get("cldr"):
            for lang, names in cldr_names(entry["cldr"], langs).items():
                for name in names:
                    put(lang, name, "cldr")
        for item in merged.values():
            item["from"] = [o for o in ORIGINS if o in item["from"]]
            if item.get("abbreviation") and item["from"] != ["hand"]:
                del item["abbreviation"]  # also a full name elsewhere: not only in runs
        entry["aliases"] = [merged[k] for k in sorted(merged)]
    return out


def aliases_of(
    entries: Iterable[Mapping[str, Any]],
    entity_rows: Iterable[Mapping[str, Any]] = (),
    held_out: str | None = None,
) -> list[Alias]:
    """Every alias of the registry (its `aliases` and its `names`), for the matcher.

    With `held_out` (a doc id), leave-one-document-out: a name whose only origin is the gold
    (or the entry's `names`) and that is a gold mention of this id in the held-out document and in
    no other document is left out. The document sets are computed from `entity_rows` (the
    release), not taken from the registry, so a stale registry cannot leak. CLDR and hand-written
    aliases stay.
    """
    mentions = gold_mentions(entity_rows)
    docs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (cid, _lang, text), docs in mentions.items():
        docs_of[(cid, text)] |= docs
    out: dict[tuple[str, str, str], Alias] = {}
    for entry in entries:
        cid, etype = entry["id"], entry["type"]
        items: list[tuple[str, str, frozenset[str], bool]] = [
            (a["lang"], a["name"], frozenset(a["from"]), bool(a.get("abbreviation")))
            for a in entry.get("aliases", [])
        ]
        items += [
            (lang, name, frozenset({"registry"}), False)
            for lang, names in (entry.get("names") or {}).items()
            for name in names
        ]
        for lang, name, origins, abbr in items:
            docs = frozenset(docs_of.get((cid, name), set()))
            origins = origins | ({"gold"} if docs else frozenset())
            if docs and "registry" in origins:
                origins = origins - {"registry"}
            if held_out is not None and origins <= {"gold", "registry"} and docs == {held_out}:
                continue
            key = (cid, lang, name)
            prev = out.get(key)
            if prev is not None:
                origins = origins | prev.origins
                abbr = abbr and prev.abbreviation
            out[key] = Alias(name, lang, cid, etype, origins, docs, abbr)
    return [out[k] for k in sorted(out)]


def generic_aliases(
    lexicon: Mapping[str, Any] | None, entity_rows: Iterable[Mapping[str, Any]] = ()
) -> list[Alias]:
    """Terms annotated with a null id: the hand-written lexicon (annotations/lexicon.json) and
    the gold mentions without canonical id of `entity_rows` (pass the training documents only)."""
    lang_of: dict[str, str] = {}
    out: dict[tuple[str, str, str], Alias] = {}
    for etype, per_lang in ((lexicon or {}).get("terms") or {}).items():
        for lang, names in per_lang.items():
            for name in names:
                out[(etype, lang, name)] = Alias(name, lang, "", etype, frozenset({"hand"}))
    for row in entity_rows:
        lang_of[row["id"]] = row["language"]
        for e in row["entities"]:
            if e.get("canonical_id") is None:
                key = (e["type"], row["language"], e["text"])
                prev = out.get(key)
                origins = frozenset({"gold"}) | (prev.origins if prev else frozenset())
                docs = frozenset({row["id"]}) | (prev.docs if prev else frozenset())
                out[key] = Alias(e["text"], row["language"], "", e["type"], origins, docs)
    return [out[k] for k in sorted(out)]
