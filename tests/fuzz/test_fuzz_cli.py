"""Hostile inputs to every command that reads files, each run as a user runs it: `python -m rukp`
in a subprocess with a timeout, against a sandbox copy of the repository (RUKP_ROOT).

Every run must: exit 1 (not 0, not a crash), print no traceback, print the expected incident id
(`ERROR <id> ...`) on stderr, create or change no file outside its declared output folder, and
leave the sandbox (gold, release, registry, splits …) byte-identical. A FIFO that a command
opened would block it until the timeout. The hostile corpus (tests/fuzz/corpus/MANIFEST.json)
holds one case per incident id of rukp.safeio, plus contents that read well but that a command
cannot use (each once crashed it); a bounded hypothesis run adds random bytes on four inputs.
The sandbox also holds what the adjudication commands read (two sets with one disagreement,
listed by a real `rukp adjudicate`, and its decisions) and one cleaning fixture. Commands that
write into the checkout (`rukp release --bump`) run with the workspace as RUKP_ROOT.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rukp.safeio import INCIDENT_IDS, LIMITS

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
CASES: dict[str, dict] = json.loads((CORPUS / "MANIFEST.json").read_text("utf-8"))["cases"]
REPO = HERE.parents[1]
TIMEOUT = 60  # seconds; the slowest case (build up to the card) takes about 10
OUT = "out"  # every run's declared output folder, inside its workspace

# The sandbox: what the commands read by default, copied; documents made by a real ingest.
SANDBOX_PARTS = (
    "schema",
    "raw",
    "release",
    "splits",
    "annotations/gold",
    "annotations/entities.json",
    "annotations/AGREEMENT.md",
    "baselines/config.json",
    "baselines/results/summary.json",
    "baselines/results/predictions",
    "leaderboard/submissions",
    "dataset_card.md",
    "DATA_VERSION",
    "annotations/lexicon.json",
    "annotations/texts",
    "CHANGELOG.md",
)
ADJ_DOC = "000_0c8f196507d21063"  # the document whose first entity adj/B retypes


def _env(sandbox: Path) -> dict[str, str]:
    return {**os.environ, "RUKP_ROOT": str(sandbox), "PYTHONHASHSEED": "0", "NO_COLOR": "1"}


def rukp(
    args: list[str], cwd: Path, sandbox: Path, root: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rukp", *args],
        cwd=cwd,
        env=_env(root or sandbox),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sandbox")
    for part in SANDBOX_PARTS:
        src, dst = REPO / part, root / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)
    done = rukp(["ingest"], root, root)
    assert done.returncode == 0, done.stderr
    assert (root / "build" / "ingest" / "documents.jsonl").is_file()
    _adjudication_material(root)
    _cleaning_fixture(root / "cleaning")
    return root


def _adjudication_material(root: Path) -> None:
    """adj/A (the gold) and adj/B (one entity type changed: one disagreement, d0001), listed
    by a real `rukp adjudicate` into adj/work, and adj/decisions.json deciding it."""
    adj = root / "adj"
    shutil.copytree(root / "annotations" / "gold", adj / "A")
    shutil.copytree(root / "annotations" / "gold", adj / "B")
    doc = json.loads((adj / "B" / f"{ADJ_DOC}.json").read_text("utf-8"))
    assert doc["entities"][0]["type"] == "GPE"
    doc["entities"][0]["type"] = "LOC"
    (adj / "B" / f"{ADJ_DOC}.json").write_text(json.dumps(doc), "utf-8")
    args = ["adjudicate", str(adj / "A"), str(adj / "B"), "--out", str(adj / "gold")]
    done = rukp([*args, "--work", str(adj / "work")], root, root)
    assert done.returncode == 0 and "disagreements: 1" in done.stdout, done.stdout + done.stderr
    template = json.loads((adj / "work" / "decisions-template.json").read_text("utf-8"))
    assert [d["id"] for d in template["decisions"]] == ["d0001"]
    decided = [{**d, "choice": "a", "reason": "the gold's type", "by": "fuzz"} for d in
               template["decisions"]]  # fmt: skip
    (adj / "decisions.json").write_text(json.dumps({"decisions": decided}), "utf-8")


def _cleaning_fixture(folder: Path) -> None:
    """One made-up cleaning fixture: a page and its expected answer (tests/cleaning/README.md)."""
    folder.mkdir()
    body = ["Russia and North Korea signed a treaty on mutual military assistance in June.",
            "Both governments said the pact was a response to pressure from the West."]  # fmt: skip
    (folder / "p1.txt").write_text("Treaty signed\n\n" + "\n\n".join(body) + "\n", "utf-8")
    answer = {"title": "Treaty signed", "body": body, "lang": "en", "published": None,
              "source_url": None, "is_article": True, "notes": ""}  # fmt: skip
    (folder / "p1.expected.json").write_text(json.dumps(answer), "utf-8")


@pytest.fixture(scope="module", autouse=True)
def repository_untouched() -> object:
    """The checkout's own gold and release are byte-identical after every run of this module."""
    before = snapshot(REPO / "annotations" / "gold"), snapshot(REPO / "release")
    yield
    assert (snapshot(REPO / "annotations" / "gold"), snapshot(REPO / "release")) == before


