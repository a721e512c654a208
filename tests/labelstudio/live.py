"""What the live tests share: the running server's coordinates, a logged-in browser session,
and the prediction set (gold if it covers the seeds). The server itself is the session fixture
in conftest.py: one per test session, started through `rukp ls serve`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import requests

from rukp.io import write_json
from rukp.labelstudio.data import registry_for_set
from rukp.paths import annotations_dir

from .helpers import fixture_annotation, seed_documents, write_registry


@dataclass(slots=True)
class Live:
    url: str
    token: str
    username: str
    password: str
    ls_pid: int
    work: Path
    documents: Path
    pred_dir: Path
    registry: Path


def prediction_set(work: Path) -> tuple[Path, Path]:
    """annotations/gold if it covers a seed, else annotations/A, else a small fixture set."""
    seeds = set(seed_documents())
    default_reg = annotations_dir() / "entities.json"
    for name in ("gold", "A"):
        d = annotations_dir() / name
        reg = registry_for_set(d, default_reg)
        if d.is_dir() and reg and seeds & {p.stem for p in d.glob("*.json")}:
            return d, reg
    pred = work / "fixture-set"
    for doc in seed_documents().values():
        write_json(pred / f"{doc.doc_id}.json", fixture_annotation(doc))
    return pred, write_registry(work / "entities.json")


def session_cookies(live: Live) -> dict[str, str]:
    """Log in as the admin through the login form; the cookies for the browser."""
    s = requests.Session()
    s.get(f"{live.url}/user/login/", timeout=30)
    r = s.post(
        f"{live.url}/user/login/",
        data={
            "email": live.username,
            "password": live.password,
            "csrfmiddlewaretoken": s.cookies["csrftoken"],
        },
        headers={"Referer": f"{live.url}/user/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 302 and "sessionid" in s.cookies, r.text[:300]
    return dict(s.cookies.items())


CLICK_SUBMIT = """(() => { const b = Array.from(document.querySelectorAll('button'))
  .find(b => b.textContent.trim() === 'Submit'); if (!b) return 'no submit button';
  b.click(); return 'clicked'; })()"""
