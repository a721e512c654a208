"""`rukp preannotate --eval`: leave-one-document-out on the release's gold documents.

For each document of `release/folds/loo.json`: the CRF is trained on the other documents' `ner`
rows, the gold id counts and trigger lexicon come from the other documents, and every registry
alias whose only origin is the gold and that is a gold mention in this document alone is left
out (`aliases_of(..., held_out=doc)`); CLDR and hand-written aliases stay. Every variant is run
in the same fold with the same CRF, so "CRF alone" and "combined" are compared on equal terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rukp import __version__
from rukp.baselines.data import read_folds
from rukp.build.text import tokenize
from rukp.preannotate.core import Settings
from rukp.preannotate.metrics import Tally, score_document
from rukp.preannotate.run import ReleaseRows, make_preannotator, short_sha, train_crf
from rukp.safeio import read_json, shown

GOLD_ONLY = frozenset({"gold", "registry"})
VARIANTS: dict[str, Settings] = {
    "crf": Settings(use_registry=False, link_crf=False, crf_longer_names=False, crf_min_score=0.0),
    "registry": Settings(use_crf=False),
    "combined": Settings(),
    "combined-crf-all": Settings(crf_min_score=0.0),
    "combined-crf-min-0.5": Settings(crf_min_score=0.5),
    "combined-crf-min-0.9": Settings(crf_min_score=0.9),
    "combined-longer-names": Settings(crf_longer_names=True),
    "combined-no-crf-link": Settings(link_crf=False),
    "gold-aliases:registry": Settings(use_crf=False, alias_origins=GOLD_ONLY, use_lexicon=False),
    "gold-aliases:combined": Settings(alias_origins=GOLD_ONLY, use_lexicon=False),
    "gold-aliases:combined-crf-all": Settings(
        alias_origins=GOLD_ONLY, use_lexicon=False, crf_min_score=0.0
    ),
    "gold-aliases:combined-crf-min-0.5": Settings(
        alias_origins=GOLD_ONLY, use_lexicon=False, crf_min_score=0.5
    ),
    "gold-aliases:combined-crf-min-0.9": Settings(
        alias_origins=GOLD_ONLY, use_lexicon=False, crf_min_score=0.9
    ),
}
MAIN = "combined"
FOLD_COLUMNS = ("crf", "registry", "combined", "gold-aliases:combined")


def signature(release: Path, registry: Path, what: str) -> str:
    manifest = Path(release) / "manifest.json"
    data = read_json(manifest, "release-file")
    version = data.get("version", "?") if isinstance(data, dict) else "?"
    data_sha, registry_sha = short_sha(manifest, "release-file"), short_sha(registry, "registry")
    return (
        f"preannotate|{what}|f1:strict-span|data:{version}+sha256:{data_sha}"
        f"|registry:{registry_sha}|rukp:{__version__}"
    )


def _gold(row: Mapping[str, Any]) -> list[tuple[int, int, str, str | None]]:
    return [(e["start"], e["end"], e["type"], e["canonical_id"]) for e in row["entities"]]


def lodo(
    release: Path,
    registry_entries: Sequence[Mapping[str, Any]],
    config: Mapping[str, Any],
    variants: Mapping[str, Settings] | None = None,
    lexicon: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Per variant: pooled scores, per-fold scores; trigger candidates of the main variant."""
    variants = dict(variants or VARIANTS)
    rows = ReleaseRows.read(release)
    docs = {d["id"]: d for d in rows.documents}
    ents = {r["id"]: r for r in rows.entities}
    totals = {name: Tally() for name in variants}
    trig_total = Tally()
    folds: list[dict[str, Any]] = []
    for fold in read_folds(release):
        for doc_id in fold.test:
            doc = docs[doc_id]
            text, lang = doc["text"], doc["language"]
            n_tok = len(tokenize(text))
            gold = _gold(ents[doc_id]) if doc_id in ents else []
            crf = train_crf(rows.without(doc_id).ner, config)
            record: dict[str, Any] = {"fold": fold.fold, "doc_id": doc_id, "language": lang}
            for name, settings in variants.items():
                pre = make_preannotator(
                    rows,
                    registry_entries,
                    config,
                    settings,
                    held_out=doc_id,
                    crf=crf,
                    lexicon=lexicon,
                )
                pred = [(r.start, r.end, r.type, r.canonical_id) for r in pre.entities(text, lang)]
                t = score_document(gold, pred, n_tok)
                totals[name].add(t)
                record[name] = {
                    "f1": round(t.f1, 4),
                    "link_accuracy": t.link_accuracy,
                    "edits_per_100_tokens": round(t.edits_per_100, 3),
                }
                if name == MAIN:
                    gold_trig = [
                        (m["start"], m["end"], m["type"], None)
                        for r in rows.events
                        if r["doc_id"] == doc_id
                        for m in r["mentions"]
                    ]
                    trig = [(t.start, t.end, t.type, None) for t in pre.events(text, lang)]
                    tt = score_document(sorted(set(gold_trig)), trig, n_tok)
                    trig_total.add(tt)
                    record["triggers_f1"] = round(tt.f1, 4)
            folds.append(record)
    out: dict[str, Any] = {"variants": {}, "folds": folds}
    for name, t in totals.items():
        f1s = [f[name]["f1"] for f in folds]
        out["variants"][name] = {
            **t.as_dict(),
            "f1_mean_over_folds": round(sum(f1s) / len(f1s), 4) if f1s else None,
        }
    out["triggers"] = trig_total.as_dict()
    return out