def snapshot(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Every entry under `root` (but `skip`): its type, and for regular files their sha256."""
    out: dict[str, str] = {}
    if not root.exists():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if skip is not None and (here == skip or skip in here.parents):
            dirnames[:] = []
            continue
        for name in [*dirnames, *filenames]:
            p = here / name
            if skip is not None and p == skip:
                continue
            st_ = os.lstat(p)
            rel = p.relative_to(root).as_posix()
            if stat.S_ISREG(st_.st_mode) and st_.st_size <= 50_000_000:
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[rel] = f"mode {stat.S_IFMT(st_.st_mode):o} size {st_.st_size}"
    return out


# ---------------------------------------------------------------------------- placing inputs


def place(case: str, target: Path, kind: str) -> None:
    """Put the hostile input of `case` at `target` (see corpus/MANIFEST.json `make`)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.is_file():
        target.unlink()  # the good file of a copied folder gives way to the hostile one
    spec = CASES[case]
    make = spec["make"]
    if make == "file":
        shutil.copyfile(CORPUS / spec["file"], target)
    elif make == "fifo":
        os.mkfifo(target)
    elif make == "socket":
        try:
            os.mknod(target, stat.S_IFSOCK | 0o600)
        except OSError:  # some systems want bind(); the path is short relative to its folder
            here = Path.cwd()
            os.chdir(target.parent)
            try:
                s = socket.socket(socket.AF_UNIX)
                s.bind(target.name)
                s.close()
            finally:
                os.chdir(here)
    elif make == "device":
        target.symlink_to("/dev/zero")
    elif make == "dir":
        target.mkdir()
    elif make == "sparse":
        with open(target, "wb") as f:
            f.truncate(LIMITS[kind] + 1)
    elif make == "dangling-link":
        target.symlink_to(target.parent / "no-such-file")
    elif make == "link-loop":
        target.symlink_to(target)
    else:
        raise AssertionError(make)


# ---------------------------------------------------------------------------- the slots


@dataclass(frozen=True)
class Slot:
    """One input of one command: where the hostile input goes and how the command is run."""

    command: str
    target: str  # workspace-relative place of the hostile input
    kind: str  # the rukp.safeio kind of that input (for the size bound)
    cases: tuple[str, ...]
    argv: Callable[[Path, Path], list[str]]  # (workspace, sandbox) -> arguments after `rukp`
    copy: tuple[tuple[str, str], ...] = ()  # (sandbox part, workspace place) copied first
    expect: dict[str, str] = field(default_factory=dict)  # case -> incident id, when not its own
    root: str = "sandbox"  # RUKP_ROOT: the sandbox, or "workspace" (commands that write there)


GENERIC = ("fifo", "socket", "device", "dir", "sparse", "missing", "loop")
JSON = (
    "malformed-json",
    "not-utf8",
    "json-too-deep",
    "json-too-deep-100",
    "json-int-too-long",
    "json-int-too-long-60",
    "json-bad-constant",
    "json-infinity",
)
IN_FOLDER = ("fifo", "sparse", "loop")  # a folder named x.json inside a set is not an entry


def docs(s: Path) -> str:
    return str(s / "build" / "ingest" / "documents.jsonl")


LS = str(CORPUS / "ls")
OFFLINE = ["--url", "http://127.0.0.1:9", "--token", "0" * 40]
PRED = "baselines/results/predictions/crf.ner.test.jsonl"

SLOTS = [
    Slot(
        "ingest (raw page)",
        "raw/zz.txt",
        "raw-page",
        ("fifo", "socket", "device", "sparse", "missing", "loop"),
        lambda w, s: ["ingest", "--raw", str(w / "raw"), "--out", str(w / OUT)],
    ),
    Slot(
        "validate (annotation file)",
        "in/x.json",
        "annotation",
        tuple(c for c in GENERIC if c != "dir") + JSON,  # a folder is a set to validate
        lambda w, s: ["validate", str(w / "in" / "x.json"), "--documents", docs(s)],
        expect={"missing": "path-not-found", "loop": "path-not-found"},
    ),
    Slot(
        "validate (set member)",
        "set/x.json",
        "annotation",
        IN_FOLDER,
        lambda w, s: ["validate", str(w / "set"), "--documents", docs(s)],
        copy=(("annotations/gold", "set"),),
    ),
    Slot(
        "validate (a set's own entities.json)",
        "set/entities.json",
        "registry",
        ("fifo",),  # once skipped as absent: the set was checked against another registry
        lambda w, s: ["validate", str(w / "set"), "--documents", docs(s)],
        copy=(("annotations/gold", "set"),),
    ),
    Slot(
        "validate (registry)",
        "in/entities.json",
        "registry",
        ("fifo", "json-int-too-long"),
        lambda w, s: ["validate", str(w / "in" / "entities.json")],
    ),
    Slot(
        "validate --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo", "dir", "sparse", "missing", "malformed-json", "not-utf8", "json-too-deep"),
        lambda w, s: [
            "validate",
            str(s / "annotations" / "gold"),
            "--documents",
            str(w / "in" / "documents.jsonl"),
        ],
        expect={"missing": "documents-missing"},
    ),
    Slot(
        "validate (raw/sources.csv)",
        "raw/sources.csv",
        "csv",
        ("fifo", "not-utf8-csv", "malformed-csv"),
        lambda w, s: ["validate", str(w / "raw")],
        copy=(("raw", "raw"),),
        expect={
            "not-utf8-csv": "raw-sources-unreadable",
            "malformed-csv": "raw-sources-unreadable",
        },
    ),
    Slot(
        "agreement --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo", "not-utf8"),
        lambda w, s: [
            "agreement",
            str(s / "annotations" / "gold"),
            str(s / "annotations" / "gold"),
            "--documents",
            str(w / "in" / "documents.jsonl"),
            "--out",
            str(w / OUT / "A.md"),
        ],
    ),
    Slot(
        "agreement (set member)",
        "A/x.json",
        "annotation",
        ("fifo", "json-int-too-long"),
        lambda w, s: [
            "agreement",
            str(w / "A"),
            str(s / "annotations" / "gold"),
            "--documents",
            docs(s),
            "--out",
            str(w / OUT / "A.md"),
        ],
        copy=(("annotations/gold", "A"),),
    ),
    Slot(
        "ls import (export)",
        "in/export.json",
        "export",
        GENERIC + JSON,
        lambda w, s: [
            "ls",
            "import",
            str(w / "in" / "export.json"),
            "--documents",
            f"{LS}/documents.jsonl",
            "--entities",
            f"{LS}/entities.json",
            "--out-dir",
            str(w / OUT),
        ],
        expect={"missing": "export-unreadable"},
    ),
    Slot(
        "ls import --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo", "not-utf8"),
        lambda w, s: [
            "ls",
            "import",
            f"{LS}/email-dotdot.export.json",
            "--documents",
            str(w / "in" / "documents.jsonl"),
            "--entities",
            f"{LS}/entities.json",
            "--out-dir",
            str(w / OUT),
        ],
    ),
    Slot(
        "ls import --entities",
        "in/entities.json",
        "registry",
        ("fifo", "malformed-json"),
        lambda w, s: [
            "ls",
            "import",
            f"{LS}/email-dotdot.export.json",
            "--documents",
            f"{LS}/documents.jsonl",
            "--entities",
            str(w / "in" / "entities.json"),
            "--out-dir",
            str(w / OUT),
        ],
    ),
    Slot(
        "ls import --annotator-map",
        "in/map.json",
        "config",
        ("fifo", "json-too-deep", "unsafe-name-map"),
        lambda w, s: [
            "ls",
            "import",
            f"{LS}/email-dotdot.export.json",
            "--documents",
            f"{LS}/documents.jsonl",
            "--entities",
            f"{LS}/entities.json",
            "--annotator-map",
            str(w / "in" / "map.json"),
            "--out-dir",
            str(w / OUT),
        ],
    ),
    Slot(
        "ls tasks --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo", "json-int-too-long"),
        lambda w, s: [
            "ls",
            "tasks",
            "--documents",
            str(w / "in" / "documents.jsonl"),
            "--out",
            str(w / OUT / "tasks.json"),
        ],
    ),
    Slot(
        "ls tasks --predictions (set member)",
        "set/x.json",
        "annotation",
        ("fifo", "not-utf8"),
        lambda w, s: [
            "ls",
            "tasks",
            "--documents",
            f"{LS}/documents.jsonl",
            "--predictions",
            str(w / "set"),
            "--entities",
            f"{LS}/entities.json",
            "--out",
            str(w / OUT / "tasks.json"),
        ],
    ),
    Slot(
        "ls push --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo",),
        lambda w, s: ["ls", "push", "--documents", str(w / "in" / "documents.jsonl"), *OFFLINE],
    ),
    Slot(
        "ls pull --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo",),
        lambda w, s: [
            "ls",
            "pull",
            "--documents",
            str(w / "in" / "documents.jsonl"),
            "--entities",
            f"{LS}/entities.json",
            "--out-dir",
            str(w / OUT),
            "--export-file",
            str(w / OUT / "e.json"),
            *OFFLINE,
        ],
    ),
    Slot(
        "ls pull --annotator-map",
        "in/map.json",
        "config",
        ("unsafe-name-map",),
        lambda w, s: [
            "ls",
            "pull",
            "--documents",
            f"{LS}/documents.jsonl",
            "--entities",
            f"{LS}/entities.json",
            "--annotator-map",
            str(w / "in" / "map.json"),
            "--out-dir",
            str(w / OUT),
            "--export-file",
            str(w / OUT / "e.json"),
            *OFFLINE,
        ],
    ),
    Slot(
        "build --documents",
        "in/documents.jsonl",
        "documents",
        (*GENERIC, "malformed-json", "not-utf8", "json-too-deep", "json-int-too-long"),
        lambda w, s: [
            "build",
            "--documents",
            str(w / "in" / "documents.jsonl"),
            "--out",
            str(w / OUT / "release"),
        ],
        expect={"missing": "documents-missing"},
    ),
    Slot(
        "build --gold (member)",
        "gold/x.json",
        "annotation",
        ("fifo", "not-utf8"),
        lambda w, s: [
            "build",
            "--documents",
            docs(s),
            "--gold",
            str(w / "gold"),
            "--out",
            str(w / OUT / "release"),
        ],
        copy=(("annotations/gold", "gold"),),
    ),
    Slot(
        "build --splits (manifest.csv)",
        "splits/manifest.csv",
        "csv",
        ("fifo", "not-utf8-csv", "malformed-csv"),
        lambda w, s: [
            "build",
            "--documents",
            docs(s),
            "--splits",
            str(w / "splits"),
            "--out",
            str(w / OUT / "release"),
        ],
        copy=(("splits", "splits"),),
    ),
    Slot(
        "build --card",
        "in/card.md",
        "text",
        ("not-utf8-text",),  # the build runs up to the card (8 s): one case
        lambda w, s: [
            "build",
            "--documents",
            docs(s),
            "--card",
            str(w / "in" / "card.md"),
            "--out",
            str(w / OUT / "release"),
        ],
    ),
    Slot(
        "reanchor --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo", "not-utf8", "json-too-deep"),
        lambda w, s: [
            "reanchor",
            "--gold",
            str(w / "gold"),
            "--documents",
            str(w / "in" / "documents.jsonl"),
            "--report",
            str(w / OUT / "r.json"),
            "--unplaced",
            str(w / OUT / "u.jsonl"),
        ],
        copy=(("annotations/gold", "gold"),),
    ),
    Slot(
        "reanchor --old",
        "in/old.jsonl",
        "documents",
        ("fifo", "malformed-json"),
        lambda w, s: [
            "reanchor",
            "--gold",
            str(w / "gold"),
            "--documents",
            docs(s),
            "--old",
            str(w / "in" / "old.jsonl"),
            "--report",
            str(w / OUT / "r.json"),
            "--unplaced",
            str(w / OUT / "u.jsonl"),
        ],
        copy=(("annotations/gold", "gold"),),
    ),
    Slot(
        "reanchor --gold (member)",
        "gold/x.json",
        "annotation",
        ("fifo",),
        lambda w, s: [
            "reanchor",
            "--gold",
            str(w / "gold"),
            "--documents",
            docs(s),
            "--report",
            str(w / OUT / "r.json"),
            "--unplaced",
            str(w / OUT / "u.jsonl"),
        ],
        copy=(("annotations/gold", "gold"),),
    ),
    Slot(
        "baselines --config",
        "in/config.json",
        "config",
        ("fifo", "malformed-json", "json-bad-constant"),
        lambda w, s: [
            "baselines",
            "--release",
            str(s / "release"),
            "--out",
            str(w / OUT),
            "--config",
            str(w / "in" / "config.json"),
        ],
    ),
    Slot(
        "baselines --release (Parquet)",
        "release/ner/train-00000-of-00001.parquet",
        "release-file",
        ("fifo", "sparse", "malformed-parquet"),
        lambda w, s: [
            "baselines",
            "--release",
            str(w / "release"),
            "--out",
            str(w / OUT),
            "--tasks",
            "ner",
        ],
        copy=(("release", "release"),),
    ),
    Slot(
        "preannotate --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo", "dir", "not-utf8"),
        lambda w, s: [
            "preannotate",
            "--documents",
            str(w / "in" / "documents.jsonl"),
            "--out",
            str(w / OUT),
            "--release",
            str(s / "release"),
        ],
    ),
    Slot(
        "evaluate --predictions",
        "in/p.jsonl",
        "submission",
        ("fifo", "dir", "sparse", "missing", "not-utf8", "json-too-deep", "json-int-too-long"),
        lambda w, s: [
            "evaluate",
            "--task",
            "ner",
            "--predictions",
            str(w / "in" / "p.jsonl"),
            "--release",
            str(s / "release"),
        ],
        expect={"missing": "predictions-not-found"},
    ),
    Slot(
        "evaluate --release (manifest.json)",
        "release/manifest.json",
        "release-file",
        ("fifo", "json-too-deep"),
        lambda w, s: [
            "evaluate",
            "--task",
            "ner",
            "--predictions",
            str(s / PRED),
            "--release",
            str(w / "release"),
        ],
        copy=(("release", "release"),),
    ),
    Slot(
        "evaluate --release (Parquet)",
        "release/ner/test-00000-of-00001.parquet",
        "release-file",
        ("fifo", "sparse"),
        lambda w, s: [
            "evaluate",
            "--task",
            "ner",
            "--predictions",
            str(s / PRED),
            "--release",
            str(w / "release"),
        ],
        copy=(("release", "release"),),
    ),
    Slot(
        "leaderboard add --predictions",
        "in/p.jsonl",
        "submission",
        ("fifo", "json-int-too-long"),
        lambda w, s: [
            "leaderboard",
            "--dir",
            str(w / OUT),
            "add",
            "--name",
            "x",
            "--description",
            "d",
            "--task",
            "ner",
            "--predictions",
            str(w / "in" / "p.jsonl"),
            "--release",
            str(s / "release"),
        ],
    ),
    Slot(
        "leaderboard render (entry)",
        "lb/submissions/ner/x.json",
        "leaderboard-entry",
        (
            "fifo",
            "sparse",
            "json-too-deep",
            "not-utf8",
            "json-bad-constant",
            "leaderboard-entry-invalid",
        ),
        lambda w, s: ["leaderboard", "--dir", str(w / "lb"), "render"],
        copy=(("leaderboard/submissions", "lb/submissions"),),
    ),
]

