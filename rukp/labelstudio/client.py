"""Push tasks to and pull annotations from a running Label Studio through label-studio-sdk."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rukp.errors import RukpError
from rukp.io import atomic_open

DEFAULT_TITLE = "rukp"
TITLE_SEP = " · "


def project_title(base: str, annotator: str | None = None, layer: str = "all") -> str:
    """Title of a project: the base title, then the annotator's set name (one project per
    annotator), then the pass (one project per layer), e.g. "rukp · A · events"."""
    parts = [base] + ([annotator] if annotator else []) + ([layer] if layer != "all" else [])
    return TITLE_SEP.join(parts)


def connect(url: str, token: str | None) -> Any:
    """An SDK client; the token comes from --token or RUKP_LS_TOKEN, never from files."""
    if not token:
        raise RukpError.single(
            "token-missing",
            "no Label Studio API token",
            hint="set RUKP_LS_TOKEN (Account & Settings -> Legacy token) or pass --token",
        )
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=url.rstrip("/"), api_key=token)


def _call(what: str, fn: Any, *args: Any, **kw: Any) -> Any:
    try:
        return fn(*args, **kw)
    except RukpError:
        raise
    except Exception as exc:  # the SDK raises ApiError / httpx errors
        raise RukpError.single(
            "server-error",
            f"{what} failed: {type(exc).__name__}: {str(exc)[:300]}",
            hint="check --url, the token, and that the server is running (rukp ls serve)",
        ) from None


def find_project(ls: Any, title: str) -> Any | None:
    matches = [
        p for p in _call("listing projects", lambda: list(ls.projects.list())) if p.title == title
    ]
    if len(matches) > 1:
        raise RukpError.single(
            "ambiguous-project",
            f"{len(matches)} projects are titled {title!r}",
            hint="rename or delete the extra projects in Label Studio",
        )
    return matches[0] if matches else None


@dataclass(slots=True)
class PushReport:
    project_id: int
    created: bool
    imported: int
    skipped: int

    def summary(self, url: str) -> str:
        verb = "created" if self.created else "updated"
        return (
            f"project {self.project_id} {verb}; tasks imported: {self.imported}, already there: "
            f"{self.skipped}\n{url.rstrip('/')}/projects/{self.project_id}/data"
        )


def push(
    ls: Any,
    title: str,
    label_config: str,
    tasks: list[dict[str, Any]],
    model_version: str | None = None,
) -> PushReport:
    """Create or update (by title) the project and import tasks not already there.

    A task is already there when a task with the same doc_id and text_sha256 exists.
    `model_version` names the prediction the editor pre-fills an annotation from.
    """
    project = find_project(ls, title)
    created = project is None
    if project is None:
        project = _call(
            "creating the project", ls.projects.create, title=title, label_config=label_config
        )
    elif project.label_config != label_config:
        _call("updating the config", ls.projects.update, id=project.id, label_config=label_config)
    existing = {
        (t.data.get("doc_id"), t.data.get("text_sha256"))
        for t in _call(
            "listing tasks", lambda: list(ls.tasks.list(project=project.id, fields="all"))
        )
    }
    new = [t for t in tasks if (t["data"]["doc_id"], t["data"]["text_sha256"]) not in existing]
    if new:
        _call(
            "importing tasks",
            ls.projects.import_tasks,
            id=project.id,
            request=new,
            return_task_ids=True,
        )
    # the server accepts only a model version some prediction of the project has
    if model_version is not None and getattr(project, "model_version", None) != model_version:
        _call(
            "setting the model version",
            ls.projects.update,
            id=project.id,
            model_version=model_version,
        )
    return PushReport(project.id, created, len(new), len(tasks) - len(new))


def task_data(ls: Any, project_id: int) -> list[dict[str, Any]]:
    """The `data` of every task of a project."""
    tasks = _call("listing tasks", lambda: list(ls.tasks.list(project=project_id, fields="all")))
    return [dict(t.data) for t in tasks]


def snapshot_export(ls: Any, project_id: int, timeout: float = 300.0) -> bytes:
    """A snapshot export with full predictions; polls until it is completed, then downloads."""
    exp = _call(
        "creating the export",
        ls.projects.exports.create,
        id=project_id,
        title="rukp pull",
        serialization_options={"predictions": {"only_id": False}},
    )
    deadline = time.monotonic() + timeout
    while True:
        status = _call(
            "polling the export", ls.projects.exports.get, id=project_id, export_pk=exp.id
        ).status
        if status == "completed":
            break
        if status == "failed" or time.monotonic() > deadline:
            raise RukpError.single("export-failed", f"snapshot export {exp.id} ended as {status!r}")
        time.sleep(0.5)
    chunks = _call(
        "downloading the export",
        lambda: list(
            ls.projects.exports.download(id=project_id, export_pk=exp.id, export_type="JSON")
        ),
    )
    return b"".join(chunks)


def users_by_id(ls: Any) -> dict[int, str]:
    """Label Studio user id -> email (to name annotation sets)."""
    try:
        return {u.id: u.email for u in ls.users.list() if getattr(u, "email", None)}
    except Exception:  # users are only a naming help; ids still work
        return {}


@dataclass(slots=True, frozen=True)
class User:
    id: int
    email: str
    name: str


def list_users(ls: Any) -> list[User]:
    """The server's users (of the token's organisation), by id."""
    users = _call("listing users", lambda: list(ls.users.list()))
    out = []
    for u in users:
        name = " ".join(x for x in (getattr(u, "first_name", ""), getattr(u, "last_name", "")) if x)
        out.append(User(int(u.id), str(getattr(u, "email", "") or ""), name))
    return sorted(out, key=lambda u: u.id)


def user_ids_by_email(users: list[User]) -> dict[str, int]:
    """Lower-cased e-mail -> user id."""
    return {u.email.lower(): u.id for u in users if u.email}


def pull(ls: Any, title: str, export_file: Path) -> tuple[int, dict[int, str]]:
    """Download the project's snapshot export to `export_file`; returns (project id, users)."""
    project = find_project(ls, title)
    if project is None:
        raise RukpError.single(
            "project-missing",
            f"no project titled {title!r} on the server",
            hint="push it first: rukp ls push",
        )
    raw = snapshot_export(ls, project.id)
    with atomic_open(Path(export_file), "wb") as f:
        f.write(raw)
    return project.id, users_by_id(ls)
