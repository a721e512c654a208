"""`rukp ls config|tasks|import|serve|push|pull|users|review`: move work in and out of Label
Studio (one project per annotator and per pass if asked; review tasks for adjudication)."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

from rukp.documents import Document, load_documents
from rukp.errors import Incident, RukpError
from rukp.io import write_json
from rukp.labelstudio.data import read_json
from rukp.paths import annotations_dir, build_dir, cleaned_documents_path, repo_root
from rukp.safeio import check_regular, child, present, read_text, safe_name, shown

TOKEN_ENV = "RUKP_LS_TOKEN"
PASSWORD_ENV = "RUKP_LS_PASSWORD"
USERNAME_ENV = "RUKP_LS_USERNAME"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="ls_command", metavar="ACTION")

    p = sub.add_parser("config", help="print or write the labeling config (XML) from labels.json")
    p.add_argument("--out", type=Path, help="write the XML here instead of stdout")
    g = p.add_mutually_exclusive_group()
    _layer_arg(g)
    g.add_argument("--review", action="store_true", help="the adjudicator's review config")

    p = sub.add_parser(
        "tasks",
        help="cleaned documents still to annotate (not in the gold set) -> Label Studio tasks JSON",
    )
    _documents_arg(p)
    _selection_args(p, "write tasks for")
    _predictions_args(p)
    p.add_argument("--out", type=Path, required=True, help="tasks JSON file to write")

    p = sub.add_parser(
        "import", help="a Label Studio JSON export -> one annotation set per annotator"
    )
    p.add_argument("export", type=Path, help="the JSON export file")
    _documents_arg(p)
    _import_args(p)
    _layer_arg(p)

    p = sub.add_parser("serve", help="start a local, offline Label Studio (from .venv-ls)")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument(
        "--data-dir",
        type=Path,
        default=Path("ls-data"),
        help="everything the server stores goes here (default: ls-data/)",
    )
    p.add_argument(
        "--username",
        default=os.environ.get(USERNAME_ENV, "admin@rukp.local"),
        help=f"admin e-mail (env {USERNAME_ENV})",
    )
    p.add_argument(
        "--password",
        default=None,
        help=f"admin password (env {PASSWORD_ENV}; default: a random one, printed once)",
    )
    p.add_argument(
        "--token",
        default=None,
        help=f"admin API token, 40 hex chars (env {TOKEN_ENV};"
        " default: a random one, printed once)",
    )

    p = sub.add_parser(
        "push",
        help="create/update the project on a server and import the tasks of the documents still "
        "to annotate (not in the gold set)",
    )
    _server_args(p)
    _documents_arg(p)
    _selection_args(p, "push")
    _predictions_args(p)
    p.add_argument(
        "--allow-missing-provenance",
        action="store_true",
        help="push documents that have no row in raw/sources.csv (with a warning each)",
    )
    _annotators_arg(p)

    p = sub.add_parser("pull", help="snapshot-export a project and import its annotations")
    _server_args(p)
    _documents_arg(p)
    _import_args(p)
    _layer_arg(p)
    _annotators_arg(p)
    p.add_argument(
        "--export-file",
        type=Path,
        default=None,
        help="where to keep the raw export (default: build/labelstudio/export-<title>.json; "
        "with --annotators, one file per project in that folder)",
    )

    p = sub.add_parser("users", help="list the server's users: id, e-mail, name")
    _server_args(p, title=False)

    p = sub.add_parser("review", help="adjudication: review tasks from disagreements.json")
    rsub = p.add_subparsers(dest="review_command", metavar="ACTION")
    r = rsub.add_parser("push", help="one review task per document with disagreements")
    _server_args(r, default_title="rukp review")
    _documents_arg(r)
    _review_args(r)
    r.add_argument(
        "--agreed",
        type=Path,
        metavar="SET_DIR",
        required=True,
        help="the agreed items, shown read-only: the set `rukp adjudicate A B` wrote into its "
        "work folder (build/adjudication/<A>-<B>/agreed)",
    )
    r = rsub.add_parser("pull", help="the adjudicator's review annotations -> decisions.json")
    _server_args(r, default_title="rukp review")
    _documents_arg(r)
    _review_args(r)
    _decisions_args(r)
    r.add_argument(
        "--export-file",
        type=Path,
        default=None,
        help="where to keep the raw export (default: build/labelstudio/export-<title>.json)",
    )
    r = rsub.add_parser("import", help="a review project's JSON export -> decisions.json")
    r.add_argument("export", type=Path, help="the JSON export file")
    _documents_arg(r)
    _review_args(r)
    _decisions_args(r)


def _layer_arg(p: Any) -> None:
    from rukp.labelstudio.config import ALL, LAYERS

    p.add_argument(
        "--layer",
        choices=(ALL, *LAYERS),
        default=ALL,
        help="one annotation pass (entities, then events, then stances; earlier layers shown "
        "read-only), or all layers in one view (default)",
    )


def _annotators_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--annotators",
        default=None,
        metavar="SET=EMAIL,…",
        help="one project per annotator, e.g. A=a@example.org,B=b@example.org: set name "
        "(a folder name) = the annotator's Label Studio e-mail",
    )


def _review_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--disagreements",
        type=Path,
        required=True,
        help="disagreements.json written by `rukp adjudicate A B --out GOLD` into its work folder "
        "(build/adjudication/<A>-<B>/disagreements.json)",
    )
    p.add_argument(
        "--entities",
        type=Path,
        default=None,
        help="entity registry to check ids against (default: annotations/entities.json)",
    )


def _decisions_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, help="decisions.json to write")
    p.add_argument(
        "--by", default=None, help="adjudicator name (default: the Label Studio user's e-mail)"
    )


def _documents_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--documents",
        type=Path,
        default=None,
        help="cleaned documents JSONL (default: build/ingest/documents.jsonl)",
    )


def _selection_args(p: argparse.ArgumentParser, verb: str) -> None:
    p.add_argument(
        "--include-gold",
        action="store_true",
        help=f"also {verb} the documents that already have gold (by default only the documents "
        "still to annotate are taken: those with no <doc_id>.json in the gold set)",
    )
    p.add_argument(
        "--gold",
        type=Path,
        metavar="SET_DIR",
        default=None,
        help="the gold set whose documents are skipped (default: annotations/gold)",
    )


def _predictions_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--predictions",
        type=Path,
        metavar="SET_DIR",
        help="an annotation set folder to attach as pre-annotations",
    )
    p.add_argument(
        "--model-version",
        default=None,
        help="default: the set's predictions.jsonl (rukp preannotate), else the set folder name",
    )
    p.add_argument(
        "--score", type=float, default=None, help="default: the set's predictions.jsonl, else none"
    )
    p.add_argument(
        "--entities",
        type=Path,
        default=None,
        help="entity registry (default: the set's entities.json, else annotations/entities.json)",
    )
    _layer_arg(p)
    p.add_argument(
        "--context",
        type=Path,
        metavar="SET_DIR",
        default=None,
        help="for the events and stances passes: the set holding the earlier layers, shown "
        "read-only (its annotator's own set; '{annotator}' is replaced by the set name with "
        "--annotators, e.g. annotations/{annotator})",
    )


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--out-dir",
        type=Path,
        required=True,
        help="folder receiving one set folder per annotator (<out-dir>/<set>/)",
    )
    p.add_argument(
        "--entities",
        type=Path,
        default=None,
        help="entity registry (default: annotations/entities.json); copied into each set",
    )
    p.add_argument(
        "--annotator-map",
        type=Path,
        default=None,
        help='JSON {"<user id or e-mail>": "<set name>"}, e.g. {"a@x.org": "A", "3": "B"} '
        "(user ids: `rukp ls users`); unmapped users get set user<id>",
    )
    p.add_argument(
        "--update-sets",
        action="store_true",
        help="allow changing a set folder that already exists (a later pass into the "
        "annotator's set, a re-pull); without it such an import is refused",
    )
    p.add_argument(
        "--overwrite-gold",
        action="store_true",
        help="allow writing into a set folder named gold (a timestamped backup is kept)",
    )


def _server_args(
    p: argparse.ArgumentParser, title: bool = True, default_title: str = "rukp"
) -> None:
    p.add_argument("--url", default=os.environ.get("RUKP_LS_URL", "http://127.0.0.1:8080"))
    p.add_argument("--token", default=None, help=f"API token (default: env {TOKEN_ENV})")
    if title:
        p.add_argument(
            "--project-title",
            default=default_title,
            help=f"project title (default: {default_title}; with --annotators/--layer the "
            "projects are '<title> · <set> · <layer>')",
        )


def _documents(args: argparse.Namespace) -> dict[str, Document]:
    return load_documents(args.documents or cleaned_documents_path())


def _selected(args: argparse.Namespace, docs: dict[str, Document]) -> dict[str, Document]:
    """The documents still to annotate (all with --include-gold); prints what was selected."""
    from rukp.documents import documents_to_annotate

    selection = documents_to_annotate(
        docs,
        args.gold or annotations_dir() / "gold",
        include_gold=args.include_gold,
        source=args.documents or cleaned_documents_path(),
        gold_required=args.gold is not None,
    )
    print(selection.summary())
    return selection.documents


def _set_path(template: Path | None, annotator: str | None) -> Path | None:
    if template is None:
        return None
    text = str(template)
    if "{annotator}" in text:
        if annotator is None:
            raise RukpError.single(
                "bad-annotators",
                f"{text} names '{{annotator}}' but no --annotators are given",
            )
        text = text.replace("{annotator}", annotator)
    return Path(text)


def _tasks(
    args: argparse.Namespace,
    docs: dict[str, Document],
    selected: dict[str, Document] | None = None,
    annotator: str | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The tasks to push (or write) for the `selected` documents (default: all of `docs`) and
    the selected documents left out of a later pass. Prediction and context sets are checked
    against every document of `docs`, so a set that also covers annotated documents fits."""
    from rukp.labelstudio.config import ALL, earlier_layers
    from rukp.labelstudio.convert import to_result
    from rukp.labelstudio.tasks import (
        build_layer_tasks,
        build_tasks,
        checked_set,
        prediction_meta,
    )

    selected = docs if selected is None else selected
    pred_dir = _set_path(args.predictions, annotator)
    ctx_dir = _set_path(args.context, annotator)
    version = args.model_version
    preds = None
    meta: dict[str, dict[str, Any]] = {}
    if pred_dir:
        preds = checked_set(pred_dir, docs, registry=args.entities)
        meta = prediction_meta(pred_dir)  # rukp preannotate's model versions and scores
        if not meta:
            version = version or Path(pred_dir).resolve().name
    if args.layer == ALL:
        if ctx_dir:
            raise RukpError.single(
                "bad-layer", "--context is for the events and stances passes (--layer)"
            )
        results = {d: to_result(r) for d, r in (preds or {}).items() if d in selected}
        tasks = build_tasks(selected, results, model_version=version, score=args.score, meta=meta)
        return tasks, []
    context = None
    if earlier_layers(args.layer):
        if ctx_dir is None:
            raise RukpError.single(
                "context-missing",
                f"the {args.layer} pass shows the earlier layers "
                f"({', '.join(earlier_layers(args.layer))}) read-only: give --context SET_DIR",
                hint="the annotator's own set after the earlier passes, e.g. annotations/A "
                "(with --annotators: annotations/{annotator})",
            )
        # no set there yet: nothing annotated (all wait); a file or FIFO there is refused
        context = checked_set(ctx_dir, docs, registry=args.entities) if present(ctx_dir) else {}
    return build_layer_tasks(
        selected, args.layer, context, preds, model_version=version, score=args.score, meta=meta
    )