SLOTS += [
    Slot(
        "leaderboard show (entry)",
        "lb/submissions/stance/x.json",
        "leaderboard-entry",
        ("fifo", "json-int-too-long"),
        lambda w, s: ["leaderboard", "--dir", str(w / "lb"), "show"],
        copy=(("leaderboard/submissions", "lb/submissions"),),
    ),
    Slot(
        "build --check --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo", "not-utf8"),
        lambda w, s: ["build", "--check", "--documents", str(w / "in" / "documents.jsonl")],
    ),
]


def explore_argv(
    w: Path,
    s: Path,
    *,
    release: str | None = None,
    leaderboard: str | None = None,
    predictions: str | None = None,
    registry: str | None = None,
    sources: str | None = None,
) -> list[str]:
    """`rukp explore` on the sandbox, with one input taken from the workspace instead."""
    return [
        "explore",
        "--release",
        release or str(s / "release"),
        "--leaderboard",
        leaderboard or str(s / "leaderboard"),
        "--predictions",
        predictions or str(s / "baselines" / "results" / "predictions"),
        "--registry",
        registry or str(s / "annotations" / "entities.json"),
        "--sources",
        sources or str(s / "raw" / "sources.csv"),
        "--out",
        str(w / OUT / "explorer"),
    ]


# ---------------------------------------------------------------------------- newer commands


