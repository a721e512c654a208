"""The scorer: `score_task` on rows in memory, `evaluate_submission` on a file and a release.

Metrics (docs/evaluate.md has the details and conventions):
- ner: span micro P/R/F1 as conlleval (seqeval's default mode) counts entities on any tag
  sequence, plus the strict IOB2 figures (seqeval mode="strict") beside it, and per entity type;
- stance: SemEval F1 = mean of the F1 of FAVOR and AGAINST, macro-F1 over the labels present in
  gold or predictions, accuracy;
- events: micro and macro F1 over the PLOVER types present in gold or predictions (as
  scikit-learn's f1_score on MultiLabelBinarizer output, zero_division=0), plus per type.
Confidence intervals: percentile bootstrap resampling documents, seeded; undefined (with the
reason) when fewer than MIN_BOOTSTRAP_DOCS documents are scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rukp.errors import Incident, RukpError
from rukp.evaluate import metrics as M
from rukp.evaluate.release import load_gold
from rukp.evaluate.submission import DEFAULT_MAX_BYTES, PredRow, check_rows, read_lines
from rukp.labels import load_labels
from rukp.safeio import sha256_file

# The scorer's own version, in every signature: major = a headline figure can change for the
# same submission and data (2.0.0: NER headline F1 is conlleval's, strict IOB2 is reported beside).
SCORER_VERSION = "2.0.0"
TASKS = ("ner", "stance", "events")
METRIC = {
    "ner": "f1:conlleval",
    "stance": "f1:favor-against-macro",
    "events": "f1:micro-multilabel",
}
MAIN = {"ner": "f1", "stance": "f1_favor_against", "events": "micro_f1"}
SEMEVAL_LABELS = ("FAVOR", "AGAINST")
# A document bootstrap over fewer distinct documents can only redraw the same document: every
# resample equals the point estimate and the interval [x, x] would look certain.
MIN_BOOTSTRAP_DOCS = 2
# Bootstrap resamples: 0 (no intervals) or MIN..MAX. Fewer than MIN_RESAMPLES leave the 2.5%
# and 97.5% percentiles resting on one or two draws; MAX bounds the memory of the weight matrix.
MIN_RESAMPLES = 100
MAX_RESAMPLES = 100_000


def check_bootstrap(bootstrap: Any, seed: Any) -> None:
    """Refuse resample counts and seeds the bootstrap cannot use (incident `bad-option`)."""
    problems = []
    if (
        isinstance(bootstrap, bool)
        or not isinstance(bootstrap, int)
        or not (bootstrap == 0 or MIN_RESAMPLES <= bootstrap <= MAX_RESAMPLES)
    ):
        problems.append(
            Incident(
                id="bad-option",
                message=f"--bootstrap {bootstrap!r}: allowed are 0 (no confidence intervals) or "
                f"{MIN_RESAMPLES:,} to {MAX_RESAMPLES:,} resamples",
                hint="use the default 1000, or 0 to skip the intervals",
            )
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        problems.append(
            Incident(
                id="bad-option",
                message=f"--seed {seed!r}: allowed are integers from 0 to 2**63 - 1",
                hint="use the default 0",
            )
        )
    if problems:
        raise RukpError(*problems)


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise RukpError(
            Incident(
                id="unknown-task", message=f"unknown task {task!r}; allowed: {', '.join(TASKS)}"
            )
        )


PerLabel = Callable[[np.ndarray], dict[str, dict[str, dict[str, float | int]]]]


def _counts(
    task: str,
    gold: Sequence[dict[str, Any]],
    preds: dict[str, Any],
    row_doc: np.ndarray,
    n_docs: int,
) -> tuple[np.ndarray, Callable[[np.ndarray], dict[str, Any]], PerLabel]:
    """Per-document count matrix, a stats function on summed counts, and a function giving the
    per-label tables ({result key: {label: figures}}) of summed counts."""
    labels = load_labels()
    if task == "ner":
        types = labels.entity_types
        index = M.tag_index(types)
        g_seqs = [g["ner_tags"] for g in gold]
        try:
            g_enc = M.encode_tags(g_seqs, index)
        except KeyError as exc:
            raise RukpError(
                Incident(
                    id="gold-label-unknown",
                    message=f"gold tag {exc.args[0]!r} is not in schema/labels.json; allowed: "
                    + ", ".join(index),
                )
            ) from exc
        p_enc = M.encode_tags([preds[g["id"]] for g in gold], index)
        lengths = np.fromiter((len(s) for s in g_seqs), dtype=np.int64, count=len(g_seqs))
        token_doc = np.repeat(row_doc, lengths)
        c = M.ner_counts(g_enc, p_enc, token_doc, n_docs, len(types))
        return (
            c,
            lambda s: M.ner_stats(s, len(types)),
            lambda s: {
                "per_type": M.ner_per_type(s, types, "conlleval"),
                "per_type_strict": M.ner_per_type(s, types, "strict"),
            },
        )
    if task == "stance":
        names = list(labels.stance_labels)
        li = {n: i for i, n in enumerate(names)}
        try:
            g = np.array([li[r["label"]] for r in gold], dtype=np.int64)
        except KeyError as exc:
            raise RukpError(
                Incident(
                    id="gold-label-unknown",
                    message=f"gold stance label {exc.args[0]!r} not in schema/labels.json; "
                    f"allowed: {', '.join(names)}",
                )
            ) from exc
        p = np.array([li[preds[r["id"]]] for r in gold], dtype=np.int64)
        c = M.label_counts(g, p, row_doc, n_docs, len(names))
        return (
            c,
            lambda s: M.stance_stats(s, names, SEMEVAL_LABELS),
            lambda s: {"per_label": M.per_label(s, names)},
        )
    names = list(labels.event_types)
    li = {n: i for i, n in enumerate(names)}
    g = np.zeros((len(gold), len(names)), dtype=bool)
    p = np.zeros((len(gold), len(names)), dtype=bool)
    for k, r in enumerate(gold):
        for t in r["types"] or []:
            if t not in li:
                raise RukpError(
                    Incident(
                        id="gold-label-unknown",
                        message=f"gold event type {t!r} not in schema/labels.json; "
                        f"allowed: {', '.join(names)}",
                    )
                )
            g[k, li[t]] = True
        for t in preds[r["id"]]:
            p[k, li[t]] = True
    c = M.multilabel_counts(g, p, row_doc, n_docs)
    return c, lambda s: M.events_stats(s, len(names)), lambda s: {"per_type": M.per_label(s, names)}


def ci_undefined_reason(n_docs: int, bootstrap: int) -> str | None:
    """Why there are no confidence intervals, or None when they are computed."""
    if bootstrap == 0:
        return "not computed (bootstrap 0)"
    if n_docs < MIN_BOOTSTRAP_DOCS:
        return (
            f"undefined: {n_docs} document{'' if n_docs == 1 else 's'} scored; resampling "
            f"documents needs at least {MIN_BOOTSTRAP_DOCS}"
        )
    return None


def _summarise(
    c: np.ndarray, stats: Callable[[np.ndarray], dict[str, Any]], bootstrap: int, seed: int
) -> tuple[dict[str, float], dict[str, list[float] | None], str | None]:
    """Point estimates, CIs per metric (None each when undefined) and why they are undefined."""
    point = {k: float(v) for k, v in stats(c.sum(axis=0)).items()}
    reason = ci_undefined_reason(c.shape[0], bootstrap)
    ci: dict[str, list[float] | None] = dict.fromkeys(point)
    if reason is None:
        parts = [stats(w @ c) for w in M.bootstrap_weights(c.shape[0], bootstrap, seed)]
        ci = {k: M.percentile_ci(np.concatenate([p[k] for p in parts])) for k in point}
    return point, ci, reason


def _score_checked(
    task: str, gold: Sequence[dict[str, Any]], preds: dict[str, Any], bootstrap: int, seed: int
) -> dict[str, Any]:
    doc_ids = sorted({g["doc_id"] for g in gold})
    doc_index = {d: i for i, d in enumerate(doc_ids)}
    row_doc = np.array([doc_index[g["doc_id"]] for g in gold], dtype=np.int64)
    c, stats, per_label = _counts(task, gold, preds, row_doc, len(doc_ids))
    point, ci, reason = _summarise(c, stats, bootstrap, seed)
    doc_lang: dict[str, str] = {}
    for g in gold:
        doc_lang.setdefault(g["doc_id"], str(g.get("language") or "und"))
    rows_per_lang = Counter(doc_lang[g["doc_id"]] for g in gold)
    per_language: dict[str, Any] = {}
    for lang in sorted(rows_per_lang):
        mask = np.array([doc_lang[d] == lang for d in doc_ids], dtype=bool)
        lp, lci, lreason = _summarise(c[mask], stats, bootstrap, seed)
        per_language[lang] = {
            "n_docs": int(mask.sum()),
            "n_rows": rows_per_lang[lang],
            "metrics": lp,
            "ci": lci,
            "ci_undefined": lreason,
        }
    main = MAIN[task]
    return {
        "task": task,
        "metric": METRIC[task],
        "main_metric": main,
        "score": point[main],
        "ci": ci,
        "ci_undefined": reason,
        "metrics": point,
        **per_label(c.sum(axis=0)),
        "per_language": per_language,
        "n_rows": len(gold),
        "n_docs": len(doc_ids),
        "bootstrap": {
            "n": bootstrap,
            "seed": seed,
            "unit": "document",
            "min_units": MIN_BOOTSTRAP_DOCS,
            "level": M.CI_LEVEL,
            "method": "percentile",
        },
    }


def score_task(
    task: str,
    gold_rows: Sequence[dict[str, Any]],
    pred_rows: Iterable[dict[str, Any]],
    *,
    bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Score submission objects against release rows (labels as names); ids must match exactly.

    Raises RukpError listing every problem (locations are 1-based row numbers of `pred_rows`).
    """
    _check_task(task)
    check_bootstrap(bootstrap, seed)
    rows = [PredRow(line=i, obj=o) for i, o in enumerate(pred_rows, 1)]
    preds, incidents = check_rows(task, gold_rows, rows, unit="row")
    if incidents:
        raise RukpError(*incidents)
    return _score_checked(task, gold_rows, preds, bootstrap, seed)