def parse_annotators(spec: str | None) -> list[tuple[str, str]]:
    """`A=a@x.org,B=b@y.org` -> [(set name, e-mail)], names checked as folder names."""
    from rukp.labelstudio.importer import set_name_problem

    if not spec:
        return []
    out: list[tuple[str, str]] = []
    problems = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        name, sep, email = (x.strip() for x in part.partition("="))
        if not sep or "@" not in email or not email.split("@")[0] or "." not in email:
            problems.append(f"{part!r} is not SET=EMAIL (e.g. A=a@example.org)")
            continue
        problem = set_name_problem(name)
        if problem:
            problems.append(problem)
            continue
        out.append((name, email))
    names = [n for n, _ in out]
    emails = [e.lower() for _, e in out]
    if len(set(names)) != len(names) or len(set(emails)) != len(emails):
        problems.append("each set name and each e-mail may appear once")
    if problems:
        raise RukpError(
            *(Incident(id="bad-annotators", message=m, location="--annotators") for m in problems)
        )
    return out


def _registry(args: argparse.Namespace) -> Path:
    """The registry path, checked to be a readable regular file of the registry bound."""
    reg = Path(args.entities or annotations_dir() / "entities.json")
    check_regular(
        reg,
        "registry",
        missing=(
            "registry-missing",
            "pass --entities PATH (schema/entities.schema.json); canonical ids are checked "
            "against it and it is copied into each imported set",
        ),
    )
    return reg


