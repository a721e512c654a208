#!/usr/bin/env bash
# Create rukp's virtual environments on a fresh machine that has only Python >= 3.11.
#   scripts/setup.sh          the project venv (.venv) with rukp and its pinned dependencies
#   scripts/setup.sh --live   also Label Studio in its own venv (.venv-ls; its pins clash with
#                             ours) and Debian's Chromium for the browser tests
# Re-running is cheap: a stamp records the hash of pyproject.toml + constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
LIVE=0
[ "${1:-}" = "--live" ] && LIVE=1

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

want=$(stamp_of pyproject.toml constraints.txt)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.rukp-stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the project venv (.venv)"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[dev]'
  echo "$want" > .venv/.rukp-stamp
fi

if [ "$LIVE" = 1 ]; then
  lswant=$(stamp_of constraints-ls.txt)
  if [ ! -x .venv-ls/bin/label-studio ] || [ "$(cat .venv-ls/.rukp-stamp 2>/dev/null)" != "$lswant" ]; then
    echo "setup: installing Label Studio in its own venv (.venv-ls)"
    [ -x .venv-ls/bin/python ] || "$PY" -m venv .venv-ls
    .venv-ls/bin/python -m pip install -q --upgrade pip
    .venv-ls/bin/python -m pip install -q -r constraints-ls.txt
    echo "$lswant" > .venv-ls/.rukp-stamp
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing Debian's chromium"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: chromium is missing; install Debian's package: sudo apt-get install chromium" >&2
      exit 1
    fi
  fi
fi