def signature(
    task: str, split: str, version: str, data_sha256: str, bootstrap: int, seed: int
) -> str:
    return (
        f"{task}|{METRIC[task]}|split:{split}|data:{version}+sha256:{data_sha256[:12]}"
        f"|scorer:{SCORER_VERSION}|boot:{bootstrap}+seed:{seed}"
    )


def evaluate_submission(
    task: str,
    predictions_path: Path | str,
    release_dir: Path | str,
    split: str = "test",
    *,
    bootstrap: int = 1000,
    seed: int = 0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, Any]:
    """Validate a submission file, score it against the release split and sign the result."""
    _check_task(task)
    check_bootstrap(bootstrap, seed)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise RukpError(
            Incident(
                id="bad-option",
                message=f"--max-bytes {max_bytes!r}: allowed are positive byte counts",
                hint=f"the default is {DEFAULT_MAX_BYTES:,} bytes (50 MiB)",
            )
        )
    path = Path(predictions_path)
    rows, incidents = read_lines(path, max_bytes=max_bytes)  # an unusable file fails here, fast
    gold = load_gold(task, Path(release_dir), split)
    preds, more = check_rows(task, gold.rows, rows, file=str(path))
    incidents = sorted(
        incidents + more,
        key=lambda i: (i.location is None, int(i.location.split()[-1]) if i.location else 0),
    )
    if incidents:
        raise RukpError(*incidents)
    result = _score_checked(task, gold.rows, preds, bootstrap, seed)
    sig = signature(task, split, gold.version, gold.data_sha256, bootstrap, seed)
    return {
        "signature": sig,
        **result,
        "split": split,
        "data_version": gold.version,
        "data_sha256": gold.data_sha256,
        "scorer_version": SCORER_VERSION,
        "predictions_sha256": sha256_file(path, "submission", limit=max_bytes),
    }