def adjudicate(
    w: Path,
    s: Path,
    decisions: Path | None = None,
    out: Path | None = None,
    log: Path | None = None,
) -> list[str]:
    """`rukp adjudicate --decisions` of the sandbox's adj/A and adj/B, the listing in the
    workspace's work/ (copied by the slot), gold and log into the output folder by default."""
    args = ["adjudicate", str(s / "adj" / "A"), str(s / "adj" / "B"), "--work", str(w / "work")]
    args += ["--decisions", str(decisions or s / "adj" / "decisions.json")]
    args += ["--out", str(out or w / OUT / "gold")]
    return [*args, "--log", str(log or w / OUT / "ADJUDICATION.md")]


def review(action: str, w: Path, s: Path, dis: Path | None = None, *more: str) -> list[str]:
    """`rukp ls review ACTION` with the sandbox's listing, documents and registry."""
    args = ["ls", "review", action, *more]
    args += ["--disagreements", str(dis or s / "adj" / "work" / "disagreements.json")]
    return [*args, "--documents", docs(s)]


def add_page(w: Path, s: Path, *more: str) -> list[str]:
    """`rukp add` of a new page (a seed page with one more sentence) into the workspace's raw/."""
    page = w / "incoming" / "new.txt"
    if not page.exists():
        page.parent.mkdir(parents=True, exist_ok=True)
        seed = (s / "raw" / f"{ADJ_DOC}.txt").read_text("utf-8")
        page.write_text(seed + "\nUne phrase de plus pour une autre page.\n", "utf-8")
    args = ["add", str(page), "--raw", str(w / "raw"), "--splits", str(w / "splits")]
    return [*args, "--documents", docs(s), *more]