def _annotator_map(args: argparse.Namespace) -> dict[str, str]:
    """{user id or e-mail: set name}; every set name must be a safe folder name."""
    from rukp.labelstudio.importer import set_name_problem

    if not args.annotator_map:
        return {}
    data = read_json(args.annotator_map, "config", "annotator-map-unreadable")
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise RukpError.single(
            "annotator-map-unreadable",
            'expected {"<user>": "<set name>"}',
            file=shown(args.annotator_map),
        )
    problems = [(k, set_name_problem(v)) for k, v in data.items() if set_name_problem(v)]
    if problems:
        raise RukpError(
            *(
                Incident(
                    id="unsafe-name",
                    message=str(m),
                    file=shown(args.annotator_map),
                    location=f"$[{json.dumps(k)}]",
                )
                for k, m in problems
            )
        )
    return {str(k): v for k, v in data.items()}


def _import(
    args: argparse.Namespace,
    export: Path,
    users: dict[int, str] | None = None,
    local: tuple[dict[str, Document], Path, dict[str, str]] | None = None,
) -> int:
    """Import an export; `local` = (documents, registry, annotator map) when already read."""
    from rukp.labelstudio.importer import import_export

    docs, registry, amap = local or (_documents(args), _registry(args), _annotator_map(args))
    report = import_export(
        export,
        docs,
        args.out_dir,
        registry,
        annotator_map=amap,
        users=users,
        overwrite_gold=args.overwrite_gold,
        update_sets=args.update_sets,
        gold_dir=annotations_dir() / "gold",
        layer=args.layer,
    )
    print(report.summary())
    return 0