def _pct(x: float) -> str:
    return f"{100 * x:6.2f}"


def _ci_text(ci: list[float] | None, undefined: str | None = None) -> str:
    if ci:
        return f"[{_pct(ci[0]).strip()}, {_pct(ci[1]).strip()}]"
    return "undefined" if undefined and undefined.startswith("undefined") else "-"


def format_report(result: dict[str, Any]) -> str:
    """A human-readable report of a scoring result (scores in percent): the headline with its
    CI (or why there is none), every metric, every type/label, every language, the signature."""
    lines: list[str] = []
    main = result["main_metric"]
    ci = result["ci"].get(main)
    reason = result.get("ci_undefined")
    ci_txt = f"95% CI {_ci_text(ci)}" if ci else f"95% CI {reason}"
    head = f"{result['task']}: {main} = {_pct(result['score']).strip()}  {ci_txt}"
    lines.append(head)
    if result["task"] == "ner":
        lines.append(
            f"(f1 counts entities as conlleval does; strict IOB2 f1 = "
            f"{_pct(result['metrics']['strict_f1']).strip()}, see docs/evaluate.md)"
        )
    lines.append(f"rows {result['n_rows']}, documents {result['n_docs']}")
    lines.append("")
    lines.append(f"{'metric':<20} {'value':>7}  95% CI")
    for k, v in result["metrics"].items():
        lines.append(f"{k:<20} {_pct(v)}  {_ci_text(result['ci'].get(k), reason)}")
    key = "per_type" if "per_type" in result else "per_label"
    lines.append("")
    lines.append(
        f"{key.replace('_', ' '):<20} {'P':>7} {'R':>7} {'F1':>7} {'support':>8} {'pred':>6}"
    )
    absent = []
    for name, v in result[key].items():
        if v["support"] == 0 and v["predicted"] == 0:
            absent.append(name)
        lines.append(
            f"{name:<20} {_pct(v['precision'])} {_pct(v['recall'])} {_pct(v['f1'])} "
            f"{v['support']:>8} {v['predicted']:>6}"
        )
    if absent:
        lines.append(f"(absent from gold and predictions, scored 0: {', '.join(absent)})")
    lines.append("")
    lines.append(f"{'language':<20} {main:>7}  95% CI            rows  docs")
    notes = []
    for lang, v in result["per_language"].items():
        c = v["ci"].get(main)
        if not c and v.get("ci_undefined") and v["ci_undefined"] != reason:
            notes.append(f"{lang}: CI {v['ci_undefined']}")
        lines.append(
            f"{lang:<20} {_pct(v['metrics'][main])}  {_ci_text(c, v.get('ci_undefined')):<16} "
            f"{v['n_rows']:>5} {v['n_docs']:>5}"
        )
    lines.extend(f"({n})" for n in notes)
    if "signature" in result:
        lines.append("")
        lines.append(result["signature"])
    return "\n".join(lines)