SLOTS += [
    Slot(
        "explore --registry",
        "in/entities.json",
        "registry",
        ("fifo", "missing", "json-bad-constant"),
        lambda w, s: explore_argv(w, s, registry=str(w / "in" / "entities.json")),
    ),
    Slot(
        "explore --sources",
        "in/sources.csv",
        "csv",
        ("fifo", "malformed-csv"),
        lambda w, s: explore_argv(w, s, sources=str(w / "in" / "sources.csv")),
    ),
    Slot(
        "explore --release (Parquet)",
        "release/ner/test-00000-of-00001.parquet",
        "release-file",
        ("fifo", "sparse"),
        lambda w, s: explore_argv(w, s, release=str(w / "release")),
        copy=(("release", "release"),),
    ),
    Slot(
        "explore --release (manifest.json)",
        "release/manifest.json",
        "release-file",
        ("json-too-deep",),
        lambda w, s: explore_argv(w, s, release=str(w / "release")),
        copy=(("release", "release"),),
    ),
    Slot(
        "explore --leaderboard (entry)",
        "lb/submissions/ner/x.json",
        "leaderboard-entry",
        ("fifo", "leaderboard-entry-invalid"),
        lambda w, s: explore_argv(w, s, leaderboard=str(w / "lb")),
        copy=(("leaderboard/submissions", "lb/submissions"),),
    ),
    Slot(
        "explore --out (index.html)",
        f"{OUT}/explorer/index.html",  # inside the output folder: an --out it must not replace
        "text",
        ("fifo", "device"),
        lambda w, s: explore_argv(w, s),
        expect={"fifo": "explorer-out-not-explorer", "device": "explorer-out-not-explorer"},
    ),
    Slot(
        "add (page)",
        "in/page.txt",
        "raw-page",
        ("fifo", "dir", "sparse", "missing"),
        lambda w, s: [
            "add",
            str(w / "in" / "page.txt"),
            "--raw",
            str(w / "raw"),
            "--splits",
            str(w / "splits"),
            "--documents",
            docs(s),
        ],
        copy=(("raw", "raw"), ("splits", "splits")),
        expect={"missing": "page-not-found"},
    ),
    Slot(
        "add (raw/sources.csv)",
        "raw/sources.csv",
        "csv",
        ("fifo", "not-utf8-csv"),
        lambda w, s: add_page(w, s),
        copy=(("raw", "raw"), ("splits", "splits")),
        expect={
            "not-utf8-csv": "raw-sources-unreadable",
            "malformed-csv": "raw-sources-unreadable",
        },
    ),
    Slot(
        "add --splits (stories.csv)",
        "splits/stories.csv",
        "csv",
        ("fifo", "not-utf8-csv"),
        lambda w, s: add_page(w, s, "--story", "fuzz-new-story"),
        copy=(("raw", "raw"), ("splits", "splits")),
    ),
    Slot(
        "add --documents",
        "in/documents.jsonl",
        "documents",
        ("fifo", "documents-line-not-object"),
        lambda w, s: [*add_page(w, s)[:-2], "--documents", str(w / "in" / "documents.jsonl")],
        copy=(("raw", "raw"), ("splits", "splits")),
    ),
    Slot(
        "adjudicate (set member)",
        "A/x.json",
        "annotation",
        ("fifo",),
        lambda w, s: [
            "adjudicate",
            str(w / "A"),
            str(s / "adj" / "B"),
            "--out",
            str(w / OUT / "gold"),
            "--work",
            str(w / OUT / "work"),
        ],
        copy=(("adj/A", "A"),),
    ),
    Slot(
        "adjudicate --decisions",
        "in/decisions.json",
        "adjudication",
        ("fifo", "dir", "missing", "not-utf8", "json-too-deep", "decision-edited-bad-span"),
        lambda w, s: adjudicate(w, s, w / "in" / "decisions.json"),
        copy=(("adj/work", "work"),),
        expect={"missing": "decisions-unreadable"},
    ),
    Slot(
        "adjudicate (stored disagreements.json)",
        "work/disagreements.json",
        "adjudication",
        ("fifo", "missing", "not-utf8"),
        lambda w, s: adjudicate(w, s),
        copy=(("adj/work", "work"),),
        expect={"missing": "disagreements-missing"},
    ),
    Slot(
        "adjudicate --log",
        "in/ADJUDICATION.md",
        "adjudication",
        ("fifo", "not-utf8-text"),
        lambda w, s: adjudicate(w, s, log=w / "in" / "ADJUDICATION.md"),
        copy=(("adj/work", "work"),),
    ),
    Slot(
        "adjudicate --out (existing gold file)",
        f"gold/{ADJ_DOC}.json",
        "annotation",
        ("fifo", "not-utf8"),
        lambda w, s: adjudicate(w, s, out=w / "gold"),
        copy=(("adj/work", "work"), ("annotations/gold", "gold")),
        # compared as bytes (once read as text: a crash): other content, refused as such
        expect={"not-utf8": "gold-exists"},
    ),
    Slot(
        "diff (set member)",
        "B/x.json",
        "annotation",
        ("fifo", "not-utf8"),
        lambda w, s: ["diff", str(s / "adj" / "A"), str(w / "B")],
        copy=(("adj/B", "B"),),
    ),
    Slot(
        "release (DATA_VERSION)",
        "DATA_VERSION",
        "config",
        ("fifo", "missing", "not-utf8-text"),
        lambda w, s: ["release"],
        copy=(("release/manifest.json", "release/manifest.json"),),
        expect={"missing": "data-version-missing"},
        root="workspace",
    ),
    Slot(
        "release (release/manifest.json)",
        "release/manifest.json",
        "release-file",
        ("fifo", "json-too-deep"),
        lambda w, s: ["release"],
        copy=(("DATA_VERSION", "DATA_VERSION"),),
        root="workspace",
    ),
    Slot(
        "release --bump (CHANGELOG.md)",
        "CHANGELOG.md",
        "text",
        ("fifo", "not-utf8-text"),
        lambda w, s: ["release", "--bump", "patch"],
        copy=(("DATA_VERSION", "DATA_VERSION"), ("release/manifest.json", "release/manifest.json")),
        root="workspace",
    ),
    Slot(
        "preannotate --registry",
        "in/entities.json",
        "registry",
        ("fifo", "json-too-deep"),
        lambda w, s: [
            "preannotate",
            "--documents",
            docs(s),
            "--include-gold",  # the seeds have gold: take them anyway
            "--out",
            str(w / OUT),
            "--registry",
            str(w / "in" / "entities.json"),
        ],
    ),
    Slot(
        "preannotate --lexicon",
        "in/lexicon.json",
        "annotation",
        ("fifo", "dir"),
        lambda w, s: [
            "preannotate",
            "--documents",
            docs(s),
            "--include-gold",  # the seeds have gold: take them anyway
            "--out",
            str(w / OUT),
            "--lexicon",
            str(w / "in" / "lexicon.json"),
        ],
    ),
    Slot(
        "preannotate --eval --pages (page)",
        "pages/x.json",
        "annotation",
        ("fifo", "not-utf8", "page-entity-outside-text"),
        lambda w, s: [
            "preannotate",
            "--eval",
            "--pages",
            str(w / "pages"),
            "--report",
            str(w / OUT / "r.json"),
        ],
    ),
    Slot(
        "preannotate --eval --pages (folder)",
        "in/pages",
        "annotation",
        ("fifo",),
        lambda w, s: ["preannotate", "--eval", "--pages", str(w / "in" / "pages")],
        expect={"fifo": "bad-page"},
    ),
    Slot(
        "preannotate --check-aliases (registry)",
        "in/entities.json",
        "registry",
        ("fifo",),
        lambda w, s: [
            "preannotate",
            "--check-aliases",
            "--registry",
            str(w / "in" / "entities.json"),
        ],
    ),
    Slot(
        "ls review import (export)",
        "in/export.json",
        "export",
        ("fifo", "missing", "not-utf8"),
        lambda w, s: review(
            "import",
            w,
            s,
            None,
            str(w / "in" / "export.json"),
            "--out",
            str(w / OUT / "decisions.json"),
        ),
        expect={"missing": "export-unreadable"},
    ),
    Slot(
        "ls review import --disagreements",
        "in/d.json",
        "adjudication",
        ("fifo", "sparse", "missing", "json-int-too-long"),
        lambda w, s: review(
            "import",
            w,
            s,
            w / "in" / "d.json",
            f"{LS}/email-dotdot.export.json",
            "--out",
            str(w / OUT / "decisions.json"),
        ),
        expect={"missing": "disagreements-unreadable"},
    ),
    Slot(
        "ls review import --entities",
        "in/entities.json",
        "registry",
        ("fifo",),
        lambda w, s: review(
            "import",
            w,
            s,
            None,
            f"{LS}/email-dotdot.export.json",
            "--entities",
            str(w / "in" / "entities.json"),
            "--out",
            str(w / OUT / "d.json"),
        ),
    ),
    Slot(
        "ls review push --disagreements",
        "in/d.json",
        "adjudication",
        ("fifo",),
        lambda w, s: review(
            "push",
            w,
            s,
            w / "in" / "d.json",
            "--agreed",
            str(s / "adj" / "work" / "agreed"),
            *OFFLINE,
        ),
    ),
    Slot(
        "ls review push --agreed (set member)",
        "agreed/x.json",
        "annotation",
        ("fifo", "not-utf8"),
        lambda w, s: review("push", w, s, None, "--agreed", str(w / "agreed"), *OFFLINE),
        copy=(("adj/work/agreed", "agreed"),),
    ),
    Slot(
        "ls review pull --disagreements",
        "in/d.json",
        "adjudication",
        ("fifo",),
        lambda w, s: review(
            "pull",
            w,
            s,
            w / "in" / "d.json",
            "--out",
            str(w / OUT / "d.json"),
            "--export-file",
            str(w / OUT / "e.json"),
            *OFFLINE,
        ),
    ),
    Slot(
        "ingest-eval --fixtures (page)",
        "fix/p1.txt",
        "raw-page",
        ("fifo", "sparse"),
        lambda w, s: ["ingest-eval", "--fixtures", str(w / "fix"), "--systems", "rukp"],
        copy=(("cleaning", "fix"),),
    ),
    Slot(
        "ingest-eval --fixtures (answer)",
        "fix/p1.expected.json",
        "config",
        ("fifo", "not-utf8", "fixture-answer-not-object"),
        lambda w, s: ["ingest-eval", "--fixtures", str(w / "fix"), "--systems", "rukp"],
        copy=(("cleaning", "fix"),),
    ),
    Slot(
        "ingest-eval --fixtures (split.json)",
        "fix/split.json",
        "config",
        ("fifo", "fixture-split-not-list"),
        lambda w, s: ["ingest-eval", "--fixtures", str(w / "fix"), "--systems", "rukp"],
        copy=(("cleaning", "fix"),),
    ),
    Slot(
        "ingest-eval --fixtures (folder)",
        "in/fix",
        "config",
        ("fifo", "dir"),  # a FIFO is no folder; an empty folder holds no fixture
        lambda w, s: ["ingest-eval", "--fixtures", str(w / "in" / "fix")],
        expect={"fifo": "fixtures-missing", "dir": "fixtures-missing"},
    ),
    Slot(
        "ls tasks --context (set member)",
        "ctx/x.json",
        "annotation",
        ("fifo",),
        lambda w, s: [
            "ls",
            "tasks",
            "--documents",
            docs(s),
            "--include-gold",  # the seeds have gold: take them anyway
            "--layer",
            "events",
            "--context",
            str(w / "ctx"),
            "--out",
            str(w / OUT / "t.json"),
        ],
        copy=(("annotations/gold", "ctx"),),
    ),
    Slot(
        "ls tasks --context (folder)",
        "in/ctx",
        "annotation",
        ("fifo",),  # once taken for an empty set (every document waiting), exit 0
        lambda w, s: [
            "ls",
            "tasks",
            "--documents",
            docs(s),
            "--include-gold",  # the seeds have gold: take them anyway
            "--layer",
            "events",
            "--context",
            str(w / "in" / "ctx"),
            "--out",
            str(w / OUT / "t.json"),
        ],
        expect={"fifo": "set-missing"},
    ),
    Slot(
        "ls tasks --predictions (predictions.jsonl)",
        "set/predictions.jsonl",
        "documents",
        ("fifo", "json-infinity"),
        lambda w, s: [
            "ls",
            "tasks",
            "--documents",
            docs(s),
            "--include-gold",  # the seeds have gold: take them anyway
            "--predictions",
            str(w / "set"),
            "--out",
            str(w / OUT / "t.json"),
        ],
        copy=(("annotations/gold", "set"),),
    ),
    Slot(
        "ls push --context (set member)",
        "ctx/x.json",
        "annotation",
        ("fifo",),
        lambda w, s: [
            "ls",
            "push",
            "--documents",
            docs(s),
            "--include-gold",  # the seeds have gold: take them anyway
            "--layer",
            "stances",
            "--context",
            str(w / "{annotator}"),
            "--annotators",
            "ctx=a@example.org",
            *OFFLINE,
        ],
        copy=(("annotations/gold", "ctx"),),
    ),
    Slot(
        "ls push (raw/sources.csv)",
        "raw/sources.csv",
        "csv",
        ("fifo", "not-utf8-csv"),
        lambda w, s: ["ls", "push", "--documents", docs(s), *OFFLINE],
        expect={"not-utf8-csv": "raw-sources-unreadable"},
        root="workspace",
    ),
    Slot(
        "ls pull --layer --entities",
        "in/entities.json",
        "registry",
        ("fifo",),
        lambda w, s: [
            "ls",
            "pull",
            "--documents",
            docs(s),
            "--layer",
            "events",
            "--entities",
            str(w / "in" / "entities.json"),
            "--out-dir",
            str(w / OUT),
            *OFFLINE,
        ],
    ),
]
RUNS = [(slot, case) for slot in SLOTS for case in slot.cases]