def render(report: Mapping[str, Any], signature_line: str) -> str:
    """The LODO report as Markdown tables."""
    lines = [
        "| variant | strict P | strict R | strict F1 (pooled) | F1 mean over folds | "
        "link accuracy | edits / 100 tokens | delete | add | boundary | type | id |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, v in report["variants"].items():
        la = "-" if v["link_accuracy"] is None else f"{v['link_accuracy']:.3f}"
        e = v["edits"]
        lines.append(
            f"| {name} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | "
            f"{v['f1_mean_over_folds']:.3f} | {la} ({v['linked_ok']}/{v['linkable']}) | "
            f"{v['edits_per_100_tokens']:.2f} | {e['delete']} | {e['add']} | {e['boundary']} | "
            f"{e['type']} | {e['id']} |"
        )
    tr = report["triggers"]
    lines += [
        "",
        f"Trigger candidates (combined): P {tr['precision']:.3f}, R {tr['recall']:.3f}, "
        f"F1 {tr['f1']:.3f} (strict span + PLOVER type; {tr['tp']}/{tr['gold']} gold triggers).",
        "",
        "| fold | document | language | "
        + " | ".join(f"{n} F1" for n in FOLD_COLUMNS if n in report["variants"])
        + " | combined link acc. | combined edits/100 |",
        "|---|---|---|" + "---|" * (sum(n in report["variants"] for n in FOLD_COLUMNS) + 2),
    ]
    for f in report["folds"]:
        la = f[MAIN]["link_accuracy"]
        lines.append(
            f"| {f['fold']} | {f['doc_id']} | {f['language']} | "
            + " | ".join(f"{f[n]['f1']:.3f}" for n in FOLD_COLUMNS if n in report["variants"])
            + f" | {'-' if la is None else f'{la:.3f}'} | {f[MAIN]['edits_per_100_tokens']:.2f} |"
        )
    lines += ["", f"Signature: `{signature_line}`"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- annotated fixture pages

SCRIPT_OF_LANGUAGE = {
    **dict.fromkeys(("de", "en", "es", "fr", "it", "nl", "pl", "pt", "tr"), "Latin"),
    **dict.fromkeys(("ru", "uk"), "Cyrillic"),
    "ko": "Hangul",
    **dict.fromkeys(("ja", "zh"), "CJK"),
    "ar": "Arabic",
}
PAGE_VARIANTS = ("crf", "combined")


def _page_problems(page: Any) -> list[tuple[str, str]]:
    """(JSON path, what is wrong) for a page that evaluate_pages cannot use."""
    if not isinstance(page, dict):
        return [("$", "a page is one JSON object")]
    out = [
        (f"$.{k}", f"`{k}` must be {what}")
        for k, what, ok in (
            ("id", "a string", isinstance(page.get("id"), str)),
            ("lang", "a string", isinstance(page.get("lang"), str)),
            ("text", "a string", isinstance(page.get("text"), str)),
            ("entities", "a list", isinstance(page.get("entities"), list)),
            ("new_referents", "a list", isinstance(page.get("new_referents", []), list)),
        )
        if not ok
    ]
    if out:
        return out
    n = len(page["text"])
    for i, e in enumerate(page["entities"]):
        s, t = (e.get("start"), e.get("end")) if isinstance(e, dict) else (None, None)
        if not (
            isinstance(e, dict)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in (s, t))
            and 0 <= s < t <= n
            and isinstance(e.get("type"), str)
            and "canonical_id" in e
            and (e["canonical_id"] is None or isinstance(e["canonical_id"], str))
        ):
            out.append(
                (
                    f"$.entities[{i}]",
                    f"an entity is {{start, end, type, canonical_id}} with 0 <= start < end <= {n}",
                )
            )
    return out


def read_pages(folder: Path) -> list[dict[str, Any]]:
    """The annotated pages of a folder: `{id, lang, text, entities, new_referents, notes}`,
    each read through rukp.safeio and checked for what the evaluation uses."""
    from rukp.errors import Incident, RukpError

    pages, problems = [], []
    if not Path(folder).is_dir():
        raise RukpError.single(
            "bad-page", "--pages must be a folder of annotated pages (*.json)", file=shown(folder)
        )
    for path in sorted(Path(folder).glob("*.json")):
        try:
            page = read_json(path, "annotation")
        except RukpError as exc:
            problems.extend(exc.incidents)
            continue
        found = _page_problems(page)
        problems += [
            Incident(
                "bad-page",
                f"not an annotated page: {what}",
                shown(path),
                where,
                hint="a page is {id, lang, text, entities, new_referents, notes}",
            )
            for where, what in found
        ]
        if not found:
            pages.append(page)
    if problems:
        raise RukpError(*problems)
    if not pages:
        raise RukpError.single(
            "bad-page", "no annotated page (*.json) in the folder", file=shown(folder)
        )
    return pages


def evaluate_pages(
    folder: Path,
    release: Path,
    registry_entries: Sequence[Mapping[str, Any]],
    config: Mapping[str, Any],
    lexicon: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Strict F1, link accuracy (gold ids the registry knows) and edits per page, script, overall.

    The pre-annotator learns from the whole release (nothing of the pages); the CRF alone is
    scored in the same run. Mentions of `new_referents` count for F1 but not for link accuracy.
    """
    pages = read_pages(folder)
    rows = ReleaseRows.read(release)
    crf = train_crf(rows.ner, config)
    known = {e["id"] for e in registry_entries}
    pres = {
        name: make_preannotator(
            rows, registry_entries, config, VARIANTS[name], crf=crf, lexicon=lexicon
        )
        for name in PAGE_VARIANTS
    }
    per_page: list[dict[str, Any]] = []
    by_script: dict[str, dict[str, Tally]] = {}
    overall = {name: Tally() for name in PAGE_VARIANTS}
    for page in pages:
        text, lang = page["text"], page["lang"]
        gold = [(e["start"], e["end"], e["type"], e["canonical_id"]) for e in page["entities"]]
        script = SCRIPT_OF_LANGUAGE.get(lang, "other")
        n_tok = len(tokenize(text))
        record: dict[str, Any] = {
            "page": page["id"],
            "language": lang,
            "script": script,
            "gold": len(gold),
            "new_referents": len(page.get("new_referents", [])),
        }
        for name, pre in pres.items():
            pred = [(r.start, r.end, r.type, r.canonical_id) for r in pre.entities(text, lang)]
            t = score_document(gold, pred, n_tok, linkable=known)
            overall[name].add(t)
            by_script.setdefault(script, {n: Tally() for n in PAGE_VARIANTS})[name].add(t)
            record[name] = t.as_dict()
        per_page.append(record)
    return {
        "pages": per_page,
        "scripts": {
            s: {n: t.as_dict() for n, t in v.items()} for s, v in sorted(by_script.items())
        },
        "overall": {n: t.as_dict() for n, t in overall.items()},
    }


def render_pages(report: Mapping[str, Any]) -> str:
    """The page evaluation as Markdown: overall, per script, per page (combined vs CRF alone)."""

    def row(label: str, v: Mapping[str, Any], extra: str = "") -> str:
        c, k = v["combined"], v["crf"]
        la = "-" if c["link_accuracy"] is None else f"{c['link_accuracy']:.3f}"
        return (
            f"| {label} |{extra} {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | "
            f"{la} ({c['linked_ok']}/{c['linkable']}) | {c['edits_per_100_tokens']:.2f} | "
            f"{k['f1']:.3f} | {k['edits_per_100_tokens']:.2f} |"
        )

    head = (
        "| {0} |{1} P | R | strict F1 | link accuracy | edits / 100 tokens | CRF alone F1 | "
        "CRF alone edits / 100 |"
    )
    lines = [
        head.format("", ""),
        "|---|---|---|---|---|---|---|---|",
        row("all pages", report["overall"]),
    ]
    lines += ["", head.format("script", ""), "|---|---|---|---|---|---|---|---|"]
    lines += [row(s, v) for s, v in report["scripts"].items()]
    lines += [
        "",
        head.format("page", " gold | new ref. |"),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [row(p["page"], p, f" {p['gold']} | {p['new_referents']} |") for p in report["pages"]]
    return "\n".join(lines) + "\n"