def _check_provenance(docs: dict[str, Document], allow: bool) -> None:
    """Refuse (or, when allowed, warn about) documents without a provenance row."""
    from rukp.errors import Incident
    from rukp.paths import raw_dir
    from rukp.provenance import SOURCES_NAME, without_provenance

    table = raw_dir() / SOURCES_NAME
    found = [
        Incident(
            "document-without-provenance",
            f"no row in {table}: where the text comes from is not recorded",
            file=str(table),
            doc_id=d,
            level="warning" if allow else "error",
            hint="add raw pages with `rukp add` (it writes the row), or pass "
            "--allow-missing-provenance to push anyway",
        )
        for d in without_provenance(sorted(docs), table)
    ]
    if found and not allow:
        raise RukpError(*found)
    for incident in found:
        print(incident.format(), file=sys.stderr)


def _token(args: argparse.Namespace) -> str | None:
    return args.token or os.environ.get(TOKEN_ENV)


def _safe(title: str) -> str:
    """A project title mapped onto the one file-name rule (rukp.safeio), for export files."""
    return safe_name(title, "project title")


def run(args: argparse.Namespace) -> int:
    cmd = getattr(args, "ls_command", None)
    if cmd is None:
        print(
            "rukp ls: choose one of config, tasks, import, serve, push, pull, users, review",
            file=sys.stderr,
        )
        return 2
    if cmd == "config":
        from rukp.labelstudio.config import build_config, build_review_config

        xml = build_review_config() if args.review else build_config(layer=args.layer)
        if args.out:
            from rukp.io import atomic_open

            with atomic_open(args.out) as f:
                f.write(xml)
            print(f"wrote {args.out}")
        else:
            sys.stdout.write(xml)
        return 0
    if cmd == "tasks":
        docs = _documents(args)
        tasks, waiting = _tasks(args, docs, _selected(args, docs))
        write_json(args.out, tasks)
        n_pred = sum(1 for t in tasks if "predictions" in t)
        print(f"wrote {len(tasks)} task(s), {n_pred} with predictions, to {args.out}")
        _print_waiting(args.layer, waiting)
        return 0
    if cmd == "import":
        return _import(args, args.export)
    if cmd == "serve":
        return _serve(args)
    if cmd == "push":
        return _push(args)
    if cmd == "pull":
        return _pull(args)
    if cmd == "users":
        from rukp.labelstudio.client import connect, list_users

        users = list_users(connect(args.url, _token(args)))
        print(f"{'id':>4}  {'e-mail':<40} name")
        for u in users:
            print(f"{u.id:>4}  {u.email:<40} {u.name}")
        return 0
    if cmd == "review":
        return _review(args)
    raise AssertionError(cmd)


