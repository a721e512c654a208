"""Write the explorer site: every page into a temporary folder beside the output, then swapped in,
so an error leaves the old site untouched. The bytes depend only on the inputs (sorted, no dates
but the stored ones, PNGs with fixed metadata)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rukp.errors import Incident, RukpError
from rukp.evaluate.release import release_bytes
from rukp.explore import pages as P
from rukp.explore import plots
from rukp.explore.data import load_licence_notes, load_registry, load_release
from rukp.explore.systems import load_systems, slug
from rukp.io import swap_in
from rukp.labels import LabelSets, load_labels
from rukp.paths import repo_root
from rukp.safeio import open_regular

GENERATOR = '<meta name="generator" content="rukp explore">'


@dataclass(slots=True)
class ExploreResult:
    out: Path
    files: dict[str, int] = field(default_factory=dict)  # relative path -> bytes
    seconds: float = 0.0
    warnings: list[Incident] = field(default_factory=list)
    documents: int = 0
    entities: int = 0
    systems_shown: int = 0
    systems_listed: int = 0


def _shown_path(p: Path) -> str:
    """A path as written on pages: relative to the checkout when inside it (reproducible)."""
    try:
        return Path(p).resolve().relative_to(repo_root()).as_posix()
    except (ValueError, FileNotFoundError):
        return str(p)


def _static(name: str) -> str:
    return resources.files("rukp.explore").joinpath("static", name).read_text(encoding="utf-8")


def _check_out(out: Path) -> None:
    """Refuse to replace a folder that is not an explorer site (or empty)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise RukpError.single(
            "explorer-out-not-a-folder", f"{out} exists and is not a folder", file=str(out)
        )
    if not any(out.iterdir()):
        return
    index = out / "index.html"
    why = "no index.html written by it"
    if os.path.lexists(index):
        try:  # only its head is read; an index of a release may be as large as its files
            with open_regular(index, "release-file") as f:
                head = f.read(4096)
        except RukpError as exc:  # a FIFO, a folder, a link loop … named index.html
            why = f"its index.html cannot be read ({exc.incidents[0].message})"
        else:
            if GENERATOR.encode("utf-8") in head:
                return
    raise RukpError.single(
        "explorer-out-not-explorer",
        f"{out} is a non-empty folder that `rukp explore` did not write ({why}); it would be "
        "replaced",
        file=str(out),
        hint="pass --out with a new folder or an earlier explorer output",
    )


def _write(tmp: Path, rel: str, data: str | bytes, result: ExploreResult) -> None:
    path = tmp / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.write_bytes(raw)
    result.files[rel] = len(raw)


def write_site(
    tmp: Path,
    site: P.Site,
    result: ExploreResult,
) -> None:
    labels = site.labels
    _write(tmp, "assets/explorer.css", _static("explorer.css") + P.type_css(labels), result)
    _write(tmp, "assets/explorer.js", _static("explorer.js"), result)
    # plots first: pages link only to plots that exist
    rel = site.release
    for name in sorted(rel.manifest.get("files", {})):
        if name.startswith("stats/") and name.endswith(".png"):
            target = f"release-{Path(name).name}"
            _write(tmp, f"img/{target}", release_bytes(rel.path, rel.manifest, name), result)
            site.release_plots.append(target)
    for s in site.shown():
        assert s.analysis is not None
        target = f"{s.task}-{slug(s.name)}.png"
        plots.breakdown_plot(s.analysis, f"{s.task}: {s.name}", tmp / "img" / target)
        if (tmp / "img" / target).is_file():
            site.system_plots[s.key] = target
            result.files[f"img/{target}"] = (tmp / "img" / target).stat().st_size
    for task in ("ner", "stance", "events"):
        shown = [s for s in site.shown(task) if s.result]
        target = f"{task}-systems.png"
        key = "per_label" if task == "stance" else "per_type"
        if plots.systems_plot(
            task,
            [s.name for s in shown],
            [s.result[key] for s in shown if s.result],
            tmp / "img" / target,
        ):
            site.system_plots[task] = target
            result.files[f"img/{target}"] = (tmp / "img" / target).stat().st_size
    _write(tmp, "index.html", P.index_page(site), result)
    for d in rel.docs.values():
        _write(tmp, f"doc/{slug(d.id)}.html", P.doc_page(site, d), result)
    _write(tmp, "entity/index.html", P.entity_index(site), result)
    for cid in site.entity_ids():
        _write(tmp, f"entity/{slug(cid)}.html", P.entity_page(site, cid), result)
    _write(tmp, "system/index.html", P.systems_index(site), result)
    for s in site.systems:
        _write(tmp, f"system/{s.page}", P.system_page(site, s), result)


def explore(
    release: Path,
    out: Path,
    *,
    leaderboard: Path | None = None,
    prediction_dirs: list[Path] | None = None,
    registry: Path | None = None,
    sources: Path | None = None,
    labels: LabelSets | None = None,
    require_registry: bool = False,
    require_sources: bool = False,
) -> ExploreResult:
    """Build the explorer for `release` into `out` (atomically); returns what was written.
    An absent registry or sources table is skipped unless required (named by the user)."""
    t0 = time.perf_counter()
    out = Path(out)
    _check_out(out)
    labels = labels or load_labels()
    rel = load_release(Path(release))
    licence = load_licence_notes(sources, require_sources)
    for doc_id, note in licence.items():
        if doc_id in rel.docs:
            rel.docs[doc_id].licence_note = note
    dirs = [Path(d) for d in (prediction_dirs or [])]
    systems, warnings = load_systems(rel, leaderboard, dirs, labels)
    for s in systems:  # notes written on pages name folders relative to the checkout
        if s.note:
            for d in dirs:
                s.note = s.note.replace(str(d), _shown_path(d))
    site = P.Site(
        release=rel,
        registry=load_registry(registry, require_registry),
        labels=labels,
        systems=systems,
        licence={d: doc.licence_note or "" for d, doc in rel.docs.items()},
    )
    result = ExploreResult(out=out, warnings=warnings)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        write_site(tmp, site, result)
        os.chmod(tmp, 0o755)
        swap_in(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(tmp)
    result.documents = len(rel.docs)
    result.entities = len(site.entity_ids())
    result.systems_shown = len(site.shown())
    result.systems_listed = len(systems)
    result.seconds = time.perf_counter() - t0
    return result