def check_run(
    args: list[str],
    ws: Path,
    sandbox: Path,
    expected: str | None,
    exit_codes=(1,),
    root: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one command and check everything the issue asks of it; returns the process."""
    before = snapshot(sandbox), snapshot(ws, skip=ws / OUT)
    try:
        proc = rukp(args, ws, sandbox, root)
    except subprocess.TimeoutExpired:
        pytest.fail(f"rukp {' '.join(args)} still running after {TIMEOUT} s (blocked?)")
    shown = f"rukp {' '.join(args)}\nexit {proc.returncode}\nstderr:\n{proc.stderr[-3000:]}"
    assert proc.returncode in exit_codes, shown
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, shown
    if expected is not None:
        assert f"ERROR {expected} " in proc.stderr, shown
    assert snapshot(sandbox) == before[0], "the sandbox (gold, release, …) changed\n" + shown
    assert snapshot(ws, skip=ws / OUT) == before[1], "a file changed outside the output\n" + shown
    return proc


@pytest.mark.parametrize(("slot", "case"), RUNS, ids=[f"{s.command}: {c}" for s, c in RUNS])
def test_hostile_input(slot: Slot, case: str, sandbox: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    for src, dst in slot.copy:
        (ws / dst).parent.mkdir(parents=True, exist_ok=True)
        if (sandbox / src).is_dir():
            shutil.copytree(sandbox / src, ws / dst)
        else:
            shutil.copyfile(sandbox / src, ws / dst)
    place(case, ws / slot.target, slot.kind)
    expected = slot.expect.get(case, CASES[case]["id"])
    root = ws if slot.root == "workspace" else None
    check_run(slot.argv(ws, sandbox), ws, sandbox, expected, root=root)


@pytest.mark.parametrize("case", ["fifo", "device", "sparse"])
def test_explore_hostile_predictions_file(case: str, sandbox: Path, tmp_path: Path) -> None:
    """A predictions file an entry names is read through the safe reader too: that system is
    listed with the reason (a warning), the others are shown, the site is written (exit 0)."""
    ws = tmp_path / "ws"
    shutil.copytree(sandbox / "baselines" / "results" / "predictions", ws / "preds")
    place(case, ws / "preds" / "crf.ner.test.jsonl", "submission")
    proc = check_run(
        explore_argv(ws, sandbox, predictions=str(ws / "preds")), ws, sandbox, None, (0,)
    )
    want = CASES[case]["id"]
    assert "WARNING system-predictions-invalid" in proc.stderr, proc.stderr
    assert "ner system 'crf' is listed but not shown on the documents" in proc.stderr
    assert f"{want}: " in proc.stderr, proc.stderr
    assert "6 systems of which 5 shown" in proc.stdout, proc.stdout
    assert (ws / OUT / "explorer" / "index.html").is_file()


NAMES = ["..", "x<GPE>&", "\U0001f642" * 60, "-rf", "a/b"]


@pytest.mark.parametrize("name", NAMES)
def test_unsafe_leaderboard_names(name: str, sandbox: Path, tmp_path: Path) -> None:
    """A name becomes a file name: refused by the one rule before anything is scored."""
    args = ["leaderboard", "--dir", str(tmp_path / OUT), "add", f"--name={name}"]
    args += ["--description", "d", "--task", "ner", "--predictions", str(sandbox / PRED)]
    check_run(args, tmp_path, sandbox, "unsafe-name")
    assert not (tmp_path / OUT).exists()


@pytest.mark.parametrize("name", ["..", "a/b", "-rf"])
def test_unsafe_annotator_set_names(name: str, sandbox: Path, tmp_path: Path) -> None:
    """`--annotators SET=EMAIL` names a set folder (and fills `{annotator}` in --context):
    refused by the name rule before any set is read or the server is asked."""
    args = ["ls", "push", "--documents", docs(sandbox), "--include-gold", "--layer", "events"]
    args += ["--context", str(tmp_path / "{annotator}"), f"--annotators={name}=a@example.org"]
    proc = check_run([*args, *OFFLINE], tmp_path, sandbox, "bad-annotators")
    assert f"set name {name!r} is not a safe folder name" in proc.stderr


@pytest.mark.parametrize("command", ["evaluate", "leaderboard"])
@pytest.mark.parametrize("value", ["-5", "10", "100001"])
def test_bootstrap_is_validated(command: str, value: str, sandbox: Path, tmp_path: Path) -> None:
    common = ["--task", "ner", "--predictions", str(sandbox / PRED), "--bootstrap", value]
    add = ["leaderboard", "--dir", str(tmp_path / OUT), "add", "--name", "x", "--description", "d"]
    args = ["evaluate", *common] if command == "evaluate" else [*add, *common]
    proc = check_run(args, tmp_path, sandbox, "bad-option")
    assert "allowed are 0 (no confidence intervals) or 100 to 100,000" in proc.stderr


def test_corpus_covers_every_incident_id() -> None:
    """At least one case per incident id of rukp.safeio and of the other incidents of issue
    13, every case is used by some slot, and every committed file is listed."""
    ids = {c["id"] for c in CASES.values()}
    assert set(INCIDENT_IDS) - {"malformed-csv", "malformed-parquet"} <= ids
    assert {"malformed-csv", "malformed-parquet", "leaderboard-entry-invalid"} <= ids
    # contents that read well but that the command cannot use (each once crashed or passed)
    assert {
        "document-field-missing",
        "schema-violation",
        "bad-page",
        "bad-fixture-answer",
        "bad-fixture-split",
    } <= ids
    used = {case for slot in SLOTS for case in slot.cases}
    assert used == set(CASES)
    files = {c["file"] for c in CASES.values() if c["make"] == "file"}
    committed = {p.name for p in CORPUS.iterdir() if p.is_file() and p.name != "MANIFEST.json"}
    assert committed == files
    commands = {slot.command.split(" (")[0].split(" --")[0] for slot in SLOTS}
    assert commands >= {
        "add",
        "adjudicate",
        "diff",
        "release",
        "ingest-eval",
        "ls review import",
        "ls review push",
        "ls review pull",
        "ingest",
        "validate",
        "agreement",
        "ls import",
        "ls tasks",
        "ls push",
        "ls pull",
        "build",
        "reanchor",
        "baselines",
        "preannotate",
        "evaluate",
        "leaderboard add",
        "leaderboard render",
        "leaderboard show",
        "explore",
    }


# ---------------------------------------------------------------------------- random bytes

_json_text = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
).map(lambda v: json.dumps(v, ensure_ascii=False))
_contents = st.one_of(
    st.binary(max_size=300),
    _json_text.map(lambda t: t.encode("utf-8")),
    st.lists(_json_text, max_size=4).map(lambda ts: "\n".join(ts).encode("utf-8")),
    st.tuples(_json_text, st.integers(0, 40), st.binary(max_size=4)).map(
        lambda t: (t[0][: t[1]]).encode("utf-8") + t[2]  # cut, then junk bytes
    ),
)
RANDOM_SLOTS = {
    "evaluate --predictions": (
        "in/p.jsonl",
        lambda w, s: SLOTS_BY_NAME["evaluate --predictions"].argv(w, s),
    ),
    "ls import (export)": (
        "in/export.json",
        lambda w, s: SLOTS_BY_NAME["ls import (export)"].argv(w, s),
    ),
    "leaderboard render (entry)": (
        "lb/submissions/ner/x.json",
        lambda w, s: ["leaderboard", "--dir", str(w / "lb"), "render"],
    ),
    "build --documents": (
        "in/documents.jsonl",
        lambda w, s: SLOTS_BY_NAME["build --documents"].argv(w, s),
    ),
}
SLOTS_BY_NAME = {slot.command: slot for slot in SLOTS}


@pytest.mark.parametrize("name", sorted(RANDOM_SLOTS))
def test_random_bytes(name: str, sandbox: Path) -> None:
    """A bounded hypothesis run per input: whatever the bytes, exit 0 or 1, never a traceback,
    an incident id when refused, nothing written outside the output folder."""
    target, argv = RANDOM_SLOTS[name]

    @settings(
        max_examples=6,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=_contents)
    def run(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as t:
            ws = Path(t)
            (ws / target).parent.mkdir(parents=True)
            (ws / target).write_bytes(data)
            proc = check_run(argv(ws, sandbox), ws, sandbox, None, exit_codes=(0, 1))
            if proc.returncode == 1:
                assert "ERROR " in proc.stderr, proc.stderr

    run()


def test_an_email_of_dotdot_never_becomes_a_path(tmp_path: Path) -> None:
    """The e-mail '..' once made `ls import` write into the repository root. A set is named by
    the annotator map or `user<id>`, never by an e-mail: the import writes under --out-dir only."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from labelstudio.helpers import (
        export_of,
        pact_annotation,
        pact_documents,
        write_documents,
        write_registry,
    )

    from rukp.labelstudio.convert import to_result

    docs = pact_documents()
    export = export_of(docs, {"d1": to_result(pact_annotation())}, user=7)
    export[0]["annotations"][0]["completed_by"] = {"id": 7, "email": ".."}
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    write_documents(tmp_path / "documents.jsonl", docs)
    out = tmp_path / "work" / "out"
    write_registry(tmp_path / "entities.json")
    argv = ["ls", "import", str(tmp_path / "export.json"), "--documents",
            str(tmp_path / "documents.jsonl"), "--entities", str(tmp_path / "entities.json"),
            "--out-dir", str(out)]  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "rukp", *argv], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == [
        "documents.jsonl",
        "entities.json",
        "export.json",
        "work/out/user7/d1.json",
        "work/out/user7/entities.json",
    ]