def _print_waiting(layer: str, waiting: list[str]) -> None:
    if waiting:
        print(
            f"not in the {layer} pass yet ({len(waiting)}; their earlier layers are not in the "
            f"--context set): {', '.join(waiting)}"
        )


def _push(args: argparse.Namespace) -> int:
    from rukp.labelstudio.client import connect, list_users, project_title, push
    from rukp.labelstudio.config import build_config

    docs = _documents(args)
    selected = _selected(args, docs)
    _check_provenance(selected, args.allow_missing_provenance)
    annotators = parse_annotators(args.annotators)
    plans = []  # everything is built and checked before the server is touched
    for name, _ in annotators or [(None, None)]:
        plans.append((name, *_tasks(args, docs, selected, name)))
    ls = connect(args.url, _token(args))
    if annotators:
        known = {u.email.lower() for u in list_users(ls)}
        for name, email in annotators:
            if email.lower() not in known:
                print(
                    f"note: {email} ({name}) has no account on the server yet: send them the "
                    "invite link (Organization → Add People); pull matches their annotations "
                    "by this e-mail"
                )
    config = build_config(layer=args.layer)
    for name, tasks, waiting in plans:
        title = project_title(args.project_title, name, args.layer)
        report = push(ls, title, config, tasks)
        print(f"{title}: " + report.summary(args.url))
        _print_waiting(args.layer, waiting)
    return 0


def _pull(args: argparse.Namespace) -> int:
    from rukp.labelstudio.client import (
        connect,
        list_users,
        project_title,
        pull,
        user_ids_by_email,
    )
    from rukp.labelstudio.data import registry_ids
    from rukp.labelstudio.importer import (
        convert_export,
        parse_export,
        set_loader,
        write_sets,
    )

    annotators = parse_annotators(args.annotators)
    if annotators and args.annotator_map:
        raise RukpError.single(
            "bad-annotators",
            "give --annotators (one project per annotator) or --annotator-map, not both",
        )
    # every local input is read before talking to the server
    registry_file = _registry(args)
    docs = _documents(args)
    amap = _annotator_map(args)
    ls = connect(args.url, _token(args))
    if not annotators:
        title = project_title(args.project_title, None, args.layer)
        export = args.export_file or child(
            build_dir() / "labelstudio", "export-" + _safe(title), "export", ".json"
        )
        project_id, users = pull(ls, title, export)
        print(f"project {project_id}: export saved to {export}")
        return _import(args, export, users, (docs, registry_file, amap))
    users = list_users(ls)
    ids = user_ids_by_email(users)
    emails = {u.id: u.email for u in users}
    missing = [f"{e} ({n})" for n, e in annotators if e.lower() not in ids]
    if missing:
        raise RukpError.single(
            "unknown-user",
            f"no Label Studio account for {', '.join(missing)}",
            hint="`rukp ls users` lists the accounts; annotators join with the invite link",
        )
    folder = args.export_file or build_dir() / "labelstudio"
    registry = registry_ids(registry_file)
    loader = set_loader(args.out_dir)
    sets: dict[str, dict[str, Any]] = {}
    skipped = []
    for name, email in annotators:
        title = project_title(args.project_title, name, args.layer)
        export = child(folder, "export-" + _safe(title), "export", ".json")
        project_id, _ = pull(ls, title, export)
        print(f"{title}: project {project_id}, export saved to {export}")
        uid = ids[email.lower()]
        got, skip = convert_export(
            parse_export(read_text(export, "export"), shown(export)),
            docs,
            file=str(export),
            registry=registry,
            users=emails,
            annotator_map={str(uid): name},
            layer=args.layer,
            existing=loader,
            project_user=uid,
        )
        sets.update(got)
        skipped += skip
    report = write_sets(
        sets,
        args.out_dir,
        registry_file,
        overwrite_gold=args.overwrite_gold,
        update_sets=args.update_sets,
        gold_dir=annotations_dir() / "gold",
    )
    report.skipped = skipped
    print(report.summary())
    return 0


