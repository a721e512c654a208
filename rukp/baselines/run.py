"""Train, tune, predict and score every baseline; write predictions and the results summary.

Protocol (docs/baselines.md): each system is trained on `train`, its hyper-parameters chosen on
`validation` from the grid in baselines/config.json (main metric of the task, first grid entry wins
ties), and its predictions for `validation` and `test` are written in the submission format and
scored by `rukp.evaluate.evaluate_submission`, the scorer everyone uses. Leave-one-document-out
cross-validation over all documents (release/folds/loo.json) trains on the other documents with
the fixed `cv` hyper-parameters of the config and scores the held-out document with
`rukp.evaluate.score_task`.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rukp.baselines.data import (
    SPLITS,
    dataset_version,
    read_folds,
    read_rows,
)
from rukp.baselines.models import SYSTEMS, Fitted, Row, cv_params, param_grid
from rukp.errors import RukpError
from rukp.io import write_json, write_jsonl
from rukp.labels import load_labels
from rukp.paths import repo_root
from rukp.safeio import read_json, shown

REPORTED_SPLITS: tuple[str, ...] = ("validation", "test")


def default_config_path() -> Path:
    return repo_root() / "baselines" / "config.json"


def load_config(path: Path | None = None) -> dict[str, Any]:
    p = Path(path) if path else default_config_path()
    data = read_json(
        p,
        "config",
        missing=("config-missing", "restore baselines/config.json or pass --config FILE"),
    )
    if (
        not isinstance(data, dict)
        or isinstance(data.get("seed"), bool)
        or not (isinstance(data.get("seed"), int) and 0 <= data["seed"] < 2**32)
    ):
        raise RukpError.single(
            "bad-config",
            "the baselines config is an object with an integer seed from 0 to 2**32 - 1",
            file=shown(p),
            hint="compare with baselines/config.json",
        )
    problems = []
    for task, systems in SYSTEMS.items():
        for system in systems:
            try:
                grid = param_grid(task, system, data)
                cv_params(task, system, data)
            except (KeyError, TypeError, AttributeError) as exc:
                problems.append(f"{task}/{system}: {type(exc).__name__} {exc}")
                continue
            if not grid:
                problems.append(f"{task}/{system}: empty grid")
    if problems:
        raise RukpError.single(
            "bad-config",
            "the baselines config lacks or mistypes settings: " + "; ".join(problems),
            file=shown(p),
            hint="compare with baselines/config.json",
        )
    return data


# ---------------------------------------------------------------- scorer adapter


def scorer() -> Any:
    """The shared scorer module `rukp.evaluate`; baselines never score with anything else."""
    try:
        import rukp.evaluate as ev
    except ModuleNotFoundError as exc:
        raise RukpError.single(
            "scorer-missing",
            f"the scorer rukp.evaluate cannot be imported ({exc})",
            hint="baselines are scored by rukp.evaluate.score_task / evaluate_submission; "
            "install the full rukp package",
        ) from exc
    return ev


@dataclass(slots=True)
class Metric:
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    signature: str | None = None
    ci_undefined: str | None = None  # why there is no CI (the scorer's reason)


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return None if math.isnan(float(x)) else float(x)


def main_metrics(result: dict[str, Any]) -> dict[str, Metric]:
    """The headline metrics of a scorer result (not per type / per language), by name.

    The scorer returns `metrics` {name: value}, `ci` {name: [low, high]} (empty without
    bootstrap) and, from `evaluate_submission`, one `signature` for the result.
    """
    ci = result.get("ci") or {}
    sig = result.get("signature")
    why = result.get("ci_undefined")
    out: dict[str, Metric] = {}
    for name, value in result["metrics"].items():
        low, high = (ci.get(name) or [None, None])[:2]
        out[name] = Metric(_num(value), _num(low), _num(high), sig, why)
    return out


# ---------------------------------------------------------------- runs


@dataclass(slots=True)
class Outcome:
    rows: list[dict[str, Any]] = field(default_factory=list)
    cv: list[dict[str, Any]] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)


def _log(msg: str) -> None:
    print(f"baselines: {msg}", file=sys.stderr)


def _fit(task: str, system: str, train: Sequence[Row], params: dict[str, Any], seed: int) -> Fitted:
    return SYSTEMS[task][system](train, params, seed)


def select_params(
    task: str, system: str, train: Sequence[Row], valid: Sequence[Row], config: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """Pick the grid entry with the best validation score of the task's main metric."""
    grid = param_grid(task, system, config)
    seed = int(config["seed"])
    if len(grid) == 1:
        return grid[0], [], []
    if not valid:
        return (
            grid[0],
            [],
            ["no validation rows: the first grid entry is used without tuning"],
        )
    ev = scorer()
    trace: list[dict[str, Any]] = []
    best, best_value = grid[0], -math.inf
    for params in grid:
        fitted = _fit(task, system, train, params, seed)
        result = ev.score_task(task, list(valid), fitted.predict(valid), bootstrap=0, seed=seed)
        value = _num(result["score"])
        trace.append({"params": _public(params), result["main_metric"]: value})
        if value is not None and value > best_value:
            best, best_value = params, value
    values = {next(iter(v for k, v in t.items() if k != "params")) for t in trace}
    notes = []
    if len(values) == 1:
        notes.append(
            f"every grid entry scores the same on validation ({values.pop()}): "
            "the first entry is used, so nothing was really tuned"
        )
    return best, trace, notes


