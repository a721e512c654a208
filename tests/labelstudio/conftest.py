"""Fixtures of the live tests: one real, offline Label Studio for the whole test session,
started through `rukp ls serve` on a free port with a fresh SQLite database under a temporary
folder (~40-60 s of migrations), stopped by its pid at teardown and checked to be gone."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk import LabelStudio

from rukp.labelstudio.cli import PASSWORD_ENV, TOKEN_ENV, USERNAME_ENV
from rukp.labelstudio.server import free_port, group_alive, health, new_token

from .helpers import seed_documents, write_documents
from .live import Live, prediction_set


@pytest.fixture(scope="session")
def live(label_studio_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    work = tmp_path_factory.mktemp("ls-live")
    port = free_port()
    token, password, user = new_token(), secrets.token_urlsafe(12), "annotator@rukp.test"
    env = {**os.environ, TOKEN_ENV: token, PASSWORD_ENV: password, USERNAME_ENV: user}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rukp",
            "ls",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(work / "ls-data"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        cwd=work,
    )
    ls_pid = 0
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if m := re.search(r"server pid (\d+)", line):
                ls_pid = int(m.group(1))
            if "Ctrl-C stops it" in line:
                break
        out = "".join(lines)
        assert ls_pid and f"http://127.0.0.1:{port}" in out, out
        assert token not in out and password not in out  # given through env: never printed
        url = f"http://127.0.0.1:{port}"
        assert health(url)
        documents = write_documents(work / "documents.jsonl", seed_documents())
        pred_dir, registry = prediction_set(work)
        yield Live(url, token, user, password, ls_pid, work, documents, pred_dir, registry)
    finally:
        with_pgid = [proc.pid] + ([ls_pid] if ls_pid else [])
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # `rukp ls serve` stops its server on SIGTERM
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(group_alive(g) for g in with_pgid):
            time.sleep(0.2)
        leftovers = [g for g in with_pgid if group_alive(g)]
        for g in leftovers:  # whatever happened, nothing survives the session
            try:
                os.killpg(g, signal.SIGKILL)
            except ProcessLookupError:
                pass
        assert not leftovers, f"process groups still alive after SIGTERM: {leftovers}"
        assert not any(group_alive(g) for g in with_pgid)


@pytest.fixture(scope="session")
def sdk(live: Live) -> Any:
    return LabelStudio(base_url=live.url, api_key=live.token)
