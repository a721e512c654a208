"""Server control without starting a server: environment, refusals."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from rukp.cli import main
from rukp.errors import RukpError
from rukp.labelstudio.server import server_env, start_server


def test_env_is_offline_and_self_contained(tmp_path: Path) -> None:
    base = {"HOST": "example.org", "PORT": "1", "USERNAME": "x", "PATH": "/usr/bin"}
    env = server_env(tmp_path / "ls", "a@b.c", "pw", "f" * 40, base=base)
    assert env["LABEL_STUDIO_BASE_DATA_DIR"] == str((tmp_path / "ls" / "data").resolve())
    assert env["XDG_CONFIG_HOME"] == str((tmp_path / "ls" / "config").resolve())
    assert env["TMPDIR"] == str((tmp_path / "ls" / "tmp").resolve())
    assert (env["LATEST_VERSION_CHECK"], env["COLLECT_ANALYTICS"], env["SENTRY_DSN"]) == (
        "false",
        "false",
        "",
    )
    assert env["LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN"] == "true"
    assert env["LABEL_STUDIO_USER_TOKEN"] == "f" * 40
    assert not {"HOST", "PORT", "USERNAME"} & set(env)  # Label Studio would read them
    assert env["PATH"] == "/usr/bin"


def test_busy_port_is_refused_before_starting(tmp_path: Path, label_studio_bin: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(RukpError) as exc:
            start_server(tmp_path, port, "a@b.c", "pw", "f" * 40)
    assert exc.value.incidents[0].id == "port-busy"
    assert not (tmp_path / "label-studio.log").exists()


def test_serve_refuses_a_malformed_token(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RUKP_LS_TOKEN", "not-hex")
    assert main(["ls", "serve", "--port", "1", "--data-dir", str(tmp_path / "d")]) == 1
    assert "bad-token" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()