def _public(params: dict[str, Any]) -> dict[str, Any]:
    """Hyper-parameters worth reporting (the TF-IDF settings are fixed and listed once)."""
    return {k: v for k, v in params.items() if k not in ("tfidf", "solver", "class_weight")}


def _split_run(
    task: str,
    system: str,
    data: dict[str, list[Row]],
    release: Path,
    out: Path,
    config: dict[str, Any],
    outcome: Outcome,
) -> None:
    ev = scorer()
    seed = int(config["seed"])
    params, trace, notes = select_params(task, system, data["train"], data["validation"], config)
    fitted = _fit(task, system, data["train"], params, seed)
    outcome.params.setdefault(task, {})[system] = {
        "selected": _public(params),
        "validation_search": trace,
        "notes": notes + fitted.notes,
    }
    for split in REPORTED_SPLITS:
        path = out / "predictions" / f"{system}.{task}.{split}.jsonl"
        if not data[split]:
            path.unlink(missing_ok=True)
            outcome.params[task][system]["notes"].append(
                f"the {split} split has no {task} rows: nothing to predict or score"
            )
            continue
        write_jsonl(path, fitted.predict(data[split]))
        result = ev.evaluate_submission(task, path, release, split=split)
        for name, m in sorted(main_metrics(result).items()):
            outcome.rows.append(
                {
                    "task": task,
                    "system": system,
                    "metric": name,
                    "split": split,
                    "value": m.value,
                    "ci_low": m.ci_low,
                    "ci_high": m.ci_high,
                    "ci_undefined": m.ci_undefined,
                    "signature": m.signature,
                }
            )
        if split == "test":
            outcome.params[task][system]["test_per_language"] = per_language(result)


def per_language(result: dict[str, Any]) -> dict[str, Any]:
    """The scorer's per-language main metric with its CI, for the human summary."""
    main = result["main_metric"]
    out = {}
    for lang, v in sorted(result.get("per_language", {}).items()):
        ci = (v.get("ci") or {}).get(main) or [None, None]
        out[lang] = {
            "metric": main,
            "value": _num(v["metrics"].get(main)),
            "ci_low": _num(ci[0]),
            "ci_high": _num(ci[1]),
            "ci_undefined": v.get("ci_undefined"),
            "n_docs": v.get("n_docs"),
            "n_rows": v.get("n_rows"),
        }
    return out


