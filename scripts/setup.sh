#!/usr/bin/env bash
# Create rukp's virtual environments on a fresh machine that has only Python >= 3.11.
#   scripts/setup.sh          the project venv (.venv) with rukp and its pinned dependencies
#                             (with the optional Dask extra, so that the Dask tests run)
#   scripts/setup.sh --live   also Label Studio in its own venv (.venv-ls; its pins clash with
#                             ours) and Debian's Chromium for the browser tests
# Re-running is cheap: a stamp records the hash of pyproject.toml + constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
LIVE=0
[ "${1:-}" = "--live" ] && LIVE=1

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

PIP_VISIBLE=(--progress-bar off --disable-pip-version-check)

want=$(stamp_of pyproject.toml constraints.txt)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.rukp-stamp 2>/dev/null)" != "$want" ]; then
  n=$(grep -c '==' constraints.txt)
  echo "setup: installing rukp into .venv with its pinned dependencies (constraints.txt: $n pins;"
  echo "       datasets, pyarrow, scikit-learn, sklearn-crfsuite, label-studio-sdk, lingua, fastText,"
  echo "       Dask for the distributed ingest, and for the tests pytest, hypothesis, seqeval, ruff). This takes a few minutes on a"
  echo "       fresh machine, seconds when pip's cache is warm; pip names every package below."
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install "${PIP_VISIBLE[@]}" -c constraints.txt -e '.[dev,dask]'
  echo "$want" > .venv/.rukp-stamp
  echo "setup: .venv ready; the command is .venv/bin/rukp (or: source .venv/bin/activate; rukp)"
else
  echo "setup: .venv is up to date (pyproject.toml and constraints.txt unchanged since it was made)"
fi

if [ "$LIVE" = 1 ]; then
  lswant=$(stamp_of constraints-ls.txt)
  if [ ! -x .venv-ls/bin/label-studio ] || [ "$(cat .venv-ls/.rukp-stamp 2>/dev/null)" != "$lswant" ]; then
    echo "setup: installing Label Studio (constraints-ls.txt) into its own venv .venv-ls, for the"
    echo "       live tests (its pins clash with ours). About 1 GB: a few minutes on a fresh machine."
    [ -x .venv-ls/bin/python ] || "$PY" -m venv .venv-ls
    .venv-ls/bin/python -m pip install -q --upgrade pip
    .venv-ls/bin/python -m pip install "${PIP_VISIBLE[@]}" -r constraints-ls.txt
    echo "$lswant" > .venv-ls/.rukp-stamp
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing Debian's chromium (headless browser for the leaderboard and Label"
      echo "       Studio UI tests): apt-get update, then the package; a minute or two"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: chromium is missing; install Debian's package: sudo apt-get install chromium" >&2
      exit 1
    fi
  fi
fi
