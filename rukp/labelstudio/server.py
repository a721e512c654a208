"""Start and stop a local Label Studio server (from .venv-ls) that stays offline.

Loopback only, SQLite and every file under one data folder, analytics/version checks/Sentry
off, legacy API tokens on so a fixed token can be given. Credentials come from the caller
(flags or environment) and are never written into the repository.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rukp.errors import RukpError
from rukp.paths import repo_root
from rukp.safeio import parse_json, tail_text

HEALTH_TIMEOUT = 240.0


@dataclass(slots=True)
class Server:
    process: subprocess.Popen[bytes]
    url: str
    port: int
    data_dir: Path
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def label_studio_executable(venv: Path | None = None) -> Path:
    exe = (venv or repo_root() / ".venv-ls") / "bin" / "label-studio"
    if not exe.is_file():
        raise RukpError.single(
            "label-studio-missing",
            f"Label Studio is not installed at {exe}",
            hint="run `bash scripts/setup.sh --live` (installs it into .venv-ls)",
        )
    return exe


def new_token() -> str:
    """A legacy API token: 40 hex characters."""
    return secrets.token_hex(20)


def server_env(
    data_dir: Path, username: str, password: str, token: str, base: dict[str, str] | None = None
) -> dict[str, str]:
    """Environment that keeps Label Studio quiet, self-contained and offline."""
    data_dir = Path(data_dir).resolve()
    env = dict(os.environ if base is None else base)
    for k in ("HOST", "PORT", "USERNAME", "PASSWORD", "DEBUG"):  # it reads these unprefixed
        env.pop(k, None)
    env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir / "data"),
            "XDG_CONFIG_HOME": str(data_dir / "config"),
            "TMPDIR": str(data_dir / "tmp"),
            "LATEST_VERSION_CHECK": "false",
            "SENTRY_DSN": "",
            "FRONTEND_SENTRY_DSN": "",
            "COLLECT_ANALYTICS": "false",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
            "LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED": "false",
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_USERNAME": username,
            "LABEL_STUDIO_PASSWORD": password,
            "LABEL_STUDIO_USER_TOKEN": token,
            "HF_HUB_OFFLINE": "1",
        }
    )
    return env


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def health(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as r:
            data = parse_json(r.read(65_536).decode("utf-8", "replace"), f"{url}/health")
    except (urllib.error.URLError, OSError, ValueError, RukpError):
        return False
    return isinstance(data, dict) and data.get("status") == "UP"


def start_server(
    data_dir: Path,
    port: int,
    username: str,
    password: str,
    token: str,
    *,
    venv: Path | None = None,
    timeout: float = HEALTH_TIMEOUT,
) -> Server:
    """Start Label Studio in its own process group and wait until /health answers UP."""
    exe = label_studio_executable(venv)
    if not port_is_free(port):
        raise RukpError.single(
            "port-busy",
            f"port {port} on 127.0.0.1 is in use",
            hint="pass another --port (Label Studio would silently take the next one)",
        )
    data_dir = Path(data_dir).resolve()
    for sub in ("data", "config", "tmp"):
        (data_dir / sub).mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "label-studio.log"
    url = f"http://127.0.0.1:{port}"
    cmd = [
        str(exe),
        "start",
        "--no-browser",
        "--internal-host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir / "data"),
    ]
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            cmd,
            env=server_env(data_dir, username, password, token),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=data_dir,
        )
    server = Server(proc, url, port, data_dir, log_path)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RukpError.single(
                    "server-failed",
                    f"Label Studio exited with code {proc.returncode}",
                    file=str(log_path),
                    hint=f"last log lines:\n{_tail(log_path)}",
                )
            if health(url):
                return server
            time.sleep(1.0)
        raise RukpError.single(
            "server-timeout",
            f"Label Studio did not answer {url}/health within {timeout:.0f} s",
            file=str(log_path),
            hint=f"last log lines:\n{_tail(log_path)}",
        )
    except BaseException:
        stop_server(server)
        raise


def stop_server(server: Server, grace: float = 15.0) -> None:
    """SIGTERM the server's process group, SIGKILL it after `grace` seconds; wait for it."""
    proc = server.process
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace)
    # children left in the group (e.g. workers) are killed too
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tail(path: Path, n: int = 15) -> str:
    try:
        return "\n".join(tail_text(path).splitlines()[-n:])
    except RukpError:
        return "(no log)"