def _review(args: argparse.Namespace) -> int:
    from rukp.labelstudio import review as R
    from rukp.labelstudio.data import registry_ids

    sub = getattr(args, "review_command", None)
    if sub is None:
        print("rukp ls review: choose one of push, pull, import", file=sys.stderr)
        return 2
    dis = R.load_disagreements(args.disagreements)
    docs = _documents(args)
    reg_file = args.entities or annotations_dir() / "entities.json"
    # --entities must be there; the default registry may be absent (ids checked by form only)
    registry = registry_ids(reg_file) if args.entities or present(reg_file) else None
    if sub == "push":
        from rukp.labelstudio.client import connect, find_project, push, task_data
        from rukp.labelstudio.config import build_review_config
        from rukp.validate import load_annotation_set

        agreed = load_annotation_set(args.agreed)  # JSON and schema checked
        tasks = R.review_tasks(dis, docs, agreed, registry=registry)
        ls = connect(args.url, _token(args))
        project = find_project(ls, args.project_title)
        if project is not None:
            outdated = R.outdated_tasks(task_data(ls, project.id), dis)
            if outdated:
                raise RukpError(*outdated)
        report = push(
            ls, args.project_title, build_review_config(), tasks, model_version=R.WORKING_VERSION
        )
        print(
            f"{len(dis.items)} disagreement(s) in {len(tasks)} review task(s); "
            + report.summary(args.url)
        )
        return 0
    if sub == "pull":
        from rukp.labelstudio.client import connect, pull

        ls = connect(args.url, _token(args))
        export = args.export_file or child(
            build_dir() / "labelstudio", "export-" + _safe(args.project_title), "export", ".json"
        )
        project_id, users = pull(ls, args.project_title, export)
        print(f"project {project_id}: export saved to {export}")
    else:
        export, users = args.export, {}
    decisions = R.decisions_from_file(export, dis, docs, registry=registry, users=users, by=args.by)
    R.write_decisions(args.out, decisions)
    counts = {c: sum(1 for d in decisions if d["choice"] == c) for c in R.CHOICES}
    print(
        f"wrote {len(decisions)} decision(s) to {args.out}: "
        + ", ".join(f"{c} {n}" for c, n in counts.items())
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from rukp.labelstudio.server import new_token, start_server, stop_server

    password = args.password or os.environ.get(PASSWORD_ENV)
    token = args.token or os.environ.get(TOKEN_ENV)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    shown = []
    if not password:
        import secrets

        password = secrets.token_urlsafe(12)
        shown.append(f"password: {password}")
    if token and not re.fullmatch(r"[0-9a-f]{40}", token):
        raise RukpError.single(
            "bad-token",
            "the API token must be 40 lowercase hex characters",
            hint="make one with: python -c 'import secrets; print(secrets.token_hex(20))'",
        )
    if not token:
        token = new_token()
        shown.append(f"token:    {token}   (export {TOKEN_ENV}=… for push/pull)")
    data_dir = args.data_dir if args.data_dir.is_absolute() else Path.cwd() / args.data_dir
    try:
        inside = data_dir.resolve().relative_to(repo_root()).parts
    except ValueError:
        inside = ("ls-data",)  # outside the checkout: nothing to warn about
    if inside[:1] != ("ls-data",):
        print(f"note: {data_dir} is inside the checkout, not ls-data/; keep it out of git")
    print(f"starting Label Studio (data in {data_dir}); the first start migrates for ~1 min …")
    t0 = time.monotonic()

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)  # so `kill <pid>` also stops the server
    server = start_server(data_dir, args.port, args.username, password, token)
    try:
        print(f"Label Studio is up after {time.monotonic() - t0:.0f} s: {server.url}")
        print(f"server pid {server.pid} (own process group); log: {server.log_path}")
        print(f"log in as {args.username}" + (" — " + "; ".join(shown) if shown else ""))
        print("Ctrl-C stops it.", flush=True)
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop_server(server)
        print("Label Studio stopped.")
    return 0
