#!/usr/bin/env bash
# Run rukp's whole test suite from a clean clone: sets up the venvs (including Label Studio and
# Chromium for the live tests), lints, then runs pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --live
.venv/bin/ruff check rukp tests scripts
.venv/bin/python -m pytest "$@"
