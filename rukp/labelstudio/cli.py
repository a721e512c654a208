"""`rukp ls config|tasks|import|serve|push|pull`: move work in and out of Label Studio."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from rukp.documents import Document, load_documents
from rukp.errors import RukpError
from rukp.io import write_json
from rukp.labelstudio.data import read_json
from rukp.paths import annotations_dir, build_dir, cleaned_documents_path, repo_root
from rukp.safeio import check_name, check_regular, child, safe_name, shown

TOKEN_ENV = "RUKP_LS_TOKEN"
PASSWORD_ENV = "RUKP_LS_PASSWORD"
USERNAME_ENV = "RUKP_LS_USERNAME"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="ls_command", metavar="ACTION")

    p = sub.add_parser("config", help="print or write the labeling config (XML) from labels.json")
    p.add_argument("--out", type=Path, help="write the XML here instead of stdout")

    p = sub.add_parser("tasks", help="cleaned documents -> Label Studio tasks JSON")
    _documents_arg(p)
    _predictions_args(p)
    p.add_argument("--out", type=Path, required=True, help="tasks JSON file to write")

    p = sub.add_parser(
        "import", help="a Label Studio JSON export -> one annotation set per annotator"
    )
    p.add_argument("export", type=Path, help="the JSON export file")
    _documents_arg(p)
    _import_args(p)

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

    p = sub.add_parser("push", help="create/update the project on a server and import the tasks")
    _server_args(p)
    _documents_arg(p)
    _predictions_args(p)

    p = sub.add_parser("pull", help="snapshot-export a project and import its annotations")
    _server_args(p)
    _documents_arg(p)
    _import_args(p)
    p.add_argument(
        "--export-file",
        type=Path,
        default=None,
        help="where to keep the raw export (default: build/labelstudio/export-<id>.json)",
    )


def _documents_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--documents",
        type=Path,
        default=None,
        help="cleaned documents JSONL (default: build/ingest/documents.jsonl)",
    )


def _predictions_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--predictions",
        type=Path,
        metavar="SET_DIR",
        help="an annotation set folder to attach as pre-annotations",
    )
    p.add_argument("--model-version", default=None, help="default: the set folder name")
    p.add_argument("--score", type=float, default=None)
    p.add_argument(
        "--entities",
        type=Path,
        default=None,
        help="entity registry (default: the set's entities.json, else annotations/entities.json)",
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
        help='JSON {"<user id or e-mail>": "<set name>"}, e.g. {"2": "A", "b@x.org": "B"}',
    )
    p.add_argument(
        "--overwrite-gold",
        action="store_true",
        help="allow writing into a set folder named gold (a timestamped backup is kept)",
    )


def _server_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", default=os.environ.get("RUKP_LS_URL", "http://127.0.0.1:8080"))
    p.add_argument("--token", default=None, help=f"API token (default: env {TOKEN_ENV})")
    p.add_argument("--project-title", default="rukp", help="project title (default: rukp)")


def _documents(args: argparse.Namespace) -> dict[str, Document]:
    return load_documents(args.documents or cleaned_documents_path())


def _tasks(args: argparse.Namespace, docs: dict[str, Document]) -> list[dict[str, Any]]:
    from rukp.labelstudio.tasks import build_tasks, predictions_from_set

    preds = None
    version = args.model_version
    if args.predictions:
        preds = predictions_from_set(args.predictions, docs, registry=args.entities)
        version = version or Path(args.predictions).resolve().name
    return build_tasks(docs, preds, model_version=version or "rukp", score=args.score)


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
    if not args.annotator_map:
        return {}
    data = read_json(args.annotator_map, "config", "annotator-map-unreadable")
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise RukpError.single(
            "annotator-map-unreadable",
            'expected {"<user>": "<set name>"}',
            file=shown(args.annotator_map),
        )
    problems = []
    for key, name in data.items():
        try:
            check_name(name, f"set name for user {key!r}")
        except RukpError as exc:
            problems += [replace(i, file=shown(args.annotator_map)) for i in exc.incidents]
    if problems:
        raise RukpError(*problems)
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
        gold_dir=annotations_dir() / "gold",
    )
    print(report.summary())
    return 0


def _token(args: argparse.Namespace) -> str | None:
    return args.token or os.environ.get(TOKEN_ENV)


def run(args: argparse.Namespace) -> int:
    cmd = getattr(args, "ls_command", None)
    if cmd is None:
        print("rukp ls: choose one of config, tasks, import, serve, push, pull", file=sys.stderr)
        return 2
    if cmd == "config":
        from rukp.labelstudio.config import build_config

        xml = build_config()
        if args.out:
            from rukp.io import atomic_open

            with atomic_open(args.out) as f:
                f.write(xml)
            print(f"wrote {args.out}")
        else:
            sys.stdout.write(xml)
        return 0
    if cmd == "tasks":
        tasks = _tasks(args, _documents(args))
        write_json(args.out, tasks)
        n_pred = sum(1 for t in tasks if "predictions" in t)
        print(f"wrote {len(tasks)} task(s), {n_pred} with predictions, to {args.out}")
        return 0
    if cmd == "import":
        return _import(args, args.export)
    if cmd == "serve":
        return _serve(args)
    if cmd == "push":
        from rukp.labelstudio.client import connect, push
        from rukp.labelstudio.config import build_config

        tasks = _tasks(args, _documents(args))
        report = push(connect(args.url, _token(args)), args.project_title, build_config(), tasks)
        print(report.summary(args.url))
        return 0
    if cmd == "pull":
        from rukp.labelstudio.client import connect, pull

        # every local input is read before talking to the server
        local = (_documents(args), _registry(args), _annotator_map(args))
        export = args.export_file or child(
            build_dir() / "labelstudio",
            "export-" + safe_name(args.project_title, "project title"),
            "export file name",
            ".json",
        )
        ls = connect(args.url, _token(args))
        project_id, users = pull(ls, args.project_title, export)
        print(f"project {project_id}: export saved to {export}")
        return _import(args, export, users, local)
    raise AssertionError(cmd)


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