def has_positive(task: str, rows: Sequence[Row]) -> bool:
    """True when the gold rows hold at least one entity / stance record / event type."""
    if task == "ner":
        outside = load_labels().bio_tags()[0]
        return any(t != outside for r in rows for t in r["ner_tags"])
    if task == "events":
        return any(r["types"] for r in rows)
    return bool(rows)


def _mean_std(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def cross_validate(
    task: str, system: str, data: dict[str, list[Row]], release: Path, config: dict[str, Any]
) -> list[dict[str, Any]]:
    """Leave-one-document-out over all documents of all splits; one record per main metric."""
    ev = scorer()
    seed = int(config["seed"])
    every = [r for split in SPLITS for r in data[split]]
    params = cv_params(task, system, config)
    per_metric: dict[str, list[dict[str, Any]]] = {}
    notes: list[str] = []
    for fold in read_folds(release):
        held = set(fold.test)
        train_docs = set(fold.train)
        train = [r for r in every if r["doc_id"] in train_docs]
        test = [r for r in every if r["doc_id"] in held]
        where = f"fold {fold.fold} ({', '.join(fold.test)})"
        if not test:
            notes.append(f"{where}: the held-out document has no {task} rows; fold not scored")
            continue
        fitted = _fit(task, system, train, params, seed)
        notes.extend(f"{where}: {n}" for n in fitted.notes)
        if not has_positive(task, test):
            notes.append(
                f"{where}: the held-out document has no gold {task} item; the scorer counts "
                "F1 as 0 there (zero division), precision/recall likewise"
            )
        result = ev.score_task(task, test, fitted.predict(test), bootstrap=0, seed=seed)
        for name, m in main_metrics(result).items():
            per_metric.setdefault(name, []).append(
                {
                    "fold": fold.fold,
                    "test": list(fold.test),
                    "n_rows": len(test),
                    "value": m.value,
                    "fallback": fitted.fallback,
                }
            )
    records = []
    if not per_metric:
        notes.append(f"no fold could be scored: no document has {task} rows")
        return [
            {
                "task": task,
                "system": system,
                "metric": "-",
                "mean": None,
                "std": None,
                "folds": [],
                "notes": notes,
            }
        ]
    for name in sorted(per_metric):
        folds = per_metric[name]
        values = [f["value"] for f in folds if f["value"] is not None]
        metric_notes = list(notes)
        undefined = [f["fold"] for f in folds if f["value"] is None]
        if undefined:
            metric_notes.append(
                f"{name} undefined on fold(s) {undefined} (no gold or predicted item); "
                "left out of mean and std"
            )
        mean, std = _mean_std(values)
        records.append(
            {
                "task": task,
                "system": system,
                "metric": name,
                "mean": mean,
                "std": std,
                "folds": folds,
                "notes": metric_notes,
            }
        )
    return records


def run_baselines(
    release: Path, out: Path, tasks: Sequence[str], config: dict[str, Any]
) -> dict[str, Any]:
    """Run every baseline of `tasks`; write predictions, summary.json, summary.md, params.json."""
    release, out = Path(release), Path(out)
    outcome = Outcome()
    for task in tasks:
        data = {split: read_rows(release, task, split) for split in SPLITS}
        for system in SYSTEMS[task]:
            _log(f"{task} / {system}: train, tune, predict, score")
            _split_run(task, system, data, release, out, config, outcome)
            _log(f"{task} / {system}: leave-one-document-out")
            outcome.cv.extend(cross_validate(task, system, data, release, config))
    summary = {
        "dataset_version": dataset_version(release),
        "rows": sorted(
            outcome.rows, key=lambda r: (r["task"], r["system"], r["metric"], r["split"])
        ),
        "cv": sorted(outcome.cv, key=lambda r: (r["task"], r["system"], r["metric"])),
    }
    write_json(out / "summary.json", summary)
    write_json(out / "params.json", {"config": config, "tasks": outcome.params})
    with_md = render_markdown(summary, outcome.params)
    from rukp.io import atomic_open

    with atomic_open(out / "summary.md") as f:
        f.write(with_md)
    return summary


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def render_markdown(summary: dict[str, Any], params: dict[str, Any]) -> str:
    """A human summary: test/validation scores with CIs, LOO mean ± std, fold notes."""
    lines = [
        "# rukp baseline results",
        "",
        f"Dataset version: {summary['dataset_version'] or 'unknown'}. Written by `rukp baselines`; "
        "scored by `rukp.evaluate`. Protocol: docs/baselines.md.",
        "",
        "## Train → validation (tuning) → test",
        "",
        "| task | system | metric | validation | test [95% CI] |",
        "|---|---|---|---|---|",
    ]
    by_key: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}
    undefined: list[str] = []
    for r in summary["rows"]:
        by_key.setdefault((r["task"], r["system"], r["metric"]), {})[r["split"]] = r
    for (task, system, metric), splits in sorted(by_key.items()):
        v = splits.get("validation", {})
        t = splits.get("test", {})
        ci = (
            f" [{_fmt(t.get('ci_low'))}, {_fmt(t.get('ci_high'))}]"
            if t.get("ci_low") is not None
            else (" [CI undefined]" if t.get("ci_undefined") else "")
        )
        if t.get("ci_undefined") and t["ci_undefined"] not in undefined:
            undefined.append(t["ci_undefined"])
        cells = [task, system, metric, _fmt(v.get("value")), _fmt(t.get("value")) + ci]
        lines.append("| " + " | ".join(cells) + " |")
    if undefined:
        lines += ["", "Test 95% CI " + "; ".join(undefined) + "."]
    lines += [
        "",
        "## Leave-one-document-out cross-validation (mean ± std over folds)",
        "",
        "| task | system | metric | mean ± std | folds scored |",
        "|---|---|---|---|---|",
    ]
    for c in summary["cv"]:
        scored = sum(1 for f in c["folds"] if f["value"] is not None)
        lines.append(
            f"| {c['task']} | {c['system']} | {c['metric']} | "
            f"{_fmt(c['mean'])} ± {_fmt(c['std'])} | {scored}/{len(c['folds'])} |"
        )
    lines += ["", "## Selected hyper-parameters and notes", ""]
    for task in sorted(params):
        for system in sorted(params[task]):
            p = params[task][system]
            lines.append(f"- {task} / {system}: {json.dumps(p['selected'], sort_keys=True)}")
            lines.extend(f"  - note: {n}" for n in p["notes"])
    per_lang = [
        (task, system, lang, v)
        for task in sorted(params)
        for system in sorted(params[task])
        for lang, v in params[task][system].get("test_per_language", {}).items()
    ]
    if per_lang:
        lines += [
            "",
            "## Test, per language (main metric)",
            "",
            "| task | system | language | metric | value [95% CI] | documents | rows |",
            "|---|---|---|---|---|---|---|",
        ]
        for task, system, lang, v in per_lang:
            ci = (
                f" [{_fmt(v['ci_low'])}, {_fmt(v['ci_high'])}]"
                if v["ci_low"] is not None
                else (" [CI undefined]" if v.get("ci_undefined") else "")
            )
            cells = [task, system, lang, v["metric"], _fmt(v["value"]) + ci]
            cells += [str(v["n_docs"]), str(v["n_rows"])]
            lines.append("| " + " | ".join(cells) + " |")
    fold_notes = sorted({(c["task"], c["system"], n) for c in summary["cv"] for n in c["notes"]})
    if fold_notes:
        lines += ["", "## Cross-validation notes", ""]
        lines.extend(f"- {t} / {s}: {n}" for t, s, n in fold_notes)
    return "\n".join(lines) + "\n"
